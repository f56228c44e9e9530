/* The period engine: a habit's calendar periods, each one's fate, lapses,
 * streaks, adherence and strength. Pure: check-ins, skips and pauses come
 * in as sorted day lists, "today" comes in as @to; nothing is read.
 *
 * The rules (the README explains them to users):
 * - Periods are calendar periods: days start at local midnight, weeks on
 *   week_start, months on the 1st. N-day, N-week and N-month periods are
 *   counted from the period that contains the habit's start. A habit starts
 *   at `since`, else at its first check-in; nothing before counts.
 * - A finished period (one that ends on or before @to) is exactly one of:
 *   met (check-ins >= times), skipped (a skip recorded in it), paused (not
 *   met, and a pause covers any day of it), missed (otherwise) — checked in
 *   that order. The period containing @to that ends after it is open, never
 *   missed.
 * - A lapse is a run of >= lapse_after consecutive missed periods; skipped
 *   and paused periods end a run. It starts on the first day of its first
 *   missed period and ends the day before the period that ended the run
 *   (met, skipped or paused, the open one included if it is already met),
 *   else it is ongoing.
 * - Streak: consecutive met periods counting back from the latest finished
 *   one (and the open one if already met); skipped and paused periods
 *   neither break nor extend it.
 * - Adherence = met / (met + missed) over the finished periods in range.
 * - Strength: Loop Habit Tracker's exponential score, per period: each
 *   finished period moves it toward 1 if met, toward 0 if missed, and not at
 *   all if skipped or paused. The per-period multiplier follows Loop's daily
 *   one, m_day = 0.5^(sqrt(times / L) / 13), compounded over the period's L
 *   days: m = m_day^L; score = score * m + (met ? 1 - m : 0), from 0.
 * - Status at @to: paused (a pause covers @to), lapsed (an ongoing lapse),
 *   at-risk (the last finished period was missed, not yet a lapse), new (no
 *   finished period yet), else ok. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "date.h"

/* A pause: [from, to], to = LAPSE_OPEN_END while it lasts. */
#define LAPSE_OPEN_END INT32_MAX
/* A habit with more periods than this in one computation is refused:
 * 10 years of daily periods is 3653, so this is far beyond real use. */
#define LAPSE_PERIODS_MAX 200000

typedef struct {
        day_t from;
        day_t to;
        const char *reason; /* may be NULL */
} LapsePause;

typedef struct {
        Every every;
        unsigned times;
        unsigned lapse_after;
        bool has_since;
        day_t since;
        WeekStart week_start;
        const day_t *checkins; /* ascending, repeats allowed (two check-ins one day) */
        size_t n_checkins;
        const day_t *skips; /* ascending */
        size_t n_skips;
        const LapsePause *pauses; /* ascending by from */
        size_t n_pauses;
} LapseInput;

typedef enum {
        PERIOD_MET,
        PERIOD_SKIPPED,
        PERIOD_PAUSED,
        PERIOD_MISSED,
        PERIOD_OPEN,
} PeriodFate;

typedef enum {
        HABIT_OK,
        HABIT_AT_RISK,
        HABIT_LAPSED,
        HABIT_PAUSED,
        HABIT_NEW,
} HabitStatus;

typedef struct {
        Period period;
        unsigned checkins;
        PeriodFate fate;
} HabitPeriod;

typedef struct {
        day_t from;
        day_t to; /* valid when !ongoing */
        bool ongoing;
        unsigned missed; /* periods in the run */
} Lapse;

typedef struct {
        bool started; /* false: no since and no check-in; nothing else is set */
        day_t start;
        /* Periods ending within [range_from, @to], oldest first, plus the
         * open one (last) if there is one. */
        HabitPeriod *periods;
        size_t n_periods;
        /* Lapses whose run has a missed period ending within the range. */
        Lapse *lapses;
        size_t n_lapses;
        unsigned met, missed, skipped, paused; /* finished periods in range */
        bool has_adherence;
        double adherence;
        double strength;                         /* over all finished periods since the start */
        unsigned current_streak, longest_streak; /* longest: within the range */
        bool has_last_done;
        day_t last_done;    /* the latest check-in on or before @to */
        HabitStatus status; /* at the end of @to */
        bool lapsed;
        day_t lapsed_since; /* the ongoing lapse's first day */
} HabitReport;

/* The period of a habit (as configured in @in) that contains @day. */
Period lapse_period_containing(const LapseInput *in, day_t day);
/* The habit's start: since, else its first check-in; false if neither. */
bool lapse_habit_start(const LapseInput *in, day_t *ret);

/* Computes the report of one habit for [range_from, to]. Returns 0, -EINVAL
 * (to < range_from, times or lapse_after 0), -E2BIG (over
 * LAPSE_PERIODS_MAX periods) or -ENOMEM. */
int lapse_compute(const LapseInput *in, day_t range_from, day_t to, HabitReport *ret);
void habit_report_done(HabitReport *r);

/* "met", "skipped", "paused", "missed", "open"; "ok", "at-risk", "lapsed",
 * "paused", "new". */
const char *period_fate_to_string(PeriodFate f);
const char *habit_status_to_string(HabitStatus s);
