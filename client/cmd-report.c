/* lookback report: the lapse report, in text, Markdown, JSON or HTML. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_report = {
        .name = "report",
        .usage = "report [--from DATE] [--to DATE] [--format text|markdown|json|html] [--output FILE]",
        .summary = "the lapse report: every habit's numbers, lapses, pauses and goals",
        .help = "Options:\n"
                "  -f, --from DATE      first day (default: six months before --to)\n"
                "  -t, --to DATE        last day (default today); status and streaks are as of\n"
                "                       its end\n"
                "  -F, --format FORMAT  text (default), markdown, json or html (one\n"
                "                       self-contained page, printable)\n"
                "  -o, --output FILE    write to FILE instead of stdout\n"
                "\n"
                "Periods count when they end within the range. --json equals --format json.\n",
        .run = run,
};

typedef struct {
        const char *output;
        int result;
} Output;

static void print(json_t *p, const void *userdata) {
        Output *o = (Output *) userdata;
        json_t *content = json_object_get(p, "content");
        content = json_is_string(content) ? content : NULL;
        _cleanup_free_ char *text =
                content ? strdup(json_string_value(content))
                        : json_dumps(json_object_get(p, "report"),
                                     JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        if (!text) {
                o->result = client_error(1, "out of memory");
                return;
        }
        if (!o->output || streq(o->output, "-")) {
                fputs(text, stdout);
                if (!content)
                        fputc('\n', stdout);
                return;
        }
        int r = write_file_atomic(o->output, text, 0644);
        if (r < 0)
                o->result = client_error(1, "cannot write %s: %s", o->output, strerror(-r));
        else
                fprintf(stderr, "Wrote %s.\n", o->output);
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = {
                { "from", required_argument, NULL, 'f' },   { "to", required_argument, NULL, 't' },
                { "format", required_argument, NULL, 'F' }, { "output", required_argument, NULL, 'o' },
                { "help", no_argument, NULL, 'h' },         {},
        };
        static const char *const formats[] = { "text", "markdown", "json", "html" };
        DateRange range = {};
        const char *format = NULL;
        bool known = false;
        Output out = {};
        int c;

        while ((c = getopt_long(argc, argv, "f:t:F:o:h", options, NULL)) >= 0) {
                switch (c) {
                case 'f':
                case 't':
                        if (client_range_option(ctx, c, optarg, true, &range))
                                return EXIT_USAGE;
                        break;
                case 'F':
                        format = optarg;
                        break;
                case 'o':
                        out.output = optarg;
                        break;
                case 'h':
                        command_help(&cmd_report);
                        return 0;
                default:
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_report.usage);
                }
        }
        if (ctx->json && format && !streq(format, "json"))
                return client_error(EXIT_USAGE, "--json and --format %s contradict each other", format);
        if (!format)
                format = ctx->json ? "json" : "text";
        for (size_t i = 0; i < ELEMENTSOF(formats); i++)
                known = known || streq(format, formats[i]);
        if (!known)
                return client_error(EXIT_USAGE, "unknown format '%s': expected text, markdown, json or html", format);
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_report.usage);
        if (client_check_range(range.from, range.to, "--from", "--to"))
                return EXIT_USAGE;

        /* The report is the output here, so --json goes through print() too. */
        ClientContext plain = *ctx;
        plain.json = false;
        json_t *params = json_pack("{s:s, s:s?, s:s?}", "format", format, "from", range.from, "to", range.to);
        int r = client_call_print(&plain, "io.lookback.Report", params, print, &out);
        return r ? r : out.result;
}
