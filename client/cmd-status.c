/* lookback status: what is coming, what is pending, how habits stand. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "client.h"
#include "habits-print.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_status = {
        .name = "status",
        .usage = "status",
        .summary = "show the next prompts, pending reviews and each habit's state",
        .run = run,
};

static const char *kind_name(const char *kind) {
        return kind && streq(kind, "halfyear") ? "half-year review" : "weekly review";
}

static void print_next(json_t *next) {
        size_t i;
        json_t *n;
        json_array_foreach(next, i, n) {
                time_t at = (time_t) (json_integer_value(json_object_get(n, "at")) / 1000000);
                char buf[64];
                struct tm tm;
                strftime(buf, sizeof(buf), "%a %Y-%m-%d %H:%M", localtime_r(&at, &tm));
                printf("Next %-18s %s  (%s)\n", kind_name(json_string_value(json_object_get(n, "kind"))), buf,
                       json_string_value(json_object_get(n, "schedule")));
                json_t *snooze = json_object_get(n, "snoozed_until");
                if (snooze) {
                        at = (time_t) (json_integer_value(snooze) / 1000000);
                        strftime(buf, sizeof(buf), "%a %Y-%m-%d %H:%M:%S", localtime_r(&at, &tm));
                        printf("  its pending prompt is snoozed until %s\n", buf);
                }
        }
}

static void print_pending(json_t *pending) {
        size_t i;
        json_t *p;
        if (json_array_size(pending) == 0) {
                printf("Pending reviews: none\n");
                return;
        }
        printf("Pending reviews:\n");
        json_array_foreach(pending, i, p) {
                const char *kind = json_string_value(json_object_get(p, "kind"));
                long long missed = json_integer_value(json_object_get(p, "missed"));
                printf("  %s for %s  (lookback answer %s)", kind_name(kind), json_string_value(json_object_get(p, "label")),
                       kind);
                if (missed > 1)
                        printf("  [%lld prompts missed while lookbackd was not running]", missed);
                printf("\n");
        }
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = { { "help", no_argument, NULL, 'h' }, {} };
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                if (c != 'h')
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_status.usage);
                command_help(&cmd_status);
                return 0;
        }
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_status.usage);

        ClientReply reply;
        if (client_call("io.lookback.Status", NULL, false, &reply) < 0)
                return EXIT_UNAVAILABLE;
        int r = 0;
        if (reply.error)
                r = client_print_error(&reply);
        else if (ctx->json)
                client_print_json(reply.parameters);
        else {
                print_next(json_object_get(reply.parameters, "next"));
                print_pending(json_object_get(reply.parameters, "pending"));
                printf("\n");
                habits_print(json_object_get(reply.parameters, "habits"), stdout);
        }
        client_reply_done(&reply);
        return r;
}
