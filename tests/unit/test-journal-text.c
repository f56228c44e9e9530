/* The journal's words: the tokenizer (Korean bigrams, folding, NFD),
 * queries built from what was typed, marks, passages, and themes. */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "search-text.h"
#include "themes.h"
#include "tokenize.h"

typedef struct {
        char out[1024];
} Collected;

static int collect(const Token *t, void *userdata) {
        Collected *c = userdata;
        size_t n = strlen(c->out);
        snprintf(c->out + n, sizeof c->out - n, "%s%.*s", n ? (t->colocated ? "+" : " ") : "", (int) t->size, t->text);
        return 0;
}

static const char *tokens(const char *text, TokenizeMode mode) {
        static Collected c;
        memset(&c, 0, sizeof c);
        assert_int_equal(tokenize(text, strlen(text), mode, collect, &c), 0);
        return c.out;
}

static void test_korean_bigrams(void **state) {
        assert_string_equal(tokens("전문가인가", TOKENIZE_DOCUMENT), "전문+전 문가+문 가인+가 인가+인 가");
        assert_string_equal(tokens("전문가인가", TOKENIZE_QUERY), "전문 문가 가인 인가");
        assert_string_equal(tokens("전문가인가", TOKENIZE_WORDS), "전문가인가");
        /* A run of one character is that character, in a query too. */
        assert_string_equal(tokens("책", TOKENIZE_QUERY), "책");
        assert_string_equal(tokens("책을 읽다", TOKENIZE_DOCUMENT), "책을+책 을 읽다+읽 다");
}

static void test_latin_folding_and_mixed_script(void **state) {
        assert_string_equal(tokens("Café NAÏVE Straße ｆｕｌｌ", TOKENIZE_DOCUMENT), "cafe naive strasse full");
        assert_string_equal(tokens("SQLite를 썼다", TOKENIZE_QUERY), "sqlite 를 썼다");
        assert_string_equal(tokens("don't-stop, 2023!", TOKENIZE_DOCUMENT), "don t stop 2023");
        /* NFD Hangul (jamo) and NFD Latin read as NFC. */
        assert_string_equal(tokens("\xe1\x84\x8b\xe1\x85\xae\xe1\x86\xab\xe1\x84\x83\xe1\x85\xa9\xe1\x86\xbc e\xcc\x81t"
                                   "e\xcc\x81",
                                   TOKENIZE_QUERY),
                            "운동 ete");
        /* Invalid UTF-8 separates words and never crashes. */
        assert_string_equal(tokens("ab\xff\xfe"
                                   "cd",
                                   TOKENIZE_DOCUMENT),
                            "ab cd");
}

static int grab(const Token *t, void *u) {
        *(Token *) u = *t;
        return 0;
}

static void test_offsets_are_original_bytes(void **state) {
        const char *nfd = "e\xcc\x81x 운";
        Token last = {};
        assert_int_equal(tokenize(nfd, strlen(nfd), TOKENIZE_DOCUMENT, grab, &last), 0);
        assert_int_equal(last.start, 5);
        assert_int_equal(last.end, 8);
}

static void test_query_build(void **state) {
        char *expr;
        const char *reason;
        SearchTerms terms = {};
        assert_int_equal(search_query_build("  전문가 \"exp AND ", &expr, &terms, &reason), 0);
        assert_string_equal(expr, "\"전문가\"* \"\"\"exp\"* \"AND\"*");
        assert_int_equal(terms.n, 4); /* 전문, 문가, exp, and */
        assert_false(terms.items[0].prefix);
        assert_true(terms.items[2].prefix);
        free(expr);
        search_terms_done(&terms);
        assert_int_equal(search_query_build(" ... !!! ", &expr, NULL, &reason), -EINVAL);
        assert_null(expr);
        assert_non_null(reason);
        char *big = malloc(SEARCH_QUERY_MAX + 2);
        memset(big, 'x', SEARCH_QUERY_MAX + 1);
        big[SEARCH_QUERY_MAX + 1] = 0;
        assert_int_equal(search_query_build(big, &expr, NULL, &reason), -E2BIG);
        free(big);
}

