/* lookback backup FILE: a checked copy of the live database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "client.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_backup = {
        .name = "backup",
        .usage = "backup FILE [--force]",
        .summary = "copy the database to FILE, checked, while lookbackd runs",
        .help = "Options:\n"
                "  -f, --force  replace FILE if it exists\n"
                "\n"
                "lookbackd writes the copy with SQLite's online backup (it keeps serving\n"
                "meanwhile), mode 0600, to a temp file beside FILE, checks it with\n"
                "PRAGMA integrity_check and only then renames it to FILE. A relative FILE\n"
                "is taken from the current directory. Daily snapshots are taken anyway:\n"
                "see 'lookback status'.\n",
        .run = run,
};

static void print(json_t *p, const void *userdata) {
        printf("Backed up to %s (%lld bytes, integrity check %s).\n", client_json_str(p, "path", "?"),
               (long long) json_integer_value(json_object_get(p, "bytes")), client_json_str(p, "integrity", "?"));
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "force", no_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        _cleanup_free_ char *path = NULL;
        bool force = false;
        int c;

        while ((c = getopt_long(argc, argv, "fh", options, NULL)) >= 0) {
                switch (c) {
                case 'f':
                        force = true;
                        break;
                case 'h':
                        command_help(&cmd_backup);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_backup.usage);
                }
        }
        if (argc - optind != 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_backup.usage);
        if (client_absolute_path(argv[optind], &path) < 0)
                return client_error(1, "cannot tell where %s is: %m", argv[optind]);
        json_t *params = json_pack("{s:s, s:b}", "path", path, "force", force);
        return client_call_print(ctx, "io.lookback.Backup", params, print, NULL);
}
