/* Civil dates and review periods: pure arithmetic on day numbers.
 *
 * A day_t counts days since 1970-01-01 in the proleptic Gregorian calendar. It
 * has no time zone: which day "today" is depends on the caller's zone, so only
 * date_local_day() looks at one (the process's, via localtime_r). Everything
 * else is arithmetic, so both programs and the unit tests agree on it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef int32_t day_t;

/* Nothing is recorded before 1970-01-01: a date like 1016-11-23 is a typo,
 * and would make a habit's history thousands of years long. */
#define DATE_EARLIEST ((day_t) 0)

/* "YYYY-MM-DD" plus NUL. */
#define DATE_STR_MAX 11
/* Longest label review_period_label() writes, plus NUL. */
#define PERIOD_LABEL_MAX 64

/* Weekday numbers: 0 = Monday ... 6 = Sunday (ISO order). */
enum { WEEKDAY_MONDAY = 0, WEEKDAY_SUNDAY = 6 };

typedef enum {
        WEEK_START_MONDAY = WEEKDAY_MONDAY,
        WEEK_START_SUNDAY = WEEKDAY_SUNDAY,
} WeekStart;

typedef enum {
        REVIEW_WEEKLY,
        REVIEW_HALFYEAR,
        _REVIEW_KIND_MAX,
} ReviewKind;

/* An inclusive range of days. */
typedef struct {
        day_t start;
        day_t end;
} Period;

bool date_valid_ymd(int year, int month, int day);
int date_days_in_month(int year, int month);
/* @day moved by @months (negative: back), its day of the month kept where
 * the month has it, else the month's last day: 31 Aug less 6 months is
 * 28 Feb, 29 Feb a year on is 28 Feb. */
day_t date_add_months(day_t day, int months);
bool date_is_leap_year(int year);
day_t date_from_ymd(int year, int month, int day);
void date_to_ymd(day_t day, int *year, int *month, int *mday);
/* 0 = Monday ... 6 = Sunday. */
int date_weekday(day_t day);
/* ISO 8601 week number (1..53) and its week-based year. */
void date_iso_week(day_t day, int *iso_year, int *week);

/* The same arithmetic on 64-bit day numbers and years, for callers whose
 * dates come from an arbitrary time_t (schedule.c's search): a struct tm's
 * year goes past INT_MAX and its day number far past day_t's range, which
 * ends in the year 5,881,580. */
int64_t date_days_from_ymd64(int64_t year, int month, int day);
int date_days_in_month64(int64_t year, int month);
/* 0 = Monday ... 6 = Sunday. */
int date_weekday64(int64_t days);

/* Parses "YYYY-MM-DD", "today" or "yesterday" (relative to @today).
 * Returns 0, or -EINVAL for anything else, including impossible dates
 * such as 2023-02-29 and trailing garbage. */
int date_parse(const char *text, day_t today, day_t *ret);
/* Writes "YYYY-MM-DD"; returns @buf. */
char *date_format(day_t day, char buf[static DATE_STR_MAX]);
/* The local calendar day (process time zone) that contains @t. */
day_t date_local_day(time_t t);
/* The instant local midnight starts @day (process time zone). */
time_t date_local_midnight(day_t day);

/* The week (starting on @ws) and the half-year (Jan-Jun, Jul-Dec) that contain @day. */
Period period_week(day_t day, WeekStart ws);
Period period_halfyear(day_t day);
Period review_period(ReviewKind kind, day_t day, WeekStart ws);

/* "2023-W33 (Mon 14 Aug - Sun 20 Aug)" for a week: the ISO week number of
 * the week's Thursday, so a Sunday-start week is numbered sensibly too;
 * "2023-H2 (Jul - Dec)" for a half-year. Returns @buf. */
char *review_period_label(ReviewKind kind, Period p, char buf[static PERIOD_LABEL_MAX]);

/* "weekly" / "halfyear"; NULL for an invalid kind. */
const char *review_kind_to_string(ReviewKind kind);
/* "weekly review" / "half-year review", for people to read. */
const char *review_kind_title(ReviewKind kind);
/* Returns the kind, or -EINVAL. */
int review_kind_from_string(const char *s);
/* "weekly-review" / "halfyear-review": the built-in habit a review checks in. */
const char *review_kind_habit(ReviewKind kind);

/* Longest duration accepted: 30 days. */
#define DURATION_MAX_SEC (30LL * 24 * 3600)

/* Parses a duration such as "30m", "2h", "1d", "45s" or "1h30m" (units s, m,
 * h, d, each at most once, largest first). Returns 0 with seconds in *ret,
 * -EINVAL for anything else, -ERANGE for 0 or over DURATION_MAX_SEC. */
int duration_parse(const char *text, long long *ret);
