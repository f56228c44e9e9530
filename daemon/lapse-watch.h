/* Lapse flags: the moment a habit's missed run reaches lapse_after, one
 * notification, once per lapse, remembered across restarts.
 *
 * Periods end at local midnight, so one CLOCK_REALTIME timer is armed at
 * the soonest next period end over all habits; when it fires every habit is
 * checked (cheap) and the timer re-armed. Nothing polls. Start-up, a reload
 * and a clock change check all habits; every write that touches a habit
 * (a check-in, a skip, a pause, a resume, an answer) has that habit checked
 * as soon as the writes settle (LAPSE_SETTLE_USEC without another one), so
 * a history back-filled one command at a time is judged once it is in, not
 * after its first line.
 *
 * A lapse is announced only while it is ongoing, judged by the live view
 * (today's check-ins count); one that has already ended is recorded as
 * seen and never announced. */
#pragma once

#include "clock.h"
#include "config.h"

struct Manager;

int lapse_watch_check(struct Manager *m, const Now *now, const char *why);
/* Half a second: back-filling by script sends writes milliseconds apart; a
 * person at a terminal takes longer than this between two commands. */
#define LAPSE_SETTLE_USEC 500000ULL

/* Re-evaluates @h now. */
int lapse_watch_habit(struct Manager *m, const Now *now, const HabitConfig *h);
/* A write touched @h: re-evaluate it once the writes settle. */
void lapse_watch_touch(struct Manager *m, const HabitConfig *h);
void lapse_watch_stop(struct Manager *m);
