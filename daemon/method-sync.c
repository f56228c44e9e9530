/* SyncStatus and SyncCompact: what the sync folder holds and how far this
 * machine has read it, and a fresh snapshot of this machine's file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "method.h"
#include "sync-folder.h"
#include "util.h"

static json_t *time_json(int64_t usec) {
        char buf[EXPORT_TIME_MAX];
        return usec > 0 ? json_string(export_time_format(usec, buf)) : json_null();
}

/* Each machine seen, with its files and how many of their bytes are not
 * applied yet (a transfer under way, or a read still to come). */
static json_t *devices_json(Manager *m, const StoreSyncDevices *devices, const SyncFileInfos *files) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < devices->n; i++) {
                const StoreSyncDevice *d = &devices->items[i];
                json_t *names = json_array();
                json_int_t unread = 0;
                for (size_t j = 0; names && j < files->n; j++)
                        if (streq(files->items[j].device, d->device)) {
                                json_array_append_new(names, json_string(files->items[j].name));
                                if (!streq(d->device, store_device(m->store)) &&
                                    files->items[j].size > files->items[j].offset)
                                        unread += files->items[j].size - files->items[j].offset;
                        }
                json_array_append_new(a, json_pack("{s:s, s:s?, s:b, s:I, s:o, s:o, s:I, s:o}", "device", d->device,
                                                   "host", d->host, "this", streq(d->device, store_device(m->store)),
                                                   "seq", (json_int_t) d->seq, "last_change", time_json(d->hlc),
                                                   "read_at", time_json(d->read_usec), "unread_bytes", unread, "files",
                                                   names ?: json_array()));
        }
        return a;
}

static int method_sync_status(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const SyncState *st = &m->sync;
        StoreSyncDevices devices = {};
        SyncFileInfos files = {};
        unsigned pending = 0;
        (void) now;
        (void) params;
        int r = store_outbox_count(m->store, &pending);
        if (r >= 0 && st->folder) {
                r = store_sync_devices(m->store, &devices);
                if (r >= 0)
                        (void) sync_folder_files(m, &files);
        }
        if (r >= 0) {
                res->reply = json_pack("{s:b, s:s?, s:s, s:s?, s:s?, s:I, s:o, s:o, s:s?}", "enabled",
                                       st->folder != NULL, "folder", st->folder, "device", store_device(m->store),
                                       "host", st->host, "file", st->own_name, "pending", (json_int_t) pending,
                                       "devices", devices_json(m, &devices, &files), "failed_at",
                                       st->failed ? time_json(st->failed_usec) : json_null(), "reason",
                                       st->failed ? st->reason : NULL);
                if (!res->reply)
                        r = -ENOMEM;
        }
        store_sync_devices_done(&devices);
        sync_file_infos_done(&files);
        return r;
}

static int method_sync_compact(Manager *m, const Now *now, const void *params, MethodResult *res) {
        uint64_t lines = 0;
        (void) params;
        if (!m->sync.folder)
                return method_fail(res, LOOKBACK_ERROR_SYNC_OFF, NULL);
        int r = sync_folder_compact(m, now, &lines);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return method_fail(res, LOOKBACK_ERROR_FILE_ERROR,
                                   json_pack("{s:s, s:s}", "path", m->sync.folder, "reason",
                                             m->sync.failed ? m->sync.reason : strerror(-r)));
        res->reply = json_pack("{s:s, s:s, s:I}", "file", m->sync.own_name, "generation", m->sync.generation, "changes",
                               (json_int_t) lines);
        return res->reply ? 0 : -ENOMEM;
}

static const ParamSpec params_none[] = { {} };

/* Neither runs in the method's transaction: the sync part writes files
 * and commits what they hold itself. */
const Method method_sync_table[] = {
        { "io.lookback.SyncStatus", method_sync_status, false, params_none, 0 },
        { "io.lookback.SyncCompact", method_sync_compact, false, params_none, 0 },
        {},
};
