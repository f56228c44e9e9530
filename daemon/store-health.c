#include "store-health.h"

#include <errno.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include "util.h"

/* The directory holding @path ("." for a bare name). */
static char *dir_of(const char *path) {
        const char *slash = strrchr(path, '/');
        if (!slash)
                return strdup(".");
        if (slash == path)
                return strdup("/");
        return strndup(path, (size_t) (slash - path));
}

static bool on_readonly_fs(const char *path) {
        _cleanup_free_ char *dir = dir_of(path);
        struct statvfs v;
        /* The file may not exist yet; its directory is on the same mount
         * unless the file is a mount point itself, which statvfs of the
         * file catches. */
        if (statvfs(path, &v) >= 0 && (v.f_flag & ST_RDONLY))
                return true;
        return dir && statvfs(dir, &v) >= 0 && (v.f_flag & ST_RDONLY);
}

static const char *user_name(uid_t uid, char buf[static 32]) {
        struct passwd *pw = getpwuid(uid);
        if (pw && strlen(pw->pw_name) < 32)
                return strcpy(buf, pw->pw_name);
        snprintf(buf, 32, "%u", (unsigned) uid);
        return buf;
}

/* Whose @path is, its mode, who we are, and the chown/chmod that fix it. */
static char *permission_message(const char *path, const struct stat *st, bool dir) {
        char owner[32], self[32];
        user_name(st->st_uid, owner);
        user_name(geteuid(), self);
        return strdup_printf("%s%s is owned by %s (uid %u) with mode %04o, and lookbackd runs as %s (uid %u), so it "
                             "cannot write %s. Make it yours and writable: chown %s '%s' && chmod %s '%s'",
                             dir ? "the directory " : "", path, owner, (unsigned) st->st_uid,
                             (unsigned) (st->st_mode & 07777), self, (unsigned) geteuid(),
                             dir ? "the database's journal files beside it" : "it", self, path, dir ? "0700" : "0600",
                             path);
}

/* The first of the database, its -wal and -shm, and its directory that we
 * may not write: a message about it, or NULL when all are writable. */
static char *find_unwritable(const char *path) {
        static const char *const suffixes[] = { "", "-wal", "-shm" };
        struct stat st;
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                _cleanup_free_ char *file = strdup_printf("%s%s", path, suffixes[i]);
                if (file && stat(file, &st) >= 0 && access(file, R_OK | W_OK) < 0 && errno == EACCES)
                        return permission_message(file, &st, false);
        }
        _cleanup_free_ char *dir = dir_of(path);
        if (dir && stat(dir, &st) >= 0 && access(dir, W_OK | X_OK) < 0 && errno == EACCES)
                return permission_message(dir, &st, true);
        return NULL;
}

/* The process other than us that holds a lock on @file (a WRITE lock
 * preferred), from /proc/locks: its pid, or 0 when none is found. */
static pid_t lock_holder(const char *file) {
        struct stat st;
        if (stat(file, &st) < 0)
                return 0;
        FILE *f = fopen("/proc/locks", "re");
        if (!f)
                return 0;
        char line[256];
        pid_t found = 0;
        while (fgets(line, sizeof(line), f)) {
                char class[16], type[16];
                unsigned maj, min;
                unsigned long ino;
                int pid;
                /* "1: POSIX  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; a
                 * waiter's line has "->" after the number: not a holder. */
                if (sscanf(line, "%*d: %15s %*15s %15s %d %x:%x:%lu", class, type, &pid, &maj, &min, &ino) != 6)
                        continue;
                if (pid <= 0 || (pid_t) pid == getpid() || ino != (unsigned long) st.st_ino ||
                    maj != major(st.st_dev) || min != minor(st.st_dev))
                        continue;
                if (!found || streq(type, "WRITE"))
                        found = pid;
                if (streq(type, "WRITE"))
                        break;
        }
        fclose(f);
        return found;
}

