/* The database: the only module that speaks SQL.
 *
 * One SQLite file in WAL mode with synchronous=FULL, so a COMMIT that has
 * returned is on disk. Writes happen between store_begin() and
 * store_commit(); the daemon acknowledges a write only after the commit
 * returned. Every user-created row carries a random UUID so that two
 * databases can later be merged without duplicates. Lists come back as
 * plain structs (and their _done() frees them); JSON is the wire's business. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-id128.h>

#include "changes.h"
#include "date.h"
#include "habit.h"
#include "journal.h"
#include "records.h"
#include "report.h"
#include "template.h"
#include "themes.h"

typedef struct Store Store;

/* Opens (creating) the database at @path, checks it with PRAGMA
 * quick_check, makes sure it can be written now (a write rolled back) and
 * migrates it to the current schema. A database that fails the check is
 * not written to: returns -EUCLEAN. One that cannot be written: -EROFS (a
 * read-only mount), -EACCES (permissions), -EBUSY (another program holds
 * a lock on it); -ENOSPC, -EIO otherwise. *ret_message (malloc'd, may be
 * NULL) says what went wrong and what to do (store-health.h). */
int store_open(const char *path, Store **ret, char **ret_message);
Store *store_free(Store *s);
/* Why a call failed with @r, for a person, when the errno alone misleads
 * (malloc'd): for -EBUSY which program holds the lock. NULL otherwise. */
char *store_explain(Store *s, int r);
/* The file was 0 bytes long when it was opened: it is a new database now. */
bool store_was_empty(Store *s);
/* Corruption found while running (SQLITE_CORRUPT or SQLITE_NOTADB from any
 * statement): from then on nothing is written (store_begin() fails with
 * -EUCLEAN, the connection is query_only) while reads that still work go
 * on. True once found, with SQLite's words for it. */
bool store_damaged(Store *s, const char **ret_reason);
/* @on_damaged runs once, when the damage is found. */
void store_on_damaged(Store *s, void (*on_damaged)(void *userdata), void *userdata);
/* SQLite's last error message, for logs. */
const char *store_last_error(Store *s);
/* This machine's id in exports (and, later, sync): 32 hex digits, from
 * the machine id and lookback's application id. */
const char *store_device(Store *s);
/* The schema version the file is at (PRAGMA user_version). */
int store_schema_version(Store *s);

/* PRAGMA quick_check of the open file: 0, -EUCLEAN when it is damaged, or
 * another negative errno when the check could not run. */
int store_quick_check(Store *s);

int store_begin(Store *s);
int store_commit(Store *s);
void store_rollback(Store *s);

/* A write already done (store-requests.c): its method, a hash of its
 * parameters, and the reply it got, as JSON text. */
typedef struct {
        char method[64];
        uint64_t params_hash;
        char *reply;
        int64_t created_usec;
} StoreRequest;

/* The write done under the idempotency @key: 1 with @ret filled (free it
 * with store_request_done()), 0 when there is none, or a negative errno. */
int store_request_find(Store *s, const char *key, StoreRequest *ret);
/* Remembers @key's reply, inside the write's own transaction, and forgets
 * keys older than a year or so. */
int store_request_save(Store *s, const char *key, const char *method, uint64_t params_hash, const char *reply,
                       int64_t now_usec);
void store_request_done(StoreRequest *r);

typedef struct {
        ReviewKind kind;
        Period period;
        const TemplateEntry *entries;
        size_t n_entries;
        int64_t created_usec;
} StoreAnswer;

/* Records an answer and resolves the period's pending prompt, if any.
 * Writes the new record's UUID to @ret_uuid. */
int store_answer_add(Store *s, const StoreAnswer *a, char ret_uuid[static SD_ID128_UUID_STRING_MAX]);

typedef struct {
        char uuid[SD_ID128_UUID_STRING_MAX];
        ReviewKind kind;
        Period period;
        int64_t created_usec;
        TemplateEntry *entries;
        size_t n_entries;
} StoreAnswerRow;

typedef struct {
        StoreAnswerRow *items;
        size_t n;
} StoreAnswers;

/* Answers whose period overlaps [from, to], newest period first and, within
 * a period, newest version first. @kind < 0 means both kinds. */
int store_answers_list(Store *s, int kind, day_t from, day_t to, StoreAnswers *ret);
void store_answers_done(StoreAnswers *a);
/* How many versions of the review of the period starting @period_start. */
int store_answers_count(Store *s, ReviewKind kind, day_t period_start, unsigned *ret);

