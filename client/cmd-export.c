/* lookback export: everything recorded, as one file to keep or carry. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_export = {
        .name = "export",
        .usage = "export [--format json|markdown] [--output FILE] [--from DATE] [--to DATE]",
        .summary = "everything you recorded, as JSON to import elsewhere or Markdown to read",
        .help = "Options:\n"
                "  -F, --format FORMAT  json (default: every record with its id, every version\n"
                "                       of every answer, goals' history, prompts and what was\n"
                "                       removed) or markdown (a journal to read)\n"
                "  -o, --output FILE    write FILE (atomically, private to you) instead of stdout\n"
                "  -f, --from DATE      only what touches DATE or later\n"
                "  -t, --to DATE        only what touches DATE or earlier\n"
                "\n"
                "'lookback import FILE' merges a JSON export back, on this machine or another.\n",
        .run = run,
};

typedef struct {
        const char *output;
        int result;
} Output;

static void print(json_t *p, const void *userdata) {
        Output *o = (Output *) userdata;
        const char *text = client_json_str(p, "text", "");
        if (!o->output || streq(o->output, "-")) {
                fputs(text, stdout);
                return;
        }
        /* 0600: years of private reflections. */
        int r = write_file_atomic(o->output, text, 0600);
        if (r < 0)
                o->result = client_error(1, "cannot write %s: %s", o->output, strerror(-r));
        else
                fprintf(stderr, "Wrote %s (%zu bytes).\n", o->output, strlen(text));
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "from", required_argument, NULL, 'f' },   { "to", required_argument, NULL, 't' },
                { "format", required_argument, NULL, 'F' }, { "output", required_argument, NULL, 'o' },
                { "help", no_argument, NULL, 'h' },         {},
        };
        DateRange range = {};
        const char *format = "json";
        Output out = {};
        int c;

        while ((c = getopt_long(argc, argv, "f:t:F:o:h", options, NULL)) >= 0) {
                switch (c) {
                case 'f':
                case 't':
                        if (client_range_option(ctx, c, optarg, false, &range))
                                return EXIT_USAGE;
                        break;
                case 'F':
                        if (!streq(optarg, "json") && !streq(optarg, "markdown"))
                                return client_error(EXIT_USAGE, "unknown format '%s': json or markdown", optarg);
                        format = optarg;
                        break;
                case 'o':
                        out.output = optarg;
                        break;
                case 'h':
                        command_help(&cmd_export);
                        return 0;
                default:
                        return EXIT_USAGE;
                }
        }
        if (optind != argc)
                return client_error(EXIT_USAGE, "unexpected argument '%s'. Try 'lookback export --help'.",
                                    argv[optind]);
        int r = client_check_range(range.from, range.to, "--from", "--to");
        if (r)
                return r;
        json_t *params = json_pack("{s:s, s:s*, s:s*}", "format", format, "from", range.from, "to", range.to);
        /* --json prints the reply's JSON; the document is JSON already. */
        bool json = ctx->json;
        ctx->json = false;
        r = client_call_print(ctx, "io.lookback.Export", params, print, &out);
        ctx->json = json;
        return r ?: out.result;
}
