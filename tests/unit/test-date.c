/* Unit tests for common/date.c: civil arithmetic, parsing, periods, labels. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "date.h"

static day_t ymd(int y, int m, int d) {
        return date_from_ymd(y, m, d);
}

static void test_epoch(void **state) {
        (void) state;
        int y, m, d;

        assert_int_equal(ymd(1970, 1, 1), 0);
        assert_int_equal(ymd(1969, 12, 31), -1);
        assert_int_equal(ymd(2000, 1, 1), 10957);
        assert_int_equal(ymd(2023, 8, 16), 19585);
        date_to_ymd(-1, &y, &m, &d);
        assert_int_equal(y, 1969);
        assert_int_equal(m, 12);
        assert_int_equal(d, 31);
}

/* Walks every day from 1900 to 2200 with an independent y/m/d counter. */
static void test_round_trip(void **state) {
        (void) state;
        day_t expect = ymd(1900, 1, 1);

        for (int y = 1900; y <= 2200; y++)
                for (int m = 1; m <= 12; m++)
                        for (int d = 1; d <= date_days_in_month(y, m); d++) {
                                int ry, rm, rd;

                                assert_int_equal(ymd(y, m, d), expect);
                                date_to_ymd(expect, &ry, &rm, &rd);
                                assert_int_equal(ry, y);
                                assert_int_equal(rm, m);
                                assert_int_equal(rd, d);
                                expect++;
                        }
        assert_int_equal(expect, ymd(2201, 1, 1));
}

static void test_leap_years(void **state) {
        (void) state;

        assert_true(date_is_leap_year(2000));
        assert_false(date_is_leap_year(1900));
        assert_true(date_is_leap_year(2024));
        assert_false(date_is_leap_year(2023));
        assert_false(date_is_leap_year(2100));
        assert_true(date_is_leap_year(1600));
        assert_int_equal(date_days_in_month(2024, 2), 29);
        assert_int_equal(date_days_in_month(1900, 2), 28);
        assert_int_equal(date_days_in_month(2000, 2), 29);
        assert_int_equal(date_days_in_month(2023, 4), 30);
        assert_int_equal(date_days_in_month(2023, 12), 31);
        assert_int_equal(date_days_in_month(2023, 0), 0);
        assert_int_equal(date_days_in_month(2023, 13), 0);
        assert_true(date_valid_ymd(2024, 2, 29));
        assert_false(date_valid_ymd(2023, 2, 29));
        assert_false(date_valid_ymd(1900, 2, 29));
        assert_false(date_valid_ymd(2023, 4, 31));
        assert_false(date_valid_ymd(2023, 1, 0));
        assert_false(date_valid_ymd(2023, 0, 1));
        assert_false(date_valid_ymd(2023, 13, 1));
}

static void test_weekday(void **state) {
        (void) state;

        assert_int_equal(date_weekday(0), 3);  /* 1970-01-01 Thursday */
        assert_int_equal(date_weekday(-1), 2); /* 1969-12-31 Wednesday */
        assert_int_equal(date_weekday(ymd(1900, 1, 1)), WEEKDAY_MONDAY);
        assert_int_equal(date_weekday(ymd(2000, 1, 1)), 5); /* Saturday */
        assert_int_equal(date_weekday(ymd(2023, 8, 14)), WEEKDAY_MONDAY);
        assert_int_equal(date_weekday(ymd(2023, 8, 16)), 2); /* Wednesday */
        assert_int_equal(date_weekday(ymd(2023, 8, 20)), WEEKDAY_SUNDAY);
        assert_int_equal(date_weekday(ymd(2024, 2, 29)), 3);  /* Thursday */
        assert_int_equal(date_weekday(ymd(2200, 12, 31)), 2); /* Wednesday */
        for (day_t d = ymd(1899, 12, 25); d < ymd(1900, 1, 20); d++)
                assert_int_equal(date_weekday(d + 1), (date_weekday(d) + 1) % 7);
}

