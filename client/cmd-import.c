/* lookback import: merges what another machine, an old backup or another
 * program holds. The daemon reads the file; nothing changes unless all of
 * it can be taken. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_import = {
        .name = "import",
        .usage = "import FILE [--dry-run] [--from lookback|loop|jrnl|markdown] [--as notes|weekly]",
        .summary = "merge an export (from this machine or another) or another program's data",
        .help = "Options:\n"
                "  -n, --dry-run      say what would be added, change nothing\n"
                "  --from FORMAT      lookback (default: a 'lookback export' JSON file), loop\n"
                "                     (Loop Habit Tracker's CSV export, unzipped: its folder\n"
                "                     or Habits.csv), jrnl ('jrnl --format json' output) or\n"
                "                     markdown (a file or folder of files named YYYY-MM-DD*.md)\n"
                "  --as notes|weekly  for jrnl and Markdown: journal notes (default) or weekly\n"
                "                     answers, by the week of each entry's date\n"
                "\n"
                "Records are matched by id: importing a file twice adds nothing the second\n"
                "time (ids of other programs' records are derived from theirs), and what was\n"
                "removed here (undo, forget) stays removed. A file that\n"
                "cannot be read whole is refused with where it went wrong, and nothing\n"
                "changes.\n",
        .run = run,
};

static const char *const kind_titles[][2] = {
        { "answer", "answers" }, { "checkin", "check-ins" }, { "skip", "skips" },
        { "pause", "pauses" },   { "goal", "goals" },        { "goal-change", "goal changes" },
        { "note", "notes" },     { "prompt", "prompts" },    { "tombstone", "removals" },
};

static const char *kind_title(const char *kind) {
        for (size_t i = 0; i < ELEMENTSOF(kind_titles); i++)
                if (streq(kind_titles[i][0], kind))
                        return kind_titles[i][1];
        return kind;
}

static void print(json_t *p, const void *userdata) {
        bool dry = json_is_true(json_object_get(p, "dry_run"));
        json_t *kinds = json_object_get(p, "kinds"), *k, *h;
        unsigned total = 0;
        size_t i;
        printf("%-13s %8s %8s %8s %10s\n", "", dry ? "would add" : "added", "had", "merged", "forgotten");
        json_array_foreach(kinds, i, k) {
                json_int_t added = json_integer_value(json_object_get(k, "added")),
                           had = json_integer_value(json_object_get(k, "had")),
                           updated = json_integer_value(json_object_get(k, "updated")),
                           forgotten = json_integer_value(json_object_get(k, "forgotten"));
                if (added + had + updated + forgotten == 0)
                        continue;
                total += (unsigned) (added + updated);
                printf("%-13s %8lld %8lld %8lld %10lld\n", kind_title(client_json_str(k, "kind", "?")),
                       (long long) added, (long long) had, (long long) updated, (long long) forgotten);
        }
        json_int_t removed = json_integer_value(json_object_get(p, "removed"));
        if (removed)
                printf("%s %lld record%s here that the file says were removed.\n", dry ? "Would remove" : "Removed",
                       (long long) removed, removed == 1 ? "" : "s");
        json_t *unknown = json_object_get(p, "unknown_habits");
        if (json_array_size(unknown) > 0) {
                printf("Not in your config (kept; counted once you add them to lookback.ini):");
                json_array_foreach(unknown, i, h)
                        printf(" %s", json_string_value(h));
                printf("\n");
        }
        json_t *config = json_object_get(p, "config");
        if (json_array_size(config) > 0) {
                printf("\nTo count them, add to lookback.ini (then: systemctl --user reload lookback):\n\n");
                json_array_foreach(config, i, h)
                        printf("%s\n", json_string_value(h));
        }
        if (dry)
                printf("Dry run: nothing was changed.\n");
        else if (total == 0 && removed == 0)
                printf("Nothing new: everything in the file was here already.\n");
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "dry-run", no_argument, NULL, 'n' },
                { "from", required_argument, NULL, 'F' },
                { "as", required_argument, NULL, 'a' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        static const char *const formats[] = { "lookback", "loop", "jrnl", "markdown" };
        const char *format = "lookback", *as = NULL;
        bool dry_run = false, known = false;
        int c;

        while ((c = getopt_long(argc, argv, "nh", options, NULL)) >= 0) {
                switch (c) {
                case 'n':
                        dry_run = true;
                        break;
                case 'F':
                        format = optarg;
                        break;
                case 'a':
                        if (!streq(optarg, "notes") && !streq(optarg, "weekly"))
                                return client_error(EXIT_USAGE, "--as takes notes or weekly, not '%s'", optarg);
                        as = optarg;
                        break;
                case 'h':
                        command_help(&cmd_import);
                        return 0;
                default:
                        return EXIT_USAGE;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(formats); i++)
                known = known || streq(formats[i], format);
        if (!known)
                return client_error(EXIT_USAGE, "unknown format '%s'. Try 'lookback import --help'.", format);
        if (optind + 1 != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_import.usage);
        /* The daemon reads the file: it needs a path that does not depend
         * on this shell's directory. */
        _cleanup_free_ char *path = realpath(argv[optind], NULL);
        if (!path)
                return client_error(1, "cannot import %s: %s", argv[optind], strerror(errno));
        json_t *params =
                json_pack("{s:s, s:s, s:s*, s:b}", "path", path, "format", format, "as", as, "dry_run", dry_run);
        return client_call_print(ctx, "io.lookback.Import", params, print, NULL);
}
