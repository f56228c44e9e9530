/* Calendar specs: parsing, normalized formatting and next occurrence.
 *
 * Everything here is arithmetic on the spec and on naive local times ("local
 * seconds": the wall clock read as if it were UTC), except for the look-ups
 * of the zone's UTC offset, which go through localtime_r(). */
#include "schedule.h"

#include "date.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* systemd's range for explicit years. */
#define SCHEDULE_YEAR_MIN 1970
#define SCHEDULE_YEAR_MAX 2199
/* How far schedule_next() looks before it gives up with -ERANGE. */
#define SCHEDULE_SEARCH_YEARS 100
/* Longest zone name accepted; Olson names are far shorter. */
#define SCHEDULE_TZ_MAX 256
/* WEEKDAYS, DATE and TIME. */
#define SCHEDULE_TOKENS_MAX 3
/* Digits in one number: "2026" is the longest that can be in range. */
#define SCHEDULE_DIGITS_MAX  4
#define SCHEDULE_DAY_SECONDS 86400

#define SCHEDULE_ALL_WEEKDAYS UINT64_C(0x7f)
#define SCHEDULE_ALL_MONTHS   UINT64_C(0x1ffe)
#define SCHEDULE_ALL_DAYS     UINT64_C(0xfffffffe)
#define SCHEDULE_ALL_HOURS    UINT64_C(0xffffff)
#define SCHEDULE_ALL_SIXTY    UINT64_C(0x0fffffffffffffff)

typedef struct {
        const char *start;
        size_t len;
} ScheduleSpan;

static const struct {
        const char *name;
        const char *expansion;
} schedule_keywords[] = {
        { "minutely", "*-*-* *:*:00" },
        { "hourly", "*-*-* *:00:00" },
        { "daily", "*-*-* 00:00:00" },
        { "weekly", "Mon *-*-* 00:00:00" },
        { "monthly", "*-*-01 00:00:00" },
        { "quarterly", "*-01,04,07,10-01 00:00:00" },
        { "semiannually", "*-01,07-01 00:00:00" },
        { "yearly", "*-01-01 00:00:00" },
        { "annually", "*-01-01 00:00:00" },
};

