/* Calendar specs in the style of systemd's OnCalendar= (systemd.time(7)),
 * the subset people write, and their next occurrence. Pure: @after is passed
 * in, and the time zone is an argument.
 *
 *   [WEEKDAYS] [DATE] [TIME]
 *   WEEKDAYS  Mon..Sun, comma lists and ranges: "Mon,Wed", "Sat..Sun", "Mon..Fri,Sun"
 *   DATE      [YYYY-]MM-DD, each field "*" or a comma list: "*-01,07-01", "*-*-01", "2026-*-*"
 *   TIME      HH:MM[:SS], each field "*" or a comma list: "20:00", "*:00", "08,20:30"
 *   keywords  daily, weekly, monthly, quarterly, semiannually, yearly (as systemd defines them)
 * A missing DATE means every day; a missing TIME means 00:00:00. Weekday
 * names are case-insensitive, and both "Mon" and "Monday" are accepted. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SCHEDULE_SPEC_MAX  256
#define SCHEDULE_YEARS_MAX 16

typedef struct {
        uint8_t weekdays; /* bit 0 = Monday ... bit 6 = Sunday; 0x7f = any */
        uint16_t months;  /* bit 1..12 */
        uint32_t days;    /* bit 1..31 */
        uint32_t hours;   /* bit 0..23 */
        uint64_t minutes; /* bit 0..59 */
        uint64_t seconds; /* bit 0..59 */
        int years[SCHEDULE_YEARS_MAX];
        size_t n_years; /* 0 = any year */
} CalendarSpec;

/* Parses @text. Returns 0, or -EINVAL and, if @bad_token is non-NULL, a
 * malloc'd copy of the first token that could not be read (the whole text
 * when it is empty or over SCHEDULE_SPEC_MAX). */
int schedule_parse(const char *text, CalendarSpec *ret, char **bad_token);

/* The first occurrence strictly after @after, in zone @tz (an Olson name such
 * as "Europe/Berlin"; NULL means the process's zone). A local time that falls
 * in a spring-forward gap fires once, at the first valid instant after the
 * gap; one in a fall-back overlap fires once, at its first instance. Returns
 * 0, or -ERANGE when there is none: a spec that lists years is searched to
 * the end of its last year (e.g. none for "2020-01-01" after 2020, but
 * "2127-01-01" is found), one that lists none for 100 years (e.g. none
 * ever for "*-02-30"). */
int schedule_next(const CalendarSpec *spec, time_t after, const char *tz, time_t *ret);

/* Counts the occurrences in (@after, @until], in zone @tz: *ret_count, and
 * the last of them in *ret_latest (@after when there is none). This is how
 * missed prompts are caught up after downtime. */
int schedule_count_between(const CalendarSpec *spec, time_t after, time_t until, const char *tz, unsigned *ret_count,
                           time_t *ret_latest);

/* Normalized text of a spec, in systemd's long form
 * ("Sun *-*-* 20:00:00"); returns the number of bytes written or -ENOBUFS. */
int schedule_format(const CalendarSpec *spec, char *buf, size_t size);
