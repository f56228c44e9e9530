/* What a review's template shows besides its questions, as '#' comments:
 * for a weekly review, the habits that are slipping; for a half-year
 * review, the lapse report's summary for the half and what was written six
 * months ago — so the past comes back unasked. The half-year review also
 * lists the open goals, to be marked achieved or dropped. Gathers from the
 * store; the words are the core's (wording.h, report.h). */
#pragma once

#include "config.h"
#include "store.h"

/* *ret_notes: comment text (malloc'd, may be empty); *ret_goals: for a
 * half-year review the open goals, else none. */
int review_notes(Store *store, const Config *config, ReviewKind kind, Period period, day_t today, char **ret_notes,
                 StoreGoals *ret_goals);