static const char *const schedule_weekday_short[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const schedule_weekday_long[7] = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

/* Bits lo..hi set; 0 <= lo <= hi <= 63. */
static uint64_t schedule_bits(int lo, int hi) {
        uint64_t upto_hi = hi >= 63 ? UINT64_MAX : (UINT64_C(1) << (hi + 1)) - 1;

        return upto_hi & ~((UINT64_C(1) << lo) - 1);
}

static bool schedule_is_blank(char c) {
        return c == ' ' || c == '\t';
}

/* Parsing */

/* Splits @s at each @sep into at most @max spans; -EINVAL if there are more. */
static int schedule_split(ScheduleSpan s, char sep, ScheduleSpan *parts, size_t max, size_t *ret_n) {
        const char *end = s.start + s.len, *p = s.start;
        size_t n = 0;

        for (;;) {
                const char *next = memchr(p, sep, (size_t) (end - p));
                const char *stop = next ? next : end;

                if (n >= max)
                        return -EINVAL;
                parts[n++] = (ScheduleSpan){ p, (size_t) (stop - p) };
                if (!next)
                        break;
                p = next + 1;
        }
        *ret_n = n;
        return 0;
}

static int schedule_parse_number(const char **p, const char *end, int *ret) {
        int value = 0, digits = 0;

        for (; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
                if (++digits > SCHEDULE_DIGITS_MAX)
                        return -EINVAL;
                value = value * 10 + (**p - '0');
        }
        if (digits == 0)
                return -EINVAL;
        *ret = value;
        return 0;
}

static bool schedule_skip_dots(const char **p, const char *end) {
        if (end - *p < 2 || (*p)[0] != '.' || (*p)[1] != '.')
                return false;
        *p += 2;
        return true;
}

typedef int (*ScheduleAddRange)(void *userdata, int lo, int hi);

/* Reads one field: "*" (returns 1, nothing added) or a comma list of N and
 * N..M items within [min, max], each handed to @add (returns 0). */
static int schedule_parse_field(ScheduleSpan s, int min, int max, ScheduleAddRange add, void *userdata) {
        const char *p = s.start, *end = s.start + s.len;
        int r;

        if (s.len == 1 && *p == '*')
                return 1;

        for (;;) {
                int lo, hi;

                r = schedule_parse_number(&p, end, &lo);
                if (r < 0)
                        return r;
                hi = lo;
                if (schedule_skip_dots(&p, end)) {
                        r = schedule_parse_number(&p, end, &hi);
                        if (r < 0)
                                return r;
                }
                if (lo < min || hi > max || lo > hi)
                        return -EINVAL;
                r = add(userdata, lo, hi);
                if (r < 0)
                        return r;
                if (p == end)
                        return 0;
                if (*p != ',')
                        return -EINVAL;
                p++;
        }
}

static int schedule_add_to_mask(void *userdata, int lo, int hi) {
        uint64_t *mask = userdata;

        *mask |= schedule_bits(lo, hi);
        return 0;
}

/* Fills @ret with the bits a field names; "*" means @all. */
static int schedule_parse_mask(ScheduleSpan s, int min, int max, uint64_t all, uint64_t *ret) {
        uint64_t mask = 0;
        int r;

        r = schedule_parse_field(s, min, max, schedule_add_to_mask, &mask);
        if (r < 0)
                return r;
        *ret = r > 0 ? all : mask;
        return 0;
}

/* Years are kept sorted and unique so that equal specs compare equal. */
static int schedule_add_year(void *userdata, int lo, int hi) {
        CalendarSpec *spec = userdata;

        for (int year = lo; year <= hi; year++) {
                size_t i = 0;

                while (i < spec->n_years && spec->years[i] < year)
                        i++;
                if (i < spec->n_years && spec->years[i] == year)
                        continue;
                if (spec->n_years >= SCHEDULE_YEARS_MAX)
                        return -EINVAL;
                memmove(spec->years + i + 1, spec->years + i, (spec->n_years - i) * sizeof(spec->years[0]));
                spec->years[i] = year;
                spec->n_years++;
        }
        return 0;
}

/* "Mon" or "Monday", any case; returns 0..6 or -EINVAL. */
static int schedule_parse_weekday_name(const char **p, const char *end) {
        const char *start = *p;
        size_t len;

        while (*p < end && ((**p >= 'a' && **p <= 'z') || (**p >= 'A' && **p <= 'Z')))
                (*p)++;
        len = (size_t) (*p - start);

        for (int i = 0; i < 7; i++)
                if ((len == 3 && strncasecmp(start, schedule_weekday_short[i], 3) == 0) ||
                    (len == strlen(schedule_weekday_long[i]) && strncasecmp(start, schedule_weekday_long[i], len) == 0))
                        return i;
        return -EINVAL;
}

static int schedule_parse_weekdays(ScheduleSpan s, CalendarSpec *spec) {
        const char *p = s.start, *end = s.start + s.len;
        uint64_t mask = 0;

        for (;;) {
                int lo, hi;

                lo = hi = schedule_parse_weekday_name(&p, end);
                if (lo < 0)
                        return lo;
                if (schedule_skip_dots(&p, end)) {
                        hi = schedule_parse_weekday_name(&p, end);
                        if (hi < 0 || hi < lo)
                                return -EINVAL;
                }
                mask |= schedule_bits(lo, hi);
                if (p == end)
                        break;
                if (*p != ',')
                        return -EINVAL;
                p++;
        }
        spec->weekdays = (uint8_t) mask;
        return 0;
}

/* [YYYY-]MM-DD */
static int schedule_parse_date(ScheduleSpan s, CalendarSpec *spec) {
        ScheduleSpan parts[3];
        uint64_t months, days;
        size_t n;
        int r;

        r = schedule_split(s, '-', parts, 3, &n);
        if (r < 0)
                return r;
        if (n < 2)
                return -EINVAL;
        if (n == 3) {
                r = schedule_parse_field(parts[0], SCHEDULE_YEAR_MIN, SCHEDULE_YEAR_MAX, schedule_add_year, spec);
                if (r < 0)
                        return r;
        }
        r = schedule_parse_mask(parts[n - 2], 1, 12, SCHEDULE_ALL_MONTHS, &months);
        if (r < 0)
                return r;
        r = schedule_parse_mask(parts[n - 1], 1, 31, SCHEDULE_ALL_DAYS, &days);
        if (r < 0)
                return r;
        spec->months = (uint16_t) months;
        spec->days = (uint32_t) days;
        return 0;
}

/* HH:MM[:SS] */
static int schedule_parse_time(ScheduleSpan s, CalendarSpec *spec) {
        ScheduleSpan parts[3];
        uint64_t hours, seconds = 1;
        size_t n;
        int r;

        r = schedule_split(s, ':', parts, 3, &n);
        if (r < 0)
                return r;
        if (n < 2)
                return -EINVAL;
        r = schedule_parse_mask(parts[0], 0, 23, SCHEDULE_ALL_HOURS, &hours);
        if (r < 0)
                return r;
        r = schedule_parse_mask(parts[1], 0, 59, SCHEDULE_ALL_SIXTY, &spec->minutes);
        if (r < 0)
                return r;
        if (n == 3) {
                r = schedule_parse_mask(parts[2], 0, 59, SCHEDULE_ALL_SIXTY, &seconds);
                if (r < 0)
                        return r;
        }
        spec->hours = (uint32_t) hours;
        spec->seconds = seconds;
        return 0;
}

static bool schedule_span_has(ScheduleSpan s, char c) {
        return memchr(s.start, c, s.len) != NULL;
}

/* Splits @text at blanks; -EINVAL with @ret_bad set if there are too many. */
static int schedule_tokenize(const char *text, ScheduleSpan *tokens, size_t *ret_n, ScheduleSpan *ret_bad) {
        const char *p = text;
        size_t n = 0;

        for (;;) {
                const char *start;

                while (schedule_is_blank(*p))
                        p++;
                if (*p == '\0')
                        break;
                start = p;
                while (*p != '\0' && !schedule_is_blank(*p))
                        p++;
                if (n >= SCHEDULE_TOKENS_MAX) {
                        *ret_bad = (ScheduleSpan){ start, (size_t) (p - start) };
                        return -EINVAL;
                }
                tokens[n++] = (ScheduleSpan){ start, (size_t) (p - start) };
        }
        *ret_n = n;
        return 0;
}

/* WEEKDAYS, DATE and TIME, each optional but in that order. On failure
 * @ret_bad is the token that could not be read. */
static int schedule_parse_tokens(const ScheduleSpan *tokens, size_t n, CalendarSpec *spec, ScheduleSpan *ret_bad) {
        size_t i = 0;
        int r;

        *spec = (CalendarSpec){
                .weekdays = SCHEDULE_ALL_WEEKDAYS,
                .months = SCHEDULE_ALL_MONTHS,
                .days = SCHEDULE_ALL_DAYS,
                .hours = 1,
                .minutes = 1,
                .seconds = 1,
        };

        if (i < n && !schedule_span_has(tokens[i], '-') && !schedule_span_has(tokens[i], ':')) {
                r = schedule_parse_weekdays(tokens[i], spec);
                if (r < 0)
                        goto fail;
                i++;
        }
        if (i < n && schedule_span_has(tokens[i], '-') && !schedule_span_has(tokens[i], ':')) {
                r = schedule_parse_date(tokens[i], spec);
                if (r < 0)
                        goto fail;
                i++;
        }
        if (i < n && schedule_span_has(tokens[i], ':')) {
                r = schedule_parse_time(tokens[i], spec);
                if (r < 0)
                        goto fail;
                i++;
        }
        if (i < n)
                goto fail;
        return 0;

fail:
        *ret_bad = tokens[i];
        return -EINVAL;
}

static const char *schedule_keyword_expansion(const char *text) {
        for (size_t i = 0; i < sizeof(schedule_keywords) / sizeof(schedule_keywords[0]); i++)
                if (strcasecmp(text, schedule_keywords[i].name) == 0)
                        return schedule_keywords[i].expansion;
        return NULL;
}

static int schedule_parse_text(const char *text, CalendarSpec *spec, ScheduleSpan *ret_bad) {
        ScheduleSpan tokens[SCHEDULE_TOKENS_MAX];
        char word[sizeof("semiannually") + 4];
        const char *expansion;
        size_t n;
        int r;

        r = schedule_tokenize(text, tokens, &n, ret_bad);
        if (r < 0)
                return r;
        if (n == 0) {
                *ret_bad = (ScheduleSpan){ text, strlen(text) };
                return -EINVAL;
        }
        /* A keyword stands alone; its expansion is plain syntax, so this
         * does not recurse. */
        if (n == 1 && tokens[0].len < sizeof(word)) {
                memcpy(word, tokens[0].start, tokens[0].len);
                word[tokens[0].len] = '\0';
                expansion = schedule_keyword_expansion(word);
                if (expansion) {
                        r = schedule_tokenize(expansion, tokens, &n, ret_bad);
                        if (r < 0)
                                return r;
                }
        }
        return schedule_parse_tokens(tokens, n, spec, ret_bad);
}

int schedule_parse(const char *text, CalendarSpec *ret, char **bad_token) {
        ScheduleSpan bad = {};
        CalendarSpec spec;
        int r;

        if (bad_token)
                *bad_token = NULL;
        if (!text || !ret)
                return -EINVAL;

        if (strnlen(text, SCHEDULE_SPEC_MAX) >= SCHEDULE_SPEC_MAX) {
                bad = (ScheduleSpan){ text, strlen(text) };
                r = -EINVAL;
        } else
                r = schedule_parse_text(text, &spec, &bad);
        if (r < 0) {
                if (bad_token) {
                        *bad_token = strndup(bad.start, bad.len);
                        if (!*bad_token)
                                return -ENOMEM;
                }
                return r;
        }
        *ret = spec;
        return 0;
}

/* Next occurrence */

/* glibc has no zone argument to localtime_r(), so schedule_next() selects
 * the zone by setting TZ around the computation and restores it after. That
 * is why it must not run concurrently with anything that reads the
 * environment or the zone: lookbackd calls it from its single thread. */
typedef struct {
        bool changed;
        char *old; /* previous TZ, NULL if it was unset */
} ScheduleZone;

static int schedule_zone_enter(const char *tz, ScheduleZone *zone) {
        const char *old;

        *zone = (ScheduleZone){};
        if (tz) {
                if (strnlen(tz, SCHEDULE_TZ_MAX) >= SCHEDULE_TZ_MAX)
                        return -EINVAL;
                old = getenv("TZ");
                if (old) {
                        zone->old = strdup(old);
                        if (!zone->old)
                                return -ENOMEM;
                }
                if (setenv("TZ", tz, 1) < 0) {
                        free(zone->old);
                        return -errno;
                }
                zone->changed = true;
        }
        tzset();
        return 0;
}

static void schedule_zone_leave(ScheduleZone *zone) {
        if (!zone->changed)
                return;
        if (zone->old)
                (void) setenv("TZ", zone->old, 1);
        else
                (void) unsetenv("TZ");
        free(zone->old);
        tzset();
}

/* UTC offset in seconds at instant @t. */
static int schedule_offset_at(int64_t t, int64_t *ret) {
        time_t tt = (time_t) t;
        struct tm tm;

        if ((int64_t) tt != t || !localtime_r(&tt, &tm))
                return -ERANGE;
        *ret = tm.tm_gmtoff;
        return 0;
}

/* Finds an instant whose wall clock reads @local, starting from the offset
 * in force at @probe; -ENOENT if the offsets seen around it do not fit. */
static int schedule_instance_near(int64_t local, int64_t probe, int64_t *ret) {
        int64_t offset, offset_there;
        int r;

        r = schedule_offset_at(probe, &offset);
        if (r < 0)
                return r;
        for (int attempt = 0; attempt < 2; attempt++) {
                r = schedule_offset_at(local - offset, &offset_there);
                if (r < 0)
                        return r;
                if (offset_there == offset) {
                        *ret = local - offset;
                        return 0;
                }
                offset = offset_there;
        }
        return -ENOENT;
}

/* The first instant whose wall clock reads later than @local, for a local
 * time that a spring-forward gap skips: where the clock jumps to. */
static int schedule_gap_end(int64_t local, int64_t *ret) {
        int64_t lo = local - SCHEDULE_DAY_SECONDS, hi = local + SCHEDULE_DAY_SECONDS;
        int r;

        /* Offsets are under a day, so the wall clock reads before @local at
         * lo and after it at hi. */
        while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2, offset;

                r = schedule_offset_at(mid, &offset);
                if (r < 0)
                        return r;
                if (mid + offset > local)
                        hi = mid;
                else
                        lo = mid;
        }
        *ret = hi;
        return 0;
}

