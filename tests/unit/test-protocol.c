/* Unit tests of the wire protocol: framing limits, call parsing, message
 * construction and the parameter checks the daemon relies on. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "protocol.h"

static void test_frame_split(void **state) {
        FrameBuffer b = {};
        char *msg;
        /* Two messages and a half, arriving in awkward pieces. */
        assert_int_equal(frame_buffer_feed(&b, "{\"a\":1}\0{\"b\"", 12), 0);
        assert_int_equal(frame_buffer_pop(&b, &msg), 1);
        assert_string_equal(msg, "{\"a\":1}");
        free(msg);
        assert_int_equal(frame_buffer_pop(&b, &msg), 0);
        assert_true(frame_buffer_partial(&b));
        assert_int_equal(frame_buffer_feed(&b, ":2}\0{}\0{", 8), 0);
        assert_int_equal(frame_buffer_pop(&b, &msg), 1);
        assert_string_equal(msg, "{\"b\":2}");
        free(msg);
        assert_int_equal(frame_buffer_pop(&b, &msg), 1);
        assert_string_equal(msg, "{}");
        free(msg);
        assert_int_equal(frame_buffer_pop(&b, &msg), 0);
        assert_true(frame_buffer_partial(&b));
        frame_buffer_done(&b);
        assert_false(frame_buffer_partial(&b));
}

static void test_frame_limit(void **state) {
        FrameBuffer b = {};
        size_t chunk = 64 * 1024;
        char *data = malloc(chunk);
        char *msg;
        memset(data, 'x', chunk);
        size_t fed = 0;
        int r = 0;
        /* An unterminated message is refused once it reaches the limit. */
        while (r == 0 && fed < 2 * VARLINK_MESSAGE_MAX) {
                r = frame_buffer_feed(&b, data, chunk);
                if (r == 0)
                        fed += chunk;
        }
        assert_int_equal(r, -EMSGSIZE);
        assert_true(fed < VARLINK_MESSAGE_MAX);
        frame_buffer_done(&b);

        /* Just under the limit, terminated, is accepted. */
        size_t n = VARLINK_MESSAGE_MAX - 1;
        char *big = malloc(n + 1);
        memset(big, 'y', n);
        big[n] = '\0';
        assert_int_equal(frame_buffer_feed(&b, big, n + 1), 0);
        assert_int_equal(frame_buffer_pop(&b, &msg), 1);
        assert_int_equal(strlen(msg), n);
        free(msg);
        frame_buffer_done(&b);

        /* One byte more is not, even arriving whole in one read. */
        char *bigger = malloc(n + 2);
        memset(bigger, 'z', n + 1);
        bigger[n + 1] = '\0';
        assert_int_equal(frame_buffer_feed(&b, bigger, n + 2), -EMSGSIZE);
        frame_buffer_done(&b);
        free(bigger);
        free(big);
        free(data);
}

