/* Unit tests for daemon/lapse.c: period alignment, each period's fate,
 * lapses, streaks, adherence, strength and status, one rule at a time. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lapse.h"

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Monday 2 January 2023: week k of most tests is [W0 + 7k, W0 + 7k + 6]. */
#define W0 ymd(2023, 1, 2)

static day_t ymd(int y, int m, int d) {
        return date_from_ymd(y, m, d);
}

static day_t week_day(int week, int day) {
        return W0 + 7 * week + day;
}

static LapseInput weekly_since(day_t since) {
        return (LapseInput){
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

/* The weekly multiplier the header specifies, written out the long way. */
static double weekly_multiplier(unsigned times) {
        return pow(pow(0.5, sqrt(times / 7.0) / 13.0), 7.0);
}

/* A weekly habit since W0 whose weeks 0..n-1 follow @pattern: 'M' a
 * check-in, 'X' nothing, 'S' a skip, 'P' a pause; the report ends on the
 * last day of the last week (or @open_day days into one more week if >= 0,
 * with a check-in there if @open_met). */
typedef struct {
        day_t checkins[64];
        day_t skips[64];
        LapsePause pauses[64];
        LapseInput in;
        day_t to;
} WeekStory;

static void week_story(WeekStory *s, const char *pattern, unsigned lapse_after, int open_day, bool open_met) {
        int n = (int) strlen(pattern);

        memset(s, 0, sizeof(*s));
        s->in = weekly_since(W0);
        s->in.lapse_after = lapse_after;
        for (int k = 0; k < n; k++) {
                if (pattern[k] == 'M')
                        s->checkins[s->in.n_checkins++] = week_day(k, 2);
                else if (pattern[k] == 'S')
                        s->skips[s->in.n_skips++] = week_day(k, 2);
                else if (pattern[k] == 'P')
                        s->pauses[s->in.n_pauses++] = (LapsePause){ week_day(k, 1), week_day(k, 3), "ill" };
        }
        if (open_day >= 0 && open_met)
                s->checkins[s->in.n_checkins++] = week_day(n, 0);
        s->in.checkins = s->checkins;
        s->in.skips = s->skips;
        s->in.pauses = s->pauses;
        s->to = open_day >= 0 ? week_day(n, open_day) : week_day(n - 1, 6);
}

static void story_compute(WeekStory *s, day_t range_from, HabitReport *r) {
        assert_int_equal(lapse_compute(&s->in, range_from, s->to, r), 0);
}

static void test_strings(void **state) {
        (void) state;

        assert_string_equal(period_fate_to_string(PERIOD_MET), "met");
        assert_string_equal(period_fate_to_string(PERIOD_SKIPPED), "skipped");
        assert_string_equal(period_fate_to_string(PERIOD_PAUSED), "paused");
        assert_string_equal(period_fate_to_string(PERIOD_MISSED), "missed");
        assert_string_equal(period_fate_to_string(PERIOD_OPEN), "open");
        assert_null(period_fate_to_string((PeriodFate) 99));
        assert_string_equal(habit_status_to_string(HABIT_OK), "ok");
        assert_string_equal(habit_status_to_string(HABIT_AT_RISK), "at-risk");
        assert_string_equal(habit_status_to_string(HABIT_LAPSED), "lapsed");
        assert_string_equal(habit_status_to_string(HABIT_PAUSED), "paused");
        assert_string_equal(habit_status_to_string(HABIT_NEW), "new");
        assert_null(habit_status_to_string((HabitStatus) -1));
}

static void test_habit_start(void **state) {
        (void) state;
        day_t checkins[] = { week_day(1, 0), week_day(2, 0) };
        LapseInput in = weekly_since(week_day(3, 0));
        day_t start = 0;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        assert_true(lapse_habit_start(&in, &start));
        assert_int_equal(start, week_day(3, 0)); /* since wins over check-ins */
        in.has_since = false;
        assert_true(lapse_habit_start(&in, &start));
        assert_int_equal(start, week_day(1, 0));
        in.n_checkins = 0;
        assert_false(lapse_habit_start(&in, &start));
}

static void test_not_started(void **state) {
        (void) state;
        LapseInput in = weekly_since(W0);
        HabitReport r;

        in.has_since = false;
        assert_int_equal(lapse_compute(&in, W0, W0 + 100, &r), 0);
        assert_false(r.started);
        assert_int_equal(r.n_periods, 0);
        assert_null(r.periods);
        assert_int_equal(r.status, HABIT_NEW);
        habit_report_done(&r);
        habit_report_done(NULL);
}

static void test_invalid(void **state) {
        (void) state;
        LapseInput in = weekly_since(W0);
        HabitReport r;

        assert_int_equal(lapse_compute(&in, W0 + 10, W0 + 9, &r), -EINVAL);
        assert_null(r.periods);
        in.times = 0;
        assert_int_equal(lapse_compute(&in, W0, W0 + 9, &r), -EINVAL);
        in = weekly_since(W0);
        in.lapse_after = 0;
        assert_int_equal(lapse_compute(&in, W0, W0 + 9, &r), -EINVAL);
        in = weekly_since(W0);
        in.every.n = 0;
        assert_int_equal(lapse_compute(&in, W0, W0 + 9, &r), -EINVAL);
        in = weekly_since(W0);
        in.every.unit = (EveryUnit) 7;
        assert_int_equal(lapse_compute(&in, W0, W0 + 9, &r), -EINVAL);
        in = weekly_since(W0);
        in.n_checkins = 3; /* with no array */
        assert_int_equal(lapse_compute(&in, W0, W0 + 9, &r), -EINVAL);
        assert_int_equal(lapse_compute(NULL, W0, W0 + 9, &r), -EINVAL);
        habit_report_done(&r);
}

static void test_too_many_periods(void **state) {
        (void) state;
        LapseInput in = weekly_since(ymd(1400, 1, 1));
        HabitReport r;

        in.every = (Every){ EVERY_DAY, 1 };
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2023, 12, 31), &r), -E2BIG);
        assert_null(r.periods);
        /* 200000 days back is exactly the limit; one more is refused. */
        in.since = ymd(2023, 12, 31) - LAPSE_PERIODS_MAX + 1;
        assert_int_equal(lapse_compute(&in, ymd(2023, 12, 1), ymd(2023, 12, 31), &r), 0);
        assert_int_equal(r.missed, 31);
        habit_report_done(&r);
        in.since--;
        assert_int_equal(lapse_compute(&in, ymd(2023, 12, 1), ymd(2023, 12, 31), &r), -E2BIG);
        in.since = INT32_MIN;
        assert_int_equal(lapse_compute(&in, INT32_MIN, INT32_MAX, &r), -E2BIG);
}

