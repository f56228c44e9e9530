/* What the converters share: reading a capped, valid UTF-8 file, the
 * version-5 UUIDs, errors with a position, dates, adding records, and an
 * RFC 4180 CSV reader. Only convert-*.c include this. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "convert.h"

/* Sets *@ret_error to the formatted message and returns @r (negative). */
int convert_error(char **ret_error, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Reads @path whole, NUL-terminated, refusing a file over CONVERT_FILE_MAX,
 * invalid UTF-8 or a NUL byte; messages name @label and the line. */
int convert_read_file(const char *path, const char *label, char **ret, size_t *ret_len, char **ret_error);
/* The first line of @s (1-based) at which @len bytes are not valid UTF-8,
 * or 0 if all are. */
unsigned convert_utf8_bad_line(const char *s, size_t len);

/* The version-5 UUID of @name (@len bytes) in lookback's namespace,
 * lowercase. */
void convert_uuid(const char *name, size_t len, char ret[static RECORD_UUID_MAX]);

/* Exactly "YYYY-MM-DD" in @s's first 10 bytes, a real date from 1970 on. */
int convert_parse_date(const char *s, day_t *ret);
/* @day at @hour:@minute local time (process TZ), in usec since the epoch. */
int64_t convert_local_usec(day_t day, int hour, int minute);

int convert_add_mark(RecordMark **marks, size_t *n, size_t *allocated, const char *uuid_name, size_t uuid_name_len,
                     const char *habit, day_t day, const char *note);

/* A free text of @day: a note, or one weekly answer of the week containing
 * @day (question @title or "Journal"; an empty body answers with the title).
 * @kind_prefix + ":note:" or ":answer:" + @id is the UUID's name, so a note
 * and an answer of the same text never share a UUID. A text with neither
 * title nor body adds nothing and returns 0; 1 when one was added. */
int convert_add_text(RecordSet *set, size_t *allocated, ConvertAs as, WeekStart ws, const char *kind_prefix,
                     const char *id, size_t id_len, day_t day, int64_t recorded_usec, const char *title,
                     const char *body);

/* RFC 4180: fields separated by ',', records by "\n" or "\r\n", a field in
 * double quotes may hold ',', newlines and "" for a quote. Blank lines are
 * skipped. */
typedef struct {
        const char *p, *end;
        unsigned line; /* the physical line @p is on, 1-based */
} CsvReader;

typedef struct {
        char **fields;
        size_t n;
        unsigned line; /* where the record starts */
} CsvRow;

void csv_reader_init(CsvReader *r, const char *data, size_t len);
/* 1 and a row, 0 at the end, or -EBADMSG with *@ret_why (static) and
 * *@ret_line saying where, or -ENOMEM. */
int csv_next_row(CsvReader *r, CsvRow *ret, const char **ret_why, unsigned *ret_line);
void csv_row_done(CsvRow *row);
/* The index of the column named @name in @header, or -1. */
int csv_column(const CsvRow *header, const char *name);