static void test_call_parse(void **state) {
        VarlinkCall c;
        assert_int_equal(varlink_call_parse("{\"method\":\"io.lookback.Status\"}", &c), 0);
        assert_string_equal(c.method, "io.lookback.Status");
        assert_true(json_is_object(c.parameters));
        assert_int_equal(json_object_size(c.parameters), 0);
        assert_false(c.oneway);
        varlink_call_done(&c);

        assert_int_equal(varlink_call_parse("{\"method\":\"x.Y\",\"parameters\":{\"a\":1},\"oneway\":true}", &c), 0);
        assert_true(c.oneway);
        assert_int_equal(json_integer_value(json_object_get(c.parameters, "a")), 1);
        varlink_call_done(&c);

        static const char *const bad[] = {
                "", "not json", "[]", "42", "{}", "{\"method\":1}", "{\"method\":\"x\",\"parameters\":[]}",
                "{\"method\":\"x\",\"parameters\":\"s\"}", "{\"method\":\"a\",\"method\":\"b\"}", "{\"method\":\"x\"",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_int_equal(varlink_call_parse(bad[i], &c), -EBADMSG);
}

static void test_messages(void **state) {
        char *text;
        size_t size;
        json_t *m = varlink_error_new("io.lookback.UnknownHabit", json_pack("{s:s}", "habit", "x"));
        assert_int_equal(varlink_message_format(m, &text, &size), 0);
        assert_int_equal(size, strlen(text) + 1);
        json_t *back = json_loads(text, 0, NULL);
        const char *error;
        json_t *params;
        assert_int_equal(varlink_reply_parse(back, &error, &params), 0);
        assert_string_equal(error, "io.lookback.UnknownHabit");
        assert_string_equal(json_string_value(json_object_get(params, "habit")), "x");
        json_decref(back);
        json_decref(m);
        free(text);

        m = varlink_reply_new(NULL);
        assert_int_equal(varlink_message_format(m, &text, &size), 0);
        assert_string_equal(text, "{\"parameters\":{}}");
        back = json_loads(text, 0, NULL);
        assert_int_equal(varlink_reply_parse(back, &error, &params), 0);
        assert_null(error);
        json_decref(back);
        json_decref(m);
        free(text);

        m = varlink_error_invalid_parameter("date");
        assert_string_equal(json_string_value(json_object_get(m, "error")), VARLINK_ERROR_INVALID_PARAMETER);
        assert_string_equal(json_string_value(json_object_get(json_object_get(m, "parameters"), "parameter")), "date");
        json_decref(m);

        back = json_loads("{\"error\":5}", 0, NULL);
        assert_int_equal(varlink_reply_parse(back, &error, &params), -EBADMSG);
        json_decref(back);
}

static const ParamSpec specs[] = {
        { "habit", PARAM_STRING, true, 8 },
        { "date", PARAM_STRING, false, 0 },
        { "count", PARAM_INTEGER, false, 0 },
        { "flag", PARAM_BOOLEAN, false, 0 },
        { "entries", PARAM_ARRAY, false, 0 },
        {},
};

static void check(const char *json, int expect, const char *expect_bad) {
        json_t *p = json_loads(json, JSON_ALLOW_NUL, NULL);
        const char *bad = NULL;
        assert_non_null(p);
        assert_int_equal(varlink_check_parameters(specs, p, &bad), expect);
        if (expect_bad)
                assert_string_equal(bad, expect_bad);
        json_decref(p);
}

static void test_check_parameters(void **state) {
        check("{\"habit\":\"reading\"}", 0, NULL);
        check("{\"habit\":\"reading\",\"date\":null,\"count\":3,\"flag\":true,\"entries\":[]}", 0, NULL);
        check("{}", -EINVAL, "habit");                              /* missing */
        check("{\"habit\":null}", -EINVAL, "habit");                /* null for a required one */
        check("{\"habit\":5}", -EINVAL, "habit");                   /* wrong type */
        check("{\"habit\":\"waytoolongname\"}", -EINVAL, "habit");  /* over its limit */
        check("{\"habit\":\"a\",\"date\":7}", -EINVAL, "date");
        check("{\"habit\":\"a\",\"count\":\"3\"}", -EINVAL, "count");
        check("{\"habit\":\"a\",\"count\":1.5}", -EINVAL, "count");
        check("{\"habit\":\"a\",\"flag\":1}", -EINVAL, "flag");
        check("{\"habit\":\"a\",\"entries\":{}}", -EINVAL, "entries");
        check("{\"habit\":\"a\",\"surprise\":1}", -EINVAL, "surprise"); /* unknown */
        check("{\"habit\":\"a\\u0000b\"}", -EINVAL, "habit");           /* embedded NUL */
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_frame_split),     cmocka_unit_test(test_frame_limit),
                cmocka_unit_test(test_call_parse),      cmocka_unit_test(test_messages),
                cmocka_unit_test(test_check_parameters),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
