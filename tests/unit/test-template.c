/* Unit tests for common/template.c: rendering and reading back answers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "template.h"

static char *const questions[] = { "What went well?", "What did not?", "What next?" };
#define N_QUESTIONS (sizeof(questions) / sizeof(questions[0]))

static void assert_entry(const TemplateAnswers *a, size_t i, const char *question, const char *answer) {
        assert_true(i < a->n_entries);
        assert_string_equal(a->entries[i].question, question);
        assert_string_equal(a->entries[i].answer, answer);
}

/* Parses @text against the standard questions, expecting success. */
static TemplateAnswers parse_ok(const char *text) {
        TemplateAnswers a = {};

        assert_int_equal(template_parse(text, questions, N_QUESTIONS, &a), 0);
        assert_non_null(a.entries);
        return a;
}

static void assert_parse_fails(const char *text, int error) {
        TemplateAnswers a = { .n_entries = 99 };

        assert_int_equal(template_parse(text, questions, N_QUESTIONS, &a), error);
        assert_null(a.entries);
        assert_int_equal(a.n_entries, 0);
}

static void test_render(void **state) {
        (void) state;
        char *s = template_render("weekly review 2023-W33", questions, 2);

        assert_non_null(s);
        assert_string_equal(s, "# lookback: weekly review 2023-W33\n"
                               "# Write under each question. Lines starting with '#' are ignored.\n"
                               "# An empty file aborts: nothing is recorded.\n"
                               "\n"
                               "## What went well?\n"
                               "\n"
                               "## What did not?\n"
                               "\n");
        free(s);

        s = template_render("t", NULL, 0);
        assert_non_null(s);
        assert_string_equal(s, "# lookback: t\n"
                               "# Write under each question. Lines starting with '#' are ignored.\n"
                               "# An empty file aborts: nothing is recorded.\n"
                               "\n");
        free(s);
}

/* The untouched template is "aborted"; filling it in gives the answers back. */
static void test_render_round_trip(void **state) {
        (void) state;
        char *s = template_render("weekly", questions, N_QUESTIONS);
        TemplateAnswers a = {};
        char filled[1024];

        assert_non_null(s);
        assert_parse_fails(s, -ENODATA);
        free(s);

        snprintf(filled, sizeof(filled),
                 "# lookback: weekly\n"
                 "# Write under each question. Lines starting with '#' are ignored.\n"
                 "# An empty file aborts: nothing is recorded.\n"
                 "\n"
                 "## %s\n"
                 "Finished the book.\n"
                 "\n"
                 "## %s\n"
                 "\n"
                 "## %s\n"
                 "Tennis on Friday.\n"
                 "  - and English.\n"
                 "\n",
                 questions[0], questions[1], questions[2]);
        a = parse_ok(filled);
        assert_int_equal(a.n_entries, 2);
        assert_entry(&a, 0, "What went well?", "Finished the book.");
        assert_entry(&a, 1, "What next?", "Tennis on Friday.\n  - and English.");
        template_answers_done(&a);
        assert_null(a.entries);
        assert_int_equal(a.n_entries, 0);
}

static void test_trimming(void **state) {
        (void) state;
        TemplateAnswers a = parse_ok("## What went well?\n"
                                     "\n"
                                     "   \n"
                                     "    indented first line\n"
                                     "\n"
                                     "\n"
                                     "second paragraph   \t\n"
                                     "# a comment in the middle\n"
                                     "last line  \n"
                                     "\n"
                                     "  \t \n");

        assert_int_equal(a.n_entries, 1);
        assert_entry(&a, 0, "What went well?", "    indented first line\n\n\nsecond paragraph   \t\nlast line");
        template_answers_done(&a);
}

static void test_heading_forms(void **state) {
        (void) state;
        TemplateAnswers a = parse_ok("##    What did not?   \n"
                                     "nothing\n"
                                     "##\n"
                                     "## \t \n"
                                     "still the same answer\n"
                                     " ## not a heading, indented\n"
                                     "##not a heading either\n"
                                     "### nor this\n");

        assert_int_equal(a.n_entries, 1);
        assert_entry(&a, 0, "What did not?", "nothing\nstill the same answer\n ## not a heading, indented");
        template_answers_done(&a);
}

