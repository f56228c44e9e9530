/* Unit tests for config.c: defaults, the schema, every error with its line,
 * every_parse(), and config_dump() reading back to the same Config. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "util.h"

/* Parses @text, which must be valid. */
static Config *parse_ok(const char *text) {
        ConfigErrors errors = {};
        Config *c = NULL;
        int r;

        r = config_parse_string(text, "test.ini", &c, &errors);
        if (r < 0)
                config_errors_print(&errors, stderr);
        assert_int_equal(r, 0);
        assert_int_equal(errors.n_errors, 0);
        assert_non_null(c);
        config_errors_done(&errors);
        return c;
}

/* Parses @text, which must fail; returns the errors. */
static ConfigErrors parse_fail(const char *text) {
        ConfigErrors errors = {};
        Config *c = NULL;

        assert_int_equal(config_parse_string(text, "test.ini", &c, &errors), -EINVAL);
        assert_null(c);
        assert_true(errors.n_errors > 0);
        return errors;
}

static void assert_error(const ConfigErrors *e, size_t i, int line, const char *fragment) {
        assert_true(i < e->n_errors);
        if (e->errors[i].line != line || !strstr(e->errors[i].message, fragment))
                fprintf(stderr, "error %zu: %s:%d: %s (wanted line %d, '%s')\n", i, e->errors[i].file,
                        e->errors[i].line, e->errors[i].message, line, fragment);
        assert_string_equal(e->errors[i].file, "test.ini");
        assert_int_equal(e->errors[i].line, line);
        assert_non_null(strstr(e->errors[i].message, fragment));
}

/* @text must fail with exactly one error, on @line, containing @fragment. */
static void assert_one_error(const char *text, int line, const char *fragment) {
        ConfigErrors e = parse_fail(text);

        if (e.n_errors != 1)
                config_errors_print(&e, stderr);
        assert_int_equal(e.n_errors, 1);
        assert_error(&e, 0, line, fragment);
        config_errors_done(&e);
}

static void assert_spec_equal(const CalendarSpec *a, const CalendarSpec *b) {
        assert_int_equal(a->weekdays, b->weekdays);
        assert_int_equal(a->months, b->months);
        assert_int_equal(a->days, b->days);
        assert_int_equal(a->hours, b->hours);
        assert_int_equal(a->minutes, b->minutes);
        assert_int_equal(a->seconds, b->seconds);
        assert_int_equal(a->n_years, b->n_years);
        for (size_t i = 0; i < a->n_years; i++)
                assert_int_equal(a->years[i], b->years[i]);
}

static void assert_review_equal(const ReviewConfig *a, const ReviewConfig *b) {
        assert_string_equal(a->at, b->at);
        assert_spec_equal(&a->spec, &b->spec);
        assert_int_equal(a->n_questions, b->n_questions);
        for (size_t i = 0; i < a->n_questions; i++)
                assert_string_equal(a->questions[i], b->questions[i]);
        assert_null(a->questions[a->n_questions]);
        assert_null(b->questions[b->n_questions]);
}

/* Everything but where it came from: path and line numbers. */
static void assert_config_equal(const Config *a, const Config *b) {
        assert_true(streq_ptr(a->database, b->database));
        assert_int_equal(a->week_start, b->week_start);
        assert_review_equal(&a->weekly, &b->weekly);
        assert_review_equal(&a->halfyear, &b->halfyear);
        assert_string_equal(a->answer_command, b->answer_command);
        assert_int_equal(a->n_habits, b->n_habits);
        for (size_t i = 0; i < a->n_habits; i++) {
                const HabitConfig *x = &a->habits[i], *y = &b->habits[i];
                assert_string_equal(x->name, y->name);
                assert_int_equal(x->every.unit, y->every.unit);
                assert_int_equal(x->every.n, y->every.n);
                assert_int_equal(x->times, y->times);
                assert_int_equal(x->lapse_after, y->lapse_after);
                assert_int_equal(x->has_since, y->has_since);
                if (x->has_since)
                        assert_int_equal(x->since, y->since);
                assert_int_equal(x->builtin, y->builtin);
        }
}

static char *dump_to_string(const Config *c) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        assert_non_null(f);
        config_dump(c, f);
        assert_int_equal(fclose(f), 0);
        return text;
}

/* config_dump() output parses back to an equal Config. */
static void assert_round_trip(const Config *c) {
        _cleanup_free_ char *text = dump_to_string(c);
        Config *again = parse_ok(text);

        assert_config_equal(c, again);
        config_free(again);
}

static char *write_temp(const char *text) {
        char *path = strdup("/tmp/test-config-XXXXXX");
        int fd;

        assert_non_null(path);
        fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
        close(fd);
        return path;
}