/* "cron (pid 1234)", or "pid 1234" when its name cannot be read. */
static char *process_name(pid_t pid) {
        _cleanup_free_ char *comm_path = strdup_printf("/proc/%d/comm", (int) pid);
        char comm[64] = "";
        FILE *f = comm_path ? fopen(comm_path, "re") : NULL;
        if (f) {
                if (fgets(comm, sizeof(comm), f))
                        comm[strcspn(comm, "\n")] = '\0';
                fclose(f);
        }
        return *comm ? strdup_printf("%s (pid %d)", comm, (int) pid) : strdup_printf("pid %d", (int) pid);
}

/* "another program, NAME (pid N), holds a lock on the database; ...", then @advice. */
static char *busy_message(const char *path, const char *advice) {
        _cleanup_free_ char *shm = strdup_printf("%s-shm", path), *who = NULL;
        /* In WAL mode the write lock is a lock on the -shm file. */
        pid_t pid = shm ? lock_holder(shm) : 0;
        if (pid == 0)
                pid = lock_holder(path);
        if (pid > 0)
                who = process_name(pid);
        return strdup_printf("another program%s%s%s holds a lock on the database; lookbackd waited %d s for it. The "
                             "file is not damaged: %s",
                             who ? ", " : "", who ? who : "", who ? "," : "", STORE_BUSY_TIMEOUT_MS / 1000, advice);
}

static int explain_busy(const char *path, char **ret_message) {
        *ret_message = busy_message(path, "stop that program (or let it finish) and start lookbackd again");
        return -EBUSY;
}

char *store_health_busy(const char *path) {
        return busy_message(path, "nothing was recorded; try again once that program has let go of it");
}

static int explain_readonly_fs(char **ret_message) {
        *ret_message = strdup("it is on a file system mounted read-only, and lookbackd must write it. The file is not "
                              "damaged: remount the file system read-write, or set [daemon] database to a file on "
                              "one that is");
        return -EROFS;
}

/* Neither the mount nor permissions: what SQLite met was likely an I/O
 * error on the way (a failed open is retried read-only). */
static int explain_unexplained(char **ret_message, const char *what) {
        *ret_message = strdup_printf("%s, although the file, its directory and the file system allow writing: "
                                     "retry, and look for I/O errors in the kernel's log (journalctl -k)",
                                     what);
        return -EIO;
}

int store_health_explain_readonly(const char *path, char **ret_message) {
        if (on_readonly_fs(path))
                return explain_readonly_fs(ret_message);
        *ret_message = find_unwritable(path);
        if (*ret_message)
                return -EACCES;
        return explain_unexplained(ret_message, "SQLite could open it only read-only");
}

/* Cannot open, cannot write: a read-only mount, then permissions; what
 * neither explains is left to SQLite's words. */
static int explain_access(const char *path, int rc, const char *detail, char **ret_message) {
        if (on_readonly_fs(path))
                return explain_readonly_fs(ret_message);
        *ret_message = find_unwritable(path);
        if (*ret_message)
                return -EACCES;
        return explain_unexplained(ret_message, detail ? detail : sqlite3_errstr(rc));
}

int store_health_explain(const char *path, int rc, const char *detail, char **ret_message) {
        switch (rc & 0xff) {
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
                *ret_message = strdup_printf("the file is damaged: %s", detail ? detail : sqlite3_errstr(rc));
                return -EUCLEAN;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
                return explain_busy(path, ret_message);
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_CANTOPEN:
        case SQLITE_AUTH:
                return explain_access(path, rc, detail, ret_message);
        case SQLITE_FULL:
                *ret_message = strdup("the disk is full: free some space and start lookbackd again");
                return -ENOSPC;
        case SQLITE_NOMEM:
                return -ENOMEM;
        default:
                *ret_message = strdup(detail ? detail : sqlite3_errstr(rc));
                return -EIO;
        }
}
