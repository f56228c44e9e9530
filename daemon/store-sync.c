/* The store's side of sync: the outbox that triggers fill in the same
 * transaction as the change itself, the hybrid logical clock, the log's
 * sequence numbers, and what was read of the other machines' logs.
 * The files themselves are sync-folder.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store-internal.h"
#include "util.h"

/* Changes to a person's records; the derived columns (a goal's cached
 * status, the search index) follow from these wherever they are applied.
 * TEMP triggers live in this connection only: the file carries none that
 * would call a function the sqlite3 CLI does not have. */
static const char sql_triggers[] =
#define ADDED(table, kind)                                                                                             \
        "CREATE TEMP TRIGGER sync_" table " AFTER INSERT ON main." table " WHEN lookback_sync_capture() BEGIN"         \
        " INSERT INTO sync_outbox (kind, key, op) VALUES ('" kind "', new.uuid, 'add'); END;"
        ADDED("answers", "answer") ADDED("checkins", "checkin") ADDED("skips", "skip") ADDED("pauses", "pause")
                ADDED("goals", "goal") ADDED("goal_changes", "goal-change") ADDED("notes", "note")
#undef ADDED
                        "CREATE TEMP TRIGGER sync_pause_end AFTER UPDATE OF to_day ON main.pauses"
                        " WHEN new.to_day IS NOT old.to_day AND lookback_sync_capture() BEGIN"
                        " INSERT INTO sync_outbox (kind, key, op) VALUES ('pause', new.uuid, 'end'); END;"
                        "CREATE TEMP TRIGGER sync_tombstones AFTER INSERT ON main.tombstones"
                        " WHEN lookback_sync_capture() BEGIN"
                        " INSERT INTO sync_outbox (kind, key, op) VALUES ('tombstone', new.uuid, 'remove'); END;"
                        "CREATE TEMP TRIGGER sync_prompt_add AFTER INSERT ON main.prompts"
                        " WHEN new.state IN ('answered', 'skipped') AND lookback_sync_capture() BEGIN"
                        " INSERT INTO sync_outbox (kind, key, op)"
                        " VALUES ('prompt', new.kind || '/' || new.period_start, 'settle'); END;"
                        "CREATE TEMP TRIGGER sync_prompt_settle AFTER UPDATE OF state ON main.prompts"
                        " WHEN new.state IN ('answered', 'skipped') AND new.state IS NOT old.state"
                        " AND lookback_sync_capture() BEGIN"
                        " INSERT INTO sync_outbox (kind, key, op)"
                        " VALUES ('prompt', new.kind || '/' || new.period_start, 'settle'); END;";

/* The newest clock time in the records: the clock goes on from there
 * after a restart, whatever the wall clock says. */
static const char sql_hlc_max[] =
        "SELECT max(coalesce((SELECT max(created_usec) FROM goal_changes), 0),"
        " coalesce((SELECT max(end_hlc) FROM pauses), 0), coalesce((SELECT max(removed_usec) FROM tombstones), 0))";

static void capture_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
        StoreSyncState *sync = sqlite3_user_data(ctx);
        (void) argc;
        (void) argv;
        if (sync->capture)
                sync->dirty = true;
        sqlite3_result_int(ctx, sync->capture);
}

/* The triggers and the clock, once, when sync is first turned on. */
static int sync_register(Store *s) {
        sqlite3 *db = store_sqlite(s);
        StoreSyncState *sync = store_sync_state(s);
        char *err = NULL;
        int rc = sqlite3_create_function(db, "lookback_sync_capture", 0, SQLITE_UTF8, sync, capture_fn, NULL, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_exec(db, sql_triggers, NULL, NULL, &err);
        if (rc != SQLITE_OK) {
                log_error(-EIO, "cannot set up the sync outbox: %s", err ? err : sqlite3_errstr(rc));
                sqlite3_free(err);
                return store_errno(rc) ?: -EIO;
        }
        sqlite3_stmt *st = store_prepared(s, sql_hlc_max);
        if (!st)
                return -EIO;
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > sync->hlc)
                sync->hlc = sqlite3_column_int64(st, 0);
        int r = store_step_done(st, rc, 0);
        sync->registered = r >= 0;
        return r;
}

int store_sync_capture(Store *s, bool on) {
        StoreSyncState *sync = store_sync_state(s);
        int r = on && !sync->registered ? sync_register(s) : 0;
        if (r >= 0)
                sync->capture = on;
        return r;
}

void store_sync_on_change(Store *s, void (*on_change)(void *userdata), void *userdata) {
        StoreSyncState *sync = store_sync_state(s);
        sync->on_change = on_change;
        sync->userdata = userdata;
}

/* ---- The outbox ------------------------------------------------------ */

