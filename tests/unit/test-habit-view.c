/* Unit tests of the one view of a habit (habit-view.c), with the defects
 * that the one-truth rework fixed as named regression tests. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "habit-view.h"
#include "report.h"
#include "wording.h"

#define D(y, m, d) date_from_ymd(y, m, d)

static HabitInput daily(const HabitEvent *checkins, size_t n) {
        return (HabitInput){ .name = "pages",
                             .every = { EVERY_DAY, 1 },
                             .times = 1,
                             .lapse_after = 2,
                             .week_start = WEEK_START_MONDAY,
                             .checkins = checkins,
                             .n_checkins = n };
}

static const HabitPeriod *last_period(const HabitView *v) {
        assert_true(v->n_periods > 0);
        return &v->periods[v->n_periods - 1];
}

/* Defect 1: a report that ends today counted today as missed ("7 days
 * missed" where the live view said 6, today painted as missed). */
static void test_regression_today_is_open_not_missed(void **state) {
        day_t today = D(2026, 12, 2);
        HabitEvent c[] = { { D(2026, 11, 1), NULL }, { today - 6, NULL } };
        HabitInput in = daily(c, 2);
        HabitView report, live;

        assert_int_equal(habit_view_compute(&in, D(2026, 11, 1), today, today, &report), 0);
        assert_int_equal(habit_view_live(&in, today, &live), 0);
        assert_int_equal(last_period(&report)->fate, PERIOD_OPEN);
        assert_int_equal(last_period(&report)->period.start, today);
        assert_true(report.lapsed);
        assert_int_equal(report.lapsed_missed, 5); /* the five days after the last check-in, not six */
        assert_int_equal(report.lapsed_missed, live.lapsed_missed);
        assert_int_equal(report.lapses[report.n_lapses - 1].missed, 5);
        /* The report's tallies: finished periods only, plus the open one listed. */
        assert_int_equal(report.finished + 1, report.n_periods);
        assert_int_equal(report.met + report.missed + report.skipped + report.paused, report.finished);
        char *summary, *body;
        assert_int_equal(wording_lapse(&live, &summary, &body), 0);
        assert_non_null(strstr(body, "5 days missed"));
        free(summary);
        free(body);
        habit_view_done(&report);
        habit_view_done(&live);
}

/* Defect 2: "streak 15 (longest 6)": the longest was counted in the range,
 * the current one over all time. */
static void test_regression_current_never_above_longest(void **state) {
        day_t today = D(2026, 12, 2);
        HabitEvent c[30];
        for (int i = 0; i < 30; i++)
                c[i] = (HabitEvent){ today - 30 + i, NULL };
        HabitInput in = daily(c, 30);
        HabitView v;

        assert_int_equal(habit_view_compute(&in, today - 5, today, today, &v), 0);
        assert_int_equal(v.history.current_streak, 30);
        assert_int_equal(v.history.longest_streak, 30);
        assert_int_equal(v.longest_streak_in_range, 5);
        assert_true(v.history.current_streak <= v.history.longest_streak);
        habit_view_done(&v);
}

/* Defect 3: after this week's review was answered, the live view said ok
 * and the report to today said at-risk. */
static void test_regression_report_and_live_agree_on_status(void **state) {
        day_t today = D(2026, 12, 2); /* a Wednesday */
        Period week = period_week(today, WEEK_START_MONDAY);
        HabitEvent answers[] = { { week.start - 14, NULL }, { today, NULL } };
        HabitInput in = { .name = "weekly-review",
                          .kind = HABIT_WEEKLY_REVIEW,
                          .times = 1,
                          .lapse_after = 2,
                          .week_start = WEEK_START_MONDAY,
                          .checkins = answers,
                          .n_checkins = 2 };
        HabitView live, report;

        assert_int_equal(habit_view_live(&in, today, &live), 0);
        assert_int_equal(habit_view_compute(&in, today - 60, today, today, &report), 0);
        /* Last week was missed, but this week is answered: making good. */
        assert_int_equal(live.status, HABIT_OK);
        assert_int_equal(report.status, live.status);
        assert_int_equal(report.history.current_streak, live.history.current_streak);
        assert_int_equal(live.history.current_streak, 1);
        habit_view_done(&live);
        habit_view_done(&report);
}

