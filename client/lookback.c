/* lookback: the command-line client. It parses arguments, asks lookbackd
 * over the socket and prints the answer; it keeps no state of its own
 * except drafts of answers the daemon could not take. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "util.h"
#include "version.h"

static const Command *const commands[] = {
        &cmd_answer, &cmd_done, &cmd_status, &cmd_log, &cmd_habits,
};

static void help(void) {
        printf("Usage: lookback [--json] COMMAND [ARGS...]\n"
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
               "  -h, --help  show this help; 'lookback COMMAND --help' for one command\n"
               "  --version   show the version\n"
               "\n"
               "Dates are YYYY-MM-DD, 'today' or 'yesterday', in local time.\n"
               "Exit status: 0 done, 1 failed or aborted, 2 usage error, 69 daemon unreachable.\n");
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
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
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
                case 'h':
                        help();
                        return EXIT_SUCCESS;
                case 'V':
                        printf("lookback %s\n", LOOKBACK_VERSION);
                        return EXIT_SUCCESS;
                default:
                        fprintf(stderr, "Try 'lookback --help'.\n");
                        return EXIT_USAGE;
                }
        }
        if (optind >= argc) {
                help();
                return EXIT_USAGE;
        }
        const char *name = argv[optind];
        if (streq(name, "help")) {
                const Command *cmd = optind + 1 < argc ? command_find(argv[optind + 1]) : NULL;
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
        optind = 0; /* glibc: restart getopt for the subcommand's options */
        return cmd->run(&ctx, sub_argc, sub_argv);
}
