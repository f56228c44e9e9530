/* What the store's files share (store.c, store-records.c): the SQLite
 * handle and small helpers. Nothing outside daemon/store*.c includes this;
 * the rest of the daemon sees store.h only. */
#pragma once

#include <sqlite3.h>
#include <stdbool.h>

#include "date.h"
#include "store.h"

sqlite3 *store_sqlite(Store *s);
/* A statement prepared once per Store and cached by the address of @sql
 * (a static string), reset and unbound: for the store's other files, so
 * their SQL stays next to the code that runs it. NULL when it does not
 * prepare (a bug: the message is in store_last_error()). */
sqlite3_stmt *store_prepared(Store *s, const char *sql);
/* Runs a statement that returns no rows: 0 or a negative errno. */
int store_stmt_exec(sqlite3_stmt *st);
/* After a sqlite3_step() loop ended with @rc: @r, or the step's error. */
int store_step_done(sqlite3_stmt *st, int rc, int r);
int store_errno(int rc);
/* The live file is damaged (store_damaged()), found by other means than a
 * statement of the Store's own (a copy of it fails the check). */
void store_mark_damaged(Store *s, const char *reason);
int store_bind_day(sqlite3_stmt *st, int index, day_t day);
int store_column_day(sqlite3_stmt *st, int column, day_t *ret);
/* A copy of a TEXT column, NULL for NULL; false only when out of memory. */
bool store_column_strdup(sqlite3_stmt *st, int column, char **ret);
/* Binds this machine's records as NULL, others' as their device id. */
int store_bind_device(Store *s, sqlite3_stmt *st, int index, const char *device);
int store_new_uuid(char ret[static SD_ID128_UUID_STRING_MAX]);
/* Recomputes a goal's status, closing day and reason from its newest
 * change (open when it has none). */
int store_goal_refresh(Store *s, const char *goal_uuid);
/* Leaves a tombstone for @uuid (a record of @kind just deleted). */
int store_tombstone_add(Store *s, const char *uuid, const char *kind, const char *device, int64_t usec);

/* The sync state a Store keeps (store-sync.c owns it). */
typedef struct {
        int64_t hlc;     /* the newest hybrid logical clock time made or seen */
        bool registered; /* the triggers are defined */
        bool capture;    /* the triggers put changes in the outbox */
        bool dirty;      /* ...and have, in the open transaction */
        void (*on_change)(void *userdata);
        void *userdata;
} StoreSyncState;

StoreSyncState *store_sync_state(Store *s);