/* Defect 4 (the core's part): a lapse picked up again today is over; the
 * live view is not lapsed and shows the lapse as ended yesterday. */
static void test_regression_pickup_today_ends_lapse(void **state) {
        day_t today = D(2026, 12, 2);
        HabitEvent c[] = { { D(2026, 11, 26), NULL }, { today, NULL } };
        HabitInput in = daily(c, 2);
        HabitView v;

        assert_int_equal(habit_view_live(&in, today, &v), 0);
        assert_false(v.lapsed);
        assert_int_equal(v.status, HABIT_OK);
        assert_int_equal(v.history.n_lapses, 1);
        assert_false(v.history.lapses[0].ongoing);
        assert_int_equal(v.history.lapses[0].from, D(2026, 11, 27));
        assert_int_equal(v.history.lapses[0].to, today - 1);
        char *summary, *body;
        assert_int_equal(wording_lapse(&v, &summary, &body), -EINVAL); /* nothing to announce */
        habit_view_done(&v);
}

/* Defect 5: notes were stored and never shown. */
static void test_regression_notes_are_in_the_view(void **state) {
        day_t today = D(2026, 12, 31);
        HabitEvent c[] = { { D(2026, 12, 3), "finished 'Piranesi'" }, { D(2026, 12, 20), NULL } };
        HabitEvent s[] = { { D(2026, 12, 24), "Christmas at my parents'" } };
        HabitPause p[] = { { D(2026, 12, 10), D(2026, 12, 12), "flu" } };
        HabitInput in = daily(c, 2);
        HabitView v;

        in.skips = s;
        in.n_skips = 1;
        in.pauses = p;
        in.n_pauses = 1;
        assert_int_equal(habit_view_compute(&in, D(2026, 12, 1), today, today, &v), 0);
        assert_int_equal(v.n_notes, 3);
        assert_int_equal(v.notes[0].kind, NOTE_CHECKIN);
        assert_string_equal(v.notes[0].text, "finished 'Piranesi'");
        assert_int_equal(v.notes[1].kind, NOTE_PAUSE);
        assert_string_equal(v.notes[1].text, "flu");
        assert_int_equal(v.notes[2].kind, NOTE_SKIP);
        assert_int_equal(v.notes[2].day, D(2026, 12, 24));
        Report r = { .from = v.from, .to = v.to, .habits = &v, .n_habits = 1 };
        char *md = report_render(&r, REPORT_MARKDOWN), *html = report_render(&r, REPORT_HTML);
        json_t *j = report_habit_json(&v);
        assert_non_null(strstr(md, "finished 'Piranesi'"));
        assert_non_null(strstr(md, "Christmas at my parents'"));
        assert_non_null(strstr(html, "finished &#39;Piranesi&#39;"));
        assert_int_equal(json_array_size(json_object_get(j, "notes")), 3);
        free(md);
        free(html);
        json_decref(j);
        habit_view_done(&v);
}

/* Defect 7: a new half-year habit showed 2026-12-01..2027-05-31 before its
 * first answer, while the prompt was for July-December. */
static void test_regression_new_halfyear_period(void **state) {
        day_t today = D(2026, 12, 2);
        HabitInput in = { .name = "halfyear-review", .kind = HABIT_HALFYEAR_REVIEW, .times = 1, .lapse_after = 1 };
        HabitView v;
        const HabitPeriod *open;

        assert_int_equal(habit_view_live(&in, today, &v), 0);
        assert_true(habit_view_open(&v, &open));
        assert_int_equal(open->period.start, D(2026, 7, 1));
        assert_int_equal(open->period.end, D(2026, 12, 31));
        assert_int_equal(v.status, HABIT_NEW);
        habit_view_done(&v);
        /* Started by an answer in March: still calendar halves. */
        HabitEvent a[] = { { D(2026, 3, 15), NULL } };
        in.checkins = a;
        in.n_checkins = 1;
        assert_int_equal(habit_view_live(&in, today, &v), 0);
        assert_int_equal(v.history.periods[0].period.start, D(2026, 1, 1));
        assert_true(habit_view_open(&v, &open));
        assert_int_equal(open->period.start, D(2026, 7, 1));
        habit_view_done(&v);
}

