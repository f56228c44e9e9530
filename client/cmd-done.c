/* lookback done HABIT: a check-in. */
#include <getopt.h>
#include <stdio.h>

#include "client.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_done = {
        .name = "done",
        .usage = "done HABIT [--date DATE] [--note TEXT]",
        .summary = "check in a habit (today, or on DATE)",
        .help = "Options:\n"
                "  -d, --date DATE  the day it was done (default today)\n"
                "  -m, --note TEXT  a note to keep with the check-in\n"
                "\n"
                "weekly-review and halfyear-review are checked in by 'lookback answer'.\n",
        .run = run,
};

static void print(json_t *p, const void *userdata) {
        const char *habit = json_string_value(json_object_get(p, "habit"));
        const char *date = json_string_value(json_object_get(p, "date"));
        long long n = json_integer_value(json_object_get(p, "in_period"));
        long long times = json_integer_value(json_object_get(p, "times"));
        if (!json_is_true(json_object_get(p, "counts"))) {
                printf("%s: checked in for %s, but %s starts on %s, so this one does not count.\n", habit, date, habit,
                       json_string_value(json_object_get(p, "since")));
                return;
        }
        printf("%s: checked in for %s (%lld of %lld in %s..%s%s)\n", habit, date, n, times,
               json_string_value(json_object_get(p, "period_start")),
               json_string_value(json_object_get(p, "period_end")), n > times ? ": more than the target" : "");
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        DateNote dn;
        int r = command_parse_date_note(&cmd_done, ctx, argc, argv, &dn);
        if (r <= 0)
                return -r;
        if (argc - optind != 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_done.usage);

        json_t *params = json_pack("{s:s, s:s?, s:s?}", "habit", argv[optind], "date", dn.date, "note", dn.note);
        return client_call_print(ctx, "io.lookback.Done", params, print, NULL);
}
