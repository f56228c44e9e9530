/* Unit tests for daemon/core/periods.c, seen through the view that every
 * caller reads (habit-view.h): period alignment, each period's fate, lapses,
 * streaks, adherence, strength and status, one rule at a time.
 *
 * Most tests look at a range "at the end of @to": today is the day after,
 * so a period ending on @to is finished, which is what the old
 * lapse_compute(in, from, to) meant by @to. Where a test passes today = @to
 * it says so: then today is in progress and its period is open. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "habit-view.h"
#include "periods.h"
#include "util.h"

/* Monday 2 January 2023: week k of most tests is [W0 + 7k, W0 + 7k + 6]. */
#define W0 ymd(2023, 1, 2)

static day_t ymd(int y, int m, int d) {
        return date_from_ymd(y, m, d);
}

static day_t week_day(int week, int day) {
        return W0 + 7 * week + day;
}

static HabitInput weekly_since(day_t since) {
        return (HabitInput){
                .name = "walk",
                .kind = HABIT_PLAIN,
                .every = { EVERY_WEEK, 1 },
                .times = 1,
                .lapse_after = 2,
                .has_since = true,
                .since = since,
                .week_start = WEEK_START_MONDAY,
        };
}

static void assert_period(Period p, day_t start, day_t end) {
        assert_int_equal(p.start, start);
        assert_int_equal(p.end, end);
}

/* The view of [from, to] seen at the end of @to: today is the next day. */
static void view_after(const HabitInput *in, day_t from, day_t to, HabitView *v) {
        assert_int_equal(habit_view_compute(in, from, to, to + 1, v), 0);
}

/* The weekly multiplier the header specifies, written out the long way. */
static double weekly_multiplier(unsigned times) {
        return pow(pow(0.5, sqrt(times / 7.0) / 13.0), 7.0);
}

/* A weekly habit since W0 whose weeks 0..n-1 follow @pattern: 'M' a
 * check-in, 'X' nothing, 'S' a skip, 'P' a pause; the range ends on the
 * last day of the last week (or @open_day days into one more week if >= 0,
 * with a check-in there if @open_met), seen at the end of that day. */
typedef struct {
        HabitEvent checkins[64];
        HabitEvent skips[64];
        HabitPause pauses[64];
        HabitInput in;
        day_t to;
} WeekStory;

static void week_story(WeekStory *s, const char *pattern, unsigned lapse_after, int open_day, bool open_met) {
        int n = (int) strlen(pattern);

        memset(s, 0, sizeof(*s));
        s->in = weekly_since(W0);
        s->in.lapse_after = lapse_after;
        for (int k = 0; k < n; k++) {
                if (pattern[k] == 'M')
                        s->checkins[s->in.n_checkins++] = (HabitEvent){ week_day(k, 2), NULL };
                else if (pattern[k] == 'S')
                        s->skips[s->in.n_skips++] = (HabitEvent){ week_day(k, 2), NULL };
                else if (pattern[k] == 'P')
                        s->pauses[s->in.n_pauses++] = (HabitPause){ week_day(k, 1), week_day(k, 3), "ill" };
        }
        if (open_day >= 0 && open_met)
                s->checkins[s->in.n_checkins++] = (HabitEvent){ week_day(n, 0), NULL };
        s->in.checkins = s->checkins;
        s->in.skips = s->skips;
        s->in.pauses = s->pauses;
        s->to = open_day >= 0 ? week_day(n, open_day) : week_day(n - 1, 6);
}

static void story_compute(WeekStory *s, day_t range_from, HabitView *v) {
        view_after(&s->in, range_from, s->to, v);
}

static void test_strings(void **state) {
        (void) state;

        assert_string_equal(period_fate_to_string(PERIOD_MET), "met");
        assert_string_equal(period_fate_to_string(PERIOD_SKIPPED), "skipped");
        assert_string_equal(period_fate_to_string(PERIOD_PAUSED), "paused");
        assert_string_equal(period_fate_to_string(PERIOD_MISSED), "missed");
        assert_string_equal(period_fate_to_string(PERIOD_OPEN), "open");
        assert_null(period_fate_to_string((PeriodFate) 99));
        assert_null(period_fate_to_string(_PERIOD_FATE_MAX));
        assert_string_equal(habit_status_to_string(HABIT_OK), "ok");
        assert_string_equal(habit_status_to_string(HABIT_AT_RISK), "at-risk");
        assert_string_equal(habit_status_to_string(HABIT_LAPSED), "lapsed");
        assert_string_equal(habit_status_to_string(HABIT_PAUSED), "paused");
        assert_string_equal(habit_status_to_string(HABIT_NEW), "new");
        assert_null(habit_status_to_string((HabitStatus) -1));
}

static void test_habit_start(void **state) {
        (void) state;
        HabitEvent checkins[] = { { week_day(1, 0), NULL }, { week_day(2, 0), NULL } };
        HabitInput in = weekly_since(week_day(3, 0));
        day_t start = 0;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        assert_true(habit_start(&in, &start));
        assert_int_equal(start, week_day(3, 0)); /* since wins over check-ins */
        in.has_since = false;
        assert_true(habit_start(&in, &start));
        assert_int_equal(start, week_day(1, 0));
        in.n_checkins = 0;
        assert_false(habit_start(&in, &start));
}

static void test_not_started(void **state) {
        (void) state;
        HabitInput in = weekly_since(W0);
        const HabitPeriod *open;
        HabitView v;

        in.has_since = false;
        view_after(&in, W0, W0 + 100, &v);
        assert_false(v.history.started);
        assert_int_equal(v.history.n_periods, 0);
        assert_null(v.history.periods);
        assert_int_equal(v.n_periods, 0);
        assert_int_equal(v.finished, 0);
        assert_int_equal(v.status, HABIT_NEW);
        /* New: the period it would be in, as if it started on @to, is open. */
        assert_true(habit_view_open(&v, &open));
        assert_period(open->period, week_day(14, 0), week_day(14, 6));
        assert_int_equal(open->fate, PERIOD_OPEN);
        assert_int_equal(open->checkins, 0);
        habit_view_done(&v);
        habit_view_done(NULL);
        habit_history_done(NULL);
}

static void test_invalid(void **state) {
        (void) state;
        HabitInput in = weekly_since(W0);
        HabitHistory h;
        HabitView v;

        assert_int_equal(habit_view_compute(&in, W0 + 10, W0 + 9, W0 + 10, &v), -EINVAL);
        assert_null(v.history.periods);
        /* New: @to cannot be after today, in the view or the history. */
        assert_int_equal(habit_view_compute(&in, W0, W0 + 9, W0 + 8, &v), -EINVAL);
        assert_null(v.history.periods);
        assert_int_equal(periods_compute(&in, W0 + 9, W0 + 8, &h), -EINVAL);
        assert_null(h.periods);
        assert_int_equal(periods_compute(&in, W0 + 9, W0 + 9, NULL), -EINVAL);
        in.times = 0;
        assert_int_equal(habit_view_compute(&in, W0, W0 + 9, W0 + 10, &v), -EINVAL);
        in = weekly_since(W0);
        in.lapse_after = 0;
        assert_int_equal(habit_view_compute(&in, W0, W0 + 9, W0 + 10, &v), -EINVAL);
        in = weekly_since(W0);
        in.every.n = 0;
        assert_int_equal(habit_view_compute(&in, W0, W0 + 9, W0 + 10, &v), -EINVAL);
        in = weekly_since(W0);
        in.every.unit = (EveryUnit) 7;
        assert_int_equal(habit_view_compute(&in, W0, W0 + 9, W0 + 10, &v), -EINVAL);
        in = weekly_since(W0);
        in.n_checkins = 3; /* with no array */
        assert_int_equal(habit_view_compute(&in, W0, W0 + 9, W0 + 10, &v), -EINVAL);
        assert_int_equal(habit_view_compute(NULL, W0, W0 + 9, W0 + 10, &v), -EINVAL);
        assert_int_equal(periods_compute(NULL, W0 + 9, W0 + 10, &h), -EINVAL);
        habit_view_done(&v);
        habit_history_done(&h);
}

