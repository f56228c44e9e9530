/* The period engine. One pass over a habit's periods, oldest first, with a
 * cursor into each sorted input list, so a history costs O(periods +
 * check-ins + skips + pauses) however long the habit has been kept.
 *
 * Periods are addressed by index from the period that contains the habit's
 * start (index 0), and every boundary is computed from that index in 64 bits
 * rather than by stepping from the previous one, so month lengths never drift
 * and no day near the ends of day_t can overflow. */
#include "periods.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "words.h"

/* Where a habit's periods fall: @len days (or months) from @anchor, which is
 * a day (EVERY_DAY, EVERY_WEEK) or a month index, year * 12 + month - 1
 * (EVERY_MONTH). */
typedef struct {
        EveryUnit unit;
        int64_t len;
        int64_t anchor;
} PeriodGrid;

/* The state carried from one period to the next during periods_compute(). */
typedef struct {
        const HabitInput *in;
        unsigned times;
        day_t start, to;
        int64_t over;                /* the last day that is over; today - 1 may come before the first day_t */
        size_t checkin, skip, pause; /* cursors: the first entry not yet consumed */
        bool any_pause;
        day_t pause_max_to;      /* latest end among pauses begun so far */
        int64_t multiplier_days; /* the period length the cached multiplier is for */
        double multiplier;
        unsigned run_missed; /* the current run of missed periods */
        day_t run_from;
        unsigned streak;
        size_t lapses_allocated;
} PeriodWalk;