static void test_defaults(void **state __attribute__((unused))) {
        Config *c = NULL;
        const HabitConfig *h;
        CalendarSpec spec;

        assert_int_equal(config_new_default(&c), 0);
        assert_null(c->path);
        assert_null(c->database);
        assert_int_equal(c->week_start, WEEK_START_MONDAY);
        assert_string_equal(c->weekly.at, "Sun 20:00");
        assert_int_equal(schedule_parse("Sun 20:00", &spec, NULL), 0);
        assert_spec_equal(&c->weekly.spec, &spec);
        assert_int_equal(c->weekly.n_questions, 3);
        assert_string_equal(c->weekly.questions[0], "What went well this week?");
        assert_string_equal(c->weekly.questions[1], "What did not, and why?");
        assert_string_equal(c->weekly.questions[2], "What will I focus on next week?");
        assert_string_equal(c->halfyear.at, "*-01,07-01 10:00");
        assert_int_equal(schedule_parse("*-01,07-01 10:00", &spec, NULL), 0);
        assert_spec_equal(&c->halfyear.spec, &spec);
        assert_int_equal(c->halfyear.n_questions, 4);
        for (size_t i = 0; i < c->halfyear.n_questions; i++)
                assert_true(strlen(c->halfyear.questions[i]) > 10);
        assert_string_equal(c->answer_command, "x-terminal-emulator -e lookback answer");

        assert_int_equal(c->n_habits, 2);
        assert_string_equal(c->habits[0].name, "weekly-review");
        assert_true(c->habits[0].builtin);
        assert_int_equal(c->habits[0].every.unit, EVERY_WEEK);
        assert_int_equal(c->habits[0].every.n, 1);
        assert_int_equal(c->habits[0].times, 1);
        assert_int_equal(c->habits[0].lapse_after, 2);
        assert_false(c->habits[0].has_since);
        assert_int_equal(c->habits[0].line, 0);
        assert_string_equal(c->habits[1].name, "halfyear-review");
        assert_true(c->habits[1].builtin);
        assert_int_equal(c->habits[1].every.unit, EVERY_MONTH);
        assert_int_equal(c->habits[1].every.n, 6);
        assert_int_equal(c->habits[1].times, 1);
        assert_int_equal(c->habits[1].lapse_after, 1);

        h = config_find_habit(c, "halfyear-review");
        assert_ptr_equal(h, &c->habits[1]);
        assert_null(config_find_habit(c, "reading"));
        assert_ptr_equal(config_review(c, REVIEW_WEEKLY), &c->weekly);
        assert_ptr_equal(config_review(c, REVIEW_HALFYEAR), &c->halfyear);
        assert_null(config_review(c, _REVIEW_KIND_MAX));

        /* An empty file is the defaults too, apart from the path. */
        Config *empty = parse_ok("");
        assert_string_equal(empty->path, "test.ini");
        assert_config_equal(c, empty);
        config_free(empty);

        assert_null(config_free(c));
        assert_null(config_free(NULL));
}

static void test_load_missing(void **state __attribute__((unused))) {
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(config_load("/nonexistent/lookback.ini", false, &c, &e), 0);
        assert_non_null(c);
        assert_null(c->path);
        assert_int_equal(e.n_errors, 0);
        assert_int_equal(c->n_habits, 2);
        config_free(c);
        c = NULL;

        assert_int_equal(config_load("/nonexistent/lookback.ini", true, &c, &e), -ENOENT);
        assert_null(c);
        assert_int_equal(e.n_errors, 1);
        assert_string_equal(e.errors[0].file, "/nonexistent/lookback.ini");
        assert_int_equal(e.errors[0].line, 0);
        assert_string_equal(e.errors[0].message, "cannot open: No such file or directory");

        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        config_errors_print(&e, f);
        fclose(f);
        assert_string_equal(text, "/nonexistent/lookback.ini: cannot open: No such file or directory\n");
        free(text);
        config_errors_done(&e);
        assert_int_equal(e.n_errors, 0);
        assert_null(e.errors);
}

static const char full_config[] = "; a full file\n"
                                  "[daemon]\n"
                                  "database = /home/me/lookback.db\n"
                                  "week_start = sunday ; inline comment\n"
                                  "\n"
                                  "[weekly]\n"
                                  "at = Fri 17:30\n"
                                  "question = Did I cook at home;or scroll?\n"
                                  "question = What am I grateful for?\n"
                                  "[halfyear]\n"
                                  "at = *-06,12-15 09:00\n"
                                  "question = Am I an expert in anything yet?\n"
                                  "[notify]\n"
                                  "answer_command = foot -e lookback answer\n"
                                  "[habit \"reading\"]\n"
                                  "every = month\n"
                                  "[habit \"tennis\"]\n"
                                  "every = 2 weeks\n"
                                  "times = 1\n"
                                  "lapse_after = 3\n"
                                  "since = 2024-01-05\n"
                                  "[habit \"weekly-review\"]\n"
                                  "times = 2\n"
                                  "lapse_after = 4\n"
                                  "since = 2024-02-29\n"
                                  "[habit \"english_1\"]\n"
                                  "every = 3 days\n"
                                  "times = 2\n";