static void test_since_after_to(void **state) {
        (void) state;
        LapseInput in = weekly_since(W0 + 30);
        HabitReport r;

        assert_int_equal(lapse_compute(&in, W0, W0 + 10, &r), 0);
        assert_true(r.started);
        assert_int_equal(r.start, W0 + 30);
        assert_int_equal(r.n_periods, 0);
        assert_false(r.has_adherence);
        assert_false(r.has_last_done);
        assert_int_equal(r.status, HABIT_NEW);
        habit_report_done(&r);
}

static void test_classification(void **state) {
        (void) state;
        day_t checkins[] = { week_day(0, 1), week_day(4, 1) };
        day_t skips[] = { week_day(1, 2) };
        LapsePause pauses[] = { { week_day(2, 3), week_day(2, 4), "flu" } };
        LapseInput in = weekly_since(W0);
        HabitReport r;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        in.skips = skips;
        in.n_skips = ELEMENTSOF(skips);
        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        assert_int_equal(lapse_compute(&in, W0, week_day(4, 2), &r), 0);
        assert_int_equal(r.n_periods, 5);
        assert_int_equal(r.periods[0].fate, PERIOD_MET);
        assert_int_equal(r.periods[0].checkins, 1);
        assert_int_equal(r.periods[1].fate, PERIOD_SKIPPED);
        assert_int_equal(r.periods[2].fate, PERIOD_PAUSED);
        assert_int_equal(r.periods[3].fate, PERIOD_MISSED);
        assert_int_equal(r.periods[4].fate, PERIOD_OPEN);
        assert_int_equal(r.periods[4].checkins, 1);
        for (int k = 0; k < 5; k++)
                assert_period(r.periods[k].period, week_day(k, 0), week_day(k, 6));
        /* The open period is in no tally, even though it is already met. */
        assert_int_equal(r.met, 1);
        assert_int_equal(r.skipped, 1);
        assert_int_equal(r.paused, 1);
        assert_int_equal(r.missed, 1);
        assert_true(r.has_adherence);
        assert_float_equal(r.adherence, 0.5, 1e-12);
        assert_true(r.has_last_done);
        assert_int_equal(r.last_done, week_day(4, 1));
        assert_int_equal(r.status, HABIT_AT_RISK);
        assert_int_equal(r.n_lapses, 0);
        habit_report_done(&r);
}

static void test_precedence(void **state) {
        (void) state;
        /* times = 2. Week 0: met + paused; 1: skipped + paused; 2: met +
         * skipped; 3: one check-in + skipped; 4: one check-in + paused;
         * 5: one check-in. */
        day_t checkins[] = { week_day(0, 0), week_day(0, 1), week_day(2, 0), week_day(2, 2),
                             week_day(3, 2), week_day(4, 1), week_day(5, 1) };
        day_t skips[] = { week_day(1, 1), week_day(2, 1), week_day(3, 1) };
        LapsePause pauses[] = { { week_day(0, 0), week_day(1, 6), NULL }, { week_day(4, 2), week_day(4, 2), NULL } };
        LapseInput in = weekly_since(W0);
        HabitReport r;

        in.times = 2;
        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        in.skips = skips;
        in.n_skips = ELEMENTSOF(skips);
        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        assert_int_equal(lapse_compute(&in, W0, week_day(5, 6), &r), 0);
        assert_int_equal(r.n_periods, 6);
        assert_int_equal(r.periods[0].fate, PERIOD_MET);
        assert_int_equal(r.periods[1].fate, PERIOD_SKIPPED);
        assert_int_equal(r.periods[2].fate, PERIOD_MET);
        assert_int_equal(r.periods[3].fate, PERIOD_SKIPPED);
        assert_int_equal(r.periods[3].checkins, 1);
        assert_int_equal(r.periods[4].fate, PERIOD_PAUSED);
        assert_int_equal(r.periods[5].fate, PERIOD_MISSED);
        assert_int_equal(r.periods[5].checkins, 1);
        habit_report_done(&r);
}