static void test_preamble(void **state) {
        (void) state;
        TemplateAnswers a = parse_ok("A good week overall.\n"
                                     "## What next?\n"
                                     "Rest.\n");

        assert_int_equal(a.n_entries, 2);
        assert_entry(&a, 0, "What went well?", "A good week overall.");
        assert_entry(&a, 1, "What next?", "Rest.");
        template_answers_done(&a);

        /* Only a preamble: plain `git commit` style. */
        a = parse_ok("\n\nJust this.\n\n");
        assert_int_equal(a.n_entries, 1);
        assert_entry(&a, 0, "What went well?", "Just this.");
        template_answers_done(&a);
}

static void test_preamble_joins_first_heading(void **state) {
        (void) state;
        TemplateAnswers a = parse_ok("# lookback: weekly\n"
                                     "Above the heading.\n"
                                     "## What did not?\n"
                                     "Sleep.\n"
                                     "## What went well?\n"
                                     "Below the heading.\n"
                                     "## What went well?\n"
                                     "Again, separately.\n");

        assert_int_equal(a.n_entries, 3);
        assert_entry(&a, 0, "What went well?", "Above the heading.\n\nBelow the heading.");
        assert_entry(&a, 1, "What did not?", "Sleep.");
        assert_entry(&a, 2, "What went well?", "Again, separately.");
        template_answers_done(&a);

        /* An empty first heading does not use up the join. */
        a = parse_ok("Above.\n## What went well?\n\n## What went well?\nBelow.\n");
        assert_int_equal(a.n_entries, 1);
        assert_entry(&a, 0, "What went well?", "Above.\n\nBelow.");
        template_answers_done(&a);
}

static void test_unknown_heading_kept(void **state) {
        (void) state;
        TemplateAnswers a = parse_ok("## What went well?\n"
                                     "Cooking.\n"
                                     "## Something I want to remember\n"
                                     "The trip.\n"
                                     "## Empty unknown\n"
                                     "\n");

        assert_int_equal(a.n_entries, 2);
        assert_entry(&a, 0, "What went well?", "Cooking.");
        assert_entry(&a, 1, "Something I want to remember", "The trip.");
        template_answers_done(&a);
}

static void test_duplicates_and_order(void **state) {
        (void) state;
        TemplateAnswers a = parse_ok("## What next?\nc\n## What did not?\nb\n## What next?\nd\n");

        assert_int_equal(a.n_entries, 3);
        assert_entry(&a, 0, "What next?", "c");
        assert_entry(&a, 1, "What did not?", "b");
        assert_entry(&a, 2, "What next?", "d");
        template_answers_done(&a);
}

static void test_crlf_and_no_final_newline(void **state) {
        (void) state;
        TemplateAnswers a = parse_ok("# comment\r\n"
                                     "## What went well?\r\n"
                                     "\r\n"
                                     "line one\r\n"
                                     "\r\n"
                                     "line two\r\n"
                                     "## What next?\r\n"
                                     "no newline at the end");

        assert_int_equal(a.n_entries, 2);
        assert_entry(&a, 0, "What went well?", "line one\n\nline two");
        assert_entry(&a, 1, "What next?", "no newline at the end");
        template_answers_done(&a);
}

static void test_empty(void **state) {
        (void) state;

        assert_parse_fails("", -ENODATA);
        assert_parse_fails("\n\n   \n\t\n", -ENODATA);
        assert_parse_fails("\r\n\r\n", -ENODATA);
        assert_parse_fails("## What went well?\n\n## What next?\n   \n", -ENODATA);
        assert_parse_fails("## What went well?", -ENODATA);
}

static void test_only_comments(void **state) {
        (void) state;

        assert_parse_fails("# lookback: weekly\n# one\n#two\n##\n### three\n", -ENODATA);
        assert_parse_fails("# lookback: weekly\n## What went well?\n# only a comment under it\n", -ENODATA);
}

static void test_too_big(void **state) {
        (void) state;
        char *text = malloc(TEMPLATE_TEXT_MAX + 2);

        assert_non_null(text);
        memset(text, 'a', TEMPLATE_TEXT_MAX + 1);
        text[TEMPLATE_TEXT_MAX + 1] = '\0';
        assert_parse_fails(text, -E2BIG);

        /* Exactly at the limit is fine. */
        text[TEMPLATE_TEXT_MAX] = '\0';
        TemplateAnswers a = parse_ok(text);
        assert_int_equal(a.n_entries, 1);
        assert_int_equal(strlen(a.entries[0].answer), TEMPLATE_TEXT_MAX);
        template_answers_done(&a);
        free(text);
}

