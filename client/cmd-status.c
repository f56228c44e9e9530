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

static void print_next(json_t *next) {
        size_t i;
        json_t *n;
        json_array_foreach(next, i, n) {
                time_t at = (time_t) (json_integer_value(json_object_get(n, "at")) / 1000000);
                char buf[64];
                struct tm tm;
                strftime(buf, sizeof(buf), "%a %Y-%m-%d %H:%M", localtime_r(&at, &tm));
                printf("Next %-18s %s  (%s)\n", review_title(json_string_value(json_object_get(n, "kind"))), buf,
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
                printf("  %s for %s  (lookback answer %s)", review_title(kind),
                       json_string_value(json_object_get(p, "label")), kind);
                if (missed > 1)
                        printf("  [%lld prompts missed while lookbackd was not running]", missed);
                printf("\n");
        }
}

static void print_backup(json_t *b) {
        if (!b)
                return;
        if (json_is_string(json_object_get(b, "failed_on")))
                printf("backup: last snapshot failed on %s: %s\n", client_json_str(b, "failed_on", "?"),
                       client_json_str(b, "reason", "?"));
        else if (!json_is_true(json_object_get(b, "enabled")))
                printf("backup: daily snapshots are off ([backup] enabled = no)\n");
        else if (json_is_string(json_object_get(b, "last")))
                printf("backup: last snapshot %s, in %s\n", client_json_str(b, "last", "?"),
                       client_json_str(b, "folder", "?"));
        else
                printf("backup: no snapshot yet; daily snapshots go to %s\n", client_json_str(b, "folder", "?"));
}

/* Only there when something is wrong: a failed write, or changes waiting. */
static void print_sync(json_t *s) {
        if (!json_is_object(s))
                return;
        json_int_t pending = json_integer_value(json_object_get(s, "pending"));
        if (json_is_string(json_object_get(s, "reason")))
                printf("sync: %s\n", client_json_str(s, "reason", "?"));
        if (pending)
                printf("sync: %lld change%s waiting to be written to %s ('lookback sync status')\n",
                       (long long) pending, pending == 1 ? "" : "s", client_json_str(s, "folder", "?"));
}

static void print(json_t *parameters, const void *userdata) {
        print_next(json_object_get(parameters, "next"));
        print_pending(json_object_get(parameters, "pending"));
        print_backup(json_object_get(parameters, "backup"));
        print_sync(json_object_get(parameters, "sync"));
        printf("\n");
        habits_print(json_object_get(parameters, "habits"), stdout);
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        int r = command_parse_help_only(&cmd_status, argc, argv);
        if (r <= 0)
                return -r;
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_status.usage);
        return client_call_print(ctx, "io.lookback.Status", NULL, print, NULL);
}
