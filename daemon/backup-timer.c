#include "backup-timer.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup-keep.h"
#include "file-modes.h"
#include "log.h"
#include "manager.h"
#include "paths.h"
#include "store-backup.h"
#include "util.h"

/* A minute past midnight: after the day has surely turned in every
 * component that reads the clock. */
#define BACKUP_AFTER_MIDNIGHT_SEC 60
/* How late the daily timer may fire, so it can be coalesced with others. */
#define BACKUP_ACCURACY_USEC (60 * USEC_PER_SEC)
/* Today's missing snapshot is taken this long after start-up. */
#define BACKUP_START_DELAY_USEC (1 * USEC_PER_SEC)
/* The most snapshots a folder is read for: decades of them. */
#define BACKUP_FILES_MAX 20000

#define SNAPSHOT_PREFIX ("lookback-")
#define SNAPSHOT_SUFFIX (".db")

int backup_folder(const Config *c, char **ret) {
        _cleanup_free_ char *state = NULL;
        if (c->backup.folder) {
                *ret = strdup(c->backup.folder);
                return *ret ? 0 : -ENOMEM;
        }
        int r = paths_state_dir(&state);
        if (r < 0)
                return r;
        *ret = strdup_printf("%s/backups", state);
        return *ret ? 0 : -ENOMEM;
}

/* "lookback-2025-06-18.db" -> that day; anything else is not ours. */
static bool snapshot_name_parse(const char *name, day_t *ret) {
        char date[DATE_STR_MAX], again[DATE_STR_MAX];
        size_t prefix = strlen(SNAPSHOT_PREFIX);
        if (strlen(name) != prefix + 10 + strlen(SNAPSHOT_SUFFIX) || !startswith(name, SNAPSHOT_PREFIX) ||
            !streq(name + prefix + 10, SNAPSHOT_SUFFIX))
                return false;
        memcpy(date, name + prefix, 10);
        date[10] = '\0';
        return date_parse(date, 0, ret) >= 0 && streq(date_format(*ret, again), date);
}

/* ".lookback-2025-06-18.db.tmp-Ab12Cd": a snapshot being written, or one
 * whose writing a crash cut short (store_copy()'s temporary name). */
static bool snapshot_temp_parse(const char *name) {
        static const char tmp[] = ".tmp-";
        size_t n = strlen(name), base = n - 6 - strlen(tmp);
        day_t day;
        if (n < 1 + 6 + strlen(tmp) || name[0] != '.' || strncmp(name + base, tmp, strlen(tmp)) != 0)
                return false;
        _cleanup_free_ char *snapshot = strndup(name + 1, base - 1);
        return snapshot && snapshot_name_parse(snapshot, &day);
}

/* A snapshot's temporary file left by a crash would stay for ever: the
 * daemon writes one snapshot at a time, so any found now is stale. */
static void snapshots_drop_temps(const char *folder) {
        DIR *d = opendir(folder);
        struct dirent *de;
        if (!d)
                return;
        while ((de = readdir(d)))
                if (snapshot_temp_parse(de->d_name) && unlinkat(dirfd(d), de->d_name, 0) >= 0)
                        log_info("%s/%s: removed what an interrupted snapshot left", folder, de->d_name);
        closedir(d);
}

typedef struct {
        day_t *days;
        size_t n;
} SnapshotList;

static int snapshots_list(const char *folder, SnapshotList *ret) {
        DIR *d = opendir(folder);
        struct dirent *de;
        day_t day;
        *ret = (SnapshotList){};
        if (!d)
                return -errno;
        while ((de = readdir(d)) && ret->n < BACKUP_FILES_MAX) {
                if (!snapshot_name_parse(de->d_name, &day))
                        continue;
                day_t *p = reallocarray(ret->days, ret->n + 1, sizeof(day_t));
                if (!p) {
                        closedir(d);
                        return -ENOMEM;
                }
                ret->days = p;
                ret->days[ret->n++] = day;
        }
        closedir(d);
        return 0;
}

static char *snapshot_path(const char *folder, day_t day) {
        char buf[DATE_STR_MAX];
        return strdup_printf("%s/%s%s%s", folder, SNAPSHOT_PREFIX, date_format(day, buf), SNAPSHOT_SUFFIX);
}

int backup_newest_good(const char *folder, char **ret_path) {
        SnapshotList list;
        int r = snapshots_list(folder, &list);
        if (r < 0)
                return r;
        /* Newest first, until one passes the check. */
        for (size_t tries = 0; tries < list.n; tries++) {
                size_t best = 0;
                for (size_t i = 1; i < list.n; i++)
                        if (list.days[i] > list.days[best])
                                best = i;
                _cleanup_free_ char *path = snapshot_path(folder, list.days[best]), *message = NULL;
                StoreFileInfo info;
                if (path && store_file_check(path, &info, &message) >= 0) {
                        *ret_path = TAKE_PTR(path);
                        free(list.days);
                        return 0;
                }
                list.days[best] = INT32_MIN;
        }
        free(list.days);
        return -ENOENT;
}

