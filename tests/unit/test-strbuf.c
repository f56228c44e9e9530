/* Unit tests of the growable string and the one markup escaper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

static void test_append_and_finish(void **state) {
        StrBuf b = {};
        strbuf_puts(&b, "week ");
        strbuf_printf(&b, "%d of %s", 33, "2023");
        strbuf_add(&b, "!?", 1);
        char *s = strbuf_finish(&b);
        assert_string_equal(s, "week 33 of 2023!");
        assert_null(b.data);
        free(s);
        s = strbuf_finish(&b); /* nothing added: "" rather than NULL */
        assert_string_equal(s, "");
        free(s);
}

static void test_grows_past_many_reallocs(void **state) {
        StrBuf b = {};
        for (int i = 0; i < 100000; i++)
                strbuf_puts(&b, "ab");
        assert_int_equal(b.len, 200000);
        char *s = strbuf_finish(&b);
        assert_int_equal(strlen(s), 200000);
        free(s);
}

static void test_oom_is_sticky(void **state) {
        StrBuf b = { .oom = true };
        strbuf_puts(&b, "lost");
        assert_null(b.data);
        assert_null(strbuf_finish(&b));
}

static void test_escape(void **state) {
        char *e = markup_escape("<a href=x>&</a> \"q\" 'a' 전문가");
        assert_string_equal(e, "&lt;a href=x&gt;&amp;&lt;/a&gt; &quot;q&quot; &#39;a&#39; 전문가");
        free(e);
        e = markup_escape("plain");
        assert_string_equal(e, "plain");
        free(e);
        e = markup_escape("");
        assert_string_equal(e, "");
        free(e);
        assert_null(strbuf_entity('a'));
        assert_string_equal(strbuf_entity('&'), "&amp;");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_append_and_finish),
                cmocka_unit_test(test_grows_past_many_reallocs),
                cmocka_unit_test(test_oom_is_sticky),
                cmocka_unit_test(test_escape),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
