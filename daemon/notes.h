/* What a review's template shows besides its questions, as '#' comments:
 * for a weekly review, the habits that are slipping; for a half-year
 * review, the lapse report's summary for the half, and what was written
 * six months ago — so the past comes back unasked. The half-year review
 * also lists the open goals, to be marked achieved or dropped. */
#pragma once

#include <jansson.h>

#include "date.h"

typedef struct Manager Manager;

/* *ret_notes: comment text (malloc'd, may be empty); *ret_goals: for a
 * half-year review the open goals [{id, text}], else an empty array. */
int notes_for_review(Manager *m, ReviewKind kind, Period period, char **ret_notes, json_t **ret_goals);
