/* Backup, RestoreCheck and Restore: a copy of the live database on
 * request, and a good copy swapped in for the live one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "damage.h"
#include "lapse-watch.h"
#include "file-modes.h"
#include "log.h"
#include "method.h"
#include "prompt-timers.h"
#include "store-backup.h"
#include "sync-folder.h"
#include "paths.h"
#include "util.h"

typedef struct {
        const char *path;
        bool force;
} BackupParams;

typedef struct {
        const char *path;
} RestoreParams;

/* A file problem as the wire says it: FileExists, BadDatabase (the file is
 * not a good lookback database) or FileError with the reason. */
static int fail_file(MethodResult *res, const char *path, int r, const char *message) {
        if (r == -EEXIST)
                return method_fail(res, LOOKBACK_ERROR_FILE_EXISTS, json_pack("{s:s}", "path", path));
        const char *error = r == -EUCLEAN || r == -EMEDIUMTYPE || r == -EPROTO ? LOOKBACK_ERROR_BAD_DATABASE
                                                                               : LOOKBACK_ERROR_FILE_ERROR;
        const char *reason = message ? message : r == -ENOENT ? "no such file or directory" : strerror(-r);
        return method_fail(res, error, json_pack("{s:s, s:s}", "path", path, "reason", reason));
}

static int method_param_absolute(const char *path, MethodResult *res) {
        if (path[0] != '/')
                return method_invalid(res, "path"), 0;
        return 1;
}

static int method_backup(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const BackupParams *p = params;
        _cleanup_free_ char *message = NULL;
        int64_t bytes;
        if (!method_param_absolute(p->path, res))
                return 0;
        int r = store_write_copy(m->store, STORE_COPY_BACKUP, p->path, p->force, &bytes, &message);
        /* A copy that fails the check means the live file is damaged:
         * DatabaseDamaged names it and the snapshot to go back to. */
        if (r == -ENOMEM || (r == -EUCLEAN && store_damaged(m->store, NULL)))
                return r;
        if (r < 0)
                return fail_file(res, p->path, r, r == -ENOENT && !message ? "no such directory" : message);
        log_info("backup written to %s (%lld bytes)", p->path, (long long) bytes);
        res->reply = json_pack("{s:s, s:I, s:s}", "path", p->path, "bytes", (json_int_t) bytes, "integrity", "ok");
        return res->reply ? 0 : -ENOMEM;
}

static json_t *file_info_json(const char *path, const StoreFileInfo *info) {
        json_t *newest = info->has_newest ? method_day_json(date_local_day((time_t) (info->newest_usec / USEC_PER_SEC)))
                                          : json_null();
        return json_pack("{s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:o}", "path", path, "schema", info->schema, "answers",
                         (json_int_t) info->answers, "checkins", (json_int_t) info->checkins, "skips",
                         (json_int_t) info->skips, "pauses", (json_int_t) info->pauses, "goals",
                         (json_int_t) info->goals, "newest", newest);
}

static int method_restore_check(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const RestoreParams *p = params;
        _cleanup_free_ char *message = NULL;
        StoreFileInfo info;
        if (!method_param_absolute(p->path, res))
                return 0;
        int r = store_file_check(p->path, &info, &message);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return fail_file(res, p->path, r, message);
        res->reply = file_info_json(p->path, &info);
        return res->reply ? 0 : -ENOMEM;
}

/* Where the live database goes aside: lookback.db.before-restore-YYYYMMDDTHHMMSS. */
static char *aside_path(const char *database, const Now *now) {
        char stamp[32];
        struct tm tm;
        time_t t = now->sec;
        strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", localtime_r(&t, &tm));
        /* Two restores in one second keep both old files. */
        for (unsigned n = 1; n < 1000; n++) {
                char *p = n == 1 ? strdup_printf("%s.before-restore-%s", database, stamp)
                                 : strdup_printf("%s.before-restore-%s-%u", database, stamp, n);
                if (!p || access(p, F_OK) < 0)
                        return p;
                free(p);
        }
        return NULL;
}

/* The files SQLite keeps beside a database in WAL mode. */
static const char *const sidecars[] = { "-wal", "-shm" };

/* Moves @from's -wal and -shm along with it, if any are left. */
static void move_sidecars(const char *from, const char *to) {
        for (size_t i = 0; i < ELEMENTSOF(sidecars); i++) {
                _cleanup_free_ char *a = strdup_printf("%s%s", from, sidecars[i]);
                _cleanup_free_ char *b = strdup_printf("%s%s", to, sidecars[i]);
                if (a && b && rename(a, b) < 0 && errno != ENOENT)
                        log_warning(-errno, "cannot move %s to %s: %m, ignoring", a, b);
        }
}

