/* lookback history HABIT: a habit's check-ins, skips and pauses with what
 * was written with them, newest first. */
#include <getopt.h>
#include <stdio.h>

#include "client.h"
#include "search-print.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_history = {
        .name = "history",
        .usage = "history HABIT [--limit N]",
        .summary = "show a habit's check-ins, skips and pauses with their notes",
        .help = "Options:\n"
                "  -n, --limit N  only the newest N entries\n"
                "\n"
                "Notes are what was given with 'done --note' or 'skip --note'; a pause\n"
                "shows its reason.\n",
        .run = run,
};

static const char *str(json_t *o, const char *key, const char *fallback) {
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : fallback;
}

static void print_event(json_t *e, FILE *f) {
        const char *kind = str(e, "kind", "?"), *note = str(e, "note", NULL);

        /* The id, for 'lookback forget'; a review's periods have theirs in its log. */
        fprintf(f, "%-8.8s  ", str(e, "id", ""));

        if (streq(kind, "pause")) {
                const char *to = str(e, "to", NULL);
                fprintf(f, "%s  paused   %s%s", str(e, "date", "?"), to ? "to " : "(ongoing)", to ? to : "");
        } else
                fprintf(f, "%s  %-7s", str(e, "date", "?"), streq(kind, "skip") ? "skipped" : "done");
        if (note) {
                _cleanup_free_ char *clean = text_sanitize(note, TEXT_ONE_LINE);
                fprintf(f, "  %s", clean ? clean : "");
        }
        fputc('\n', f);
}

static void print(json_t *parameters, const void *userdata) {
        json_t *events = json_object_get(parameters, "events");
        size_t i;
        json_t *e;

        if (json_array_size(events) == 0)
                fprintf(stderr, "Nothing recorded for %s yet. Check in with 'lookback done %s'.\n",
                        str(parameters, "habit", "?"), str(parameters, "habit", "?"));
        json_array_foreach(events, i, e)
                print_event(e, stdout);
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "limit", required_argument, NULL, 'n' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        unsigned limit = 0;
        int c;

        while ((c = getopt_long(argc, argv, "n:h", options, NULL)) >= 0) {
                switch (c) {
                case 'n':
                        if (safe_atou(optarg, 1, 1000000, &limit) < 0)
                                return client_error(EXIT_USAGE, "invalid --limit '%s': expected a count from 1",
                                                    optarg);
                        break;
                case 'h':
                        command_help(&cmd_history);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_history.usage);
                }
        }
        if (argc - optind != 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_history.usage);
        json_t *params = json_pack("{s:s}", "habit", argv[optind]);
        if (params && limit > 0)
                json_object_set_new(params, "limit", json_integer(limit));
        return client_call_print(ctx, "io.lookback.History", params, print, NULL);
}