static void test_full_file(void **state __attribute__((unused))) {
        _cleanup_free_ char *path = write_temp(full_config);
        ConfigErrors e = {};
        Config *c = NULL;
        CalendarSpec spec;
        day_t day;

        assert_int_equal(config_load(path, true, &c, &e), 0);
        assert_int_equal(e.n_errors, 0);
        unlink(path);

        assert_string_equal(c->path, path);
        assert_string_equal(c->database, "/home/me/lookback.db");
        assert_int_equal(c->week_start, WEEK_START_SUNDAY);
        assert_string_equal(c->weekly.at, "Fri 17:30");
        assert_int_equal(schedule_parse("Fri 17:30", &spec, NULL), 0);
        assert_spec_equal(&c->weekly.spec, &spec);
        assert_int_equal(c->weekly.n_questions, 2);
        /* ';' after a non-space is text, not a comment. */
        assert_string_equal(c->weekly.questions[0], "Did I cook at home;or scroll?");
        assert_string_equal(c->weekly.questions[1], "What am I grateful for?");
        assert_string_equal(c->halfyear.at, "*-06,12-15 09:00");
        assert_int_equal(c->halfyear.n_questions, 1);
        assert_string_equal(c->halfyear.questions[0], "Am I an expert in anything yet?");
        assert_string_equal(c->answer_command, "foot -e lookback answer");

        assert_int_equal(c->n_habits, 5);
        const HabitConfig *w = config_find_habit(c, "weekly-review");
        assert_ptr_equal(w, &c->habits[0]);
        assert_int_equal(w->every.unit, EVERY_WEEK);
        assert_int_equal(w->every.n, 1);
        assert_int_equal(w->times, 2);
        assert_int_equal(w->lapse_after, 4);
        assert_true(w->has_since);
        assert_int_equal(date_parse("2024-02-29", 0, &day), 0);
        assert_int_equal(w->since, day);
        assert_int_equal(w->line, 22);
        assert_int_equal(c->habits[1].line, 0); /* halfyear-review untouched */
        assert_int_equal(c->habits[1].lapse_after, 1);

        const HabitConfig *r = &c->habits[2];
        assert_string_equal(r->name, "reading");
        assert_int_equal(r->every.unit, EVERY_MONTH);
        assert_int_equal(r->every.n, 1);
        assert_int_equal(r->times, 1);
        assert_int_equal(r->lapse_after, 2);
        assert_false(r->has_since);
        assert_false(r->builtin);
        assert_int_equal(r->line, 15);

        const HabitConfig *t = &c->habits[3];
        assert_string_equal(t->name, "tennis");
        assert_int_equal(t->every.unit, EVERY_WEEK);
        assert_int_equal(t->every.n, 2);
        assert_int_equal(t->lapse_after, 3);
        assert_true(t->has_since);
        assert_int_equal(date_parse("2024-01-05", 0, &day), 0);
        assert_int_equal(t->since, day);

        assert_string_equal(c->habits[4].name, "english_1");
        assert_int_equal(c->habits[4].every.unit, EVERY_DAY);
        assert_int_equal(c->habits[4].every.n, 3);
        assert_int_equal(c->habits[4].times, 2);

        config_free(c);
}

static void test_questions(void **state __attribute__((unused))) {
        Config *c;

        /* Weekly questions given: they replace the defaults, in order; the
         * half-year ones stay the defaults. */
        c = parse_ok("[weekly]\n"
                     "question = one\n"
                     "question = two\n"
                     "[daemon]\n"
                     "week_start = monday\n"
                     "[weekly]\n"
                     "question = three\n");
        assert_int_equal(c->weekly.n_questions, 3);
        assert_string_equal(c->weekly.questions[0], "one");
        assert_string_equal(c->weekly.questions[1], "two");
        assert_string_equal(c->weekly.questions[2], "three");
        assert_null(c->weekly.questions[3]);
        assert_int_equal(c->halfyear.n_questions, 4);
        assert_string_equal(c->weekly.at, "Sun 20:00");
        config_free(c);

        /* A question continued on indented lines, joined with one space;
         * an inline comment on a continuation line is a comment too. */
        c = parse_ok("[halfyear]\n"
                     "question = Which goals did I meet,\n"
                     "        which did I drift from, ; comment\n"
                     "\twhy: and what now?\n"
                     "question = Next?\n");
        assert_int_equal(c->halfyear.n_questions, 2);
        assert_string_equal(c->halfyear.questions[0],
                            "Which goals did I meet, which did I drift from, why: and what now?");
        assert_string_equal(c->halfyear.questions[1], "Next?");
        assert_round_trip(c);
        config_free(c);

        /* Exactly CONFIG_QUESTIONS_MAX is fine. */
        _cleanup_free_ char *text = strdup("[weekly]\n");
        for (int i = 0; i < CONFIG_QUESTIONS_MAX; i++) {
                char *n = strdup_printf("%squestion = q%d\n", text, i);
                free(text);
                text = n;
        }
        c = parse_ok(text);
        assert_int_equal(c->weekly.n_questions, CONFIG_QUESTIONS_MAX);
        assert_string_equal(c->weekly.questions[CONFIG_QUESTIONS_MAX - 1], "q31");
        config_free(c);
}

static void test_habits(void **state __attribute__((unused))) {
        Config *c;

        /* Indentation of a first key, CRLF line ends and a BOM are all fine. */
        c = parse_ok("\xEF\xBB\xBF[habit \"cooking\"]\r\n"
                     "    every = day\r\n"
                     "times=1\r\n"
                     "[ habit  \"halfyear-review\" ]\r\n"
                     "lapse_after = 2\r\n");
        assert_int_equal(c->n_habits, 3);
        assert_string_equal(c->habits[2].name, "cooking");
        assert_int_equal(c->habits[2].every.unit, EVERY_DAY);
        assert_int_equal(c->habits[2].line, 1);
        assert_int_equal(c->habits[1].lapse_after, 2);
        assert_int_equal(c->habits[1].every.n, 6);
        assert_int_equal(c->habits[1].line, 4);
        config_free(c);

        /* The longest name allowed, and CONFIG_HABITS_MAX habits in all. */
        char name[CONFIG_HABIT_NAME_MAX + 1];
        memset(name, 'a', CONFIG_HABIT_NAME_MAX);
        name[CONFIG_HABIT_NAME_MAX] = '\0';
        _cleanup_free_ char *text = strdup_printf("[habit \"%s\"]\nevery = week\n", name);
        for (int i = 1; i < CONFIG_HABITS_MAX - 2; i++) {
                char *n = strdup_printf("%s[habit \"h%d\"]\nevery = %d days\n", text, i, i);
                free(text);
                text = n;
        }
        c = parse_ok(text);
        assert_int_equal(c->n_habits, CONFIG_HABITS_MAX);
        assert_string_equal(c->habits[2].name, name);
        assert_string_equal(c->habits[CONFIG_HABITS_MAX - 1].name, "h125");
        assert_int_equal(c->habits[CONFIG_HABITS_MAX - 1].every.n, 125);
        assert_ptr_equal(config_find_habit(c, "h77"), &c->habits[79]);
        assert_round_trip(c);
        config_free(c);
}