/* A past range ends on a complete day: the period ending on `to` is judged. */
static void test_past_range_judges_its_last_day(void **state) {
        HabitEvent c[] = { { D(2026, 6, 1), NULL } };
        HabitInput in = daily(c, 1);
        HabitView v;

        assert_int_equal(habit_view_compute(&in, D(2026, 6, 1), D(2026, 6, 30), D(2026, 12, 2), &v), 0);
        assert_int_equal(last_period(&v)->fate, PERIOD_MISSED);
        assert_int_equal(v.finished, 30);
        assert_int_equal(v.met, 1);
        habit_view_done(&v);
}

/* at-risk: one missed period, not yet a lapse, and not made good yet. */
static void test_at_risk_until_made_good(void **state) {
        day_t today = D(2026, 12, 2);
        HabitEvent c[] = { { today - 3, NULL }, { today - 2, NULL } };
        HabitInput in = daily(c, 2);
        HabitView v;

        assert_int_equal(habit_view_live(&in, today, &v), 0);
        assert_int_equal(v.status, HABIT_AT_RISK);
        habit_view_done(&v);
        HabitEvent c2[] = { { today - 3, NULL }, { today - 2, NULL }, { today, NULL } };
        in = daily(c2, 3);
        assert_int_equal(habit_view_live(&in, today, &v), 0);
        assert_int_equal(v.status, HABIT_OK);
        assert_int_equal(v.history.current_streak, 1);
        assert_int_equal(v.history.longest_streak, 2);
        habit_view_done(&v);
}

/* A pause covering today wins over everything else. */
static void test_paused_today(void **state) {
        day_t today = D(2026, 12, 2);
        HabitEvent c[] = { { D(2026, 5, 1), NULL } };
        HabitPause p[] = { { D(2026, 5, 29), HABIT_OPEN_END, "torn ligament" } };
        HabitInput in = daily(c, 1);
        HabitView v;

        in.pauses = p;
        in.n_pauses = 1;
        assert_int_equal(habit_view_live(&in, today, &v), 0);
        assert_int_equal(v.status, HABIT_PAUSED);
        assert_int_equal(v.n_pauses, 1);
        assert_string_equal(v.pauses[0]->reason, "torn ligament");
        habit_view_done(&v);
}

static void test_period_lookup(void **state) {
        day_t today = D(2026, 12, 2);
        HabitEvent c[] = { { D(2026, 11, 2), NULL } };
        HabitInput in = daily(c, 1);
        HabitView v;
        const HabitPeriod *p;

        in.every = (Every){ EVERY_WEEK, 1 };
        assert_int_equal(habit_view_live(&in, today, &v), 0);
        assert_true(habit_view_period(&v, D(2026, 11, 4), &p));
        assert_int_equal(p->period.start, D(2026, 11, 2));
        assert_int_equal(p->checkins, 1);
        assert_true(habit_view_period(&v, today, &p));
        assert_int_equal(p->fate, PERIOD_OPEN);
        assert_false(habit_view_period(&v, D(2026, 10, 1), &p));
        habit_view_done(&v);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_regression_today_is_open_not_missed),
                cmocka_unit_test(test_regression_current_never_above_longest),
                cmocka_unit_test(test_regression_report_and_live_agree_on_status),
                cmocka_unit_test(test_regression_pickup_today_ends_lapse),
                cmocka_unit_test(test_regression_notes_are_in_the_view),
                cmocka_unit_test(test_regression_new_halfyear_period),
                cmocka_unit_test(test_past_range_judges_its_last_day),
                cmocka_unit_test(test_at_risk_until_made_good),
                cmocka_unit_test(test_paused_today),
                cmocka_unit_test(test_period_lookup),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
