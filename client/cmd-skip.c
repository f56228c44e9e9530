/* lookback skip: excuse a review period (a holiday, a hospital week). */
#include <getopt.h>
#include <stdio.h>

#include "client.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_skip = {
        .name = "skip",
        .usage = "skip [weekly|halfyear] [--date DATE] [--note TEXT]",
        .summary = "skip a review period: excused, not missed",
        .help = "Options:\n"
                "  -d, --date DATE  skip the period containing DATE; default: the pending\n"
                "                   prompt's period, else the current one\n"
                "  -m, --note TEXT  why (kept with the skip)\n"
                "\n"
                "A skipped period does not count as missed and does not break a streak.\n",
        .run = run,
};

static void print(json_t *parameters, const void *userdata) {
        printf("Skipped the %s for %s.\n", review_title(json_string_value(json_object_get(parameters, "kind"))),
               json_string_value(json_object_get(parameters, "label")));
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
        int c, r;

        while ((c = getopt_long(argc, argv, "d:m:h", options, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        if (client_parse_date(ctx, optarg, date) < 0)
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
        r = command_kind_operand(&cmd_skip, argc, argv, &kind);
        if (r < 0)
                return -r;

        json_t *params = json_pack("{s:s, s:s?, s:s?}", "kind", kind, "date", has_date ? date : NULL, "note", note);
        return client_call_print(ctx, "io.lookback.Skip", params, print, NULL);
}
