/* The Manager: the one object lookbackd runs. It owns the event loop, the
 * configuration, the store, the server, the notifier and the clock watch,
 * and starts the parts (prompt-timers.c, lapse-watch.c). The parts and the
 * method handlers read its fields; none of them calls back into it. */
#pragma once

#include <stdbool.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "backup-timer.h"
#include "clock.h"
#include "config.h"
#include "notify.h"
#include "server.h"
#include "store.h"
#include "sync-folder.h"

struct Manager;

/* What a schedule's timers point back to. */
typedef struct {
        struct Manager *manager;
        ReviewKind kind;
} PromptRef;

struct Manager {
        sd_event *event;
        Config *config;
        char *config_path;    /* the file read or looked for */
        bool config_explicit; /* --config: the file must exist */
        char *database_path;
        Store *store;
        Server *server;
        char *socket_path;
        bool socket_bound; /* we created the socket file, so we remove it */
        sd_event_source *signals[3];
        sd_event_source *prompt_timers[_REVIEW_KIND_MAX];
        sd_event_source *snooze_timers[_REVIEW_KIND_MAX];
        sd_event_source *lapse_timer;        /* the soonest end of any habit's period */
        sd_event_source *lapse_settle;       /* a lapse check once writes settle */
        bool lapse_dirty[CONFIG_HABITS_MAX]; /* by habit index: written since the last check */
        ClockWatch *clock_watch;
        Notifier *notifier;
        PromptRef prompt_refs[_REVIEW_KIND_MAX];
        sd_event_source *backup_timer; /* a minute past the next midnight: the daily snapshot */
        sd_event_source *backup_soon;  /* today's snapshot, missing at start-up */
        BackupState backup;
        SyncState sync;
        char *damage_snapshot; /* once the database is found damaged: the newest good snapshot */
};
typedef struct Manager Manager;

/* $XDG_CONFIG_HOME/lookback/lookback.ini */
int manager_config_path(char **ret);

/* Loads the configuration; errors are printed. Returns -EINVAL for a bad
 * config (the daemon exits 78), other negative errnos otherwise. */
int manager_new(const char *config_path, Manager **ret);
Manager *manager_free(Manager *m);

/* Opens the store, binds the socket, arms timers and tells systemd we are
 * ready. The reasons for failure are logged. */
int manager_start(Manager *m);
int manager_run(Manager *m);

/* SIGHUP: parse the config afresh; keep the old one if the new one fails. */
int manager_reload(Manager *m);
