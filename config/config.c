/* lookback.ini: the schema table, the inih glue and the built-in defaults.
 *
 * inih is fed by our own line reader rather than fopen(), for three reasons:
 * Debian's libinih is built without INI_HANDLER_LINENO, so the reader is the
 * only place that knows the current line; inih silently splits lines longer
 * than its compiled INI_MAX_LINE and truncates section names to 50 bytes;
 * and inih reports only the first syntax error. So the reader classifies each
 * line exactly the way inih would, reports syntax errors itself (all of
 * them), tracks the section, and hands inih only lines it will accept. inih
 * still splits "key = value" and strips comments; the handler looks the key
 * up in config_keys[]. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define _unused_ __attribute__((unused))

/* A config file is a page of settings; anything this big is a mistake. */
#define CONFIG_FILE_MAX (1024 * 1024)
/* Bounds for "N weeks", times= and lapse_after=: generous, but finite. */
#define CONFIG_COUNT_MAX CADENCE_COUNT_MAX
/* config_dump() wraps questions longer than this onto continuation lines. */
#define CONFIG_DUMP_WIDTH 100
/* How much of a bad line to quote back in a message. */
#define CONFIG_QUOTE_MAX 40

#define CONFIG_DEFAULT_WEEKLY_AT      "Sun 20:00"
#define CONFIG_DEFAULT_HALFYEAR_AT    "*-01,07-01 10:00"
#define CONFIG_DEFAULT_ANSWER_COMMAND "x-terminal-emulator -e lookback answer"

static const char *const config_default_weekly_questions[] = {
        "What went well this week?",
        "What did not, and why?",
        "What will I focus on next week?",
};

/* Asked twice a year: long enough apart that the goals themselves are what
 * drift, so these look at the goals and the direction, not at the week. */
static const char *const config_default_halfyear_questions[] = {
        "Which of the goals I set six months ago did I meet, which did I drift from, and why?",
        "What took most of my time and energy, and was it worth it?",
        "What keeps coming up in my reviews that I have not acted on?",
        "What are my goals for the next six months, and how will I know I am on track?",
};

typedef enum {
        CONFIG_SECTION_NONE,    /* before the first section header */
        CONFIG_SECTION_INVALID, /* a bad header: its keys are skipped, the header was reported */
        CONFIG_SECTION_DAEMON,
        CONFIG_SECTION_WEEKLY,
        CONFIG_SECTION_HALFYEAR,
        CONFIG_SECTION_NOTIFY,
        CONFIG_SECTION_HABIT,
} ConfigSection;

static const char *const config_section_names[] = {
        [CONFIG_SECTION_DAEMON] = "daemon", [CONFIG_SECTION_WEEKLY] = "weekly", [CONFIG_SECTION_HALFYEAR] = "halfyear",
        [CONFIG_SECTION_NOTIFY] = "notify", [CONFIG_SECTION_HABIT] = "habit",
};

#define CONFIG_VALID_SECTIONS "[daemon], [weekly], [halfyear], [notify], [habit \"NAME\"]"

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

        /* First line of each non-repeatable key: slot 0 for the global
         * sections, slot 1 + i for config->habits[i]. */
        int (*first_line)[CONFIG_HABITS_MAX + 1];
};