/* Converts local seconds to an instant. We do not use mktime(): its
 * tm_isdst guess picks either instance of an ambiguous time and cannot see
 * offset changes that keep tm_isdst. Instead we try the offsets in force a
 * day before and a day after; every instance of @local has one of them (bar
 * two changes within two days). An ambiguous time (fall-back overlap) takes
 * its earlier instance, so it fires once; a skipped time (spring-forward gap)
 * takes the instant the clock jumps to. Both keep the mapping monotonic,
 * which schedule_next() relies on. */
static int schedule_local_to_instant(int64_t local, int64_t *ret) {
        const int64_t probes[2] = { local - SCHEDULE_DAY_SECONDS, local + SCHEDULE_DAY_SECONDS };
        bool found = false;
        int64_t best = 0;
        int r;

        for (size_t i = 0; i < 2; i++) {
                int64_t instant;

                r = schedule_instance_near(local, probes[i], &instant);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return r;
                if (!found || instant < best)
                        best = instant;
                found = true;
        }
        if (!found)
                return schedule_gap_end(local, ret);
        *ret = best;
        return 0;
}

static bool schedule_has_bit(uint64_t mask, int bit) {
        return (mask >> bit) & 1;
}

/* The first set bit >= @from in a 60-bit mask, or -1. */
static int schedule_first_bit(uint64_t mask, int from) {
        mask &= SCHEDULE_ALL_SIXTY & ~((UINT64_C(1) << from) - 1);
        return mask ? __builtin_ctzll(mask) : -1;
}

