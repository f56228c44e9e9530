/* lookback restore FILE: a backup or snapshot swapped in for the live
 * database, after showing what it holds and asking. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_restore = {
        .name = "restore",
        .usage = "restore FILE [--yes]",
        .summary = "replace the database with a backup or snapshot, keeping the old one",
        .help = "Options:\n"
                "  -y, --yes  do not ask (needed when stdin is not a terminal)\n"
                "\n"
                "lookbackd first checks FILE (integrity, that it is a lookback database, a\n"
                "schema no newer than its own) and shows what it holds; after you confirm,\n"
                "it moves the live database aside as lookback.db.before-restore-TIMESTAMP,\n"
                "puts a copy of FILE in its place and opens it. FILE itself is not changed.\n"
                "Snapshots are in the backup folder ('lookback status' names it).\n",
        .run = run,
};

static void print_holds(json_t *p) {
        printf("%s holds (schema %lld):\n", client_json_str(p, "path", "?"),
               (long long) json_integer_value(json_object_get(p, "schema")));
        static const char *const keys[][2] = {
                { "answers", "answers" }, { "checkins", "check-ins" }, { "skips", "skips" },
                { "pauses", "pauses" },   { "goals", "goals" },
        };
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                printf("  %-10s %lld\n", keys[i][1], (long long) json_integer_value(json_object_get(p, keys[i][0])));
        printf("  newest record: %s\n", client_json_str(p, "newest", "none"));
}

static void print_restored(json_t *p, const void *userdata) {
        printf("Restored %s as %s.\nThe previous database is kept as %s.\n", client_json_str(p, "path", "?"),
               client_json_str(p, "database", "?"), client_json_str(p, "previous", "?"));
}

/* 1 for a "y" on the terminal, 0 for anything else. */
static int confirm(void) {
        char line[16];
        printf("Replace the current database with it? The current one is kept aside. [y/N] ");
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin))
                return 0;
        return line[0] == 'y' || line[0] == 'Y';
}

static int check(const ClientContext *ctx, const char *path) {
        ClientReply reply;
        if (client_call("io.lookback.RestoreCheck", json_pack("{s:s}", "path", path), false, &reply) < 0)
                return EXIT_UNAVAILABLE;
        int r = reply.error ? client_print_error(&reply) : 0;
        if (!reply.error && !ctx->json)
                print_holds(reply.parameters);
        client_reply_done(&reply);
        return r;
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "yes", no_argument, NULL, 'y' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        _cleanup_free_ char *path = NULL;
        bool yes = false;
        int c;

        while ((c = getopt_long(argc, argv, "yh", options, NULL)) >= 0) {
                switch (c) {
                case 'y':
                        yes = true;
                        break;
                case 'h':
                        command_help(&cmd_restore);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_restore.usage);
                }
        }
        if (argc - optind != 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_restore.usage);
        if (client_absolute_path(argv[optind], &path) < 0)
                return client_error(1, "cannot tell where %s is: %m", argv[optind]);
        int r = check(ctx, path);
        if (r != 0)
                return r;
        if (!yes && !isatty(STDIN_FILENO))
                return client_error(1, "not restoring without confirmation: run it on a terminal, or pass --yes");
        if (!yes && !confirm())
                return client_error(1, "not restored; nothing was changed");
        return client_call_print(ctx, "io.lookback.Restore", json_pack("{s:s}", "path", path), print_restored, NULL);
}