static void test_repeat_checkins(void **state) {
        (void) state;
        day_t checkins[] = { week_day(0, 3), week_day(0, 3) };
        LapseInput in = weekly_since(W0);
        HabitReport r;

        in.times = 2;
        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        assert_int_equal(lapse_compute(&in, W0, week_day(0, 6), &r), 0);
        assert_int_equal(r.periods[0].checkins, 2);
        assert_int_equal(r.periods[0].fate, PERIOD_MET);
        habit_report_done(&r);
        in.times = 3;
        assert_int_equal(lapse_compute(&in, W0, week_day(0, 6), &r), 0);
        assert_int_equal(r.periods[0].fate, PERIOD_MISSED);
        habit_report_done(&r);
}

static void test_open_period(void **state) {
        (void) state;
        day_t checkins[] = { week_day(0, 3), week_day(1, 6) };
        LapseInput in = weekly_since(W0);
        HabitReport r;

        in.checkins = checkins;
        in.n_checkins = 1;
        /* @to on the period's last day: finished. */
        assert_int_equal(lapse_compute(&in, W0, week_day(0, 6), &r), 0);
        assert_int_equal(r.n_periods, 1);
        assert_int_equal(r.periods[0].fate, PERIOD_MET);
        assert_int_equal(r.status, HABIT_OK);
        habit_report_done(&r);
        /* A day earlier: open, met already, counted in no tally. */
        assert_int_equal(lapse_compute(&in, W0, week_day(0, 5), &r), 0);
        assert_int_equal(r.n_periods, 1);
        assert_int_equal(r.periods[0].fate, PERIOD_OPEN);
        assert_int_equal(r.met + r.missed + r.skipped + r.paused, 0);
        assert_false(r.has_adherence);
        assert_int_equal(r.status, HABIT_NEW);
        assert_int_equal(r.current_streak, 1);
        habit_report_done(&r);
        /* An open period with no check-in yet is not missed, and a check-in
         * after @to is not seen. */
        in.checkins = checkins + 1;
        assert_int_equal(lapse_compute(&in, W0, week_day(1, 5), &r), 0);
        assert_int_equal(r.n_periods, 2);
        assert_int_equal(r.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(r.periods[1].fate, PERIOD_OPEN);
        assert_int_equal(r.periods[1].checkins, 0);
        assert_int_equal(r.missed, 1);
        assert_false(r.has_last_done);
        assert_int_equal(r.status, HABIT_AT_RISK);
        habit_report_done(&r);
}

static void test_checkins_outside_habit(void **state) {
        (void) state;
        day_t checkins[] = { week_day(0, 1), week_day(1, 1), week_day(4, 2) };
        LapseInput in = weekly_since(week_day(1, 0));
        HabitReport r;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        assert_int_equal(lapse_compute(&in, W0, week_day(2, 5), &r), 0);
        assert_int_equal(r.start, week_day(1, 0));
        assert_int_equal(r.n_periods, 2);
        assert_period(r.periods[0].period, week_day(1, 0), week_day(1, 6));
        assert_int_equal(r.periods[0].checkins, 1); /* week 0's is before since */
        assert_int_equal(r.periods[1].checkins, 0); /* week 4's is after @to */
        assert_int_equal(r.last_done, week_day(1, 1));
        habit_report_done(&r);
}

static void test_lapse_start_end(void **state) {
        (void) state;
        WeekStory s;
        HabitReport r;

        week_story(&s, "MXXXMX", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.n_lapses, 1);
        assert_int_equal(r.lapses[0].from, week_day(1, 0));
        assert_int_equal(r.lapses[0].to, week_day(3, 6));
        assert_false(r.lapses[0].ongoing);
        assert_int_equal(r.lapses[0].missed, 3);
        assert_false(r.lapsed);
        assert_int_equal(r.status, HABIT_AT_RISK);
        habit_report_done(&r);

        week_story(&s, "MMXX", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.n_lapses, 1);
        assert_true(r.lapses[0].ongoing);
        assert_int_equal(r.lapses[0].from, week_day(2, 0));
        assert_int_equal(r.lapses[0].missed, 2);
        assert_true(r.lapsed);
        assert_int_equal(r.lapsed_since, week_day(2, 0));
        assert_int_equal(r.status, HABIT_LAPSED);
        habit_report_done(&r);
}

static void test_lapse_after(void **state) {
        (void) state;
        static const unsigned expected[] = { 0, 3, 2, 1, 0 };
        WeekStory s;
        HabitReport r;

        for (unsigned after = 1; after <= 4; after++) {
                week_story(&s, "MXMXXMXXXM", after, -1, false);
                story_compute(&s, W0, &r);
                assert_int_equal(r.n_lapses, expected[after]);
                assert_int_equal(r.missed, 6);
                if (after == 3) {
                        assert_int_equal(r.lapses[0].from, week_day(6, 0));
                        assert_int_equal(r.lapses[0].to, week_day(8, 6));
                        assert_int_equal(r.lapses[0].missed, 3);
                }
                if (after == 1) {
                        assert_int_equal(r.lapses[0].missed, 1);
                        assert_int_equal(r.lapses[1].missed, 2);
                        assert_int_equal(r.lapses[2].missed, 3);
                }
                habit_report_done(&r);
        }
}

static void test_skip_breaks_run(void **state) {
        (void) state;
        WeekStory s;
        HabitReport r;

        week_story(&s, "MXSXM", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.n_lapses, 0);
        assert_int_equal(r.missed, 2);
        habit_report_done(&r);

        week_story(&s, "MXXXM", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.n_lapses, 1);
        habit_report_done(&r);

        /* A skip ends a lapse the day before its period. */
        week_story(&s, "MXXS", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.n_lapses, 1);
        assert_false(r.lapses[0].ongoing);
        assert_int_equal(r.lapses[0].to, week_day(2, 6));
        assert_false(r.lapsed);
        assert_int_equal(r.status, HABIT_OK);
        habit_report_done(&r);
}

static void test_pause_mid_period(void **state) {
        (void) state;
        day_t checkins[] = { week_day(0, 1) };
        LapsePause pauses[] = { { week_day(2, 3), LAPSE_OPEN_END, "ligament" } };
        LapseInput in = weekly_since(W0);
        HabitReport r;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        in.lapse_after = 1;
        assert_int_equal(lapse_compute(&in, W0, week_day(4, 6), &r), 0);
        assert_int_equal(r.periods[1].fate, PERIOD_MISSED);
        assert_int_equal(r.periods[2].fate, PERIOD_PAUSED); /* the pause starts on its Thursday */
        assert_int_equal(r.periods[3].fate, PERIOD_PAUSED);
        assert_int_equal(r.periods[4].fate, PERIOD_PAUSED);
        assert_int_equal(r.paused, 3);
        /* The pause ends the one-week lapse before the paused week. */
        assert_int_equal(r.n_lapses, 1);
        assert_int_equal(r.lapses[0].from, week_day(1, 0));
        assert_int_equal(r.lapses[0].to, week_day(1, 6));
        assert_false(r.lapses[0].ongoing);
        assert_false(r.lapsed);
        assert_int_equal(r.status, HABIT_PAUSED);
        habit_report_done(&r);

        /* A pause that ended mid-period still covers that period. */
        pauses[0].to = week_day(3, 1);
        assert_int_equal(lapse_compute(&in, W0, week_day(4, 6), &r), 0);
        assert_int_equal(r.periods[3].fate, PERIOD_PAUSED);
        assert_int_equal(r.periods[4].fate, PERIOD_MISSED);
        assert_int_equal(r.status, HABIT_LAPSED);
        assert_int_equal(r.lapsed_since, week_day(4, 0));
        habit_report_done(&r);
}

static void test_overlapping_pauses(void **state) {
        (void) state;
        /* A long pause and a short one inside it: sorted by start, the
         * short one's end must not hide the long one's. */
        LapsePause pauses[] = { { week_day(0, 0), week_day(5, 0), NULL }, { week_day(1, 0), week_day(1, 1), NULL } };
        LapseInput in = weekly_since(W0);
        HabitReport r;

        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        assert_int_equal(lapse_compute(&in, W0, week_day(6, 6), &r), 0);
        assert_int_equal(r.paused, 6);
        assert_int_equal(r.periods[6].fate, PERIOD_MISSED);
        assert_int_equal(r.status, HABIT_AT_RISK);
        habit_report_done(&r);
}

/* A pause that ends before it begins is empty, not a pause of its week. */
static void test_empty_pause(void **state) {
        (void) state;
        LapsePause pauses[] = { { week_day(0, 4), week_day(0, 2), NULL } };
        LapseInput in = weekly_since(W0);
        HabitReport r;

        in.pauses = pauses;
        in.n_pauses = ELEMENTSOF(pauses);
        assert_int_equal(lapse_compute(&in, W0, week_day(0, 6), &r), 0);
        assert_int_equal(r.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(r.paused, 0);
        habit_report_done(&r);
}

static void test_lapse_ended_by_open_met(void **state) {
        (void) state;
        WeekStory s;
        HabitReport r;

        week_story(&s, "MXX", 2, 2, true);
        story_compute(&s, W0, &r);
        assert_int_equal(r.periods[3].fate, PERIOD_OPEN);
        assert_int_equal(r.n_lapses, 1);
        assert_false(r.lapses[0].ongoing);
        assert_int_equal(r.lapses[0].to, week_day(2, 6));
        assert_false(r.lapsed);
        /* The last finished period was missed: at risk, as the header says. */
        assert_int_equal(r.status, HABIT_AT_RISK);
        assert_int_equal(r.current_streak, 1);
        habit_report_done(&r);

        week_story(&s, "MXX", 2, 2, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.n_lapses, 1);
        assert_true(r.lapses[0].ongoing);
        assert_true(r.lapsed);
        assert_int_equal(r.lapsed_since, week_day(1, 0));
        assert_int_equal(r.status, HABIT_LAPSED);
        assert_int_equal(r.current_streak, 0);
        habit_report_done(&r);
}

static void test_lapse_before_range(void **state) {
        (void) state;
        WeekStory s;
        HabitReport r;

        /* Ongoing since week 1; the range starts at week 6. */
        week_story(&s, "MXXXXXXXXX", 2, -1, false);
        story_compute(&s, week_day(6, 0), &r);
        assert_int_equal(r.n_periods, 4);
        assert_int_equal(r.missed, 4);
        assert_int_equal(r.n_lapses, 1);
        assert_int_equal(r.lapses[0].from, week_day(1, 0));
        assert_int_equal(r.lapses[0].missed, 9);
        assert_true(r.lapses[0].ongoing);
        assert_int_equal(r.lapsed_since, week_day(1, 0));
        habit_report_done(&r);

        /* A lapse over before the range is not listed ... */
        week_story(&s, "MXXXMMMMMM", 2, -1, false);
        story_compute(&s, week_day(4, 0), &r);
        assert_int_equal(r.n_lapses, 0);
        assert_int_equal(r.current_streak, 6);
        habit_report_done(&r);
        /* ... one with a missed period ending in it is, whole. */
        story_compute(&s, week_day(3, 6), &r);
        assert_int_equal(r.n_lapses, 1);
        assert_int_equal(r.lapses[0].from, week_day(1, 0));
        assert_int_equal(r.lapses[0].missed, 3);
        assert_int_equal(r.missed, 1);
        habit_report_done(&r);
}

static void test_streaks(void **state) {
        (void) state;
        WeekStory s;
        HabitReport r;

        week_story(&s, "MMSMPMXMM", 2, 2, true);
        story_compute(&s, W0, &r);
        /* The open week counts once met; skips and pauses are transparent. */
        assert_int_equal(r.current_streak, 3);
        assert_int_equal(r.longest_streak, 4);
        habit_report_done(&r);

        week_story(&s, "MMSMPMXMM", 2, 2, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.current_streak, 2);
        assert_int_equal(r.longest_streak, 4);
        habit_report_done(&r);

        /* Longest counts only the range: weeks 3.. are M P M X M M + open M. */
        week_story(&s, "MMSMPMXMM", 2, 2, true);
        story_compute(&s, week_day(3, 0), &r);
        assert_int_equal(r.longest_streak, 3);
        assert_int_equal(r.current_streak, 3);
        habit_report_done(&r);

        /* A skip at the end neither breaks the streak nor adds to it. */
        week_story(&s, "MMS", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.current_streak, 2);
        habit_report_done(&r);

        week_story(&s, "MMX", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.current_streak, 0);
        assert_int_equal(r.longest_streak, 2);
        habit_report_done(&r);
}

static void test_adherence(void **state) {
        (void) state;
        WeekStory s;
        HabitReport r;

        week_story(&s, "SSP", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_false(r.has_adherence);
        assert_int_equal(r.skipped, 2);
        assert_int_equal(r.paused, 1);
        habit_report_done(&r);

        week_story(&s, "MXMSMP", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_true(r.has_adherence);
        assert_float_equal(r.adherence, 3.0 / 4.0, 1e-12);
        habit_report_done(&r);
}

static void test_strength_multiplier(void **state) {
        (void) state;
        double m = weekly_multiplier(1);
        WeekStory s;
        HabitReport r;

        assert_float_equal(m, pow(pow(0.5, sqrt(1.0 / 7.0) / 13.0), 7.0), 0);
        week_story(&s, "M", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_float_equal(r.strength, 1.0 - m, 1e-12);
        habit_report_done(&r);

        week_story(&s, "MX", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_float_equal(r.strength, (1.0 - m) * m, 1e-12);
        habit_report_done(&r);

        /* Skipped and paused periods leave it alone; the open one too. */
        week_story(&s, "MSP", 2, 3, true);
        story_compute(&s, W0, &r);
        assert_float_equal(r.strength, 1.0 - m, 1e-12);
        habit_report_done(&r);

        week_story(&s, "XM", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_float_equal(r.strength, 1.0 - m, 1e-12);
        habit_report_done(&r);

        /* times enters the multiplier: sqrt(times / L). */
        week_story(&s, "M", 2, -1, false);
        s.checkins[1] = s.checkins[0];
        s.checkins[2] = s.checkins[0];
        s.in.n_checkins = 3;
        s.in.times = 3;
        story_compute(&s, W0, &r);
        assert_float_equal(r.strength, 1.0 - weekly_multiplier(3), 1e-12);
        habit_report_done(&r);
}

static void test_strength_month_length(void **state) {
        (void) state;
        day_t checkins[] = { ymd(2024, 2, 10) };
        LapseInput in = weekly_since(ymd(2024, 2, 1));
        HabitReport r;

        in.every = (Every){ EVERY_MONTH, 1 };
        in.checkins = checkins;
        in.n_checkins = 1;
        assert_int_equal(lapse_compute(&in, ymd(2024, 2, 1), ymd(2024, 3, 31), &r), 0);
        double feb = pow(pow(0.5, sqrt(1.0 / 29.0) / 13.0), 29.0);
        double mar = pow(pow(0.5, sqrt(1.0 / 31.0) / 13.0), 31.0);
        assert_float_equal(r.strength, (1.0 - feb) * mar, 1e-12);
        habit_report_done(&r);
}

static void test_strength_ordering(void **state) {
        (void) state;
        WeekStory scattered, abandoned;
        HabitReport a, b;

        week_story(&scattered, "MMMMXMMMMM", 2, -1, false);
        week_story(&abandoned, "MMMMMMMMMXXXXX", 2, -1, false);
        story_compute(&scattered, W0, &a);
        story_compute(&abandoned, W0, &b);
        assert_int_equal(a.met, 9);
        assert_int_equal(b.met, 9);
        assert_true(a.strength > b.strength);
        assert_true(a.strength >= 0.0 && a.strength <= 1.0);
        assert_true(b.strength >= 0.0 && b.strength <= 1.0);
        habit_report_done(&a);
        habit_report_done(&b);
}

static void test_status(void **state) {
        (void) state;
        WeekStory s;
        HabitReport r;

        week_story(&s, "MXM", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.status, HABIT_OK);
        habit_report_done(&r);

        week_story(&s, "MMX", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.status, HABIT_AT_RISK);
        habit_report_done(&r);

        week_story(&s, "MXX", 2, -1, false);
        story_compute(&s, W0, &r);
        assert_int_equal(r.status, HABIT_LAPSED);
        habit_report_done(&r);

        /* Paused wins over lapsed: a pause covers @to. */
        week_story(&s, "MXX", 2, 1, false);
        s.pauses[0] = (LapsePause){ week_day(3, 0), LAPSE_OPEN_END, "injury" };
        s.in.n_pauses = 1;
        story_compute(&s, W0, &r);
        assert_true(r.lapsed);
        assert_int_equal(r.status, HABIT_PAUSED);
        habit_report_done(&r);

        /* A pause that ended before @to does not make the habit paused. */
        s.pauses[0].to = week_day(3, 0);
        story_compute(&s, W0, &r);
        assert_int_equal(r.status, HABIT_LAPSED);
        habit_report_done(&r);

        week_story(&s, "", 2, 3, true);
        story_compute(&s, W0, &r);
        assert_int_equal(r.status, HABIT_NEW);
        habit_report_done(&r);
}

static void test_week_start_sunday(void **state) {
        (void) state;
        day_t checkins[] = { ymd(2023, 1, 8) }; /* a Sunday */
        LapseInput in = weekly_since(ymd(2023, 1, 4));
        HabitReport r;

        in.week_start = WEEK_START_SUNDAY;
        in.checkins = checkins;
        in.n_checkins = 1;
        assert_period(lapse_period_containing(&in, ymd(2023, 1, 4)), ymd(2023, 1, 1), ymd(2023, 1, 7));
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2023, 1, 14), &r), 0);
        assert_int_equal(r.n_periods, 2);
        assert_period(r.periods[1].period, ymd(2023, 1, 8), ymd(2023, 1, 14));
        assert_int_equal(r.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(r.periods[1].fate, PERIOD_MET);
        habit_report_done(&r);
        in.week_start = WEEK_START_MONDAY;
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2023, 1, 14), &r), 0);
        assert_int_equal(r.periods[0].fate, PERIOD_MET); /* Sunday ends a Monday week */
        habit_report_done(&r);
}

static void test_n_weeks(void **state) {
        (void) state;
        LapseInput in = weekly_since(ymd(2023, 1, 4)); /* a Wednesday */
        HabitReport r;

        in.every = (Every){ EVERY_WEEK, 2 };
        assert_period(lapse_period_containing(&in, ymd(2023, 1, 4)), ymd(2023, 1, 2), ymd(2023, 1, 15));
        assert_period(lapse_period_containing(&in, ymd(2023, 1, 20)), ymd(2023, 1, 16), ymd(2023, 1, 29));
        /* Before the start the alignment extends backwards. */
        assert_period(lapse_period_containing(&in, ymd(2022, 12, 25)), ymd(2022, 12, 19), ymd(2023, 1, 1));
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2023, 1, 29), &r), 0);
        assert_int_equal(r.n_periods, 2);
        assert_int_equal(r.missed, 2);
        habit_report_done(&r);
        in.week_start = WEEK_START_SUNDAY;
        assert_period(lapse_period_containing(&in, ymd(2023, 1, 4)), ymd(2023, 1, 1), ymd(2023, 1, 14));
}