static void test_every(void **state __attribute__((unused))) {
        static const struct {
                const char *text;
                EveryUnit unit;
                unsigned n;
                const char *formatted;
        } good[] = {
                { "day", EVERY_DAY, 1, "day" },
                { "week", EVERY_WEEK, 1, "week" },
                { "month", EVERY_MONTH, 1, "month" },
                { "1 week", EVERY_WEEK, 1, "week" },
                { "2 weeks", EVERY_WEEK, 2, "2 weeks" },
                { "2 week", EVERY_WEEK, 2, "2 weeks" },
                { "6 months", EVERY_MONTH, 6, "6 months" },
                { "10 days", EVERY_DAY, 10, "10 days" },
                { "3  Days", EVERY_DAY, 3, "3 days" },
                { "1000 days", EVERY_DAY, 1000, "1000 days" },
        };
        static const char *const bad[] = {
                "",
                "0 days",
                "-1 days",
                "2",
                "2weeks",
                "2 fortnights",
                "weekly",
                " week",
                "week ",
                "1001 days",
                "99999999999999999999 days",
                "2 weeks later",
                "1.5 weeks",
                "s",
        };
        char buf[32];
        Every e;

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                e = (Every){};
                assert_int_equal(every_parse(good[i].text, &e), 0);
                assert_int_equal(e.unit, good[i].unit);
                assert_int_equal(e.n, good[i].n);
                assert_string_equal(every_format(e, buf, sizeof(buf)), good[i].formatted);
                assert_int_equal(every_parse(buf, &e), 0);
                assert_int_equal(e.n, good[i].n);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                e = (Every){ EVERY_DAY, 77 };
                if (every_parse(bad[i], &e) != -EINVAL)
                        fprintf(stderr, "accepted '%s'\n", bad[i]);
                assert_int_equal(every_parse(bad[i], &e), -EINVAL);
                assert_int_equal(e.n, 77); /* untouched on failure */
        }
}

static void test_error_sections(void **state __attribute__((unused))) {
        assert_one_error("[daemon]\nweek_start = monday\n[dameon]\nfoo = 1\n", 3,
                         "unknown section [dameon]; expected one of: [daemon], [weekly], [halfyear], [notify], "
                         "[backup], [sync], "
                         "[habit \"NAME\"]");
        assert_one_error("[weekly]\n[habits \"x\"]\n", 2, "unknown section [habits \"x\"]");
        assert_one_error("\n[habit]\nevery = week\n", 2, "[habit] needs a name in quotes");
        assert_one_error("[habit reading]\nevery = week\n", 1,
                         "[habit reading]: the habit name must be in double quotes: [habit \"reading\"]");
        assert_one_error("[habit 'reading']\n", 1, "must be in double quotes");
        assert_one_error("[habit \"Reading\"]\nevery = week\n", 1, "invalid habit name 'Reading'");
        assert_one_error("[habit \"-x\"]\nevery = week\n", 1, "invalid habit name '-x'");
        assert_one_error("[habit \"a b\"]\nevery = week\n", 1, "invalid habit name 'a b'");
        assert_one_error("[habit \"\"]\nevery = week\n", 1, "invalid habit name ''");

        char name[CONFIG_HABIT_NAME_MAX + 2];
        memset(name, 'a', CONFIG_HABIT_NAME_MAX + 1);
        name[CONFIG_HABIT_NAME_MAX + 1] = '\0';
        _cleanup_free_ char *text = strdup_printf("# long\n[habit \"%s\"]\nevery = week\n", name);
        assert_one_error(text, 2, "at most 64 characters");

        assert_one_error("[habit \"reading\"]\nevery = month\n\n[habit \"tennis\"]\nevery = week\n"
                         "[habit \"reading\"]\ntimes = 2\nevery = week\n",
                         6, "duplicate section [habit \"reading\"], first on line 1");
        assert_one_error("[habit \"weekly-review\"]\ntimes = 1\n[habit \"weekly-review\"]\n", 3,
                         "duplicate section [habit \"weekly-review\"], first on line 1");
        assert_one_error("[daemon\nweek_start = monday\n", 1, "section header without closing ']'");
        assert_one_error("[daemon] junk\n", 1, "unexpected text after ']': 'junk'");
        /* A comment after a header is fine. */
        config_free(parse_ok("[daemon] ; the daemon\nweek_start = sunday\n"));
}

static void test_error_keys(void **state __attribute__((unused))) {
        assert_one_error("[daemon]\n\nweekstart = monday\n", 3,
                         "unknown key 'weekstart' in [daemon]; expected one of: database, week_start");
        assert_one_error("[weekly]\nwhen = Sun\n", 2, "unknown key 'when' in [weekly]; expected one of: at, question");
        assert_one_error("[notify]\ncommand = x\n", 2, "expected one of: answer_command");
        assert_one_error("[habit \"x\"]\nevery = day\nperiod = week\n", 3,
                         "unknown key 'period' in [habit \"x\"]; expected one of: every, times, lapse_after, since");
        assert_one_error("# comment\nweek_start = monday\n", 2, "'week_start' is outside any section");
        /* Keys under a bad header are not reported again. */
        assert_one_error("[bogus]\na = 1\nb = 2\n", 1, "unknown section [bogus]");
}