/* The first matching second of the day >= @from, or -1. */
static int schedule_next_time_of_day(const CalendarSpec *spec, int from) {
        for (int hour = from / 3600; hour < 24; hour++) {
                bool same_hour = hour == from / 3600;

                if (!schedule_has_bit(spec->hours, hour))
                        continue;
                for (int minute = same_hour ? from / 60 % 60 : 0; minute < 60; minute++) {
                        bool same_minute = same_hour && minute == from / 60 % 60;
                        int second;

                        if (!schedule_has_bit(spec->minutes, minute))
                                continue;
                        second = schedule_first_bit(spec->seconds, same_minute ? from % 60 : 0);
                        if (second >= 0)
                                return hour * 3600 + minute * 60 + second;
                }
        }
        return -1;
}

static bool schedule_date_matches(const CalendarSpec *spec, int64_t days, int day) {
        return schedule_has_bit(spec->days, day) && schedule_has_bit(spec->weekdays, date_weekday64(days));
}

/* The first matching time on a matching day from second @from of the day
 * that is after @after; -ENOENT if there is none. */
static int schedule_next_on_day(const CalendarSpec *spec, int64_t days, int from, time_t after, time_t *ret) {
        for (;;) {
                int64_t instant;
                int second;
                int r;

                second = from < SCHEDULE_DAY_SECONDS ? schedule_next_time_of_day(spec, from) : -1;
                if (second < 0)
                        return -ENOENT;
                r = schedule_local_to_instant(days * SCHEDULE_DAY_SECONDS + second, &instant);
                if (r < 0)
                        return r;
                if (instant > after) {
                        *ret = (time_t) instant;
                        return 0;
                }
                /* Only an ambiguous time's earlier instance can be this far
                 * behind; its later one is skipped on purpose. */
                from = second + 1;
        }
}

