/* lookback remind: show a review prompt now, to try it out. */
#include <getopt.h>
#include <stdio.h>

#include "client.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_remind = {
        .name = "remind",
        .usage = "remind [weekly|halfyear]",
        .summary = "show a review prompt now (to try the notification)",
        .help = "The prompt is for the period containing yesterday, and stays pending until\n"
                "answered or skipped, like a scheduled one.\n",
        .run = run,
};

static void print(json_t *parameters, const void *userdata) {
        printf("Prompted the %s for %s.\n", review_title(json_string_value(json_object_get(parameters, "kind"))),
               json_string_value(json_object_get(parameters, "label")));
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        const char *kind;
        int r = command_parse_help_only(&cmd_remind, argc, argv);
        if (r <= 0)
                return -r;
        r = command_kind_operand(&cmd_remind, argc, argv, &kind);
        if (r < 0)
                return -r;
        return client_call_print(ctx, "io.lookback.Remind", json_pack("{s:s}", "kind", kind), print, NULL);
}