static void test_since_mid_period(void **state) {
        (void) state;
        day_t before[] = { ymd(2023, 1, 2) };
        day_t after[] = { ymd(2023, 1, 5) };
        LapseInput in = weekly_since(ymd(2023, 1, 4));
        HabitReport r;

        in.checkins = before;
        in.n_checkins = 1;
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2023, 1, 8), &r), 0);
        assert_int_equal(r.n_periods, 1);
        assert_period(r.periods[0].period, ymd(2023, 1, 2), ymd(2023, 1, 8));
        assert_int_equal(r.periods[0].checkins, 0);
        assert_int_equal(r.periods[0].fate, PERIOD_MISSED);
        habit_report_done(&r);
        in.checkins = after;
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2023, 1, 8), &r), 0);
        assert_int_equal(r.periods[0].fate, PERIOD_MET);
        habit_report_done(&r);
        /* A pause before since, in the first period, does not count. */
        LapsePause pauses[] = { { ymd(2023, 1, 2), ymd(2023, 1, 3), NULL } };
        in.n_checkins = 0;
        in.pauses = pauses;
        in.n_pauses = 1;
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2023, 1, 8), &r), 0);
        assert_int_equal(r.periods[0].fate, PERIOD_MISSED);
        habit_report_done(&r);
}

