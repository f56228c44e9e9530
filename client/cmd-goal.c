/* lookback goal: goals set at a review, and what became of them. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "util.h"
#include "words.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

/* Like git: a short prefix is too easy to mistype into another goal. */
#define GOAL_ID_PREFIX_MIN 4

const Command cmd_goal = {
        .name = "goal",
        .usage = "goal add TEXT | list [--all] | achieved ID | drop ID [--reason TEXT] | reopen ID",
        .summary = "set goals and record their fate (achieved, dropped)",
        .help = "ID is the start of a goal's id, as 'lookback goal list' shows it (like git).\n"
                "The half-year review lists the goals open at its start and asks about each.\n",
        .run = run,
};

static void print_goal_line(json_t *g) {
        const char *status = json_string_value(json_object_get(g, "status"));
        const char *closed = json_string_value(json_object_get(g, "closed"));
        const char *reason = json_string_value(json_object_get(g, "reason"));
        printf("%.8s  %-8s  %s  %s", json_string_value(json_object_get(g, "id")), status,
               json_string_value(json_object_get(g, "created")), json_string_value(json_object_get(g, "text")));
        if (closed && !streq(status, "open"))
                printf("  (%s %s%s%s)", status, closed, reason ? ": " : "", reason ? reason : "");
        printf("\n");
}

static void print_list(json_t *p, const void *userdata) {
        json_t *goals = json_object_get(p, "goals");
        size_t i;
        json_t *g;
        if (json_array_size(goals) == 0)
                fprintf(stderr, "No goals%s. Add one with 'lookback goal add TEXT'.\n",
                        userdata ? "" : " open (--all shows closed ones)");
        json_array_foreach(goals, i, g)
                print_goal_line(g);
}

static void print_added(json_t *p, const void *userdata) {
        printf("Goal %.8s added: %s\n", json_string_value(json_object_get(p, "id")),
               json_string_value(json_object_get(p, "text")));
}

static void print_set(json_t *p, const void *userdata) {
        printf("Goal %.8s is %s.\n", json_string_value(json_object_get(p, "id")),
               json_string_value(json_object_get(p, "status")));
}

static int goal_list(ClientContext *ctx, int argc, char *argv[]) {
        static const struct option options[] = { { "all", no_argument, NULL, 'a' }, {} };
        bool all = false;
        int c;
        optind = 0;
        while ((c = getopt_long(argc, argv, "a", options, NULL)) >= 0) {
                if (c != 'a')
                        return client_error(EXIT_USAGE, "usage: lookback goal list [--all]");
                all = true;
        }
        if (optind != argc)
                return client_error(EXIT_USAGE, "usage: lookback goal list [--all]");
        return client_call_print(ctx, "io.lookback.GoalList", json_pack("{s:b}", "all", all), print_list,
                                 all ? "all" : NULL);
}

static int goal_set(ClientContext *ctx, const char *status, int argc, char *argv[]) {
        static const struct option options[] = { { "reason", required_argument, NULL, 'r' }, {} };
        const char *reason = NULL;
        int c;
        optind = 0;
        while ((c = getopt_long(argc, argv, "r:", options, NULL)) >= 0) {
                if (c != 'r' || !streq(status, WORD_GOAL_DROPPED))
                        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_goal.usage);
                reason = optarg;
        }
        if (argc - optind != 1)
                return client_error(EXIT_USAGE, "usage: lookback %s", cmd_goal.usage);
        if (strlen(argv[optind]) < GOAL_ID_PREFIX_MIN)
                return client_error(EXIT_USAGE, "give at least %d characters of the goal's id ('lookback goal list')",
                                    GOAL_ID_PREFIX_MIN);
        json_t *params = json_pack("{s:s, s:s, s:s?}", "id", argv[optind], "status", status, "reason", reason);
        return client_call_print(ctx, "io.lookback.GoalSet", params, print_set, NULL);
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        const char *sub = argc > 1 ? argv[1] : "";
        /* "goal add --help" must not add a goal called --help. */
        for (int i = 1; i < argc; i++)
                if (streq(argv[i], "--help") || streq(argv[i], "-h")) {
                        command_help(&cmd_goal);
                        return 0;
                }
        if (streq(sub, "add")) {
                if (argc != 3 || !*argv[2])
                        return client_error(EXIT_USAGE, "usage: lookback goal add TEXT (quote it)");
                return client_call_print(ctx, "io.lookback.GoalAdd", json_pack("{s:s}", "text", argv[2]), print_added,
                                         NULL);
        }
        if (streq(sub, "list"))
                return goal_list(ctx, argc - 1, argv + 1);
        if (streq(sub, WORD_GOAL_ACHIEVED))
                return goal_set(ctx, WORD_GOAL_ACHIEVED, argc - 1, argv + 1);
        if (streq(sub, "drop"))
                return goal_set(ctx, WORD_GOAL_DROPPED, argc - 1, argv + 1);
        if (streq(sub, "reopen"))
                return goal_set(ctx, "open", argc - 1, argv + 1);
        return client_error(EXIT_USAGE, "usage: lookback %s", cmd_goal.usage);
}