static int config_parse_path(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_week_start(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_at(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_question(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_command(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_every(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_count(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_since(ConfigParser *p, const char *value, void *field, char **message);

static const ConfigKey config_keys[] = {
        { CONFIG_SECTION_DAEMON, "database", config_parse_path, offsetof(Config, database), false },
        { CONFIG_SECTION_DAEMON, "week_start", config_parse_week_start, offsetof(Config, week_start), false },
        { CONFIG_SECTION_WEEKLY, "at", config_parse_at, offsetof(Config, weekly), false },
        { CONFIG_SECTION_WEEKLY, "question", config_parse_question, offsetof(Config, weekly), true },
        { CONFIG_SECTION_HALFYEAR, "at", config_parse_at, offsetof(Config, halfyear), false },
        { CONFIG_SECTION_HALFYEAR, "question", config_parse_question, offsetof(Config, halfyear), true },
        { CONFIG_SECTION_NOTIFY, "answer_command", config_parse_command, offsetof(Config, answer_command), false },
        { CONFIG_SECTION_HABIT, "every", config_parse_every, offsetof(HabitConfig, every), false },
        { CONFIG_SECTION_HABIT, "times", config_parse_count, offsetof(HabitConfig, times), false },
        { CONFIG_SECTION_HABIT, "lapse_after", config_parse_count, offsetof(HabitConfig, lapse_after), false },
        { CONFIG_SECTION_HABIT, "since", config_parse_since, offsetof(HabitConfig, since), false },
};

#define CONFIG_N_KEYS ELEMENTSOF(config_keys)

static char *config_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *config_vformat(const char *fmt, va_list ap) {
        va_list copy;
        char *s;
        int n;

        va_copy(copy, ap);
        n = vsnprintf(NULL, 0, fmt, copy);
        va_end(copy);
        if (n < 0)
                return NULL;
        s = malloc((size_t) n + 1);
        if (s)
                vsnprintf(s, (size_t) n + 1, fmt, ap);
        return s;
}

/* Records one error. Past CONFIG_ERRORS_MAX only one more line is added,
 * so a binary file fed as config does not produce a million messages. */
static void config_error(ConfigParser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void config_error(ConfigParser *p, int line, const char *fmt, ...) {
        _cleanup_free_ char *message = NULL;
        va_list ap;

        p->n_errors++;
        if (!p->errors || p->n_errors > CONFIG_ERRORS_MAX + 1)
                return;
        if (p->n_errors == CONFIG_ERRORS_MAX + 1)
                message = strdup("too many errors, not reporting any more");
        else {
                va_start(ap, fmt);
                message = config_vformat(fmt, ap);
                va_end(ap);
        }
        char *file = strdup(p->filename);
        ConfigError *n = realloc(p->errors->errors, (p->errors->n_errors + 1) * sizeof(ConfigError));
        if (!message || !file || !n) {
                free(file);
                if (n)
                        p->errors->errors = n;
                p->r = -ENOMEM;
                return;
        }
        p->errors->errors = n;
        n[p->errors->n_errors++] = (ConfigError){
                .file = file,
                .line = line,
                .message = TAKE_PTR(message),
        };
}

static bool config_habit_name_valid(const char *name) {
        size_t len = strlen(name);

        if (len == 0 || len > CONFIG_HABIT_NAME_MAX)
                return false;
        if (!islower((unsigned char) name[0]) && !isdigit((unsigned char) name[0]))
                return false;
        for (const char *c = name; *c; c++)
                if (!islower((unsigned char) *c) && !isdigit((unsigned char) *c) && *c != '-' && *c != '_')
                        return false;
        return true;
}

/* Whether @s is a single word such as a key name. */
static bool config_is_word(const char *s, size_t len) {
        if (len == 0)
                return false;
        for (size_t i = 0; i < len; i++)
                if (!isalpha((unsigned char) s[i]) && s[i] != '_')
                        return false;
        return true;
}

/* An indented "times = 2" under "every = month" is, to inih, a second line
 * of every's value. Spotting the shape lets us say "remove the indentation"
 * instead of something baffling. */
static bool config_looks_like_key(const char *s) {
        size_t eq = strcspn(s, "="), n = eq;

        while (n > 0 && isspace((unsigned char) s[n - 1]))
                n--;
        return s[eq] == '=' && config_is_word(s, n);
}

/* inih's inline comment rule: ';' at the start or after whitespace. */
static char *config_find_comment(char *s, const char *stop) {
        bool was_space = false;

        for (; *s; s++) {
                if (stop && strchr(stop, *s))
                        return s;
                if (was_space && *s == ';')
                        return s;
                was_space = isspace((unsigned char) *s);
        }
        return s;
}

static char *config_rstrip(char *s) {
        size_t n = strlen(s);

        while (n > 0 && isspace((unsigned char) s[n - 1]))
                s[--n] = '\0';
        return s;
}

static char *config_lskip(char *s) {
        while (*s && isspace((unsigned char) *s))
                s++;
        return s;
}

static HabitConfig *config_parser_habit(ConfigParser *p) {
        return &p->config->habits[p->habit];
}

static int config_add_habit(Config *c, const char *name, Every every, unsigned lapse_after, bool builtin, int line) {
        if (c->n_habits >= CONFIG_HABITS_MAX)
                return -E2BIG;
        HabitConfig *n = realloc(c->habits, (c->n_habits + 1) * sizeof(HabitConfig));
        if (!n)
                return -ENOMEM;
        c->habits = n;
        char *copy = strdup(name);
        if (!copy)
                return -ENOMEM;
        n[c->n_habits++] = (HabitConfig){
                .name = copy,
                .every = every,
                .times = 1,
                .lapse_after = lapse_after,
                .builtin = builtin,
                .line = line,
        };
        return 0;
}

/* [habit "NAME"]: @rest is what follows "habit". */
static void config_start_habit(ConfigParser *p, char *rest, const char *header) {
        _cleanup_free_ char *name = NULL;
        size_t len;
        int r;

        if (*rest == '\0') {
                config_error(p, p->line, "[habit] needs a name in quotes: [habit \"reading\"]");
                return;
        }
        rest = config_lskip(rest);
        len = strlen(rest);
        if (len < 2 || rest[0] != '"' || rest[len - 1] != '"') {
                config_error(p, p->line, "[%s]: the habit name must be in double quotes: [habit \"%.*s\"]", header,
                             CONFIG_QUOTE_MAX, rest);
                return;
        }
        name = strndup(rest + 1, len - 2);
        if (!name) {
                p->r = -ENOMEM;
                return;
        }
        if (!config_habit_name_valid(name)) {
                config_error(p, p->line,
                             "invalid habit name '%.*s': use a-z, 0-9, '-' and '_', starting with a letter or digit, "
                             "at most %d characters",
                             CONFIG_QUOTE_MAX, name, CONFIG_HABIT_NAME_MAX);
                return;
        }

        for (size_t i = 0; i < p->config->n_habits; i++) {
                HabitConfig *h = &p->config->habits[i];
                if (!streq(h->name, name))
                        continue;
                if (h->line > 0) {
                        config_error(p, p->line, "duplicate section [habit \"%s\"], first on line %d", name, h->line);
                        return;
                }
                /* A built-in's first section in the file: it tunes it. */
                h->line = p->line;
                p->habit = i;
                p->section = CONFIG_SECTION_HABIT;
                return;
        }

        r = config_add_habit(p->config, name, (Every){ EVERY_WEEK, 1 }, 2, false, p->line);
        if (r == -E2BIG) {
                if (!p->habits_overflow)
                        config_error(p, p->line, "too many habits (at most %d, the two reviews included)",
                                     CONFIG_HABITS_MAX);
                p->habits_overflow = true;
                return;
        }
        if (r < 0) {
                p->r = r;
                return;
        }
        p->habit = p->config->n_habits - 1;
        p->section = CONFIG_SECTION_HABIT;
}

/* A section header, the text between '[' and ']'. */
static void config_start_section(ConfigParser *p, char *header) {
        header = config_rstrip(config_lskip(header));

        p->section = CONFIG_SECTION_INVALID;
        for (ConfigSection s = CONFIG_SECTION_DAEMON; s < CONFIG_SECTION_HABIT; s++)
                if (streq(header, config_section_names[s])) {
                        p->section = s;
                        return;
                }
        if (startswith(header, "habit") && (header[5] == '\0' || isspace((unsigned char) header[5]))) {
                config_start_habit(p, header + 5, header);
                return;
        }
        config_error(p, p->line, "unknown section [%.*s]; expected one of: " CONFIG_VALID_SECTIONS, CONFIG_QUOTE_MAX,
                     header);
}

/* Classifies @line the way inih would and returns what inih should see:
 * the line itself, or "" for a line already dealt with here. @line is
 * modifiable and has no newline. */
static const char *config_classify_line(ConfigParser *p, char *line) {
        char *start = config_lskip(config_rstrip(line)), *end;

        p->continuation = false;
        if (*start == '\0' || *start == ';' || *start == '#')
                return "";

        /* inih checks for a continuation before anything else. */
        if (p->after_key && start > line) {
                *config_find_comment(start, NULL) = '\0';
                config_rstrip(start);
                p->continuation = true;
                return start - 1; /* keep one space of indentation for inih */
        }

        if (*start == '[') {
                end = config_find_comment(start + 1, "]");
                if (*end != ']') {
                        config_error(p, p->line, "section header without closing ']'");
                        /* Its keys would only add "unknown key" noise. */
                        p->section = CONFIG_SECTION_INVALID;
                        p->after_key = false;
                        return "";
                }
                *end = '\0';
                char *rest = config_lskip(end + 1);
                if (*rest != '\0' && *rest != ';')
                        config_error(p, p->line, "unexpected text after ']': '%.*s'", CONFIG_QUOTE_MAX, rest);
                config_start_section(p, start + 1);
                p->after_key = false;
                return "";
        }

        end = config_find_comment(start, "=:");
        if (*end != '=' && *end != ':') {
                *end = '\0';
                config_error(p, p->line, "expected 'key = value', '[section]' or a comment, got '%.*s'",
                             CONFIG_QUOTE_MAX, config_rstrip(start));
                return "";
        }
        if (end == start) {
                config_error(p, p->line, "missing key name before '%c'", *end);
                return "";
        }
        p->after_key = true;
        p->key_line = p->line;
        return start;
}

/* The ini_reader: hands inih one line per call, so that p->line is the line
 * the handler is looking at. @size is inih's buffer, INI_MAX_LINE as the
 * library was built. */
static char *config_reader(char *buf, int size, void *userdata) {
        ConfigParser *p = userdata;
        size_t len, max = size > 2 ? (size_t) size - 2 : 0;
        const char *line, *nl, *handed;

        if (p->pos >= p->size)
                return NULL;

        line = p->text + p->pos;
        nl = memchr(line, '\n', p->size - p->pos);
        len = nl ? (size_t) (nl - line) : p->size - p->pos;
        p->pos += len + (nl ? 1 : 0);
        p->line++;

        if (p->line == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
                line += 3;
                len -= 3;
        }

        handed = "";
        if (memchr(line, '\0', len))
                config_error(p, p->line, "line contains a NUL byte");
        else if (len > max)
                config_error(p, p->line,
                             "line too long (at most %zu characters; continue a question on an indented line)", max);
        else {
                memcpy(buf, line, len);
                buf[len] = '\0';
                handed = config_classify_line(p, buf);
        }
        memmove(buf, handed, strlen(handed) + 1);
        strcat(buf, "\n");
        return buf;
}

static const ConfigKey *config_find_key(ConfigSection section, const char *key) {
        for (size_t i = 0; i < CONFIG_N_KEYS; i++)
                if (config_keys[i].section == section && streq(config_keys[i].key, key))
                        return &config_keys[i];
        return NULL;
}

static void config_error_unknown_key(ConfigParser *p, const char *key) {
        char expected[256] = "";

        for (size_t i = 0; i < CONFIG_N_KEYS; i++)
                if (config_keys[i].section == p->section) {
                        if (expected[0])
                                strcat(expected, ", ");
                        strcat(expected, config_keys[i].key);
                }
        if (p->section == CONFIG_SECTION_HABIT)
                config_error(p, p->line, "unknown key '%.*s' in [habit \"%s\"]; expected one of: %s", CONFIG_QUOTE_MAX,
                             key, config_parser_habit(p)->name, expected);
        else
                config_error(p, p->line, "unknown key '%.*s' in [%s]; expected one of: %s", CONFIG_QUOTE_MAX, key,
                             config_section_names[p->section], expected);
}

/* An indented line: inih hands it over as more of the previous key's value.
 * Only a question may span lines (the lines are joined with a space). */
static void config_continue_value(ConfigParser *p, const char *key, const char *value) {
        if (config_looks_like_key(value)) {
                config_error(p, p->line,
                             "indented '%.*s' continues '%s' from line %d instead of setting a key; "
                             "remove the indentation",
                             CONFIG_QUOTE_MAX, value, p->key_name, p->key_line);
                return;
        }
        if (!streq(key, "question")) {
                config_error(p, p->line,
                             "indented line continues '%s' from line %d, and only a question may span "
                             "lines; remove the indentation",
                             key, p->key_line);
                return;
        }
        if (!p->last_question)
                return; /* the question itself was already reported */

        char *joined = strdup_printf("%s %s", p->last_question, value);
        if (!joined) {
                p->r = -ENOMEM;
                return;
        }
        ReviewConfig *review = p->last_question_review;
        free(review->questions[review->n_questions - 1]);
        review->questions[review->n_questions - 1] = p->last_question = joined;
        if (strlen(joined) > CONFIG_QUESTION_MAX) {
                config_error(p, p->line, "question from line %d is too long (%zu characters, at most %d)", p->key_line,
                             strlen(joined), CONFIG_QUESTION_MAX);
                p->last_question = NULL;
        }
}

static int config_handler(void *userdata, const char *section, const char *key, const char *value) {
        ConfigParser *p = userdata;
        _cleanup_free_ char *message = NULL;
        const ConfigKey *k;
        int r;

        /* inih's @section is truncated to 50 bytes; p->section is ours. */
        (void) section;
        if (p->r < 0)
                return 0;
        if (p->section == CONFIG_SECTION_INVALID)
                return 1;
        if (p->continuation) {
                config_continue_value(p, key, value);
                return p->r < 0 ? 0 : 1;
        }

        snprintf(p->key_name, sizeof(p->key_name), "%s", key);
        p->last_question = NULL;
        if (p->section == CONFIG_SECTION_NONE) {
                config_error(p, p->line, "'%.*s' is outside any section; put it under one of: " CONFIG_VALID_SECTIONS,
                             CONFIG_QUOTE_MAX, key);
                return 1;
        }

        k = config_find_key(p->section, key);
        if (!k) {
                config_error_unknown_key(p, key);
                return 1;
        }

        if (!k->repeatable) {
                size_t slot = p->section == CONFIG_SECTION_HABIT ? 1 + p->habit : 0;
                int *first = &p->first_line[k - config_keys][slot];
                if (*first > 0) {
                        config_error(p, p->line, "%s given twice, first on line %d", key, *first);
                        return 1;
                }
                *first = p->line;
        }

        uint8_t *base = p->section == CONFIG_SECTION_HABIT ? (uint8_t *) config_parser_habit(p) : (uint8_t *) p->config;
        r = k->parse(p, value, base + k->offset, &message);
        if (r == -ENOMEM) {
                p->r = r;
                return 0;
        }
        if (r < 0)
                config_error(p, p->line, "%s: %s", key, message ? message : "invalid value");
        return 1;
}

static int config_set_string(char **field, const char *value) {
        char *copy = strdup(value);

        if (!copy)
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

static int config_invalid(char **message, char *text) {
        if (!text)
                return -ENOMEM;
        *message = text;
        return -EINVAL;
}

/* Absolute only: the daemon runs from systemd, whose working directory and
 * idea of "~" are not the user's shell's. */
static int config_parse_path(_unused_ ConfigParser *p, const char *value, void *field, char **message) {
        if (value[0] != '/')
                return config_invalid(message, strdup_printf("expected an absolute path, got '%s'", value));
        return config_set_string(field, value);
}

static int config_parse_week_start(_unused_ ConfigParser *p, const char *value, void *field, char **message) {
        WeekStart *ws = field;

        if (strcasecmp(value, "monday") == 0)
                *ws = WEEK_START_MONDAY;
        else if (strcasecmp(value, "sunday") == 0)
                *ws = WEEK_START_SUNDAY;
        else
                return config_invalid(message, strdup_printf("expected 'monday' or 'sunday', got '%s'", value));
        return 0;
}

static int config_parse_at(_unused_ ConfigParser *p, const char *value, void *field, char **message) {
        ReviewConfig *review = field;
        _cleanup_free_ char *bad = NULL;
        CalendarSpec spec;
        time_t first;
        int r;

        if (value[0] == '\0')
                return config_invalid(message, strdup("empty value; expected a calendar spec such as 'Sun 20:00' or "
                                                      "'*-01,07-01 10:00'"));
        r = schedule_parse(value, &spec, &bad);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return config_invalid(message,
                                      strdup_printf("cannot read '%s' in calendar spec '%s'; expected something like "
                                                    "'Sun 20:00' or '*-01,07-01 10:00'",
                                                    bad ? bad : value, value));
        /* From 1970 on, in this zone: a spec that matches no day at all
         * (30 February, 31 April, 29 February of a common year) would be
         * "OK" and then never prompt. */
        r = schedule_next(&spec, 0, NULL, &first);
        if (r == -ERANGE)
                return config_invalid(message, strdup_printf("calendar spec '%s' never fires: no such day", value));
        if (r < 0)
                return r;
        r = config_set_string(&review->at, value);
        if (r < 0)
                return r;
        review->spec = spec;
        return 0;
}

static int config_parse_question(ConfigParser *p, const char *value, void *field, char **message) {
        ReviewConfig *review = field;
        ReviewKind kind = review == &p->config->weekly ? REVIEW_WEEKLY : REVIEW_HALFYEAR;
        int r;

        if (value[0] == '\0')
                return config_invalid(message, strdup("expected a question, got nothing"));
        if (strlen(value) > CONFIG_QUESTION_MAX)
                return config_invalid(message, strdup_printf("too long (%zu characters, at most %d)", strlen(value),
                                                             CONFIG_QUESTION_MAX));

        /* The file's questions are the whole list, not additions to ours. */
        if (!p->questions_replaced[kind]) {
                review->questions = strv_free(review->questions);
                review->n_questions = 0;
                p->questions_replaced[kind] = true;
        }
        if (review->n_questions >= CONFIG_QUESTIONS_MAX) {
                if (p->questions_overflow[kind])
                        return 0;
                p->questions_overflow[kind] = true;
                return config_invalid(message, strdup_printf("too many questions in [%s] (at most %d)",
                                                             review_kind_to_string(kind), CONFIG_QUESTIONS_MAX));
        }
        r = strv_extend(&review->questions, value);
        if (r < 0)
                return r;
        review->n_questions++;
        p->last_question = review->questions[review->n_questions - 1];
        p->last_question_review = review;
        return 0;
}

static int config_parse_command(_unused_ ConfigParser *p, const char *value, void *field, char **message) {
        if (value[0] == '\0')
                return config_invalid(message, strdup("expected a command, got nothing"));
        return config_set_string(field, value);
}

static int config_parse_every(ConfigParser *p, const char *value, void *field, char **message) {
        HabitConfig *h = config_parser_habit(p);

        if (h->builtin)
                return config_invalid(message,
                                      strdup_printf("'%s' is checked in by answering the %s review, so its cadence "
                                                    "is the review's (every %s) and cannot be set; tune times, "
                                                    "lapse_after or since instead",
                                                    h->name, h->every.unit == EVERY_WEEK ? "weekly" : "half-year",
                                                    h->every.unit == EVERY_WEEK ? "week" : "6 months"));
        if (every_parse(value, field) < 0)
                return config_invalid(message, strdup_printf("expected day, week, month, N days, N weeks or N months "
                                                             "(N from 1 to %d), got '%s'",
                                                             CONFIG_COUNT_MAX, value));
        return 0;
}

static int config_parse_count(_unused_ ConfigParser *p, const char *value, void *field, char **message) {
        if (safe_atou(value, 1, CONFIG_COUNT_MAX, field) < 0)
                return config_invalid(
                        message, strdup_printf("expected a number from 1 to %d, got '%s'", CONFIG_COUNT_MAX, value));
        return 0;
}

/* Only the literal form: "today" means nothing stable in a config file. */
static int config_parse_since(ConfigParser *p, const char *value, void *field, char **message) {
        HabitConfig *h = config_parser_habit(p);

        if (strlen(value) != 10 || !isdigit((unsigned char) value[0]) || date_parse(value, 0, field) < 0)
                return config_invalid(message, strdup_printf("expected a date as YYYY-MM-DD, got '%s'", value));
        h->has_since = true;
        return 0;
}

static int config_review_init(ReviewConfig *review, const char *at, const char *const *questions, size_t n) {
        int r;

        r = schedule_parse(at, &review->spec, NULL);
        if (r < 0)
                return r;
        review->at = strdup(at);
        if (!review->at)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                r = strv_extend(&review->questions, questions[i]);
                if (r < 0)
                        return r;
                review->n_questions++;
        }
        return 0;
}

int config_new_default(Config **ret) {
        Config *c;
        int r;

        c = calloc(1, sizeof(Config));
        if (!c)
                return -ENOMEM;
        c->week_start = WEEK_START_MONDAY;

        r = config_review_init(&c->weekly, CONFIG_DEFAULT_WEEKLY_AT, config_default_weekly_questions,
                               ELEMENTSOF(config_default_weekly_questions));
        if (r < 0)
                goto fail;
        r = config_review_init(&c->halfyear, CONFIG_DEFAULT_HALFYEAR_AT, config_default_halfyear_questions,
                               ELEMENTSOF(config_default_halfyear_questions));
        if (r < 0)
                goto fail;
        c->answer_command = strdup(CONFIG_DEFAULT_ANSWER_COMMAND);
        if (!c->answer_command) {
                r = -ENOMEM;
                goto fail;
        }

        /* Missing one week happens (holidays); two in a row is the drift the
         * user did not notice last August. Missing one half-year review is
         * already the failure: a whole year without a look back, so the
         * half-year review lapses after a single missed period. */
        r = config_add_habit(c, review_kind_habit(REVIEW_WEEKLY), (Every){ EVERY_WEEK, 1 }, 2, true, 0);
        if (r < 0)
                goto fail;
        r = config_add_habit(c, review_kind_habit(REVIEW_HALFYEAR), (Every){ EVERY_MONTH, 6 }, 1, true, 0);
        if (r < 0)
                goto fail;

        *ret = c;
        return 0;
fail:
        config_free(c);
        return r;
}

static void config_check_habits(ConfigParser *p) {
        size_t every = (size_t) (config_find_key(CONFIG_SECTION_HABIT, "every") - config_keys);

        for (size_t i = 0; i < p->config->n_habits; i++) {
                const HabitConfig *h = &p->config->habits[i];
                if (!h->builtin && p->first_line[every][1 + i] == 0)
                        config_error(p, h->line,
                                     "habit '%s' needs every = (day, week, month, N days, N weeks or N months)",
                                     h->name);
        }
}

static int config_parse_text(const char *text, size_t size, const char *filename, Config **ret, ConfigErrors *errors) {
        _cleanup_free_ int(*first_line)[CONFIG_HABITS_MAX + 1] = NULL;
        Config *c = NULL;
        int r;

        first_line = calloc(CONFIG_N_KEYS, sizeof(*first_line));
        if (!first_line)
                return -ENOMEM;
        r = config_new_default(&c);
        if (r < 0)
                return r;

        ConfigParser p = {
                .filename = filename,
                .text = text,
                .size = size,
                .config = c,
                .errors = errors,
                .first_line = first_line,
        };

        r = ini_parse_stream(config_reader, &p, config_handler, &p);
        if (p.r < 0) {
                config_free(c);
                return p.r;
        }
        /* Every line inih rejects should have been caught by the reader. */
        if (r > 0 && p.n_errors == 0)
                config_error(&p, r, "syntax error");
        else if (r < 0)
                config_error(&p, 0, "cannot parse (inih error %d)", r);
        config_check_habits(&p);
        if (p.r < 0 || p.n_errors > 0) {
                config_free(c);
                return p.r < 0 ? p.r : -EINVAL;
        }

        c->path = strdup(filename);
        if (!c->path) {
                config_free(c);
                return -ENOMEM;
        }
        *ret = c;
        return 0;
}

int config_parse_string(const char *text, const char *filename, Config **ret, ConfigErrors *errors) {
        return config_parse_text(text, strlen(text), filename ? filename : "<string>", ret, errors);
}

static int config_add_file_error(const char *path, ConfigErrors *errors, int error, const char *what) {
        ConfigParser p = { .filename = path, .errors = errors };

        config_error(&p, 0, "%s: %s", what, strerror(error));
        return p.r < 0 ? p.r : -error;
}

int config_load(const char *path, bool must_exist, Config **ret, ConfigErrors *errors) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0, n;
        FILE *f;
        int r;

        f = fopen(path, "re");
        if (!f) {
                if (errno == ENOENT && !must_exist)
                        return config_new_default(ret);
                return config_add_file_error(path, errors, errno, "cannot open");
        }

        text = malloc(CONFIG_FILE_MAX + 1);
        if (!text) {
                fclose(f);
                return -ENOMEM;
        }
        while ((n = fread(text + size, 1, CONFIG_FILE_MAX + 1 - size, f)) > 0)
                size += n;
        r = ferror(f) ? -EIO : 0;
        fclose(f);
        if (r < 0)
                return config_add_file_error(path, errors, EIO, "cannot read");
        if (size > CONFIG_FILE_MAX)
                return config_add_file_error(path, errors, EFBIG, "cannot read");

        return config_parse_text(text, size, path, ret, errors);
}

static void config_review_done(ReviewConfig *review) {
        free(review->at);
        strv_free(review->questions);
}

Config *config_free(Config *c) {
        if (!c)
                return NULL;
        free(c->path);
        free(c->database);
        config_review_done(&c->weekly);
        config_review_done(&c->halfyear);
        free(c->answer_command);
        for (size_t i = 0; i < c->n_habits; i++)
                free(c->habits[i].name);
        free(c->habits);
        free(c);
        return NULL;
}

void config_errors_done(ConfigErrors *e) {
        if (!e)
                return;
        for (size_t i = 0; i < e->n_errors; i++) {
                free(e->errors[i].file);
                free(e->errors[i].message);
        }
        free(e->errors);
        *e = (ConfigErrors){};
}

void config_errors_print(const ConfigErrors *e, FILE *f) {
        for (size_t i = 0; i < e->n_errors; i++) {
                const ConfigError *err = &e->errors[i];
                if (err->line > 0)
                        fprintf(f, "%s:%d: %s\n", err->file, err->line, err->message);
                else
                        fprintf(f, "%s: %s\n", err->file, err->message);
        }
}

const HabitConfig *config_find_habit(const Config *c, const char *name) {
        for (size_t i = 0; i < c->n_habits; i++)
                if (streq(c->habits[i].name, name))
                        return &c->habits[i];
        return NULL;
}

const ReviewConfig *config_review(const Config *c, ReviewKind kind) {
        switch (kind) {
        case REVIEW_WEEKLY:
                return &c->weekly;
        case REVIEW_HALFYEAR:
                return &c->halfyear;
        default:
                return NULL;
        }
}

/* Whether a question may be broken before @s and read back the same way: the
 * next line must not look like a comment or a key, and the break must be a
 * single space, since inih trims both sides and we join with one space. */
static bool config_dump_can_break(const char *text, const char *s) {
        return s > text && s[-1] == ' ' && !(s - 1 > text && isspace((unsigned char) s[-2])) &&
               !isspace((unsigned char) *s) && *s != ';' && *s != '#' && !config_looks_like_key(s);
}

/* Long questions go onto indented continuation lines, so every line stays
 * well within inih's INI_MAX_LINE. */
static void config_dump_question(FILE *f, const char *question) {
        const char *prefix = "question = ";
        const char *s = question;

        while (*s) {
                size_t width = CONFIG_DUMP_WIDTH - strlen(prefix), len = strlen(s), cut = 0;

                if (len > width) {
                        for (size_t i = 1; i < len && (i <= width || cut == 0); i++)
                                if (config_dump_can_break(question, s + i))
                                        cut = i - 1;
                }
                if (cut == 0)
                        cut = len;
                fprintf(f, "%s%.*s\n", prefix, (int) cut, s);
                s += cut;
                if (*s == ' ')
                        s++;
                prefix = "  ";
        }
}

static void config_dump_review(FILE *f, const char *section, const ReviewConfig *review) {
        fprintf(f, "[%s]\nat = %s\n", section, review->at);
        for (size_t i = 0; i < review->n_questions; i++)
                config_dump_question(f, review->questions[i]);
        fputc('\n', f);
}

static void config_dump_habit(FILE *f, const HabitConfig *h) {
        char every[32], since[DATE_STR_MAX];

        fprintf(f, "[habit \"%s\"]\n", h->name);
        if (h->builtin)
                fprintf(f, "# every = %s (fixed: one check-in per answered review)\n",
                        every_format(h->every, every, sizeof(every)));
        else
                fprintf(f, "every = %s\n", every_format(h->every, every, sizeof(every)));
        fprintf(f, "times = %u\nlapse_after = %u\n", h->times, h->lapse_after);
        if (h->has_since)
                fprintf(f, "since = %s\n", date_format(h->since, since));
        fputc('\n', f);
}

void config_dump(const Config *c, FILE *f) {
        fprintf(f, "# lookback configuration, effective settings (%s)\n\n", c->path ? c->path : "built-in defaults");

        fputs("[daemon]\n", f);
        if (c->database)
                fprintf(f, "database = %s\n", c->database);
        else
                fputs("# database = $XDG_DATA_HOME/lookback/lookback.db\n", f);
        fprintf(f, "week_start = %s\n\n", c->week_start == WEEK_START_SUNDAY ? "sunday" : "monday");

        config_dump_review(f, "weekly", &c->weekly);
        config_dump_review(f, "halfyear", &c->halfyear);

        fprintf(f, "[notify]\nanswer_command = %s\n\n", c->answer_command);

        for (size_t i = 0; i < c->n_habits; i++)
                config_dump_habit(f, &c->habits[i]);
}
