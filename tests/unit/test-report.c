/* Unit tests of the lapse report's renderers, on hand-built HabitViews
 * shaped like the story in USER.md: weekly reviews that stopped in August,
 * a monthly reading habit that held, tennis paused by a torn ligament, a
 * habit abandoned in spring, and six goals. The views are filled by hand,
 * not computed, so only the renderers are under test here. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "util.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))

/* The story's range and the day its report is made: the day after, so
 * the week ending on 31 December is finished. */
#define STORY_FROM  D(2023, 7, 1)
#define STORY_TO    D(2023, 12, 31)
#define STORY_TODAY D(2024, 1, 1)

enum { REVIEW, READING, TENNIS, ENGLISH, STORY_HABITS };

typedef struct {
        HabitPeriod periods[STORY_HABITS][27];
        HabitInput inputs[STORY_HABITS];
        HabitView habits[STORY_HABITS];
        Lapse review_lapse, english_lapse;
        HabitPause tennis_pause;
        const HabitPause *tennis_pauses[1];
        HabitNote reading_notes[2], tennis_notes[1];
        ReportGoal goals[6];
        Report report;
} Story;

/* The first day of the period @i periods after the one starting on @start. */
static day_t period_start(day_t start, Every e, size_t i) {
        int year, month, mday;

        if (e.unit == EVERY_DAY)
                return start + (day_t) (i * e.n);
        if (e.unit == EVERY_WEEK)
                return start + (day_t) (i * e.n * 7);
        date_to_ymd(start, &year, &month, &mday);
        month += (int) (i * e.n);
        return D(year + (month - 1) / 12, (month - 1) % 12 + 1, 1);
}

/* One period per character of @fates: M met, X missed, S skipped, P paused, O open. */
static size_t fill_periods(HabitPeriod *p, const char *fates, day_t start, Every e) {
        size_t n = strlen(fates);

        for (size_t i = 0; i < n; i++) {
                PeriodFate f = fates[i] == 'M'   ? PERIOD_MET
                               : fates[i] == 'X' ? PERIOD_MISSED
                               : fates[i] == 'S' ? PERIOD_SKIPPED
                               : fates[i] == 'P' ? PERIOD_PAUSED
                                                 : PERIOD_OPEN;
                p[i] = (HabitPeriod){
                        .period = { period_start(start, e, i), period_start(start, e, i + 1) - 1 },
                        .checkins = f == PERIOD_MET ? 1 : 0,
                        .fate = f,
                };
        }
        return n;
}

/* A started habit's view by hand, shaped as habit_view_compute() fills
 * one: the periods of @fates from @start (an open one last, if any, is
 * the history's open period too) and their tallies. Streaks, strength,
 * status, lapses, pauses and notes are the caller's. */
static void view_init(HabitView *v, const HabitInput *in, HabitPeriod *periods, const char *fates, day_t start) {
        *v = (HabitView){ .input = in, .every = habit_every(in), .status = HABIT_OK };
        v->history.started = true;
        v->history.start = in->since;
        v->history.periods = periods;
        v->history.n_periods = fill_periods(periods, fates, start, in->every);
        v->periods = periods;
        v->n_periods = v->history.n_periods;
        for (size_t i = 0; i < v->n_periods; i++) {
                v->met += periods[i].fate == PERIOD_MET;
                v->missed += periods[i].fate == PERIOD_MISSED;
                v->skipped += periods[i].fate == PERIOD_SKIPPED;
                v->paused += periods[i].fate == PERIOD_PAUSED;
        }
        v->finished = v->met + v->missed + v->skipped + v->paused;
        v->has_adherence = v->met + v->missed > 0;
        v->adherence = v->has_adherence ? (double) v->met / (double) (v->met + v->missed) : 0.0;
        if (v->n_periods > 0 && periods[v->n_periods - 1].fate == PERIOD_OPEN) {
                v->history.has_open = true;
                v->history.open = periods[v->n_periods - 1];
        }
}

/* A goal set on Mon 2 Jan 2023; @closed_day 0 means still open. */
static ReportGoal goal(const char *id, const char *text, GoalStatus status, day_t closed_day, const char *reason) {
        return (ReportGoal){
                .id = id,
                .text = text,
                .status = status,
                .created = D(2023, 1, 2),
                .closed = closed_day != 0,
                .closed_day = closed_day,
                .reason = reason,
        };
}

static HabitInput story_input(const char *name, HabitKind kind, Every every, unsigned times, day_t since) {
        return (HabitInput){
                .name = name,
                .kind = kind,
                .every = every,
                .times = times,
                .lapse_after = 2,
                .has_since = true,
                .since = since,
                .week_start = WEEK_START_MONDAY,
        };
}