/* The first listed year >= @year, or -1; any year if none are listed. */
static int64_t schedule_next_year(const CalendarSpec *spec, int64_t year) {
        if (spec->n_years == 0)
                return year;
        for (size_t i = 0; i < spec->n_years; i++)
                if (spec->years[i] >= year)
                        return spec->years[i];
        return -1;
}

static bool schedule_spec_valid(const CalendarSpec *spec) {
        return (spec->weekdays & SCHEDULE_ALL_WEEKDAYS) && (spec->months & SCHEDULE_ALL_MONTHS) &&
               (spec->days & SCHEDULE_ALL_DAYS) && (spec->hours & SCHEDULE_ALL_HOURS) &&
               (spec->minutes & SCHEDULE_ALL_SIXTY) && (spec->seconds & SCHEDULE_ALL_SIXTY) &&
               spec->n_years <= SCHEDULE_YEARS_MAX;
}

/* Walks local dates from the one @after falls on, skipping whole years and
 * months that cannot match. Local times up to @after's own wall time map to
 * instants no later than @after, so the first day starts just past it. */
static int schedule_search(const CalendarSpec *spec, time_t after, time_t *ret) {
        struct tm tm;
        int64_t year, last_year;
        int month, day, from;
        int r;

        if (!localtime_r(&after, &tm))
                return -ERANGE;
        year = tm.tm_year + INT64_C(1900);
        month = tm.tm_mon + 1;
        day = tm.tm_mday;
        from = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec + 1;
        /* Listed years (kept sorted) bound the walk themselves, however far
         * ahead: 2127-01-01 is found, not given up on. Otherwise a spec
         * that matches no day (*-02-30) would walk forever. */
        last_year = spec->n_years > 0 ? spec->years[spec->n_years - 1] : year + SCHEDULE_SEARCH_YEARS;

        while (year <= last_year) {
                int64_t wanted = schedule_next_year(spec, year), days;

                if (wanted != year) {
                        if (wanted < 0)
                                return -ERANGE;
                        year = wanted, month = 1, day = 1, from = 0;
                        continue;
                }
                if (month > 12) {
                        year++, month = 1, day = 1, from = 0;
                        continue;
                }
                if (!schedule_has_bit(spec->months, month) || day > date_days_in_month64(year, month)) {
                        month++, day = 1, from = 0;
                        continue;
                }
                days = date_days_from_ymd64(year, month, day);
                if (schedule_date_matches(spec, days, day)) {
                        r = schedule_next_on_day(spec, days, from, after, ret);
                        if (r != -ENOENT)
                                return r;
                }
                day++, from = 0;
        }
        return -ERANGE;
}