/* Writes @n headings, each with text. */
static char *many_headings(size_t n) {
        size_t size = n * 32 + 1, len = 0;
        char *text = malloc(size);

        assert_non_null(text);
        text[0] = '\0';
        for (size_t i = 0; i < n; i++)
                len += (size_t) snprintf(text + len, size - len, "## Q%zu\nanswer %zu\n", i, i);
        return text;
}

static void test_too_many_entries(void **state) {
        (void) state;
        char *text = many_headings(TEMPLATE_ENTRIES_MAX);
        TemplateAnswers a = parse_ok(text);

        assert_int_equal(a.n_entries, TEMPLATE_ENTRIES_MAX);
        assert_entry(&a, TEMPLATE_ENTRIES_MAX - 1, "Q63", "answer 63");
        template_answers_done(&a);
        free(text);

        text = many_headings(TEMPLATE_ENTRIES_MAX + 1);
        assert_parse_fails(text, -E2BIG);
        free(text);

        /* Empty headings are not entries, so they do not count. */
        size_t n = TEMPLATE_ENTRIES_MAX * 4;
        text = malloc(n * 8 + 32);
        assert_non_null(text);
        text[0] = '\0';
        for (size_t i = 0; i < n; i++)
                strcat(text, "## Q\n\n");
        strcat(text, "## Q\nlast\n");
        a = parse_ok(text);
        assert_int_equal(a.n_entries, 1);
        template_answers_done(&a);
        free(text);
}

static void test_korean(void **state) {
        (void) state;
        char *const ko[] = { "이번 주에 잘한 일은?", "다음 주 계획" };
        const char *text = "## 이번 주에 잘한 일은?\n"
                           "테니스를 쳤다. English study too.\n"
                           "\n"
                           "  요리를 했다 🍳\n"
                           "## 다음 주 계획 \n"
                           "바텐더 자격증\u3000\n";
        /* Byte-exact, NUL included. */
        static const char answer0[] = "테니스를 쳤다. English study too.\n\n  요리를 했다 🍳";
        TemplateAnswers a = {};

        assert_int_equal(template_parse(text, ko, 2, &a), 0);
        assert_int_equal(a.n_entries, 2);
        assert_memory_equal(a.entries[0].question, ko[0], strlen(ko[0]) + 1);
        assert_memory_equal(a.entries[0].answer, answer0, sizeof(answer0));
        assert_string_equal(a.entries[1].question, "다음 주 계획");
        /* U+3000 (ideographic space) is not ASCII whitespace: kept. */
        assert_string_equal(a.entries[1].answer, "바텐더 자격증\u3000");
        template_answers_done(&a);

        /* Preamble in Korean goes to the first question. */
        assert_int_equal(template_parse("한 주를 돌아보며\n", ko, 2, &a), 0);
        assert_entry(&a, 0, "이번 주에 잘한 일은?", "한 주를 돌아보며");
        template_answers_done(&a);
}

static void test_no_questions(void **state) {
        (void) state;
        TemplateAnswers a = {};

        assert_int_equal(template_parse("free text\n## Own heading\nmore\n", NULL, 0, &a), 0);
        assert_int_equal(a.n_entries, 2);
        assert_entry(&a, 0, "", "free text");
        assert_entry(&a, 1, "Own heading", "more");
        template_answers_done(&a);

        assert_int_equal(template_parse("# nothing\n", NULL, 0, &a), -ENODATA);
        assert_null(a.entries);
}

static void test_done_twice(void **state) {
        (void) state;
        TemplateAnswers a = parse_ok("x");

        template_answers_done(&a);
        template_answers_done(&a);
        template_answers_done(NULL);
        assert_null(a.entries);
}

/* Cheap stand-in for the fuzzer: random bytes from an alphabet full of
 * template syntax must never crash (ASan/UBSan watch) and must keep the
 * invariants: either success with non-empty answers, or a clean error. */
