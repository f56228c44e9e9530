/* The habits table, shared by `lookback habits` and `lookback status`. */
#pragma once

#include <jansson.h>
#include <stdio.h>

/* One line per habit: name, cadence, status (ok, at-risk, lapsed, paused,
 * new), this period's count against the target, streak, adherence, last
 * check-in. */
void habits_print(json_t *habits, FILE *f);
