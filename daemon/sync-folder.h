/* Sync through a folder that another program carries between machines
 * (Syncthing, Nextcloud, git): [sync] folder.
 *
 * Each machine writes only its own file there, DEVICE.jsonl: a header
 * line, then one change per line (core/changes.h), appended and
 * fdatasync'd, never rewritten except by a compaction (a snapshot of the
 * live records under a new generation, renamed into place). The changes
 * come from the store's outbox, filled in the same transaction as the
 * change itself; a crash between the append and marking the rows written
 * appends nothing twice, since the rows the file already holds are
 * dropped at start.
 *
 * The other machines' files are read when inotify says they changed
 * (nothing polls), from where the last read stopped, a last line that is
 * not complete yet (the file is mid-transfer) left for later. Their
 * changes are applied in one transaction per batch, idempotently: records
 * are a grow-only set by UUID, a tombstone beats every copy, a pause's
 * end is the last one set (hybrid logical clock), a prompt answered or
 * skipped anywhere is settled everywhere. A change already applied (by
 * device and sequence) is skipped; Syncthing's conflict copies are read
 * like any other file of their device; temporary and unknown files are
 * left alone; a bad line is skipped with a warning naming file and line. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "clock.h"
#include "records.h"

struct Manager;

#define SYNC_REASON_MAX 512

typedef struct {
        char *folder;   /* in force; NULL: sync is off */
        char *own_name; /* DEVICE.jsonl */
        char *host;
        char generation[RECORD_UUID_MAX]; /* of this machine's file */
        sd_event_source *watch;
        sd_event_source *flush_soon; /* after a commit that filled the outbox */
        sd_event_source *read_soon;  /* a moment after inotify said a file changed */
        sd_event_source *retry;      /* after a failed write, once */
        bool failed;
        int64_t failed_usec;
        char reason[SYNC_REASON_MAX];
        unsigned warnings; /* bad lines reported since start */
} SyncState;

/* Starts (or, with no folder, stops) sync as the config says: this
 * machine's file written or caught up, the others' read. */
int sync_folder_start(struct Manager *m, const Now *now);
/* A reload: restarts when the folder changed. */
int sync_folder_reload(struct Manager *m, const Now *now);
void sync_folder_stop(struct Manager *m);

/* Writes what waits in the outbox now (Sync compact and tests do). */
int sync_folder_flush(struct Manager *m);
/* Reads every other machine's file now. */
int sync_folder_read(struct Manager *m, const Now *now);
/* Rewrites this machine's file as a snapshot of the live records under a
 * new generation. @ret_lines: how many changes it holds. */
int sync_folder_compact(struct Manager *m, const Now *now, uint64_t *ret_lines);

/* One file of the folder, as `lookback sync status` shows it. */
typedef struct {
        char *name;
        char device[RECORD_DEVICE_MAX];
        int64_t size, offset; /* offset: bytes read and applied */
} SyncFileInfo;

typedef struct {
        SyncFileInfo *items;
        size_t n;
} SyncFileInfos;

int sync_folder_files(struct Manager *m, SyncFileInfos *ret);
void sync_file_infos_done(SyncFileInfos *f);
