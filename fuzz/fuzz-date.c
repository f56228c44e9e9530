/* libFuzzer: the small parsers people type into — dates ("2026-12-03",
 * "today"), durations ("1h30m", snooze's), cadences ("2 weeks") and review
 * kinds — accept or refuse, never crash, and what they accept formats back
 * to text that parses to the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_date(const char *text, day_t today) {
        char buf[DATE_STR_MAX], label[PERIOD_LABEL_MAX];
        day_t day, again;
        if (date_parse(text, today, &day) < 0)
                return;
        date_format(day, buf);
        if (date_parse(buf, today, &again) < 0 || again != day)
                abort();
        for (int k = 0; k < _REVIEW_KIND_MAX; k++)
                (void) review_period_label(k, review_period(k, day, WEEK_START_MONDAY), label);
}

static void check_duration(const char *text) {
        long long seconds;
        if (duration_parse(text, &seconds) >= 0 && (seconds <= 0 || seconds > DURATION_MAX_SEC))
                abort();
}

static void check_every(const char *text) {
        char buf[CADENCE_TEXT_MAX];
        Every e, again;
        if (every_parse(text, &e) < 0)
                return;
        if (e.n < 1 || e.n > CADENCE_COUNT_MAX)
                abort();
        every_format(e, buf, sizeof(buf));
        if (every_parse(buf, &again) < 0 || again.unit != e.unit || again.n != e.n)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text = malloc(size + 1);
        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        /* Today near now, and on day 0 (so "yesterday" is before 1970). */
        check_date(text, 20790);
        check_date(text, 0);
        check_duration(text);
        check_every(text);
        (void) review_kind_from_string(text);
        free(text);
        return 0;
}