/* The 64-bit forms are the same arithmetic: equal to the day_t ones where
 * those fit, and still right past day_t's last day (5881580-07-11) and past
 * INT_MAX as a year, where a struct tm's years go. */
static void test_wide(void **state) {
        (void) state;

        for (int y = 1600; y <= 2400; y += 7)
                for (int m = 1; m <= 12; m++) {
                        assert_int_equal(date_days_in_month64(y, m), date_days_in_month(y, m));
                        assert_int_equal(date_days_from_ymd64(y, m, 28), ymd(y, m, 28));
                        assert_int_equal(date_weekday64(date_days_from_ymd64(y, m, 28)), date_weekday(ymd(y, m, 28)));
                }
        assert_int_equal(date_days_from_ymd64(5881580, 7, 11), INT32_MAX);
        assert_int_equal(date_days_from_ymd64(5881580, 7, 12), INT64_C(2147483648));
        assert_int_equal(date_days_from_ymd64(-5877641, 6, 23), INT32_MIN);
        assert_int_equal(date_days_from_ymd64(-5877641, 6, 22), INT64_C(-2147483649));
        /* Four whole 400-year eras later: 4 * 146097 days, the same weekday. */
        assert_int_equal(date_days_from_ymd64(INT64_C(2147485600), 3, 1) -
                                 date_days_from_ymd64(INT64_C(2147484000), 3, 1),
                         4 * 146097);
        assert_int_equal(date_weekday64(date_days_from_ymd64(INT64_C(2147485600), 3, 1)),
                         date_weekday(ymd(2000, 3, 1)));
        assert_int_equal(date_weekday64(INT64_C(2147483648)), (INT64_C(2147483648) + 3) % 7);
        assert_int_equal(date_weekday64(INT64_C(-2147483649)), date_weekday64(INT64_C(-2147483649) + 7 * 1000));
        assert_int_equal(date_days_in_month64(INT64_C(2147485600), 2), 29); /* divisible by 400 */
        assert_int_equal(date_days_in_month64(INT64_C(2147485700), 2), 28); /* by 100, not 400 */
        assert_int_equal(date_days_in_month64(INT64_C(2147485604), 2), 29);
        assert_int_equal(date_days_in_month64(INT64_C(2147485601), 2), 28);
        assert_int_equal(date_days_in_month64(INT64_C(2147485601), 13), 0);
}

static void assert_iso_week(int y, int m, int d, int want_year, int want_week) {
        int iso_year = 0, week = 0;

        date_iso_week(ymd(y, m, d), &iso_year, &week);
        assert_int_equal(iso_year, want_year);
        assert_int_equal(week, want_week);
}

static void test_iso_week(void **state) {
        (void) state;

        assert_iso_week(2020, 12, 31, 2020, 53);
        assert_iso_week(2021, 1, 3, 2020, 53);
        assert_iso_week(2021, 1, 4, 2021, 1);
        assert_iso_week(2026, 1, 1, 2026, 1);
        assert_iso_week(2025, 12, 29, 2026, 1);
        assert_iso_week(2024, 12, 30, 2025, 1);
        assert_iso_week(2024, 12, 29, 2024, 52);
        assert_iso_week(2023, 8, 16, 2023, 33);
        assert_iso_week(2023, 1, 1, 2022, 52);
        assert_iso_week(2023, 1, 2, 2023, 1);
        assert_iso_week(2015, 12, 31, 2015, 53);
        assert_iso_week(2016, 1, 3, 2015, 53);
}

static void test_parse_valid(void **state) {
        (void) state;
        day_t d = 0;

        assert_int_equal(date_parse("2023-08-16", 0, &d), 0);
        assert_int_equal(d, ymd(2023, 8, 16));
        assert_int_equal(date_parse("2024-02-29", 0, &d), 0);
        assert_int_equal(d, ymd(2024, 2, 29));
        assert_int_equal(date_parse("2000-02-29", 0, &d), 0);
        assert_int_equal(d, ymd(2000, 2, 29));
        assert_int_equal(date_parse("1969-12-31", 0, &d), 0);
        assert_int_equal(d, -1);
        assert_int_equal(date_parse("2023-12-31", 0, &d), 0);
        assert_int_equal(d, ymd(2023, 12, 31));
}

