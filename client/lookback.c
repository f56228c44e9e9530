/* lookback: the command-line client. It parses arguments, asks lookbackd
 * over the socket and prints the answer; it keeps no state of its own
 * except drafts of answers the daemon could not take. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "util.h"
#include "version.h"

static const Command *const commands[] = {
        &cmd_answer, &cmd_done,   &cmd_skip,      &cmd_pause,  &cmd_resume, &cmd_status,  &cmd_habits, &cmd_history,
        &cmd_log,    &cmd_search, &cmd_onthisday, &cmd_themes, &cmd_report, &cmd_goal,    &cmd_snooze, &cmd_remind,
        &cmd_undo,   &cmd_forget, &cmd_export,    &cmd_import, &cmd_backup, &cmd_restore, &cmd_sync,
};

static void help(void) {
        printf("Usage: lookback [--json] [--no-pager] [--request-id ID] COMMAND [ARGS...]\n"
               "\n"
               "Look back on your life regularly: answer weekly and half-year reviews,\n"
               "check in habits, and read what you wrote. Talks to lookbackd.\n"
               "\n"
               "Commands:\n");
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                printf("  %-9s %s\n", commands[i]->name, commands[i]->summary);
        printf("\n"
               "Options:\n"
               "  --json      print the daemon's reply as JSON\n"
               "  --no-pager  print long output (log, search, onthisday, themes) straight\n"
               "              to stdout; else it goes through $LOOKBACK_PAGER, $PAGER or\n"
               "              'less -FRX' when it does not fit the terminal\n"
               "  -h, --help  show this help; 'lookback COMMAND --help' for one command\n"
               "  --version   show the version\n"
               "  --request-id ID  send a write with this idempotency key: lookback says\n"
               "              when to, after lookbackd went away before answering; a\n"
               "              write with a key already done is not recorded twice\n"
               "\n"
               "Dates are YYYY-MM-DD, 'today' or 'yesterday', in local time.\n"
               "Exit status: 0 done, 1 failed or aborted, 2 usage error, 69 daemon unreachable.\n");
}

/* A nudge on stderr when reviews are waiting — for people whose desktop
 * shows no notifications. Only in a terminal, never for scripts. */
static void remind_pending(const Command *cmd, const ClientContext *ctx) {
        ClientReply reply;
        if (ctx->json || !isatty(STDERR_FILENO) || cmd == &cmd_status || cmd == &cmd_answer)
                return;
        if (client_call("io.lookback.Status", NULL, true, &reply) < 0)
                return;
        json_t *pending = json_object_get(reply.parameters, "pending");
        json_t *first = json_array_get(pending, 0);
        if (!reply.error && first) {
                const char *kind = json_string_value(json_object_get(first, "kind"));
                fprintf(stderr, "lookback: the %s for %s is waiting%s: lookback answer %s\n", review_title(kind),
                        json_string_value(json_object_get(first, "label")),
                        json_array_size(pending) > 1 ? " (and more: lookback status)" : "", kind);
        }
        client_reply_done(&reply);
}

/* "--json" and "--no-pager" are global, but people type them after the
 * command too: take them from anywhere before a "--". Also reports
 * whether --help was asked for (no reminder then). */
static bool take_global_options(ClientContext *ctx, int *argc, char *argv[]) {
        bool help_asked = false;
        int out = 1;
        for (int i = 1; i < *argc; i++) {
                if (streq(argv[i], "--")) {
                        while (i < *argc)
                                argv[out++] = argv[i++];
                        break;
                }
                help_asked = help_asked || streq(argv[i], "--help") || streq(argv[i], "-h");
                if (streq(argv[i], "--json"))
                        ctx->json = true;
                else if (streq(argv[i], "--no-pager"))
                        ctx->no_pager = true;
                else
                        argv[out++] = argv[i];
        }
        argv[out] = NULL;
        *argc = out;
        return help_asked;
}

static const Command *command_find(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (streq(commands[i]->name, name))
                        return commands[i];
        return NULL;
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "json", no_argument, NULL, 'j' },
                { "no-pager", no_argument, NULL, 'P' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { "request-id", required_argument, NULL, 'R' },
                {},
        };
        ClientContext ctx = { .today = date_local_day(time(NULL)) };
        int c;

        /* '+': stop at the subcommand; its options are its own. */
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0) {
                switch (c) {
                case 'j':
                        ctx.json = true;
                        break;
                case 'P':
                        ctx.no_pager = true;
                        break;
                case 'h':
                        help();
                        return EXIT_SUCCESS;
                case 'V':
                        printf("lookback %s\n", LOOKBACK_VERSION);
                        return EXIT_SUCCESS;
                case 'R':
                        if (client_set_request_id(optarg) < 0)
                                return client_error(EXIT_USAGE, "invalid --request-id '%s': expected a UUID", optarg);
                        break;
                default:
                        fprintf(stderr, "Try 'lookback --help'.\n");
                        return EXIT_USAGE;
                }
        }
        if (optind >= argc) {
                fprintf(stderr, "lookback: no command given. Try 'lookback --help'.\n");
                return EXIT_USAGE;
        }
        const char *name = argv[optind];
        if (streq(name, "help")) {
                const Command *cmd = optind + 1 < argc ? command_find(argv[optind + 1]) : NULL;
                if (optind + 1 < argc && !cmd)
                        return client_error(EXIT_USAGE, "unknown command '%s'. Try 'lookback --help'.",
                                            argv[optind + 1]);
                if (cmd)
                        command_help(cmd);
                else
                        help();
                return EXIT_SUCCESS;
        }
        const Command *cmd = command_find(name);
        if (!cmd)
                return client_error(EXIT_USAGE, "unknown command '%s'. Try 'lookback --help'.", name);

        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        /* As typed, for "send it again": the command's parsing reorders it. */
        _cleanup_free_ char **typed = calloc((size_t) sub_argc + 1, sizeof(char *));
        if (typed) {
                memcpy(typed, sub_argv, (size_t) sub_argc * sizeof(char *));
                client_set_argv(typed);
        }
        bool wants_help = take_global_options(&ctx, &sub_argc, sub_argv);
        /* getopt names argv[0] in its messages: make that "lookback CMD". */
        char prog[64];
        snprintf(prog, sizeof(prog), "lookback %s", name);
        sub_argv[0] = prog;
        optind = 0; /* glibc: restart getopt for the subcommand's options */
        int r = cmd->run(&ctx, sub_argc, sub_argv);
        if (r == 0 && !wants_help)
                remind_pending(cmd, &ctx);
        return r;
}
