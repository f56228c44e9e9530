/* lookback snooze: bring a pending prompt back later. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "client.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_snooze = {
        .name = "snooze",
        .usage = "snooze [DURATION] [--kind weekly|halfyear]",
        .summary = "show the pending prompt again later (default in 1h)",
        .help = "DURATION is like 30m, 2h, 1d or 1h30m (at most 30d). Without --kind, every\n"
                "pending prompt is snoozed. The snooze survives a daemon restart.\n",
        .run = run,
};

static void print(json_t *parameters, const void *userdata) {
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(parameters, "snoozed"), i, s) {
                time_t until = (time_t) (json_integer_value(json_object_get(s, "until")) / 1000000);
                char buf[64];
                struct tm tm;
                strftime(buf, sizeof(buf), "%a %Y-%m-%d %H:%M:%S", localtime_r(&until, &tm));
                printf("Snoozed the %s until %s.\n", review_title(json_string_value(json_object_get(s, "kind"))), buf);
        }
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "kind", required_argument, NULL, 'k' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        const char *kind = NULL, *text = "1h";
        long long seconds;
        int c;

        while ((c = getopt_long(argc, argv, "k:h", options, NULL)) >= 0) {
                switch (c) {
                case 'k':
                        kind = optarg;
                        if (review_kind_from_string(kind) < 0)
                                return client_error(EXIT_USAGE, "unknown review kind '%s': expected weekly or halfyear",
                                                    kind);
                        break;
                case 'h':
                        command_help(&cmd_snooze);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_snooze.usage);
                }
        }
        if (argc - optind > 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_snooze.usage);
        if (optind < argc)
                text = argv[optind];
        if (duration_parse(text, &seconds) < 0)
                return client_error(EXIT_USAGE, "invalid duration '%s': expected e.g. 30m, 2h, 1d (at most 30d)", text);

        json_t *params = json_pack("{s:I, s:s?}", "seconds", (json_int_t) seconds, "kind", kind);
        return client_call_print(ctx, "io.lookback.Snooze", params, print, NULL);
}
