/* Converters from what people come from (Loop Habit Tracker, jrnl, dated
 * Markdown files) into lookback's records.
 *
 * Pure: they read the files they are given and fill a RecordSet; they know
 * nothing of the store or the daemon. Every record's UUID is a version-5 UUID
 * of the source's own identity (see convert.c), so converting the same source
 * twice gives the same records and importing it twice changes nothing.
 *
 * Each function returns 0 and fills *ret (free it with records_done()), or a
 * negative errno and a malloc'd *ret_error saying what and where
 * ("Habits.csv line 3: unterminated quoted field"); on error *ret is left
 * empty. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "records.h"

/* A file bigger than this is not an export we know: refuse it before reading. */
#define CONVERT_FILE_MAX (64U * 1024U * 1024U)
/* Directory entries looked at in a Markdown directory or a Loop export. */
#define CONVERT_DIR_ENTRIES_MAX 100000U

/* What a free text (a jrnl entry, a Markdown file) becomes. */
typedef enum {
        CONVERT_AS_NOTES,  /* one RecordNote of its day */
        CONVERT_AS_WEEKLY, /* one weekly RecordAnswer of the week containing its day */
} ConvertAs;

/* One Loop habit and what lookback.ini needs to know it: lookback's habits
 * live in the config file, not in the database, so the person pastes
 * @snippet there. */
typedef struct {
        char *loop_name; /* as Loop wrote it */
        char *slug;      /* the lookback habit name the records use */
        char *snippet;   /* "# Loop: \"Meditate\"\n[habit \"meditate\"]\nevery = day\ntimes = 1\n" */
        bool archived;
} ConvertHabit;

/* @path: the unpacked export directory, or its Habits.csv. Check-ins and
 * skips of every habit with a folder in the export. */
int convert_loop(const char *path, RecordSet *ret, char **ret_error);
/* The habits of Habits.csv, in its order, each with its config snippet.
 * Free with convert_habits_free(). */
int convert_loop_habits(const char *path, ConvertHabit **ret, size_t *ret_n, char **ret_error);
void convert_habits_free(ConvertHabit *habits, size_t n);

/* @path: the file "jrnl --format json" wrote. */
int convert_jrnl(const char *path, ConvertAs as, WeekStart week_start, RecordSet *ret, char **ret_error);

/* @path: one file named YYYY-MM-DD.md or YYYY-MM-DD-anything.md, or a
 * directory of them. In a directory, files named otherwise (and empty
 * files) are skipped and counted in *@ret_skipped (may be NULL); a single
 * file named otherwise is an error. */
int convert_markdown(const char *path, ConvertAs as, WeekStart week_start, RecordSet *ret, size_t *ret_skipped,
                     char **ret_error);
