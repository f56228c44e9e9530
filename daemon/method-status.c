/* The service's own methods, Status and Habits: what lookbackd is, what it
 * waits for, and every habit's numbers now. */
#include <errno.h>

#include "backup-timer.h"
#include "export.h"
#include "method.h"
#include "prompt-timers.h"
#include "report-build.h"
#include "util.h"
#include "version.h"

/* The interface description, compiled in from daemon/io.lookback.varlink. */
extern const char interface_description[];

static const char varlink_service_description[] =
        "# The Varlink service interface\n"
        "interface org.varlink.service\n\n"
        "method GetInfo() -> (vendor: string, product: string, version: string, url: string, interfaces: []string)\n\n"
        "method GetInterfaceDescription(interface: string) -> (description: string)\n\n"
        "error InterfaceNotFound (interface: string)\n"
        "error MethodNotFound (method: string)\n"
        "error MethodNotImplemented (method: string)\n"
        "error InvalidParameter (parameter: string)\n";

typedef struct {
        const char *interface;
} InterfaceParams;

static int method_get_info(Manager *m, const Now *now, const void *params, MethodResult *res) {
        res->reply = json_pack("{s:s, s:s, s:s, s:s, s:[s, s]}", "vendor", "lookback", "product", "lookbackd",
                               "version", LOOKBACK_VERSION, "url", "https://lookback.invalid/", "interfaces",
                               VARLINK_SERVICE_INTERFACE, LOOKBACK_INTERFACE);
        return res->reply ? 0 : -ENOMEM;
}

static int method_get_interface_description(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const InterfaceParams *p = params;
        const char *d = streq(p->interface, LOOKBACK_INTERFACE)          ? interface_description
                        : streq(p->interface, VARLINK_SERVICE_INTERFACE) ? varlink_service_description
                                                                         : NULL;
        if (!d)
                return method_fail(res, VARLINK_ERROR_INTERFACE_NOT_FOUND,
                                   json_pack("{s:s}", "interface", p->interface));
        res->reply = json_pack("{s:s}", "description", d);
        return res->reply ? 0 : -ENOMEM;
}

/* Every habit's live view, as the wire shows it. */
static int habits_json(Manager *m, const Now *now, json_t **ret) {
        ReportBuild live;
        json_t *list = json_array();
        int r = report_build_live(m->store, m->config, now->today, &live);
        if (r < 0)
                return json_decref(list), r;
        for (size_t i = 0; list && i < live.report.n_habits; i++) {
                json_t *h = habit_live_json(&live.views[i], m->config->habits[i].builtin);
                if (!h || json_array_append_new(list, h) < 0)
                        list = (json_decref(list), NULL);
        }
        report_build_done(&live);
        *ret = list;
        return list ? 0 : -ENOMEM;
}

static int method_habits(Manager *m, const Now *now, const void *params, MethodResult *res) {
        json_t *list;
        int r = habits_json(m, now, &list);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:o}", "habits", list);
        return res->reply ? 0 : -ENOMEM;
}

/* The next prompt of each kind, and its snooze if one is set. */
static json_t *next_prompts(Manager *m, const Now *now) {
        json_t *a = json_array();
        time_t at;
        for (int k = 0; a && k < _REVIEW_KIND_MAX; k++) {
                ScheduleState st;
                Period pending;
                if (prompt_timers_next(m, k, now->sec, &at) < 0)
                        continue;
                json_t *n = json_pack("{s:s, s:I, s:s}", "kind", review_kind_to_string(k), "at",
                                      (json_int_t) at * USEC_PER_SEC, "schedule", config_review(m->config, k)->at);
                if (n && store_schedule_get(m->store, k, &st) >= 0 && st.has_snooze &&
                    store_prompt_latest_pending(m->store, k, &pending, NULL) > 0)
                        json_object_set_new(n, "snoozed_until", json_integer(st.snooze_until_usec));
                json_array_append_new(a, n);
        }
        return a;
}

static json_t *pending_json(const StorePrompts *pending) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < pending->n; i++) {
                const StorePrompt *p = &pending->items[i];
                json_t *o = method_period_json(p->kind, p->period);
                if (!o || json_object_set_new(o, "fired", json_integer(p->fired_usec)) < 0 ||
                    json_object_set_new(o, "missed", json_integer(p->missed)) < 0 || json_array_append_new(a, o) < 0)
                        a = (json_decref(a), NULL);
        }
        return a;
}

/* The daily snapshots: on or off, where, the newest, the last failure. */
static json_t *backup_json(Manager *m) {
        _cleanup_free_ char *folder = NULL;
        const BackupState *b = &m->backup;
        if (backup_folder(m->config, &folder) < 0)
                return NULL;
        return json_pack("{s:b, s:s, s:o, s:o, s:s?}", "enabled", m->config->backup.enabled, "folder", folder, "last",
                         b->has_last ? method_day_json(b->last) : json_null(), "failed_on",
                         b->failed ? method_day_json(b->failed_on) : json_null(), "reason",
                         b->failed ? b->reason : NULL);
}

/* Sync only when something is wrong: a failure, or changes that wait to
 * be written although nothing failed (they are written right after each
 * commit). */
static json_t *sync_json(Manager *m) {
        const SyncState *st = &m->sync;
        unsigned pending = 0;
        char when[EXPORT_TIME_MAX];
        if (!st->folder || store_outbox_count(m->store, &pending) < 0 || (!st->failed && pending == 0))
                return json_null();
        return json_pack("{s:s, s:s?, s:s?, s:I}", "folder", st->folder, "failed_at",
                         st->failed ? export_time_format(st->failed_usec, when) : NULL, "reason",
                         st->failed ? st->reason : NULL, "pending", (json_int_t) pending);
}

static int method_status(Manager *m, const Now *now, const void *params, MethodResult *res) {
        StorePrompts pending;
        json_t *habits;
        int r = store_prompts_pending(m->store, &pending);
        if (r < 0)
                return r;
        r = habits_json(m, now, &habits);
        if (r >= 0)
                res->reply = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "version", LOOKBACK_VERSION, "today",
                                       method_day_json(now->today), "next", next_prompts(m, now), "pending",
                                       pending_json(&pending), "habits", habits, "backup", backup_json(m), "sync",
                                       sync_json(m));
        store_prompts_done(&pending);
        if (r < 0)
                return r;
        return res->reply ? 0 : -ENOMEM;
}

static const ParamSpec params_none[] = { {} };
static const ParamSpec params_interface[] = {
        { "interface", PARAM_STRING, true, 256, offsetof(InterfaceParams, interface) },
        {},
};

const Method method_status_table[] = {
        { "org.varlink.service.GetInfo", method_get_info, false, params_none, 0 },
        { "org.varlink.service.GetInterfaceDescription", method_get_interface_description, false, params_interface,
          sizeof(InterfaceParams) },
        { "io.lookback.Status", method_status, false, params_none, 0 },
        { "io.lookback.Habits", method_habits, false, params_none, 0 },
        {},
};
