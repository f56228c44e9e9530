/* Unit tests of the log ratelimit: a burst, then silence counted, then
 * the count handed to the first line of the next interval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "log.h"

#define SEC 1000000ULL

static void test_burst_then_suppressed(void **state) {
        LogRatelimit rl = LOG_RATELIMIT_INIT(10 * SEC, 3);
        unsigned suppressed = 99;
        uint64_t t = 1000 * SEC;

        for (int i = 0; i < 3; i++) {
                assert_true(log_ratelimit_test(&rl, t + (uint64_t) i, &suppressed));
                assert_int_equal(suppressed, 0);
        }
        for (int i = 0; i < 500; i++)
                assert_false(log_ratelimit_test(&rl, t + 5 * SEC, &suppressed));
        /* Still inside the interval: dropped. */
        assert_false(log_ratelimit_test(&rl, t + 10 * SEC - 1, &suppressed));
        /* A new interval: let through, with the count of what was dropped. */
        assert_true(log_ratelimit_test(&rl, t + 10 * SEC, &suppressed));
        assert_int_equal(suppressed, 501);
        assert_true(log_ratelimit_test(&rl, t + 11 * SEC, &suppressed));
        assert_int_equal(suppressed, 0);
}

static void test_clock_going_back_starts_anew(void **state) {
        LogRatelimit rl = LOG_RATELIMIT_INIT(10 * SEC, 1);
        unsigned suppressed;
        assert_true(log_ratelimit_test(&rl, 50 * SEC, &suppressed));
        assert_false(log_ratelimit_test(&rl, 51 * SEC, &suppressed));
        assert_true(log_ratelimit_test(&rl, 40 * SEC, &suppressed));
        assert_int_equal(suppressed, 1);
}

static void test_separate_limits_are_separate(void **state) {
        LogRatelimit a = LOG_RATELIMIT_INIT(SEC, 1), b = LOG_RATELIMIT_INIT(SEC, 1);
        unsigned suppressed;
        assert_true(log_ratelimit_test(&a, 5 * SEC, &suppressed));
        assert_false(log_ratelimit_test(&a, 5 * SEC, &suppressed));
        assert_true(log_ratelimit_test(&b, 5 * SEC, &suppressed));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_burst_then_suppressed),
                cmocka_unit_test(test_clock_going_back_starts_anew),
                cmocka_unit_test(test_separate_limits_are_separate),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