static void test_marks_and_passage(void **state) {
        char *expr, *passage;
        const char *reason;
        SearchTerms terms = {};
        SearchMarks marks, pm;
        assert_int_equal(search_query_build("전문가 exp", &expr, &terms, &reason), 0);
        free(expr);
        const char *text = "나는 전문가인가? Expertise takes time.";
        assert_int_equal(search_marks(text, &terms, &marks), 0);
        assert_int_equal(marks.n, 2);
        assert_int_equal(marks.items[0].start, 3); /* code points */
        assert_int_equal(marks.items[0].end, 6);
        assert_int_equal(marks.items[1].start, 10);
        assert_int_equal(marks.items[1].end, 19);
        assert_int_equal(search_passage(text, &marks, &passage, &pm), 0);
        assert_string_equal(passage, text);
        assert_int_equal(pm.n, 2);
        free(passage);
        search_marks_done(&pm);
        search_marks_done(&marks);

        /* A match deep in a long text: cut at spaces, "…" both ends, controls as spaces. */
        char longtext[2000] = "";
        for (int i = 0; i < 40; i++)
                strcat(longtext, "word\tfill ");
        strcat(longtext, "expert ");
        for (int i = 0; i < 40; i++)
                strcat(longtext, "more text ");
        assert_int_equal(search_marks(longtext, &terms, &marks), 0);
        assert_int_equal(marks.n, 1);
        assert_int_equal(search_passage(longtext, &marks, &passage, &pm), 0);
        assert_true(strncmp(passage, "…", 3) == 0);
        assert_true(strcmp(passage + strlen(passage) - 3, "…") == 0);
        assert_null(strchr(passage, '\t'));
        assert_int_equal(pm.n, 1);
        assert_int_equal(pm.items[0].end - pm.items[0].start, 6);
        free(passage);
        search_marks_done(&pm);
        search_marks_done(&marks);
        search_terms_done(&terms);
}

static void test_hangul_stems(void **state) {
        static const struct {
                const char *word, *stem;
        } cases[] = {
                { "전문가인가", "전문가" }, { "전문가를", "전문가" }, { "전문가가", "전문가" }, { "전문가", "전문가" },
                { "운동을", "운동" },       { "운동했다", "운동" },   { "운동", "운동" },       { "학교에서", "학교" },
                { "사과", "사과" },         { "나는", "나는" },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                char buf[64];
                size_t n = themes_hangul_stem(cases[i].word, strlen(cases[i].word), buf, sizeof buf);
                buf[n] = 0;
                assert_string_equal(buf, cases[i].stem);
        }
}

static void test_themes(void **state) {
        ThemeDoc docs[100];
        char texts[100][200];
        for (int i = 0; i < 100; i++) {
                int year = 2015 + i / 10;
                snprintf(texts[i], sizeof texts[i], "Work was busy, the family fine. 운동을 했다.%s",
                         i == 5    ? " 나는 전문가인가? A tiny expert."
                         : i == 37 ? " 전문가를 만나다. Expert advice."
                         : i == 81 ? " 전문가가 되고 싶다, an expert."
                         : i == 82 ? " Expert again."
                                   : "");
                docs[i] = (ThemeDoc){ date_from_ymd(year, 1 + i % 10, 1), texts[i] };
        }
        ThemeList t;
        assert_int_equal(themes_find(docs, 100, &t), 0);
        assert_int_equal(t.n, 2);
        assert_string_equal(t.items[0].term, "expert"); /* 4 answers beat 3 in the same 3 years */
        assert_int_equal(t.items[0].count, 4);
        assert_string_equal(t.items[1].term, "전문가");
        assert_int_equal(t.items[1].n_years, 3);
        assert_int_equal(t.items[1].years[0], 2023);
        assert_int_equal(t.items[1].years[2], 2015);
        assert_int_equal(t.items[1].n_days, 3);
        assert_true(t.items[1].days[0] < t.items[1].days[2]);
        themes_done(&t);
        /* The same three mentions in only 50 answers are 6%: too common. */
        assert_int_equal(themes_find(docs + 5, 50, &t), 0);
        assert_int_equal(t.n, 0);
        themes_done(&t);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_korean_bigrams),
                cmocka_unit_test(test_latin_folding_and_mixed_script),
                cmocka_unit_test(test_offsets_are_original_bytes),
                cmocka_unit_test(test_query_build),
                cmocka_unit_test(test_marks_and_passage),
                cmocka_unit_test(test_hangul_stems),
                cmocka_unit_test(test_themes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
