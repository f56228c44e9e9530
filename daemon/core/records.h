/* Everything a person created, as plain records: what an export holds,
 * what an import brings and what a converter (Loop, jrnl, Markdown) makes
 * of another program's files. Each record carries its UUID, which is what
 * makes a merge safe: the same UUID is the same record, wherever it went.
 *
 * Strings are owned by the RecordSet; records_done() frees them all. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "report.h"
#include "template.h"

#define RECORD_UUID_MAX 37   /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" and NUL */
#define RECORD_DEVICE_MAX 33 /* 32 hex digits and NUL; "" is this machine */

/* Each kind of record a person makes, in the order an export lists them. */
typedef enum {
        RECORD_ANSWER,
        RECORD_CHECKIN,
        RECORD_SKIP,
        RECORD_PAUSE,
        RECORD_GOAL,
        RECORD_GOAL_CHANGE,
        RECORD_NOTE,
        _RECORD_KIND_MAX,
} RecordKind;

/* "answer", "checkin", "skip", "pause", "goal", "goal-change", "note". */
const char *record_kind_to_string(RecordKind k);
int record_kind_from_string(const char *s);

/* What every record has: who it is, when it was recorded, where. */
typedef struct {
        char uuid[RECORD_UUID_MAX];
        char device[RECORD_DEVICE_MAX];
        int64_t recorded_usec;
} RecordMeta;

/* One version of a review's answer; a period may have several. */
typedef struct {
        RecordMeta meta;
        ReviewKind kind;
        Period period;
        TemplateEntry *entries; /* question and answer, in order */
        size_t n_entries;
} RecordAnswer;

/* A check-in or a skip of a habit, by its configured name. */
typedef struct {
        RecordMeta meta;
        char *habit;
        day_t day;
        char *note; /* may be NULL */
} RecordMark;

typedef struct {
        RecordMeta meta;
        char *habit;
        day_t from;
        bool has_to;
        day_t to;
        char *reason; /* may be NULL */
        /* When the end was set (hybrid logical clock, microseconds): the
         * later setting wins a merge. 0: not known (an export). */
        int64_t ended_usec;
} RecordPause;

typedef struct {
        RecordMeta meta;
        char *text;
        day_t created;
} RecordGoal;

/* A goal's status set (achieved, dropped, or open again); the goal's
 * status is its newest change's. */
typedef struct {
        RecordMeta meta;
        char goal[RECORD_UUID_MAX];
        GoalStatus status;
        bool has_day;
        day_t day; /* the day it closed */
        char *reason;
} RecordGoalChange;

/* A free journal entry of a day (what jrnl or a dated Markdown file held). */
typedef struct {
        RecordMeta meta;
        day_t day;
        char *title; /* may be NULL */
        char *body;
} RecordNote;

typedef enum {
        PROMPT_PENDING,
        PROMPT_ANSWERED,
        PROMPT_SKIPPED,
        PROMPT_SUPERSEDED,
        _PROMPT_STATE_MAX,
} PromptState;

const char *prompt_state_to_string(PromptState s);
int prompt_state_from_string(const char *s);

/* A prompt given: keyed by its kind and period, not a UUID. */
typedef struct {
        ReviewKind kind;
        Period period;
        int64_t fired_usec;
        unsigned missed;
        PromptState state;
} RecordPrompt;

/* A record removed: it stays removed whatever copy comes back. */
typedef struct {
        char uuid[RECORD_UUID_MAX];
        RecordKind kind;
        char device[RECORD_DEVICE_MAX];
        int64_t removed_usec;
} RecordTombstone;

typedef struct {
        int64_t exported_usec;
        char device[RECORD_DEVICE_MAX];
        char *host; /* may be NULL */
        bool has_range;
        day_t from, to;

        RecordAnswer *answers;
        size_t n_answers;
        RecordMark *checkins;
        size_t n_checkins;
        RecordMark *skips;
        size_t n_skips;
        RecordPause *pauses;
        size_t n_pauses;
        RecordGoal *goals;
        size_t n_goals;
        RecordGoalChange *goal_changes;
        size_t n_goal_changes;
        RecordNote *notes;
        size_t n_notes;
        RecordPrompt *prompts;
        size_t n_prompts;
        RecordTombstone *tombstones;
        size_t n_tombstones;
} RecordSet;

void records_done(RecordSet *set);

/* Room for one more element in an array of a RecordSet (or any array):
 * grows *@items of @size-byte elements holding @n. 0 or -ENOMEM. */
int records_grow(void **items, size_t size, size_t n, size_t *allocated);
