/* lookback search QUERY...: find words in everything written, the best
 * match first, each hit with the passage around it. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "client.h"
#include "journal-print.h"
#include "pager.h"
#include "search-print.h"
#include "strbuf.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

/* The daemon's cap on --limit (io.lookback.varlink, Search). */
#define SEARCH_LIMIT_MAX 1000
/* A passage's marks beyond this many are not shown (the daemon sends a
 * passage of about 160 code points, so there are never this many). */
#define SEARCH_MARKS_MAX 256

const Command cmd_search = {
        .name = "search",
        .usage = "search QUERY... [--kind weekly|halfyear|notes|goals] [--from DATE] [--to DATE] [--limit N] "
                 "[--sort rank|date] [--raw]",
        .summary = "search what you wrote: answers, notes, pause reasons, goals",
        .help = "Options:\n"
                "  -k, --kind KIND   only weekly or halfyear answers, notes (check-in and\n"
                "                    skip notes, pause reasons) or goals\n"
                "  -f, --from DATE   only entries whose day or period ends on or after DATE\n"
                "  -t, --to DATE     only entries whose day or period starts on or before DATE\n"
                "  -n, --limit N     show at most N hits (default 50, at most 1000)\n"
                "  -s, --sort ORDER  rank (default: the best match first) or date (newest first)\n"
                "  -r, --raw         QUERY is an SQLite FTS5 query (AND, OR, NOT, NEAR,\n"
                "                    \"phrases\", prefix*), passed as it is\n"
                "\n"
                "Several words are one query, and every word must be there. A word finds\n"
                "the words it begins (\"expert\" finds \"expertise\"); Korean, Chinese and\n"
                "Japanese are found inside words too (\"운동\" finds \"운동을\"). Only the newest\n"
                "version of an answer is searched. Matches are bold on a terminal and\n"
                "**like this** otherwise; --json gives their offsets (in code points).\n"
                "Exit status 1 when nothing matches.\n",
        .run = run,
};

typedef struct {
        const ClientContext *ctx;
        const char *query;
        int result;
} SearchPrint;

/* "DATE  LABEL  QUESTION" for an answer, "DATE  note on HABIT" for a note. */
static void print_hit_header(FILE *f, json_t *hit) {
        text_print(f, client_json_str(hit, "date", "?"), TEXT_ONE_LINE);
        fputs("  ", f);
        if (journal_entry_is_answer(hit)) {
                text_print(f, client_json_str(hit, "label", "?"), TEXT_ONE_LINE);
                fputs("  ", f);
        }
        journal_print_what(f, hit, false);
        fputc('\n', f);
}

static void print_hit(FILE *f, json_t *hit, MarkStyle style) {
        TextMark marks[SEARCH_MARKS_MAX];
        size_t n_marks = 0, i;
        json_t *m;

        print_hit_header(f, hit);
        json_array_foreach(json_object_get(hit, "passage_marks"), i, m) {
                json_int_t start = json_integer_value(json_object_get(m, "start"));
                json_int_t end = json_integer_value(json_object_get(m, "end"));
                if (n_marks < ELEMENTSOF(marks) && start >= 0 && end > start)
                        marks[n_marks++] = (TextMark){ (size_t) start, (size_t) end };
        }
        _cleanup_free_ char *passage = mark_passage(client_json_str(hit, "passage", ""), marks, n_marks, style);
        fprintf(f, "    %s\n", passage ? passage : "");
}

/* Only when hits were left out: how many, and how to see them. */
static void print_summary(FILE *f, size_t shown, json_int_t total) {
        if (total <= (json_int_t) shown)
                return;
        fprintf(f, "\n%zu of %" JSON_INTEGER_FORMAT " matches shown; ", shown, total);
        if (total <= SEARCH_LIMIT_MAX)
                fprintf(f, "--limit %" JSON_INTEGER_FORMAT " shows them all.\n", total);
        else if (shown < SEARCH_LIMIT_MAX)
                fprintf(f, "--limit %d shows more; --kind, --from and --to narrow the search.\n", SEARCH_LIMIT_MAX);
        else
                fprintf(f, "--kind, --from and --to narrow the search.\n");
}