static void test_months(void **state) {
        (void) state;
        day_t checkins[] = { ymd(2024, 2, 29) };
        LapseInput in = weekly_since(ymd(2024, 1, 15));
        HabitReport r;

        in.every = (Every){ EVERY_MONTH, 1 };
        in.checkins = checkins;
        in.n_checkins = 1;
        assert_int_equal(lapse_compute(&in, ymd(2024, 1, 1), ymd(2024, 3, 31), &r), 0);
        assert_int_equal(r.n_periods, 3);
        assert_period(r.periods[0].period, ymd(2024, 1, 1), ymd(2024, 1, 31));
        assert_period(r.periods[1].period, ymd(2024, 2, 1), ymd(2024, 2, 29));
        assert_period(r.periods[2].period, ymd(2024, 3, 1), ymd(2024, 3, 31));
        assert_int_equal(r.periods[1].fate, PERIOD_MET);
        habit_report_done(&r);
        /* Feb 2024 ends on the 29th: on the 28th it is still open. */
        assert_int_equal(lapse_compute(&in, ymd(2024, 1, 1), ymd(2024, 2, 28), &r), 0);
        assert_int_equal(r.periods[1].fate, PERIOD_OPEN);
        habit_report_done(&r);

        in.since = ymd(2023, 2, 10);
        assert_period(lapse_period_containing(&in, ymd(2023, 2, 10)), ymd(2023, 2, 1), ymd(2023, 2, 28));
        in.since = ymd(2100, 2, 3);
        assert_period(lapse_period_containing(&in, ymd(2100, 2, 3)), ymd(2100, 2, 1), ymd(2100, 2, 28));

        in.every.n = 2;
        in.since = ymd(2024, 1, 10);
        assert_period(lapse_period_containing(&in, ymd(2024, 2, 29)), ymd(2024, 1, 1), ymd(2024, 2, 29));
        assert_period(lapse_period_containing(&in, ymd(2024, 3, 1)), ymd(2024, 3, 1), ymd(2024, 4, 30));
        assert_period(lapse_period_containing(&in, ymd(2023, 12, 15)), ymd(2023, 11, 1), ymd(2023, 12, 31));
        assert_period(lapse_period_containing(&in, ymd(2024, 12, 31)), ymd(2024, 11, 1), ymd(2024, 12, 31));

        in.every.n = 6;
        in.since = ymd(2023, 3, 5);
        assert_period(lapse_period_containing(&in, ymd(2023, 3, 5)), ymd(2023, 3, 1), ymd(2023, 8, 31));
        assert_period(lapse_period_containing(&in, ymd(2023, 12, 1)), ymd(2023, 9, 1), ymd(2024, 2, 29));
        assert_period(lapse_period_containing(&in, ymd(2024, 3, 1)), ymd(2024, 3, 1), ymd(2024, 8, 31));
        assert_period(lapse_period_containing(&in, ymd(2022, 12, 31)), ymd(2022, 9, 1), ymd(2023, 2, 28));
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2024, 5, 1), &r), 0);
        assert_int_equal(r.n_periods, 3);
        assert_int_equal(r.periods[0].fate, PERIOD_MISSED);
        assert_int_equal(r.periods[1].fate, PERIOD_MET); /* 29 Feb 2024 is in Sep-Feb */
        assert_int_equal(r.periods[2].fate, PERIOD_OPEN);
        assert_int_equal(r.met, 1);
        assert_int_equal(r.missed, 1);
        assert_int_equal(r.status, HABIT_OK);
        habit_report_done(&r);
        in.n_checkins = 0;
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2024, 5, 1), &r), 0);
        assert_int_equal(r.missed, 2);
        assert_true(r.lapsed);
        assert_int_equal(r.lapsed_since, ymd(2023, 3, 1));
        habit_report_done(&r);
}

