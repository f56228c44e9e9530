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

static void print(json_t *p, const void *userdata) {
        const char *kind = json_string_value(json_object_get(p, "kind"));
        const char *label = json_string_value(json_object_get(p, "label"));
        if (json_is_true(json_object_get(p, "shown")))
                printf("Prompted the %s for %s.\n", review_title(kind), label);
        else
                printf("Could not show a notification for the %s for %s (is a notification server running?).\n",
                       review_title(kind), label);
        if (json_is_true(json_object_get(p, "answered")))
                printf("That period is answered already, so nothing became pending.\n");
        else if (!json_is_true(json_object_get(p, "shown")))
                printf("It is pending: 'lookback answer %s' when you are ready.\n", kind);
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
