/* A habit's cadence: "day", "week", "month", "N days", "N weeks",
 * "N months". Shared by the config parser, the period engine and the report,
 * so the words are the same everywhere. Pure. */
#pragma once

#include <stddef.h>

/* The largest N in "N weeks" (and in times / lapse_after). */
#define CADENCE_COUNT_MAX 1000
/* Longest every_format() text, NUL included. */
#define CADENCE_TEXT_MAX 32

typedef enum {
        EVERY_DAY,
        EVERY_WEEK,
        EVERY_MONTH,
} EveryUnit;

typedef struct {
        EveryUnit unit;
        unsigned n; /* 1 for "day", 2 for "2 weeks", ... */
} Every;

/* "week", "2 weeks", "month" ... into @buf; returns @buf. */
char *every_format(Every e, char *buf, size_t size);
/* Parses "day", "week", "month", "N days", "N weeks", "N months" (N from 1
 * to CADENCE_COUNT_MAX; singular and plural both accepted, any case).
 * Returns 0 or -EINVAL. */
int every_parse(const char *text, Every *ret);