static void test_too_many_periods(void **state) {
        (void) state;
        HabitInput in = weekly_since(ymd(1400, 1, 1));
        HabitView v;

        in.every = (Every){ EVERY_DAY, 1 };
        assert_int_equal(habit_view_compute(&in, ymd(2023, 1, 1), ymd(2023, 12, 31), ymd(2024, 1, 1), &v), -E2BIG);
        assert_null(v.history.periods);
        /* 200000 days back is exactly the limit; one more is refused. */
        in.since = ymd(2023, 12, 31) - PERIODS_MAX + 1;
        view_after(&in, ymd(2023, 12, 1), ymd(2023, 12, 31), &v);
        assert_int_equal(v.missed, 31);
        assert_int_equal(v.history.n_periods, PERIODS_MAX);
        habit_view_done(&v);
        in.since--;
        assert_int_equal(habit_view_compute(&in, ymd(2023, 12, 1), ymd(2023, 12, 31), ymd(2024, 1, 1), &v), -E2BIG);
        in.since = INT32_MIN;
        assert_int_equal(habit_view_compute(&in, INT32_MIN, INT32_MAX, INT32_MAX, &v), -E2BIG);
}

static void test_since_after_to(void **state) {
        (void) state;
        HabitInput in = weekly_since(W0 + 30);
        const HabitPeriod *open;
        HabitView v;

        view_after(&in, W0, W0 + 10, &v);
        /* Changed on purpose: a habit whose since is after @to is not
         * started by then, like one with no since at all (the old
         * HabitReport said started, with no periods); only the period it
         * would be in is set. */
        assert_false(v.history.started);
        assert_int_equal(v.history.n_periods, 0);
        assert_int_equal(v.n_periods, 0);
        assert_true(habit_view_open(&v, &open));
        assert_period(open->period, week_day(1, 0), week_day(1, 6));
        assert_false(v.has_adherence);
        assert_false(v.history.has_last_done);
        assert_int_equal(v.status, HABIT_NEW);
        habit_view_done(&v);
}

static void test_classification(void **state) {
        (void) state;
        HabitEvent checkins[] = { { week_day(0, 1), NULL }, { week_day(4, 1), NULL } };
        HabitEvent skips[] = { { week_day(1, 2), NULL } };
        HabitPause pauses[] = { { week_day(2, 3), week_day(2, 4), "flu" } };
        HabitInput in = weekly_since(W0);
        const HabitPeriod *open;
        HabitView v;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        in.skips = skips;
        in.n_skips = ELEMENTSOF(skips);
        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        view_after(&in, W0, week_day(4, 2), &v);
        assert_int_equal(v.n_periods, 5);
        assert_int_equal(v.history.n_periods, 5);
        assert_int_equal(v.periods[0].fate, PERIOD_MET);
        assert_int_equal(v.periods[0].checkins, 1);
        assert_int_equal(v.periods[1].fate, PERIOD_SKIPPED);
        assert_int_equal(v.periods[2].fate, PERIOD_PAUSED);
        assert_int_equal(v.periods[3].fate, PERIOD_MISSED);
        assert_int_equal(v.periods[4].fate, PERIOD_OPEN);
        assert_int_equal(v.periods[4].checkins, 1);
        assert_true(habit_view_open(&v, &open));
        assert_period(open->period, week_day(4, 0), week_day(4, 6));
        assert_int_equal(open->checkins, 1);
        for (int k = 0; k < 5; k++)
                assert_period(v.periods[k].period, week_day(k, 0), week_day(k, 6));
        /* The open period is in no tally, even though it is already met. */
        assert_int_equal(v.met, 1);
        assert_int_equal(v.skipped, 1);
        assert_int_equal(v.paused, 1);
        assert_int_equal(v.missed, 1);
        assert_int_equal(v.finished, 4);
        assert_true(v.has_adherence);
        assert_float_equal(v.adherence, 0.5, 1e-12);
        assert_true(v.history.has_last_done);
        assert_int_equal(v.history.last_done, week_day(4, 1));
        /* Changed on purpose: the last finished week was missed, but this
         * week is met already, so the slip is made good: ok, not at-risk. */
        assert_int_equal(v.status, HABIT_OK);
        assert_int_equal(v.n_lapses, 0);
        habit_view_done(&v);
}

static void test_precedence(void **state) {
        (void) state;
        /* times = 2. Week 0: met + paused; 1: skipped + paused; 2: met +
         * skipped; 3: one check-in + skipped; 4: one check-in + paused;
         * 5: one check-in. */
        HabitEvent checkins[] = { { week_day(0, 0), NULL }, { week_day(0, 1), NULL }, { week_day(2, 0), NULL },
                                  { week_day(2, 2), NULL }, { week_day(3, 2), NULL }, { week_day(4, 1), NULL },
                                  { week_day(5, 1), NULL } };
        HabitEvent skips[] = { { week_day(1, 1), NULL }, { week_day(2, 1), NULL }, { week_day(3, 1), NULL } };
        HabitPause pauses[] = { { week_day(0, 0), week_day(1, 6), NULL }, { week_day(4, 2), week_day(4, 2), NULL } };
        HabitInput in = weekly_since(W0);
        HabitView v;

        in.times = 2;
        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        in.skips = skips;
        in.n_skips = ELEMENTSOF(skips);
        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        view_after(&in, W0, week_day(5, 6), &v);
        assert_int_equal(v.n_periods, 6);
        assert_int_equal(v.periods[0].fate, PERIOD_MET);
        assert_int_equal(v.periods[1].fate, PERIOD_SKIPPED);
        assert_int_equal(v.periods[2].fate, PERIOD_MET);
        assert_int_equal(v.periods[3].fate, PERIOD_SKIPPED);
        assert_int_equal(v.periods[3].checkins, 1);
        assert_int_equal(v.periods[4].fate, PERIOD_PAUSED);
        assert_int_equal(v.periods[5].fate, PERIOD_MISSED);
        assert_int_equal(v.periods[5].checkins, 1);
        habit_view_done(&v);
}

static void test_repeat_checkins(void **state) {
        (void) state;
        HabitEvent checkins[] = { { week_day(0, 3), NULL }, { week_day(0, 3), NULL } };
        HabitInput in = weekly_since(W0);
        HabitView v;

        in.times = 2;
        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        view_after(&in, W0, week_day(0, 6), &v);
        assert_int_equal(v.periods[0].checkins, 2);
        assert_int_equal(v.periods[0].fate, PERIOD_MET);
        assert_int_equal(v.history.checkins, 2);
        habit_view_done(&v);
        in.times = 3;
        view_after(&in, W0, week_day(0, 6), &v);
        assert_int_equal(v.periods[0].fate, PERIOD_MISSED);
        habit_view_done(&v);
}