/* Removes @db's -wal and -shm: they are a failed open's of a file that
 * is going away, and must not be read as the next file's. */
static void drop_sidecars(const char *db) {
        for (size_t i = 0; i < ELEMENTSOF(sidecars); i++) {
                _cleanup_free_ char *a = strdup_printf("%s%s", db, sidecars[i]);
                if (a)
                        (void) unlink(a);
        }
}

/* Gives the live file its name aside. A second name first (link), so that
 * the database path always holds a database, the old or the new, whatever
 * moment a crash picks; the rename of the copy then replaces it in one
 * step. Where there are no hard links, a rename (with a window). */
static int move_aside(const char *db, const char *aside) {
        if (link(db, aside) >= 0)
                return 0;
        if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != EMLINK)
                return -errno;
        return rename(db, aside) < 0 ? -errno : 0;
}

/* Closes the store (its last connection checkpoints the WAL and removes
 * it), gives the live file its name aside, renames @copy into its place and
 * opens that. If it does not open, the old file goes back and is reopened. */
static int restore_swap(Manager *m, const char *copy, const char *aside, char **ret_message) {
        const char *db = m->database_path;
        _cleanup_free_ char *dir = strdup(db), *message = NULL;
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (!slash)
                return -ENOMEM;
        *slash = '\0';
        m->store = store_free(m->store);
        int r = move_aside(db, aside);
        if (r >= 0) {
                move_sidecars(db, aside);
                /* Whatever the copy's mode, the live file is ours; set
                 * while no connection holds locks on either. */
                file_mode_fix(copy, 0600);
                file_mode_fix(aside, 0600);
                r = rename(copy, db) < 0 ? -errno : 0;
        }
        if (r >= 0) {
                (void) store_sync_dir(*dir ? dir : "/");
                r = store_open(db, &m->store, ret_message);
                if (r >= 0) {
                        damage_watch(m);
                        return 0;
                }
                drop_sidecars(db);
        }
        log_warning(r, "restore failed (%s), putting the previous database back", *ret_message ? *ret_message : "");
        if (access(aside, F_OK) >= 0 && rename(aside, db) >= 0)
                move_sidecars(aside, db);
        if (store_open(db, &m->store, &message) < 0) {
                log_error(-EIO, "%s: cannot reopen the previous database: %s; stopping", db, message ? message : "");
                (void) sd_event_exit(m->event, -EIO);
        } else
                damage_watch(m);
        return r;
}

static int method_restore(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const RestoreParams *p = params;
        _cleanup_free_ char *message = NULL, *copy = NULL, *dir = strdup(m->database_path),
                            *aside = aside_path(m->database_path, now);
        StoreFileInfo info;
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (!slash || !aside)
                return -ENOMEM;
        *slash = '\0';
        if (!method_param_absolute(p->path, res))
                return 0;
        /* Copied first, then checked: what is swapped in is what was checked. */
        int r = store_file_copy(p->path, *dir ? dir : "/", &copy);
        if (r >= 0)
                r = store_file_check(copy, &info, &message);
        if (r >= 0)
                r = restore_swap(m, copy, aside, &message);
        if (r < 0 && copy)
                (void) unlink(copy);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return fail_file(res, p->path, r, message);
        log_info("database restored from %s; the previous one is %s", p->path, aside);
        /* Everything that was read from the old data: prompts, snoozes, lapses. */
        (void) prompt_timers_recheck(m, now, "restore");
        /* The sync state is the restored file's: what this machine's log
         * holds beyond it comes back from there. */
        sync_folder_stop(m);
        (void) sync_folder_start(m, now);
        (void) lapse_watch_check(m, now, "restore");
        res->reply = file_info_json(p->path, &info);
        if (!res->reply || json_object_set_new(res->reply, "database", json_string(m->database_path)) < 0 ||
            json_object_set_new(res->reply, "previous", json_string(aside)) < 0)
                return -ENOMEM;
        return 0;
}

static const ParamSpec params_backup[] = {
        { "path", PARAM_STRING, true, PATHS_MAX, offsetof(BackupParams, path) },
        { "force", PARAM_BOOLEAN, false, 0, offsetof(BackupParams, force) },
        {},
};
static const ParamSpec params_restore[] = {
        { "path", PARAM_STRING, true, PATHS_MAX, offsetof(RestoreParams, path) },
        {},
};

const Method method_backup_table[] = {
        { "io.lookback.Backup", method_backup, false, params_backup, sizeof(BackupParams) },
        { "io.lookback.RestoreCheck", method_restore_check, false, params_restore, sizeof(RestoreParams) },
        { "io.lookback.Restore", method_restore, false, params_restore, sizeof(RestoreParams) },
        {},
};