static void story_views(Story *s) {
        HabitView *review = &s->habits[REVIEW], *reading = &s->habits[READING], *tennis = &s->habits[TENNIS],
                  *english = &s->habits[ENGLISH];

        view_init(review, &s->inputs[REVIEW], s->periods[REVIEW], "MMMMMMMMXXXXXXXXXXXXXXXXXXX", D(2023, 6, 26));
        s->review_lapse = (Lapse){ .from = D(2023, 8, 21), .ongoing = true, .missed = 19 };
        review->history.lapses = &s->review_lapse;
        review->lapses = &s->review_lapse;
        review->history.n_lapses = review->n_lapses = 1;
        review->history.strength = 0.1234;
        review->history.current_streak = 0;
        /* Changed on purpose: longest over the whole history, all 33 weeks
         * kept since January; in the range it was 8. */
        review->history.longest_streak = 33;
        review->longest_streak_in_range = 8;
        review->history.has_last_done = true;
        review->history.last_done = D(2023, 8, 20);
        review->status = HABIT_LAPSED;
        review->lapsed = true;
        review->lapsed_since = D(2023, 8, 21);
        review->lapsed_missed = 19;

        view_init(reading, &s->inputs[READING], s->periods[READING], "MMMMMM", D(2023, 7, 1));
        reading->history.strength = 0.876;
        reading->history.current_streak = 6;
        reading->history.longest_streak = 6;
        reading->longest_streak_in_range = 6;
        reading->history.has_last_done = true;
        reading->history.last_done = D(2023, 12, 20);
        s->reading_notes[0] = (HabitNote){ NOTE_SKIP, D(2023, 8, 14), "on holiday" };
        s->reading_notes[1] = (HabitNote){ NOTE_CHECKIN, D(2023, 12, 20), "finished 'Piranesi'" };
        reading->notes = s->reading_notes;
        reading->n_notes = 2;

        view_init(tennis, &s->inputs[TENNIS], s->periods[TENNIS], "PPPPPPPPPPPPPO", D(2023, 6, 26));
        s->tennis_pause = (HabitPause){ D(2023, 5, 29), HABIT_OPEN_END, "torn ligament" };
        s->tennis_pauses[0] = &s->tennis_pause;
        tennis->pauses = s->tennis_pauses;
        tennis->n_pauses = 1;
        /* A pause that began before the range still explains it. */
        s->tennis_notes[0] = (HabitNote){ NOTE_PAUSE, D(2023, 5, 29), s->tennis_pause.reason };
        tennis->notes = s->tennis_notes;
        tennis->n_notes = 1;
        tennis->history.strength = 0.41;
        tennis->history.current_streak = 9;
        /* Changed: the old fixture had longest 0 (none in the range); the
         * longest is now the whole history's, never below the current. */
        tennis->history.longest_streak = 9;
        tennis->history.has_last_done = true;
        tennis->history.last_done = D(2023, 5, 26);
        tennis->status = HABIT_PAUSED;

        view_init(english, &s->inputs[ENGLISH], s->periods[ENGLISH], "XXXXXXXXXXXXXXXXXXXXXXXXXXX", D(2023, 6, 26));
        s->english_lapse = (Lapse){ .from = D(2023, 4, 3), .ongoing = true, .missed = 39 };
        english->history.lapses = &s->english_lapse;
        english->lapses = &s->english_lapse;
        english->history.n_lapses = english->n_lapses = 1;
        english->history.has_last_done = true;
        english->history.last_done = D(2023, 4, 1);
        english->status = HABIT_LAPSED;
        english->lapsed = true;
        english->lapsed_since = D(2023, 4, 3);
        english->lapsed_missed = 39;

        for (size_t i = 0; i < STORY_HABITS; i++) {
                s->habits[i].from = STORY_FROM;
                s->habits[i].to = STORY_TO;
                s->habits[i].today = STORY_TODAY;
        }
}

static void story_init(Story *s) {
        const Every week = { EVERY_WEEK, 1 }, month = { EVERY_MONTH, 1 }, fortnight = { EVERY_WEEK, 2 };

        memset(s, 0, sizeof(*s));
        s->inputs[REVIEW] = story_input("weekly-review", HABIT_WEEKLY_REVIEW, week, 1, D(2023, 1, 2));
        s->inputs[READING] = story_input("reading", HABIT_PLAIN, month, 1, D(2023, 1, 1));
        s->inputs[TENNIS] = story_input("tennis", HABIT_PLAIN, fortnight, 1, D(2023, 1, 9));
        s->inputs[ENGLISH] = story_input("english", HABIT_PLAIN, week, 3, D(2023, 1, 2));
        story_views(s);
        s->goals[0] = goal("0b9c2f6e-1", "Weekly review whenever possible", GOAL_OPEN, 0, NULL);
        s->goals[1] = goal("1c8d3a7f-2", "One book a month", GOAL_ACHIEVED, D(2023, 12, 20), NULL);
        s->goals[2] = goal("2d7e4b80-3", "Tennis with the club", GOAL_DROPPED, D(2023, 6, 1),
                           "torn ligament, out for the season");
        s->goals[3] = goal("3e6f5c91-4", "English study", GOAL_OPEN, 0, NULL);
        s->goals[4] = goal("4f506da2-5", "Bartending licence", GOAL_ACHIEVED, D(2023, 10, 14), NULL);
        s->goals[5] = goal("5a417eb3-6", "Cook at home instead of scrolling", GOAL_ACHIEVED, D(2023, 9, 30), NULL);
        s->report = (Report){ STORY_FROM, STORY_TO, s->habits, STORY_HABITS, s->goals, 6, NULL };
}

static size_t count(const char *haystack, const char *needle) {
        size_t n = 0;

        for (const char *p = strstr(haystack, needle); p; p = strstr(p + strlen(needle), needle))
                n++;
        return n;
}

/* The offset of @needle in @haystack, which must contain it. */
static size_t offset(const char *haystack, const char *needle) {
        const char *p = strstr(haystack, needle);

        if (!p)
                fprintf(stderr, "missing '%s' in:\n%s\n", needle, haystack);
        assert_non_null(p);
        return (size_t) (p - haystack);
}

static void assert_contains(const char *haystack, const char *needle) {
        (void) offset(haystack, needle);
}

static const char *get_string(json_t *o, const char *key) {
        json_t *v = json_object_get(o, key);

        assert_true(json_is_string(v));
        return json_string_value(v);
}

static json_int_t get_int(json_t *o, const char *key) {
        json_t *v = json_object_get(o, key);

        assert_true(json_is_integer(v));
        return json_integer_value(v);
}

