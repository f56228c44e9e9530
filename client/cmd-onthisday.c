/* lookback onthisday: what was written in this week of earlier years. */
#include <getopt.h>
#include <stdio.h>

#include "client.h"
#include "journal-print.h"
#include "pager.h"
#include "search-print.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_onthisday = {
        .name = "onthisday",
        .usage = "onthisday [--date DATE]",
        .summary = "show what was written in this week of earlier years",
        .help = "Options:\n"
                "  -d, --date DATE  the week of DATE's month and day instead of today's\n"
                "\n"
                "For each earlier year with something in it, oldest first: that year's\n"
                "week containing the same month and day (29 Feb counts as 28 Feb), its\n"
                "weekly answers, and the check-in and skip notes, pause reasons and goals\n"
                "dated in it.\n",
        .run = run,
};

/* An answer: its question, then the text below it, indented. Anything
 * else on one line: "note on HABIT (DATE): text". */
static void print_entry(FILE *f, json_t *e) {
        bool answer = journal_entry_is_answer(e);
        journal_print_what(f, e, !answer);
        if (answer) {
                fputc('\n', f);
                text_print_indented(f, client_json_str(e, "text", ""), "    ");
                return;
        }
        fputs(": ", f);
        text_print(f, client_json_str(e, "text", ""), TEXT_ONE_LINE);
        fputc('\n', f);
}

/* "2023 — 2023-W49 (Mon 4 Dec - Sun 10 Dec)", then its entries. */
static void print_year(FILE *f, json_t *year) {
        size_t i;
        json_t *e;

        fprintf(f, "%" JSON_INTEGER_FORMAT " — ", json_integer_value(json_object_get(year, "year")));
        text_print(f, client_json_str(year, "label", "?"), TEXT_ONE_LINE);
        fputs("\n\n", f);
        json_array_foreach(json_object_get(year, "entries"), i, e) {
                if (i > 0)
                        fputc('\n', f);
                print_entry(f, e);
        }
}

static void print(json_t *parameters, const void *userdata) {
        const ClientContext *ctx = userdata;
        json_t *years = json_object_get(parameters, "years");
        size_t i;
        json_t *year;
        Pager p;

        if (json_array_size(years) == 0) {
                fprintf(stderr, "Nothing written in this week of earlier years.\n");
                return;
        }
        pager_begin(&p, !ctx->no_pager);
        json_array_foreach(years, i, year) {
                if (i > 0)
                        fputc('\n', p.f);
                print_year(p.f, year);
        }
        pager_end(&p);
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
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
                        command_help(&cmd_onthisday);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_onthisday.usage);
                }
        }
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_onthisday.usage);
        json_t *params = json_pack("{s:s?}", "date", has_date ? date : NULL);
        return client_call_print(ctx, "io.lookback.OnThisDay", params, print, ctx);
}