static void test_error_twice(void **state __attribute__((unused))) {
        static const struct {
                const char *section;
                const char *key;
                const char *value;
        } keys[] = {
                { "[daemon]", "database", "/a.db" },        { "[daemon]", "week_start", "monday" },
                { "[weekly]", "at", "Sun 20:00" },          { "[halfyear]", "at", "*-01,07-01 10:00" },
                { "[notify]", "answer_command", "x" },      { "[habit \"h\"]", "every", "week" },
                { "[habit \"h\"]", "times", "1" },          { "[habit \"h\"]", "lapse_after", "1" },
                { "[habit \"h\"]", "since", "2024-01-01" },
        };

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                bool habit = startswith(keys[i].section, "[habit");
                const char *every = habit && !streq(keys[i].key, "every") ? "every = week\n" : "";
                _cleanup_free_ char *text = strdup_printf("%s\n%s%s = %s\n\n%s = %s\n", keys[i].section, every,
                                                          keys[i].key, keys[i].value, keys[i].key, keys[i].value);
                _cleanup_free_ char *expected = NULL;
                int first = every[0] ? 3 : 2;

                expected = strdup_printf("%s given twice, first on line %d", keys[i].key, first);
                assert_one_error(text, first + 2, expected);
        }

        /* Also across two sections of the same name. */
        assert_one_error("[daemon]\nweek_start = monday\n[weekly]\n[daemon]\nweek_start = sunday\n", 5,
                         "week_start given twice, first on line 2");
        /* But two habits may each set their own. */
        config_free(parse_ok("[habit \"a\"]\nevery = week\n[habit \"b\"]\nevery = week\n"));
}

static void test_error_values(void **state __attribute__((unused))) {
        assert_one_error("[daemon]\nweek_start = friday\n", 2,
                         "week_start: expected 'monday' or 'sunday', got 'friday'");
        assert_one_error("[daemon]\ndatabase = lookback.db\n", 2,
                         "database: expected an absolute path, got 'lookback.db'");
        assert_one_error("[daemon]\ndatabase =\n", 2, "database: expected an absolute path, got ''");
        assert_one_error("[notify]\nanswer_command =\n", 2, "answer_command: expected a command");
        assert_one_error("[weekly]\nquestion =\n", 2, "question: expected a question, got nothing");

        ConfigErrors e = parse_fail("[weekly]\n\nat = Sun 25:00\n");
        assert_int_equal(e.n_errors, 1);
        assert_error(&e, 0, 3, "at: cannot read '");
        assert_non_null(strstr(e.errors[0].message, "in calendar spec 'Sun 25:00'"));
        assert_non_null(strstr(e.errors[0].message, "25"));
        config_errors_done(&e);
        assert_one_error("[halfyear]\nat = Funday\n", 2, "at: cannot read 'Funday' in calendar spec 'Funday'");
        /* Said as what it is, not "cannot read ''". */
        assert_one_error("[weekly]\nat =\n", 2, "at: empty value; expected a calendar spec such as 'Sun 20:00'");
        /* Specs that can never fire are errors, not "configuration OK". */
        assert_one_error("[weekly]\nat = *-02-30 10:00\n", 2,
                         "at: calendar spec '*-02-30 10:00' never fires: no such day");
        assert_one_error("[weekly]\nat = *-04-31\n", 2, "never fires");
        assert_one_error("[halfyear]\nat = 2023-02-29 10:00\n", 2, "never fires");

        assert_one_error("[habit \"x\"]\nevery = fortnight\n", 2,
                         "every: expected day, week, month, N days, N weeks or N months (N from 1 to 1000), got "
                         "'fortnight'");
        assert_one_error("[habit \"x\"]\nevery = week\ntimes = 0\n", 3,
                         "times: expected a number from 1 to 1000, got '0'");
        assert_one_error("[habit \"x\"]\nevery = week\ntimes = 1001\n", 3, "times: expected a number from 1 to 1000");
        assert_one_error("[habit \"x\"]\nevery = week\nlapse_after = two\n", 3,
                         "lapse_after: expected a number from 1 to 1000, got 'two'");
        assert_one_error("[habit \"x\"]\nevery = week\nsince = 2023-02-29\n", 3,
                         "since: expected a date as YYYY-MM-DD, got '2023-02-29'");
        assert_one_error("[habit \"x\"]\nevery = week\nsince = today\n", 3, "since: expected a date as YYYY-MM-DD");
        assert_one_error("[habit \"x\"]\nevery = week\nsince = 2024-1-1\n", 3, "since: expected a date");

        assert_one_error("[habit \"weekly-review\"]\ntimes = 2\nevery = 2 weeks\n", 3,
                         "every: 'weekly-review' is checked in by answering the weekly review, so its cadence is "
                         "the review's (every week) and cannot be set");
        assert_one_error("[habit \"halfyear-review\"]\nevery = 6 months\n", 2,
                         "the review's (every 6 months) and cannot be set");

        assert_one_error("[habit \"a\"]\nevery = week\n\n[habit \"reading\"]\ntimes = 2\n", 4,
                         "habit 'reading' needs every = (day, week, month, N days, N weeks or N months)");
}