static double get_real(json_t *o, const char *key) {
        json_t *v = json_object_get(o, key);

        assert_true(json_is_real(v));
        return json_real_value(v);
}

static void assert_null_field(json_t *o, const char *key) {
        assert_true(json_is_null(json_object_get(o, key)));
}

static void test_json_weekly_review(void **state) {
        Story s;
        json_t *j, *h, *l;

        (void) state;
        story_init(&s);
        j = report_json(&s.report);
        assert_non_null(j);
        assert_string_equal(get_string(j, "from"), "2023-07-01");
        assert_string_equal(get_string(j, "to"), "2023-12-31");
        assert_int_equal(json_array_size(json_object_get(j, "habits")), 4);
        h = json_array_get(json_object_get(j, "habits"), 0);
        assert_string_equal(get_string(h, "name"), "weekly-review");
        assert_string_equal(get_string(h, "every"), "week");
        assert_int_equal(get_int(h, "times"), 1);
        assert_int_equal(get_int(h, "periods"), 27);
        /* New: whether a period is in progress at the end of the range. */
        assert_true(json_is_false(json_object_get(h, "open")));
        assert_int_equal(get_int(h, "met"), 8);
        assert_int_equal(get_int(h, "missed"), 19);
        assert_int_equal(get_int(h, "skipped"), 0);
        assert_int_equal(get_int(h, "paused"), 0);
        assert_float_equal(get_real(h, "adherence"), 0.296, 1e-12);
        assert_float_equal(get_real(h, "strength"), 0.12, 1e-12);
        assert_int_equal(get_int(h, "current_streak"), 0);
        /* Changed on purpose: longest_streak is the whole history's; the
         * range's own (the old longest_streak, 8) has a key of its own. */
        assert_int_equal(get_int(h, "longest_streak"), 33);
        assert_int_equal(get_int(h, "longest_streak_in_range"), 8);
        assert_string_equal(get_string(h, "last_done"), "2023-08-20");
        assert_string_equal(get_string(h, "status"), "lapsed");
        assert_string_equal(get_string(h, "lapsed_since"), "2023-08-21");
        assert_string_equal(get_string(h, "strip"), "████████░░░░░░░░░░░░░░░░░░░");
        assert_int_equal(json_array_size(json_object_get(h, "lapses")), 1);
        l = json_array_get(json_object_get(h, "lapses"), 0);
        assert_string_equal(get_string(l, "from"), "2023-08-21");
        assert_null_field(l, "to");
        assert_int_equal(get_int(l, "missed"), 19);
        assert_true(json_is_array(json_object_get(h, "pauses")));
        assert_int_equal(json_array_size(json_object_get(h, "pauses")), 0);
        assert_true(json_is_array(json_object_get(h, "notes")));
        assert_int_equal(json_array_size(json_object_get(h, "notes")), 0);
        json_decref(j);
}

static void test_json_other_habits(void **state) {
        Story s;
        json_t *j, *h, *p, *n;

        (void) state;
        story_init(&s);
        j = report_json(&s.report);
        assert_non_null(j);

        h = json_array_get(json_object_get(j, "habits"), 1);
        assert_string_equal(get_string(h, "name"), "reading");
        assert_string_equal(get_string(h, "every"), "month");
        assert_int_equal(get_int(h, "periods"), 6);
        assert_int_equal(get_int(h, "met"), 6);
        assert_float_equal(get_real(h, "adherence"), 1.0, 1e-12);
        assert_float_equal(get_real(h, "strength"), 0.88, 1e-12);
        assert_string_equal(get_string(h, "status"), "ok");
        assert_null_field(h, "lapsed_since");
        assert_int_equal(json_array_size(json_object_get(h, "lapses")), 0);
        /* New: the notes written in the range, oldest first. */
        assert_int_equal(json_array_size(json_object_get(h, "notes")), 2);
        n = json_array_get(json_object_get(h, "notes"), 0);
        assert_string_equal(get_string(n, "date"), "2023-08-14");
        assert_string_equal(get_string(n, "kind"), "skip");
        assert_string_equal(get_string(n, "text"), "on holiday");
        n = json_array_get(json_object_get(h, "notes"), 1);
        assert_string_equal(get_string(n, "date"), "2023-12-20");
        assert_string_equal(get_string(n, "kind"), "checkin");
        assert_string_equal(get_string(n, "text"), "finished 'Piranesi'");

        h = json_array_get(json_object_get(j, "habits"), 2);
        assert_string_equal(get_string(h, "name"), "tennis");
        assert_string_equal(get_string(h, "every"), "2 weeks");
        /* 13 finished periods; the open one does not count. */
        assert_int_equal(get_int(h, "periods"), 13);
        assert_true(json_is_true(json_object_get(h, "open")));
        assert_int_equal(get_int(h, "paused"), 13);
        assert_null_field(h, "adherence");
        assert_string_equal(get_string(h, "status"), "paused");
        assert_string_equal(get_string(h, "strip"), "------------- ");
        assert_int_equal(get_int(h, "current_streak"), 9);
        assert_int_equal(get_int(h, "longest_streak"), 9);
        assert_int_equal(get_int(h, "longest_streak_in_range"), 0);
        assert_int_equal(json_array_size(json_object_get(h, "pauses")), 1);
        p = json_array_get(json_object_get(h, "pauses"), 0);
        assert_string_equal(get_string(p, "from"), "2023-05-29");
        assert_null_field(p, "to");
        assert_string_equal(get_string(p, "reason"), "torn ligament");
        assert_int_equal(json_array_size(json_object_get(h, "notes")), 1);
        n = json_array_get(json_object_get(h, "notes"), 0);
        assert_string_equal(get_string(n, "date"), "2023-05-29");
        assert_string_equal(get_string(n, "kind"), "pause");
        assert_string_equal(get_string(n, "text"), "torn ligament");

        h = json_array_get(json_object_get(j, "habits"), 3);
        assert_string_equal(get_string(h, "name"), "english");
        assert_int_equal(get_int(h, "times"), 3);
        assert_float_equal(get_real(h, "adherence"), 0.0, 1e-12);
        assert_string_equal(get_string(h, "lapsed_since"), "2023-04-03");
        assert_string_equal(get_string(h, "last_done"), "2023-04-01");
        json_decref(j);
}

