/* Why a database cannot be used, told apart (store-health.c).
 *
 * SQLite says "unable to open database file", "attempt to write a readonly
 * database" or "database is locked"; a person needs to know which of four
 * different things happened and what to do about each: the file system is
 * mounted read-only, the file or its directory is not theirs to write,
 * another program holds a lock on it, or the file is damaged. The checks
 * here look at the file system (statvfs, stat, access, /proc/locks) and
 * never open the database: an open and close of it by this process would
 * drop the POSIX locks SQLite holds on it. */
#pragma once

/* How long a statement waits for a lock another connection holds before
 * it fails with SQLITE_BUSY. */
#define STORE_BUSY_TIMEOUT_MS 5000

/* The reason a SQLite result code @rc (from opening @path or a statement on
 * it) stands for: -EROFS, -EACCES, -EBUSY, -EUCLEAN or -EIO, and
 * *ret_message (malloc'd) saying what was found and what to do. @detail is
 * SQLite's own message, kept at the end. */
int store_health_explain(const char *path, int rc, const char *detail, char **ret_message);

/* For a statement that failed with SQLITE_BUSY while the daemon runs
 * (malloc'd): who holds the lock, and that nothing was recorded. */
char *store_health_busy(const char *path);

/* The same for a database SQLite opened read-only although it was asked
 * for read-write (sqlite3_db_readonly): the file or its directory. */
int store_health_explain_readonly(const char *path, char **ret_message);
