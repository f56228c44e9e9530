/* Unit tests of the prompt notification's text: escaping and wording. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prompt-text.h"

static void test_escape(void **state) {
        char *e = markup_escape("<a href=x>&</a> \"q\" 'a' 전문가");
        assert_string_equal(e, "&lt;a href=x&gt;&amp;&lt;/a&gt; &quot;q&quot; &apos;a&apos; 전문가");
        free(e);
        e = markup_escape("");
        assert_string_equal(e, "");
        free(e);
}

static void test_period_names(void **state) {
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

static void test_body(void **state) {
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

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_escape),
                cmocka_unit_test(test_period_names),
                cmocka_unit_test(test_body),
                cmocka_unit_test(test_body_limit),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