static void test_parse_relative(void **state) {
        (void) state;
        day_t today = ymd(2023, 8, 16), d = 0;

        assert_int_equal(date_parse("today", today, &d), 0);
        assert_int_equal(d, today);
        assert_int_equal(date_parse("yesterday", today, &d), 0);
        assert_int_equal(d, today - 1);
        assert_int_equal(date_parse("yesterday", ymd(2024, 1, 1), &d), 0);
        assert_int_equal(d, ymd(2023, 12, 31));
}

static void test_parse_errors(void **state) {
        (void) state;
        static const char *const bad[] = {
                "",
                "2023-02-29",
                "1900-02-29",
                "2023-1-5",
                "2023-01-5",
                "2023-1-05",
                "2023-01-05x",
                "2023-01-05 ",
                " 2023-01-05",
                "2023-13-01",
                "2023-00-10",
                "2023-04-31",
                "2023-01-00",
                "2023-01-32",
                "2023/01/05",
                "20230105",
                "023-01-05",
                "+023-01-05",
                "2023-+1-05",
                "2023-01--5",
                "Today",
                "TODAY",
                "today ",
                " today",
                "yesterday\n",
                "tomorrow",
                "now",
                "2023-01",
                "2023",
                "abcd-ef-gh",
                "2023-01-05\n",
                "20 3-01-05",
                "２０２３-01-05",
        };
        day_t d = 12345;

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                assert_int_equal(date_parse(bad[i], 0, &d), -EINVAL);
                assert_int_equal(d, 12345); /* untouched on error */
        }
        assert_int_equal(date_parse(NULL, 0, &d), -EINVAL);
}

static void test_format(void **state) {
        (void) state;
        char buf[DATE_STR_MAX];
        day_t d = 0;

        assert_string_equal(date_format(0, buf), "1970-01-01");
        assert_string_equal(date_format(ymd(2023, 8, 16), buf), "2023-08-16");
        assert_string_equal(date_format(ymd(2024, 2, 29), buf), "2024-02-29");
        assert_string_equal(date_format(ymd(1900, 1, 1), buf), "1900-01-01");
        assert_ptr_equal(date_format(0, buf), buf);
        for (day_t i = ymd(1999, 1, 1); i < ymd(2001, 1, 1); i++) {
                assert_int_equal(date_parse(date_format(i, buf), 0, &d), 0);
                assert_int_equal(d, i);
        }
}

static void assert_period(Period p, day_t start, day_t end) {
        assert_int_equal(p.start, start);
        assert_int_equal(p.end, end);
}

static void test_period_week(void **state) {
        (void) state;

        /* Every day of a week maps to the same week. */
        for (day_t d = ymd(2023, 8, 14); d <= ymd(2023, 8, 20); d++)
                assert_period(period_week(d, WEEK_START_MONDAY), ymd(2023, 8, 14), ymd(2023, 8, 20));
        for (day_t d = ymd(2023, 8, 13); d <= ymd(2023, 8, 19); d++)
                assert_period(period_week(d, WEEK_START_SUNDAY), ymd(2023, 8, 13), ymd(2023, 8, 19));
        assert_period(period_week(ymd(2023, 8, 20), WEEK_START_SUNDAY), ymd(2023, 8, 20), ymd(2023, 8, 26));
        assert_period(period_week(ymd(2023, 8, 13), WEEK_START_MONDAY), ymd(2023, 8, 7), ymd(2023, 8, 13));

        /* Across year ends. */
        assert_period(period_week(ymd(2021, 1, 1), WEEK_START_MONDAY), ymd(2020, 12, 28), ymd(2021, 1, 3));
        assert_period(period_week(ymd(2021, 1, 1), WEEK_START_SUNDAY), ymd(2020, 12, 27), ymd(2021, 1, 2));
        assert_period(period_week(ymd(2024, 12, 31), WEEK_START_MONDAY), ymd(2024, 12, 30), ymd(2025, 1, 5));
        assert_period(period_week(ymd(2025, 1, 4), WEEK_START_SUNDAY), ymd(2024, 12, 29), ymd(2025, 1, 4));

        /* Before the epoch too. */
        assert_period(period_week(ymd(1969, 12, 31), WEEK_START_MONDAY), ymd(1969, 12, 29), ymd(1970, 1, 4));
}