/* Deletes the snapshots the keep rule lets go; logs what it deleted. */
static int snapshots_prune(Manager *m, const char *folder, const Now *now) {
        const BackupConfig *b = &m->config->backup;
        SnapshotList list;
        snapshots_drop_temps(folder);
        int r = snapshots_list(folder, &list);
        if (r < 0)
                return r;
        bool *keep = calloc(list.n ? list.n : 1, sizeof(bool));
        r = keep ? backup_keep_select(list.days, list.n, (BackupKeep){ b->daily, b->weekly, b->monthly }, now->today,
                                      m->config->week_start, keep)
                 : -ENOMEM;
        m->backup.has_last = false;
        for (size_t i = 0; r >= 0 && i < list.n; i++) {
                if (keep[i]) {
                        if (!m->backup.has_last || list.days[i] > m->backup.last)
                                m->backup.last = list.days[i];
                        m->backup.has_last = true;
                        continue;
                }
                _cleanup_free_ char *path = snapshot_path(folder, list.days[i]);
                if (path && unlink(path) < 0 && errno != ENOENT)
                        log_warning(-errno, "%s: cannot delete an old snapshot: %m, ignoring", path);
                else if (path)
                        log_info("deleted the snapshot %s (keep = %ud %uw %um)", path, b->daily, b->weekly, b->monthly);
        }
        free(keep);
        free(list.days);
        return r;
}

static void snapshot_failed(Manager *m, const Now *now, const char *reason) {
        m->backup.failed = true;
        m->backup.failed_on = now->today;
        snprintf(m->backup.reason, sizeof(m->backup.reason), "%s", reason);
        log_warning(0, "daily snapshot failed: %s", reason);
}

/* Today's snapshot, unless it is there already, then the pruning. */
static void snapshot_take(Manager *m, const Now *now) {
        _cleanup_free_ char *folder = NULL, *path = NULL, *message = NULL, *reason = NULL;
        int64_t bytes;
        int r = backup_folder(m->config, &folder);
        if (r >= 0)
                r = paths_mkdir_p(folder, 0700);
        if (r < 0) {
                reason = strdup_printf("%s: %s", folder ? folder : "backup folder", strerror(-r));
                return snapshot_failed(m, now, reason ? reason : strerror(-r));
        }
        path = snapshot_path(folder, now->today);
        if (!path)
                return snapshot_failed(m, now, strerror(ENOMEM));
        if (access(path, F_OK) < 0) {
                r = store_write_copy(m->store, STORE_COPY_VACUUM, path, false, &bytes, &message);
                if (r < 0 && r != -EEXIST) {
                        reason = strdup_printf("%s: %s", path, message ? message : strerror(-r));
                        return snapshot_failed(m, now, reason ? reason : strerror(-r));
                }
                if (r >= 0)
                        log_info("daily snapshot %s written (%lld bytes, integrity check ok)", path, (long long) bytes);
        }
        m->backup.failed = false;
        r = snapshots_prune(m, folder, now);
        if (r < 0)
                log_warning(r, "%s: cannot prune the snapshots: %m, ignoring", folder);
}

static int backup_timer_arm(Manager *m, const Now *now);

static int on_daily(sd_event_source *s, uint64_t usec, void *userdata) {
        Manager *m = userdata;
        Now now = clock_now();
        snapshot_take(m, &now);
        (void) backup_timer_arm(m, &now);
        return 0;
}

static int on_soon(sd_event_source *s, uint64_t usec, void *userdata) {
        Manager *m = userdata;
        Now now = clock_now();
        m->backup_soon = sd_event_source_disable_unref(m->backup_soon);
        snapshot_take(m, &now);
        return 0;
}

static int backup_timer_arm(Manager *m, const Now *now) {
        uint64_t at = (uint64_t) (date_local_midnight(now->today + 1) + BACKUP_AFTER_MIDNIGHT_SEC) * USEC_PER_SEC;
        m->backup_timer = sd_event_source_disable_unref(m->backup_timer);
        int r = sd_event_add_time(m->event, &m->backup_timer, CLOCK_REALTIME, at, BACKUP_ACCURACY_USEC, on_daily, m);
        if (r < 0)
                return log_warning(r, "cannot arm the daily snapshot timer: %m, ignoring");
        return 0;
}

/* Today's snapshot is missing: take it soon, from the loop. */
static int backup_catch_up(Manager *m, const Now *now) {
        _cleanup_free_ char *folder = NULL, *path = NULL;
        int r = backup_folder(m->config, &folder);
        if (r < 0)
                return r;
        path = snapshot_path(folder, now->today);
        if (!path)
                return -ENOMEM;
        if (access(path, F_OK) >= 0 || m->backup_soon) {
                if (!m->backup_soon)
                        m->backup = (BackupState){ .has_last = true, .last = now->today };
                return 0;
        }
        r = sd_event_add_time_relative(m->event, &m->backup_soon, CLOCK_MONOTONIC, BACKUP_START_DELAY_USEC, 0, on_soon,
                                       m);
        if (r < 0)
                return log_warning(r, "cannot schedule today's snapshot: %m, ignoring");
        return 0;
}

void backup_fix_modes(Manager *m) {
        _cleanup_free_ char *folder = NULL;
        SnapshotList list;
        if (backup_folder(m->config, &folder) < 0 || snapshots_list(folder, &list) < 0)
                return;
        /* The default folder is ours; a configured one keeps its mode. */
        if (!m->config->backup.folder)
                file_mode_fix(folder, 0700);
        for (size_t i = 0; i < list.n; i++) {
                _cleanup_free_ char *path = snapshot_path(folder, list.days[i]);
                if (path)
                        file_mode_fix(path, 0600);
        }
        free(list.days);
}

int backup_timer_start(Manager *m, const Now *now) {
        if (!m->config->backup.enabled) {
                backup_timer_stop(m);
                return 0;
        }
        (void) backup_catch_up(m, now);
        return backup_timer_arm(m, now);
}

int backup_timer_recheck(Manager *m, const Now *now) {
        return backup_timer_start(m, now);
}

void backup_timer_stop(Manager *m) {
        m->backup_timer = sd_event_source_disable_unref(m->backup_timer);
        m->backup_soon = sd_event_source_disable_unref(m->backup_soon);
}
