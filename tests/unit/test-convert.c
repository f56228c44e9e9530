/* Unit tests for the converters (daemon/convert*.c) on the hand-made
 * samples in tests/samples/ and on broken inputs written to a temp dir.
 * TZ is UTC unless a test says otherwise, so timestamps are exact. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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
#include "convert.h"
#include "util.h"

#define LOOP_DIR     SAMPLES_DIR "/loop"
#define JRNL_FILE    SAMPLES_DIR "/jrnl.json"
#define MARKDOWN_DIR SAMPLES_DIR "/markdown"

static day_t ymd(int y, int m, int d) {
        return date_from_ymd(y, m, d);
}

static int64_t utc_usec(int y, int mo, int d, int h, int mi) {
        return ((int64_t) ymd(y, mo, d) * 86400 + h * 3600 + mi * 60) * 1000000;
}

static void assert_v5(const char *uuid) {
        assert_int_equal(strlen(uuid), 36);
        assert_int_equal(uuid[14], '5');           /* version */
        assert_non_null(strchr("89ab", uuid[19])); /* RFC 4122 variant */
        for (const char *p = uuid; *p; p++)
                assert_non_null(strchr("0123456789abcdef-", *p));
}

static void assert_mark(const RecordMark *m, const char *habit, day_t day, const char *note) {
        assert_string_equal(m->habit, habit);
        assert_int_equal(m->day, day);
        if (note)
                assert_string_equal(m->note, note);
        else
                assert_null(m->note);
        assert_string_equal(m->meta.device, "");
        assert_v5(m->meta.uuid);
}

/* ---- temp files ---- */

static char tmp[] = "/tmp/test-convert-XXXXXX";

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *f) {
        return remove(path);
}

static int setup_tmp(void **state) {
        strcpy(tmp, "/tmp/test-convert-XXXXXX");
        assert_non_null(mkdtemp(tmp));
        return 0;
}