static void test_json_goals(void **state) {
        Story s;
        json_t *j, *g, *sum;

        (void) state;
        story_init(&s);
        j = report_json(&s.report);
        assert_non_null(j);
        assert_int_equal(json_array_size(json_object_get(j, "goals")), 6);
        g = json_array_get(json_object_get(j, "goals"), 0);
        assert_string_equal(get_string(g, "id"), "0b9c2f6e-1");
        assert_string_equal(get_string(g, "text"), "Weekly review whenever possible");
        assert_string_equal(get_string(g, "status"), "open");
        assert_string_equal(get_string(g, "created"), "2023-01-02");
        assert_null_field(g, "closed");
        assert_null(json_object_get(g, "reason"));
        g = json_array_get(json_object_get(j, "goals"), 1);
        assert_string_equal(get_string(g, "status"), "achieved");
        assert_string_equal(get_string(g, "closed"), "2023-12-20");
        g = json_array_get(json_object_get(j, "goals"), 2);
        assert_string_equal(get_string(g, "status"), "dropped");
        assert_string_equal(get_string(g, "closed"), "2023-06-01");
        assert_string_equal(get_string(g, "reason"), "torn ligament, out for the season");

        sum = json_object_get(j, "goals_summary");
        assert_int_equal(get_int(sum, "set"), 6);
        assert_int_equal(get_int(sum, "achieved"), 3);
        assert_int_equal(get_int(sum, "dropped"), 1);
        assert_int_equal(get_int(sum, "open"), 2);
        json_decref(j);
}

static void test_json_rounding(void **state) {
        Story s;
        json_t *j, *h;
        char *text;

        (void) state;
        story_init(&s);
        s.habits[READING].adherence = 2.0 / 3.0;
        s.habits[READING].history.strength = 0.125;
        s.habits[ENGLISH].has_adherence = false;
        /* A NaN from a caller's bug must not become "nan" or a failed report. */
        s.habits[REVIEW].adherence = NAN;
        j = report_json(&s.report);
        assert_non_null(j);
        h = json_array_get(json_object_get(j, "habits"), 1);
        assert_float_equal(get_real(h, "adherence"), 0.667, 1e-12);
        assert_float_equal(get_real(h, "strength"), 0.13, 1e-12);
        assert_null_field(json_array_get(json_object_get(j, "habits"), 3), "adherence");
        assert_null_field(json_array_get(json_object_get(j, "habits"), 0), "adherence");
        json_decref(j);

        /* Rendered, a rounded real prints as written, not 0.29599999999999999. */
        story_init(&s);
        text = report_render(&s.report, REPORT_JSON);
        assert_non_null(text);
        assert_contains(text, "\"adherence\": 0.296,");
        assert_contains(text, "\"strength\": 0.12,");
        assert_contains(text, "\"adherence\": null,");
        assert_null(strstr(text, "99999"));
        j = json_loads(text, 0, NULL);
        assert_non_null(j);
        json_decref(j);
        free(text);
}

/* Jansson allocations fail one after another: report_json() returns NULL
 * each time, and the leak checker sees nothing left behind. */
static size_t alloc_budget;

static void *failing_malloc(size_t size) {
        if (alloc_budget == 0)
                return NULL;
        alloc_budget--;
        return malloc(size);
}

static void test_json_out_of_memory(void **state) {
        Story s;
        json_t *j = NULL;
        size_t n;

        (void) state;
        story_init(&s);
        for (n = 0; n < 100000 && !j; n++) {
                alloc_budget = n;
                json_set_alloc_funcs(failing_malloc, free);
                j = report_json(&s.report);
                json_set_alloc_funcs(malloc, free);
        }
        assert_non_null(j);
        /* It took many allocations, so many failure points were tried. */
        assert_true(n > 100);
        assert_int_equal(json_array_size(json_object_get(j, "habits")), 4);
        json_decref(j);
}

static void test_empty_report(void **state) {
        Report r = { D(2024, 1, 1), D(2024, 6, 30), NULL, 0, NULL, 0, NULL };
        json_t *j;

        (void) state;
        j = report_json(&r);
        assert_non_null(j);
        assert_int_equal(json_array_size(json_object_get(j, "habits")), 0);
        assert_int_equal(json_array_size(json_object_get(j, "goals")), 0);
        assert_int_equal(get_int(json_object_get(j, "goals_summary"), "set"), 0);
        json_decref(j);
        for (int f = 0; f < _REPORT_FORMAT_MAX; f++) {
                char *text = report_render(&r, f);
                assert_non_null(text);
                assert_true(strlen(text) > 0);
                assert_null(strstr(text, "nan"));
                free(text);
        }
        char *text = report_render(&r, REPORT_TEXT);
        assert_non_null(text);
        assert_contains(text, "No habit lapsed.");
        assert_contains(text, "No notes.");
        assert_contains(text, "Goals: none were set");
        free(text);
        text = report_render(&r, REPORT_HTML);
        assert_non_null(text);
        assert_int_equal(count(text, "<svg class=\"heatmap\""), 0);
        assert_int_equal(count(text, "<ul class=\"notes\">"), 0);
        free(text);
        text = report_template_comment(&r);
        assert_non_null(text);
        assert_contains(text, "# No habit lapsed.\n");
        free(text);
}