static void test_open_period(void **state) {
        (void) state;
        HabitEvent checkins[] = { { week_day(0, 3), NULL }, { week_day(1, 6), NULL } };
        HabitInput in = weekly_since(W0);
        const HabitPeriod *open;
        HabitView v;

        in.checkins = checkins;
        in.n_checkins = 1;
        /* Seen at the end of the period's last day: finished. */
        view_after(&in, W0, week_day(0, 6), &v);
        assert_int_equal(v.n_periods, 1);
        assert_int_equal(v.periods[0].fate, PERIOD_MET);
        assert_int_equal(v.status, HABIT_OK);
        assert_false(habit_view_open(&v, &open)); /* a past range ending on a period end */
        habit_view_done(&v);
        /* Changed on purpose: on that last day itself (to == today) the day
         * is in progress, so its period is open even though it ends today;
         * lapse_compute() judged it finished. */
        assert_int_equal(habit_view_compute(&in, W0, week_day(0, 6), week_day(0, 6), &v), 0);
        assert_int_equal(v.n_periods, 1);
        assert_int_equal(v.periods[0].fate, PERIOD_OPEN);
        assert_int_equal(v.finished, 0);
        assert_int_equal(v.status, HABIT_NEW);
        assert_int_equal(v.history.current_streak, 1);
        assert_true(habit_view_open(&v, &open));
        assert_int_equal(open->checkins, 1);
        habit_view_done(&v);
        /* ... and, without its check-in, still open, never missed today. */
        in.n_checkins = 0;
        assert_int_equal(habit_view_compute(&in, W0, week_day(0, 6), week_day(0, 6), &v), 0);
        assert_int_equal(v.periods[0].fate, PERIOD_OPEN);
        assert_int_equal(v.missed, 0);
        assert_int_equal(v.n_lapses, 0);
        assert_int_equal(v.status, HABIT_NEW);
        habit_view_done(&v);
        in.n_checkins = 1;
        /* A day earlier: open, met already, counted in no tally. */
        view_after(&in, W0, week_day(0, 5), &v);
        assert_int_equal(v.n_periods, 1);
        assert_int_equal(v.periods[0].fate, PERIOD_OPEN);
        assert_int_equal(v.met + v.missed + v.skipped + v.paused, 0);
        assert_false(v.has_adherence);
        assert_int_equal(v.status, HABIT_NEW);
        assert_int_equal(v.history.current_streak, 1);
        habit_view_done(&v);
        /* A past range ending mid-period leaves it open however late it is
         * seen: the days after @to are not part of the picture. */
        assert_int_equal(habit_view_compute(&in, W0, week_day(0, 5), week_day(9, 0), &v), 0);
        assert_int_equal(v.periods[0].fate, PERIOD_OPEN);
        assert_int_equal(v.finished, 0);
        assert_true(habit_view_open(&v, &open));
        habit_view_done(&v);
        /* An open period with no check-in yet is not missed, and a check-in
         * after @to is not seen. */
        in.checkins = checkins + 1;
        view_after(&in, W0, week_day(1, 5), &v);
        assert_int_equal(v.n_periods, 2);
        assert_int_equal(v.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(v.periods[1].fate, PERIOD_OPEN);
        assert_int_equal(v.periods[1].checkins, 0);
        assert_int_equal(v.missed, 1);
        assert_false(v.history.has_last_done);
        assert_int_equal(v.history.checkins, 0);
        assert_int_equal(v.status, HABIT_AT_RISK);
        habit_view_done(&v);
}

static void test_checkins_outside_habit(void **state) {
        (void) state;
        HabitEvent checkins[] = { { week_day(0, 1), NULL }, { week_day(1, 1), NULL }, { week_day(4, 2), NULL } };
        HabitInput in = weekly_since(week_day(1, 0));
        HabitView v;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        view_after(&in, W0, week_day(2, 5), &v);
        assert_int_equal(v.history.start, week_day(1, 0));
        assert_int_equal(v.n_periods, 2);
        assert_period(v.periods[0].period, week_day(1, 0), week_day(1, 6));
        assert_int_equal(v.periods[0].checkins, 1); /* week 0's is before since */
        assert_int_equal(v.periods[1].checkins, 0); /* week 4's is after @to */
        assert_int_equal(v.history.last_done, week_day(1, 1));
        assert_int_equal(v.history.checkins, 1);
        habit_view_done(&v);
}

static void test_lapse_start_end(void **state) {
        (void) state;
        WeekStory s;
        HabitView v;

        week_story(&s, "MXXXMX", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.n_lapses, 1);
        assert_int_equal(v.lapses[0].from, week_day(1, 0));
        assert_int_equal(v.lapses[0].to, week_day(3, 6));
        assert_false(v.lapses[0].ongoing);
        assert_int_equal(v.lapses[0].missed, 3);
        assert_false(v.lapsed);
        assert_int_equal(v.status, HABIT_AT_RISK);
        habit_view_done(&v);

        week_story(&s, "MMXX", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.n_lapses, 1);
        assert_true(v.lapses[0].ongoing);
        assert_int_equal(v.lapses[0].from, week_day(2, 0));
        assert_int_equal(v.lapses[0].missed, 2);
        assert_true(v.lapsed);
        assert_int_equal(v.lapsed_since, week_day(2, 0));
        assert_int_equal(v.lapsed_missed, 2);
        assert_int_equal(v.status, HABIT_LAPSED);
        habit_view_done(&v);
}

static void test_lapse_after(void **state) {
        (void) state;
        static const unsigned expected[] = { 0, 3, 2, 1, 0 };
        WeekStory s;
        HabitView v;

        for (unsigned after = 1; after <= 4; after++) {
                week_story(&s, "MXMXXMXXXM", after, -1, false);
                story_compute(&s, W0, &v);
                assert_int_equal(v.n_lapses, expected[after]);
                assert_int_equal(v.missed, 6);
                if (after == 3) {
                        assert_int_equal(v.lapses[0].from, week_day(6, 0));
                        assert_int_equal(v.lapses[0].to, week_day(8, 6));
                        assert_int_equal(v.lapses[0].missed, 3);
                }
                if (after == 1) {
                        assert_int_equal(v.lapses[0].missed, 1);
                        assert_int_equal(v.lapses[1].missed, 2);
                        assert_int_equal(v.lapses[2].missed, 3);
                }
                habit_view_done(&v);
        }
}

static void test_skip_breaks_run(void **state) {
        (void) state;
        WeekStory s;
        HabitView v;

        week_story(&s, "MXSXM", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.n_lapses, 0);
        assert_int_equal(v.missed, 2);
        habit_view_done(&v);

        week_story(&s, "MXXXM", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.n_lapses, 1);
        habit_view_done(&v);

        /* A skip ends a lapse the day before its period. */
        week_story(&s, "MXXS", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.n_lapses, 1);
        assert_false(v.lapses[0].ongoing);
        assert_int_equal(v.lapses[0].to, week_day(2, 6));
        assert_false(v.lapsed);
        assert_int_equal(v.status, HABIT_OK);
        habit_view_done(&v);
}

/* New: a skip recorded after @to had not happened by then, so it is
 * nowhere in the view; once @to reaches it, it skips its week. */
static void test_skip_after_to(void **state) {
        (void) state;
        WeekStory s;
        HabitView v;

        week_story(&s, "MXX", 2, 2, false);
        s.skips[s.in.n_skips++] = (HabitEvent){ week_day(3, 4), "away" };
        story_compute(&s, W0, &v);
        assert_int_equal(v.periods[3].fate, PERIOD_OPEN);
        assert_int_equal(v.skipped, 0);
        assert_int_equal(v.n_notes, 0);
        assert_true(v.lapsed);
        assert_int_equal(v.status, HABIT_LAPSED);
        habit_view_done(&v);

        view_after(&s.in, W0, week_day(3, 6), &v);
        assert_int_equal(v.periods[3].fate, PERIOD_SKIPPED);
        assert_int_equal(v.skipped, 1);
        assert_int_equal(v.n_notes, 1);
        assert_int_equal(v.notes[0].kind, NOTE_SKIP);
        assert_string_equal(v.notes[0].text, "away");
        assert_false(v.lapsed);
        assert_int_equal(v.lapses[0].to, week_day(2, 6));
        habit_view_done(&v);
}

static void test_pause_mid_period(void **state) {
        (void) state;
        HabitEvent checkins[] = { { week_day(0, 1), NULL } };
        HabitPause pauses[] = { { week_day(2, 3), HABIT_OPEN_END, "ligament" } };
        HabitInput in = weekly_since(W0);
        HabitView v;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        in.lapse_after = 1;
        view_after(&in, W0, week_day(4, 6), &v);
        assert_int_equal(v.periods[1].fate, PERIOD_MISSED);
        assert_int_equal(v.periods[2].fate, PERIOD_PAUSED); /* the pause starts on its Thursday */
        assert_int_equal(v.periods[3].fate, PERIOD_PAUSED);
        assert_int_equal(v.periods[4].fate, PERIOD_PAUSED);
        assert_int_equal(v.paused, 3);
        /* The pause ends the one-week lapse before the paused week. */
        assert_int_equal(v.n_lapses, 1);
        assert_int_equal(v.lapses[0].from, week_day(1, 0));
        assert_int_equal(v.lapses[0].to, week_day(1, 6));
        assert_false(v.lapses[0].ongoing);
        assert_false(v.lapsed);
        assert_int_equal(v.status, HABIT_PAUSED);
        /* The view points at the pauses that touch its range. */
        assert_int_equal(v.n_pauses, 1);
        assert_ptr_equal(v.pauses[0], &pauses[0]);
        habit_view_done(&v);

        /* A pause that ended mid-period still covers that period. */
        pauses[0].to = week_day(3, 1);
        view_after(&in, W0, week_day(4, 6), &v);
        assert_int_equal(v.periods[3].fate, PERIOD_PAUSED);
        assert_int_equal(v.periods[4].fate, PERIOD_MISSED);
        assert_int_equal(v.status, HABIT_LAPSED);
        assert_int_equal(v.lapsed_since, week_day(4, 0));
        habit_view_done(&v);
        /* Nor is it in a range that starts after it ended. */
        view_after(&in, week_day(4, 0), week_day(4, 6), &v);
        assert_int_equal(v.n_pauses, 0);
        habit_view_done(&v);
}

static void test_overlapping_pauses(void **state) {
        (void) state;
        /* A long pause and a short one inside it: sorted by start, the
         * short one's end must not hide the long one's. */
        HabitPause pauses[] = { { week_day(0, 0), week_day(5, 0), NULL }, { week_day(1, 0), week_day(1, 1), NULL } };
        HabitInput in = weekly_since(W0);
        HabitView v;

        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        view_after(&in, W0, week_day(6, 6), &v);
        assert_int_equal(v.paused, 6);
        assert_int_equal(v.periods[6].fate, PERIOD_MISSED);
        assert_int_equal(v.status, HABIT_AT_RISK);
        habit_view_done(&v);
}

/* A pause that ends before it begins is empty, not a pause of its week. */
static void test_empty_pause(void **state) {
        (void) state;
        HabitPause pauses[] = { { week_day(0, 4), week_day(0, 2), NULL } };
        HabitInput in = weekly_since(W0);
        HabitView v;

        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        view_after(&in, W0, week_day(0, 6), &v);
        assert_int_equal(v.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(v.paused, 0);
        habit_view_done(&v);
}

static void test_lapse_ended_by_open_met(void **state) {
        (void) state;
        WeekStory s;
        HabitView v;

        week_story(&s, "MXX", 2, 2, true);
        story_compute(&s, W0, &v);
        assert_int_equal(v.periods[3].fate, PERIOD_OPEN);
        assert_int_equal(v.n_lapses, 1);
        assert_false(v.lapses[0].ongoing);
        assert_int_equal(v.lapses[0].to, week_day(2, 6));
        assert_false(v.lapsed);
        /* Changed on purpose: the last finished week was missed, but this
         * week is met, which made the slip good: ok (the old rule said
         * at-risk until the open week was over). */
        assert_int_equal(v.status, HABIT_OK);
        assert_int_equal(v.history.current_streak, 1);
        habit_view_done(&v);

        week_story(&s, "MXX", 2, 2, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.n_lapses, 1);
        assert_true(v.lapses[0].ongoing);
        assert_true(v.lapsed);
        assert_int_equal(v.lapsed_since, week_day(1, 0));
        assert_int_equal(v.status, HABIT_LAPSED);
        assert_int_equal(v.history.current_streak, 0);
        habit_view_done(&v);
}

static void test_lapse_before_range(void **state) {
        (void) state;
        WeekStory s;
        HabitView v;

        /* Ongoing since week 1; the range starts at week 6. */
        week_story(&s, "MXXXXXXXXX", 2, -1, false);
        story_compute(&s, week_day(6, 0), &v);
        assert_int_equal(v.n_periods, 4);
        assert_int_equal(v.missed, 4);
        assert_int_equal(v.n_lapses, 1);
        assert_int_equal(v.lapses[0].from, week_day(1, 0));
        assert_int_equal(v.lapses[0].missed, 9);
        assert_true(v.lapses[0].ongoing);
        assert_int_equal(v.lapsed_since, week_day(1, 0));
        habit_view_done(&v);

        /* A lapse over before the range is not listed ... */
        week_story(&s, "MXXXMMMMMM", 2, -1, false);
        story_compute(&s, week_day(4, 0), &v);
        assert_int_equal(v.n_lapses, 0);
        assert_int_equal(v.history.n_lapses, 1); /* the history has it */
        assert_int_equal(v.history.current_streak, 6);
        habit_view_done(&v);
        /* ... one with a missed period ending in it is, whole. */
        story_compute(&s, week_day(3, 6), &v);
        assert_int_equal(v.n_lapses, 1);
        assert_int_equal(v.lapses[0].from, week_day(1, 0));
        assert_int_equal(v.lapses[0].missed, 3);
        assert_int_equal(v.missed, 1);
        habit_view_done(&v);
}

static void test_streaks(void **state) {
        (void) state;
        WeekStory s;
        HabitView v;

        week_story(&s, "MMSMPMXMM", 2, 2, true);
        story_compute(&s, W0, &v);
        /* The open week counts once met; skips and pauses are transparent. */
        assert_int_equal(v.history.current_streak, 3);
        assert_int_equal(v.history.longest_streak, 4);
        assert_int_equal(v.longest_streak_in_range, 4);
        habit_view_done(&v);

        week_story(&s, "MMSMPMXMM", 2, 2, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.history.current_streak, 2);
        assert_int_equal(v.history.longest_streak, 4);
        habit_view_done(&v);

        /* Weeks 3.. are M P M X M M + open M. Changed on purpose: the
         * longest streak is over the whole history (the 4 of weeks 0-5), so
         * it is never below the current one; the range's own longest, the
         * old longest_streak, is longest_streak_in_range. */
        week_story(&s, "MMSMPMXMM", 2, 2, true);
        story_compute(&s, week_day(3, 0), &v);
        assert_int_equal(v.history.longest_streak, 4);
        assert_int_equal(v.longest_streak_in_range, 3);
        assert_int_equal(v.history.current_streak, 3);
        habit_view_done(&v);

        /* A current streak longer than any in the range before: current
         * <= longest, always. */
        week_story(&s, "MMMMMXM", 2, -1, false);
        story_compute(&s, week_day(5, 0), &v);
        assert_int_equal(v.history.current_streak, 1);
        assert_int_equal(v.history.longest_streak, 5);
        assert_int_equal(v.longest_streak_in_range, 1);
        habit_view_done(&v);
        week_story(&s, "XMMMMM", 2, -1, false);
        story_compute(&s, week_day(4, 0), &v);
        assert_int_equal(v.history.current_streak, 5);
        assert_int_equal(v.history.longest_streak, 5);
        assert_int_equal(v.longest_streak_in_range, 2);
        habit_view_done(&v);

        /* A skip at the end neither breaks the streak nor adds to it. */
        week_story(&s, "MMS", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.history.current_streak, 2);
        habit_view_done(&v);

        week_story(&s, "MMX", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.history.current_streak, 0);
        assert_int_equal(v.history.longest_streak, 2);
        habit_view_done(&v);
}

static void test_adherence(void **state) {
        (void) state;
        WeekStory s;
        HabitView v;

        week_story(&s, "SSP", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_false(v.has_adherence);
        assert_int_equal(v.skipped, 2);
        assert_int_equal(v.paused, 1);
        habit_view_done(&v);

        week_story(&s, "MXMSMP", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_true(v.has_adherence);
        assert_float_equal(v.adherence, 3.0 / 4.0, 1e-12);
        habit_view_done(&v);
}

static void test_strength_multiplier(void **state) {
        (void) state;
        double m = weekly_multiplier(1);
        WeekStory s;
        HabitView v;

        assert_float_equal(m, pow(pow(0.5, sqrt(1.0 / 7.0) / 13.0), 7.0), 0);
        week_story(&s, "M", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_float_equal(v.history.strength, 1.0 - m, 1e-12);
        habit_view_done(&v);

        week_story(&s, "MX", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_float_equal(v.history.strength, (1.0 - m) * m, 1e-12);
        habit_view_done(&v);

        /* Skipped and paused periods leave it alone; the open one too. */
        week_story(&s, "MSP", 2, 3, true);
        story_compute(&s, W0, &v);
        assert_float_equal(v.history.strength, 1.0 - m, 1e-12);
        habit_view_done(&v);

        week_story(&s, "XM", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_float_equal(v.history.strength, 1.0 - m, 1e-12);
        habit_view_done(&v);

        /* times enters the multiplier: sqrt(times / L). */
        week_story(&s, "M", 2, -1, false);
        s.checkins[1] = s.checkins[0];
        s.checkins[2] = s.checkins[0];
        s.in.n_checkins = 3;
        s.in.times = 3;
        story_compute(&s, W0, &v);
        assert_float_equal(v.history.strength, 1.0 - weekly_multiplier(3), 1e-12);
        habit_view_done(&v);
}

static void test_strength_month_length(void **state) {
        (void) state;
        HabitEvent checkins[] = { { ymd(2024, 2, 10), NULL } };
        HabitInput in = weekly_since(ymd(2024, 2, 1));
        HabitView v;

        in.every = (Every){ EVERY_MONTH, 1 };
        in.checkins = checkins;
        in.n_checkins = 1;
        view_after(&in, ymd(2024, 2, 1), ymd(2024, 3, 31), &v);
        double feb = pow(pow(0.5, sqrt(1.0 / 29.0) / 13.0), 29.0);
        double mar = pow(pow(0.5, sqrt(1.0 / 31.0) / 13.0), 31.0);
        assert_float_equal(v.history.strength, (1.0 - feb) * mar, 1e-12);
        habit_view_done(&v);
}

static void test_strength_ordering(void **state) {
        (void) state;
        WeekStory scattered, abandoned;
        HabitView a, b;

        week_story(&scattered, "MMMMXMMMMM", 2, -1, false);
        week_story(&abandoned, "MMMMMMMMMXXXXX", 2, -1, false);
        story_compute(&scattered, W0, &a);
        story_compute(&abandoned, W0, &b);
        assert_int_equal(a.met, 9);
        assert_int_equal(b.met, 9);
        assert_true(a.history.strength > b.history.strength);
        assert_true(a.history.strength >= 0.0 && a.history.strength <= 1.0);
        assert_true(b.history.strength >= 0.0 && b.history.strength <= 1.0);
        habit_view_done(&a);
        habit_view_done(&b);
}

static void test_status(void **state) {
        (void) state;
        WeekStory s;
        HabitView v;

        week_story(&s, "MXM", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.status, HABIT_OK);
        habit_view_done(&v);

        week_story(&s, "MMX", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.status, HABIT_AT_RISK);
        habit_view_done(&v);

        /* New: at risk only while the open period is not met yet. */
        week_story(&s, "MMX", 2, 3, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.status, HABIT_AT_RISK);
        habit_view_done(&v);
        week_story(&s, "MMX", 2, 3, true);
        story_compute(&s, W0, &v);
        assert_int_equal(v.status, HABIT_OK);
        habit_view_done(&v);

        week_story(&s, "MXX", 2, -1, false);
        story_compute(&s, W0, &v);
        assert_int_equal(v.status, HABIT_LAPSED);
        habit_view_done(&v);

        /* Paused wins over lapsed: a pause covers @to. */
        week_story(&s, "MXX", 2, 1, false);
        s.pauses[0] = (HabitPause){ week_day(3, 0), HABIT_OPEN_END, "injury" };
        s.in.n_pauses = 1;
        story_compute(&s, W0, &v);
        assert_true(v.lapsed);
        assert_int_equal(v.status, HABIT_PAUSED);
        habit_view_done(&v);

        /* A pause that ended before @to does not make the habit paused. */
        s.pauses[0].to = week_day(3, 0);
        story_compute(&s, W0, &v);
        assert_int_equal(v.status, HABIT_LAPSED);
        habit_view_done(&v);

        week_story(&s, "", 2, 3, true);
        story_compute(&s, W0, &v);
        assert_int_equal(v.status, HABIT_NEW);
        habit_view_done(&v);
}

static void test_week_start_sunday(void **state) {
        (void) state;
        HabitEvent checkins[] = { { ymd(2023, 1, 8), NULL } }; /* a Sunday */
        HabitInput in = weekly_since(ymd(2023, 1, 4));
        HabitView v;

        in.week_start = WEEK_START_SUNDAY;
        in.checkins = checkins;
        in.n_checkins = 1;
        assert_period(habit_period_containing(&in, ymd(2023, 1, 4)), ymd(2023, 1, 1), ymd(2023, 1, 7));
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 1, 14), &v);
        assert_int_equal(v.n_periods, 2);
        assert_period(v.periods[1].period, ymd(2023, 1, 8), ymd(2023, 1, 14));
        assert_int_equal(v.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(v.periods[1].fate, PERIOD_MET);
        habit_view_done(&v);
        in.week_start = WEEK_START_MONDAY;
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 1, 14), &v);
        assert_int_equal(v.periods[0].fate, PERIOD_MET); /* Sunday ends a Monday week */
        habit_view_done(&v);
}

static void test_n_weeks(void **state) {
        (void) state;
        HabitInput in = weekly_since(ymd(2023, 1, 4)); /* a Wednesday */
        HabitView v;

        in.every = (Every){ EVERY_WEEK, 2 };
        assert_period(habit_period_containing(&in, ymd(2023, 1, 4)), ymd(2023, 1, 2), ymd(2023, 1, 15));
        assert_period(habit_period_containing(&in, ymd(2023, 1, 20)), ymd(2023, 1, 16), ymd(2023, 1, 29));
        /* Before the start the alignment extends backwards. */
        assert_period(habit_period_containing(&in, ymd(2022, 12, 25)), ymd(2022, 12, 19), ymd(2023, 1, 1));
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 1, 29), &v);
        assert_int_equal(v.n_periods, 2);
        assert_int_equal(v.missed, 2);
        habit_view_done(&v);
        in.week_start = WEEK_START_SUNDAY;
        assert_period(habit_period_containing(&in, ymd(2023, 1, 4)), ymd(2023, 1, 1), ymd(2023, 1, 14));
}

static void test_since_mid_period(void **state) {
        (void) state;
        HabitEvent before[] = { { ymd(2023, 1, 2), NULL } };
        HabitEvent after[] = { { ymd(2023, 1, 5), NULL } };
        HabitInput in = weekly_since(ymd(2023, 1, 4));
        HabitView v;

        in.checkins = before;
        in.n_checkins = 1;
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 1, 8), &v);
        assert_int_equal(v.n_periods, 1);
        assert_period(v.periods[0].period, ymd(2023, 1, 2), ymd(2023, 1, 8));
        assert_int_equal(v.periods[0].checkins, 0);
        assert_int_equal(v.periods[0].fate, PERIOD_MISSED);
        habit_view_done(&v);
        in.checkins = after;
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 1, 8), &v);
        assert_int_equal(v.periods[0].fate, PERIOD_MET);
        habit_view_done(&v);
        /* A pause before since, in the first period, does not count. */
        HabitPause pauses[] = { { ymd(2023, 1, 2), ymd(2023, 1, 3), NULL } };
        in.n_checkins = 0;
        in.pauses = pauses;
        in.n_pauses = 1;
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 1, 8), &v);
        assert_int_equal(v.periods[0].fate, PERIOD_MISSED);
        habit_view_done(&v);
}

