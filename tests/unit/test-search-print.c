/* Unit tests of printing what someone wrote (client/search-print.c): no
 * escape sequence or other control character gets through, bytes that are
 * not UTF-8 become U+FFFD, search marks land on the right code points
 * however they come, and the width of Korean and of our own bold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "search-print.h"
#include "util.h"

#define FFFD "\xEF\xBF\xBD"
#define BOLD "\033[1m"
#define OFF  "\033[0m"

static void assert_sanitized(const char *in, TextMode mode, const char *want) {
        char *s = text_sanitize(in, mode);
        assert_non_null(s);
        assert_string_equal(s, want);
        free(s);
}

static void assert_marked(const char *passage, const TextMark *marks, size_t n, MarkStyle style, const char *want) {
        char *s = mark_passage(passage, marks, n, style);
        assert_non_null(s);
        assert_string_equal(s, want);
        free(s);
}

static void test_sanitize_plain(void **state) {
        assert_sanitized("", TEXT_ONE_LINE, "");
        assert_sanitized("", TEXT_MULTILINE, "");
        assert_sanitized("ran 5 km, felt good", TEXT_ONE_LINE, "ran 5 km, felt good");
        assert_sanitized("운동을 했다 — 전문가 😀", TEXT_ONE_LINE, "운동을 했다 — 전문가 😀");
        /* Bytes that look like C1 inside a valid sequence are not touched. */
        assert_sanitized("\xC3\x85sa \xE2\x80\x9Cq\xE2\x80\x9D", TEXT_ONE_LINE, "Åsa “q”");
}

static void test_sanitize_escape_sequences(void **state) {
        /* A pasted colour, a title change (OSC ... BEL) and a clear screen:
         * the ESC and BEL go, the harmless rest stays readable. */
        assert_sanitized("\033[31mred\033[0m", TEXT_ONE_LINE, " [31mred [0m");
        assert_sanitized("\033[31mred\033[0m", TEXT_MULTILINE, "[31mred[0m");
        assert_sanitized("a\033]0;pwned\007b", TEXT_ONE_LINE, "a ]0;pwned b");
        assert_sanitized("a\033]0;pwned\007b", TEXT_MULTILINE, "a]0;pwnedb");
        assert_sanitized("\033[2J\033[Hx", TEXT_MULTILINE, "[2J[Hx");
        /* DEL and backspace, which could hide what comes before them. */
        assert_sanitized("abc\b\b\bxyz\x7F", TEXT_ONE_LINE, "abc   xyz ");
        assert_sanitized("abc\b\b\bxyz\x7F", TEXT_MULTILINE, "abcxyz");
}

static void test_sanitize_newlines(void **state) {
        assert_sanitized("line one\nline two\r\n\tindented", TEXT_ONE_LINE, "line one line two   indented");
        assert_sanitized("line one\nline two\r\n\tindented", TEXT_MULTILINE, "line one\nline two\n\tindented");
}

static void test_sanitize_c1(void **state) {
        /* U+009B is CSI on a terminal that reads 8-bit controls, U+0085 NEL:
         * one space each in a line (one code point for one), dropped in text. */
        assert_sanitized("a\xC2\x9B"
                         "31mb\xC2\x85"
                         "c",
                         TEXT_ONE_LINE, "a 31mb c");
        assert_sanitized("a\xC2\x9B"
                         "31mb\xC2\x85"
                         "c",
                         TEXT_MULTILINE, "a31mbc");
        /* U+00A0, just past C1, is text. */
        assert_sanitized("a\xC2\xA0"
                         "b",
                         TEXT_ONE_LINE,
                         "a\xC2\xA0"
                         "b");
}