static void test_period_halfyear(void **state) {
        (void) state;
        Period h1 = { ymd(2023, 1, 1), ymd(2023, 6, 30) };
        Period h2 = { ymd(2023, 7, 1), ymd(2023, 12, 31) };

        assert_period(period_halfyear(ymd(2023, 1, 1)), h1.start, h1.end);
        assert_period(period_halfyear(ymd(2023, 6, 30)), h1.start, h1.end);
        assert_period(period_halfyear(ymd(2023, 7, 1)), h2.start, h2.end);
        assert_period(period_halfyear(ymd(2023, 12, 31)), h2.start, h2.end);
        assert_period(period_halfyear(ymd(2024, 1, 1)), ymd(2024, 1, 1), ymd(2024, 6, 30));
}

static void test_review_period(void **state) {
        (void) state;
        day_t d = ymd(2023, 8, 16);

        assert_period(review_period(REVIEW_WEEKLY, d, WEEK_START_MONDAY), ymd(2023, 8, 14), ymd(2023, 8, 20));
        assert_period(review_period(REVIEW_WEEKLY, d, WEEK_START_SUNDAY), ymd(2023, 8, 13), ymd(2023, 8, 19));
        assert_period(review_period(REVIEW_HALFYEAR, d, WEEK_START_MONDAY), ymd(2023, 7, 1), ymd(2023, 12, 31));
}

static void assert_week_label(int y, int m, int d, WeekStart ws, const char *expected) {
        char buf[PERIOD_LABEL_MAX];

        assert_ptr_equal(review_period_label(REVIEW_WEEKLY, period_week(ymd(y, m, d), ws), buf), buf);
        assert_string_equal(buf, expected);
}

static void test_labels(void **state) {
        (void) state;
        char buf[PERIOD_LABEL_MAX];

        assert_week_label(2023, 8, 16, WEEK_START_MONDAY, "2023-W33 (Mon 14 Aug - Sun 20 Aug)");
        assert_week_label(2023, 8, 16, WEEK_START_SUNDAY, "2023-W33 (Sun 13 Aug - Sat 19 Aug)");
        /* Week-based year differs from the calendar year at the edges. */
        assert_week_label(2024, 12, 31, WEEK_START_MONDAY, "2025-W01 (Mon 30 Dec - Sun 5 Jan)");
        assert_week_label(2021, 1, 1, WEEK_START_MONDAY, "2020-W53 (Mon 28 Dec - Sun 3 Jan)");
        assert_week_label(2021, 1, 1, WEEK_START_SUNDAY, "2020-W53 (Sun 27 Dec - Sat 2 Jan)");
        assert_week_label(2026, 1, 1, WEEK_START_MONDAY, "2026-W01 (Mon 29 Dec - Sun 4 Jan)");

        assert_string_equal(review_period_label(REVIEW_HALFYEAR, period_halfyear(ymd(2023, 8, 16)), buf),
                            "2023-H2 (Jul - Dec)");
        assert_string_equal(review_period_label(REVIEW_HALFYEAR, period_halfyear(ymd(2023, 6, 30)), buf),
                            "2023-H1 (Jan - Jun)");
        assert_ptr_equal(review_period_label(REVIEW_HALFYEAR, period_halfyear(0), buf), buf);
}

