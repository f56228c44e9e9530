/* lookback skip: excuse a review period (a holiday, a hospital week). */
#include <getopt.h>
#include <stdio.h>

#include "client.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_skip = {
        .name = "skip",
        .usage = "skip [weekly|halfyear|HABIT] [--date DATE] [--note TEXT]",
        .summary = "skip a review's or a habit's period: excused, not missed",
        .help = "Options:\n"
                "  -d, --date DATE  skip the period containing DATE; for a review the default is\n"
                "                   the pending prompt's period, else the current one; for a\n"
                "                   habit, today's period\n"
                "  -m, --note TEXT  why (kept with the skip)\n"
                "\n"
                "A skipped period does not count as missed and does not break a streak.\n",
        .run = run,
};

static void print(json_t *p, const void *userdata) {
        const char *habit = json_string_value(json_object_get(p, "habit"));
        if (habit)
                printf("%s: skipped the period %s..%s.\n", habit, json_string_value(json_object_get(p, "period_start")),
                       json_string_value(json_object_get(p, "period_end")));
        else
                printf("Skipped the %s for %s.\n", review_title(json_string_value(json_object_get(p, "kind"))),
                       json_string_value(json_object_get(p, "label")));
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        DateNote dn;
        int r = command_parse_date_note(&cmd_skip, ctx, argc, argv, &dn);
        if (r <= 0)
                return -r;
        if (argc - optind > 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_skip.usage);
        const char *kind = optind < argc ? argv[optind] : "weekly";
        /* Not a review kind: a habit's name. */
        const char *key = review_kind_from_string(kind) < 0 ? "habit" : "kind";
        json_t *params = json_pack("{s:s, s:s?, s:s?}", key, kind, "date", dn.date, "note", dn.note);
        return client_call_print(ctx, "io.lookback.Skip", params, print, NULL);
}
