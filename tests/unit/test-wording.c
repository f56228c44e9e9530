/* Unit tests of what lookback says outside a report (wording.c): the
 * prompt notification's text and its escaping, the lapse notification,
 * and the notes a review's template shows. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "habit-view.h"
#include "strbuf.h"
#include "util.h"
#include "wording.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))

static void test_escape(void **state) {
        (void) state;
        char *e = markup_escape("<a href=x>&</a> \"q\" 'a' 전문가");
        /* Changed on purpose: the one escaper (strbuf.c) writes ' as &#39;,
         * which HTML 4 and every notification server read, where &apos; is
         * XML's. */
        assert_string_equal(e, "&lt;a href=x&gt;&amp;&lt;/a&gt; &quot;q&quot; &#39;a&#39; 전문가");
        free(e);
        e = markup_escape("");
        assert_string_equal(e, "");
        free(e);
}

static void test_period_names(void **state) {
        (void) state;
        char buf[64];
        Period w33 = { date_from_ymd(2023, 8, 14), date_from_ymd(2023, 8, 20) };
        assert_string_equal(prompt_period_name(REVIEW_WEEKLY, w33, buf, sizeof(buf)), "Week 33, 14-20 Aug");
        Period across = { date_from_ymd(2023, 8, 28), date_from_ymd(2023, 9, 3) };
        assert_string_equal(prompt_period_name(REVIEW_WEEKLY, across, buf, sizeof(buf)), "Week 35, 28 Aug-3 Sep");
        /* A Sunday-start week is numbered by its Thursday too. */
        Period sunday = { date_from_ymd(2023, 8, 13), date_from_ymd(2023, 8, 19) };
        assert_string_equal(prompt_period_name(REVIEW_WEEKLY, sunday, buf, sizeof(buf)), "Week 33, 13-19 Aug");
        Period newyear = { date_from_ymd(2024, 12, 30), date_from_ymd(2025, 1, 5) };
        assert_string_equal(prompt_period_name(REVIEW_WEEKLY, newyear, buf, sizeof(buf)), "Week 1, 30 Dec-5 Jan");
        Period h1 = period_halfyear(date_from_ymd(2023, 3, 1));
        assert_string_equal(prompt_period_name(REVIEW_HALFYEAR, h1, buf, sizeof(buf)), "January-June 2023");
        Period h2 = period_halfyear(date_from_ymd(2023, 12, 31));
        assert_string_equal(prompt_period_name(REVIEW_HALFYEAR, h2, buf, sizeof(buf)), "July-December 2023");
}

static void test_labels(void **state) {
        (void) state;
        assert_string_equal(prompt_summary(REVIEW_WEEKLY), "Weekly review");
        assert_string_equal(prompt_summary(REVIEW_HALFYEAR), "Half-year review");
        assert_string_equal(prompt_skip_label(REVIEW_WEEKLY), "Skip this week");
        assert_string_equal(prompt_skip_label(REVIEW_HALFYEAR), "Skip this half");
}

static void test_body(void **state) {
        (void) state;
        char *questions[] = { "What went <b>well</b> & why?", "Next?" };
        Period w33 = { date_from_ymd(2023, 8, 14), date_from_ymd(2023, 8, 20) };
        char *b = prompt_body(REVIEW_WEEKLY, w33, questions, 2, 1, true, NULL);
        assert_string_equal(b, "Week 33, 14-20 Aug · 2 questions\nWhat went &lt;b&gt;well&lt;/b&gt; &amp; why?");
        free(b);

        b = prompt_body(REVIEW_WEEKLY, w33, questions, 2, 2, false, NULL);
        assert_non_null(strstr(b, "Catch-up: 2 weekly prompts were missed"));
        assert_non_null(strstr(b, "\nrun: lookback answer weekly"));
        free(b);

        b = prompt_body(REVIEW_HALFYEAR, period_halfyear(date_from_ymd(2023, 1, 1)), questions, 1, 1, true, NULL);
        assert_string_equal(b, "January-June 2023 · 1 question\nWhat went &lt;b&gt;well&lt;/b&gt; &amp; why?");
        free(b);

        b = prompt_body(REVIEW_HALFYEAR, period_halfyear(date_from_ymd(2023, 1, 1)), questions, 0, 1, true,
                        "/home/a&b/reports/2023-H1.html");
        assert_string_equal(b, "January-June 2023 · 0 questions\nReport: /home/a&amp;b/reports/2023-H1.html");
        free(b);
}

