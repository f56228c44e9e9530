/* Unit tests of the wire protocol: framing limits, call parsing, message
 * construction and the parameter checks the daemon relies on. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
                "",
                "not json",
                "[]",
                "42",
                "{}",
                "{\"method\":1}",
                "{\"method\":\"x\",\"parameters\":[]}",
                "{\"method\":\"x\",\"parameters\":\"s\"}",
                "{\"method\":\"a\",\"method\":\"b\"}",
                "{\"method\":\"x\"",
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

typedef struct {
        const char *habit;
        const char *date;
        int64_t count;
        bool flag;
        json_t *entries;
} TestParams;

static const ParamSpec specs[] = {
        { "habit", PARAM_STRING, true, 8, offsetof(TestParams, habit) },
        { "date", PARAM_STRING, false, 0, offsetof(TestParams, date) },
        { "count", PARAM_INTEGER, false, 0, offsetof(TestParams, count) },
        { "flag", PARAM_BOOLEAN, false, 0, offsetof(TestParams, flag) },
        { "entries", PARAM_ARRAY, false, 0, offsetof(TestParams, entries) },
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
        check("{}", -EINVAL, "habit");                             /* missing */
        check("{\"habit\":null}", -EINVAL, "habit");               /* null for a required one */
        check("{\"habit\":5}", -EINVAL, "habit");                  /* wrong type */
        check("{\"habit\":\"waytoolongname\"}", -EINVAL, "habit"); /* over its limit */
        check("{\"habit\":\"a\",\"date\":7}", -EINVAL, "date");
        check("{\"habit\":\"a\",\"count\":\"3\"}", -EINVAL, "count");
        check("{\"habit\":\"a\",\"count\":1.5}", -EINVAL, "count");
        check("{\"habit\":\"a\",\"flag\":1}", -EINVAL, "flag");
        check("{\"habit\":\"a\",\"entries\":{}}", -EINVAL, "entries");
        check("{\"habit\":\"a\",\"surprise\":1}", -EINVAL, "surprise"); /* unknown */
        check("{\"habit\":\"a\\u0000b\"}", -EINVAL, "habit");           /* embedded NUL */
}

/* Decoding fills the struct by the table's offsets; absent and null
 * leave the zeroed defaults; a bad parameter fills nothing usable. */
static void test_dispatch(void **state) {
        json_t *p =
                json_loads("{\"habit\":\"reading\",\"date\":null,\"count\":3,\"flag\":true,\"entries\":[1]}", 0, NULL);
        TestParams t = {};
        const char *bad = NULL;

        assert_int_equal(varlink_dispatch(specs, p, &t, &bad), 0);
        assert_string_equal(t.habit, "reading");
        assert_null(t.date);
        assert_int_equal(t.count, 3);
        assert_true(t.flag);
        assert_int_equal(json_array_size(t.entries), 1);
        json_decref(p);
        p = json_loads("{\"habit\":\"a\"}", 0, NULL);
        t = (TestParams){};
        assert_int_equal(varlink_dispatch(specs, p, &t, &bad), 0);
        assert_string_equal(t.habit, "a");
        assert_int_equal(t.count, 0);
        assert_false(t.flag);
        assert_null(t.entries);
        json_decref(p);
        p = json_loads("{\"habit\":\"a\",\"count\":\"x\"}", 0, NULL);
        assert_int_equal(varlink_dispatch(specs, p, &t, &bad), -EINVAL);
        assert_string_equal(bad, "count");
        json_decref(p);
}

/* A reply over the limit becomes a series under it that merges back to
 * the original: an array cut between elements, a string between UTF-8
 * sequences. */
static void check_split(json_t *params, size_t limit, size_t min_parts) {
        VarlinkSeries *series;
        assert_int_equal(varlink_series_new(params, limit, &series), 0);
        assert_true(varlink_series_held(series) > 0);
        json_t *merged = NULL, *mores = json_array();
        char *text;
        size_t size, parts = 0;
        bool continues = true;
        while (varlink_series_next(series, &text, &size) == 1) {
                assert_true(continues); /* nothing after the last */
                assert_true(size <= limit);
                assert_int_equal(strlen(text) + 1, size);
                json_t *msg = json_loads(text, 0, NULL);
                free(text);
                assert_non_null(msg);
                continues = json_is_true(json_object_get(msg, "continues"));
                json_t *p = json_object_get(msg, "parameters");
                if (!merged)
                        merged = json_deep_copy(p);
                else
                        json_array_append(mores, p);
                json_decref(msg);
                parts++;
        }
        assert_false(continues);
        assert_true(parts >= min_parts);
        assert_int_equal(varlink_series_next(series, &text, &size), 0);
        assert_int_equal(varlink_reply_merge(merged, mores), 0);
        json_decref(mores);
        assert_true(json_equal(merged, params));
        json_decref(merged);
        varlink_series_free(series);
}

static void test_split(void **state) {
        json_t *answers = json_array();
        for (int i = 0; i < 300; i++)
                json_array_append_new(answers,
                                      json_pack("{s:i, s:s}", "n", i, "text", "전문가가 될 수 있을까? & <again>"));
        json_t *params = json_pack("{s:o, s:s}", "answers", answers, "format", "json");
        check_split(params, 8192, 3);
        json_decref(params);

        size_t n = 100000;
        char *big = malloc(n + 1);
        for (size_t i = 0; i + 3 <= n; i += 3)
                memcpy(big + i, "\xea\xb0\x80", 3); /* '가' */
        big[n - n % 3] = '\0';
        params = json_pack("{s:s, s:{s:i}}", "content", big, "report", "habits", 3);
        check_split(params, 8192, 10);
        json_decref(params);
        free(big);

        /* An empty array is one message. */
        params = json_pack("{s:[], s:s}", "answers", "format", "json");
        check_split(params, 8192, 1);
        json_decref(params);

        /* Nothing to cut, or one element alone too large: no series. */
        VarlinkSeries *series = NULL;
        params = json_pack("{s:i}", "n", 1);
        assert_int_equal(varlink_series_new(params, 8192, &series), -EMSGSIZE);
        json_decref(params);
        char *huge = malloc(20001);
        memset(huge, 'x', 20000);
        huge[20000] = '\0';
        params = json_pack("{s:[{s:s}]}", "answers", "text", huge);
        assert_int_equal(varlink_series_new(params, 8192, &series), -EMSGSIZE);
        assert_null(series);
        json_decref(params);
        free(huge);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_frame_split),
                cmocka_unit_test(test_frame_limit),
                cmocka_unit_test(test_call_parse),
                cmocka_unit_test(test_messages),
                cmocka_unit_test(test_check_parameters),
                cmocka_unit_test(test_dispatch),
                cmocka_unit_test(test_split),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
