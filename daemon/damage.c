#include "damage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "manager.h"
#include "protocol.h"
#include "util.h"

void damage_status(Manager *m, char *buf, size_t size) {
        if (!m->store || !store_damaged(m->store, NULL)) {
                if (size > 0)
                        buf[0] = '\0';
                return;
        }
        snprintf(buf, size, "Database damaged, writes refused (newest good snapshot: %s); ",
                 m->damage_snapshot ? m->damage_snapshot : "none");
}

/* Once, as it is found: the snapshot to go back to is looked up now (each
 * candidate checked), not at every refused write. */
static void on_damaged(void *userdata) {
        Manager *m = userdata;
        _cleanup_free_ char *folder = NULL;
        const char *reason;
        char status[DAMAGE_STATUS_MAX];

        (void) store_damaged(m->store, &reason);
        free(m->damage_snapshot);
        m->damage_snapshot = NULL;
        if (backup_folder(m->config, &folder) >= 0)
                (void) backup_newest_good(folder, &m->damage_snapshot);
        if (m->damage_snapshot)
                log_error(-EUCLEAN,
                          "%s is damaged (%s): writing nothing more to it; reads that still work are served. The "
                          "newest good snapshot is %s; to go back to it: lookback restore '%s'",
                          m->database_path, reason, m->damage_snapshot, m->damage_snapshot);
        else
                log_error(-EUCLEAN,
                          "%s is damaged (%s): writing nothing more to it; reads that still work are served. No "
                          "good snapshot was found in %s: restore a backup of your own (lookback restore FILE)",
                          m->database_path, reason, folder ? folder : "the backup folder");
        damage_status(m, status, sizeof(status));
        sd_notifyf(false, "STATUS=%s", status);
}

void damage_watch(Manager *m) {
        free(m->damage_snapshot);
        m->damage_snapshot = NULL;
        if (m->store)
                store_on_damaged(m->store, on_damaged, m);
}

json_t *damage_error(Manager *m) {
        const char *reason;
        (void) store_damaged(m->store, &reason);
        return varlink_error_new(LOOKBACK_ERROR_DATABASE_DAMAGED,
                                 json_pack("{s:s, s:s, s:s?}", "database", m->database_path, "reason", reason, "backup",
                                           m->damage_snapshot));
}
