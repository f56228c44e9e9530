/* lookback skip: excuse a review period (a holiday, a hospital week). */
#include <getopt.h>
#include <stdio.h>

#include "client.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_skip = {
        .name = "skip",
        .usage = "skip [weekly|halfyear|HABIT] [--date DATE] [--note TEXT]",
        .summary = "skip a review's or a habit's period: excused, not missed",
        .help = "Options:\n"
                "  -d, --date DATE  skip the period containing DATE; for a review the default is\n"
                "                   the pending prompt's period, else the current one; for a\n"
                "                   habit, today's period\n"
                "  -m, --note TEXT  why (kept with the skip)\n"
                "\n"
                "A skipped period does not count as missed and does not break a streak.\n",
        .run = run,
};

static void print(json_t *p, const void *userdata) {
        const char *habit = json_string_value(json_object_get(p, "habit"));
        if (habit)
                printf("%s: skipped the period %s..%s.\n", habit, json_string_value(json_object_get(p, "period_start")),
                       json_string_value(json_object_get(p, "period_end")));
        else
                printf("Skipped the %s for %s.\n", review_title(json_string_value(json_object_get(p, "kind"))),
                       json_string_value(json_object_get(p, "label")));
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "date", required_argument, NULL, 'd' },
                { "note", required_argument, NULL, 'm' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        char date[DATE_STR_MAX];
        const char *note = NULL, *kind;
        bool has_date = false;
        int c;

        while ((c = getopt_long(argc, argv, "d:m:h", options, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        if (client_parse_past_date(ctx, optarg, date) < 0)
                                return EXIT_USAGE;
                        has_date = true;
                        break;
                case 'm':
                        note = optarg;
                        break;
                case 'h':
                        command_help(&cmd_skip);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_skip.usage);
                }
        }
        if (argc - optind > 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_skip.usage);
        kind = optind < argc ? argv[optind] : "weekly";
        if (review_kind_from_string(kind) < 0) {
                /* Not a review kind: a habit's name. */
                json_t *params =
                        json_pack("{s:s, s:s?, s:s?}", "habit", kind, "date", has_date ? date : NULL, "note", note);
                return client_call_print(ctx, "io.lookback.Skip", params, print, NULL);
        }
        json_t *params = json_pack("{s:s, s:s?, s:s?}", "kind", kind, "date", has_date ? date : NULL, "note", note);
        return client_call_print(ctx, "io.lookback.Skip", params, print, NULL);
}