int store_checkin_add(Store *s, const char *habit, day_t day, const char *note, int64_t created_usec,
                      char ret_uuid[static SD_ID128_UUID_STRING_MAX]);

/* Prompts. A prompt is for a period and stays pending until answered,
 * skipped or superseded (by a newer prompt of the same kind). @missed is how
 * many occurrences it stands for: more than 1 after a catch-up. */
int store_prompt_add(Store *s, ReviewKind kind, Period period, int64_t fired_usec, unsigned missed);
/* Sets a pending prompt's state: "answered", "skipped" or "superseded". */
int store_prompt_resolve(Store *s, ReviewKind kind, day_t period_start, const char *state);
/* The oldest / newest pending prompt of @kind: returns 1 and its period, or 0. */
int store_prompt_oldest_pending(Store *s, ReviewKind kind, Period *ret);
int store_prompt_latest_pending(Store *s, ReviewKind kind, Period *ret, unsigned *ret_missed);
typedef struct {
        ReviewKind kind;
        Period period;
        int64_t fired_usec;
        unsigned missed;
} StorePrompt;

typedef struct {
        StorePrompt *items;
        size_t n;
} StorePrompts;

/* Pending prompts, oldest first. */
int store_prompts_pending(Store *s, StorePrompts *ret);
void store_prompts_done(StorePrompts *p);

/* What each schedule last fired for: the occurrence (not the moment it was
 * handled), under which spec, and a snooze if one is set. */
typedef struct {
        bool found;
        char spec[256];
        int64_t last_fired_usec;
        bool has_snooze;
        int64_t snooze_until_usec;
} ScheduleState;

int store_schedule_get(Store *s, ReviewKind kind, ScheduleState *ret);
int store_schedule_set_fired(Store *s, ReviewKind kind, const char *spec, int64_t usec);
/* @usec 0 clears the snooze. */
int store_schedule_set_snooze(Store *s, ReviewKind kind, int64_t usec);

/* A skipped (excused) period of a habit, recorded on a day inside it. */
int store_skip_add(Store *s, const char *habit, day_t day, const char *note, int64_t created_usec,
                   char ret_uuid[static SD_ID128_UUID_STRING_MAX]);

typedef struct {
        HabitEvent *items; /* notes owned here */
        size_t n;
} StoreEvents;

/* A habit's check-ins (or, with @skips, skips) with their notes, ascending.
 * For a review (@review_kind >= 0) the check-ins are its answered periods:
 * one per period, on the day it was written or the period's last day. */
int store_habit_events(Store *s, const char *habit, int review_kind, bool skips, StoreEvents *ret);
void store_events_done(StoreEvents *e);

/* A habit's pauses, oldest first; reasons and UUIDs are owned here. */
typedef struct {
        HabitPause *items;
        char **uuids;
        size_t n;
} StorePauses;
int store_pauses(Store *s, const char *habit, StorePauses *ret);
void store_pauses_done(StorePauses *p);
/* The open-ended pause of @habit: 1 with its row id and first day, or 0. */
int store_pause_open(Store *s, const char *habit, int64_t *ret_id, day_t *ret_from);
int store_pause_add(Store *s, const char *habit, day_t from, bool has_to, day_t to, const char *reason,
                    int64_t created_usec, char ret_uuid[static SD_ID128_UUID_STRING_MAX]);
/* Ends pause @id on @to, or deletes it when @remove (resumed the day it
 * began), leaving a tombstone dated @usec. */
int store_pause_end(Store *s, int64_t id, bool remove, day_t to, int64_t usec);

/* Goals. IDs are UUIDs; a prefix finds one like git does. */
int store_goal_add(Store *s, const char *text, day_t created, int64_t created_usec,
                   char ret_uuid[static SD_ID128_UUID_STRING_MAX]);
/* Returns 1 and the full UUID, 0 when none matches, 2 when several do. */
int store_goal_find(Store *s, const char *prefix, char ret_uuid[static SD_ID128_UUID_STRING_MAX]);
/* Records a change of the goal's status: "open" (reopen: no closed day),
 * "achieved" or "dropped"; the goal's status is its newest change's. */
int store_goal_set(Store *s, const char *uuid, const char *status, bool has_closed, day_t closed, const char *reason,
                   int64_t created_usec);
