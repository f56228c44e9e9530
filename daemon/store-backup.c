#include "store-backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-fts.h"
#include "store-internal.h"
#include "util.h"

/* The longest integrity_check report we quote back. */
#define STORE_CHECK_MESSAGE_MAX 200

static int sqlite_errno(int rc) {
        switch (rc & 0xff) {
        case SQLITE_OK:
        case SQLITE_DONE:
        case SQLITE_ROW:
                return 0;
        case SQLITE_NOMEM:
                return -ENOMEM;
        case SQLITE_FULL:
                return -ENOSPC;
        case SQLITE_PERM:
        case SQLITE_READONLY:
                return -EACCES;
        case SQLITE_CANTOPEN:
                return -ENOENT;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
                return -EUCLEAN;
        default:
                return -EIO;
        }
}

static int fail_sqlite(sqlite3 *db, int rc, char **ret_message) {
        if (ret_message && !*ret_message)
                *ret_message = strdup(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        return sqlite_errno(rc) ?: -EIO;
}

int store_sync_dir(const char *dir) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        int r = fsync(fd) < 0 ? -errno : 0;
        close(fd);
        return r;
}

static int fsync_path(const char *path, int64_t *ret_bytes) {
        struct stat st;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        int r = fsync(fd) < 0 || fstat(fd, &st) < 0 ? -errno : 0;
        close(fd);
        if (r >= 0 && ret_bytes)
                *ret_bytes = st.st_size;
        return r;
}

/* An empty temp file beside @path (mode 0600, from mkstemp). */
static int temp_beside(const char *path, char **ret) {
        const char *slash = strrchr(path, '/');
        _cleanup_free_ char *dir = path_dirname(path);
        if (!dir)
                return -ENOMEM;
        char *tmp = strdup_printf("%s/.%s.tmp-XXXXXX", dir, slash ? slash + 1 : path);
        if (!tmp)
                return -ENOMEM;
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0) {
                int r = -errno;
                free(tmp);
                return r;
        }
        close(fd);
        *ret = tmp;
        return 0;
}

static int copy_backup_api(sqlite3 *src, const char *tmp, char **ret_message) {
        sqlite3 *dest = NULL;
        int rc = sqlite3_open_v2(tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
        if (rc == SQLITE_OK) {
                sqlite3_backup *b = sqlite3_backup_init(dest, "main", src, "main");
                if (!b)
                        rc = sqlite3_errcode(dest);
                else {
                        /* All pages in one step, inside one read transaction
                         * of the source: a consistent copy. The database is
                         * megabytes, so this takes milliseconds. */
                        rc = sqlite3_backup_step(b, -1);
                        int rc2 = sqlite3_backup_finish(b);
                        rc = rc == SQLITE_DONE ? rc2 : rc;
                }
        }
        int r = rc == SQLITE_OK ? 0 : fail_sqlite(dest, rc, ret_message);
        sqlite3_close_v2(dest);
        return r;
}

static int copy_vacuum_into(sqlite3 *src, const char *tmp, char **ret_message) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(src, "VACUUM INTO ?", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_bind_text(st, 1, tmp, -1, SQLITE_TRANSIENT);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        int r = rc == SQLITE_DONE ? 0 : fail_sqlite(src, rc, ret_message);
        sqlite3_finalize(st);
        return r;
}

/* The first row of PRAGMA integrity_check: 0 for "ok", else -EUCLEAN with
 * what it found. */
static int integrity_check(sqlite3 *db, char **ret_message) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                int r = fail_sqlite(db, rc, ret_message);
                sqlite3_finalize(st);
                return r;
        }
        const char *result = (const char *) sqlite3_column_text(st, 0);
        int r = result && streq(result, "ok") ? 0 : -EUCLEAN;
        if (r < 0 && ret_message)
                *ret_message = strdup_printf("integrity check failed: %.*s", STORE_CHECK_MESSAGE_MAX,
                                             result ? result : "no result");
        sqlite3_finalize(st);
        return r;
}

/* Makes the fresh copy one plain file (the page copy says WAL, as its
 * source does) and checks it. */
static int copy_finish(const char *tmp, char **ret_message) {
        sqlite3 *db = NULL;
        int rc = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
        int r = rc == SQLITE_OK ? 0 : fail_sqlite(db, rc, ret_message);
        if (r >= 0)
                r = store_search_register(db, ret_message);
        if (r >= 0 && (rc = sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL)) != SQLITE_OK)
                r = fail_sqlite(db, rc, ret_message);
        if (r >= 0)
                r = integrity_check(db, ret_message);
        sqlite3_close_v2(db);
        return r;
}

/* rename(), refusing to replace @to unless @force. */
static int rename_into(const char *from, const char *to, bool force) {
        if (force)
                return rename(from, to) < 0 ? -errno : 0;
        return rename_noreplace(from, to);
}

int store_write_copy(Store *s, StoreCopyMethod how, const char *path, bool force, int64_t *ret_bytes,
                     char **ret_message) {
        _cleanup_free_ char *tmp = NULL, *dir = path_dirname(path);
        struct stat st;
        int r;

        *ret_message = NULL;
        if (!dir)
                return -ENOMEM;
        if (stat(dir, &st) < 0)
                return -errno;
        if (!S_ISDIR(st.st_mode))
                return -ENOTDIR;
        if (!force && lstat(path, &st) >= 0)
                return -EEXIST;
        r = temp_beside(path, &tmp);
        if (r < 0)
                return r;
        r = how == STORE_COPY_VACUUM ? copy_vacuum_into(store_sqlite(s), tmp, ret_message)
                                     : copy_backup_api(store_sqlite(s), tmp, ret_message);
        if (r >= 0)
                r = copy_finish(tmp, ret_message);
        /* The copy went through and is damaged, or reading for it found
         * damage: the live file is, and the daily snapshot, which reads
         * every page, is often the first to find out. */
        /* ...unless the live file passes its own check: then the copy's
         * disk (a flaky stick, a network share) is the damaged one. */
        if (r == -EUCLEAN && store_quick_check(s) == -EUCLEAN)
                store_mark_damaged(s, *ret_message ? *ret_message : "a copy of it fails the integrity check");
        if (r >= 0)
                r = fsync_path(tmp, ret_bytes);
        if (r >= 0)
                r = rename_into(tmp, path, force);
        if (r < 0) {
                (void) unlink(tmp);
                return r;
        }
        (void) store_sync_dir(dir);
        return 0;
}

