/* Requests already done: the idempotency keys of writes.
 *
 * A client makes a key for each write before its first try and sends it
 * with every try. The reply is stored in the write's own transaction, so
 * either both the records and the key are on disk or neither is; a repeat
 * of the key is answered with the stored reply and records nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"
#include "util.h"

/* How long a key is remembered. A draft may wait for a resend for weeks
 * (a laptop left closed); a year of writes is a few hundred kilobytes. */
#define REQUEST_KEEP_USEC (400LL * 24 * 3600 * 1000000)

static const char sql_find[] = "SELECT method, params_hash, reply, created_usec FROM requests WHERE key = ?";
static const char sql_save[] = "INSERT INTO requests (key, method, params_hash, reply, created_usec) "
                               "VALUES (?, ?, ?, ?, ?)";
static const char sql_prune[] = "DELETE FROM requests WHERE created_usec < ?";

int store_request_find(Store *s, const char *key, StoreRequest *ret) {
        sqlite3_stmt *st = store_prepared(s, sql_find);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
                return store_step_done(st, rc, 0);
        *ret = (StoreRequest){
                .params_hash = (uint64_t) sqlite3_column_int64(st, 1),
                .created_usec = sqlite3_column_int64(st, 3),
        };
        snprintf(ret->method, sizeof(ret->method), "%s", (const char *) sqlite3_column_text(st, 0));
        if (!store_column_strdup(st, 2, &ret->reply)) {
                sqlite3_reset(st);
                return -ENOMEM;
        }
        sqlite3_reset(st);
        return 1;
}

int store_request_save(Store *s, const char *key, const char *method, uint64_t params_hash, const char *reply,
                       int64_t now_usec) {
        sqlite3_stmt *st = store_prepared(s, sql_prune);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, now_usec - REQUEST_KEEP_USEC);
        int r = store_stmt_exec(st);
        if (r < 0)
                return r;
        st = store_prepared(s, sql_save);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, method, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64) params_hash);
        sqlite3_bind_text(st, 4, reply, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, now_usec);
        return store_stmt_exec(st);
}

void store_request_done(StoreRequest *r) {
        free(r->reply);
        r->reply = NULL;
}