int schedule_next(const CalendarSpec *spec, time_t after, const char *tz, time_t *ret) {
        ScheduleZone zone;
        time_t next;
        int r;

        if (!spec || !ret || !schedule_spec_valid(spec))
                return -EINVAL;

        r = schedule_zone_enter(tz, &zone);
        if (r < 0)
                return r;
        r = schedule_search(spec, after, &next);
        schedule_zone_leave(&zone);
        if (r < 0)
                return r;
        *ret = next;
        return 0;
}

/* Catch-up wants the last occurrence before now as well as the count, so
 * it walks them all; a per-second spec over a long downtime is the worst
 * case, hence the cap on steps (the latest found so far is then used). */
#define SCHEDULE_WALK_MAX 10000000U

int schedule_count_between(const CalendarSpec *spec, time_t after, time_t until, const char *tz, unsigned *ret_count,
                           time_t *ret_latest) {
        ScheduleZone zone;
        unsigned count = 0;
        time_t t = after, next;
        int r;

        if (!spec || !ret_count || !ret_latest || !schedule_spec_valid(spec))
                return -EINVAL;
        r = schedule_zone_enter(tz, &zone);
        if (r < 0)
                return r;
        while (count < SCHEDULE_WALK_MAX && until > t) {
                r = schedule_search(spec, t, &next);
                if (r == -ERANGE || (r >= 0 && next > until))
                        break;
                if (r < 0) {
                        schedule_zone_leave(&zone);
                        return r;
                }
                t = next;
                count++;
        }
        schedule_zone_leave(&zone);
        *ret_count = count;
        *ret_latest = t;
        return 0;
}

/* Formatting */