static int teardown_tmp(void **state) {
        nftw(tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
        return 0;
}

/* Writes @text to tmp/@rel (its directory made first); returns the path. */
static char *write_tmp(const char *rel, const char *text) {
        char *path = strdup_printf("%s/%s", tmp, rel);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        return path;
}

/* ---- Loop ---- */

static void test_loop_sample(void **state) {
        RecordSet s;
        char *err = NULL;
        assert_int_equal(convert_loop(LOOP_DIR, &s, &err), 0);
        assert_null(err);
        assert_int_equal(s.n_checkins, 6);
        assert_mark(&s.checkins[0], "meditate", ymd(2024, 3, 6), NULL);
        assert_mark(&s.checkins[1], "meditate", ymd(2024, 3, 2), "Long one, 30 min");
        assert_mark(&s.checkins[2], "read-20-pages-at-least", ymd(2024, 3, 6), NULL);
        assert_mark(&s.checkins[3], "habit-3", ymd(2024, 3, 4), "아침에");
        assert_mark(&s.checkins[4], "run", ymd(2024, 3, 6), "5.25 km");
        assert_mark(&s.checkins[5], "run", ymd(2024, 3, 4), "3 km; Hills");
        assert_int_equal(s.n_skips, 2);
        assert_mark(&s.skips[0], "meditate", ymd(2024, 3, 5), "Travelling");
        assert_mark(&s.skips[1], "read-20-pages-at-least", ymd(2024, 3, 3), NULL);
        /* No time in Loop's export: noon of the day. */
        assert_int_equal(s.checkins[0].meta.recorded_usec, utc_usec(2024, 3, 6, 12, 0));
        assert_int_equal(s.n_notes + s.n_answers + s.n_pauses + s.n_goals, 0);

        /* Habits.csv itself is as good as its directory, and converting again
         * gives the same UUIDs, all different from each other. */
        RecordSet again;
        assert_int_equal(convert_loop(LOOP_DIR "/Habits.csv", &again, &err), 0);
        assert_int_equal(again.n_checkins, s.n_checkins);
        for (size_t i = 0; i < s.n_checkins; i++) {
                assert_string_equal(again.checkins[i].meta.uuid, s.checkins[i].meta.uuid);
                for (size_t j = 0; j < s.n_skips; j++)
                        assert_string_not_equal(s.checkins[i].meta.uuid, s.skips[j].meta.uuid);
                for (size_t j = 0; j < i; j++)
                        assert_string_not_equal(s.checkins[i].meta.uuid, s.checkins[j].meta.uuid);
        }
        records_done(&again);
        records_done(&s);
}

static const char *const sample_snippets[] = {
        "# Loop: \"Meditate\"\n[habit \"meditate\"]\nevery = day\ntimes = 1\n",
        "# Loop: \"Read 20 pages, \"at least\"\"\n[habit \"read-20-pages-at-least\"]\nevery = week\ntimes = 3\n",
        "# Loop: \"운동\"\n# archived in Loop\n[habit \"habit-3\"]\nevery = 3 days\ntimes = 2\n",
        "# Loop: \"Run\"\n# Loop counted an amount (km); lookback counts the days with any\n"
        "[habit \"run\"]\nevery = day\ntimes = 1\n",
};

static void test_loop_habits(void **state) {
        ConvertHabit *h;
        size_t n;
        char *err = NULL;
        assert_int_equal(convert_loop_habits(LOOP_DIR, &h, &n, &err), 0);
        assert_int_equal(n, ELEMENTSOF(sample_snippets));
        assert_string_equal(h[1].loop_name, "Read 20 pages, \"at least\"");
        assert_string_equal(h[2].loop_name, "운동");
        assert_true(h[2].archived);
        assert_false(h[0].archived);

        /* Every snippet is what lookback.ini accepts, all of them together. */
        char *ini = strdup("");
        for (size_t i = 0; i < n; i++) {
                assert_string_equal(h[i].snippet, sample_snippets[i]);
                char *more = strdup_printf("%s%s\n", ini, h[i].snippet);
                free(ini);
                ini = more;
        }
        Config *c = NULL;
        ConfigErrors errors = { 0 };
        assert_int_equal(config_parse_string(ini, "snippets.ini", &c, &errors), 0);
        assert_non_null(config_find_habit(c, "habit-3"));
        assert_int_equal(config_find_habit(c, "habit-3")->times, 2);
        config_free(c);
        config_errors_done(&errors);
        free(ini);
        convert_habits_free(h, n);
}

/* Slugs: collisions (with each other and the built-ins), length, and the
 * older header (NumRepetitions, Interval). */
static void test_loop_slugs(void **state) {
        char longname[101];
        memset(longname, 'a', 100);
        longname[100] = '\0';
        char *text = strdup_printf("Position,Name,Question,Description,NumRepetitions,Interval,Color\n"
                                   "001,Weekly review,,,1,7,#FF8F00\n"
                                   "002,__Read  --  Books__,,,1,1,#FF8F00\n"
                                   "003,read books,,,5,30,#FF8F00\n"
                                   "004,%s,,,1,14,#FF8F00\n"
                                   "005,%s!,,,1,1,#FF8F00\n",
                                   longname, longname);
        free(write_tmp("old/Habits.csv", text));
        free(text);
        char *dir = strdup_printf("%s/old", tmp);
        ConvertHabit *h;
        size_t n;
        char *err = NULL;
        assert_int_equal(convert_loop_habits(dir, &h, &n, &err), 0);
        assert_int_equal(n, 5);
        assert_string_equal(h[0].slug, "weekly-review-1");
        assert_string_equal(h[1].slug, "read-books__");
        assert_string_equal(h[2].slug, "read-books");
        assert_int_equal(strlen(h[3].slug), CONFIG_HABIT_NAME_MAX);
        assert_int_equal(strlen(h[4].slug), CONFIG_HABIT_NAME_MAX);
        assert_true(startswith(h[4].slug + CONFIG_HABIT_NAME_MAX - 2, "-5"));
        assert_non_null(strstr(h[2].snippet, "every = month\ntimes = 5\n"));
        assert_non_null(strstr(h[3].snippet, "every = 2 weeks\ntimes = 1\n"));
        convert_habits_free(h, n);

        /* No folders: the habits are known, and there is nothing marked. */
        RecordSet s;
        assert_int_equal(convert_loop(dir, &s, &err), 0);
        assert_int_equal(s.n_checkins + s.n_skips, 0);
        records_done(&s);
        free(dir);
}

static void assert_loop_error(const char *habits, const char *rel, const char *checkmarks, int want,
                              const char *message) {
        free(write_tmp("bad/Habits.csv", habits));
        if (rel)
                free(write_tmp(rel, checkmarks));
        char *dir = strdup_printf("%s/bad", tmp);
        RecordSet s;
        char *err = NULL;
        assert_int_equal(convert_loop(dir, &s, &err), want);
        assert_non_null(err);
        assert_string_equal(err, message);
        assert_int_equal(s.n_checkins + s.n_skips, 0);
        free(err);
        free(dir);
}

#define HEADER "Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,Color\n"

static void test_loop_errors(void **state) {
        assert_loop_error(HEADER "001,\"Meditate,YES_NO,,,1,1,#FF8F00\n", NULL, NULL, -EBADMSG,
                          "Habits.csv line 2: unterminated quoted field");
        assert_loop_error(HEADER "001,Medi\"tate,YES_NO,,,1,1,#FF8F00\n", NULL, NULL, -EBADMSG,
                          "Habits.csv line 2: a quote inside an unquoted field");
        /* A quoted newline moves the lines on. */
        assert_loop_error(HEADER "001,\"Two\nlines\",YES_NO,,,1,1,#FF8F00\n002,x,YES_NO,,,0,1,#FF8F00\n", NULL, NULL,
                          -EBADMSG, "Habits.csv line 4: frequency \"0/1\" is not understood");
        assert_loop_error("Position,Name,Color\n", NULL, NULL, -EBADMSG,
                          "Habits.csv line 1: no column \"FrequencyNumerator (or NumRepetitions)\" in the header");
        assert_loop_error(HEADER "001,Caf\xe9,YES_NO,,,1,1,#FF8F00\n", NULL, NULL, -EILSEQ,
                          "Habits.csv line 2: not valid UTF-8");
        assert_loop_error(HEADER "007,Walk,YES_NO,,,1,1,#FF8F00\n", "bad/007 Walk/Checkmarks.csv",
                          "Date,Value,Notes\n2024-03-02,YES_MANUAL,\n2024-03-01,\"SKIP\"x,\n", -EBADMSG,
                          "007 Walk/Checkmarks.csv line 3: text after a closing quote");
        assert_loop_error(HEADER "007,Walk,YES_NO,,,1,1,#FF8F00\n", "bad/007 Walk/Checkmarks.csv",
                          "Date,Value,Notes\n2024-02-30,YES_MANUAL,\n", -EBADMSG,
                          "007 Walk/Checkmarks.csv line 2: date \"2024-02-30\" is not YYYY-MM-DD");
        assert_loop_error(HEADER "007,Walk,YES_NO,,,1,1,#FF8F00\n", "bad/007 Walk/Checkmarks.csv", "2024-03-01,7\n",
                          -EBADMSG, "007 Walk/Checkmarks.csv line 1: value \"7\" is not understood");

        char *empty = strdup_printf("%s/empty", tmp);
        assert_int_equal(mkdir(empty, 0700), 0);
        RecordSet s;
        char *err = NULL;
        assert_int_equal(convert_loop(empty, &s, &err), -ENOENT);
        assert_string_equal(err, "Habits.csv: No such file or directory");
        free(err);
        free(empty);
}

/* ---- jrnl ---- */

static void test_jrnl_notes(void **state) {
        RecordSet s;
        char *err = NULL;
        assert_int_equal(convert_jrnl(JRNL_FILE, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, &err), 0);
        assert_int_equal(s.n_notes, 5);
        assert_int_equal(s.n_answers + s.n_checkins, 0);
        const RecordNote *n = s.notes;
        assert_int_equal(n[0].day, ymd(2024, 3, 4));
        assert_string_equal(n[0].title, "Started the new project at @work.");
        assert_string_equal(n[0].body, "Long meeting, but the plan is clear.\nNext: the schema.");
        assert_int_equal(n[0].meta.recorded_usec, utc_usec(2024, 3, 4, 9, 15));
        /* Same day, another entry: another record. */
        assert_int_equal(n[1].day, ymd(2024, 3, 4));
        assert_string_equal(n[1].title, "Dinner with @family.");
        assert_string_equal(n[1].body, "");
        assert_int_equal(n[1].meta.recorded_usec, utc_usec(2024, 3, 4, 20, 30));
        assert_string_equal(n[2].title, "오늘은 맑았다.");
        assert_string_equal(n[2].body, "산책을 했다.");
        /* A tag not in the text is kept on a last line. */
        assert_string_equal(n[3].body, "Finally.\n\ntags: @milestone");
        assert_int_equal(n[4].day, ymd(2024, 3, 11));
        for (size_t i = 0; i < s.n_notes; i++) {
                assert_v5(n[i].meta.uuid);
                for (size_t j = 0; j < i; j++)
                        assert_string_not_equal(n[i].meta.uuid, n[j].meta.uuid);
        }

        RecordSet again;
        assert_int_equal(convert_jrnl(JRNL_FILE, CONVERT_AS_NOTES, WEEK_START_MONDAY, &again, &err), 0);
        for (size_t i = 0; i < s.n_notes; i++)
                assert_string_equal(again.notes[i].meta.uuid, s.notes[i].meta.uuid);
        records_done(&again);
        records_done(&s);
}

/* jrnl's time is local time: the same file in Berlin is an hour earlier in UTC. */
static void test_jrnl_local_time(void **state) {
        setenv("TZ", "Europe/Berlin", 1);
        tzset();
        RecordSet s;
        char *err = NULL;
        assert_int_equal(convert_jrnl(JRNL_FILE, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, &err), 0);
        assert_int_equal(s.notes[0].meta.recorded_usec, utc_usec(2024, 3, 4, 8, 15));
        records_done(&s);
        setenv("TZ", "UTC", 1);
        tzset();
}

static void test_jrnl_weekly(void **state) {
        RecordSet s, notes;
        char *err = NULL;
        assert_int_equal(convert_jrnl(JRNL_FILE, CONVERT_AS_WEEKLY, WEEK_START_MONDAY, &s, &err), 0);
        /* One answer per week, an entry per jrnl entry: several answers of
         * one week would be versions, and only the newest would show. */
        assert_int_equal(s.n_answers, 2);
        assert_int_equal(s.n_notes, 0);
        const RecordAnswer *a = s.answers;
        assert_int_equal(a[0].kind, REVIEW_WEEKLY);
        assert_int_equal(a[0].period.start, ymd(2024, 3, 4));
        assert_int_equal(a[0].period.end, ymd(2024, 3, 10));
        assert_int_equal(a[0].n_entries, 4);
        assert_v5(a[0].meta.uuid);
        assert_v5(a[1].meta.uuid);
        assert_int_equal(a[1].period.start, ymd(2024, 3, 11));
        assert_int_equal(a[1].n_entries, 1);
        assert_string_equal(a[0].entries[0].question, "Started the new project at @work.");
        assert_string_equal(a[0].entries[0].answer, "Long meeting, but the plan is clear.\nNext: the schema.");
        /* No body: the title is the answer. */
        assert_string_equal(a[0].entries[1].question, "Journal");
        assert_string_equal(a[0].entries[1].answer, "Dinner with @family.");
        /* The same source, the same ids. */
        RecordSet again;
        assert_int_equal(convert_jrnl(JRNL_FILE, CONVERT_AS_WEEKLY, WEEK_START_MONDAY, &again, &err), 0);
        assert_string_equal(again.answers[0].meta.uuid, a[0].meta.uuid);
        assert_string_not_equal(a[0].meta.uuid, a[1].meta.uuid);
        records_done(&again);

        /* A note and an answer of the same entry are different records. */
        assert_int_equal(convert_jrnl(JRNL_FILE, CONVERT_AS_NOTES, WEEK_START_MONDAY, &notes, &err), 0);
        assert_string_not_equal(a[0].meta.uuid, notes.notes[0].meta.uuid);
        records_done(&notes);
        records_done(&s);

        /* Weeks from Sunday: Sunday 10 March starts the next week. */
        assert_int_equal(convert_jrnl(JRNL_FILE, CONVERT_AS_WEEKLY, WEEK_START_SUNDAY, &s, &err), 0);
        assert_int_equal(s.n_answers, 2);
        assert_int_equal(s.answers[0].period.start, ymd(2024, 3, 3));
        assert_int_equal(s.answers[0].n_entries, 3);
        assert_int_equal(s.answers[1].period.start, ymd(2024, 3, 10));
        assert_int_equal(s.answers[1].period.end, ymd(2024, 3, 16));
        assert_int_equal(s.answers[1].n_entries, 2);
        records_done(&s);
}

static void assert_jrnl_error(const char *text, int want, const char *contains) {
        char *path = write_tmp("j.json", text);
        RecordSet s;
        char *err = NULL;
        assert_int_equal(convert_jrnl(path, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, &err), want);
        assert_non_null(err);
        if (!strstr(err, contains))
                fail_msg("\"%s\" does not contain \"%s\"", err, contains);
        assert_true(startswith(err, path));
        assert_int_equal(s.n_notes, 0);
        free(err);
        free(path);
}

static void test_jrnl_errors(void **state) {
        assert_jrnl_error("{\"entries\": [\n  {\"title\": \"a\",\n   \"body\": }\n]}", -EBADMSG, " line 3 column ");
        assert_jrnl_error("{\"entries\": [{\"title\": \"a\", \"body\": \"\", \"date\": \"2024-3-1\", \"time\": "
                          "\"10:00\"}]}",
                          -EBADMSG, ": entry 1: date \"2024-3-1\" is not YYYY-MM-DD");
        assert_jrnl_error("{\"entries\": [{}, {\"title\": \"a\", \"body\": \"\", \"date\": \"2024-03-01\", \"time\": "
                          "\"25:00\"}]}",
                          -EBADMSG, ": entry 1: needs strings");
        assert_jrnl_error("{\"entries\": [{\"title\": \"a\", \"body\": \"\", \"date\": \"2024-03-01\", \"time\": "
                          "\"25:00\"}]}",
                          -EBADMSG, ": entry 1: time \"25:00\" is not HH:MM");
        assert_jrnl_error("{\"tags\": {}}", -EBADMSG, ": no \"entries\" array");
        assert_jrnl_error("{\"entries\": [],\n\"x\": \"caf\xc3\"}", -EILSEQ, " line 2: not valid UTF-8");
}

/* ---- Markdown ---- */

static void test_markdown_dir(void **state) {
        RecordSet s;
        size_t skipped = 99;
        char *err = NULL;
        assert_int_equal(convert_markdown(MARKDOWN_DIR, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, &skipped, &err), 0);
        assert_int_equal(skipped, 1); /* README.md */
        assert_int_equal(s.n_notes, 3);
        assert_int_equal(s.notes[0].day, ymd(2024, 3, 5));
        assert_string_equal(s.notes[0].title, "A good start");
        assert_string_equal(s.notes[0].body, "Walked to work.\nSlept well.");
        assert_int_equal(s.notes[0].meta.recorded_usec, utc_usec(2024, 3, 5, 12, 0));
        assert_int_equal(s.notes[1].day, ymd(2024, 3, 6));
        assert_null(s.notes[1].title);
        assert_string_equal(s.notes[1].body, "Nothing special today.");
        assert_int_equal(s.notes[2].day, ymd(2024, 3, 11));
        assert_null(s.notes[2].title);
        assert_string_equal(s.notes[2].body, "## Not a title\nRained all day.");

        RecordSet again;
        assert_int_equal(convert_markdown(MARKDOWN_DIR, CONVERT_AS_NOTES, WEEK_START_MONDAY, &again, NULL, &err), 0);
        for (size_t i = 0; i < s.n_notes; i++) {
                assert_v5(s.notes[i].meta.uuid);
                assert_string_equal(again.notes[i].meta.uuid, s.notes[i].meta.uuid);
        }
        records_done(&again);

        /* One file alone is the same record as in its directory. */
        assert_int_equal(convert_markdown(MARKDOWN_DIR "/2024-03-05.md", CONVERT_AS_NOTES, WEEK_START_MONDAY, &again,
                                          NULL, &err),
                         0);
        assert_int_equal(again.n_notes, 1);
        assert_string_equal(again.notes[0].meta.uuid, s.notes[0].meta.uuid);
        records_done(&again);
        records_done(&s);
}

static void test_markdown_weekly(void **state) {
        RecordSet s;
        char *err = NULL;
        assert_int_equal(convert_markdown(MARKDOWN_DIR, CONVERT_AS_WEEKLY, WEEK_START_MONDAY, &s, NULL, &err), 0);
        assert_int_equal(s.n_answers, 2);
        assert_int_equal(s.answers[0].period.start, ymd(2024, 3, 4));
        assert_int_equal(s.answers[0].period.end, ymd(2024, 3, 10));
        assert_int_equal(s.answers[0].n_entries, 2);
        assert_string_equal(s.answers[0].entries[0].question, "A good start");
        assert_string_equal(s.answers[0].entries[0].answer, "Walked to work.\nSlept well.");
        assert_string_equal(s.answers[0].entries[1].question, "Journal");
        assert_int_equal(s.answers[1].period.start, ymd(2024, 3, 11));
        records_done(&s);
}

/* An edited file is a new record: the UUID follows the content. */
static void test_markdown_edited(void **state) {
        char *path = write_tmp("md/2024-03-05-day.md", "First version.\n");
        RecordSet a, b;
        char *err = NULL;
        assert_int_equal(convert_markdown(path, CONVERT_AS_NOTES, WEEK_START_MONDAY, &a, NULL, &err), 0);
        free(write_tmp("md/2024-03-05-day.md", "Second version.\n"));
        assert_int_equal(convert_markdown(path, CONVERT_AS_NOTES, WEEK_START_MONDAY, &b, NULL, &err), 0);
        assert_string_not_equal(a.notes[0].meta.uuid, b.notes[0].meta.uuid);
        records_done(&a);
        records_done(&b);
        free(path);
}

static void test_markdown_errors(void **state) {
        RecordSet s;
        char *err = NULL;
        char *path = write_tmp("md/2024-03-05.md", "fine\nnot \xff fine\n");
        assert_int_equal(convert_markdown(path, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, NULL, &err), -EILSEQ);
        assert_string_equal(err, "2024-03-05.md line 2: not valid UTF-8");
        free(err);
        err = NULL;
        free(path);

        /* In a directory, the same file stops the conversion too. */
        char *dir = strdup_printf("%s/md", tmp);
        assert_int_equal(convert_markdown(dir, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, NULL, &err), -EILSEQ);
        assert_string_equal(err, "2024-03-05.md line 2: not valid UTF-8");
        free(err);
        err = NULL;
        free(dir);

        path = write_tmp("md/notes.md", "x\n");
        assert_int_equal(convert_markdown(path, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, NULL, &err), -EINVAL);
        assert_string_equal(err, "notes.md: not named YYYY-MM-DD.md or YYYY-MM-DD-*.md");
        free(err);
        err = NULL;
        free(path);

        /* 2024-02-30 is no day. */
        path = write_tmp("md/2024-02-30.md", "x\n");
        assert_int_equal(convert_markdown(path, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, NULL, &err), -EINVAL);
        free(err);
        err = NULL;
        free(path);

        /* Too big is refused before it is read (a sparse file costs nothing). */
        path = write_tmp("big/2024-03-05.md", "");
        int fd = open(path, O_WRONLY);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, (off_t) CONVERT_FILE_MAX + 1), 0);
        close(fd);
        assert_int_equal(convert_markdown(path, CONVERT_AS_NOTES, WEEK_START_MONDAY, &s, NULL, &err), -EFBIG);
        assert_string_equal(err, "2024-03-05.md: larger than 64 MiB, refused");
        free(err);
        free(path);
}

int main(void) {
        setenv("TZ", "UTC", 1);
        tzset();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_loop_sample),
                cmocka_unit_test(test_loop_habits),
                cmocka_unit_test_setup_teardown(test_loop_slugs, setup_tmp, teardown_tmp),
                cmocka_unit_test_setup_teardown(test_loop_errors, setup_tmp, teardown_tmp),
                cmocka_unit_test(test_jrnl_notes),
                cmocka_unit_test(test_jrnl_local_time),
                cmocka_unit_test(test_jrnl_weekly),
                cmocka_unit_test_setup_teardown(test_jrnl_errors, setup_tmp, teardown_tmp),
                cmocka_unit_test(test_markdown_dir),
                cmocka_unit_test(test_markdown_weekly),
                cmocka_unit_test_setup_teardown(test_markdown_edited, setup_tmp, teardown_tmp),
                cmocka_unit_test_setup_teardown(test_markdown_errors, setup_tmp, teardown_tmp),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