static void test_kinds(void **state) {
        (void) state;

        assert_string_equal(review_kind_to_string(REVIEW_WEEKLY), "weekly");
        assert_string_equal(review_kind_to_string(REVIEW_HALFYEAR), "halfyear");
        assert_null(review_kind_to_string(_REVIEW_KIND_MAX));
        assert_null(review_kind_to_string((ReviewKind) -1));
        assert_int_equal(review_kind_from_string("weekly"), REVIEW_WEEKLY);
        assert_int_equal(review_kind_from_string("halfyear"), REVIEW_HALFYEAR);
        assert_int_equal(review_kind_from_string("Weekly"), -EINVAL);
        assert_int_equal(review_kind_from_string("week"), -EINVAL);
        assert_int_equal(review_kind_from_string("weekly "), -EINVAL);
        assert_int_equal(review_kind_from_string("half-year"), -EINVAL);
        assert_int_equal(review_kind_from_string(""), -EINVAL);
        assert_int_equal(review_kind_from_string(NULL), -EINVAL);
        assert_string_equal(review_kind_habit(REVIEW_WEEKLY), "weekly-review");
        assert_string_equal(review_kind_habit(REVIEW_HALFYEAR), "halfyear-review");
        assert_null(review_kind_habit(_REVIEW_KIND_MAX));
}

/* Runs with the process zone set to @tz; put back afterwards so test order
 * does not matter. */
static char *saved_tz;

static void tz_set(const char *tz) {
        const char *old = getenv("TZ");

        free(saved_tz);
        saved_tz = old ? strdup(old) : NULL;
        assert_int_equal(setenv("TZ", tz, 1), 0);
        tzset();
}

static void tz_restore(void) {
        if (saved_tz)
                setenv("TZ", saved_tz, 1);
        else
                unsetenv("TZ");
        tzset();
        free(saved_tz);
        saved_tz = NULL;
}

static time_t utc(int y, int m, int d, int hour) {
        return (time_t) ymd(y, m, d) * 86400 + hour * 3600;
}

/* Midnight is the first instant of its day, for every day of @year. */
static void assert_midnights_consistent(int year) {
        for (day_t d = ymd(year, 1, 1); d <= ymd(year, 12, 31); d++) {
                time_t t = date_local_midnight(d);

                assert_int_equal(date_local_day(t), d);
                assert_int_equal(date_local_day(t - 1), d - 1);
        }
}

static void test_local_berlin(void **state) {
        (void) state;

        tz_set("Europe/Berlin");
        /* Winter: UTC+1; summer: UTC+2. */
        assert_int_equal(date_local_midnight(ymd(2023, 1, 15)), utc(2023, 1, 14, 23));
        assert_int_equal(date_local_midnight(ymd(2023, 8, 16)), utc(2023, 8, 15, 22));
        /* The DST days themselves: the change is at 02:00/03:00, midnight is normal. */
        assert_int_equal(date_local_midnight(ymd(2023, 3, 26)), utc(2023, 3, 25, 23));
        assert_int_equal(date_local_midnight(ymd(2023, 3, 27)), utc(2023, 3, 26, 22));
        assert_int_equal(date_local_midnight(ymd(2023, 10, 29)), utc(2023, 10, 28, 22));
        assert_int_equal(date_local_midnight(ymd(2023, 10, 30)), utc(2023, 10, 29, 23));

        assert_int_equal(date_local_day(utc(2023, 8, 15, 22)), ymd(2023, 8, 16));
        assert_int_equal(date_local_day(utc(2023, 8, 15, 22) - 1), ymd(2023, 8, 15));
        assert_int_equal(date_local_day(utc(2023, 12, 31, 23)), ymd(2024, 1, 1));
        assert_midnights_consistent(2023);
        tz_restore();
}

static void test_local_seoul(void **state) {
        (void) state;

        tz_set("Asia/Seoul");
        assert_int_equal(date_local_midnight(ymd(2023, 8, 16)), utc(2023, 8, 15, 15));
        assert_int_equal(date_local_midnight(ymd(2024, 1, 1)), utc(2023, 12, 31, 15));
        assert_int_equal(date_local_day(utc(2023, 8, 15, 15)), ymd(2023, 8, 16));
        assert_int_equal(date_local_day(utc(2023, 8, 15, 15) - 1), ymd(2023, 8, 15));
        assert_int_equal(date_local_day(utc(2023, 12, 31, 14)), ymd(2023, 12, 31));
        assert_midnights_consistent(2024);
        tz_restore();
}

