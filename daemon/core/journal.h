/* The journal: everything the person wrote, as one kind of entry, for
 * search, "on this day", resurfacing and themes. Plain data; strings are
 * owned by whoever filled it (the store). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "date.h"

typedef enum {
        JOURNAL_WEEKLY,   /* an answer to a weekly review's question */
        JOURNAL_HALFYEAR, /* an answer to a half-year review's question */
        JOURNAL_CHECKIN,  /* a check-in's note */
        JOURNAL_SKIP,     /* a skip's note */
        JOURNAL_PAUSE,    /* a pause's reason */
        JOURNAL_GOAL,     /* a goal, with its closing reason */
        JOURNAL_NOTE,     /* a free note of a day (imported from jrnl or Markdown), its title first */
        _JOURNAL_SOURCE_MAX,
} JournalSource;

typedef struct {
        JournalSource source;
        day_t day;      /* an answer's period's first day, a note's day, a pause's first day, a goal's */
        Period period;  /* answers: the review period */
        char *question; /* answers */
        char *habit;    /* notes and pauses */
        char *goal;     /* goals: the id */
        char *goal_status;
        int64_t written_usec; /* when it was recorded */
        char *text;
        double rank; /* search: bm25, lower is better */
} JournalEntry;

/* "weekly", "halfyear", "checkin", "skip", "pause", "goal". */
const char *journal_source_to_string(JournalSource s);
/* An answer to a review (weekly or half-year), not a note. */
bool journal_source_is_answer(JournalSource s);
