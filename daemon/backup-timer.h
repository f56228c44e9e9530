/* The daily snapshots: $XDG_STATE_HOME/lookback/backups/lookback-YYYY-MM-DD.db
 * (or [backup] folder), written with VACUUM INTO, checked, and pruned by
 * the keep rule (core/backup-keep.h).
 *
 * One CLOCK_REALTIME timer is armed a minute after the next local
 * midnight; nothing polls. At start (and after a reload or a clock
 * change) a missing snapshot for today is taken shortly after, from a
 * timer of its own, so start-up never waits for it. A failure is logged
 * and remembered for `lookback status`; serving never depends on it.
 * Only files named exactly lookback-YYYY-MM-DD.db are ever deleted. */
#pragma once

#include <stdbool.h>

#include "clock.h"
#include "config.h"
#include "date.h"

struct Manager;

#define BACKUP_REASON_MAX 256

/* What `lookback status` shows. */
typedef struct {
        bool has_last;
        day_t last; /* the newest snapshot in the folder */
        bool failed;
        day_t failed_on;
        char reason[BACKUP_REASON_MAX];
} BackupState;

/* The folder snapshots go to: [backup] folder, else $XDG_STATE_HOME/lookback/backups. */
int backup_folder(const Config *c, char **ret);
/* The newest snapshot in @folder that passes the file check, or -ENOENT. */
int backup_newest_good(const char *folder, char **ret_path);

/* The default backup folder 0700 and every snapshot in the folder 0600
 * (file-modes.h); once, at start. */
void backup_fix_modes(struct Manager *m);

int backup_timer_start(struct Manager *m, const Now *now);
/* After a reload or a clock change: re-arm, and catch up today's snapshot. */
int backup_timer_recheck(struct Manager *m, const Now *now);
void backup_timer_stop(struct Manager *m);
