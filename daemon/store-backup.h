/* Copies of the database, and checks of database files: the part of the
 * store that backups, snapshots and restore use.
 *
 * A copy is written to a temp file beside its target, turned into a plain
 * rollback-journal database (one file, no -wal), checked with PRAGMA
 * integrity_check, fsync'd and only then renamed into place: a copy that
 * exists under its name is whole and good. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

typedef enum {
        STORE_COPY_BACKUP, /* SQLite's online backup API: a page-for-page copy */
        STORE_COPY_VACUUM, /* VACUUM INTO: a compact copy, for the daily snapshots */
} StoreCopyMethod;

/* Writes a copy of @s's database to @path (absolute), mode 0600. An
 * existing @path is -EEXIST unless @force. Returns 0 and the copy's size,
 * or a negative errno (-ENOENT: no such directory, -EACCES, -ENOSPC...)
 * with *ret_message (malloc'd, may be NULL) saying more. */
int store_write_copy(Store *s, StoreCopyMethod how, const char *path, bool force, int64_t *ret_bytes,
                     char **ret_message);

/* What a database file holds, as a restore shows it before it acts. */
typedef struct {
        int schema;
        int64_t answers, checkins, skips, pauses, goals;
        bool has_newest;
        int64_t newest_usec; /* the newest record's created time */
} StoreFileInfo;

/* Opens @path read-only and checks it is a good lookback database:
 * integrity_check passes (-EUCLEAN), it has lookback's tables (-EMEDIUMTYPE)
 * and a schema no newer than ours (-EPROTO). Fills @ret. Failures set
 * *ret_message (malloc'd, may be NULL). */
int store_file_check(const char *path, StoreFileInfo *ret, char **ret_message);

/* Copies the file @from to a new temp file (mode 0600) in the directory
 * @dir, fsync'd; returns its path in *ret_path (malloc'd). */
int store_file_copy(const char *from, const char *dir, char **ret_path);

/* fsyncs a directory, so a rename in it survives a power cut. */
int store_sync_dir(const char *dir);