static void test_sanitize_invalid_utf8(void **state) {
        /* A raw C1 byte, a lone continuation byte, 0xFF. */
        assert_sanitized("a\x9B"
                         "b\x80"
                         "c\xFF",
                         TEXT_ONE_LINE, "a" FFFD "b" FFFD "c" FFFD);
        /* Overlong NUL and overlong '/', a surrogate, past U+10FFFF. */
        assert_sanitized("\xC0\x80|\xC1\xAF|\xED\xA0\x80|\xF4\x90\x80\x80", TEXT_MULTILINE,
                         FFFD FFFD "|" FFFD FFFD "|" FFFD FFFD FFFD "|" FFFD FFFD FFFD FFFD);
        /* Cut short: by the end of the string, and by an ASCII byte. */
        assert_sanitized("ok\xEC\x9A", TEXT_ONE_LINE, "ok" FFFD FFFD);
        assert_sanitized("\xEC\x9A"
                         "x",
                         TEXT_ONE_LINE, FFFD FFFD "x");
        /* An overlong ESC does not become one. */
        assert_sanitized("\xC0\x9B[31m", TEXT_ONE_LINE, FFFD FFFD "[31m");
}

static void test_text_print(void **state) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        assert_non_null(f);
        text_print(f, "x\033[1my", TEXT_ONE_LINE);
        text_print(f, NULL, TEXT_ONE_LINE);
        fputc('|', f);
        text_print_indented(f, "first\n\nthird\033\n\n\n", "    ");
        text_print_indented(f, "", "    ");
        text_print_indented(f, NULL, "    ");
        fputc('|', f);
        text_print_indented(f, "\n", "  ");
        fclose(f);
        assert_string_equal(buf, "x [1my|    first\n\n    third\n|");
        free(buf);
}

static void test_mark_none(void **state) {
        assert_marked("plain text", NULL, 0, MARK_BOLD, "plain text");
        assert_marked("", NULL, 0, MARK_ASTERISKS, "");
        const TextMark m[] = { { 0, 3 } };
        assert_marked("", m, 1, MARK_ASTERISKS, "");
}

static void test_mark_styles(void **state) {
        const TextMark m[] = { { 4, 8 } };
        assert_marked("I am expert now", m, 1, MARK_ASTERISKS, "I am** exp**ert now");
        const TextMark w[] = { { 5, 11 }, { 0, 1 } };
        assert_marked("I am expert now", w, 2, MARK_ASTERISKS, "**I** am **expert** now");
        assert_marked("I am expert now", w, 2, MARK_BOLD, BOLD "I" OFF " am " BOLD "expert" OFF " now");
}

static void test_mark_overlapping_unsorted(void **state) {
        /* Unsorted, overlapping, nested, touching and empty marks: one run
         * each where they meet. */
        const TextMark m[] = { { 6, 9 }, { 0, 2 }, { 1, 4 }, { 2, 3 }, { 4, 5 }, { 7, 8 }, { 10, 10 }, { 12, 11 } };
        assert_marked("abcdefghijklm", m, ELEMENTSOF(m), MARK_ASTERISKS, "**abcde**f**ghi**jklm");
        assert_marked("abcdefghijklm", m, ELEMENTSOF(m), MARK_BOLD, BOLD "abcde" OFF "f" BOLD "ghi" OFF "jklm");
        /* The caller's array is left as it was. */
        assert_int_equal(m[0].start, 6);
        assert_int_equal(m[1].start, 0);
}

static void test_mark_out_of_range(void **state) {
        /* Past the end: cut there; wholly past it: not shown. */
        const TextMark m[] = { { 3, 100 }, { 50, 60 } };
        assert_marked("walking", m, ELEMENTSOF(m), MARK_ASTERISKS, "wal**king**");
        assert_marked("walking", m, ELEMENTSOF(m), MARK_BOLD, "wal" BOLD "king" OFF);
        const TextMark all[] = { { 0, SIZE_MAX } };
        assert_marked("walk", all, 1, MARK_ASTERISKS, "**walk**");
        const TextMark beyond[] = { { 4, 9 } };
        assert_marked("walk", beyond, 1, MARK_BOLD, "walk");
}

