/* lookback log: past answers, newest first. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "client.h"
#include "date.h"
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

static const char *str(json_t *o, const char *key) {
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : "";
}

static void print_answer(json_t *a, FILE *f) {
        time_t created = (time_t) (json_integer_value(json_object_get(a, "created")) / 1000000);
        char when[64];
        struct tm tm;
        size_t i;
        json_t *e;

        strftime(when, sizeof(when), "%a %Y-%m-%d %H:%M", localtime_r(&created, &tm));
        fprintf(f, "%s review for %s\nwritten %s, id %.8s\n\n",
                streq(str(a, "kind"), "halfyear") ? "Half-year" : "Weekly", str(a, "label"), when, str(a, "id"));
        json_array_foreach(json_object_get(a, "entries"), i, e) {
                const char *q = str(e, "question");
                if (*q)
                        fprintf(f, "## %s\n", q);
                fprintf(f, "%s\n\n", str(e, "answer"));
        }
}

static void print(json_t *parameters, const void *userdata) {
        json_t *answers = json_object_get(parameters, "answers");
        size_t i;
        json_t *a;
        if (json_array_size(answers) == 0)
                fprintf(stderr, "%s\n",
                        userdata ? "No answers in that range." : "No answers yet. Write one with 'lookback answer'.");
        json_array_foreach(answers, i, a)
                print_answer(a, stdout);
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
        return client_call_print(ctx, "io.lookback.Log", params, print, kind || has_from || has_to ? "filtered" : NULL);
}
