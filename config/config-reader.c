/* The line reader and inih handler for lookback.ini.
 *
 * inih is fed by our own line reader rather than fopen(), for three reasons:
 * Debian's libinih is built without INI_HANDLER_LINENO, so the reader is the
 * only place that knows the current line; inih silently splits lines longer
 * than its compiled INI_MAX_LINE and truncates section names to 50 bytes;
 * and inih reports only the first syntax error. So the reader classifies each
 * line exactly the way inih would, reports syntax errors itself (all of
 * them), tracks the section, and hands inih only lines it will accept. inih
 * still splits "key = value" and strips comments; the handler looks the key
 * up in the parser's table (config.c's config_keys[]). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config-internal.h"
#include "util.h"

const char *const config_section_names[_CONFIG_SECTION_MAX] = {
        [CONFIG_SECTION_DAEMON] = "daemon", [CONFIG_SECTION_WEEKLY] = "weekly", [CONFIG_SECTION_HALFYEAR] = "halfyear",
        [CONFIG_SECTION_NOTIFY] = "notify", [CONFIG_SECTION_BACKUP] = "backup", [CONFIG_SECTION_SYNC] = "sync",
        [CONFIG_SECTION_HABIT] = "habit",
};

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
void config_error(ConfigParser *p, int line, const char *fmt, ...) {
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
bool config_looks_like_key(const char *s) {
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

HabitConfig *config_parser_habit(ConfigParser *p) {
        return &p->config->habits[p->habit];
}

int config_add_habit(Config *c, const char *name, Every every, unsigned lapse_after, bool builtin, int line) {
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
char *config_reader(char *buf, int size, void *userdata) {
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
        else if (len > max) {
                char limit[TEXT_LIMIT_DESCRIBE_MAX];
                config_error(p, p->line,
                             "line too long: %zu bytes (%zu characters), %s; continue a question on an indented line",
                             len, utf8_chars(line, len), text_limit_describe(max, limit, sizeof(limit)));
        } else {
                memcpy(buf, line, len);
                buf[len] = '\0';
                handed = config_classify_line(p, buf);
        }
        memmove(buf, handed, strlen(handed) + 1);
        strcat(buf, "\n");
        return buf;
}

const ConfigKey *config_find_key(const ConfigParser *p, ConfigSection section, const char *key) {
        for (size_t i = 0; i < p->n_keys; i++)
                if (p->keys[i].section == section && streq(p->keys[i].key, key))
                        return &p->keys[i];
        return NULL;
}

static void config_error_unknown_key(ConfigParser *p, const char *key) {
        char expected[256] = "";

        for (size_t i = 0; i < p->n_keys; i++)
                if (p->keys[i].section == p->section) {
                        if (expected[0])
                                strcat(expected, ", ");
                        strcat(expected, p->keys[i].key);
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
                char limit[TEXT_LIMIT_DESCRIBE_MAX];
                config_error(p, p->line, "question from line %d is too long: %zu bytes (%zu characters), %s",
                             p->key_line, strlen(joined), utf8_chars(joined, strlen(joined)),
                             text_limit_describe(CONFIG_QUESTION_MAX, limit, sizeof(limit)));
                p->last_question = NULL;
        }
}

int config_handler(void *userdata, const char *section, const char *key, const char *value) {
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

        k = config_find_key(p, p->section, key);
        if (!k) {
                config_error_unknown_key(p, key);
                return 1;
        }

        if (!k->repeatable) {
                size_t slot = p->section == CONFIG_SECTION_HABIT ? 1 + p->habit : 0;
                int *first = &p->first_line[k - p->keys][slot];
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
