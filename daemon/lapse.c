/* The period engine. One pass over a habit's periods, oldest first, with a
 * cursor into each sorted input list, so a report costs O(periods + check-ins
 * + skips + pauses) however long the habit has been kept.
 *
 * Periods are addressed by index from the period that contains the habit's
 * start (index 0), and every boundary is computed from that index in 64 bits
 * rather than by stepping from the previous one, so month lengths never drift
 * and no day near the ends of day_t can overflow. */
#include "lapse.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where a habit's periods fall: @len days (or months) from @anchor, which is
 * a day (EVERY_DAY, EVERY_WEEK) or a month index, year * 12 + month - 1
 * (EVERY_MONTH). */
typedef struct {
        EveryUnit unit;
        int64_t len;
        int64_t anchor;
} LapseGrid;

/* The state carried from one period to the next during lapse_compute(). */
typedef struct {
        const LapseInput *in;
        day_t start, range_from, to;
        size_t checkin, skip, pause; /* cursors: the first entry not yet consumed */
        bool any_pause;
        day_t pause_max_to;      /* latest end among pauses begun so far */
        int64_t multiplier_days; /* the period length the cached multiplier is for */
        double multiplier;
        unsigned run_missed; /* the current run of missed periods */
        day_t run_from;
        bool run_in_range; /* one of its missed periods ends in the range */
        unsigned streak, range_streak;
        bool any_finished, last_finished_missed;
        size_t lapses_allocated;
} LapseWalk;