/* A habit that has not started and one with zero periods still render. */
static void test_not_started(void **state) {
        HabitInput inputs[] = {
                { .name = "cooking", .every = { EVERY_DAY, 1 }, .times = 1, .lapse_after = 2 },
                { .name = "licence", .every = { EVERY_MONTH, 6 }, .times = 1, .lapse_after = 2 },
                { .name = "nothing", .every = { EVERY_WEEK, 1 }, .times = 1, .lapse_after = 2 },
        };
        /* Not started: only the period it would be in, open, as
         * periods_compute() leaves it. */
        HabitView none = { .input = &inputs[0], .every = inputs[0].every, .status = HABIT_NEW };
        HabitView habits[3];
        char *text, *strip;
        json_t *j;

        (void) state;
        none.history.has_open = true;
        none.history.open = (HabitPeriod){ { D(2024, 1, 1), D(2024, 1, 1) }, 0, PERIOD_OPEN };
        habits[0] = none;
        habits[1] = (HabitView){ .input = &inputs[1], .every = inputs[1].every, .status = HABIT_NEW };
        habits[1].history.started = true;
        /* The old test had a habit with no report at all (NULL); a report
         * now holds views, so its nearest is a view with nothing computed
         * but its input. */
        habits[2] = (HabitView){ .input = &inputs[2], .every = inputs[2].every, .status = HABIT_NEW };
        Report r = { D(2024, 1, 1), D(2024, 1, 1), habits, 3, NULL, 0, NULL };

        for (size_t i = 0; i < ELEMENTSOF(habits); i++)
                habits[i].from = habits[i].to = habits[i].today = D(2024, 1, 1);
        strip = report_strip(&none);
        assert_string_equal(strip, "");
        free(strip);
        j = report_json(&r);
        assert_non_null(j);
        assert_string_equal(get_string(json_array_get(json_object_get(j, "habits"), 0), "status"), "new");
        assert_true(json_is_true(json_object_get(json_array_get(json_object_get(j, "habits"), 0), "open")));
        assert_null_field(json_array_get(json_object_get(j, "habits"), 0), "last_done");
        assert_string_equal(get_string(json_array_get(json_object_get(j, "habits"), 1), "every"), "6 months");
        assert_null_field(json_array_get(json_object_get(j, "habits"), 1), "adherence");
        assert_true(json_is_false(json_object_get(json_array_get(json_object_get(j, "habits"), 2), "open")));
        json_decref(j);
        text = report_render(&r, REPORT_TEXT);
        assert_non_null(text);
        /* Nothing met yet: not listed as "held" (the strips still show them). */
        assert_null(strstr(text, "cooking (every day)"));
        assert_null(strstr(text, "licence (every 6 months)"));
        assert_contains(text, "None held without a lapse.");
        assert_null(strstr(text, "nan"));
        free(text);
        text = report_render(&r, REPORT_HTML);
        assert_non_null(text);
        assert_int_equal(count(text, "<svg class=\"heatmap\""), 3);
        assert_int_equal(count(text, "No periods in this range."), 3);
        assert_contains(text, "every day: not started yet</p>");
        free(text);
}

static void test_strip_fates(void **state) {
        HabitPeriod periods[5];
        HabitView h = { .history.started = true, .periods = periods };
        char *strip;

        (void) state;
        h.n_periods = fill_periods(periods, "MXSPO", D(2023, 1, 2), (Every){ EVERY_WEEK, 1 });
        strip = report_strip(&h);
        assert_non_null(strip);
        assert_string_equal(strip, "█░·- ");
        free(strip);
        h.n_periods = 0;
        strip = report_strip(&h);
        assert_string_equal(strip, "");
        free(strip);
        strip = report_strip(NULL);
        assert_string_equal(strip, "");
        free(strip);
}

static void test_text_order(void **state) {
        Story s;
        char *text;
        size_t lapse, pause, held, strips, notes, goals;

        (void) state;
        story_init(&s);
        text = report_render(&s.report, REPORT_TEXT);
        assert_non_null(text);
        assert_int_equal(offset(text, "Lapse report 2023-07-01 - 2023-12-31\n"), 0);
        lapse = offset(text, "weekly-review: lapsed since Mon 21 Aug 2023, 19 weeks missed (ongoing)");
        assert_true(offset(text, "english: lapsed since Mon 3 Apr 2023, 39 weeks missed (ongoing)") > lapse);
        pause = offset(text, "tennis: paused since Mon 29 May 2023 (ongoing); reason: torn ligament");
        held = offset(text, "Habits that held");
        strips = offset(text, "\nStrips\n------\n");
        notes = offset(text, "\nNotes\n-----\n");
        goals = offset(text, "Goals: 3 of 6 achieved, 1 dropped, 2 open");
        assert_true(lapse < pause);
        assert_true(pause < held);
        assert_true(held < strips);
        /* New: the notes, after the strips and before the goals. */
        assert_true(strips < notes);
        assert_true(notes < goals);
        /* The numbers behind a lapse come with it. Changed on purpose: the
         * longest streak is the whole history's (33), not the range's (8). */
        assert_contains(text, "\n    met 8 of 27 periods, adherence 29.6%, streak 0 (longest 33)\n"
                              "    strength 0.12, last done Sun 20 Aug 2023, now lapsed\n");
        /* Held: reading, not the two that lapsed, nor tennis, paused all
         * along (it is under Pauses). */
        assert_true(offset(text, "reading (every month)\n    met 6 of 6 periods, adherence 100%") > held);
        assert_null(strstr(text, "tennis (every 2 weeks)"));
        assert_true(offset(text, "    ██████\n") > held);
        assert_int_equal(count(text, "weekly-review ("), 0);
        /* Every habit's strip, after the legend. */
        assert_true(offset(text, "█ met  ░ missed  · skipped  - paused") > held);
        assert_contains(text, "  weekly-review  ████████░░░░░░░░░░░░░░░░░░░\n");
        assert_contains(text, "  tennis         ------------- \n");
        /* Notes per habit, oldest first; a pause's reason is one too. */
        assert_true(offset(text, "\n  reading\n    Mon 14 Aug 2023, skipped: on holiday\n"
                                 "    Wed 20 Dec 2023, checked in: finished 'Piranesi'\n"
                                 "  tennis\n    Mon 29 May 2023, paused: torn ligament\n") > notes);
        assert_null(strstr(text, "\n  english\n"));
        assert_contains(text, "achieved: One book a month (Wed 20 Dec 2023)");
        assert_contains(text, "dropped: Tennis with the club (Thu 1 Jun 2023); reason: torn ligament");
        assert_contains(text, "open: English study (set Mon 2 Jan 2023)");
        /* A pause is never worded as a failure. */
        assert_null(strstr(text, "tennis: lapsed"));
        assert_null(strstr(text, "nan"));
        free(text);
}

