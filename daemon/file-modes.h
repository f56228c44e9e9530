/* Modes of what lookbackd owns: its own directories 0700, its database
 * files and snapshots 0600. A loose mode found at start or after a
 * restore is tightened and said once, in one line per path.
 *
 * Only bits are ever taken away (a 0400 database stays 0400: making it
 * writable is not ours to decide), and only on files owned by our user
 * that are not symlinks. Folders the person chose ([daemon] database's
 * directory, [backup] folder, [sync] folder) keep their modes: they may be
 * shared with other programs on purpose. */
#pragma once

#include <sys/types.h>

/* Takes off @path's permission bits beyond @most. Returns 1 with the old
 * and new modes when it changed something; 0 when nothing needed doing, or
 * @path is absent, a symlink or not ours; or a negative errno. */
int file_mode_tighten(const char *path, mode_t most, mode_t *ret_old, mode_t *ret_new);

/* file_mode_tighten() and its log line: "fixed mode of X: 0666 -> 0600",
 * or a warning ending in ", ignoring". */
void file_mode_fix(const char *path, mode_t most);

/* @db and its -wal and -shm: 0600. */
void file_modes_fix_database(const char *db);