static const char sql_outbox_load[] = "SELECT seq, kind, key, op FROM sync_outbox ORDER BY seq LIMIT ?";
static const char sql_outbox_flushed[] = "DELETE FROM sync_outbox WHERE seq <= ?";
static const char sql_outbox_count[] = "SELECT count(*) FROM sync_outbox";
static const char sql_seq_row[] = "INSERT INTO sqlite_sequence (name, seq) SELECT 'sync_outbox', 0"
                                  " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'sync_outbox')";
static const char sql_seq_floor[] = "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'sync_outbox'";
static const char sql_seq_reserve[] =
        "UPDATE sqlite_sequence SET seq = seq + ? WHERE name = 'sync_outbox' RETURNING seq";

void store_changes_done(StoreChanges *c) {
        for (size_t i = 0; i < c->n; i++)
                change_done(&c->items[i]);
        free(c->items);
        *c = (StoreChanges){};
}

int store_outbox_load(Store *s, size_t max, StoreChanges *ret) {
        sqlite3_stmt *st = store_prepared(s, sql_outbox_load);
        size_t allocated = 0;
        int rc, r = 0;
        *ret = (StoreChanges){};
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, (sqlite3_int64) max);
        /* Collected first: loading a record runs other statements. */
        struct Row {
                uint64_t seq;
                char kind[16], key[64];
                int op;
        } *rows = NULL;
        size_t n = 0;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &rows, sizeof(*rows), n, &allocated);
                if (r < 0)
                        break;
                struct Row *row = &rows[n++];
                row->seq = (uint64_t) sqlite3_column_int64(st, 0);
                snprintf(row->kind, sizeof(row->kind), "%s", (const char *) sqlite3_column_text(st, 1));
                snprintf(row->key, sizeof(row->key), "%s", (const char *) sqlite3_column_text(st, 2));
                row->op = change_op_from_string((const char *) sqlite3_column_text(st, 3));
        }
        r = store_step_done(st, rc, r);
        allocated = 0;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                ret->last_seq = rows[i].seq;
                if (rows[i].op < 0)
                        continue;
                r = records_grow((void **) &ret->items, sizeof(Change), ret->n, &allocated);
                if (r < 0)
                        break;
                Change *c = &ret->items[ret->n];
                *c = (Change){ .seq = rows[i].seq, .op = rows[i].op };
                r = store_record_load_one(s, rows[i].kind, rows[i].key, &c->set);
                if (r < 0)
                        break;
                c->hlc = change_clock(&c->set, c->op);
                if (c->hlc < 0) {
                        change_done(c); /* gone since */
                        continue;
                }
                ret->n++;
        }
        free(rows);
        if (r < 0)
                store_changes_done(ret);
        return r;
}

int store_outbox_flushed(Store *s, uint64_t seq) {
        sqlite3_stmt *st = store_prepared(s, sql_outbox_flushed);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, (sqlite3_int64) seq);
        return store_stmt_exec(st);
}

int store_outbox_count(Store *s, unsigned *ret) {
        sqlite3_stmt *st = store_prepared(s, sql_outbox_count);
        if (!st)
                return -EIO;
        int rc = sqlite3_step(st);
        *ret = rc == SQLITE_ROW ? (unsigned) sqlite3_column_int64(st, 0) : 0;
        return store_step_done(st, rc, 0);
}

static int seq_row(Store *s) {
        return store_stmt_exec(store_prepared(s, sql_seq_row));
}

int store_sync_seq_floor(Store *s, uint64_t seq) {
        int r = seq_row(s);
        sqlite3_stmt *st = r < 0 ? NULL : store_prepared(s, sql_seq_floor);
        if (!st)
                return r < 0 ? r : -EIO;
        sqlite3_bind_int64(st, 1, (sqlite3_int64) seq);
        return store_stmt_exec(st);
}

int store_sync_seq_reserve(Store *s, uint64_t n, uint64_t *ret_first) {
        int r = seq_row(s);
        sqlite3_stmt *st = r < 0 ? NULL : store_prepared(s, sql_seq_reserve);
        if (!st)
                return r < 0 ? r : -EIO;
        sqlite3_bind_int64(st, 1, (sqlite3_int64) n);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *ret_first = (uint64_t) sqlite3_column_int64(st, 0) - n + 1;
        /* RETURNING: the update is done once the statement has run out. */
        while (rc == SQLITE_ROW)
                rc = sqlite3_step(st);
        return store_step_done(st, rc, 0);
}

/* ---- What was read --------------------------------------------------- */

static const char sql_file_get[] = "SELECT device, generation, offset, line FROM sync_files WHERE name = ?";
static const char sql_file_set[] = "INSERT OR REPLACE INTO sync_files (name, device, generation, offset, line)"
                                   " VALUES (?, ?, ?, ?, ?)";