static void test_text_wording(void **state) {
        HabitPeriod periods[6];
        Lapse lapses[2] = {
                { D(2023, 2, 1), D(2023, 4, 30), false, 3 },
                { D(2023, 6, 1), 0, true, 1 },
        };
        HabitPause pause = { D(2023, 3, 6), D(2023, 3, 19), NULL };
        const HabitPause *pauses[] = { &pause };
        HabitInput inputs[] = {
                { .name = "piano", .every = { EVERY_MONTH, 1 }, .times = 1, .lapse_after = 1 },
                { .name = "gym", .every = { EVERY_DAY, 3 }, .times = 2, .lapse_after = 3 },
        };
        HabitView habits[2];
        Report r = { D(2023, 1, 1), D(2023, 6, 30), habits, 2, NULL, 0, NULL };
        char *text;

        (void) state;
        view_init(&habits[0], &inputs[0], periods, "MXXXMX", D(2023, 1, 1));
        habits[0].lapses = lapses;
        habits[0].n_lapses = 2;
        habits[0].pauses = pauses;
        habits[0].n_pauses = 1;
        assert_int_equal(habits[0].met, 2);
        assert_int_equal(habits[0].missed, 4);
        habits[1] = (HabitView){ .input = &inputs[1], .every = inputs[1].every, .status = HABIT_AT_RISK };
        habits[1].history.started = true;
        habits[1].lapses = lapses;
        habits[1].n_lapses = 1;
        text = report_render(&r, REPORT_TEXT);
        assert_non_null(text);
        assert_contains(text, "piano: lapsed from Wed 1 Feb 2023 to Sun 30 Apr 2023, 3 months missed\n");
        assert_contains(text, "piano: lapsed since Thu 1 Jun 2023, 1 month missed (ongoing)\n");
        assert_contains(text, "gym: lapsed from Wed 1 Feb 2023 to Sun 30 Apr 2023, 3 periods of 3 days missed\n");
        assert_contains(text, "piano: paused from Mon 6 Mar 2023 to Sun 19 Mar 2023\n");
        assert_contains(text, "adherence 33.3%");
        assert_contains(text, "now at-risk");
        assert_contains(text, "None held without a lapse.");
        assert_contains(text, "\nNotes\n-----\n  No notes.\n");
        free(text);
}

/* New: the notes are user text, so each format makes them safe. */
static void test_notes(void **state) {
        Story s;
        char *text;

        (void) state;
        story_init(&s);
        s.reading_notes[1].text = "*finished*\nPiranesi <3";
        text = report_render(&s.report, REPORT_TEXT);
        assert_non_null(text);
        /* A newline cannot start a line of its own. */
        assert_contains(text, "    Wed 20 Dec 2023, checked in: *finished* Piranesi <3\n");
        free(text);
        text = report_render(&s.report, REPORT_MARKDOWN);
        assert_non_null(text);
        assert_contains(text, "  - Wed 20 Dec 2023, checked in: \\*finished\\* Piranesi \\<3\n");
        free(text);
        text = report_render(&s.report, REPORT_HTML);
        assert_non_null(text);
        assert_contains(text, "<li class=\"note checkin\">Wed 20 Dec 2023, checked in: *finished* Piranesi &lt;3</li>");
        free(text);
        /* The template's summary leaves them out: the review asks afresh. */
        text = report_template_comment(&s.report);
        assert_non_null(text);
        assert_null(strstr(text, "Piranesi"));
        free(text);
}

