/* lookback log: past answers, newest first. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "client.h"
#include "date.h"
#include "pager.h"
#include "search-print.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_log = {
        .name = "log",
        .usage = "log [weekly|halfyear] [--from DATE] [--to DATE]",
        .summary = "show past answers, newest first",
        .help = "Options:\n"
                "  -f, --from DATE  only periods that end on or after DATE\n"
                "  -t, --to DATE    only periods that start on or before DATE\n"
                "\n"
                "A period answered more than once shows every version, newest first.\n",
        .run = run,
};

typedef struct {
        const ClientContext *ctx;
        bool filtered; /* a kind or a range was given */
} LogPrint;

static void print_answer(json_t *a, FILE *f) {
        time_t created = (time_t) (json_integer_value(json_object_get(a, "created")) / 1000000);
        char when[64];
        struct tm tm;
        size_t i;
        json_t *e;

        strftime(when, sizeof(when), "%a %Y-%m-%d %H:%M", localtime_r(&created, &tm));
        fprintf(f, "%s review for ", streq(client_json_str(a, "kind", ""), "halfyear") ? "Half-year" : "Weekly");
        text_print(f, client_json_str(a, "label", ""), TEXT_ONE_LINE);
        fprintf(f, "\nwritten %s, id ", when);
        _cleanup_free_ char *id = text_sanitize(client_json_str(a, "id", ""), TEXT_ONE_LINE);
        fprintf(f, "%.8s\n\n", id ? id : "");
        json_array_foreach(json_object_get(a, "entries"), i, e) {
                const char *q = client_json_str(e, "question", "");
                if (*q) {
                        fputs("## ", f);
                        text_print(f, q, TEXT_ONE_LINE);
                        fputc('\n', f);
                }
                text_print(f, client_json_str(e, "answer", ""), TEXT_MULTILINE);
                fputs("\n\n", f);
        }
}

static void print(json_t *parameters, const void *userdata) {
        const LogPrint *l = userdata;
        json_t *answers = json_object_get(parameters, "answers");
        size_t i;
        json_t *a;
        Pager p;

        if (json_array_size(answers) == 0) {
                fprintf(stderr, "%s\n",
                        l->filtered ? "No answers in that range."
                                    : "No answers yet. Write one with 'lookback answer'.");
                return;
        }
        pager_begin(&p, !l->ctx->no_pager);
        json_array_foreach(answers, i, a)
                print_answer(a, p.f);
        pager_end(&p);
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "from", required_argument, NULL, 'f' },
                { "to", required_argument, NULL, 't' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        char from[DATE_STR_MAX], to[DATE_STR_MAX];
        bool has_from = false, has_to = false;
        const char *kind = NULL;
        int c;

        while ((c = getopt_long(argc, argv, "f:t:h", options, NULL)) >= 0) {
                switch (c) {
                case 'f':
                        if (client_parse_date(ctx, optarg, from) < 0)
                                return EXIT_USAGE;
                        has_from = true;
                        break;
                case 't':
                        if (client_parse_date(ctx, optarg, to) < 0)
                                return EXIT_USAGE;
                        has_to = true;
                        break;
                case 'h':
                        command_help(&cmd_log);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_log.usage);
                }
        }
        if (argc - optind > 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_log.usage);
        if (client_check_range(has_from ? from : NULL, has_to ? to : NULL, "--from", "--to"))
                return EXIT_USAGE;
        if (optind < argc) {
                kind = argv[optind];
                if (review_kind_from_string(kind) < 0)
                        return client_error(EXIT_USAGE, "unknown review kind '%s': expected weekly or halfyear", kind);
        }

        json_t *params =
                json_pack("{s:s?, s:s?, s:s?}", "kind", kind, "from", has_from ? from : NULL, "to", has_to ? to : NULL);
        LogPrint l = { .ctx = ctx, .filtered = kind || has_from || has_to };
        return client_call_print(ctx, "io.lookback.Log", params, print, &l);
}
