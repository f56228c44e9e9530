#include "habits-print.h"

#include <string.h>

#include "words.h"

static const char *str(json_t *o, const char *key, const char *fallback) {
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : fallback;
}

static long long num(json_t *o, const char *key) {
        return json_integer_value(json_object_get(o, key));
}

void habits_print(json_t *habits, FILE *f) {
        size_t i;
        json_t *h;
        int width = 5;

        json_array_foreach(habits, i, h) {
                int n = (int) strlen(str(h, "name", ""));
                if (n > width)
                        width = n;
        }
        fprintf(f, "%-*s  %-9s  %-8s  %-11s  %6s  %9s  %s\n", width, "HABIT", "EVERY", "STATUS", "THIS PERIOD",
                "STREAK", "ADHERENCE", "LAST");
        json_array_foreach(habits, i, h) {
                char progress[32], adherence[16] = "-";
                long long done = num(h, "this_period"), times = num(h, "times");
                json_t *a = json_object_get(h, "adherence");
                snprintf(progress, sizeof(progress), "%lld/%lld%s", done, times, done >= times ? " done" : "");
                if (json_is_number(a))
                        snprintf(adherence, sizeof(adherence), "%.0f%%", json_number_value(a) * 100);
                fprintf(f, "%-*s  %-9s  %-8s  %-11s  %6lld  %9s  %s", width, str(h, "name", "?"), str(h, "every", "?"),
                        str(h, "status", "?"), progress, num(h, "streak"), adherence, str(h, "last_done", "never"));
                if (json_is_string(json_object_get(h, "lapsed_since")) &&
                    strcmp(str(h, "status", ""), WORD_STATUS_LAPSED) == 0)
                        fprintf(f, "  (lapsed since %s)", str(h, "lapsed_since", "?"));
                fprintf(f, "\n");
        }
}
