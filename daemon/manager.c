#include "manager.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "damage.h"
#include "file-modes.h"
#include "log.h"
#include "loop.h"
#include "lapse-watch.h"
#include "prompt-timers.h"
#include "varlink.h"
#include "paths.h"
#include "util.h"
#include "version.h"

int manager_config_path(char **ret) {
        return paths_config_file(ret);
}

/* Each error in one line; a refused reload adds @suffix to the last, so
 * that the usual case, one error, is one line saying what and what now. */
static int config_load_logged(const char *path, bool must_exist, const Config *previous, const char *suffix,
                              Config **ret) {
        ConfigErrors errors = {};
        int r = config_reload(path, must_exist, previous, ret, &errors);
        for (size_t i = 0; i < errors.n_errors; i++) {
                const ConfigError *e = &errors.errors[i];
                const char *end = i + 1 == errors.n_errors ? suffix : "";
                if (e->line > 0)
                        log_error(0, "%s:%d: %s%s", e->file, e->line, e->message, end);
                else
                        log_error(0, "%s: %s%s", e->file, e->message, end);
        }
        if (r < 0 && errors.n_errors == 0 && *suffix)
                log_error(r, "%s: %m%s", path, suffix);
        config_errors_done(&errors);
        return r;
}

int manager_new(const char *config_path, Manager **ret) {
        Manager *m = calloc(1, sizeof(Manager));
        int r;

        if (!m)
                return -ENOMEM;
        m->config_explicit = config_path != NULL;
        if (config_path)
                m->config_path = strdup(config_path);
        else if ((r = manager_config_path(&m->config_path)) < 0) {
                log_error(r, "cannot find the config directory: %m");
                goto fail;
        }
        r = -ENOMEM;
        if (!m->config_path)
                goto fail;
        r = config_load_logged(m->config_path, m->config_explicit, NULL, "", &m->config);
        if (r < 0) {
                /* Any config failure, a missing --config file too, exits 78. */
                r = r == -ENOMEM ? r : -EINVAL;
                goto fail;
        }
        *ret = m;
        return 0;
fail:
        manager_free(m);
        return r;
}

Manager *manager_free(Manager *m) {
        if (!m)
                return NULL;
        sync_folder_stop(m);
        backup_timer_stop(m);
        lapse_watch_stop(m);
        prompt_timers_stop(m);
        m->clock_watch = clock_watch_free(m->clock_watch);
        m->notifier = notifier_free(m->notifier);
        for (size_t i = 0; i < ELEMENTSOF(m->signals); i++)
                sd_event_source_disable_unref(m->signals[i]);
        server_free(m->server);
        if (m->socket_bound)
                (void) unlink(m->socket_path);
        store_free(m->store);
        sd_event_unref(m->event);
        config_free(m->config);
        free(m->config_path);
        free(m->database_path);
        free(m->socket_path);
        free(m->damage_snapshot);
        free(m);
        return NULL;
}

/* Everything that runs on the calendar: both schedules and, since period
 * ends move with the clock and the zone too, lapses. */
static void manager_recheck(Manager *m, const char *why) {
        Now now = clock_now();

        (void) prompt_timers_recheck(m, &now, why);
        (void) lapse_watch_check(m, &now, why);
        (void) backup_timer_recheck(m, &now);
}

static void on_clock_change(const char *why, void *userdata) {
        manager_recheck(userdata, why);
}

