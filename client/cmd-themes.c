/* lookback themes: the words that keep coming back in the answers over
 * the years. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "pager.h"
#include "search-print.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_themes = {
        .name = "themes",
        .usage = "themes [--from DATE] [--to DATE]",
        .summary = "show the words that keep coming back in the answers over the years",
        .help = "Options:\n"
                "  -f, --from DATE  only answers whose period ends on or after DATE\n"
                "  -t, --to DATE    only answers whose period starts on or before DATE\n"
                "\n"
                "A theme is a word in answers from three or more different years, yet in\n"
                "fewer than 5% of them: common words are left out, and Korean words count\n"
                "without their particles and endings.\n",
        .run = run,
};

/* Themes are a handful of words; a wider column than this is not kept
 * for the odd long one. */
#define THEME_COLUMN_MAX 24

typedef struct {
        char *term; /* sanitized; NULL on OOM, shown as "?" */
        size_t width;
        json_int_t count;
        json_t *years;
} ThemeRow;

static int year_compare(const void *a, const void *b) {
        json_int_t x = *(const json_int_t *) a, y = *(const json_int_t *) b;
        return x < y ? -1 : x > y;
}

/* "in 2020, 2022 and 2023": distinct years, oldest first. */
static void print_years(FILE *f, json_t *years) {
        size_t n = 0, distinct = 0, i;
        json_t *y;
        _cleanup_free_ json_int_t *list = calloc(json_array_size(years) + 1, sizeof(*list));
        if (!list)
                return;
        json_array_foreach(years, i, y)
                if (json_is_integer(y))
                        list[n++] = json_integer_value(y);
        qsort(list, n, sizeof(*list), year_compare);
        for (i = 0; i < n; i++)
                if (distinct == 0 || list[i] != list[distinct - 1])
                        list[distinct++] = list[i];
        fputs(" in ", f);
        for (i = 0; i < distinct; i++)
                fprintf(f, "%s%" JSON_INTEGER_FORMAT, i == 0 ? "" : i + 1 == distinct ? " and " : ", ", list[i]);
}

static void print_rows(FILE *f, const ThemeRow *rows, size_t n) {
        size_t term_width = 0, count_width = 0;
        char count[32];

        for (size_t i = 0; i < n; i++) {
                if (rows[i].width <= THEME_COLUMN_MAX && rows[i].width > term_width)
                        term_width = rows[i].width;
                size_t w = (size_t) snprintf(count, sizeof(count), "%" JSON_INTEGER_FORMAT, rows[i].count);
                if (w > count_width)
                        count_width = w;
        }
        for (size_t i = 0; i < n; i++) {
                size_t pad = rows[i].width < term_width ? term_width - rows[i].width : 0;
                fprintf(f, "%s%*s  %*" JSON_INTEGER_FORMAT " answer%s ", rows[i].term ?: "?", (int) pad, "",
                        (int) count_width, rows[i].count, rows[i].count == 1 ? " " : "s");
                print_years(f, rows[i].years);
                fputc('\n', f);
        }
}

static void print(json_t *parameters, const void *userdata) {
        const ClientContext *ctx = userdata;
        json_t *themes = json_object_get(parameters, "themes"), *t;
        size_t n = json_array_size(themes), i;
        Pager p;

        if (n == 0) {
                fprintf(stderr, "No recurring themes yet (a term must appear in answers from three different "
                                "years, in fewer than 5%% of them).\n");
                return;
        }
        ThemeRow *rows = calloc(n, sizeof(*rows));
        if (!rows) {
                client_error(0, "out of memory");
                return;
        }
        json_array_foreach(themes, i, t) {
                rows[i] = (ThemeRow){
                        .term = text_sanitize(client_json_str(t, "term", "?"), TEXT_ONE_LINE),
                        .count = json_integer_value(json_object_get(t, "count")),
                        .years = json_object_get(t, "years"),
                };
                rows[i].width = rows[i].term ? text_width(rows[i].term, strlen(rows[i].term)) : 1;
        }
        pager_begin(&p, !ctx->no_pager);
        print_rows(p.f, rows, n);
        fprintf(p.f, "\nlookback search TERM shows them.\n");
        pager_end(&p);
        for (i = 0; i < n; i++)
                free(rows[i].term);
        free(rows);
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "from", required_argument, NULL, 'f' },
                { "to", required_argument, NULL, 't' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        DateRange range = {};
        int c;

        while ((c = getopt_long(argc, argv, "f:t:h", options, NULL)) >= 0) {
                switch (c) {
                case 'f':
                case 't':
                        if (client_range_option(ctx, c, optarg, false, &range))
                                return EXIT_USAGE;
                        break;
                case 'h':
                        command_help(&cmd_themes);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_themes.usage);
                }
        }
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_themes.usage);
        if (client_check_range(range.from, range.to, "--from", "--to"))
                return EXIT_USAGE;
        json_t *params = json_pack("{s:s?, s:s?}", "from", range.from, "to", range.to);
        return client_call_print(ctx, "io.lookback.Themes", params, print, ctx);
}
