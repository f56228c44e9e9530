/* lookback pause / resume: a habit stops for a reason, not a lapse. */
#include <getopt.h>
#include <stdio.h>

#include "client.h"

static int run_pause(ClientContext *ctx, int argc, char *argv[]);
static int run_resume(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_pause = {
        .name = "pause",
        .usage = "pause HABIT [--from DATE] [--to DATE] [--reason TEXT]",
        .summary = "pause a habit (an injury, a move): paused periods are not missed",
        .help = "Options:\n"
                "  -f, --from DATE    the first paused day (default today; may be in the future)\n"
                "  -t, --to DATE      the last paused day; without it the pause lasts until\n"
                "                     'lookback resume HABIT'\n"
                "  -r, --reason TEXT  why: the half-year report shows it\n",
        .run = run_pause,
};

const Command cmd_resume = {
        .name = "resume",
        .usage = "resume HABIT [--date DATE]",
        .summary = "end a habit's open pause (the day before DATE, default today)",
        .run = run_resume,
};

static void print_pause(json_t *p, const void *userdata) {
        const char *to = json_string_value(json_object_get(p, "to"));
        const char *reason = json_string_value(json_object_get(p, "reason"));
        printf("%s: paused from %s %s%s%s%s.\n", json_string_value(json_object_get(p, "habit")),
               json_string_value(json_object_get(p, "from")), to ? "to " : "until you resume it", to ? to : "",
               reason ? "; reason: " : "", reason ? reason : "");
}

static int run_pause(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "from", required_argument, NULL, 'f' },
                { "to", required_argument, NULL, 't' },
                { "reason", required_argument, NULL, 'r' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        DateRange range = {};
        const char *reason = NULL;
        int c;

        while ((c = getopt_long(argc, argv, "f:t:r:h", options, NULL)) >= 0) {
                switch (c) {
                case 'f':
                case 't':
                        if (client_range_option(ctx, c, optarg, false, &range))
                                return EXIT_USAGE;
                        break;
                case 'r':
                        reason = optarg;
                        break;
                case 'h':
                        command_help(&cmd_pause);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_pause.usage);
                }
        }
        if (argc - optind != 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_pause.usage);
        if (client_check_range(range.from, range.to, "--from", "--to"))
                return EXIT_USAGE;
        json_t *params = json_pack("{s:s, s:s?, s:s?, s:s?}", "habit", argv[optind], "from", range.from, "to", range.to,
                                   "reason", reason);
        return client_call_print(ctx, "io.lookback.Pause", params, print_pause, NULL);
}

static void print_resume(json_t *p, const void *userdata) {
        const char *habit = json_string_value(json_object_get(p, "habit"));
        if (json_is_true(json_object_get(p, "removed")))
                printf("%s: the pause from %s is undone.\n", habit, json_string_value(json_object_get(p, "from")));
        else
                printf("%s: paused %s to %s; counting again from the day after.\n", habit,
                       json_string_value(json_object_get(p, "from")), json_string_value(json_object_get(p, "to")));
}

static int run_resume(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "date", required_argument, NULL, 'd' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        char date[DATE_STR_MAX];
        bool has_date = false;
        int c;

        while ((c = getopt_long(argc, argv, "d:h", options, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        if (client_parse_date(ctx, optarg, date) < 0)
                                return EXIT_USAGE;
                        has_date = true;
                        break;
                case 'h':
                        command_help(&cmd_resume);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_resume.usage);
                }
        }
        if (argc - optind != 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_resume.usage);
        json_t *params = json_pack("{s:s, s:s?}", "habit", argv[optind], "date", has_date ? date : NULL);
        return client_call_print(ctx, "io.lookback.Resume", params, print_resume, NULL);
}
