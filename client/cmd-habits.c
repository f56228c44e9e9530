/* lookback habits: every habit with its cadence, target and last check-in. */
#include <getopt.h>
#include <stdio.h>

#include "client.h"
#include "habits-print.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_habits = {
        .name = "habits",
        .usage = "habits",
        .summary = "list habits: cadence, target, this period, last check-in",
        .help = "Habits are configured in lookback.ini as [habit \"NAME\"] sections;\n"
                "weekly-review and halfyear-review always exist.\n",
        .run = run,
};

static void print(json_t *parameters, const void *userdata) {
        habits_print(json_object_get(parameters, "habits"), stdout);
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        int r = command_parse_help_only(&cmd_habits, argc, argv);
        if (r <= 0)
                return -r;
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_habits.usage);
        return client_call_print(ctx, "io.lookback.Habits", NULL, print, NULL);
}
