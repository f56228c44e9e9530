#include "habits-print.h"

#include <string.h>

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
        fprintf(f, "%-*s  %-10s  %-18s  %s\n", width, "HABIT", "EVERY", "THIS PERIOD", "LAST");
        json_array_foreach(habits, i, h) {
                char progress[64];
                long long done = num(h, "this_period"), times = num(h, "times");
                snprintf(progress, sizeof(progress), "%lld/%lld%s", done, times, done >= times ? " done" : "");
                fprintf(f, "%-*s  %-10s  %-18s  %s\n", width, str(h, "name", "?"), str(h, "every", "?"), progress,
                        str(h, "last_done", "never"));
        }
}