static void test_months(void **state) {
        (void) state;
        HabitEvent checkins[] = { { ymd(2024, 2, 29), NULL } };
        HabitInput in = weekly_since(ymd(2024, 1, 15));
        HabitView v;

        in.every = (Every){ EVERY_MONTH, 1 };
        in.checkins = checkins;
        in.n_checkins = 1;
        view_after(&in, ymd(2024, 1, 1), ymd(2024, 3, 31), &v);
        assert_int_equal(v.n_periods, 3);
        assert_period(v.periods[0].period, ymd(2024, 1, 1), ymd(2024, 1, 31));
        assert_period(v.periods[1].period, ymd(2024, 2, 1), ymd(2024, 2, 29));
        assert_period(v.periods[2].period, ymd(2024, 3, 1), ymd(2024, 3, 31));
        assert_int_equal(v.periods[1].fate, PERIOD_MET);
        habit_view_done(&v);
        /* Feb 2024 ends on the 29th: on the 28th it is still open ... */
        view_after(&in, ymd(2024, 1, 1), ymd(2024, 2, 28), &v);
        assert_int_equal(v.periods[1].fate, PERIOD_OPEN);
        habit_view_done(&v);
        /* ... and on the 29th itself while that day lasts (new), met or not. */
        assert_int_equal(habit_view_compute(&in, ymd(2024, 1, 1), ymd(2024, 2, 29), ymd(2024, 2, 29), &v), 0);
        assert_int_equal(v.periods[1].fate, PERIOD_OPEN);
        assert_int_equal(v.periods[1].checkins, 1);
        habit_view_done(&v);

        in.since = ymd(2023, 2, 10);
        assert_period(habit_period_containing(&in, ymd(2023, 2, 10)), ymd(2023, 2, 1), ymd(2023, 2, 28));
        in.since = ymd(2100, 2, 3);
        assert_period(habit_period_containing(&in, ymd(2100, 2, 3)), ymd(2100, 2, 1), ymd(2100, 2, 28));

        in.every.n = 2;
        in.since = ymd(2024, 1, 10);
        assert_period(habit_period_containing(&in, ymd(2024, 2, 29)), ymd(2024, 1, 1), ymd(2024, 2, 29));
        assert_period(habit_period_containing(&in, ymd(2024, 3, 1)), ymd(2024, 3, 1), ymd(2024, 4, 30));
        assert_period(habit_period_containing(&in, ymd(2023, 12, 15)), ymd(2023, 11, 1), ymd(2023, 12, 31));
        assert_period(habit_period_containing(&in, ymd(2024, 12, 31)), ymd(2024, 11, 1), ymd(2024, 12, 31));

        in.every.n = 6;
        in.since = ymd(2023, 3, 5);
        assert_period(habit_period_containing(&in, ymd(2023, 3, 5)), ymd(2023, 3, 1), ymd(2023, 8, 31));
        assert_period(habit_period_containing(&in, ymd(2023, 12, 1)), ymd(2023, 9, 1), ymd(2024, 2, 29));
        assert_period(habit_period_containing(&in, ymd(2024, 3, 1)), ymd(2024, 3, 1), ymd(2024, 8, 31));
        assert_period(habit_period_containing(&in, ymd(2022, 12, 31)), ymd(2022, 9, 1), ymd(2023, 2, 28));
        view_after(&in, ymd(2023, 1, 1), ymd(2024, 5, 1), &v);
        assert_int_equal(v.n_periods, 3);
        assert_int_equal(v.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(v.periods[1].fate, PERIOD_MET); /* 29 Feb 2024 is in Sep-Feb */
        assert_int_equal(v.periods[2].fate, PERIOD_OPEN);
        assert_int_equal(v.met, 1);
        assert_int_equal(v.missed, 1);
        assert_int_equal(v.status, HABIT_OK);
        habit_view_done(&v);
        in.n_checkins = 0;
        view_after(&in, ymd(2023, 1, 1), ymd(2024, 5, 1), &v);
        assert_int_equal(v.missed, 2);
        assert_true(v.lapsed);
        assert_int_equal(v.lapsed_since, ymd(2023, 3, 1));
        habit_view_done(&v);
}

/* New: a review's built-in habit has its review's periods whatever its
 * own cadence says: the calendar's halves whatever its start (and before
 * its first answer), or weeks on week_start. */
static void test_review_periods(void **state) {
        (void) state;
        HabitEvent answers[] = { { ymd(2023, 7, 1), NULL } };
        HabitInput in = weekly_since(ymd(2023, 3, 15)), plain = in;
        const HabitPeriod *open;
        HabitView v;
        day_t start;

        in.kind = HABIT_HALFYEAR_REVIEW;
        in.every = (Every){ EVERY_DAY, 1 }; /* not the review's */
        in.lapse_after = 1;
        assert_int_equal(habit_every(&in).unit, EVERY_MONTH);
        assert_int_equal(habit_every(&in).n, 6);
        assert_true(habit_start(&in, &start));
        assert_int_equal(start, ymd(2023, 1, 1));
        assert_period(habit_period_containing(&in, ymd(2023, 3, 15)), ymd(2023, 1, 1), ymd(2023, 6, 30));
        assert_period(habit_period_containing(&in, ymd(2024, 12, 31)), ymd(2024, 7, 1), ymd(2024, 12, 31));
        /* A plain six-month habit from the same day counts from its month. */
        plain.every = (Every){ EVERY_MONTH, 6 };
        assert_period(habit_period_containing(&plain, ymd(2023, 3, 15)), ymd(2023, 3, 1), ymd(2023, 8, 31));

        in.checkins = answers;
        in.n_checkins = ELEMENTSOF(answers);
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 12, 31), &v);
        assert_int_equal(v.n_periods, 2);
        assert_period(v.periods[0].period, ymd(2023, 1, 1), ymd(2023, 6, 30));
        assert_int_equal(v.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(v.periods[1].fate, PERIOD_MET);
        assert_int_equal(v.n_lapses, 1);
        assert_int_equal(v.lapses[0].from, ymd(2023, 1, 1));
        assert_int_equal(v.lapses[0].to, ymd(2023, 6, 30));
        assert_int_equal(v.status, HABIT_OK);
        habit_view_done(&v);

        /* Before its first answer, with no since: the half holding the day. */
        in.has_since = false;
        in.n_checkins = 0;
        assert_false(habit_start(&in, NULL));
        assert_period(habit_period_containing(&in, ymd(2024, 9, 9)), ymd(2024, 7, 1), ymd(2024, 12, 31));
        view_after(&in, ymd(2024, 7, 1), ymd(2024, 9, 9), &v);
        assert_false(v.history.started);
        assert_true(habit_view_open(&v, &open));
        assert_period(open->period, ymd(2024, 7, 1), ymd(2024, 12, 31));
        assert_int_equal(v.status, HABIT_NEW);
        habit_view_done(&v);
        /* Started by its first answer, on its half's first day. */
        in.n_checkins = ELEMENTSOF(answers);
        assert_true(habit_start(&in, &start));
        assert_int_equal(start, ymd(2023, 7, 1));

        /* The weekly review: weeks on week_start, whatever its cadence. */
        in = weekly_since(ymd(2023, 1, 4));
        in.kind = HABIT_WEEKLY_REVIEW;
        in.every = (Every){ EVERY_MONTH, 1 };
        in.week_start = WEEK_START_SUNDAY;
        assert_int_equal(habit_every(&in).unit, EVERY_WEEK);
        assert_int_equal(habit_every(&in).n, 1);
        assert_period(habit_period_containing(&in, ymd(2023, 1, 4)), ymd(2023, 1, 1), ymd(2023, 1, 7));
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 1, 14), &v);
        assert_int_equal(v.n_periods, 2);
        assert_period(v.periods[1].period, ymd(2023, 1, 8), ymd(2023, 1, 14));
        assert_int_equal(v.every.unit, EVERY_WEEK);
        habit_view_done(&v);
}

