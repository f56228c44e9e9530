/* Review prompts: when they fire, catching up after downtime, snoozes and
 * skips, showing them and taking them off the screen again.
 *
 * Each schedule has one CLOCK_REALTIME timer at its exact next occurrence
 * (and one for a snooze); nothing polls. The occurrence a schedule last
 * fired for is stored, so at start-up, after a suspend (the realtime timer
 * simply fires late) and after a clock or time zone change, the
 * occurrences that passed unprompted are counted and prompted once. A
 * clock that went backwards finds nothing due, so nothing repeats. */
#pragma once

#include <stdint.h>

#include "clock.h"
#include "date.h"
#include "notify.h"

struct Manager;

/* Arms both schedules, catching up what passed while we were down. */
int prompt_timers_start(struct Manager *m, const Now *now);
void prompt_timers_stop(struct Manager *m);

/* Catches up and re-arms every schedule (after a reload, a clock change...). */
int prompt_timers_recheck(struct Manager *m, const Now *now, const char *why);

/* The next time @kind's prompt fires after @now; 0 or -ERANGE. */
int prompt_timers_next(struct Manager *m, ReviewKind kind, time_t now, time_t *ret);
/* STATUS= for systemd: what we wait for next. */
void prompt_timers_update_status(struct Manager *m, const Now *now);

/* `lookback remind KIND`: records a prompt for the period containing
 * yesterday, inside the caller's transaction; show it after the commit. */
int prompt_timers_remind(struct Manager *m, const Now *now, ReviewKind kind, Period *ret_period, bool *ret_answered);
/* Shows a prompt's notification (closing an older one of its kind); on
 * failure logs one warning (it stays pending). Returns 0 when shown, a
 * negative errno when not. */
int prompt_timers_show(struct Manager *m, const Now *now, ReviewKind kind, Period period, unsigned missed);

/* Snoozes @kind's pending prompt until @until_usec (persisted) and arms the
 * snooze timer. Returns 1, or 0 when nothing of @kind is pending. */
int prompt_timers_snooze(struct Manager *m, ReviewKind kind, int64_t until_usec);

/* Records @period of @kind as skipped (excused, not missed) and resolves its
 * prompt. The caller owns the transaction. -EALREADY when the period is
 * answered: an answered period is not excused as well. */
int prompt_timers_skip(struct Manager *m, const Now *now, ReviewKind kind, Period period, const char *note,
                       char *ret_uuid);

/* The notification buttons: Answer, Snooze 1 h, Skip. */
void prompt_timers_on_action(PromptAction action, ReviewKind kind, Period period, void *userdata);
