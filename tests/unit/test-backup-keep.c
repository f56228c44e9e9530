/* Unit tests for daemon/core/backup-keep.c: the retention rule of the
 * automatic snapshots. Two years of one snapshot a day, pruned every day
 * as the daemon does, must leave exactly the set the README promises. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backup-keep.h"
#include "util.h"

#define SIM_DAYS 731

static const BackupKeep default_rule = { 7, 4, 12 };

static day_t ymd(int y, int m, int d) {
        return date_from_ymd(y, m, d);
}

/* The last day of @day's week (weeks starting on @ws), by counting days. */
static day_t week_last_day(day_t day, WeekStart ws) {
        day_t d = day;
        while (date_weekday(d + 1) != (int) ws)
                d++;
        return d;
}

static day_t month_last_day(day_t day) {
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        return ymd(y, m, date_days_in_month(y, m));
}

static day_t min_day(day_t a, day_t b) {
        return a < b ? a : b;
}

/* The promise, written out independently of the code: the last 7 days;
 * the newest day of this week and of each of the 3 weeks before; the
 * newest day of this month and of each of the 11 months before; none
 * before the first snapshot. */
static void expected_set(day_t first, day_t today, WeekStart ws, bool *want /* indexed by day - first */) {
        memset(want, 0, sizeof(bool) * SIM_DAYS);
        for (day_t d = today - 6; d <= today; d++)
                if (d >= first)
                        want[d - first] = true;
        day_t week_end = week_last_day(today, ws);
        for (int k = 0; k < 4; k++, week_end -= 7)
                if (min_day(week_end, today) >= first)
                        want[min_day(week_end, today) - first] = true;
        day_t month_end = month_last_day(today);
        for (int k = 0; k < 12; k++) {
                if (min_day(month_end, today) >= first)
                        want[min_day(month_end, today) - first] = true;
                int y, m, d;
                date_to_ymd(month_end, &y, &m, &d);
                month_end = ymd(y, m, 1) - 1;
        }
}

typedef struct {
        day_t days[SIM_DAYS];
        size_t n;
} Folder;

static void prune(Folder *f, BackupKeep rule, day_t today, WeekStart ws) {
        bool keep[SIM_DAYS];
        assert_int_equal(backup_keep_select(f->days, f->n, rule, today, ws, keep), 0);
        size_t out = 0;
        for (size_t i = 0; i < f->n; i++)
                if (keep[i])
                        f->days[out++] = f->days[i];
        f->n = out;
}

static void assert_folder_is(const Folder *f, day_t first, const bool *want) {
        size_t n_want = 0;
        for (size_t i = 0; i < SIM_DAYS; i++)
                n_want += want[i];
        for (size_t i = 0; i < f->n; i++) {
                char buf[DATE_STR_MAX];
                if (!want[f->days[i] - first])
                        fail_msg("%s kept but not promised", date_format(f->days[i], buf));
        }
        assert_int_equal(f->n, n_want);
}

static void simulate(WeekStart ws, day_t first) {
        static Folder f;
        static bool want[SIM_DAYS];
        f.n = 0;
        for (day_t today = first; today < first + SIM_DAYS; today++) {
                f.days[f.n++] = today;
                prune(&f, default_rule, today, ws);
                assert_true(f.n <= 7 + 4 + 12);
                expected_set(first, today, ws, want);
                assert_folder_is(&f, first, want);
        }
}

static void test_two_years_monday(void **state) {
        simulate(WEEK_START_MONDAY, ymd(2024, 1, 1));
}

static void test_two_years_sunday_leap(void **state) {
        simulate(WEEK_START_SUNDAY, ymd(2023, 3, 15));
}

/* Named points, spelled out by hand: 2025-06-18 (a Wednesday) after a
 * snapshot every day since 2024-01-01. */
static void test_named_point(void **state) {
        static Folder f;
        f.n = 0;
        day_t first = ymd(2024, 1, 1), today = ymd(2025, 6, 18);
        for (day_t d = first; d <= today; d++) {
                f.days[f.n++] = d;
                prune(&f, default_rule, d, WEEK_START_MONDAY);
        }
        const day_t promised[] = {
                /* daily */
                ymd(2025, 6, 12),
                ymd(2025, 6, 13),
                ymd(2025, 6, 14),
                ymd(2025, 6, 15),
                ymd(2025, 6, 16),
                ymd(2025, 6, 17),
                ymd(2025, 6, 18),
                /* weekly: this week's is today, last week's Sunday (15th) a daily;
                 * then the Sundays of the two weeks before */
                ymd(2025, 6, 8),
                ymd(2025, 6, 1),
                /* monthly: the last days of the 11 months before (this month's is today) */
                ymd(2025, 5, 31),
                ymd(2025, 4, 30),
                ymd(2025, 3, 31),
                ymd(2025, 2, 28),
                ymd(2025, 1, 31),
                ymd(2024, 12, 31),
                ymd(2024, 11, 30),
                ymd(2024, 10, 31),
                ymd(2024, 9, 30),
                ymd(2024, 8, 31),
                ymd(2024, 7, 31),
        };
        assert_int_equal(f.n, ELEMENTSOF(promised));
        for (size_t i = 0; i < ELEMENTSOF(promised); i++) {
                bool found = false;
                for (size_t j = 0; j < f.n; j++)
                        found = found || f.days[j] == promised[i];
                if (!found) {
                        char buf[DATE_STR_MAX];
                        fail_msg("%s was promised but is gone", date_format(promised[i], buf));
                }
        }
}

/* A month of downtime: the daily part keeps the newest 7 snapshots, not
 * the last 7 calendar days, so coming back deletes nothing it needs. */
static void test_gap_keeps_newest(void **state) {
        day_t days[10];
        bool keep[10];
        for (int i = 0; i < 10; i++)
                days[i] = ymd(2025, 1, 1) + i;
        assert_int_equal(backup_keep_select(days, 10, (BackupKeep){ 7, 0, 0 }, ymd(2025, 3, 1), 0, keep), 0);
        for (int i = 0; i < 10; i++)
                assert_int_equal(keep[i], i >= 3);
}

/* Snapshots dated in the future are kept and take no place in the rule. */
static void test_future_kept(void **state) {
        day_t days[] = { ymd(2030, 1, 1), ymd(2025, 1, 2), ymd(2025, 1, 1) };
        bool keep[3];
        assert_int_equal(backup_keep_select(days, 3, (BackupKeep){ 1, 0, 0 }, ymd(2025, 1, 2), 0, keep), 0);
        assert_true(keep[0]);
        assert_true(keep[1]);
        assert_false(keep[2]);
}

/* Order of the input does not matter. */
static void test_unordered(void **state) {
        day_t days[] = { ymd(2025, 1, 5), ymd(2025, 1, 9), ymd(2025, 1, 1), ymd(2025, 1, 7) };
        bool keep[4];
        assert_int_equal(backup_keep_select(days, 4, (BackupKeep){ 2, 0, 0 }, ymd(2025, 1, 9), 0, keep), 0);
        assert_false(keep[0]);
        assert_true(keep[1]);
        assert_false(keep[2]);
        assert_true(keep[3]);
}

static void test_empty(void **state) {
        assert_int_equal(backup_keep_select(NULL, 0, default_rule, ymd(2025, 1, 1), 0, NULL), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_two_years_monday),
                cmocka_unit_test(test_two_years_sunday_leap),
                cmocka_unit_test(test_named_point),
                cmocka_unit_test(test_gap_keeps_newest),
                cmocka_unit_test(test_future_kept),
                cmocka_unit_test(test_unordered),
                cmocka_unit_test(test_empty),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
