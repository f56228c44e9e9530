#include "cadence.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static const char *const every_units[] = {
        [EVERY_DAY] = "day",
        [EVERY_WEEK] = "week",
        [EVERY_MONTH] = "month",
};

char *every_format(Every e, char *buf, size_t size) {
        const char *unit = (size_t) e.unit < ELEMENTSOF(every_units) ? every_units[e.unit] : "?";

        if (e.n == 1)
                snprintf(buf, size, "%s", unit);
        else
                snprintf(buf, size, "%u %ss", e.n, unit);
        return buf;
}

int every_parse(const char *text, Every *ret) {
        const char *unit = text;
        unsigned n = 1;
        size_t len;

        if (!text)
                return -EINVAL;
        if (isdigit((unsigned char) *text)) {
                size_t digits = strspn(text, "0123456789");
                char number[16];

                if (digits >= sizeof(number) || !isspace((unsigned char) text[digits]))
                        return -EINVAL;
                memcpy(number, text, digits);
                number[digits] = '\0';
                if (safe_atou(number, 1, CADENCE_COUNT_MAX, &n) < 0)
                        return -EINVAL;
                for (unit = text + digits; isspace((unsigned char) *unit); unit++)
                        ;
        }

        len = strlen(unit);
        if (len > 1 && (unit[len - 1] == 's' || unit[len - 1] == 'S'))
                len--; /* "weeks" and "week" alike */
        for (size_t i = 0; i < ELEMENTSOF(every_units); i++)
                if (len == strlen(every_units[i]) && strncasecmp(unit, every_units[i], len) == 0) {
                        *ret = (Every){ .unit = (EveryUnit) i, .n = n };
                        return 0;
                }
        return -EINVAL;
}
