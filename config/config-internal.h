/* What config.c (the key table, the value parsers, the defaults),
 * config-reader.c (the line reader and inih handler) and config-dump.c
 * share. Private to config/. */
#pragma once

#include <stdarg.h>
#include <stdint.h>

#include "config.h"

#define _unused_ __attribute__((unused))

/* A config file is a page of settings; anything this big is a mistake. */
#define CONFIG_FILE_MAX (1024 * 1024)
/* A config file changed this recently may still be being written: it is
 * read again once it has been left alone this long. */
#define CONFIG_SETTLE_NSEC (100 * 1000000LL)
/* How many times a file that keeps changing is read before it is refused
 * (each at most CONFIG_SETTLE_NSEC apart: about two seconds). */
#define CONFIG_READ_TRIES 20
/* Bounds for "N weeks", times= and lapse_after=: generous, but finite. */
#define CONFIG_COUNT_MAX CADENCE_COUNT_MAX
/* keep = Nd Nw Nm: the most of each (core/backup-keep.h's BACKUP_KEEP_MAX). */
#define CONFIG_KEEP_MAX 10000
/* config_dump() wraps questions longer than this onto continuation lines. */
#define CONFIG_DUMP_WIDTH 100
/* How much of a bad line to quote back in a message. */
#define CONFIG_QUOTE_MAX 40

typedef enum {
        CONFIG_SECTION_NONE,    /* before the first section header */
        CONFIG_SECTION_INVALID, /* a bad header: its keys are skipped, the header was reported */
        CONFIG_SECTION_DAEMON,
        CONFIG_SECTION_WEEKLY,
        CONFIG_SECTION_HALFYEAR,
        CONFIG_SECTION_NOTIFY,
        CONFIG_SECTION_BACKUP,
        CONFIG_SECTION_SYNC,
        CONFIG_SECTION_HABIT,
        _CONFIG_SECTION_MAX,
} ConfigSection;

extern const char *const config_section_names[_CONFIG_SECTION_MAX];

#define CONFIG_VALID_SECTIONS "[daemon], [weekly], [halfyear], [notify], [backup], [sync], [habit \"NAME\"]"

typedef struct ConfigParser ConfigParser;

/* Parses @value into @field. Returns 0; -EINVAL with a malloc'd @message
 * saying what was expected; or -ENOMEM. */
typedef int (*ConfigValueParser)(ConfigParser *p, const char *value, void *field, char **message);

typedef struct {
        ConfigSection section;
        const char *key;
        ConfigValueParser parse;
        size_t offset; /* into HabitConfig for [habit "x"], into Config otherwise */
        bool repeatable;
} ConfigKey;

struct ConfigParser {
        const char *filename;
        const char *text;
        size_t size;
        size_t pos;
        int line;

        Config *config;
        ConfigErrors *errors;
        size_t n_errors; /* counted even when @errors is NULL */
        int r;           /* -ENOMEM once memory ran out */

        ConfigSection section;
        size_t habit; /* index into config->habits in a [habit] section */

        /* The state inih keeps to decide whether an indented line continues
         * the previous value: a key was seen since the last section header. */
        bool after_key;
        int key_line;
        char key_name[64];
        bool continuation;   /* the line being handled is a continuation */
        char *last_question; /* the question a continuation line extends */
        ReviewConfig *last_question_review;

        bool questions_replaced[_REVIEW_KIND_MAX];
        bool questions_overflow[_REVIEW_KIND_MAX];
        bool habits_overflow;

        const ConfigKey *keys; /* the schema: config.c's table */
        size_t n_keys;

        /* First line of each non-repeatable key: slot 0 for the global
         * sections, slot 1 + i for config->habits[i]. */
        int (*first_line)[CONFIG_HABITS_MAX + 1];
};

/* Records one error at @line (0: the file as a whole). */
void config_error(ConfigParser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Appends a habit with its defaults; -E2BIG past CONFIG_HABITS_MAX. */
int config_add_habit(Config *c, const char *name, Every every, unsigned lapse_after, bool builtin, int line);
HabitConfig *config_parser_habit(ConfigParser *p);
/* The row of @p's table for @key in @section, or NULL. */
const ConfigKey *config_find_key(const ConfigParser *p, ConfigSection section, const char *key);
/* inih's reader and handler (ini_parse_stream()), with @userdata the parser. */
char *config_reader(char *buf, int size, void *userdata);
int config_handler(void *userdata, const char *section, const char *key, const char *value);
/* Whether @s would read back as "key = ...": a question line must not. */
bool config_looks_like_key(const char *s);
