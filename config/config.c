/* lookback.ini: the schema table ({section, key, parser, field offset}),
 * the value parsers, the built-in defaults and the public API of config.h.
 * The line reader and inih handler that look rows up are config-reader.c;
 * --check-config's dump is config-dump.c. */
#include "config.h"
#include "config-internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Whether an at= spec ever fires is asked from here: 1969-12-30 00:00 UTC. */
#define CONFIG_AT_SEARCH_FROM ((time_t) -2 * 24 * 3600)

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

static int config_parse_path(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_week_start(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_at(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_question(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_command(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_every(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_count(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_since(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_bool(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_folder(ConfigParser *p, const char *value, void *field, char **message);
static int config_parse_keep(ConfigParser *p, const char *value, void *field, char **message);

static const ConfigKey config_keys[] = {
        { CONFIG_SECTION_DAEMON, "database", config_parse_path, offsetof(Config, database), false },
        { CONFIG_SECTION_DAEMON, "week_start", config_parse_week_start, offsetof(Config, week_start), false },
        { CONFIG_SECTION_WEEKLY, "at", config_parse_at, offsetof(Config, weekly), false },
        { CONFIG_SECTION_WEEKLY, "question", config_parse_question, offsetof(Config, weekly), true },
        { CONFIG_SECTION_HALFYEAR, "at", config_parse_at, offsetof(Config, halfyear), false },
        { CONFIG_SECTION_HALFYEAR, "question", config_parse_question, offsetof(Config, halfyear), true },
        { CONFIG_SECTION_NOTIFY, "answer_command", config_parse_command, offsetof(Config, answer_command), false },
        { CONFIG_SECTION_BACKUP, "enabled", config_parse_bool, offsetof(Config, backup.enabled), false },
        { CONFIG_SECTION_BACKUP, "folder", config_parse_folder, offsetof(Config, backup.folder), false },
        { CONFIG_SECTION_BACKUP, "keep", config_parse_keep, offsetof(Config, backup), false },
        { CONFIG_SECTION_SYNC, "folder", config_parse_folder, offsetof(Config, sync.folder), false },
        { CONFIG_SECTION_HABIT, "every", config_parse_every, offsetof(HabitConfig, every), false },
        { CONFIG_SECTION_HABIT, "times", config_parse_count, offsetof(HabitConfig, times), false },
        { CONFIG_SECTION_HABIT, "lapse_after", config_parse_count, offsetof(HabitConfig, lapse_after), false },
        { CONFIG_SECTION_HABIT, "since", config_parse_since, offsetof(HabitConfig, since), false },
};

#define CONFIG_N_KEYS ELEMENTSOF(config_keys)

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

static int config_parse_bool(_unused_ ConfigParser *p, const char *value, void *field, char **message) {
        bool *b = field;
        if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0 || streq(value, "1"))
                *b = true;
        else if (strcasecmp(value, "no") == 0 || strcasecmp(value, "false") == 0 || streq(value, "0"))
                *b = false;
        else
                return config_invalid(message, strdup_printf("expected yes or no, got '%s'", value));
        return 0;
}

/* A folder may start with "~": the person's home, read here, when the
 * config is parsed (the daemon runs as that person). */
static int config_parse_folder(ConfigParser *p, const char *value, void *field, char **message) {
        const char *home = getenv("HOME");
        if (value[0] == '~' && (value[1] == '/' || value[1] == '\0')) {
                if (!home || home[0] != '/')
                        return config_invalid(message, strdup_printf("cannot expand '~' in '%s': HOME is not set to "
                                                                     "an absolute path",
                                                                     value));
                _cleanup_free_ char *full = strdup_printf("%s%s", home, value + 1);
                if (!full)
                        return -ENOMEM;
                return config_set_string(field, full);
        }
        if (value[0] != '/')
                return config_invalid(
                        message, strdup_printf("expected an absolute path or one starting with ~/, got '%s'", value));
        return config_set_string(field, value);
}

/* "7d 4w 12m": how many daily, weekly and monthly snapshots to keep, each
 * part at most once and in any order; a part left out keeps none. */
static int config_parse_keep(_unused_ ConfigParser *p, const char *value, void *field, char **message) {
        BackupConfig *b = field;
        unsigned counts[3] = {}, seen = 0;
        const char *s = value;
        while (*s) {
                char *end;
                if (*s == ' ' || *s == '\t') {
                        s++;
                        continue;
                }
                unsigned long n = strtoul(s, &end, 10);
                const char *unit = end > s && isdigit((unsigned char) *s) ? strchr("dwm", *end) : NULL;
                if (!unit || !*end || (end[1] && end[1] != ' ' && end[1] != '\t') || n > CONFIG_KEEP_MAX ||
                    (seen & (1U << (unit - "dwm"))))
                        return config_invalid(message, strdup_printf("expected counts of daily, weekly and monthly "
                                                                     "snapshots like '7d 4w 12m' (each at most %d), "
                                                                     "got '%s'",
                                                                     CONFIG_KEEP_MAX, value));
                seen |= 1U << (unit - "dwm");
                counts[unit - "dwm"] = (unsigned) n;
                s = end + 1;
        }
        if (counts[0] + counts[1] + counts[2] == 0)
                return config_invalid(message, strdup_printf("'%s' keeps no snapshot at all; to take none, set "
                                                             "enabled = no",
                                                             value));
        b->daily = counts[0];
        b->weekly = counts[1];
        b->monthly = counts[2];
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
        /* A spec that matches no day at all (30 February, 31 April, 29
         * February of a common year) would be "OK" and then never prompt.
         * Searched from two days before 1970, so that even 1970-01-01 00:00
         * local, the earliest a listed year allows, counts in any zone. */
        r = schedule_next(&spec, CONFIG_AT_SEARCH_FROM, NULL, &first);
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
        if (strlen(value) > CONFIG_QUESTION_MAX) {
                char limit[TEXT_LIMIT_DESCRIBE_MAX];
                return config_invalid(message,
                                      strdup_printf("too long: %zu bytes (%zu characters), %s", strlen(value),
                                                    utf8_chars(value, strlen(value)),
                                                    text_limit_describe(CONFIG_QUESTION_MAX, limit, sizeof(limit))));
        }

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
        c->backup = (BackupConfig){ .enabled = true, .daily = 7, .weekly = 4, .monthly = 12 };

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
        size_t every = (size_t) (config_find_key(p, CONFIG_SECTION_HABIT, "every") - config_keys);

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
                .keys = config_keys,
                .n_keys = CONFIG_N_KEYS,
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
        ConfigParser p = { .filename = path, .errors = errors, .keys = config_keys, .n_keys = CONFIG_N_KEYS };

        if (error)
                config_error(&p, 0, "%s: %s", what, strerror(error));
        else
                config_error(&p, 0, "%s", what);
        return p.r < 0 ? p.r : error ? -error : -EINVAL;
}

/* One read of the config file: its bytes and what fstat said of it. */
typedef struct {
        char *text;
        size_t size;
        struct stat st;
} ConfigRead;

static void config_read_done(ConfigRead *r) {
        free(r->text);
        *r = (ConfigRead){};
}

/* Nothing at @path, or a symlink to nothing: the second is worth saying,
 * since "the defaults" would otherwise be all the person sees. */
static int config_explain_missing(const char *path, char **ret_what) {
        char target[PATH_MAX];
        struct stat st;

        if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
                return -ENOENT;
        ssize_t n = readlink(path, target, sizeof(target) - 1);
        target[n < 0 ? 0 : n] = '\0';
        *ret_what = strdup_printf("is a symlink to %s, which does not exist; refusing it", target);
        return *ret_what ? -EINVAL : -ENOMEM;
}

/* Why @st is not something to read as config; NULL if it is. /dev/null is
 * the one exception: "--config /dev/null" is the usual way to say "the
 * defaults". */
static char *config_refuse_type(const struct stat *st) {
        bool dev_null = S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 && minor(st->st_rdev) == 3;
        if (S_ISREG(st->st_mode) || dev_null)
                return NULL;
        return strdup(S_ISDIR(st->st_mode)    ? "is a directory, not a file; refusing it"
                      : S_ISFIFO(st->st_mode) ? "not a regular file (a FIFO); refusing to read it"
                                              : "not a regular file; refusing to read it");
}

static char *config_too_big(off_t size) {
        return strdup_printf("is %lld bytes, more than a config file may be (%d bytes); refusing it", (long long) size,
                             CONFIG_FILE_MAX);
}

/* The file's bytes, at most CONFIG_FILE_MAX. Opened without blocking and
 * checked to be a regular file first: a FIFO or a device at the config
 * path would otherwise hang start-up, or a running daemon on SIGHUP.
 * Failures set *ret_what: a whole message for -EINVAL, else what failed. */
static int config_read_file(const char *path, ConfigRead *ret, char **ret_what) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        size_t size = 0;

        if (fd < 0 && errno == ENOENT) {
                int r = config_explain_missing(path, ret_what);
                if (r == -ENOENT)
                        *ret_what = strdup("cannot open");
                return r;
        }
        if (fd < 0)
                return (*ret_what = strdup("cannot open")) ? -errno : -ENOMEM;
        if (fstat(fd, &ret->st) < 0)
                return (*ret_what = strdup("cannot read")) ? -errno : -ENOMEM;
        if ((*ret_what = config_refuse_type(&ret->st)))
                return -EINVAL;
        if (ret->st.st_size > CONFIG_FILE_MAX)
                return (*ret_what = config_too_big(ret->st.st_size)) ? -EINVAL : -ENOMEM;
        _cleanup_free_ char *text = malloc(CONFIG_FILE_MAX + 1);
        if (!text)
                return -ENOMEM;
        for (;;) {
                ssize_t n = read(fd, text + size, CONFIG_FILE_MAX + 1 - size);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return (*ret_what = strdup("cannot read")) ? -errno : -ENOMEM;
                if (n == 0)
                        break;
                size += (size_t) n;
                if (size > CONFIG_FILE_MAX) /* it grew while we read */
                        return (*ret_what = config_too_big((off_t) size)) ? -EINVAL : -ENOMEM;
        }
        ret->text = TAKE_PTR(text);
        ret->size = size;
        return 0;
}

static bool config_reads_agree(const ConfigRead *a, const ConfigRead *b) {
        return a->st.st_ino == b->st.st_ino && a->st.st_dev == b->st.st_dev && a->size == b->size &&
               a->st.st_mtim.tv_sec == b->st.st_mtim.tv_sec && a->st.st_mtim.tv_nsec == b->st.st_mtim.tv_nsec &&
               memcmp(a->text, b->text, a->size) == 0;
}

/* How long ago @st was last changed; negative for a time in the future.
 * The wall clock is read here, not passed in: the age has to be measured
 * again after each wait, and an mtime is wall-clock time. */
static int64_t config_age_nsec(const struct stat *st) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        return (int64_t) (now.tv_sec - st->st_mtim.tv_sec) * 1000000000LL + (now.tv_nsec - st->st_mtim.tv_nsec);
}

/* A read that no writer was in the middle of: two reads agree, and the
 * file had been left alone for CONFIG_SETTLE_NSEC (an editor that writes a
 * prefix, pauses and writes the rest is still inside that window). */
static int config_read_settled(const char *path, ConfigRead *ret, char **ret_what) {
        ConfigRead a = {}, b = {};
        int r = config_read_file(path, &a, ret_what);

        for (int tries = 0; r >= 0 && tries < CONFIG_READ_TRIES; tries++) {
                int64_t age = config_age_nsec(&a.st);
                if (age >= 0 && age < CONFIG_SETTLE_NSEC) {
                        int64_t wait = CONFIG_SETTLE_NSEC - age;
                        nanosleep(&(struct timespec){ wait / 1000000000LL, wait % 1000000000LL }, NULL);
                }
                r = config_read_file(path, &b, ret_what);
                if (r < 0)
                        break;
                age = config_age_nsec(&b.st);
                if (config_reads_agree(&a, &b) && (age < 0 || age >= CONFIG_SETTLE_NSEC)) {
                        config_read_done(&a);
                        *ret = b;
                        return 0;
                }
                config_read_done(&a);
                a = b;
                b = (ConfigRead){};
        }
        config_read_done(&a);
        if (r < 0)
                return r;
        *ret_what = strdup_printf("kept changing while it was read (%d reads); refusing it, try again once it is "
                                  "saved",
                                  CONFIG_READ_TRIES + 1);
        return *ret_what ? -EINVAL : -ENOMEM;
}

/* The last line of @text, without its newline (NULL for an empty file). */
static char *config_last_line(const char *text, size_t size) {
        size_t end = size > 0 && text[size - 1] == '\n' ? size - 1 : size, start = end;
        if (size == 0)
                return NULL;
        while (start > 0 && text[start - 1] != '\n')
                start--;
        return strndup(text + start, end - start);
}

static int config_count_lines(const char *text, size_t size) {
        int n = 1;
        for (size_t i = 0; i + 1 < size; i++)
                n += text[i] == '\n';
        return n;
}

/* A last line without its newline may be a save cut short ("times = 1" of
 * "times = 10"), and an empty file one just truncated by an editor that
 * saves in place. Either is taken only when the config in force ended the
 * same way (the same last line; empty too); at start there is none to
 * compare with, and a file that simply lacks its final newline is taken as
 * it is. */
static int config_check_tail(const char *path, const ConfigRead *in, const Config *previous, char **last,
                             ConfigErrors *errors) {
        ConfigParser p = { .filename = path, .errors = errors, .keys = config_keys, .n_keys = CONFIG_N_KEYS };

        *last = config_last_line(in->text, in->size);
        if (in->size > 0 && !*last)
                return -ENOMEM;
        if (!previous || streq_ptr(*last, previous->last_line) || (in->size > 0 && in->text[in->size - 1] == '\n'))
                return 0;
        if (in->size == 0)
                config_error(&p, 0,
                             "is empty, and the configuration in force is not: the file may be half-written; refusing "
                             "it (to run on the defaults, leave a comment line in it)");
        else
                config_error(&p, config_count_lines(in->text, in->size),
                             "the last line has no newline and differs from the configuration in force: the file may "
                             "be half-written; refusing it (end the file with a newline)");
        return p.r < 0 ? p.r : -EINVAL;
}

int config_reload(const char *path, bool must_exist, const Config *previous, Config **ret, ConfigErrors *errors) {
        _cleanup_free_ char *what = NULL, *last = NULL;
        ConfigRead in = {};

        int r = config_read_settled(path, &in, &what);
        /* A file that was read before and is gone now is most likely in the
         * middle of an editor's save (moved to a backup, not yet written
         * again): not a wish for the built-in defaults. */
        if (r == -ENOENT && previous && previous->path)
                return config_add_file_error(path, errors, 0,
                                             "is gone (an editor's save in progress?); a restart takes the "
                                             "built-in defaults");
        if (r == -ENOENT && !must_exist)
                return config_new_default(ret);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return config_add_file_error(path, errors, r == -EINVAL ? 0 : -r, what ? what : "cannot read");
        r = config_check_tail(path, &in, previous, &last, errors);
        if (r >= 0)
                r = config_parse_text(in.text, in.size, path, ret, errors);
        if (r >= 0)
                (*ret)->last_line = TAKE_PTR(last);
        config_read_done(&in);
        return r;
}

int config_load(const char *path, bool must_exist, Config **ret, ConfigErrors *errors) {
        return config_reload(path, must_exist, NULL, ret, errors);
}

static void config_review_done(ReviewConfig *review) {
        free(review->at);
        strv_free(review->questions);
}

Config *config_free(Config *c) {
        if (!c)
                return NULL;
        free(c->path);
        free(c->last_line);
        free(c->database);
        config_review_done(&c->weekly);
        config_review_done(&c->halfyear);
        free(c->answer_command);
        free(c->backup.folder);
        free(c->sync.folder);
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
