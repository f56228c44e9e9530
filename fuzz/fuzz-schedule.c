/* libFuzzer: calendar specs parse or fail cleanly, and a parsed one has a
 * next occurrence or -ERANGE, and formats back to an equal spec. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Field by field: the struct has padding that memcmp would compare. */
static int spec_equal(const CalendarSpec *a, const CalendarSpec *b) {
        if (a->weekdays != b->weekdays || a->months != b->months || a->days != b->days || a->hours != b->hours ||
            a->minutes != b->minutes || a->seconds != b->seconds || a->n_years != b->n_years)
                return 0;
        for (size_t i = 0; i < a->n_years; i++)
                if (a->years[i] != b->years[i])
                        return 0;
        return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text = malloc(size + 1), *bad = NULL, buf[1024];
        CalendarSpec spec, again;
        time_t next;
        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        if (schedule_parse(text, &spec, &bad) >= 0) {
                int r = schedule_next(&spec, 1795900000, "UTC", &next);
                if (r < 0 && r != -ERANGE)
                        abort();
                if (schedule_format(&spec, buf, sizeof(buf)) >= 0 && strlen(buf) < SCHEDULE_SPEC_MAX &&
                    (schedule_parse(buf, &again, NULL) < 0 || !spec_equal(&spec, &again)))
                        abort();
        }
        free(bad);
        free(text);
        return 0;
}