static void test_markdown(void **state) {
        Story s;
        char *text;

        (void) state;
        story_init(&s);
        s.goals[3].text = "English *study* [B2]";
        text = report_render(&s.report, REPORT_MARKDOWN);
        assert_non_null(text);
        assert_int_equal(offset(text, "# Lapse report 2023-07-01 - 2023-12-31\n"), 0);
        assert_true(offset(text, "## Lapses\n") < offset(text, "## Pauses\n"));
        assert_true(offset(text, "## Pauses\n") < offset(text, "## Habits that held\n"));
        assert_true(offset(text, "## Habits that held\n") < offset(text, "## Notes\n"));
        assert_true(offset(text, "## Notes\n") < offset(text, "## Goals: 3 of 6 achieved"));
        assert_contains(text, "- **weekly-review**: lapsed since Mon 21 Aug 2023, 19 weeks missed (ongoing)\n");
        /* Changed on purpose: longest over the whole history. */
        assert_contains(text, "  - met 8 of 27 periods, adherence 29.6%, streak 0 (longest 33), strength 0.12, ");
        assert_contains(text, "- **reading** (every month): met 6 of 6 periods, adherence 100%");
        assert_contains(text, "- **tennis**: paused since Mon 29 May 2023 (ongoing); reason: torn ligament\n");
        assert_contains(text, "  `██████`\n");
        assert_contains(text, "- **weekly-review** `████████░░░░░░░░░░░░░░░░░░░`\n");
        assert_contains(text, "- **reading**\n  - Mon 14 Aug 2023, skipped: on holiday\n"
                              "  - Wed 20 Dec 2023, checked in: finished 'Piranesi'\n");
        assert_contains(text, "- **tennis**\n  - Mon 29 May 2023, paused: torn ligament\n");
        assert_contains(text, "- **open**: English \\*study\\* \\[B2\\]");
        free(text);
}