static int64_t lapse_floor_div(int64_t a, int64_t b) {
        int64_t q = a / b;

        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static day_t lapse_clamp_day(int64_t day) {
        if (day < INT32_MIN)
                return INT32_MIN;
        if (day > INT32_MAX)
                return INT32_MAX;
        return (day_t) day;
}

static int64_t lapse_month_index(day_t day) {
        int year, month;

        date_to_ymd(day, &year, &month, NULL);
        return (int64_t) year * 12 + month - 1;
}

/* The 1st of month index @mi, clamped to day_t: the months at the very ends
 * of day_t would otherwise wrap around in date_from_ymd(). */
static day_t lapse_month_first(int64_t mi) {
        if (mi > lapse_month_index(INT32_MAX))
                return INT32_MAX;
        if (mi <= lapse_month_index(INT32_MIN))
                return INT32_MIN;
        return date_from_ymd((int) lapse_floor_div(mi, 12), (int) (mi - lapse_floor_div(mi, 12) * 12) + 1, 1);
}

/* An invalid unit or n = 0 reads as one day, so lapse_period_containing()
 * still answers; lapse_compute() refuses both before it gets here. */
static LapseGrid lapse_grid(const LapseInput *in, day_t start) {
        int64_t n = in->every.n > 0 ? in->every.n : 1;

        switch (in->every.unit) {
        case EVERY_WEEK: {
                /* Not period_week(): the week holding the earliest days
                 * begins before the first day_t. */
                int64_t offset = ((int64_t) date_weekday(start) - in->week_start + 7) % 7;
                return (LapseGrid){ EVERY_WEEK, n * 7, (int64_t) start - offset };
        }
        case EVERY_MONTH:
                return (LapseGrid){ EVERY_MONTH, n, lapse_month_index(start) };
        case EVERY_DAY:
        default:
                return (LapseGrid){ EVERY_DAY, n, start };
        }
}

/* The index of the period containing @day; negative before the start's period. */
static int64_t lapse_grid_index(const LapseGrid *g, day_t day) {
        if (g->unit == EVERY_MONTH)
                return lapse_floor_div(lapse_month_index(day) - g->anchor, g->len);
        return lapse_floor_div((int64_t) day - g->anchor, g->len);
}

static Period lapse_grid_period(const LapseGrid *g, int64_t index) {
        int64_t first = g->anchor + index * g->len;

        if (g->unit == EVERY_MONTH) {
                day_t next = lapse_month_first(first + g->len);
                return (Period){ lapse_month_first(first), next == INT32_MAX ? INT32_MAX : next - 1 };
        }
        return (Period){ lapse_clamp_day(first), lapse_clamp_day(first + g->len - 1) };
}

bool lapse_habit_start(const LapseInput *in, day_t *ret) {
        day_t start;

        if (in->has_since)
                start = in->since;
        else if (in->n_checkins > 0)
                start = in->checkins[0];
        else
                return false;
        if (ret)
                *ret = start;
        return true;
}

/* A habit that has not started is aligned as if it started on @day. */
Period lapse_period_containing(const LapseInput *in, day_t day) {
        day_t start;
        LapseGrid g;

        if (!lapse_habit_start(in, &start))
                start = day;
        g = lapse_grid(in, start);
        return lapse_grid_period(&g, lapse_grid_index(&g, day));
}

static bool lapse_input_valid(const LapseInput *in) {
        if (in->times == 0 || in->lapse_after == 0 || in->every.n == 0)
                return false;
        if (in->every.unit != EVERY_DAY && in->every.unit != EVERY_WEEK && in->every.unit != EVERY_MONTH)
                return false;
        return (in->checkins || in->n_checkins == 0) && (in->skips || in->n_skips == 0) &&
               (in->pauses || in->n_pauses == 0);
}

/* Check-ins are counted up to @to only: the open period has not had them yet. */
static unsigned lapse_count_checkins(LapseWalk *w, Period p, HabitReport *ret) {
        const LapseInput *in = w->in;
        day_t last = p.end < w->to ? p.end : w->to;
        unsigned n = 0;

        while (w->checkin < in->n_checkins && in->checkins[w->checkin] <= last) {
                ret->has_last_done = true;
                ret->last_done = in->checkins[w->checkin];
                if (n < UINT_MAX)
                        n++;
                w->checkin++;
        }
        return n;
}

static bool lapse_has_skip(LapseWalk *w, Period p) {
        const LapseInput *in = w->in;
        bool found = false;

        while (w->skip < in->n_skips && in->skips[w->skip] <= p.end) {
                found = true;
                w->skip++;
        }
        return found;
}

/* Pauses come sorted by start, so every pause begun by the period's end has
 * been seen; one of them reaches into the period iff the latest end among
 * them does. Only the part of the period from the habit's start counts. */
static bool lapse_is_paused(LapseWalk *w, Period p) {
        const LapseInput *in = w->in;
        day_t from = p.start > w->start ? p.start : w->start;

        while (w->pause < in->n_pauses && in->pauses[w->pause].from <= p.end) {
                const LapsePause *pause = &in->pauses[w->pause++];

                if (pause->to < pause->from)
                        continue; /* empty: covers nothing */
                if (!w->any_pause || pause->to > w->pause_max_to)
                        w->pause_max_to = pause->to;
                w->any_pause = true;
        }
        return w->any_pause && w->pause_max_to >= from;
}

static PeriodFate lapse_fate(LapseWalk *w, Period p, unsigned checkins) {
        /* Consume the skips and pauses of an open period too, so the cursors
         * stay in step whatever its fate. */
        bool skipped = lapse_has_skip(w, p);
        bool paused = lapse_is_paused(w, p);

        if (p.end > w->to)
                return PERIOD_OPEN;
        if (checkins >= w->in->times)
                return PERIOD_MET;
        if (skipped)
                return PERIOD_SKIPPED;
        if (paused)
                return PERIOD_PAUSED;
        return PERIOD_MISSED;
}

/* Loop Habit Tracker's daily multiplier compounded over the period's days.
 * Months differ in length, so it is cached per length rather than once. */
static double lapse_multiplier(LapseWalk *w, Period p) {
        int64_t days = (int64_t) p.end - p.start + 1;

        if (days != w->multiplier_days) {
                double per_day = pow(0.5, sqrt((double) w->in->times / (double) days) / 13.0);

                w->multiplier = pow(per_day, (double) days);
                w->multiplier_days = days;
        }
        return w->multiplier;
}

static int lapse_push(LapseWalk *w, HabitReport *ret, Lapse lapse) {
        if (ret->n_lapses == w->lapses_allocated) {
                size_t n = w->lapses_allocated ? w->lapses_allocated * 2 : 4;
                Lapse *lapses = reallocarray(ret->lapses, n, sizeof(Lapse));

                if (!lapses)
                        return -ENOMEM;
                ret->lapses = lapses;
                w->lapses_allocated = n;
        }
        ret->lapses[ret->n_lapses++] = lapse;
        return 0;
}

/* Extends or ends the run of missed periods; a run long enough to be a
 * lapse is recorded when it ends, if part of it lies in the range. */
static int lapse_run_step(LapseWalk *w, HabitReport *ret, Period p, PeriodFate fate, unsigned checkins) {
        bool ends_run = fate == PERIOD_MET || fate == PERIOD_SKIPPED || fate == PERIOD_PAUSED ||
                        (fate == PERIOD_OPEN && checkins >= w->in->times);
        int r;

        if (fate == PERIOD_MISSED) {
                if (w->run_missed == 0) {
                        w->run_from = p.start;
                        w->run_in_range = false;
                }
                w->run_missed++;
                if (p.end >= w->range_from)
                        w->run_in_range = true;
                return 0;
        }
        if (!ends_run)
                return 0;
        if (w->run_missed >= w->in->lapse_after && w->run_in_range) {
                r = lapse_push(w, ret, (Lapse){ .from = w->run_from, .to = p.start - 1, .missed = w->run_missed });
                if (r < 0)
                        return r;
        }
        w->run_missed = 0;
        return 0;
}

/* Streaks, strength and the in-range tallies: everything but lapses. */
static void lapse_score_step(LapseWalk *w, HabitReport *ret, Period p, PeriodFate fate, bool in_range) {
        double m;

        if (fate == PERIOD_OPEN)
                return;
        w->any_finished = true;
        w->last_finished_missed = fate == PERIOD_MISSED;
        if (fate == PERIOD_MET || fate == PERIOD_MISSED) {
                m = lapse_multiplier(w, p);
                ret->strength = ret->strength * m + (fate == PERIOD_MET ? 1.0 - m : 0.0);
        }
        if (fate == PERIOD_MET)
                w->streak++;
        else if (fate == PERIOD_MISSED)
                w->streak = 0;
        if (!in_range)
                return;
        switch (fate) {
        case PERIOD_MET:
                ret->met++;
                w->range_streak++;
                break;
        case PERIOD_SKIPPED:
                ret->skipped++;
                break;
        case PERIOD_PAUSED:
                ret->paused++;
                break;
        default:
                ret->missed++;
                w->range_streak = 0;
                break;
        }
        if (w->range_streak > ret->longest_streak)
                ret->longest_streak = w->range_streak;
}

static bool lapse_paused_on(const LapseInput *in, day_t day) {
        for (size_t i = 0; i < in->n_pauses; i++)
                if (in->pauses[i].from <= day && day <= in->pauses[i].to)
                        return true;
        return false;
}

/* What is left once every period has been seen: the ongoing lapse, the
 * streaks that include a met open period, adherence and status. */
static int lapse_finish(LapseWalk *w, HabitReport *ret, bool open_met) {
        int r;

        if (w->run_missed >= w->in->lapse_after) {
                ret->lapsed = true;
                ret->lapsed_since = w->run_from;
                if (w->run_in_range) {
                        r = lapse_push(w, ret,
                                       (Lapse){ .from = w->run_from, .ongoing = true, .missed = w->run_missed });
                        if (r < 0)
                                return r;
                }
        }
        ret->current_streak = w->streak + open_met;
        if (w->range_streak + open_met > ret->longest_streak)
                ret->longest_streak = w->range_streak + open_met;
        if (ret->met + ret->missed > 0) {
                ret->has_adherence = true;
                ret->adherence = (double) ret->met / (double) (ret->met + ret->missed);
        }
        if (lapse_paused_on(w->in, w->to))
                ret->status = HABIT_PAUSED;
        else if (ret->lapsed)
                ret->status = HABIT_LAPSED;
        else if (w->last_finished_missed)
                ret->status = HABIT_AT_RISK;
        else if (!w->any_finished)
                ret->status = HABIT_NEW;
        else
                ret->status = HABIT_OK;
        return 0;
}

/* Skips the check-ins and skips before the start: nothing before counts. */
static void lapse_walk_init(LapseWalk *w, const LapseInput *in, day_t start, day_t range_from, day_t to) {
        *w = (LapseWalk){ .in = in, .start = start, .range_from = range_from, .to = to, .multiplier_days = -1 };
        while (w->checkin < in->n_checkins && in->checkins[w->checkin] < start)
                w->checkin++;
        while (w->skip < in->n_skips && in->skips[w->skip] < start)
                w->skip++;
}

static int lapse_walk(const LapseInput *in, day_t start, day_t range_from, day_t to, HabitReport *ret) {
        LapseGrid g = lapse_grid(in, start);
        int64_t count = start > to ? 0 : lapse_grid_index(&g, to) + 1;
        int64_t first_listed = lapse_grid_index(&g, range_from);
        bool open_met = false;
        LapseWalk w;
        int r;

        if (count > LAPSE_PERIODS_MAX)
                return -E2BIG;
        if (first_listed < 0)
                first_listed = 0;
        if (count > first_listed) {
                ret->periods = calloc((size_t) (count - first_listed), sizeof(HabitPeriod));
                if (!ret->periods)
                        return -ENOMEM;
        }
        lapse_walk_init(&w, in, start, range_from, to);
        for (int64_t k = 0; k < count; k++) {
                Period p = lapse_grid_period(&g, k);
                unsigned checkins = lapse_count_checkins(&w, p, ret);
                PeriodFate fate = lapse_fate(&w, p, checkins);

                if (k >= first_listed)
                        ret->periods[ret->n_periods++] = (HabitPeriod){ p, checkins, fate };
                r = lapse_run_step(&w, ret, p, fate, checkins);
                if (r < 0)
                        return r;
                lapse_score_step(&w, ret, p, fate, k >= first_listed);
                open_met = fate == PERIOD_OPEN && checkins >= in->times;
        }
        return lapse_finish(&w, ret, open_met);
}

int lapse_compute(const LapseInput *in, day_t range_from, day_t to, HabitReport *ret) {
        day_t start;
        int r;

        if (!ret)
                return -EINVAL;
        *ret = (HabitReport){ .status = HABIT_NEW };
        if (!in || to < range_from || !lapse_input_valid(in))
                return -EINVAL;
        if (!lapse_habit_start(in, &start))
                return 0;
        ret->started = true;
        ret->start = start;
        r = lapse_walk(in, start, range_from, to, ret);
        if (r < 0) {
                habit_report_done(ret);
                return r;
        }
        return 0;
}

void habit_report_done(HabitReport *r) {
        if (!r)
                return;
        free(r->periods);
        free(r->lapses);
        *r = (HabitReport){ .status = HABIT_NEW };
}

static const char *const period_fate_table[] = {
        [PERIOD_MET] = "met",       [PERIOD_SKIPPED] = "skipped", [PERIOD_PAUSED] = "paused",
        [PERIOD_MISSED] = "missed", [PERIOD_OPEN] = "open",
};

static const char *const habit_status_table[] = {
        [HABIT_OK] = "ok",         [HABIT_AT_RISK] = "at-risk", [HABIT_LAPSED] = "lapsed",
        [HABIT_PAUSED] = "paused", [HABIT_NEW] = "new",
};

/* NULL for a value outside the enum, like review_kind_to_string(). */
const char *period_fate_to_string(PeriodFate f) {
        if ((unsigned) f >= sizeof(period_fate_table) / sizeof(period_fate_table[0]))
                return NULL;
        return period_fate_table[f];
}

const char *habit_status_to_string(HabitStatus s) {
        if ((unsigned) s >= sizeof(habit_status_table) / sizeof(habit_status_table[0]))
                return NULL;
        return habit_status_table[s];
}
