/* lookback.ini: the configuration schema, its parser and its defaults.
 *
 * The schema is one table of {section, key, parser, field} rows in
 * config.c; the inih handler looks each key up there. Parsing builds a fresh
 * Config, so a reload that fails leaves the running one untouched. Every
 * error is collected with its file:line, not just the first. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "cadence.h"
#include "date.h"
#include "schedule.h"

#define CONFIG_QUESTIONS_MAX  32
#define CONFIG_QUESTION_MAX   1024
#define CONFIG_HABITS_MAX     128
#define CONFIG_HABIT_NAME_MAX 64
#define CONFIG_ERRORS_MAX     100

typedef struct {
        char *name; /* [a-z0-9][a-z0-9_-]*, at most CONFIG_HABIT_NAME_MAX */
        Every every;
        unsigned times;       /* check-ins per period, >= 1; default 1 */
        unsigned lapse_after; /* missed periods that make a lapse, >= 1; default 2 */
        bool has_since;
        day_t since;
        bool builtin; /* weekly-review / halfyear-review */
        int line;     /* where its section starts; 0 for a built-in default */
} HabitConfig;

typedef struct {
        char *at; /* the spec as written */
        CalendarSpec spec;
        char **questions; /* in order; never empty after config_parse() */
        size_t n_questions;
} ReviewConfig;

/* [backup]: the daily snapshots. The keep rule is core/backup-keep.h's. */
typedef struct {
        bool enabled;   /* default yes */
        char *folder;   /* absolute, "~" expanded; NULL: $XDG_STATE_HOME/lookback/backups */
        unsigned daily; /* keep = 7d 4w 12m */
        unsigned weekly;
        unsigned monthly;
} BackupConfig;

/* [sync]: the folder another program (Syncthing, Nextcloud, git) carries
 * between machines; each writes its own log there (daemon/sync-folder.h). */
typedef struct {
        char *folder; /* absolute, "~" expanded; NULL: off */
} SyncConfig;

typedef struct {
        char *path;      /* the file read, NULL when running on built-in defaults */
        char *last_line; /* the file's last line, without its newline; NULL for none */
        char *database;  /* NULL: $XDG_DATA_HOME/lookback/lookback.db */
        WeekStart week_start;
        ReviewConfig weekly;
        ReviewConfig halfyear;
        char *answer_command;
        BackupConfig backup;
        SyncConfig sync;
        HabitConfig *habits; /* weekly-review and halfyear-review first, then the file's order */
        size_t n_habits;
} Config;

typedef struct {
        char *file;
        int line;      /* 0 when the error is about the file as a whole */
        char *message; /* "unknown key 'foo' in [weekly]; expected one of: at, question" */
} ConfigError;

typedef struct {
        ConfigError *errors;
        size_t n_errors;
} ConfigErrors;

/* Parses @text as if read from @filename (used in messages only). Returns 0
 * and a new Config; or -EINVAL with every error in @errors; or -ENOMEM. */
int config_parse_string(const char *text, const char *filename, Config **ret, ConfigErrors *errors);

/* Reads @path. A missing file is fine when @must_exist is false (the default
 * location): the result is the built-in defaults with path NULL. Otherwise
 * like config_parse_string(); an unreadable file is one error naming it. */
int config_load(const char *path, bool must_exist, Config **ret, ConfigErrors *errors);

/* config_load() for a reload. The file is read until two reads agree and it
 * has not changed for 100 ms (a bounded number of times), so a save in
 * progress is not taken; and a file whose last line has no newline, or an
 * empty one, is refused unless @previous (the config in force; NULL at
 * start) ended the same way, since it is most likely cut short.
 * config_load() is this with @previous NULL: at start either is fine. */
int config_reload(const char *path, bool must_exist, const Config *previous, Config **ret, ConfigErrors *errors);

/* The built-in defaults. */
int config_new_default(Config **ret);

Config *config_free(Config *c);
void config_errors_done(ConfigErrors *e);
/* "FILE:LINE: message" per line. */
void config_errors_print(const ConfigErrors *e, FILE *f);

/* Finds a habit by name; NULL if there is none. */
const HabitConfig *config_find_habit(const Config *c, const char *name);
const ReviewConfig *config_review(const Config *c, ReviewKind kind);

/* Prints the effective settings as a valid lookback.ini (defaults filled in). */
void config_dump(const Config *c, FILE *f);
/* Comment lines listing each review's next prompts after @now (in the
 * process's zone), or saying that fewer or none come. */
void config_dump_next_prompts(const Config *c, time_t now, FILE *f);