static int64_t floor_div(int64_t a, int64_t b) {
        int64_t q = a / b;

        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static day_t clamp_day(int64_t day) {
        if (day < INT32_MIN)
                return INT32_MIN;
        if (day > INT32_MAX)
                return INT32_MAX;
        return (day_t) day;
}

static int64_t month_index(day_t day) {
        int year, month;

        date_to_ymd(day, &year, &month, NULL);
        return (int64_t) year * 12 + month - 1;
}

/* The 1st of month index @mi, clamped to day_t: the months at the very ends
 * of day_t would otherwise wrap around in date_from_ymd(). */
static day_t month_first(int64_t mi) {
        if (mi > month_index(INT32_MAX))
                return INT32_MAX;
        if (mi <= month_index(INT32_MIN))
                return INT32_MIN;
        return date_from_ymd((int) floor_div(mi, 12), (int) (mi - floor_div(mi, 12) * 12) + 1, 1);
}

Every habit_every(const HabitInput *in) {
        switch (in->kind) {
        case HABIT_WEEKLY_REVIEW:
                return (Every){ EVERY_WEEK, 1 };
        case HABIT_HALFYEAR_REVIEW:
                return (Every){ EVERY_MONTH, 6 };
        default:
                return in->every;
        }
}

/* An invalid unit or n = 0 reads as one day, so habit_period_containing()
 * still answers; periods_compute() refuses both before it gets here. */
static PeriodGrid period_grid(const HabitInput *in, day_t start) {
        Every every = habit_every(in);
        int64_t n = every.n > 0 ? every.n : 1;

        switch (every.unit) {
        case EVERY_WEEK: {
                /* Not period_week(): the week holding the earliest days
                 * begins before the first day_t. */
                int64_t offset = ((int64_t) date_weekday(start) - in->week_start + 7) % 7;
                return (PeriodGrid){ EVERY_WEEK, n * 7, (int64_t) start - offset };
        }
        case EVERY_MONTH:
                return (PeriodGrid){ EVERY_MONTH, n, month_index(start) };
        case EVERY_DAY:
        default:
                return (PeriodGrid){ EVERY_DAY, n, start };
        }
}

/* The index of the period containing @day; negative before the start's period. */
static int64_t grid_index(const PeriodGrid *g, day_t day) {
        if (g->unit == EVERY_MONTH)
                return floor_div(month_index(day) - g->anchor, g->len);
        return floor_div((int64_t) day - g->anchor, g->len);
}

static Period grid_period(const PeriodGrid *g, int64_t index) {
        int64_t first = g->anchor + index * g->len;

        if (g->unit == EVERY_MONTH) {
                day_t next = month_first(first + g->len);
                return (Period){ month_first(first), next == INT32_MAX ? INT32_MAX : next - 1 };
        }
        return (Period){ clamp_day(first), clamp_day(first + g->len - 1) };
}

/* A half-year review's periods are the calendar's halves, whatever day it
 * started on: a 6-month grid from 15 March would review March-August. */
static day_t align_start(const HabitInput *in, day_t start) {
        return in->kind == HABIT_HALFYEAR_REVIEW ? period_halfyear(start).start : start;
}

bool habit_start(const HabitInput *in, day_t *ret) {
        day_t start;

        if (in->has_since)
                start = in->since;
        else if (in->n_checkins > 0)
                start = in->checkins[0].day;
        else
                return false;
        if (ret)
                *ret = align_start(in, start);
        return true;
}

Period habit_period_containing(const HabitInput *in, day_t day) {
        day_t start;
        PeriodGrid g;

        if (!habit_start(in, &start))
                start = align_start(in, day);
        g = period_grid(in, start);
        return grid_period(&g, grid_index(&g, day));
}

static bool input_valid(const HabitInput *in) {
        Every every = habit_every(in);

        if (in->times == 0 || in->lapse_after == 0 || every.n == 0)
                return false;
        if (every.unit != EVERY_DAY && every.unit != EVERY_WEEK && every.unit != EVERY_MONTH)
                return false;
        return (in->checkins || in->n_checkins == 0) && (in->skips || in->n_skips == 0) &&
               (in->pauses || in->n_pauses == 0);
}

/* Check-ins are counted up to @to only: later ones had not happened yet. */
static unsigned count_checkins(PeriodWalk *w, Period p, HabitHistory *ret) {
        const HabitInput *in = w->in;
        day_t last = p.end < w->to ? p.end : w->to;
        unsigned n = 0;

        while (w->checkin < in->n_checkins && in->checkins[w->checkin].day <= last) {
                ret->has_last_done = true;
                ret->last_done = in->checkins[w->checkin].day;
                ret->checkins++;
                if (n < UINT_MAX)
                        n++;
                w->checkin++;
        }
        return n;
}

static bool has_skip(PeriodWalk *w, Period p) {
        const HabitInput *in = w->in;
        day_t last = p.end < w->to ? p.end : w->to;
        bool found = false;

        while (w->skip < in->n_skips && in->skips[w->skip].day <= last) {
                found = true;
                w->skip++;
        }
        return found;
}

/* Pauses come sorted by start, so every pause begun by the period's end has
 * been seen; one of them reaches into the period iff the latest end among
 * them does. Only the part of the period from the habit's start counts. */
static bool is_paused(PeriodWalk *w, Period p) {
        const HabitInput *in = w->in;
        day_t from = p.start > w->start ? p.start : w->start;

        while (w->pause < in->n_pauses && in->pauses[w->pause].from <= p.end) {
                const HabitPause *pause = &in->pauses[w->pause++];

                if (pause->to < pause->from)
                        continue; /* empty: covers nothing */
                if (!w->any_pause || pause->to > w->pause_max_to)
                        w->pause_max_to = pause->to;
                w->any_pause = true;
        }
        return w->any_pause && w->pause_max_to >= from;
}

static PeriodFate period_fate(PeriodWalk *w, Period p, unsigned checkins) {
        /* Consume the skips and pauses of an open period too, so the cursors
         * stay in step whatever its fate. */
        bool skipped = has_skip(w, p);
        bool paused = is_paused(w, p);

        if (p.end > w->over)
                return PERIOD_OPEN;
        if (checkins >= w->times)
                return PERIOD_MET;
        if (skipped)
                return PERIOD_SKIPPED;
        if (paused)
                return PERIOD_PAUSED;
        return PERIOD_MISSED;
}

/* Loop Habit Tracker's daily multiplier compounded over the period's days.
 * Months differ in length, so it is cached per length rather than once. */
static double period_multiplier(PeriodWalk *w, Period p) {
        int64_t days = (int64_t) p.end - p.start + 1;

        if (days != w->multiplier_days) {
                double per_day = pow(0.5, sqrt((double) w->times / (double) days) / 13.0);

                w->multiplier = pow(per_day, (double) days);
                w->multiplier_days = days;
        }
        return w->multiplier;
}

static int lapse_push(PeriodWalk *w, HabitHistory *ret, Lapse lapse) {
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
 * lapse is recorded when it ends. */
static int run_step(PeriodWalk *w, HabitHistory *ret, Period p, PeriodFate fate, unsigned checkins) {
        bool ends_run = fate == PERIOD_MET || fate == PERIOD_SKIPPED || fate == PERIOD_PAUSED ||
                        (fate == PERIOD_OPEN && checkins >= w->times);
        int r;

        if (fate == PERIOD_MISSED) {
                if (w->run_missed == 0)
                        w->run_from = p.start;
                w->run_missed++;
                return 0;
        }
        if (!ends_run)
                return 0;
        if (w->run_missed >= w->in->lapse_after) {
                r = lapse_push(w, ret, (Lapse){ .from = w->run_from, .to = p.start - 1, .missed = w->run_missed });
                if (r < 0)
                        return r;
        }
        w->run_missed = 0;
        return 0;
}

/* Streaks and strength. */
static void score_step(PeriodWalk *w, HabitHistory *ret, Period p, PeriodFate fate, unsigned checkins) {
        double m;

        if (fate == PERIOD_MET || fate == PERIOD_MISSED) {
                m = period_multiplier(w, p);
                ret->strength = ret->strength * m + (fate == PERIOD_MET ? 1.0 - m : 0.0);
        }
        if (fate == PERIOD_MET || (fate == PERIOD_OPEN && checkins >= w->times))
                w->streak++;
        else if (fate == PERIOD_MISSED)
                w->streak = 0;
        if (w->streak > ret->longest_streak)
                ret->longest_streak = w->streak;
        ret->current_streak = w->streak;
}

/* Skips the check-ins and skips before the start: nothing before counts. */
static void walk_init(PeriodWalk *w, const HabitInput *in, day_t start, day_t to, day_t today) {
        *w = (PeriodWalk){
                .in = in,
                .times = in->times,
                .start = start,
                .to = to,
                .over = to < today ? to : (int64_t) today - 1,
                .multiplier_days = -1,
        };
        while (w->checkin < in->n_checkins && in->checkins[w->checkin].day < start)
                w->checkin++;
        while (w->skip < in->n_skips && in->skips[w->skip].day < start)
                w->skip++;
}

static int periods_walk(const HabitInput *in, day_t start, day_t to, day_t today, HabitHistory *ret) {
        PeriodGrid g = period_grid(in, start);
        int64_t count = start > to ? 0 : grid_index(&g, to) + 1;
        PeriodWalk w;
        int r;

        if (count > PERIODS_MAX)
                return -E2BIG;
        if (count > 0) {
                ret->periods = calloc((size_t) count, sizeof(HabitPeriod));
                if (!ret->periods)
                        return -ENOMEM;
        }
        walk_init(&w, in, start, to, today);
        for (int64_t k = 0; k < count; k++) {
                Period p = grid_period(&g, k);
                unsigned checkins = count_checkins(&w, p, ret);
                PeriodFate fate = period_fate(&w, p, checkins);

                ret->periods[ret->n_periods++] = (HabitPeriod){ p, checkins, fate };
                if (fate == PERIOD_OPEN) {
                        ret->has_open = true;
                        ret->open = ret->periods[ret->n_periods - 1];
                }
                r = run_step(&w, ret, p, fate, checkins);
                if (r < 0)
                        return r;
                score_step(&w, ret, p, fate, checkins);
        }
        if (w.run_missed >= in->lapse_after)
                return lapse_push(&w, ret, (Lapse){ .from = w.run_from, .ongoing = true, .missed = w.run_missed });
        return 0;
}

int periods_compute(const HabitInput *in, day_t to, day_t today, HabitHistory *ret) {
        day_t start;
        int r;

        if (!ret)
                return -EINVAL;
        *ret = (HabitHistory){};
        if (!in || to > today || !input_valid(in))
                return -EINVAL;
        if (!habit_start(in, &start) || start > to) {
                /* Not started by @to: the period it would be in, empty. */
                HabitInput fresh = *in;

                fresh.has_since = false;
                fresh.n_checkins = 0;
                ret->has_open = true;
                ret->open = (HabitPeriod){ habit_period_containing(&fresh, to), 0, PERIOD_OPEN };
                return 0;
        }
        ret->started = true;
        ret->start = start;
        r = periods_walk(in, start, to, today, ret);
        if (r < 0) {
                habit_history_done(ret);
                return r;
        }
        return 0;
}

void habit_history_done(HabitHistory *h) {
        if (!h)
                return;
        free(h->periods);
        free(h->lapses);
        *h = (HabitHistory){};
}

static const char *const period_fate_table[_PERIOD_FATE_MAX] = {
        [PERIOD_MET] = WORD_FATE_MET,       [PERIOD_SKIPPED] = WORD_FATE_SKIPPED, [PERIOD_PAUSED] = WORD_FATE_PAUSED,
        [PERIOD_MISSED] = WORD_FATE_MISSED, [PERIOD_OPEN] = WORD_FATE_OPEN,
};

const char *period_fate_to_string(PeriodFate f) {
        return (unsigned) f < _PERIOD_FATE_MAX ? period_fate_table[f] : NULL;
}