typedef struct {
        char *buf;
        size_t size;
        size_t len;
        bool overflow;
} ScheduleWriter;

static void schedule_put(ScheduleWriter *w, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void schedule_put(ScheduleWriter *w, const char *format, ...) {
        va_list ap;
        int n;

        if (w->overflow)
                return;
        va_start(ap, format);
        n = vsnprintf(w->buf + w->len, w->size - w->len, format, ap);
        va_end(ap);
        if (n < 0 || (size_t) n >= w->size - w->len) {
                w->overflow = true;
                return;
        }
        w->len += (size_t) n;
}

/* A run of three or more becomes "first..last", as systemd writes it. */
static void schedule_put_run(ScheduleWriter *w, bool *first, int lo, int hi, int width) {
        schedule_put(w, "%s%0*d", *first ? "" : ",", width, lo);
        if (hi - lo >= 2)
                schedule_put(w, "..%0*d", width, hi);
        else if (hi > lo)
                schedule_put(w, ",%0*d", width, hi);
        *first = false;
}

static void schedule_put_mask(ScheduleWriter *w, uint64_t mask, int min, int max, uint64_t all) {
        bool first = true;

        if ((mask & all) == all) {
                schedule_put(w, "*");
                return;
        }
        for (int lo = min; lo <= max; lo++) {
                int hi = lo;

                if (!schedule_has_bit(mask, lo))
                        continue;
                while (hi < max && schedule_has_bit(mask, hi + 1))
                        hi++;
                schedule_put_run(w, &first, lo, hi, 2);
                lo = hi;
        }
}

static void schedule_put_years(ScheduleWriter *w, const CalendarSpec *spec) {
        bool first = true;

        if (spec->n_years == 0) {
                schedule_put(w, "*");
                return;
        }
        for (size_t i = 0; i < spec->n_years; i++) {
                size_t j = i;

                while (j + 1 < spec->n_years && spec->years[j + 1] == spec->years[j] + 1)
                        j++;
                schedule_put_run(w, &first, spec->years[i], spec->years[j], 4);
                i = j;
        }
}

static void schedule_put_weekdays(ScheduleWriter *w, uint8_t weekdays) {
        bool first = true;

        if ((weekdays & SCHEDULE_ALL_WEEKDAYS) == SCHEDULE_ALL_WEEKDAYS)
                return;
        for (int lo = 0; lo < 7; lo++) {
                int hi = lo;

                if (!schedule_has_bit(weekdays, lo))
                        continue;
                while (hi < 6 && schedule_has_bit(weekdays, hi + 1))
                        hi++;
                schedule_put(w, "%s%s", first ? "" : ",", schedule_weekday_short[lo]);
                if (hi - lo >= 2)
                        schedule_put(w, "..%s", schedule_weekday_short[hi]);
                else if (hi > lo)
                        schedule_put(w, ",%s", schedule_weekday_short[hi]);
                first = false;
                lo = hi;
        }
        schedule_put(w, " ");
}

int schedule_format(const CalendarSpec *spec, char *buf, size_t size) {
        ScheduleWriter w = { .buf = buf, .size = size };

        if (!spec || !schedule_spec_valid(spec))
                return -EINVAL;
        if (!buf || size == 0)
                return -ENOBUFS;

        schedule_put_weekdays(&w, spec->weekdays);
        schedule_put_years(&w, spec);
        schedule_put(&w, "-");
        schedule_put_mask(&w, spec->months, 1, 12, SCHEDULE_ALL_MONTHS);
        schedule_put(&w, "-");
        schedule_put_mask(&w, spec->days, 1, 31, SCHEDULE_ALL_DAYS);
        schedule_put(&w, " ");
        schedule_put_mask(&w, spec->hours, 0, 23, SCHEDULE_ALL_HOURS);
        schedule_put(&w, ":");
        schedule_put_mask(&w, spec->minutes, 0, 59, SCHEDULE_ALL_SIXTY);
        schedule_put(&w, ":");
        schedule_put_mask(&w, spec->seconds, 0, 59, SCHEDULE_ALL_SIXTY);
        if (w.overflow) {
                buf[0] = '\0';
                return -ENOBUFS;
        }
        return (int) w.len;
}