static void test_n_days(void **state) {
        (void) state;
        HabitEvent checkins[] = { { ymd(2023, 1, 5), NULL }, { ymd(2023, 1, 10), NULL } };
        HabitInput in = weekly_since(ymd(2023, 1, 4));
        HabitView v;

        in.every = (Every){ EVERY_DAY, 3 };
        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        assert_period(habit_period_containing(&in, ymd(2023, 1, 3)), ymd(2023, 1, 1), ymd(2023, 1, 3));
        assert_period(habit_period_containing(&in, ymd(2023, 1, 9)), ymd(2023, 1, 7), ymd(2023, 1, 9));
        view_after(&in, ymd(2023, 1, 1), ymd(2023, 1, 10), &v);
        assert_int_equal(v.n_periods, 3);
        assert_period(v.periods[0].period, ymd(2023, 1, 4), ymd(2023, 1, 6));
        assert_int_equal(v.periods[0].fate, PERIOD_MET);
        assert_int_equal(v.periods[1].fate, PERIOD_MISSED);
        assert_int_equal(v.periods[2].fate, PERIOD_OPEN);
        assert_int_equal(v.history.current_streak, 1);
        habit_view_done(&v);

        /* Without since the first check-in starts the habit. */
        in.has_since = false;
        assert_period(habit_period_containing(&in, ymd(2023, 1, 9)), ymd(2023, 1, 8), ymd(2023, 1, 10));
        in.every.n = 1;
        assert_period(habit_period_containing(&in, ymd(2023, 1, 9)), ymd(2023, 1, 9), ymd(2023, 1, 9));
}