static void test_n_days(void **state) {
        (void) state;
        day_t checkins[] = { ymd(2023, 1, 5), ymd(2023, 1, 10) };
        LapseInput in = weekly_since(ymd(2023, 1, 4));
        HabitReport r;

        in.every = (Every){ EVERY_DAY, 3 };
        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        assert_period(lapse_period_containing(&in, ymd(2023, 1, 3)), ymd(2023, 1, 1), ymd(2023, 1, 3));
        assert_period(lapse_period_containing(&in, ymd(2023, 1, 9)), ymd(2023, 1, 7), ymd(2023, 1, 9));
        assert_int_equal(lapse_compute(&in, ymd(2023, 1, 1), ymd(2023, 1, 10), &r), 0);
        assert_int_equal(r.n_periods, 3);
        assert_period(r.periods[0].period, ymd(2023, 1, 4), ymd(2023, 1, 6));
        assert_int_equal(r.periods[0].fate, PERIOD_MET);
        assert_int_equal(r.periods[1].fate, PERIOD_MISSED);
        assert_int_equal(r.periods[2].fate, PERIOD_OPEN);
        assert_int_equal(r.current_streak, 1);
        habit_report_done(&r);

        /* Without since the first check-in starts the habit. */
        in.has_since = false;
        assert_period(lapse_period_containing(&in, ymd(2023, 1, 9)), ymd(2023, 1, 8), ymd(2023, 1, 10));
        in.every.n = 1;
        assert_period(lapse_period_containing(&in, ymd(2023, 1, 9)), ymd(2023, 1, 9), ymd(2023, 1, 9));
}

