/* The period engine: a habit's calendar periods, each one's fate, its
 * lapses, streaks and strength, over its whole history up to a day. Pure.
 *
 * The rules (the README explains them to users; test-periods.c pins each):
 * - Periods are calendar periods: days start at local midnight, weeks on
 *   week_start, months on the 1st. N-day, N-week and N-month periods are
 *   counted from the period that contains the habit's start. A habit starts
 *   at `since`, else at its first check-in; nothing before counts. A
 *   half-year review's periods are calendar halves whatever its start.
 * - The history is seen at the end of day @to, with @today the day in
 *   progress (@to <= @today). A day is over once it is before @today, or it
 *   is @to of a past range. A period whose last day is over is finished and
 *   is exactly one of: met (check-ins >= times), skipped (a skip recorded
 *   in it), paused (not met, and a pause covers a day of it from the
 *   start), missed — checked in that order. The period containing @to that
 *   is not over is open: never missed, whatever it holds so far.
 * - A lapse is a run of >= lapse_after consecutive missed periods; a met,
 *   skipped or paused period ends it, and so does the open period once it
 *   is met. It starts on the first day of its first missed period and ends
 *   the day before the period that ended it; else it is ongoing.
 * - Current streak: consecutive met periods counting back from the latest
 *   finished one, plus the open one once it is met; skipped and paused
 *   periods neither break nor extend it. Longest streak: the longest such
 *   run in the whole history up to @to, so current <= longest always.
 * - Strength: Loop Habit Tracker's exponential score, per period: each
 *   finished period moves it toward 1 if met, toward 0 if missed, and not
 *   at all if skipped or paused. The per-period multiplier follows Loop's
 *   daily one, m_day = 0.5^(sqrt(times / L) / 13), compounded over the
 *   period's L days: m = m_day^L; score = score * m + (met ? 1 - m : 0). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "habit.h"

/* A habit with more periods than this is refused: 10 years of daily
 * periods is 3653, so this is far beyond real use. */
#define PERIODS_MAX 200000

typedef enum {
        PERIOD_MET,
        PERIOD_SKIPPED,
        PERIOD_PAUSED,
        PERIOD_MISSED,
        PERIOD_OPEN,
        _PERIOD_FATE_MAX,
} PeriodFate;

typedef struct {
        Period period;
        unsigned checkins; /* counted up to @to */
        PeriodFate fate;
} HabitPeriod;

typedef struct {
        day_t from;
        day_t to; /* valid when !ongoing */
        bool ongoing;
        unsigned missed; /* periods in the run */
} Lapse;

typedef struct {
        bool started; /* false: no since and no check-in, or a start after @to; only `open` is set */
        day_t start;
        HabitPeriod *periods; /* every period from the start, oldest first; the last may be open */
        size_t n_periods;
        Lapse *lapses; /* every lapse, oldest first; only the last may be ongoing */
        size_t n_lapses;
        /* The period containing @to when it is not over (for a habit not
         * started yet: as if it started on @to); else none. */
        bool has_open;
        HabitPeriod open;
        double strength;
        unsigned current_streak, longest_streak;
        bool has_last_done;
        day_t last_done; /* the latest check-in from the start up to @to */
        size_t checkins; /* check-ins from the start up to @to */
} HabitHistory;

/* The habit's start: since, else its first check-in (a half-year review's
 * aligned to its half); false if neither. */
bool habit_start(const HabitInput *in, day_t *ret);
/* The habit's period that contains @day; one not started yet is aligned as
 * if it started on @day. */
Period habit_period_containing(const HabitInput *in, day_t day);

/* Computes @in's history seen at the end of @to. Returns 0, -EINVAL (an
 * invalid input, or @to after @today), -E2BIG (over PERIODS_MAX periods) or
 * -ENOMEM. */
int periods_compute(const HabitInput *in, day_t to, day_t today, HabitHistory *ret);
void habit_history_done(HabitHistory *h);

/* "met", "skipped", "paused", "missed", "open"; NULL outside the enum. */
const char *period_fate_to_string(PeriodFate f);