/* The same with the change's own UUID and device (an import). */
int store_goal_change_add(Store *s, const char *change_uuid, const char *goal_uuid, const char *status, bool has_closed,
                          day_t closed, const char *reason, const char *device, int64_t created_usec);
typedef struct {
        ReportGoal *items; /* strings owned here */
        size_t n;
} StoreGoals;

/* The open goals, or @all, oldest first. */
int store_goals_list(Store *s, bool all, StoreGoals *ret);
/* Goals open at some time in [from, to]. */
int store_goals_in_range(Store *s, day_t from, day_t to, StoreGoals *ret);
void store_goals_done(StoreGoals *g);

/* Lapses announced already, by habit and first day. */
int store_lapse_flagged(Store *s, const char *habit, day_t lapse_from);
int store_lapse_flag(Store *s, const char *habit, day_t lapse_from, int64_t usec);
int store_lapse_unflag(Store *s, const char *habit, day_t lapse_from);

/* The journal (journal.h): what was written, found by words or by date. */
typedef struct {
        JournalEntry *items;
        size_t n;
        unsigned total; /* search: every match, beyond the limit too */
} StoreJournal;

typedef struct {
        const char *match; /* an FTS5 expression */
        unsigned sources;  /* a bit per JournalSource */
        day_t from, to;    /* entries overlapping these days */
        bool by_date;      /* newest first, not best first */
        unsigned limit;
} StoreSearch;

/* Best matches first (or newest). A query FTS5 cannot read: -EINVAL with
 * *ret_reason (malloc'd) saying why. */
int store_search(Store *s, const StoreSearch *q, StoreJournal *ret, char **ret_reason);
/* Everything dated in [from, to] (answers by their period's first day,
 * newest version), oldest first. */
int store_journal_range(Store *s, day_t from, day_t to, StoreJournal *ret);
void store_journal_done(StoreJournal *j);
/* The first day anything was written: 1 and *ret, or 0 when nothing was. */
int store_journal_first_day(Store *s, day_t *ret);

/* For themes: each review's newest version whose period overlaps [from,
 * to], its answers joined by newlines, oldest first. Texts owned here. */
typedef struct {
        ThemeDoc *items;
        size_t n;
} ThemeDocs;
int store_theme_docs(Store *s, day_t from, day_t to, ThemeDocs *ret);
void store_theme_docs_done(ThemeDocs *d);

/* Everything a person recorded (records.h), or what of it touches [from,
 * to] when @has_range, read in one transaction. Tombstones always come
 * whole. A record made here carries store_device() as its device. */
int store_records_load(Store *s, bool has_range, day_t from, day_t to, RecordSet *ret);

/* What an import did (or, dry, would do), per kind: added; had already;
 * updated (a pause ended, a prompt settled elsewhere); forgotten (removed
 * here before, so kept out). removed counts records here that the
 * import's tombstones removed. */
typedef struct {
        unsigned added, had, updated, forgotten;
} ImportCount;

typedef struct {
        ImportCount kinds[_RECORD_KIND_MAX];
        ImportCount prompts;
        ImportCount tombstones;
        unsigned removed;
} ImportCounts;

/* Merges @in by UUID inside the caller's transaction. A UUID that is here
 * with other content: -EEXIST, *ret_conflict (malloc'd) saying which; the
 * caller rolls back. */
int store_records_merge(Store *s, const RecordSet *in, ImportCounts *ret, char **ret_conflict);

/* One record, whatever its kind, as undo and forget show it. */
typedef struct {
        RecordKind kind;
        char uuid[SD_ID128_UUID_STRING_MAX];
        int64_t recorded_usec;
        day_t day;        /* the day it is about (a period's first day) */
        bool has_day_end; /* a period's last day, a pause's */
        day_t day_end;
        char *habit;  /* check-ins, skips, pauses */
        char *text;   /* its note, reason, goal text, first answer */
        char *detail; /* an answer's kind, a goal's status */
} StoreRecordInfo;

void store_record_info_done(StoreRecordInfo *i);
/* By a prefix of its id: 1 found, 0 none, 2 several. */
int store_record_find(Store *s, const char *prefix, StoreRecordInfo *ret);
/* The newest record made on this machine: 1, or 0 when there is none. */
int store_record_last_local(Store *s, StoreRecordInfo *ret);
/* Removes the record and leaves its tombstone (-ENOENT: not here). */
int store_record_forget(Store *s, RecordKind kind, const char *uuid, int64_t usec);