static void print(json_t *parameters, const void *userdata) {
        SearchPrint *s = (SearchPrint *) userdata;
        json_t *hits = json_object_get(parameters, "hits");
        size_t i;
        json_t *hit;
        Pager p;

        s->result = json_array_size(hits) == 0 ? 1 : 0;
        if (s->ctx->json) {
                client_print_json(parameters);
                return;
        }
        if (s->result != 0) {
                _cleanup_free_ char *query = text_sanitize(s->query, TEXT_ONE_LINE);
                fprintf(stderr, "No match for '%s'.\n", query ? query : "?");
                return;
        }
        pager_begin(&p, !s->ctx->no_pager);
        json_array_foreach(hits, i, hit) {
                if (i > 0)
                        fputc('\n', p.f);
                print_hit(p.f, hit, p.terminal ? MARK_BOLD : MARK_ASTERISKS);
        }
        print_summary(p.f, json_array_size(hits), json_integer_value(json_object_get(parameters, "total")));
        pager_end(&p);
}

/* The operands from optind on, joined with spaces; NULL on OOM. */
static char *join_query(int argc, char *argv[]) {
        StrBuf b = {};
        for (int i = optind; i < argc; i++) {
                if (i > optind)
                        strbuf_puts(&b, " ");
                strbuf_puts(&b, argv[i]);
        }
        return strbuf_finish(&b);
}

static bool kind_known(const char *kind) {
        static const char *const kinds[] = { "weekly", "halfyear", "notes", "goals" };
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
                if (streq(kind, kinds[i]))
                        return true;
        return false;
}

typedef struct {
        const char *kind;
        const char *sort;
        char from_buf[DATE_STR_MAX], to_buf[DATE_STR_MAX];
        const char *from, *to;
        unsigned limit; /* 0: the daemon's default */
        bool raw;
} SearchOptions;

/* Returns 1 to go on (optind at the first word), 0 after the help, or
 * -EXIT_USAGE after saying what is wrong. */
static int parse_options(const ClientContext *ctx, int argc, char *argv[], SearchOptions *o) {
        static const struct option options[] = {
                { "kind", required_argument, NULL, 'k' }, { "from", required_argument, NULL, 'f' },
                { "to", required_argument, NULL, 't' },   { "limit", required_argument, NULL, 'n' },
                { "sort", required_argument, NULL, 's' }, { "raw", no_argument, NULL, 'r' },
                { "help", no_argument, NULL, 'h' },       {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "k:f:t:n:s:rh", options, NULL)) >= 0) {
                switch (c) {
                case 'k':
                        if (!kind_known(optarg))
                                return -client_error(EXIT_USAGE,
                                                     "unknown kind '%s': expected weekly, halfyear, notes or goals",
                                                     optarg);
                        o->kind = optarg;
                        break;
                case 'f':
                case 't':
                        if (client_parse_date(ctx, optarg, c == 'f' ? o->from_buf : o->to_buf) < 0)
                                return -EXIT_USAGE;
                        *(c == 'f' ? &o->from : &o->to) = c == 'f' ? o->from_buf : o->to_buf;
                        break;
                case 'n':
                        if (safe_atou(optarg, 1, SEARCH_LIMIT_MAX, &o->limit) < 0)
                                return -client_error(EXIT_USAGE, "invalid --limit '%s': expected a count from 1 to %d",
                                                     optarg, SEARCH_LIMIT_MAX);
                        break;
                case 's':
                        if (!streq(optarg, "rank") && !streq(optarg, "date"))
                                return -client_error(EXIT_USAGE, "unknown --sort '%s': expected rank or date", optarg);
                        o->sort = optarg;
                        break;
                case 'r':
                        o->raw = true;
                        break;
                case 'h':
                        command_help(&cmd_search);
                        return 0;
                default:
                        return -client_error(EXIT_USAGE, "usage: lookback %s", cmd_search.usage);
                }
        }
        if (optind >= argc)
                return -client_error(EXIT_USAGE, "usage: lookback %s", cmd_search.usage);
        if (client_check_range(o->from, o->to, "--from", "--to"))
                return -EXIT_USAGE;
        return 1;
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        SearchOptions o = {};
        int r = parse_options(ctx, argc, argv, &o);
        if (r <= 0)
                return -r;

        _cleanup_free_ char *query = join_query(argc, argv);
        if (!query)
                return client_error(1, "out of memory");
        json_t *params = json_pack("{s:s, s:b, s:s?, s:s?, s:s?, s:s?}", "query", query, "raw", o.raw, "kind", o.kind,
                                   "from", o.from, "to", o.to, "sort", o.sort);
        if (params && o.limit > 0)
                json_object_set_new(params, "limit", json_integer(o.limit));
        /* No match is exit status 1 with --json too, so the printer sees both. */
        ClientContext plain = *ctx;
        plain.json = false;
        SearchPrint s = { .ctx = ctx, .query = query };
        r = client_call_print(&plain, "io.lookback.Search", params, print, &s);
        return r ? r : s.result;
}
