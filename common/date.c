/* Civil-date arithmetic on day numbers and the review periods built on it.
 *
 * Everything except date_local_day() and date_local_midnight() is pure
 * integer arithmetic, so it behaves the same in every time zone and locale. */
#include "date.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SECONDS_PER_DAY INT64_C(86400)

/* English names on purpose: labels are stored and compared, so they must not
 * follow the user's locale the way strftime("%a") would. */
static const char *const date_weekday_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const date_month_names[12] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* a mod b for b > 0, never negative (C's % truncates towards zero). */
static int64_t date_floor_mod(int64_t a, int64_t b) {
        int64_t m = a % b;
        return m < 0 ? m + b : m;
}

static int64_t date_floor_div(int64_t a, int64_t b) {
        return (a - date_floor_mod(a, b)) / b;
}

static bool date_is_leap_year64(int64_t year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

bool date_is_leap_year(int year) {
        return date_is_leap_year64(year);
}

int date_days_in_month64(int64_t year, int month) {
        static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

        if (month < 1 || month > 12)
                return 0;
        if (month == 2 && date_is_leap_year64(year))
                return 29;
        return days[month - 1];
}

int date_days_in_month(int year, int month) {
        return date_days_in_month64(year, month);
}

day_t date_add_months(day_t day, int months) {
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        int index = y * 12 + (m - 1) + months;
        y = index / 12;
        m = index % 12 + 1;
        if (d > date_days_in_month(y, m))
                d = date_days_in_month(y, m);
        return date_from_ymd(y, m, d);
}

bool date_valid_ymd(int year, int month, int day) {
        return month >= 1 && month <= 12 && day >= 1 && day <= date_days_in_month(year, month);
}

/* Howard Hinnant's days_from_civil(): years start in March so the leap day
 * is the last day of the "year", and eras of 400 years repeat exactly.
 * Done in 64 bits so no year a struct tm can hold overflows. */
int64_t date_days_from_ymd64(int64_t year, int month, int day) {
        int64_t y = year - (month <= 2);
        int64_t era = date_floor_div(y, 400);
        int64_t yoe = y - era * 400; /* [0, 399] */
        int64_t doy = (153 * ((int64_t) month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */

        return era * 146097 + doe - 719468;
}

day_t date_from_ymd(int year, int month, int day) {
        return (day_t) date_days_from_ymd64(year, month, day);
}

/* Howard Hinnant's civil_from_days(), the inverse of the above. */
void date_to_ymd(day_t day, int *year, int *month, int *mday) {
        int64_t z = (int64_t) day + 719468;
        int64_t era = date_floor_div(z, 146097);
        int64_t doe = z - era * 146097;                                      /* [0, 146096] */
        int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
        int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11], March first */
        int64_t m = mp < 10 ? mp + 3 : mp - 9;

        if (year)
                *year = (int) (yoe + era * 400 + (m <= 2));
        if (month)
                *month = (int) m;
        if (mday)
                *mday = (int) (doy - (153 * mp + 2) / 5 + 1);
}

int date_weekday64(int64_t days) {
        /* 1970-01-01 was a Thursday. */
        return (int) date_floor_mod(days + 3, 7);
}

int date_weekday(day_t day) {
        return date_weekday64(day);
}

/* ISO 8601 puts a week in the year that holds its Thursday. */
void date_iso_week(day_t day, int *iso_year, int *week) {
        int64_t thursday = (int64_t) day - date_weekday(day) + 3;
        int y;

        date_to_ymd((day_t) thursday, &y, NULL, NULL);
        if (iso_year)
                *iso_year = y;
        if (week)
                *week = (int) ((thursday - date_from_ymd(y, 1, 1)) / 7 + 1);
}

static bool date_is_digit(char c) {
        return c >= '0' && c <= '9';
}

/* Exactly "DDDD-DD-DD": no signs, spaces or short fields, which sscanf()
 * would accept. */
static int date_parse_iso(const char *text, day_t *ret) {
        static const char pattern[] = "dddd-dd-dd";
        int year, month, mday;

        for (size_t i = 0; i < sizeof(pattern) - 1; i++) {
                bool ok = pattern[i] == 'd' ? date_is_digit(text[i]) : text[i] == pattern[i];
                if (!ok) /* also catches a NUL before the end */
                        return -EINVAL;
        }
        if (text[sizeof(pattern) - 1] != '\0')
                return -EINVAL;

        year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
        month = (text[5] - '0') * 10 + (text[6] - '0');
        mday = (text[8] - '0') * 10 + (text[9] - '0');
        if (!date_valid_ymd(year, month, mday))
                return -EINVAL;

        *ret = date_from_ymd(year, month, mday);
        return 0;
}

int date_parse(const char *text, day_t today, day_t *ret) {
        if (!text || !ret)
                return -EINVAL;

        if (strcmp(text, "today") == 0) {
                *ret = today;
                return 0;
        }
        if (strcmp(text, "yesterday") == 0) {
                if (today == INT32_MIN)
                        return -EINVAL;
                *ret = today - 1;
                return 0;
        }
        return date_parse_iso(text, ret);
}

char *date_format(day_t day, char buf[static DATE_STR_MAX]) {
        int year, month, mday;

        date_to_ymd(day, &year, &month, &mday);
        /* Years outside 0..9999 do not fit; snprintf() truncates rather than
         * overflowing, and no real review lives there. */
        snprintf(buf, DATE_STR_MAX, "%04d-%02d-%02d", year, month, mday);
        return buf;
}

/* Days before 1970 need floor division, hence not a plain t / 86400. */
static day_t date_utc_day(time_t t) {
        return (day_t) date_floor_div((int64_t) t, SECONDS_PER_DAY);
}

day_t date_local_day(time_t t) {
        struct tm tm;

        if (!localtime_r(&t, &tm))
                return date_utc_day(t); /* only for absurd times; better than garbage */
        return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static bool date_is_local_midnight(time_t t, day_t day) {
        struct tm tm;

        if (!localtime_r(&t, &tm))
                return false;
        return tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0 &&
               date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) == day;
}

/* The first second whose local day is @day, by bisection. UTC offsets stay
 * within +-26h, so 30h either side of UTC midnight brackets the answer. */
static time_t date_first_local_instant(day_t day) {
        int64_t lo = (int64_t) day * SECONDS_PER_DAY - 30 * 3600; /* local day < @day */
        int64_t hi = (int64_t) day * SECONDS_PER_DAY + 30 * 3600; /* local day >= @day */

        while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                if (date_local_day((time_t) mid) >= day)
                        hi = mid;
                else
                        lo = mid;
        }
        return (time_t) hi;
}

/* mktime() with tm_isdst = -1 lets the zone decide whether DST applies. Where
 * a DST change skips midnight itself (Sao Paulo until 2019 sprang from 00:00
 * to 01:00), there is no 00:00, and glibc's guess can land on either side of
 * the gap; the day then starts at the transition, which we search for. */
time_t date_local_midnight(day_t day) {
        int year, month, mday;
        struct tm tm = { .tm_isdst = -1 };
        time_t t;

        date_to_ymd(day, &year, &month, &mday);
        tm.tm_year = year - 1900;
        tm.tm_mon = month - 1;
        tm.tm_mday = mday;

        t = mktime(&tm);
        if (date_is_local_midnight(t, day))
                return t;
        return date_first_local_instant(day);
}

Period period_week(day_t day, WeekStart ws) {
        int64_t offset = date_floor_mod((int64_t) date_weekday(day) - (int64_t) ws, 7);
        day_t start = (day_t) ((int64_t) day - offset);

        return (Period){ .start = start, .end = start + 6 };
}

Period period_halfyear(day_t day) {
        int year, month;

        date_to_ymd(day, &year, &month, NULL);
        if (month <= 6)
                return (Period){ date_from_ymd(year, 1, 1), date_from_ymd(year, 6, 30) };
        return (Period){ date_from_ymd(year, 7, 1), date_from_ymd(year, 12, 31) };
}

Period review_period(ReviewKind kind, day_t day, WeekStart ws) {
        switch (kind) {
        case REVIEW_WEEKLY:
                return period_week(day, ws);
        case REVIEW_HALFYEAR:
                return period_halfyear(day);
        default:
                /* Not a review; a one-day period keeps callers' ranges sane. */
                return (Period){ day, day };
        }
}

/* Numbered by the ISO week of the week's Thursday (the first Thursday on or
 * after the start), so a Sunday-start week gets the number of the Monday-start
 * week it mostly overlaps. */
static char *review_week_label(Period p, char buf[static PERIOD_LABEL_MAX]) {
        day_t thursday = (day_t) ((int64_t) p.start + date_floor_mod(3 - date_weekday(p.start), 7));
        int iso_year, week, sm, sd, em, ed;

        date_iso_week(thursday, &iso_year, &week);
        date_to_ymd(p.start, NULL, &sm, &sd);
        date_to_ymd(p.end, NULL, &em, &ed);
        snprintf(buf, PERIOD_LABEL_MAX, "%04d-W%02d (%s %d %s - %s %d %s)", iso_year, week,
                 date_weekday_names[date_weekday(p.start)], sd, date_month_names[sm - 1],
                 date_weekday_names[date_weekday(p.end)], ed, date_month_names[em - 1]);
        return buf;
}

static char *review_halfyear_label(Period p, char buf[static PERIOD_LABEL_MAX]) {
        int year, sm, em;

        date_to_ymd(p.start, &year, &sm, NULL);
        date_to_ymd(p.end, NULL, &em, NULL);
        snprintf(buf, PERIOD_LABEL_MAX, "%04d-H%d (%s - %s)", year, sm <= 6 ? 1 : 2, date_month_names[sm - 1],
                 date_month_names[em - 1]);
        return buf;
}

char *review_period_label(ReviewKind kind, Period p, char buf[static PERIOD_LABEL_MAX]) {
        switch (kind) {
        case REVIEW_WEEKLY:
                return review_week_label(p, buf);
        case REVIEW_HALFYEAR:
                return review_halfyear_label(p, buf);
        default:
                buf[0] = '\0';
                return buf;
        }
}

static const char *const review_kind_table[_REVIEW_KIND_MAX] = {
        [REVIEW_WEEKLY] = "weekly",
        [REVIEW_HALFYEAR] = "halfyear",
};

static const char *const review_kind_habit_table[_REVIEW_KIND_MAX] = {
        [REVIEW_WEEKLY] = "weekly-review",
        [REVIEW_HALFYEAR] = "halfyear-review",
};

const char *review_kind_to_string(ReviewKind kind) {
        if ((unsigned) kind >= _REVIEW_KIND_MAX)
                return NULL;
        return review_kind_table[kind];
}

int review_kind_from_string(const char *s) {
        if (!s)
                return -EINVAL;
        for (int k = 0; k < _REVIEW_KIND_MAX; k++)
                if (strcmp(s, review_kind_table[k]) == 0)
                        return k;
        return -EINVAL;
}

const char *review_kind_habit(ReviewKind kind) {
        if ((unsigned) kind >= _REVIEW_KIND_MAX)
                return NULL;
        return review_kind_habit_table[kind];
}

int duration_parse(const char *text, long long *ret) {
        static const struct {
                char unit;
                long long seconds;
        } units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
        const char *p = text;
        long long total = 0;
        size_t next_unit = 0;

        if (!text || !*text)
                return -EINVAL;
        while (*p) {
                long long n = 0;
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                for (; *p >= '0' && *p <= '9'; p++) {
                        n = n * 10 + (*p - '0');
                        if (n > DURATION_MAX_SEC)
                                return -ERANGE;
                }
                size_t u = next_unit;
                while (u < sizeof(units) / sizeof(units[0]) && units[u].unit != *p)
                        u++;
                if (u == sizeof(units) / sizeof(units[0]))
                        return -EINVAL; /* no unit, an unknown one, or out of order */
                total += n * units[u].seconds;
                if (total > DURATION_MAX_SEC)
                        return -ERANGE;
                next_unit = u + 1;
                p++;
        }
        if (total == 0)
                return -ERANGE;
        *ret = total;
        return 0;
}

const char *review_kind_title(ReviewKind kind) {
        return kind == REVIEW_HALFYEAR ? "half-year review" : "weekly review";
}