/* A habit's check-ins' (or skips') ids, in the order store_habit_events()
 * gives them, for views that show ids (History). */
typedef struct {
        char (*items)[SD_ID128_UUID_STRING_MAX];
        size_t n;
} StoreIds;
int store_habit_ids(Store *s, const char *habit, bool skips, StoreIds *ret);
void store_ids_done(StoreIds *ids);
/* One record of @kind ("answer" ... "note", or "prompt" keyed
 * "KIND/YYYY-MM-DD", or "tombstone") by @key, as an export has it: a set
 * of one, or an empty set when it is not here. */
int store_record_load_one(Store *s, const char *kind, const char *key, RecordSet *ret);

/* ---- Sync (store-sync.c) ----------------------------------------------
 * With capture on, every change to a person's records (a record added, a
 * pause ended, a prompt settled, a tombstone) also adds an outbox row in
 * the same transaction, by triggers; after the commit @on_change runs, and
 * the sync part appends the rows to this machine's log. */
int store_sync_capture(Store *s, bool on);
void store_sync_on_change(Store *s, void (*on_change)(void *userdata), void *userdata);
/* A hybrid logical clock time for a change made at @now_usec: never
 * before the newest one made or seen, so a change made after another one
 * arrived sorts after it even when this machine's clock is behind. */
int64_t store_hlc_tick(Store *s, int64_t now_usec);

typedef struct {
        Change *items;
        size_t n;
        uint64_t last_seq; /* of the rows read, rendered or not */
} StoreChanges;
void store_changes_done(StoreChanges *c);

/* Up to @max outbox rows, oldest first, each with its record as it is now.
 * A record gone since (forgotten before it was written out) is left out:
 * its tombstone follows. */
int store_outbox_load(Store *s, size_t max, StoreChanges *ret);
/* The rows up to @seq are in the log, on disk. */
int store_outbox_flushed(Store *s, uint64_t seq);
int store_outbox_count(Store *s, unsigned *ret);
/* The next sequence number the outbox will use is past @seq: a log on disk
 * that is ahead of this database (a restored backup) is never reused. */
int store_sync_seq_floor(Store *s, uint64_t seq);
/* @n sequence numbers for a snapshot, past every outbox row: the first. */
int store_sync_seq_reserve(Store *s, uint64_t n, uint64_t *ret_first);

/* What has been read of one file of the folder. */
typedef struct {
        char device[RECORD_DEVICE_MAX];
        char generation[RECORD_UUID_MAX]; /* "" before its header was read */
        int64_t offset;                   /* bytes applied */
        unsigned line;                    /* lines applied */
} StoreSyncFile;
/* 1 and @ret, or 0 when the file was never read. */
int store_sync_file_get(Store *s, const char *name, StoreSyncFile *ret);
int store_sync_file_set(Store *s, const char *name, const StoreSyncFile *f);
int store_sync_file_forget(Store *s, const char *name);

/* Each machine seen in the folder (this one too). */
typedef struct {
        char device[RECORD_DEVICE_MAX];
        char *host;
        uint64_t seq;      /* its newest change applied here */
        int64_t hlc;       /* that change's clock */
        int64_t read_usec; /* when its log was last read */
} StoreSyncDevice;
typedef struct {
        StoreSyncDevice *items;
        size_t n;
} StoreSyncDevices;
/* Its newest sequence applied here (0: none). */
int store_sync_device_seq(Store *s, const char *device, uint64_t *ret);
/* Raises what is known of @d->device to @d (sequence and clock only grow). */
int store_sync_device_note(Store *s, const StoreSyncDevice *d);
int store_sync_devices(Store *s, StoreSyncDevices *ret);
void store_sync_devices_done(StoreSyncDevices *d);

/* Applies one change of another machine's log, inside the caller's
 * transaction and without capturing it. A change that cannot be applied
 * (its id is here with other content: -EEXIST and *ret_conflict) leaves
 * nothing behind. */
int store_sync_apply(Store *s, const Change *c, ImportCounts *counts, char **ret_conflict);
/* For store-backup.c, the rest of the store: the connection, and the
 * schema version this lookbackd migrates to. */
struct sqlite3;
struct sqlite3 *store_sqlite(Store *s);
int store_schema_latest(void);