static void test_mark_korean(void **state) {
        /* Offsets count code points, not bytes: "운동" is code points 4 and
         * 5 here (bytes 10 to 15). */
        const TextMark m[] = { { 4, 6 } };
        assert_marked("오늘도 운동을 했다", m, 1, MARK_ASTERISKS, "오늘도 **운동**을 했다");
        assert_marked("오늘도 운동을 했다", m, 1, MARK_BOLD, "오늘도 " BOLD "운동" OFF "을 했다");
        /* Mixed with Latin and an emoji (4 bytes, one code point). */
        const TextMark mixed[] = { { 7, 9 }, { 0, 2 } };
        assert_marked("😀 run, 운동 done", mixed, ELEMENTSOF(mixed), MARK_ASTERISKS, "**😀 **run, **운동** done");
}

static void test_mark_sanitizes(void **state) {
        /* Control characters become one space each, so the marks after them
         * still land on their code points; a passage cannot close our bold. */
        const TextMark m[] = { { 8, 11 } };
        assert_marked("a\033[0m\tb run", m, 1, MARK_ASTERISKS, "a [0m b **run**");
        const TextMark c1[] = { { 2, 5 } };
        assert_marked("\xC2\x9B\nrun", c1, 1, MARK_BOLD, "  " BOLD "run" OFF);
        /* An invalid byte is one U+FFFD, one position. */
        const TextMark bad[] = { { 1, 2 } };
        assert_marked("\xFFx", bad, 1, MARK_ASTERISKS, FFFD "**x**");
}

static size_t width(const char *s) {
        return text_width(s, strlen(s));
}

static void test_width(void **state) {
        assert_int_equal(width(""), 0);
        assert_int_equal(width("running"), 7);
        assert_int_equal(width("운동"), 4);
        assert_int_equal(width("오늘도 운동을"), 13);
        assert_int_equal(width("日本語"), 6);
        assert_int_equal(width("ｆｕｌｌ"), 8);
        assert_int_equal(width("Åsa"), 3);
        /* Decomposed: a leading jamo is wide, the vowel and final join it. */
        assert_int_equal(width("\xE1\x84\x8B\xE1\x85\xAE\xE1\x86\xAB"), 2);
        /* e + combining acute. */
        assert_int_equal(width("e\xCC\x81"), 1);
        assert_int_equal(width("😀"), 2);
}

static void test_width_sgr(void **state) {
        assert_int_equal(width(BOLD "run" OFF), 3);
        assert_int_equal(width(BOLD "운동" OFF "을"), 6);
        assert_int_equal(width("\033[1;31mx\033[m"), 1);
        /* What is not SGR counts as it looks: ESC [ 2 J is four columns here
         * (sanitized text never holds one anyway). */
        assert_int_equal(width("\033[2J"), 4);
        /* Only the first @n bytes; an escape cut before its m is not one. */
        assert_int_equal(text_width("ab\033[1m", 2), 2);
        assert_int_equal(text_width("운동", 3), 2);
        assert_int_equal(text_width(BOLD "x", 4), 0);
        assert_int_equal(text_width(BOLD "x", 3), 3);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sanitize_plain),
                cmocka_unit_test(test_sanitize_escape_sequences),
                cmocka_unit_test(test_sanitize_newlines),
                cmocka_unit_test(test_sanitize_c1),
                cmocka_unit_test(test_sanitize_invalid_utf8),
                cmocka_unit_test(test_text_print),
                cmocka_unit_test(test_mark_none),
                cmocka_unit_test(test_mark_styles),
                cmocka_unit_test(test_mark_overlapping_unsorted),
                cmocka_unit_test(test_mark_out_of_range),
                cmocka_unit_test(test_mark_korean),
                cmocka_unit_test(test_mark_sanitizes),
                cmocka_unit_test(test_width),
                cmocka_unit_test(test_width_sgr),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
