/* How a journal entry of a reply (a JournalEntry or a SearchHit) is named
 * in a listing, shared by `lookback search` and `lookback onthisday`.
 * Everything taken from the entry is sanitized (search-print.h). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Whether @e is an answer to a review question (source weekly or
 * halfyear), rather than a note, a pause's reason or a goal. */
bool journal_entry_is_answer(json_t *e);

/* Writes, on one line without its newline, what @e is: an answer's
 * question; "note on HABIT" (check-in), "skip of HABIT", "pause of HABIT";
 * "goal ID (STATUS)" with the first 8 characters of the id. With
 * @with_date, the day it is about as well: "note on HABIT (DATE)",
 * "goal ID (STATUS, set DATE)". */
void journal_print_what(FILE *f, json_t *e, bool with_date);