/* Brazil started DST at 00:00 until 2018: on 2018-11-04 local time jumped
 * from 23:59:59 (-03) to 01:00 (-02), so that day began at 01:00 local. */
static void test_local_sao_paulo(void **state) {
        (void) state;

        tz_set("America/Sao_Paulo");
        assert_int_equal(date_local_midnight(ymd(2018, 11, 3)), utc(2018, 11, 3, 3));
        assert_int_equal(date_local_midnight(ymd(2018, 11, 4)), utc(2018, 11, 4, 3));
        assert_int_equal(date_local_midnight(ymd(2018, 11, 5)), utc(2018, 11, 5, 2));
        /* DST ended 2019-02-17 00:00 (-02) -> 2019-02-16 23:00 (-03). */
        assert_int_equal(date_local_midnight(ymd(2019, 2, 17)), utc(2019, 2, 17, 3));
        assert_int_equal(date_local_day(utc(2018, 11, 4, 3)), ymd(2018, 11, 4));
        assert_int_equal(date_local_day(utc(2018, 11, 4, 3) - 1), ymd(2018, 11, 3));
        assert_midnights_consistent(2018);
        assert_midnights_consistent(2019);
        tz_restore();
}

static void test_add_months(void **state) {
        assert_int_equal(date_add_months(date_from_ymd(2024, 2, 29), -12), date_from_ymd(2023, 2, 28));
        assert_int_equal(date_add_months(date_from_ymd(2023, 8, 31), -6), date_from_ymd(2023, 2, 28));
        assert_int_equal(date_add_months(date_from_ymd(2023, 1, 15), -1), date_from_ymd(2022, 12, 15));
        assert_int_equal(date_add_months(date_from_ymd(2023, 11, 30), 3), date_from_ymd(2024, 2, 29));
        assert_int_equal(date_add_months(date_from_ymd(2026, 12, 3), -60), date_from_ymd(2021, 12, 3));
}

static void test_duration(void **state) {
        static const struct {
                const char *text;
                int r;
                long long seconds;
        } cases[] = {
                { "30m", 0, 1800 },     { "2h", 0, 7200 },     { "1d", 0, 86400 },
                { "45s", 0, 45 },       { "1h30m", 0, 5400 },  { "1d2h3m4s", 0, 93784 },
                { "30d", 0, 2592000 },  { "", -EINVAL, 0 },    { "5", -EINVAL, 0 },
                { "m", -EINVAL, 0 },    { "1x", -EINVAL, 0 },  { "30m1h", -EINVAL, 0 },
                { "1h1h", -EINVAL, 0 }, { "-1h", -EINVAL, 0 }, { "1 h", -EINVAL, 0 },
                { "0m", -ERANGE, 0 },   { "31d", -ERANGE, 0 }, { "99999999999999999999s", -ERANGE, 0 },
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                long long v = -1;
                assert_int_equal(duration_parse(cases[i].text, &v), cases[i].r);
                if (cases[i].r == 0)
                        assert_int_equal(v, cases[i].seconds);
                else
                        assert_int_equal(v, -1);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_epoch),           cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_leap_years),      cmocka_unit_test(test_weekday),
                cmocka_unit_test(test_iso_week),        cmocka_unit_test(test_parse_valid),
                cmocka_unit_test(test_parse_relative),  cmocka_unit_test(test_parse_errors),
                cmocka_unit_test(test_format),          cmocka_unit_test(test_period_week),
                cmocka_unit_test(test_period_halfyear), cmocka_unit_test(test_review_period),
                cmocka_unit_test(test_labels),          cmocka_unit_test(test_kinds),
                cmocka_unit_test(test_local_berlin),    cmocka_unit_test(test_local_seoul),
                cmocka_unit_test(test_local_sao_paulo), cmocka_unit_test(test_add_months),
                cmocka_unit_test(test_duration),        cmocka_unit_test(test_wide),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