/* A huge question is cut, never inside a UTF-8 sequence or an entity. */
static void test_body_limit(void **state) {
        (void) state;
        size_t n = 3000;
        char *q = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
                q[i] = "&\xea\xb0\x80"[i % 4]; /* '&' then the three bytes of '가' */
        q[n] = '\0';
        char *questions[] = { q };
        Period w = period_week(date_from_ymd(2026, 11, 28), WEEK_START_MONDAY);
        char *b = prompt_body(REVIEW_WEEKLY, w, questions, 1, 1, true, NULL);
        size_t len = strlen(b);
        assert_true(len < PROMPT_BODY_MAX);
        assert_true(len > PROMPT_BODY_MAX - 10);
        /* Ends on a whole entity or a whole character. */
        assert_true(b[len - 1] == ';' || (unsigned char) b[len - 1] == 0x80);
        free(b);
        free(q);
}

static HabitInput habit(const char *name, HabitKind kind, Every every, unsigned lapse_after, day_t since) {
        return (HabitInput){
                .name = name,
                .kind = kind,
                .every = every,
                .times = 1,
                .lapse_after = lapse_after,
                .has_since = true,
                .since = since,
                .week_start = WEEK_START_MONDAY,
        };
}

/* wording_lapse() of @in's live view on @today; both strings freed by the caller. */
static int lapse_of(const HabitInput *in, day_t today, char **summary, char **body) {
        HabitView v;
        int r;

        assert_int_equal(habit_view_live(in, today, &v), 0);
        r = wording_lapse(&v, summary, body);
        habit_view_done(&v);
        return r;
}

/* The lapse notification, now worded from the habit's view: the body
 * names the habit in the command to run (changed on purpose: the old
 * lapse_notification() said what to run without the name). */
static void test_lapse(void **state) {
        (void) state;
        HabitEvent checkins[] = { { D(2023, 8, 20), NULL } };
        HabitInput in = habit("gym", HABIT_PLAIN, (Every){ EVERY_WEEK, 1 }, 2, D(2023, 8, 14));
        char *summary, *body;

        in.checkins = checkins;
        in.n_checkins = ELEMENTSOF(checkins);
        /* Two weeks missed since Sunday 20 August; this week is open. */
        assert_int_equal(lapse_of(&in, D(2023, 9, 4), &summary, &body), 0);
        assert_string_equal(summary, "gym has lapsed");
        assert_string_equal(body, "No check-in since Sun 20 Aug, 2 weeks missed.\n"
                                  "Pick it up again: lookback done gym\n"
                                  "or pause it with a reason: lookback pause gym");
        free(summary);
        free(body);

        /* Not lapsed yet (one week missed): nothing to announce. */
        summary = body = (char *) "unset";
        assert_int_equal(lapse_of(&in, D(2023, 8, 28), &summary, &body), -EINVAL);
        assert_null(summary);
        assert_null(body);

        /* Never checked in, every 3 days. */
        in = habit("stretch", HABIT_PLAIN, (Every){ EVERY_DAY, 3 }, 2, D(2023, 8, 1));
        assert_int_equal(lapse_of(&in, D(2023, 8, 8), &summary, &body), 0);
        assert_string_equal(body, "No check-in yet, 2 periods of 3 days missed.\n"
                                  "Pick it up again: lookback done stretch\n"
                                  "or pause it with a reason: lookback pause stretch");
        free(summary);
        free(body);

        in = habit("piano", HABIT_PLAIN, (Every){ EVERY_MONTH, 1 }, 1, D(2023, 1, 1));
        assert_int_equal(lapse_of(&in, D(2023, 2, 10), &summary, &body), 0);
        assert_non_null(strstr(body, "No check-in yet, 1 month missed.\n"));
        free(summary);
        free(body);
}