static const char sql_file_forget[] = "DELETE FROM sync_files WHERE name = ?";
static const char sql_device_seq[] = "SELECT seq FROM sync_devices WHERE device = ?";
static const char sql_device_note[] =
        "INSERT INTO sync_devices (device, host, seq, hlc, read_usec) VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (device) DO UPDATE SET host = coalesce(excluded.host, host), seq = max(seq, excluded.seq),"
        " hlc = max(coalesce(hlc, 0), coalesce(excluded.hlc, 0)), read_usec = coalesce(excluded.read_usec, read_usec)";
static const char sql_devices[] = "SELECT device, host, seq, hlc, read_usec FROM sync_devices ORDER BY device";

int store_sync_file_get(Store *s, const char *name, StoreSyncFile *ret) {
        sqlite3_stmt *st = store_prepared(s, sql_file_get);
        *ret = (StoreSyncFile){};
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st), r = 0;
        if (rc == SQLITE_ROW) {
                const char *generation = (const char *) sqlite3_column_text(st, 1);
                snprintf(ret->device, sizeof(ret->device), "%s", (const char *) sqlite3_column_text(st, 0));
                snprintf(ret->generation, sizeof(ret->generation), "%s", generation ? generation : "");
                ret->offset = sqlite3_column_int64(st, 2);
                ret->line = (unsigned) sqlite3_column_int64(st, 3);
                r = 1;
        }
        return store_step_done(st, rc, r);
}

int store_sync_file_set(Store *s, const char *name, const StoreSyncFile *f) {
        sqlite3_stmt *st = store_prepared(s, sql_file_set);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, f->device, -1, SQLITE_STATIC);
        if (*f->generation)
                sqlite3_bind_text(st, 3, f->generation, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, f->offset);
        sqlite3_bind_int64(st, 5, f->line);
        return store_stmt_exec(st);
}

int store_sync_file_forget(Store *s, const char *name) {
        sqlite3_stmt *st = store_prepared(s, sql_file_forget);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        return store_stmt_exec(st);
}

int store_sync_device_seq(Store *s, const char *device, uint64_t *ret) {
        sqlite3_stmt *st = store_prepared(s, sql_device_seq);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        *ret = rc == SQLITE_ROW ? (uint64_t) sqlite3_column_int64(st, 0) : 0;
        return store_step_done(st, rc, 0);
}

int store_sync_device_note(Store *s, const StoreSyncDevice *d) {
        sqlite3_stmt *st = store_prepared(s, sql_device_note);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, d->device, -1, SQLITE_STATIC);
        if (d->host)
                sqlite3_bind_text(st, 2, d->host, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64) d->seq);
        if (d->hlc)
                sqlite3_bind_int64(st, 4, d->hlc);
        if (d->read_usec)
                sqlite3_bind_int64(st, 5, d->read_usec);
        return store_stmt_exec(st);
}

int store_sync_devices(Store *s, StoreSyncDevices *ret) {
        sqlite3_stmt *st = store_prepared(s, sql_devices);
        size_t allocated = 0;
        int rc, r = 0;
        *ret = (StoreSyncDevices){};
        if (!st)
                return -EIO;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &ret->items, sizeof(StoreSyncDevice), ret->n, &allocated);
                if (r < 0)
                        break;
                StoreSyncDevice *d = &ret->items[ret->n++];
                *d = (StoreSyncDevice){ .seq = (uint64_t) sqlite3_column_int64(st, 2),
                                        .hlc = sqlite3_column_int64(st, 3),
                                        .read_usec = sqlite3_column_int64(st, 4) };
                snprintf(d->device, sizeof(d->device), "%s", (const char *) sqlite3_column_text(st, 0));
                if (!store_column_strdup(st, 1, &d->host))
                        r = -ENOMEM;
        }
        r = store_step_done(st, rc, r);
        if (r < 0)
                store_sync_devices_done(ret);
        return r;
}

void store_sync_devices_done(StoreSyncDevices *d) {
        for (size_t i = 0; i < d->n; i++)
                free(d->items[i].host);
        free(d->items);
        *d = (StoreSyncDevices){};
}

/* ---- Applying -------------------------------------------------------- */

int store_sync_apply(Store *s, const Change *c, ImportCounts *counts, char **ret_conflict) {
        StoreSyncState *sync = store_sync_state(s);
        bool capture = sync->capture;
        /* A change seen moves the clock on: what is done here next sorts
         * after it. */
        if (c->hlc > sync->hlc)
                sync->hlc = c->hlc;
        int r = store_stmt_exec(store_prepared(s, "SAVEPOINT sync_change"));
        if (r < 0)
                return r;
        /* Another machine's change is in its own log already. */
        sync->capture = false;
        r = store_records_merge(s, &c->set, counts, ret_conflict);
        sync->capture = capture;
        if (r < 0)
                (void) store_stmt_exec(store_prepared(s, "ROLLBACK TO sync_change"));
        int q = store_stmt_exec(store_prepared(s, "RELEASE sync_change"));
        return r < 0 ? r : q;
}
