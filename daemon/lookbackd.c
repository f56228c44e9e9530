/* lookbackd: the lookback daemon. Stays in the foreground; systemd (or the
 * person running it) supervises it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <time.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "manager.h"
#include "paths.h"
#include "util.h"
#include "version.h"

static void help(void) {
        printf("Usage: lookbackd [OPTIONS]\n"
               "\n"
               "The lookback daemon: prompts weekly and half-year reviews, records answers\n"
               "and habit check-ins sent by `lookback`, and keeps them in one SQLite file.\n"
               "It runs in the foreground; systemd starts it through lookback.socket.\n"
               "\n"
               "Options:\n"
               "  -c, --config FILE   read FILE instead of $XDG_CONFIG_HOME/lookback/lookback.ini\n"
               "  -n, --check-config  check the configuration, print the effective settings and\n"
               "                      the next prompts, and exit (0 if valid, 78 if not)\n"
               "  -h, --help          show this help\n"
               "  -V, --version       show the version\n"
               "\n"
               "Environment: LOOKBACK_SOCKET overrides the socket path\n"
               "($XDG_RUNTIME_DIR/lookback.sock). Signals: SIGHUP reloads the configuration,\n"
               "SIGTERM/SIGINT stop cleanly.\n");
}

/* --check-config: like `ntpd -n`, every error or "configuration OK". */
static int check_config(const char *path) {
        _cleanup_free_ char *default_path = NULL;
        ConfigErrors errors = {};
        Config *c = NULL;

        if (!path && manager_config_path(&default_path) >= 0)
                path = default_path;
        int r = config_load(path, default_path == NULL, &c, &errors);
        if (r < 0) {
                config_errors_print(&errors, stderr);
                config_errors_done(&errors);
                fprintf(stderr, "%s: configuration has errors\n", path);
                return EX_CONFIG;
        }
        config_dump(c, stdout);
        printf("\n");
        if (!c->database) {
                _cleanup_free_ char *data = NULL;
                if (paths_data_dir(&data) >= 0)
                        printf("; the database is %s/lookback.db\n", data);
        }
        config_dump_next_prompts(c, clock_now().sec, stdout);
        fprintf(stderr, "configuration OK\n");
        config_free(c);
        return EXIT_SUCCESS;
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "config", required_argument, NULL, 'c' },
                { "check-config", no_argument, NULL, 'n' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                {},
        };
        const char *config_path = NULL;
        bool check = false;
        Manager *m = NULL;
        int c, r;

        while ((c = getopt_long(argc, argv, "c:nhV", options, NULL)) >= 0) {
                switch (c) {
                case 'c':
                        config_path = optarg;
                        break;
                case 'n':
                        check = true;
                        break;
                case 'h':
                        help();
                        return EXIT_SUCCESS;
                case 'V':
                        printf("lookbackd %s\n", LOOKBACK_VERSION);
                        return EXIT_SUCCESS;
                default:
                        fprintf(stderr, "Try 'lookbackd --help'.\n");
                        return EX_USAGE;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "lookbackd: unexpected argument '%s'. Try 'lookbackd --help'.\n", argv[optind]);
                return EX_USAGE;
        }
        if (check)
                return check_config(config_path);

        /* Everything we create (database, reports) is private, started by
         * systemd or by hand. */
        umask(0077);
        r = manager_new(config_path, &m);
        if (r == -EINVAL)
                return EX_CONFIG;
        if (r < 0)
                return EXIT_FAILURE;
        r = manager_start(m); /* logs its own reasons: one line each */
        if (r >= 0) {
                r = manager_run(m);
                if (r < 0)
                        log_error(r, "the event loop failed: %s", strerror(-r));
        }
        manager_free(m);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