static void test_range_cuts_period(void **state) {
        (void) state;
        WeekStory s;
        HabitHistory h;
        HabitView v;

        week_story(&s, "MMMMMM", 2, -1, false);
        story_compute(&s, week_day(3, 1), &v); /* a Tuesday: week 3 counts */
        assert_int_equal(v.n_periods, 3);
        assert_int_equal(v.met, 3);
        assert_period(v.periods[0].period, week_day(3, 0), week_day(3, 6));
        /* The history under the view is whole, whatever the range. */
        assert_int_equal(v.history.n_periods, 6);
        assert_ptr_equal(v.periods, v.history.periods + 3);
        habit_view_done(&v);
        story_compute(&s, week_day(3, 0), &v); /* week 2 ended the day before */
        assert_int_equal(v.n_periods, 3);
        habit_view_done(&v);
        story_compute(&s, week_day(2, 6), &v); /* week 2 ends on it */
        assert_int_equal(v.n_periods, 4);
        habit_view_done(&v);
        /* A range from before the start lists from the start. */
        story_compute(&s, W0 - 100, &v);
        assert_int_equal(v.n_periods, 6);
        habit_view_done(&v);

        /* The history alone: every period from the start up to @to. */
        assert_int_equal(periods_compute(&s.in, s.to, s.to + 1, &h), 0);
        assert_true(h.started);
        assert_int_equal(h.start, W0);
        assert_int_equal(h.n_periods, 6);
        assert_false(h.has_open);
        assert_int_equal(h.checkins, 6);
        assert_int_equal(h.current_streak, 6);
        assert_int_equal(h.longest_streak, 6);
        habit_history_done(&h);
        assert_null(h.periods);
}