static void test_random_inputs(void **state) {
        (void) state;
        static const char alphabet[] = "## \n\r\t#a\xea\xb0\x80 \n";
        char text[200];
        uint32_t seed = 12345;

        for (int round = 0; round < 20000; round++) {
                size_t len = 0, max;
                TemplateAnswers a = {};
                int r;

                seed = seed * 1103515245 + 12345;
                max = (seed >> 16) % (sizeof(text) - 1);
                for (; len < max; len++) {
                        seed = seed * 1103515245 + 12345;
                        text[len] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
                }
                text[len] = '\0';

                r = template_parse(text, questions, round % 4 == 0 ? 0 : N_QUESTIONS, &a);
                if (r < 0) {
                        assert_true(r == -ENODATA || r == -E2BIG);
                        assert_null(a.entries);
                        continue;
                }
                assert_true(a.n_entries > 0 && a.n_entries <= TEMPLATE_ENTRIES_MAX);
                for (size_t i = 0; i < a.n_entries; i++)
                        assert_true(a.entries[i].answer[0] != '\0');
                template_answers_done(&a);
        }
}

static void test_render_full(void **state) {
        char *qs[] = { "Q1?" };
        char *t = template_render_full("weekly review for X", "reading: at risk\n\n# already a comment", qs, 1,
                                       "## Extra\n\n");
        assert_non_null(t);
        assert_non_null(strstr(t, "\n# reading: at risk\n#\n# already a comment\n\n## Q1?\n\n## Extra\n\n"));
        /* Notes are comments: reading the template back yields nothing. */
        TemplateAnswers a = {};
        assert_int_equal(template_parse(t, qs, 1, &a), -ENODATA);
        free(t);
}

static void test_goals(void **state) {
        TemplateGoal goals[] = { { "3f2a9c1b-0000-4000-8000-000000000000", "Get a bartending licence" },
                                 { "77d1e0aa-0000-4000-8000-000000000000", "Read <b>12</b> books\nsecond line" } };
        char *section = template_goals_section(goals, 2);
        assert_string_equal(section, "## " TEMPLATE_GOALS_HEADING "\n[open] 3f2a9c1b Get a bartending licence\n"
                                     "[open] 77d1e0aa Read <b>12</b> books\n\n");
        free(section);
        section = template_goals_section(NULL, 0);
        assert_string_equal(section, "");
        free(section);

        TemplateGoalMark *marks;
        size_t n, bad = 0;
        assert_int_equal(template_goal_marks("[achieved] 3f2a9c1b Get a licence\n  [Dropped] 77d1e0aa x\n"
                                             "[open] 1234abcd y\nsome words [achieved] in a sentence\n",
                                             &marks, &n, &bad),
                         0);
        assert_int_equal(n, 3);
        assert_string_equal(marks[0].id, "3f2a9c1b");
        assert_string_equal(marks[0].status, "achieved");
        assert_string_equal(marks[1].status, "dropped");
        assert_string_equal(marks[2].status, "open");
        free(marks);
        assert_int_equal(template_goal_marks("[open] 3f2a9c1b a\n[done] 77d1e0aa b\n", &marks, &n, &bad), -EINVAL);
        assert_int_equal(bad, 2);
        assert_int_equal(template_goal_marks("nothing here", &marks, &n, &bad), 0);
        assert_int_equal(n, 0);
        assert_null(marks);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_render),
                cmocka_unit_test(test_render_round_trip),
                cmocka_unit_test(test_trimming),
                cmocka_unit_test(test_heading_forms),
                cmocka_unit_test(test_preamble),
                cmocka_unit_test(test_preamble_joins_first_heading),
                cmocka_unit_test(test_unknown_heading_kept),
                cmocka_unit_test(test_duplicates_and_order),
                cmocka_unit_test(test_crlf_and_no_final_newline),
                cmocka_unit_test(test_empty),
                cmocka_unit_test(test_only_comments),
                cmocka_unit_test(test_too_big),
                cmocka_unit_test(test_too_many_entries),
                cmocka_unit_test(test_korean),
                cmocka_unit_test(test_no_questions),
                cmocka_unit_test(test_done_twice),
                cmocka_unit_test(test_random_inputs),
                cmocka_unit_test(test_render_full),
                cmocka_unit_test(test_goals),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