static void test_range_cuts_period(void **state) {
        (void) state;
        WeekStory s;
        HabitReport r;

        week_story(&s, "MMMMMM", 2, -1, false);
        story_compute(&s, week_day(3, 1), &r); /* a Tuesday: week 3 counts */
        assert_int_equal(r.n_periods, 3);
        assert_int_equal(r.met, 3);
        assert_period(r.periods[0].period, week_day(3, 0), week_day(3, 6));
        habit_report_done(&r);
        story_compute(&s, week_day(3, 0), &r); /* week 2 ended the day before */
        assert_int_equal(r.n_periods, 3);
        habit_report_done(&r);
        story_compute(&s, week_day(2, 6), &r); /* week 2 ends on it */
        assert_int_equal(r.n_periods, 4);
        habit_report_done(&r);
        /* A range from before the start lists from the start. */
        story_compute(&s, W0 - 100, &r);
        assert_int_equal(r.n_periods, 6);
        habit_report_done(&r);
}

/* USER.md: weekly reviews kept until 20 August 2023, then none. */
static void test_user_story(void **state) {
        (void) state;
        day_t checkins[64];
        LapseInput in = weekly_since(ymd(2023, 1, 2));
        HabitReport r;
        size_t n = 0;

        for (day_t d = ymd(2023, 1, 8); d <= ymd(2023, 8, 20); d += 7)
                checkins[n++] = d;
        assert_int_equal(n, 33);
        in.checkins = checkins;
        in.n_checkins = n;
        assert_int_equal(lapse_compute(&in, ymd(2023, 7, 1), ymd(2023, 12, 31), &r), 0);
        assert_int_equal(r.n_periods, 27);
        assert_period(r.periods[0].period, ymd(2023, 6, 26), ymd(2023, 7, 2));
        assert_period(r.periods[26].period, ymd(2023, 12, 25), ymd(2023, 12, 31));
        assert_int_equal(r.periods[26].fate, PERIOD_MISSED);
        assert_int_equal(r.met, 8);
        assert_int_equal(r.missed, 19);
        assert_int_equal(r.skipped + r.paused, 0);
        assert_true(r.has_adherence);
        assert_float_equal(r.adherence, 8.0 / 27.0, 1e-12);
        assert_true(r.lapsed);
        assert_int_equal(r.lapsed_since, ymd(2023, 8, 21));
        assert_int_equal(r.n_lapses, 1);
        assert_int_equal(r.lapses[0].from, ymd(2023, 8, 21));
        assert_true(r.lapses[0].ongoing);
        assert_int_equal(r.lapses[0].missed, 19);
        assert_int_equal(r.status, HABIT_LAPSED);
        assert_int_equal(r.current_streak, 0);
        assert_int_equal(r.longest_streak, 8);
        assert_int_equal(r.last_done, ymd(2023, 8, 20));
        double m = weekly_multiplier(1);
        assert_float_equal(r.strength, (1.0 - pow(m, 33)) * pow(m, 19), 1e-9);
        habit_report_done(&r);
}