/* USER.md: weekly reviews kept until 20 August 2023, then none. */
static void test_user_story(void **state) {
        (void) state;
        HabitEvent checkins[64];
        HabitInput in = weekly_since(ymd(2023, 1, 2));
        HabitView v;
        size_t n = 0;

        for (day_t d = ymd(2023, 1, 8); d <= ymd(2023, 8, 20); d += 7)
                checkins[n++] = (HabitEvent){ d, NULL };
        assert_int_equal(n, 33);
        in.checkins = checkins;
        in.n_checkins = n;
        /* The half-year's report, made after 31 December. */
        view_after(&in, ymd(2023, 7, 1), ymd(2023, 12, 31), &v);
        assert_int_equal(v.n_periods, 27);
        assert_period(v.periods[0].period, ymd(2023, 6, 26), ymd(2023, 7, 2));
        assert_period(v.periods[26].period, ymd(2023, 12, 25), ymd(2023, 12, 31));
        assert_int_equal(v.periods[26].fate, PERIOD_MISSED);
        assert_int_equal(v.met, 8);
        assert_int_equal(v.missed, 19);
        assert_int_equal(v.skipped + v.paused, 0);
        assert_true(v.has_adherence);
        assert_float_equal(v.adherence, 8.0 / 27.0, 1e-12);
        assert_true(v.lapsed);
        assert_int_equal(v.lapsed_since, ymd(2023, 8, 21));
        assert_int_equal(v.lapsed_missed, 19);
        assert_int_equal(v.n_lapses, 1);
        assert_int_equal(v.lapses[0].from, ymd(2023, 8, 21));
        assert_true(v.lapses[0].ongoing);
        assert_int_equal(v.lapses[0].missed, 19);
        assert_int_equal(v.status, HABIT_LAPSED);
        assert_int_equal(v.history.current_streak, 0);
        /* Changed on purpose: longest over the whole history (all 33 weeks
         * from January); the range's own longest is the old 8. */
        assert_int_equal(v.history.longest_streak, 33);
        assert_int_equal(v.longest_streak_in_range, 8);
        assert_int_equal(v.history.last_done, ymd(2023, 8, 20));
        double m = weekly_multiplier(1);
        assert_float_equal(v.history.strength, (1.0 - pow(m, 33)) * pow(m, 19), 1e-9);
        habit_view_done(&v);

        /* New: the same report made on 31 December itself leaves that week
         * open, so it is 18 weeks missed, not 19. */
        assert_int_equal(habit_view_compute(&in, ymd(2023, 7, 1), ymd(2023, 12, 31), ymd(2023, 12, 31), &v), 0);
        assert_int_equal(v.n_periods, 27);
        assert_int_equal(v.periods[26].fate, PERIOD_OPEN);
        assert_int_equal(v.missed, 18);
        assert_int_equal(v.finished, 26);
        assert_int_equal(v.lapsed_missed, 18);
        assert_float_equal(v.history.strength, (1.0 - pow(m, 33)) * pow(m, 18), 1e-9);
        habit_view_done(&v);
}

