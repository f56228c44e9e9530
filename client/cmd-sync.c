/* lookback sync [status] | compact: the sync folder as this machine sees
 * it, and a fresh snapshot of this machine's file in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_sync = {
        .name = "sync",
        .usage = "sync [status] | compact",
        .summary = "show the sync folder and the machines in it, or compact this machine's file",
        .help = "Commands:\n"
                "  status   the folder, this machine's file and what waits to be written\n"
                "           to it, each machine seen (its host, its newest change applied\n"
                "           here, when its file was read, how much of it is not read yet)\n"
                "           and the last failure (the default)\n"
                "  compact  rewrite this machine's file as a snapshot of the live records,\n"
                "           so that it stops growing; the other machines read it again\n"
                "\n"
                "Sync is on when lookback.ini has [sync] folder = DIR, a folder that\n"
                "Syncthing, Nextcloud or git carries between your machines. Each machine\n"
                "writes only its own file there and reads the others' as they arrive.\n",
        .run = run,
};

/* "2026-12-03T09:50:00.123456Z" as local "2026-12-03 10:50", in @buf. */
static const char *local_time(const char *iso, char buf[static 32]) {
        struct tm tm = {};
        if (!iso || !strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm))
                return "never";
        time_t t = timegm(&tm);
        struct tm local;
        if (!localtime_r(&t, &local) || !strftime(buf, 32, "%Y-%m-%d %H:%M", &local))
                return iso;
        return buf;
}

static void print_status(json_t *p, const void *userdata) {
        char when[32];
        (void) userdata;
        if (!json_is_true(json_object_get(p, "enabled"))) {
                printf("Sync is off. To turn it on, add to lookback.ini:\n\n  [sync]\n  folder = ~/Sync/lookback\n\n"
                       "with a folder that Syncthing, Nextcloud or git carries between your machines.\n");
                return;
        }
        json_int_t pending = json_integer_value(json_object_get(p, "pending"));
        printf("Folder:       %s\n", client_json_str(p, "folder", "?"));
        printf("This machine: %s, writes %s\n", client_json_str(p, "host", "?"), client_json_str(p, "file", "?"));
        if (pending)
                printf("Waiting:      %lld change%s not written to the folder yet\n", (long long) pending,
                       pending == 1 ? "" : "s");
        json_t *devices = json_object_get(p, "devices"), *d;
        size_t i;
        printf("\nMachines:\n");
        json_array_foreach(devices, i, d) {
                bool self = json_is_true(json_object_get(d, "this"));
                json_int_t unread = json_integer_value(json_object_get(d, "unread_bytes"));
                printf("  %-16s %.8s  last change %s", client_json_str(d, "host", "?"),
                       client_json_str(d, "device", "?"), local_time(client_json_str(d, "last_change", NULL), when));
                if (self)
                        printf("  (this machine)\n");
                else if (unread)
                        printf("  %lld bytes not read yet (still arriving?)\n", (long long) unread);
                else
                        printf("  up to date (read %s)\n", local_time(client_json_str(d, "read_at", NULL), when));
        }
        if (json_array_size(devices) <= 1)
                printf("  no other machine has written to the folder yet\n");
        const char *reason = client_json_str(p, "reason", NULL);
        if (reason)
                printf("\nLast failure (%s): %s\n", local_time(client_json_str(p, "failed_at", NULL), when), reason);
}

static void print_compact(json_t *p, const void *userdata) {
        (void) userdata;
        json_int_t n = json_integer_value(json_object_get(p, "changes"));
        printf("Rewrote %s: %lld change%s, generation %s.\n", client_json_str(p, "file", "?"), (long long) n,
               n == 1 ? "" : "s", client_json_str(p, "generation", "?"));
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        int r = command_parse_help_only(&cmd_sync, argc, argv);
        if (r <= 0)
                return -r;
        const char *sub = optind < argc ? argv[optind] : "status";
        if (argc - optind > 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_sync.usage);
        if (streq(sub, "status"))
                return client_call_print(ctx, "io.lookback.SyncStatus", json_object(), print_status, NULL);
        if (streq(sub, "compact"))
                return client_call_print(ctx, "io.lookback.SyncCompact", json_object(), print_compact, NULL);
        return client_error(EXIT_USAGE, "unknown sync command '%s'; usage: lookback %s", sub, cmd_sync.usage);
}
