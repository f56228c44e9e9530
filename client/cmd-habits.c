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

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = { { "help", no_argument, NULL, 'h' }, {} };
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                if (c != 'h')
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_habits.usage);
                command_help(&cmd_habits);
                return 0;
        }
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_habits.usage);

        ClientReply reply;
        if (client_call("io.lookback.Habits", NULL, false, &reply) < 0)
                return EXIT_UNAVAILABLE;
        int r = 0;
        if (reply.error)
                r = client_print_error(&reply);
        else if (ctx->json)
                client_print_json(reply.parameters);
        else
                habits_print(json_object_get(reply.parameters, "habits"), stdout);
        client_reply_done(&reply);
        return r;
}
