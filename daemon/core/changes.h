/* A sync log: the changes one machine made, one a line, in the file of its
 * own it keeps in the sync folder (daemon/sync-folder.h). Each change
 * carries one record, as an export has it, with the writer's sequence
 * number and a hybrid logical clock time. The first line is a header
 * naming the machine and the file's generation (a new one after each
 * compaction). Rendered here (export-json.c), read by import-json.c. */
#pragma once

#include <stdint.h>

#include "records.h"

#define CHANGES_FORMAT_NAME "lookback-sync"
#define CHANGES_VERSION     1

typedef enum {
        CHANGE_ADD,    /* a record created (or, in a snapshot, as it is now) */
        CHANGE_END,    /* a pause's end set: last writer wins by clock */
        CHANGE_SETTLE, /* a prompt answered or skipped */
        CHANGE_REMOVE, /* a tombstone */
        _CHANGE_OP_MAX,
} ChangeOp;

const char *change_op_to_string(ChangeOp op);
int change_op_from_string(const char *s);

/* One line. @set holds exactly one record (or one prompt, or one
 * tombstone); a pause's ended_usec is the line's clock when it has an end. */
typedef struct {
        uint64_t seq; /* the writer's, from 1, never reused */
        int64_t hlc;  /* microseconds, hybrid logical clock */
        ChangeOp op;
        RecordSet set;
} Change;

typedef struct {
        char device[RECORD_DEVICE_MAX];
        char *host; /* for people to read; may be NULL */
        char generation[RECORD_UUID_MAX];
        int64_t created_usec;
} ChangeHeader;

void change_done(Change *c);
void change_header_done(ChangeHeader *h);

/* The clock a change of @op to the one record of @set carries: when it
 * was made, a pause's end when it was set, a tombstone's removal, a
 * prompt's firing. -1 when @set is empty. */
int64_t change_clock(const RecordSet *set, ChangeOp op);

/* Calls @fn for each record of @set as one change, in export order, with
 * sequence numbers from @first_seq: what a snapshot of the log holds.
 * Pending prompts are left out (they are this machine's business);
 * stops when @fn returns false. Returns how many were given. */
size_t change_each(const RecordSet *set, uint64_t first_seq, bool (*fn)(const Change *c, void *userdata),
                   void *userdata);

/* A line each, ending in "\n", malloc'd; NULL when out of memory or when
 * @c holds no record. */
char *change_render(const Change *c);
char *change_render_header(const ChangeHeader *h);