int manager_reload(Manager *m) {
        Config *fresh = NULL;
        sd_notify(false, "RELOADING=1");
        int r = config_load_logged(m->config_path, m->config_explicit, m->config,
                                   " (reload failed, keeping the configuration in force)", &fresh);
        if (r >= 0) {
                if (fresh->database && !streq_ptr(fresh->database, m->database_path))
                        log_warning(0, "[daemon] database changed; it takes effect at the next start, ignoring");
                config_free(m->config);
                m->config = fresh;
                log_info("configuration reloaded from %s", fresh->path ? fresh->path : "built-in defaults");
        }
        if (r >= 0) {
                Now now = clock_now();
                (void) sync_folder_reload(m, &now);
                manager_recheck(m, "reload");
        }
        sd_notify(false, "READY=1");
        return r;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        Manager *m = userdata;
        if (si->ssi_signo == SIGHUP) {
                (void) manager_reload(m);
                return 0;
        }
        log_info("received %s, stopping", strsignal((int) si->ssi_signo));
        sd_notify(false, "STOPPING=1");
        return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int setup_signals(Manager *m) {
        static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
        sigset_t mask;
        sigemptyset(&mask);
        for (size_t i = 0; i < ELEMENTSOF(sigs); i++)
                sigaddset(&mask, sigs[i]);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(sigs); i++) {
                int r = sd_event_add_signal(m->event, &m->signals[i], sigs[i], on_signal, m);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The daemon cannot serve a restore while it refuses to start, so the
 * message says how to do it by hand, with the newest snapshot that passes
 * the check and both paths spelled out. */
static int refuse_damaged(Manager *m, const char *message) {
        _cleanup_free_ char *folder = NULL, *snapshot = NULL, *wal = strdup_printf("%s-wal", m->database_path);
        const char *db = m->database_path;
        log_error(-EUCLEAN, "%s: %s; not touching it.", db, message ? message : "database is corrupt");
        if (backup_folder(m->config, &folder) < 0 || backup_newest_good(folder, &snapshot) < 0)
                return log_error(-EUCLEAN,
                                 "No good snapshot in %s. Restore it from a backup of your own or move it "
                                 "aside to start afresh.",
                                 folder ? folder : "the backup folder");
        /* A -wal beside it belongs to the damaged file: aside with it. */
        _cleanup_free_ char *move_wal =
                wal && access(wal, F_OK) >= 0 ? strdup_printf(" && mv '%s' '%s.damaged'", wal, wal) : NULL;
        return log_error(-EUCLEAN,
                         "The newest good snapshot is %s. To restore it, move the damaged file aside and copy the "
                         "snapshot in its place: mv '%s' '%s.damaged'%s && cp '%s' '%s'",
                         snapshot, db, db, move_wal ? move_wal : "", snapshot, db);
}

static int open_store(Manager *m) {
        _cleanup_free_ char *dir = NULL, *message = NULL;
        int r;

        if (m->config->database)
                m->database_path = strdup(m->config->database);
        else {
                r = paths_data_dir(&dir);
                if (r < 0)
                        return log_error(r, "cannot find the data directory: %m");
                m->database_path = strdup_printf("%s/lookback.db", dir);
        }
        if (!m->database_path)
                return log_error(-ENOMEM, "out of memory");
        free(dir);
        dir = strdup(m->database_path);
        if (!dir)
                return log_error(-ENOMEM, "out of memory");
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
                *slash = '\0';
                r = paths_mkdir_p(dir, 0700);
                if (r < 0)
                        return log_error(r, "cannot create %s: %m", dir);
                /* The default data dir is ours; a configured one is not. */
                if (!m->config->database)
                        file_mode_fix(dir, 0700);
        }
        file_modes_fix_database(m->database_path);
        r = store_open(m->database_path, &m->store, &message);
        if (r == -EUCLEAN)
                return refuse_damaged(m, message);
        if (r < 0)
                return log_error(r, "%s: cannot open database: %s", m->database_path, message ? message : strerror(-r));
        if (store_was_empty(m->store))
                log_warning(0,
                            "%s was an empty file (0 bytes): it is a new, empty database now. If it held your "
                            "data, put a snapshot back: lookback restore FILE",
                            m->database_path);
        damage_watch(m);
        return 0;
}

/* Without socket activation we bind the socket ourselves, and only inside
 * a runtime directory that is ours alone. */
static int check_socket_dir(Manager *m) {
        _cleanup_free_ char *dir = NULL, *reason = NULL;
        int r;
        if (getenv("LOOKBACK_SOCKET")) {
                if (m->socket_path[0] != '/')
                        return log_error(-EINVAL, "LOOKBACK_SOCKET=%s is not an absolute path", m->socket_path);
                r = paths_check_socket_dir(m->socket_path, &reason);
                if (r < 0)
                        return log_error(r, "%s", reason ? reason : strerror(-r));
                return 0;
        }
        r = paths_runtime_dir(&dir, &reason);
        if (r < 0)
                return log_error(r, "%s", reason ? reason : strerror(-r));
        return 0;
}

static int open_socket(Manager *m) {
        _cleanup_free_ char *reason = NULL;
        bool activated;
        int r = paths_socket(&m->socket_path, &reason);
        if (r < 0 && sd_listen_fds(false) <= 0)
                return log_error(r, "%s", reason ? reason : strerror(-r));
        free(TAKE_PTR(reason));

        if (sd_listen_fds(false) <= 0) {
                r = check_socket_dir(m);
                if (r < 0)
                        return r;
        }
        int fd = server_listen(m->socket_path, &activated, &reason);
        if (fd < 0)
                return log_error(fd, "%s", reason ? reason : strerror(-fd));
        m->socket_bound = !activated;
        r = server_new(m->event, fd, varlink_dispatch_call, m, &m->server);
        if (r < 0) {
                close(fd);
                return log_error(r, "cannot serve the socket: %m");
        }
        log_info("listening on %s%s", activated ? "the socket systemd passed" : m->socket_path,
                 activated ? "" : " (mode 0600)");
        return 0;
}

/* After READY: a catch-up prompt may wait on the notification server. */
static int manager_start_parts(Manager *m) {
        Now now = clock_now();
        int r = notifier_new(prompt_timers_on_action, m, &m->notifier);
        if (r < 0)
                return log_error(r, "cannot set up notifications: %m");
        r = clock_watch_new(m->event, on_clock_change, m, &m->clock_watch);
        if (r < 0)
                return log_error(r, "cannot watch the clock: %m");
        r = prompt_timers_start(m, &now);
        /* Failures are logged; the daemon serves answers regardless. */
        (void) lapse_watch_check(m, &now, "start-up");
        backup_fix_modes(m);
        (void) backup_timer_start(m, &now);
        /* After the notifier: what another machine settled closes here. */
        (void) sync_folder_start(m, &now);
        return r;
}

int manager_start(Manager *m) {
        int r = sd_event_default(&m->event);
        if (r < 0)
                return log_error(r, "cannot create the event loop: %m");
        r = setup_signals(m);
        if (r < 0)
                return log_error(r, "cannot set up signal handling: %m");
        /* sd-event pings the watchdog itself when WATCHDOG_USEC is set. */
        r = sd_event_set_watchdog(m->event, true);
        if (r < 0)
                log_warning(r, "cannot enable the watchdog: %m, ignoring");
        /* The socket first: a refused start (another daemon, a bad runtime
         * directory) must not create a database on its way out. */
        r = open_socket(m);
        if (r < 0)
                return r;
        r = open_store(m);
        if (r < 0)
                return r;
        log_info("lookbackd %s ready: database %s (schema %d), config %s", LOOKBACK_VERSION, m->database_path,
                 store_schema_version(m->store), m->config->path ? m->config->path : "built-in defaults");
        sd_notify(false, "READY=1");
        return manager_start_parts(m);
}

int manager_run(Manager *m) {
        return loop_run(m->event);
}