static void test_error_syntax(void **state __attribute__((unused))) {
        assert_one_error("[weekly]\nat = Sun 20:00\nWhat went well?\n", 3,
                         "expected 'key = value', '[section]' or a comment, got 'What went well?'");
        assert_one_error("[weekly]\n= Sun 20:00\n", 2, "missing key name before '='");
        assert_one_error("[weekly]\nat ; = x\n", 2, "expected 'key = value'");

        /* An indented line continues the key above it; only questions may. */
        assert_one_error("[habit \"x\"]\nevery = week\n  lapse_after = 3\n", 3,
                         "indented 'lapse_after = 3' continues 'every' from line 2 instead of setting a key; remove "
                         "the indentation");
        assert_one_error("[weekly]\nat = Sun\n   20:00\n", 3,
                         "indented line continues 'at' from line 2, and only a question may span lines");
        assert_one_error("[weekly]\nquestion = a\n  question = b\n", 3, "indented 'question = b' continues");

        /* Lines longer than inih's buffer are refused, not split. */
        char line[300];
        memset(line, 'x', sizeof(line) - 1);
        line[sizeof(line) - 1] = '\0';
        _cleanup_free_ char *text = strdup_printf("[weekly]\nquestion = %s\n", line);
        assert_one_error(text, 2,
                         "line too long: 310 bytes (310 characters), at most 198 bytes (198 letters of English, "
                         "about 66 characters of Korean or Chinese)");

        /* A question over CONFIG_QUESTION_MAX, built from continuation lines. */
        char chunk[181];
        memset(chunk, 'y', sizeof(chunk) - 1);
        chunk[sizeof(chunk) - 1] = '\0';
        _cleanup_free_ char *long_question = strdup_printf("[weekly]\nquestion = %s\n", chunk);
        for (int i = 0; i < 6; i++) {
                char *n = strdup_printf("%s  %s\n", long_question, chunk);
                free(long_question);
                long_question = n;
        }
        assert_one_error(long_question, 7,
                         "question from line 2 is too long: 1085 bytes (1085 characters), at most 1,024 bytes");

        const char nul[] = "[daemon]\nweek_start = monday\0x\n";
        ConfigErrors e = {};
        Config *c = NULL;
        assert_int_equal(config_load("/dev/null", true, &c, &e), 0); /* empty: defaults */
        assert_string_equal(c->path, "/dev/null");
        config_free(c);
        c = NULL;
        _cleanup_free_ char *path = strdup("/tmp/test-config-nul-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, nul, sizeof(nul) - 1), (ssize_t) sizeof(nul) - 1);
        close(fd);
        assert_int_equal(config_load(path, true, &c, &e), -EINVAL);
        unlink(path);
        assert_int_equal(e.n_errors, 1);
        assert_int_equal(e.errors[0].line, 2);
        assert_string_equal(e.errors[0].message, "line contains a NUL byte");
        config_errors_done(&e);
}

static char *write_settled(const char *text) {
        char *path = strdup("/tmp/test-config-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
        close(fd);
        /* Backdated: a file changed in the last 100 ms is waited on. */
        struct timespec old[2] = { { .tv_sec = 1000000000 }, { .tv_sec = 1000000000 } };
        assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
        return path;
}

/* A last line without its newline: fine at start, refused on a reload
 * unless the config in force ended with the same line. */
static void test_reload_unterminated(void **state __attribute__((unused))) {
        ConfigErrors e = {};
        Config *start = NULL, *c = NULL;
        _cleanup_free_ char *path = write_settled("[habit \"run\"]\nevery = week\ntimes = 10");
        assert_int_equal(config_load(path, true, &start, &e), 0);
        assert_string_equal(start->last_line, "times = 10");
        assert_int_equal(config_reload(path, true, start, &c, &e), 0); /* the same line */
        assert_int_equal(config_find_habit(c, "run")->times, 10);
        c = config_free(c);

        unlink(path);
        free(path);
        path = write_settled("[habit \"run\"]\nevery = week\ntimes = 1");
        assert_int_equal(config_reload(path, true, start, &c, &e), -EINVAL);
        assert_null(c);
        assert_int_equal(e.n_errors, 1);
        assert_int_equal(e.errors[0].line, 3);
        assert_non_null(strstr(e.errors[0].message, "the last line has no newline and differs"));
        config_errors_done(&e);

        unlink(path);
        free(path);
        path = write_settled("[habit \"run\"]\nevery = week\ntimes = 1\n"); /* terminated: taken */
        assert_int_equal(config_reload(path, true, start, &c, &e), 0);
        assert_int_equal(config_find_habit(c, "run")->times, 1);
        assert_string_equal(c->last_line, "times = 1");
        config_free(c);
        c = NULL;

        /* Emptied (an editor truncates before it writes): refused too,
         * unless what is in force was empty as well. */
        unlink(path);
        free(path);
        path = write_settled("");
        assert_int_equal(config_reload(path, true, start, &c, &e), -EINVAL);
        assert_int_equal(e.n_errors, 1);
        assert_int_equal(e.errors[0].line, 0);
        assert_non_null(strstr(e.errors[0].message, "is empty, and the configuration in force is not"));
        config_errors_done(&e);
        Config *empty = NULL;
        assert_int_equal(config_load("/dev/null", true, &empty, &e), 0);
        assert_int_equal(config_reload("/dev/null", true, empty, &c, &e), 0);
        config_free(c);
        config_free(empty);
        config_free(start);
        unlink(path);
}

/* What is at the path is said, not read as "Input/output error" or as
 * the defaults. */
static void test_load_not_a_file(void **state __attribute__((unused))) {
        char dir[] = "/tmp/test-config-dir-XXXXXX";
        ConfigErrors e = {};
        Config *c = NULL;
        assert_non_null(mkdtemp(dir));
        assert_int_equal(config_load(dir, false, &c, &e), -EINVAL);
        assert_int_equal(e.n_errors, 1);
        assert_string_equal(e.errors[0].message, "is a directory, not a file; refusing it");
        config_errors_done(&e);

        _cleanup_free_ char *link = strdup_printf("%s/lookback.ini", dir);
        assert_int_equal(symlink("/nonexistent/x.ini", link), 0);
        assert_int_equal(config_load(link, false, &c, &e), -EINVAL); /* not the defaults */
        assert_int_equal(e.n_errors, 1);
        assert_string_equal(e.errors[0].message,
                            "is a symlink to /nonexistent/x.ini, which does not exist; refusing it");
        config_errors_done(&e);
        unlink(link);
        rmdir(dir);
}

static void test_error_limits(void **state __attribute__((unused))) {
        _cleanup_free_ char *text = strdup("[weekly]\n");
        for (int i = 0; i < CONFIG_QUESTIONS_MAX + 3; i++) {
                char *n = strdup_printf("%squestion = q%d\n", text, i);
                free(text);
                text = n;
        }
        /* Reported once, on the first question too many. */
        assert_one_error(text, 2 + CONFIG_QUESTIONS_MAX, "question: too many questions in [weekly] (at most 32)");

        free(text);
        text = strdup("");
        for (int i = 0; i < CONFIG_HABITS_MAX; i++) {
                char *n = strdup_printf("%s[habit \"h%d\"]\nevery = week\n", text, i);
                free(text);
                text = n;
        }
        /* Two built-ins plus 126 of the file's: the 127th is too many. */
        assert_one_error(text, 1 + 2 * (CONFIG_HABITS_MAX - 2), "too many habits (at most 128");

        free(text);
        text = strdup("[daemon]\n");
        for (int i = 0; i < 150; i++) {
                char *n = strdup_printf("%sbad%d = 1\n", text, i);
                free(text);
                text = n;
        }
        ConfigErrors e = parse_fail(text);
        assert_int_equal(e.n_errors, CONFIG_ERRORS_MAX + 1);
        assert_error(&e, 0, 2, "unknown key 'bad0'");
        assert_error(&e, CONFIG_ERRORS_MAX - 1, CONFIG_ERRORS_MAX + 1, "unknown key 'bad99'");
        assert_error(&e, CONFIG_ERRORS_MAX, CONFIG_ERRORS_MAX + 2, "too many errors");
        config_errors_done(&e);
}

static void test_many_errors(void **state __attribute__((unused))) {
        ConfigErrors e = parse_fail("[daemon]\n"                /* 1 */
                                    "week_start = friday\n"     /* 2 */
                                    "colour = blue\n"           /* 3 */
                                    "[weekly]\n"                /* 4 */
                                    "at = Sun 20:00\n"          /* 5 */
                                    "at = Mon 20:00\n"          /* 6 */
                                    "this is not a setting\n"   /* 7 */
                                    "[habit \"reading\"]\n"     /* 8 */
                                    "times = 0\n"               /* 9 */
                                    "[habit Tennis]\n"          /* 10 */
                                    "every = week\n"            /* 11 */
                                    "[habit \"reading\"]\n"     /* 12 */
                                    "[notify]\n"                /* 13 */
                                    "answer_command = foot\n"); /* 14 */
        if (e.n_errors != 8)
                config_errors_print(&e, stderr);
        assert_int_equal(e.n_errors, 8);
        assert_error(&e, 0, 2, "week_start: expected 'monday' or 'sunday', got 'friday'");
        assert_error(&e, 1, 3, "unknown key 'colour' in [daemon]");
        assert_error(&e, 2, 6, "at given twice, first on line 5");
        assert_error(&e, 3, 7, "expected 'key = value'");
        assert_error(&e, 4, 9, "times: expected a number");
        assert_error(&e, 5, 10, "must be in double quotes");
        assert_error(&e, 6, 12, "duplicate section [habit \"reading\"], first on line 8");
        /* Checked once the whole file is read, so it comes last. */
        assert_error(&e, 7, 8, "habit 'reading' needs every =");
        config_errors_done(&e);

        /* Errors add up, and a habit missing every is reported at its header. */
        e = parse_fail("[habit \"a\"]\ntimes = 2\n[weekly]\nat = Xyz\n");
        assert_int_equal(e.n_errors, 2);
        assert_error(&e, 0, 4, "at: cannot read 'Xyz'");
        assert_error(&e, 1, 1, "habit 'a' needs every =");
        config_errors_done(&e);
}

static void test_round_trip(void **state __attribute__((unused))) {
        Config *c;

        assert_int_equal(config_new_default(&c), 0);
        assert_round_trip(c);
        config_free(c);

        c = parse_ok(full_config);
        assert_round_trip(c);

        /* A question long enough to be wrapped, with a break point that must
         * not be used (double space) and words that look like comments. */
        _cleanup_free_ char *text = strdup("[weekly]\nquestion = Start");
        for (int i = 0; i < 50; i++) {
                char *n = strdup_printf("%s\n  word%d #x a=b  z", text, i);
                free(text);
                text = n;
        }
        char *n = strdup_printf("%s\n", text);
        free(text);
        text = n;
        config_free(c);
        c = parse_ok(text);
        assert_int_equal(c->weekly.n_questions, 1);
        assert_true(strlen(c->weekly.questions[0]) > 600);
        assert_true(strlen(c->weekly.questions[0]) <= CONFIG_QUESTION_MAX);
        assert_round_trip(c);

        _cleanup_free_ char *dump = dump_to_string(c);
        for (char *line = dump; *line; line = strchr(line, '\n') + 1)
                assert_true(strcspn(line, "\n") <= 198);
        config_free(c);
}

static char *source_path(const char *relative) {
        const char *dir = getenv("LOOKBACK_SOURCE_DIR");

#ifdef SOURCE_DIR
        if (!dir)
                dir = SOURCE_DIR;
#endif
        if (dir)
                return strdup_printf("%s/%s", dir, relative);

        /* Built without either: this file sits at tests/unit/ in the tree. */
        const char *self = __FILE__, *tail = "tests/unit/test-config.c";
        size_t n = strlen(self), t = strlen(tail);
        if (n < t || !streq(self + n - t, tail))
                return NULL;
        char *path = strdup_printf("%.*s%s", (int) (n - t), self, relative);
        if (path && access(path, R_OK) < 0)
                path = (free(path), NULL);
        return path;
}

static void test_example_file(void **state __attribute__((unused))) {
        _cleanup_free_ char *path = source_path("config/lookback.ini");
        ConfigErrors e = {};
        Config *c = NULL, *defaults = NULL;

        if (!path)
                skip();
        if (config_load(path, true, &c, &e) < 0)
                config_errors_print(&e, stderr);
        assert_int_equal(e.n_errors, 0);
        assert_non_null(c);
        assert_int_equal(config_new_default(&defaults), 0);
        assert_config_equal(c, defaults);
        /* Both built-ins are spelled out in the file. */
        assert_true(c->habits[0].line > 0);
        assert_true(c->habits[1].line > 0);
        config_free(defaults);
        config_free(c);
}

static char *next_prompts_to_string(const char *text, time_t now) {
        Config *c = parse_ok(text);
        char *out = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&out, &size);

        assert_non_null(f);
        config_dump_next_prompts(c, now, f);
        assert_int_equal(fclose(f), 0);
        config_free(c);
        return out;
}

/* --check-config's last lines: three prompts each; fewer, then a line of
 * their own saying no more come; none, said so (not "... UTC never"). */
static void test_next_prompts(void **state __attribute__((unused))) {
        time_t now = 1767225600; /* Thu 2026-01-01 00:00:00 UTC */
        char *out;

        setenv("TZ", "UTC", 1);
        tzset();
        out = next_prompts_to_string("", now);
        assert_string_equal(out, "; next weekly prompts: Sun 2026-01-04 20:00:00 UTC, Sun 2026-01-11 20:00:00 UTC, "
                                 "Sun 2026-01-18 20:00:00 UTC\n"
                                 "; next half-year prompts: Thu 2026-01-01 10:00:00 UTC, Wed 2026-07-01 10:00:00 UTC, "
                                 "Fri 2027-01-01 10:00:00 UTC\n");
        free(out);

        out = next_prompts_to_string("[weekly]\nat = 2026-01-10,20 08:00\n[halfyear]\nat = 2020-01-01 10:00\n", now);
        assert_string_equal(out, "; next weekly prompts: Sat 2026-01-10 08:00:00 UTC, Tue 2026-01-20 08:00:00 UTC\n"
                                 "; no more weekly prompts after that\n"
                                 "; no more half-year prompts: every time '2020-01-01 10:00' names has passed\n");
        free(out);

        /* Past the 100 years the search covers for a spec without a year:
         * a listed year is found, however far ahead. */
        out = next_prompts_to_string("[weekly]\nat = 2127-01-01 10:00\n", now);
        assert_non_null(strstr(out, "; next weekly prompts: Wed 2127-01-01 10:00:00 UTC\n"
                                    "; no more weekly prompts after that\n"));
        assert_null(strstr(out, "never"));
        free(out);
        unsetenv("TZ");
        tzset();
}

/* Whether a spec ever fires is decided at parse time, from before 1970 in
 * the process's zone: the last year the parser takes and the first one
 * east of UTC are fine, a day that does not exist is not. */
static void test_at_fires(void **state __attribute__((unused))) {
        Config *c;

        c = parse_ok("[weekly]\nat = 2199-12-31 23:59:59\n[halfyear]\nat = 2196-02-29\n");
        config_free(c);
        setenv("TZ", "Asia/Tokyo", 1);
        tzset();
        c = parse_ok("[weekly]\nat = 1970-01-01 00:00\n");
        config_free(c);
        unsetenv("TZ");
        tzset();
        assert_one_error("[halfyear]\nat = 2100-02-29\n", 2, "at: calendar spec '2100-02-29' never fires: no such day");
        assert_one_error("[weekly]\nat = Mon 2026-01-01\n", 2, "never fires");
        assert_one_error("[weekly]\n; when\nat = ;empty\n", 3, "at: empty value; expected a calendar spec");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_defaults),        cmocka_unit_test(test_load_missing),
                cmocka_unit_test(test_full_file),       cmocka_unit_test(test_questions),
                cmocka_unit_test(test_habits),          cmocka_unit_test(test_every),
                cmocka_unit_test(test_error_sections),  cmocka_unit_test(test_error_keys),
                cmocka_unit_test(test_error_twice),     cmocka_unit_test(test_error_values),
                cmocka_unit_test(test_error_syntax),    cmocka_unit_test(test_error_limits),
                cmocka_unit_test(test_many_errors),     cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_example_file),    cmocka_unit_test(test_next_prompts),
                cmocka_unit_test(test_at_fires),        cmocka_unit_test(test_reload_unterminated),
                cmocka_unit_test(test_load_not_a_file),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