static void test_ten_years_daily(void **state) {
        (void) state;
        day_t first = ymd(2014, 1, 1), last = ymd(2023, 12, 31);
        size_t n = (size_t) (last - first + 1);
        HabitEvent *checkins = calloc(n, sizeof(HabitEvent));
        HabitInput in = weekly_since(first);
        HabitView v;

        assert_non_null(checkins);
        for (size_t i = 0; i < n; i++)
                checkins[i].day = first + (day_t) i;
        in.every = (Every){ EVERY_DAY, 1 };
        in.checkins = checkins;
        in.n_checkins = n - 10; /* the last ten days missed */
        view_after(&in, first, last, &v);
        assert_int_equal(n, 3652);
        assert_int_equal(v.n_periods, 3652);
        assert_int_equal(v.met, 3642);
        assert_int_equal(v.missed, 10);
        assert_int_equal(v.history.longest_streak, 3642);
        assert_int_equal(v.longest_streak_in_range, 3642);
        assert_int_equal(v.history.current_streak, 0);
        assert_int_equal(v.lapsed_since, last - 9);
        assert_int_equal(v.n_lapses, 1);
        habit_view_done(&v);
        in.n_checkins = n;
        view_after(&in, ymd(2023, 7, 1), last, &v);
        assert_int_equal(v.n_periods, 184);
        assert_int_equal(v.met, 184);
        assert_int_equal(v.history.current_streak, 3652);
        assert_int_equal(v.history.longest_streak, 3652);
        assert_int_equal(v.longest_streak_in_range, 184);
        assert_true(v.history.strength > 0.999 && v.history.strength <= 1.0);
        assert_int_equal(v.status, HABIT_OK);
        habit_view_done(&v);
        free(checkins);
}

/* The ends of day_t must not overflow anywhere (UBSan watches). */
static void test_extremes(void **state) {
        (void) state;
        HabitInput in = weekly_since(INT32_MAX - 40);
        HabitView v;
        Period p;

        in.every = (Every){ EVERY_MONTH, 1 };
        p = habit_period_containing(&in, INT32_MAX);
        assert_int_equal(p.end, INT32_MAX);
        assert_true(p.start <= INT32_MAX && p.start > INT32_MAX - 31);
        /* Today cannot be after the last day_t, so @to == today there. */
        assert_int_equal(habit_view_compute(&in, INT32_MAX - 40, INT32_MAX, INT32_MAX, &v), 0);
        assert_true(v.n_periods >= 1);
        assert_int_equal(v.periods[v.n_periods - 1].period.end, INT32_MAX);
        /* Changed on purpose: the last period contains today, so it is
         * open (lapse_compute() judged it missed: it ended on @to). */
        assert_int_equal(v.periods[v.n_periods - 1].fate, PERIOD_OPEN);
        habit_view_done(&v);
        /* A daily habit there: the day before the last is judged. */
        in.every = (Every){ EVERY_DAY, 1 };
        assert_int_equal(habit_view_compute(&in, INT32_MAX - 40, INT32_MAX - 1, INT32_MAX, &v), 0);
        assert_int_equal(v.n_periods, 40);
        assert_int_equal(v.periods[39].period.end, INT32_MAX - 1);
        assert_int_equal(v.periods[39].fate, PERIOD_MISSED);
        habit_view_done(&v);
        in.every = (Every){ EVERY_DAY, 4000000000u };
        p = habit_period_containing(&in, INT32_MIN);
        assert_int_equal(p.start, INT32_MIN);
        assert_true(p.end >= INT32_MIN);
        in.since = INT32_MIN;
        in.every = (Every){ EVERY_WEEK, 1000000 };
        assert_int_equal(habit_view_compute(&in, INT32_MIN, INT32_MAX, INT32_MAX, &v), 0);
        assert_true(v.n_periods > 0);
        habit_view_done(&v);
        /* Today the first day_t: the day before it is not a day_t, and
         * today's period is open, not judged. */
        in.every = (Every){ EVERY_DAY, 1 };
        assert_int_equal(habit_view_compute(&in, INT32_MIN, INT32_MIN, INT32_MIN, &v), 0);
        assert_int_equal(v.n_periods, 1);
        assert_int_equal(v.periods[0].fate, PERIOD_OPEN);
        assert_int_equal(v.status, HABIT_NEW);
        habit_view_done(&v);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_strings),
                cmocka_unit_test(test_habit_start),
                cmocka_unit_test(test_not_started),
                cmocka_unit_test(test_invalid),
                cmocka_unit_test(test_too_many_periods),
                cmocka_unit_test(test_since_after_to),
                cmocka_unit_test(test_classification),
                cmocka_unit_test(test_precedence),
                cmocka_unit_test(test_repeat_checkins),
                cmocka_unit_test(test_open_period),
                cmocka_unit_test(test_checkins_outside_habit),
                cmocka_unit_test(test_lapse_start_end),
                cmocka_unit_test(test_lapse_after),
                cmocka_unit_test(test_skip_breaks_run),
                cmocka_unit_test(test_skip_after_to),
                cmocka_unit_test(test_pause_mid_period),
                cmocka_unit_test(test_overlapping_pauses),
                cmocka_unit_test(test_empty_pause),
                cmocka_unit_test(test_lapse_ended_by_open_met),
                cmocka_unit_test(test_lapse_before_range),
                cmocka_unit_test(test_streaks),
                cmocka_unit_test(test_adherence),
                cmocka_unit_test(test_strength_multiplier),
                cmocka_unit_test(test_strength_month_length),
                cmocka_unit_test(test_strength_ordering),
                cmocka_unit_test(test_status),
                cmocka_unit_test(test_week_start_sunday),
                cmocka_unit_test(test_n_weeks),
                cmocka_unit_test(test_since_mid_period),
                cmocka_unit_test(test_months),
                cmocka_unit_test(test_review_periods),
                cmocka_unit_test(test_n_days),
                cmocka_unit_test(test_range_cuts_period),
                cmocka_unit_test(test_user_story),
                cmocka_unit_test(test_ten_years_daily),
                cmocka_unit_test(test_extremes),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
