/* lookback undo / lookback forget: taking a record back. Both show what
 * they would remove and ask first (on a terminal; --yes otherwise); the
 * daemon removes it by its full id, so what goes is what was shown. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "search-print.h"
#include "util.h"

static int run_undo(ClientContext *ctx, int argc, char *argv[]);
static int run_forget(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_undo = {
        .name = "undo",
        .usage = "undo [--yes]",
        .summary = "take back the last thing recorded on this machine",
        .help = "Shows the newest check-in, skip, pause, goal, goal change, note or answer\n"
                "version recorded on this machine and, after 'y' (or with --yes), removes it.\n"
                "What is removed stays removed: an import of an older copy does not bring it\n"
                "back. Ending a pause (resume) is not undone: pause again instead.\n"
                "\n"
                "Options:\n"
                "  -y, --yes  remove without asking (needed when stdin is not a terminal)\n",
        .run = run_undo,
};

const Command cmd_forget = {
        .name = "forget",
        .usage = "forget ID [--yes]",
        .summary = "remove one record by its id (from log, history or goal list)",
        .help = "ID is the start of a record's id (at least 4 characters), as 'lookback log',\n"
                "'lookback history HABIT' and 'lookback goal list' show it. The record\n"
                "disappears from every view and the report; its tombstone keeps an import\n"
                "of an older copy from bringing it back. Forgetting a goal forgets its\n"
                "history; forgetting one version of an answer brings back the one before.\n"
                "\n"
                "Options:\n"
                "  -y, --yes  remove without asking (needed when stdin is not a terminal)\n",
        .run = run_forget,
};

static const char *kind_title(const char *kind, const char *detail) {
        if (streq(kind, "answer"))
                return detail && streq(detail, "halfyear") ? "half-year review answer" : "weekly review answer";
        if (streq(kind, "checkin"))
                return "check-in";
        if (streq(kind, "goal-change"))
                return "goal change";
        return kind;
}

/* "check-in of reading on 2026-12-03, recorded 2026-12-03 09:14: note". */
static void print_record(FILE *f, json_t *rec) {
        const char *kind = client_json_str(rec, "kind", "?"), *detail = client_json_str(rec, "detail", NULL);
        const char *habit = client_json_str(rec, "habit", NULL), *text = client_json_str(rec, "text", NULL);
        const char *date = client_json_str(rec, "date", "?"), *end = client_json_str(rec, "date_end", NULL);
        time_t t = (time_t) (json_integer_value(json_object_get(rec, "recorded")) / 1000000);
        struct tm tm;
        char when[32] = "?";
        if (localtime_r(&t, &tm))
                strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
        fprintf(f, "%.8s  %s", client_json_str(rec, "id", "?"), kind_title(kind, detail));
        if (habit)
                fprintf(f, " of %s", habit);
        if (end && !streq(end, date))
                fprintf(f, " for %s to %s", date, end);
        else
                fprintf(f, " %s %s", streq(kind, "goal") ? "set" : "on", date);
        if (streq(kind, "goal-change") && detail)
                fprintf(f, " (%s)", detail);
        fprintf(f, ", recorded %s", when);
        if (text) {
                _cleanup_free_ char *clean = text_sanitize(text, TEXT_ONE_LINE);
                fprintf(f, "\n          %.200s%s", clean ? clean : "", strlen(text) > 200 ? "…" : "");
        }
        fputc('\n', f);
}

/* 1 to go on: --yes, or 'y' typed at a terminal. */
static int confirm(bool yes, const char *what) {
        char line[16];
        if (yes)
                return 1;
        if (!isatty(STDIN_FILENO)) {
                client_error(1, "not removed: stdin is not a terminal; run 'lookback %s --yes' to remove it", what);
                return 0;
        }
        fprintf(stderr, "Remove it? [y/N] ");
        if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y' && line[0] != 'Y')) {
                fprintf(stderr, "Nothing removed.\n");
                return 0;
        }
        return 1;
}

static int parse_yes(const Command *c, int argc, char *argv[], bool *yes) {
        static const struct option options[] = { { "yes", no_argument, NULL, 'y' },
                                                 { "help", no_argument, NULL, 'h' },
                                                 {} };
        int o;
        while ((o = getopt_long(argc, argv, "yh", options, NULL)) >= 0) {
                if (o == 'y')
                        *yes = true;
                else if (o == 'h') {
                        command_help(c);
                        return 0;
                } else
                        return -EXIT_USAGE;
        }
        return 1;
}

/* Forgets @id (a full id or a prefix) once confirmed; @what names the
 * command for the --yes hint. */
/* Sending the command again must forget the same record: undo's "last
 * record" is another one by then. */
static void resend_as_forget(const char *id) {
        static char full[64];
        static char forget_word[] = "forget", yes_word[] = "--yes";
        static char *argv[] = { forget_word, full, yes_word, NULL };
        snprintf(full, sizeof(full), "%s", id);
        client_set_argv(argv);
}

static int forget(ClientContext *ctx, const char *id, bool yes, const char *what) {
        ClientReply reply;
        int r = 0;
        if (yes)
                resend_as_forget(id);
        if (client_call("io.lookback.Forget", json_pack("{s:s, s:b}", "id", id, "dry_run", !yes), false, &reply) < 0)
                return EXIT_UNAVAILABLE;
        if (reply.error) {
                r = client_print_error(&reply);
                client_reply_done(&reply);
                return r;
        }
        if (!yes) {
                print_record(stderr, json_object_get(reply.parameters, "record"));
                char full[64];
                snprintf(full, sizeof(full), "%s",
                         client_json_str(json_object_get(reply.parameters, "record"), "id", id));
                client_reply_done(&reply);
                if (!confirm(false, what))
                        return 1;
                resend_as_forget(full);
                if (client_call("io.lookback.Forget", json_pack("{s:s}", "id", full), false, &reply) < 0)
                        return EXIT_UNAVAILABLE;
                if (reply.error) {
                        r = client_print_error(&reply);
                        client_reply_done(&reply);
                        return r;
                }
        }
        if (ctx->json)
                client_print_json(reply.parameters);
        else {
                printf("Removed: ");
                print_record(stdout, json_object_get(reply.parameters, "record"));
        }
        client_reply_done(&reply);
        return 0;
}

static int run_undo(ClientContext *ctx, int argc, char *argv[]) {
        bool yes = false;
        int r = parse_yes(&cmd_undo, argc, argv, &yes);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : 0;
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_undo.usage);
        ClientReply reply;
        if (client_call("io.lookback.LastRecord", NULL, false, &reply) < 0)
                return EXIT_UNAVAILABLE;
        if (reply.error) {
                r = client_print_error(&reply);
                client_reply_done(&reply);
                return r;
        }
        json_t *rec = json_object_get(reply.parameters, "record");
        if (!json_is_object(rec)) {
                client_reply_done(&reply);
                fprintf(stderr, "Nothing to undo: nothing was recorded on this machine.\n");
                return 0;
        }
        char id[64];
        snprintf(id, sizeof(id), "%s", client_json_str(rec, "id", ""));
        if (!yes)
                print_record(stderr, rec);
        client_reply_done(&reply);
        if (!yes && !confirm(false, "undo"))
                return 1;
        return forget(ctx, id, true, "undo");
}

static int run_forget(ClientContext *ctx, int argc, char *argv[]) {
        bool yes = false;
        int r = parse_yes(&cmd_forget, argc, argv, &yes);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : 0;
        if (optind + 1 != argc)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_forget.usage);
        return forget(ctx, argv[optind], yes, "forget ID");
}