static int query_int64(sqlite3 *db, const char *sql, int64_t *ret, bool *ret_null) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (ret_null)
                        *ret_null = sqlite3_column_type(st, 0) == SQLITE_NULL;
                *ret = sqlite3_column_int64(st, 0);
                rc = SQLITE_OK;
        }
        int r = rc == SQLITE_OK ? 0 : fail_sqlite(db, rc, NULL);
        sqlite3_finalize(st);
        return r;
}

static bool has_table(sqlite3 *db, const char *name) {
        _cleanup_free_ char *sql =
                strdup_printf("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", name);
        int64_t n = 0;
        return sql && query_int64(db, sql, &n, NULL) >= 0 && n == 1;
}

/* Rows of @table and its newest created_usec; 0 rows if it is older than
 * the table (a schema before pauses and goals). */
static int count_table(sqlite3 *db, const char *table, int64_t *ret, StoreFileInfo *info) {
        int64_t newest;
        bool null;
        *ret = 0;
        if (!has_table(db, table))
                return 0;
        _cleanup_free_ char *count = strdup_printf("SELECT count(*) FROM %s", table);
        _cleanup_free_ char *max = strdup_printf("SELECT max(created_usec) FROM %s", table);
        if (!count || !max)
                return -ENOMEM;
        int r = query_int64(db, count, ret, NULL);
        if (r >= 0)
                r = query_int64(db, max, &newest, &null);
        if (r >= 0 && !null && (!info->has_newest || newest > info->newest_usec)) {
                info->has_newest = true;
                info->newest_usec = newest;
        }
        return r;
}

static int file_check_schema(sqlite3 *db, StoreFileInfo *ret, char **ret_message) {
        int64_t version;
        int r = query_int64(db, "PRAGMA user_version", &version, NULL);
        if (r < 0)
                return fail_sqlite(db, sqlite3_errcode(db), ret_message);
        static const char *const core_tables[] = { "answers", "checkins", "prompts" };
        for (size_t i = 0; i < ELEMENTSOF(core_tables); i++)
                if (version < 1 || !has_table(db, core_tables[i])) {
                        *ret_message = strdup("not a lookback database (no lookback tables in it)");
                        return -EMEDIUMTYPE;
                }
        if (version > store_schema_latest()) {
                *ret_message = strdup_printf("its schema version %lld is newer than this lookbackd's (%d)",
                                             (long long) version, store_schema_latest());
                return -EPROTO;
        }
        ret->schema = (int) version;
        return 0;
}

int store_file_check(const char *path, StoreFileInfo *ret, char **ret_message) {
        sqlite3 *db = NULL;
        StoreFileInfo info = {};
        struct stat st;

        *ret_message = NULL;
        if (stat(path, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EISDIR;
        int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
        int r = rc == SQLITE_OK ? 0 : fail_sqlite(db, rc, ret_message);
        if (r >= 0)
                r = store_search_register(db, ret_message);
        if (r >= 0)
                r = integrity_check(db, ret_message);
        if (r >= 0)
                r = file_check_schema(db, &info, ret_message);
        if (r >= 0)
                r = count_table(db, "answers", &info.answers, &info);
        if (r >= 0)
                r = count_table(db, "checkins", &info.checkins, &info);
        if (r >= 0)
                r = count_table(db, "skips", &info.skips, &info);
        if (r >= 0)
                r = count_table(db, "pauses", &info.pauses, &info);
        if (r >= 0)
                r = count_table(db, "goals", &info.goals, &info);
        if (r < 0 && !*ret_message)
                *ret_message = strdup(sqlite3_errmsg(db));
        sqlite3_close_v2(db);
        if (r >= 0)
                *ret = info;
        return r;
}

static int copy_fd(int in, int out) {
        char buf[65536];
        for (;;) {
                ssize_t n = read(in, buf, sizeof(buf));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return 0;
                for (ssize_t done = 0; done < n;) {
                        ssize_t w = write(out, buf + done, (size_t) (n - done));
                        if (w < 0 && errno == EINTR)
                                continue;
                        if (w < 0)
                                return -errno;
                        done += w;
                }
        }
}

int store_file_copy(const char *from, const char *dir, char **ret_path) {
        _cleanup_free_ char *tmp = strdup_printf("%s/.lookback.db.restore-XXXXXX", dir);
        if (!tmp)
                return -ENOMEM;
        int in = open(from, O_RDONLY | O_CLOEXEC);
        if (in < 0)
                return -errno;
        int out = mkostemp(tmp, O_CLOEXEC);
        if (out < 0) {
                int r = -errno;
                close(in);
                return r;
        }
        int r = copy_fd(in, out);
        if (r >= 0 && fsync(out) < 0)
                r = -errno;
        close(in);
        if (close(out) < 0 && r >= 0)
                r = -errno;
        if (r < 0) {
                (void) unlink(tmp);
                return r;
        }
        *ret_path = TAKE_PTR(tmp);
        return 0;
}
