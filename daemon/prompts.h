/* Review prompts: when they fire, catching up after downtime, snoozes and
 * skips, and showing them.
 *
 * Each schedule has one CLOCK_REALTIME timer at its exact next occurrence
 * (and one for a snooze); nothing polls. The occurrence a schedule last
 * fired for is stored, so at start-up, after a suspend (the realtime timer
 * simply fires late) and after a clock or time zone change, the
 * occurrences that passed unprompted are counted and prompted once. A
 * clock that went backwards finds nothing due, so nothing repeats. */
#pragma once

#include <stdint.h>

#include "date.h"

typedef struct Manager Manager;

/* Watches the clock and /etc/localtime, then checks both schedules. */
int prompts_start(Manager *m);
void prompts_stop(Manager *m);

/* Catches up and re-arms every schedule (after a reload, a clock change...). */
int prompts_recheck(Manager *m, const char *why);

/* `lookback remind KIND`: records a prompt for the period containing
 * yesterday, inside the caller's transaction; show it after the commit. */
int prompts_remind(Manager *m, ReviewKind kind, Period *ret_period, bool *ret_answered);
/* Shows a prompt's notification; on failure logs one warning (it stays
 * pending). Returns 0 when shown, a negative errno when not. */
int prompts_show(Manager *m, ReviewKind kind, Period period, unsigned missed);

/* Snoozes @kind's pending prompt until @until_usec (persisted). Returns 1,
 * or 0 when nothing of @kind is pending. */
int prompts_snooze(Manager *m, ReviewKind kind, int64_t until_usec);

/* Records @period of @kind as skipped (excused, not missed) and resolves its
 * prompt. The caller owns the transaction. */
int prompts_skip(Manager *m, ReviewKind kind, Period period, const char *note, char *ret_uuid);

int64_t prompts_now_usec(void);