static void test_html_structure(void **state) {
        Story s;
        char *html;

        (void) state;
        story_init(&s);
        html = report_render(&s.report, REPORT_HTML);
        assert_non_null(html);
        assert_int_equal(offset(html, "<!DOCTYPE html>\n"), 0);
        assert_contains(html, "<meta charset=\"utf-8\">");
        assert_contains(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        assert_contains(html, "@media print");
        assert_int_equal(count(html, "<svg class=\"heatmap\""), 4);
        assert_int_equal(count(html, "<section class=\"habit\">"), 4);
        assert_int_equal(count(html, "</section>"), 4);
        /* Self-contained: nothing runs and nothing is fetched. */
        assert_null(strstr(html, "<script"));
        assert_null(strstr(html, "http"));
        assert_null(strstr(html, "//"));
        assert_null(strstr(html, "url("));
        assert_null(strstr(html, "@import"));
        /* One cell with a tooltip per period: 27 + 6 + 14 + 27. */
        assert_int_equal(count(html, "</title></rect>"), 74);
        assert_contains(html, "<title>Mon 21 Aug 2023 – Sun 27 Aug 2023: missed, 0 check-ins; in a lapse</title>");
        assert_contains(html, "<title>Sat 1 Jul 2023 – Mon 31 Jul 2023: met, 1 check-in</title>");
        /* Lapses and pauses shaded: 19 + 27 cells in a lapse, all 14 of tennis in its pause. */
        assert_int_equal(count(html, "; in a lapse</title>"), 46);
        assert_int_equal(count(html, "; during a pause</title>"), 14);
        assert_int_equal(count(html, "<rect class=\"cell missed in-lapse\" x=\"1\""), 4); /* the legends */
        assert_int_equal(count(html, "<ul class=\"legend\">"), 4);
        assert_contains(html, "<rect class=\"cell open in-pause\"");
        /* The same sections as the text, in the same order. */
        assert_true(offset(html, "<h2>Lapses</h2>") < offset(html, "<h2>Pauses</h2>"));
        assert_true(offset(html, "<h2>Pauses</h2>") < offset(html, "<h2>Habits that held</h2>"));
        assert_true(offset(html, "<h2>Habits that held</h2>") < offset(html, "<h2>Goals: 3 of 6 achieved"));
        assert_contains(html, "<strong>tennis</strong>: paused since Mon 29 May 2023 (ongoing); reason: torn ligament");
        assert_contains(html, "<li class=\"goal dropped\">");
        /* New: each habit's notes in its own section, after its heatmap. */
        assert_int_equal(count(html, "<ul class=\"notes\">"), 2);
        assert_contains(html,
                        "<ul class=\"notes\">\n<li class=\"note skip\">Mon 14 Aug 2023, skipped: on holiday</li>\n"
                        "<li class=\"note checkin\">Wed 20 Dec 2023, checked in: finished &#39;Piranesi&#39;"
                        "</li>\n</ul>\n</section>\n");
        assert_contains(html, "<li class=\"note pause\">Mon 29 May 2023, paused: torn ligament</li>");
        assert_true(offset(html, "<h3>reading</h3>") < offset(html, "<li class=\"note skip\">"));
        assert_true(offset(html, "<li class=\"note pause\">") < offset(html, "<h3>english</h3>"));
        assert_null(strstr(html, "nan"));
        assert_true(strstr(html, "</html>\n") != NULL);
        free(html);
}

static void test_html_escaping(void **state) {
        Story s;
        char *html;

        (void) state;
        story_init(&s);
        s.inputs[READING].name = "<b>&";
        s.goals[0].text = "<b>Tom & Jerry's \"show\"</b>";
        s.tennis_pause.reason = "<i>torn</i>\nligament";
        s.tennis_notes[0].text = s.tennis_pause.reason;
        s.reading_notes[0].text = "<script>alert(1)</script>";
        html = report_render(&s.report, REPORT_HTML);
        assert_non_null(html);
        assert_null(strstr(html, "<b>"));
        assert_null(strstr(html, "<i>"));
        assert_null(strstr(html, "<script"));
        assert_contains(html, "<h3>&lt;b&gt;&amp;</h3>");
        assert_contains(html, "aria-label=\"&lt;b&gt;&amp;: one cell per period\"");
        assert_contains(html, "&lt;b&gt;Tom &amp; Jerry&#39;s &quot;show&quot;&lt;/b&gt;");
        assert_contains(html, "reason: &lt;i&gt;torn&lt;/i&gt; ligament");
        assert_contains(html, "paused: &lt;i&gt;torn&lt;/i&gt; ligament</li>");
        assert_contains(html, "skipped: &lt;script&gt;alert(1)&lt;/script&gt;</li>");
        free(html);
}

/* A daily habit is a weeks x weekdays calendar, Monday on top. */
static void test_html_daily_grid(void **state) {
        HabitPeriod periods[10];
        Lapse lapse = { D(2023, 7, 7), 0, true, 3 };
        HabitInput in = { .name = "stretch", .every = { EVERY_DAY, 1 }, .times = 1, .lapse_after = 3 };
        HabitView h;
        Report r = { D(2023, 6, 30), D(2023, 7, 9), &h, 1, NULL, 0, NULL };
        char *html;

        (void) state;
        /* Fri 30 Jun 2023 to Sun 9 Jul: two week columns, the first one starting Mon 26 Jun. */
        view_init(&h, &in, periods, "MMMMMMMXXX", D(2023, 6, 30));
        h.lapses = &lapse;
        h.n_lapses = 1;
        html = report_render(&r, REPORT_HTML);
        assert_non_null(html);
        assert_int_equal(count(html, "<svg class=\"heatmap\""), 1);
        assert_int_equal(count(html, "</title></rect>"), 10);
        /* Friday is row 4 of column 0; Monday 3 Jul is row 0 of column 1. */
        assert_contains(html, "<rect class=\"cell met\" x=\"30\" y=\"74\" width=\"12\" height=\"12\" rx=\"2\">"
                              "<title>Fri 30 Jun 2023: met");
        assert_contains(html, "<rect class=\"cell met\" x=\"45\" y=\"14\" width=\"12\" height=\"12\" rx=\"2\">"
                              "<title>Mon 3 Jul 2023: met");
        assert_contains(html, "<rect class=\"cell missed in-lapse\" x=\"45\" y=\"104\"");
        assert_contains(html, ">Jul</text>");
        assert_contains(html, ">Mon</text>");
        free(html);
}

static void test_template_comment(void **state) {
        Story s;
        char *text, *line;

        (void) state;
        story_init(&s);
        s.tennis_pause.reason = "torn\nligament";
        text = report_template_comment(&s.report);
        assert_non_null(text);
        for (line = text; *line; line = strchr(line, '\n') + 1) {
                assert_true(line[0] == '#');
                assert_true(line[1] == ' ' || line[1] == '\n');
                assert_non_null(strchr(line, '\n'));
        }
        assert_int_equal(offset(text, "# Lapse report 2023-07-01 - 2023-12-31\n#\n"), 0);
        assert_contains(text, "# weekly-review: lapsed since Mon 21 Aug 2023, 19 weeks missed (ongoing)\n");
        assert_contains(text, "# english: lapsed since Mon 3 Apr 2023, 39 weeks missed (ongoing)\n");
        assert_contains(text, "# tennis: paused since Mon 29 May 2023 (ongoing); reason: torn ligament\n");
        assert_contains(text, "# Held: reading 100%\n");
        assert_contains(text, "# Goals: 3 of 6 achieved, 1 dropped, 2 open\n");
        free(text);
}

static void test_names(void **state) {
        (void) state;
        assert_int_equal(report_format_from_string("text"), REPORT_TEXT);
        assert_int_equal(report_format_from_string("markdown"), REPORT_MARKDOWN);
        assert_int_equal(report_format_from_string("json"), REPORT_JSON);
        assert_int_equal(report_format_from_string("html"), REPORT_HTML);
        assert_int_equal(report_format_from_string("pdf"), -EINVAL);
        assert_int_equal(report_format_from_string(NULL), -EINVAL);
        assert_string_equal(report_format_to_string(REPORT_MARKDOWN), "markdown");
        assert_null(report_format_to_string(_REPORT_FORMAT_MAX));
        assert_string_equal(goal_status_to_string(GOAL_OPEN), "open");
        assert_string_equal(goal_status_to_string(GOAL_ACHIEVED), "achieved");
        assert_string_equal(goal_status_to_string(GOAL_DROPPED), "dropped");
        assert_null(goal_status_to_string((GoalStatus) 7));
        assert_int_equal(goal_status_from_string("dropped"), GOAL_DROPPED);
        assert_int_equal(goal_status_from_string("achieved"), GOAL_ACHIEVED);
        assert_int_equal(goal_status_from_string("open"), GOAL_OPEN);
        assert_int_equal(goal_status_from_string("done"), -EINVAL);
        assert_string_equal(habit_note_kind_to_string(NOTE_CHECKIN), "checkin");
        assert_string_equal(habit_note_kind_to_string(NOTE_SKIP), "skip");
        assert_string_equal(habit_note_kind_to_string(NOTE_PAUSE), "pause");
        assert_null(habit_note_kind_to_string(_NOTE_KIND_MAX));
        assert_null(report_render(NULL, REPORT_TEXT));
        assert_null(report_json(NULL));
        assert_null(report_template_comment(NULL));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_json_weekly_review),
                cmocka_unit_test(test_json_other_habits),
                cmocka_unit_test(test_json_goals),
                cmocka_unit_test(test_json_rounding),
                cmocka_unit_test(test_json_out_of_memory),
                cmocka_unit_test(test_empty_report),
                cmocka_unit_test(test_not_started),
                cmocka_unit_test(test_strip_fates),
                cmocka_unit_test(test_text_order),
                cmocka_unit_test(test_text_wording),
                cmocka_unit_test(test_notes),
                cmocka_unit_test(test_markdown),
                cmocka_unit_test(test_html_structure),
                cmocka_unit_test(test_html_escaping),
                cmocka_unit_test(test_html_daily_grid),
                cmocka_unit_test(test_template_comment),
                cmocka_unit_test(test_names),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