static void test_ten_years_daily(void **state) {
        (void) state;
        day_t first = ymd(2014, 1, 1), last = ymd(2023, 12, 31);
        size_t n = (size_t) (last - first + 1);
        day_t *checkins = calloc(n, sizeof(day_t));
        LapseInput in = weekly_since(first);
        HabitReport r;

        assert_non_null(checkins);
        for (size_t i = 0; i < n; i++)
                checkins[i] = first + (day_t) i;
        in.every = (Every){ EVERY_DAY, 1 };
        in.checkins = checkins;
        in.n_checkins = n - 10; /* the last ten days missed */
        assert_int_equal(lapse_compute(&in, first, last, &r), 0);
        assert_int_equal(n, 3652);
        assert_int_equal(r.n_periods, 3652);
        assert_int_equal(r.met, 3642);
        assert_int_equal(r.missed, 10);
        assert_int_equal(r.longest_streak, 3642);
        assert_int_equal(r.current_streak, 0);
        assert_int_equal(r.lapsed_since, last - 9);
        assert_int_equal(r.n_lapses, 1);
        habit_report_done(&r);
        in.n_checkins = n;
        assert_int_equal(lapse_compute(&in, ymd(2023, 7, 1), last, &r), 0);
        assert_int_equal(r.n_periods, 184);
        assert_int_equal(r.met, 184);
        assert_int_equal(r.current_streak, 3652);
        assert_true(r.strength > 0.999 && r.strength <= 1.0);
        assert_int_equal(r.status, HABIT_OK);
        habit_report_done(&r);
        free(checkins);
}

/* The ends of day_t must not overflow anywhere (UBSan watches). */
static void test_extremes(void **state) {
        (void) state;
        LapseInput in = weekly_since(INT32_MAX - 40);
        HabitReport r;
        Period p;

        in.every = (Every){ EVERY_MONTH, 1 };
        p = lapse_period_containing(&in, INT32_MAX);
        assert_int_equal(p.end, INT32_MAX);
        assert_true(p.start <= INT32_MAX && p.start > INT32_MAX - 31);
        assert_int_equal(lapse_compute(&in, INT32_MAX - 40, INT32_MAX, &r), 0);
        assert_true(r.n_periods >= 1);
        assert_int_equal(r.periods[r.n_periods - 1].period.end, INT32_MAX);
        assert_int_equal(r.periods[r.n_periods - 1].fate, PERIOD_MISSED);
        habit_report_done(&r);
        in.every = (Every){ EVERY_DAY, 4000000000u };
        p = lapse_period_containing(&in, INT32_MIN);
        assert_int_equal(p.start, INT32_MIN);
        assert_true(p.end >= INT32_MIN);
        in.since = INT32_MIN;
        in.every = (Every){ EVERY_WEEK, 1000000 };
        assert_int_equal(lapse_compute(&in, INT32_MIN, INT32_MAX, &r), 0);
        assert_true(r.n_periods > 0);
        habit_report_done(&r);
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
                cmocka_unit_test(test_n_days),
                cmocka_unit_test(test_range_cuts_period),
                cmocka_unit_test(test_user_story),
                cmocka_unit_test(test_ten_years_daily),
                cmocka_unit_test(test_extremes),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