/* A review's lapse asks for the review itself. */
static void test_lapse_review(void **state) {
        (void) state;
        HabitEvent answers[] = { { D(2023, 8, 14), NULL } };
        HabitInput in = habit("weekly-review", HABIT_WEEKLY_REVIEW, (Every){ EVERY_WEEK, 1 }, 2, D(2023, 8, 14));
        char *summary, *body;

        in.checkins = answers;
        in.n_checkins = ELEMENTSOF(answers);
        assert_int_equal(lapse_of(&in, D(2023, 9, 4), &summary, &body), 0);
        assert_string_equal(summary, "weekly-review has lapsed");
        assert_string_equal(body,
                            "No check-in since Mon 14 Aug, 2 weeks missed.\nWrite one now: lookback answer weekly");
        free(summary);
        free(body);

        in = habit("halfyear-review", HABIT_HALFYEAR_REVIEW, (Every){ EVERY_MONTH, 6 }, 1, D(2023, 3, 15));
        assert_int_equal(lapse_of(&in, D(2023, 7, 10), &summary, &body), 0);
        assert_string_equal(summary, "halfyear-review has lapsed");
        assert_string_equal(body, "No check-in yet, 1 half-year missed.\nWrite one now: lookback answer halfyear");
        free(summary);
        free(body);
}

/* The weekly template's notes: the habits at risk or lapsed, nothing else. */
static void test_slipping(void **state) {
        (void) state;
        HabitEvent gym_checkins[] = { { D(2023, 8, 20), NULL } };
        HabitEvent piano_checkins[] = { { D(2023, 8, 16), NULL }, { D(2023, 8, 23), NULL } };
        HabitInput inputs[] = {
                habit("gym", HABIT_PLAIN, (Every){ EVERY_WEEK, 1 }, 2, D(2023, 8, 14)),
                habit("piano", HABIT_PLAIN, (Every){ EVERY_WEEK, 1 }, 2, D(2023, 8, 14)),
                habit("walk", HABIT_PLAIN, (Every){ EVERY_WEEK, 1 }, 2, D(2023, 8, 14)),
        };
        HabitView views[ELEMENTSOF(inputs)];
        day_t today = D(2023, 9, 4);
        StrBuf b = {};
        char *text;

        inputs[0].checkins = gym_checkins;
        inputs[0].n_checkins = ELEMENTSOF(gym_checkins);
        inputs[1].checkins = piano_checkins;
        inputs[1].n_checkins = ELEMENTSOF(piano_checkins);
        inputs[2].has_since = false; /* not started: new */
        for (size_t i = 0; i < ELEMENTSOF(inputs); i++)
                assert_int_equal(habit_view_live(&inputs[i], today, &views[i]), 0);
        assert_int_equal(views[0].status, HABIT_LAPSED);
        assert_int_equal(views[1].status, HABIT_AT_RISK);
        assert_int_equal(views[2].status, HABIT_NEW);
        wording_slipping(&b, views, ELEMENTSOF(views));
        text = strbuf_finish(&b);
        assert_string_equal(text, "Slipping habits:\n"
                                  "  gym: lapsed since 2023-08-21 (last check-in 2023-08-20)\n"
                                  "  piano: at risk, last period missed (last check-in 2023-08-23)\n");
        free(text);
        /* None slipping: not even the heading. */
        wording_slipping(&b, views + 2, 1);
        text = strbuf_finish(&b);
        assert_string_equal(text, "");
        free(text);
        for (size_t i = 0; i < ELEMENTSOF(views); i++)
                habit_view_done(&views[i]);
}

static void test_previous_answers(void **state) {
        (void) state;
        TemplateEntry entries[] = {
                { (char *) "What went well?", (char *) "The reading.\nMost of it." },
                { (char *) "What next?", (char *) "Tennis again" },
        };
        StrBuf b = {};
        char *text;

        wording_previous_answers(&b, "2023-H1 (Jan - Jun)", entries, ELEMENTSOF(entries));
        text = strbuf_finish(&b);
        assert_string_equal(text, "\nSix months ago, for 2023-H1 (Jan - Jun), you wrote:\n"
                                  "  What went well?\n"
                                  "    > The reading.\n"
                                  "    > Most of it.\n"
                                  "  What next?\n"
                                  "    > Tennis again\n");
        free(text);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_escape),           cmocka_unit_test(test_period_names),
                cmocka_unit_test(test_labels),           cmocka_unit_test(test_body),
                cmocka_unit_test(test_body_limit),       cmocka_unit_test(test_lapse),
                cmocka_unit_test(test_lapse_review),     cmocka_unit_test(test_slipping),
                cmocka_unit_test(test_previous_answers),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
