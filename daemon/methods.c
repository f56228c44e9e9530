#include "methods.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "habits.h"
#include "manager.h"
#include "method.h"
#include "notes.h"
#include "prompts.h"
#include "protocol.h"
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
        const char *name;
        MethodHandler handler;
        bool writes;
        const ParamSpec *params;
} Method;

int method_fail(MethodResult *res, const char *error, json_t *parameters) {
        res->error = error;
        res->error_parameters = parameters;
        return 0;
}

int method_invalid(MethodResult *res, const char *parameter) {
        return method_fail(res, VARLINK_ERROR_INVALID_PARAMETER, json_pack("{s:s}", "parameter", parameter));
}

static int64_t now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Reads an optional date parameter; absent means today. Dates after today
 * are refused: back-filling is normal, forward-filling is a typo. Returns 1
 * with *ret set, 0 with an error in @res. */
int method_param_date(json_t *params, const char *name, MethodResult *res, day_t *ret) {
        const char *text = varlink_get_string(params, name);
        day_t today = manager_today();
        if (!text) {
                *ret = today;
                return 1;
        }
        if (date_parse(text, today, ret) < 0 || *ret < DATE_EARLIEST)
                return method_invalid(res, name), 0;
        if (*ret > today) {
                method_fail(res, LOOKBACK_ERROR_FUTURE_DATE, json_pack("{s:s, s:s}", "parameter", name, "date", text));
                return 0;
        }
        return 1;
}

int method_param_kind(json_t *params, MethodResult *res, ReviewKind *ret) {
        const char *text = varlink_get_string(params, "kind");
        int k = text ? review_kind_from_string(text) : REVIEW_WEEKLY;
        if (k < 0)
                return method_invalid(res, "kind"), 0;
        *ret = (ReviewKind) k;
        return 1;
}

/* The period a review is for: the one containing "date" if given, else the
 * oldest pending prompt's, else the current one. Returns 1, 0 (error in
 * @res) or a negative errno. */
int method_review_period(Manager *m, json_t *params, ReviewKind kind, MethodResult *res, Period *ret) {
        day_t day;
        if (!method_param_date(params, "date", res, &day))
                return 0;
        if (!varlink_get_string(params, "date")) {
                int r = store_prompt_oldest_pending(m->store, kind, ret);
                if (r != 0)
                        return r;
        }
        *ret = review_period(kind, day, m->config->week_start);
        return 1;
}

json_t *method_period_json(ReviewKind kind, Period p) {
        char s[DATE_STR_MAX], e[DATE_STR_MAX], label[PERIOD_LABEL_MAX];
        return json_pack("{s:s, s:s, s:s, s:s}", "kind", review_kind_to_string(kind), "period_start",
                         date_format(p.start, s), "period_end", date_format(p.end, e), "label",
                         review_period_label(kind, p, label));
}

static json_t *strv_json(char *const *l, size_t n) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, json_string(l[i])) < 0)
                        return json_decref(a), NULL;
        return a;
}


static int method_get_template(Manager *m, json_t *params, MethodResult *res) {
        ReviewKind kind;
        Period p;
        unsigned versions;
        char label[PERIOD_LABEL_MAX];

        if (!method_param_kind(params, res, &kind))
                return 0;
        int r = method_review_period(m, params, kind, res, &p);
        if (r <= 0)
                return r;
        r = store_answers_count(m->store, kind, p.start, &versions);
        if (r < 0)
                return r;
        const ReviewConfig *rc = config_review(m->config, kind);
        _cleanup_free_ char *title = strdup_printf("%s review for %s", kind == REVIEW_WEEKLY ? "weekly" : "half-year",
                                                   review_period_label(kind, p, label));
        _cleanup_free_ char *notes = NULL;
        json_t *goals;
        r = notes_for_review(m, kind, p, &notes, &goals);
        if (r < 0)
                return r;
        json_t *reply = method_period_json(kind, p);
        if (!title || !reply || json_object_set_new(reply, "title", json_string(title)) < 0 ||
            json_object_set_new(reply, "questions", strv_json(rc->questions, rc->n_questions)) < 0 ||
            json_object_set_new(reply, "versions", json_integer(versions)) < 0 ||
            json_object_set_new(reply, "notes", json_string(notes)) < 0 ||
            json_object_set_new(reply, "goals", goals) < 0) {
                json_decref(reply);
                return -ENOMEM;
        }
        res->reply = reply;
        return 0;
}

/* Checks the entries array element by element; the table can only say it
 * is an array. Returns the count, or -1 with an error in @res. */
static ssize_t answer_entries_check(json_t *entries, MethodResult *res) {
        size_t i, total = 0;
        json_t *e;

        if (json_array_size(entries) == 0 || json_array_size(entries) > TEMPLATE_ENTRIES_MAX)
                return method_invalid(res, "entries"), -1;
        json_array_foreach(entries, i, e) {
                json_t *q = json_object_get(e, "question"), *a = json_object_get(e, "answer");
                if (!json_is_object(e) || json_object_size(e) != 2 || !json_is_string(q) || !json_is_string(a) ||
                    json_string_length(q) > CONFIG_QUESTION_MAX ||
                    strlen(json_string_value(q)) != json_string_length(q) ||
                    strlen(json_string_value(a)) != json_string_length(a))
                        return method_invalid(res, "entries"), -1;
                total += json_string_length(a);
        }
        if (total > TEMPLATE_TEXT_MAX)
                return method_invalid(res, "entries"), -1;
        return (ssize_t) json_array_size(entries);
}

/* The half-year review's goal marks: [{id, status}], achieved or dropped.
 * Returns 1, 0 with an error in @res, or a negative errno. */
static int answer_apply_goals(Manager *m, json_t *goals, MethodResult *res) {
        char uuid[SD_ID128_UUID_STRING_MAX];
        size_t i;
        json_t *g;
        json_array_foreach(goals, i, g) {
                const char *id = json_string_value(json_object_get(g, "id"));
                const char *status = json_string_value(json_object_get(g, "status"));
                if (!id || !status ||
                    (!streq(status, "achieved") && !streq(status, "dropped") && !streq(status, "open")))
                        return method_invalid(res, "goals");
                int r = method_goal_resolve(m, id, res, uuid);
                if (r <= 0)
                        return r;
                bool closing = !streq(status, "open");
                r = store_goal_set(m->store, uuid, status, closing, manager_today(),
                                   closing ? "marked at the half-year review" : NULL);
                if (r < 0)
                        return r;
        }
        return 1;
}

static int method_answer(Manager *m, json_t *params, MethodResult *res) {
        json_t *entries = json_object_get(params, "entries");
        TemplateEntry items[TEMPLATE_ENTRIES_MAX];
        ReviewKind kind;
        Period p;
        char uuid[SD_ID128_UUID_STRING_MAX];

        if (!method_param_kind(params, res, &kind))
                return 0;
        ssize_t n = answer_entries_check(entries, res);
        if (n < 0)
                return 0;
        size_t n_nonempty = 0;
        for (size_t i = 0; i < (size_t) n; i++) {
                json_t *e = json_array_get(entries, i);
                items[n_nonempty] = (TemplateEntry){
                        .question = (char *) json_string_value(json_object_get(e, "question")),
                        .answer = (char *) json_string_value(json_object_get(e, "answer")),
                };
                if (items[n_nonempty].answer[0])
                        n_nonempty++;
        }
        if (n_nonempty == 0)
                return method_fail(res, LOOKBACK_ERROR_EMPTY_ANSWER, NULL);
        int r = method_review_period(m, params, kind, res, &p);
        if (r <= 0)
                return r;

        StoreAnswer a = { kind, p, items, n_nonempty, now_usec() };
        r = store_answer_add(m->store, &a, uuid);
        if (r < 0)
                return r;
        r = answer_apply_goals(m, json_object_get(params, "goals"), res);
        if (r <= 0)
                return r; /* the dispatcher rolls the answer back too */
        json_t *reply = method_period_json(kind, p);
        if (!reply || json_object_set_new(reply, "id", json_string(uuid)) < 0)
                return json_decref(reply), -ENOMEM;
        res->reply = reply;
        return 0;
}

json_t *method_known_habits(const Config *c) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < c->n_habits; i++)
                json_array_append_new(a, json_string(c->habits[i].name));
        return a;
}

static int method_done(Manager *m, json_t *params, MethodResult *res) {
        const char *name = varlink_get_string(params, "habit");
        const HabitConfig *h = config_find_habit(m->config, name);
        char uuid[SD_ID128_UUID_STRING_MAX], ds[DATE_STR_MAX];
        day_t day;

        if (!h)
                return method_fail(res, LOOKBACK_ERROR_UNKNOWN_HABIT,
                                   json_pack("{s:s, s:o}", "habit", name, "known", method_known_habits(m->config)));
        if (habit_review_kind(h) >= 0)
                return method_fail(
                        res, LOOKBACK_ERROR_HABIT_IS_REVIEW,
                        json_pack("{s:s, s:s}", "habit", name, "kind", review_kind_to_string(habit_review_kind(h))));
        if (!method_param_date(params, "date", res, &day))
                return 0;
        int r = store_checkin_add(m->store, name, day, varlink_get_string(params, "note"), now_usec(), uuid);
        if (r < 0)
                return r;

        HabitState st;
        r = habit_state_load(m, h, day, day, &st);
        if (r < 0)
                return r;
        Period p = lapse_period_containing(&st.input, day);
        unsigned in_period = 0;
        for (size_t i = 0; i < st.n_checkins; i++)
                in_period += st.checkins[i] >= p.start && st.checkins[i] <= p.end;
        /* A check-in before the habit's start is kept, but never counts. */
        bool counts = !h->has_since || day >= h->since;
        habit_state_done(&st);
        char ps[DATE_STR_MAX], pe[DATE_STR_MAX];
        char since[DATE_STR_MAX];
        res->reply = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:b, s:s?}", "id", uuid, "habit", name, "date",
                               date_format(day, ds), "period_start", date_format(p.start, ps), "period_end",
                               date_format(p.end, pe), "in_period", (int) in_period, "times", (int) h->times, "counts",
                               counts, "since", h->has_since ? date_format(h->since, since) : NULL);
        return res->reply ? 0 : -ENOMEM;
}

static int habits_json(Manager *m, json_t **ret) {
        json_t *list = json_array();
        int r = 0;
        for (size_t i = 0; list && i < m->config->n_habits; i++) {
                json_t *h = habit_live_json(m, &m->config->habits[i], &r);
                if (!h || json_array_append_new(list, h) < 0) {
                        json_decref(list);
                        return r < 0 ? r : -ENOMEM;
                }
        }
        *ret = list;
        return list ? 0 : -ENOMEM;
}

static int method_habits(Manager *m, json_t *params, MethodResult *res) {
        json_t *list;
        int r = habits_json(m, &list);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:o}", "habits", list);
        return res->reply ? 0 : -ENOMEM;
}

/* The next prompt of each kind, and its snooze if one is set. */
static json_t *next_prompts(Manager *m) {
        json_t *a = json_array();
        time_t now = time(NULL), at;
        for (int k = 0; a && k < _REVIEW_KIND_MAX; k++) {
                ScheduleState st;
                if (manager_next_prompt(m, k, now, &at) < 0)
                        continue;
                json_t *n = json_pack("{s:s, s:I, s:s}", "kind", review_kind_to_string(k), "at",
                                      (json_int_t) at * 1000000, "schedule", config_review(m->config, k)->at);
                Period pending;
                if (n && store_schedule_get(m->store, k, &st) >= 0 && st.has_snooze &&
                    store_prompt_latest_pending(m->store, k, &pending, NULL) > 0)
                        json_object_set_new(n, "snoozed_until", json_integer(st.snooze_until_usec));
                json_array_append_new(a, n);
        }
        return a;
}

/* Adds each pending prompt's label, so clients need no calendar maths. */
static void pending_add_labels(json_t *pending) {
        size_t i;
        json_t *p;
        json_array_foreach(pending, i, p) {
                Period period;
                char label[PERIOD_LABEL_MAX];
                int kind = review_kind_from_string(json_string_value(json_object_get(p, "kind")));
                if (kind < 0 ||
                    date_parse(json_string_value(json_object_get(p, "period_start")), 0, &period.start) < 0 ||
                    date_parse(json_string_value(json_object_get(p, "period_end")), 0, &period.end) < 0)
                        continue;
                json_object_set_new(p, "label", json_string(review_period_label(kind, period, label)));
        }
}

static int method_status(Manager *m, json_t *params, MethodResult *res) {
        json_t *pending, *habits;
        char today[DATE_STR_MAX];
        int r = store_prompts_pending(m->store, &pending);
        if (r < 0)
                return r;
        pending_add_labels(pending);
        r = habits_json(m, &habits);
        if (r < 0)
                return json_decref(pending), r;
        res->reply = json_pack("{s:s, s:s, s:o, s:o, s:o}", "version", LOOKBACK_VERSION, "today",
                               date_format(manager_today(), today), "next", next_prompts(m), "pending", pending,
                               "habits", habits);
        return res->reply ? 0 : -ENOMEM;
}

static int method_log(Manager *m, json_t *params, MethodResult *res) {
        const char *kind_text = varlink_get_string(params, "kind");
        const char *from_text = varlink_get_string(params, "from"), *to_text = varlink_get_string(params, "to");
        day_t today = manager_today(), from = date_from_ymd(1000, 1, 1), to = date_from_ymd(9999, 12, 31);
        int kind = kind_text ? review_kind_from_string(kind_text) : -1;
        json_t *list;

        if (kind_text && kind < 0)
                return method_invalid(res, "kind");
        if (from_text && date_parse(from_text, today, &from) < 0)
                return method_invalid(res, "from");
        if (to_text && date_parse(to_text, today, &to) < 0)
                return method_invalid(res, "to");
        int r = store_answers_list(m->store, kind, from, to, &list);
        if (r < 0)
                return r;
        size_t i;
        json_t *a;
        json_array_foreach(list, i, a) {
                Period p;
                char label[PERIOD_LABEL_MAX];
                date_parse(json_string_value(json_object_get(a, "period_start")), 0, &p.start);
                date_parse(json_string_value(json_object_get(a, "period_end")), 0, &p.end);
                kind = review_kind_from_string(json_string_value(json_object_get(a, "kind")));
                json_object_set_new(a, "label", json_string(review_period_label(kind, p, label)));
        }
        res->reply = json_pack("{s:o}", "answers", list);
        return res->reply ? 0 : -ENOMEM;
}

static int method_remind(Manager *m, json_t *params, MethodResult *res) {
        ReviewKind kind;
        Period p;
        if (!method_param_kind(params, res, &kind))
                return 0;
        bool answered;
        int r = prompts_remind(m, kind, &p, &answered);
        if (r < 0)
                return r;
        res->show_prompt = true;
        res->show_kind = kind;
        res->show_period = p;
        res->reply = method_period_json(kind, p);
        if (res->reply)
                json_object_set_new(res->reply, "answered", json_boolean(answered));
        return res->reply ? 0 : -ENOMEM;
}

/* Skips a review period (kind, or habit weekly-review / halfyear-review)
 * or, with any other habit, the habit's period containing the date. */
static int method_skip(Manager *m, json_t *params, MethodResult *res) {
        char uuid[SD_ID128_UUID_STRING_MAX];
        ReviewKind kind;
        Period p;
        if (json_is_string(json_object_get(params, "habit"))) {
                const HabitConfig *h = method_param_habit(m, params, res);
                if (!h)
                        return 0;
                if (habit_review_kind(h) < 0)
                        return method_skip_habit(m, h, params, res);
                json_object_set_new(params, "kind", json_string(review_kind_to_string(habit_review_kind(h))));
        }
        if (!method_param_kind(params, res, &kind))
                return 0;
        int r = method_review_period(m, params, kind, res, &p);
        if (r <= 0)
                return r;
        r = prompts_skip(m, kind, p, varlink_get_string(params, "note"), uuid);
        if (r < 0)
                return r;
        res->reply = method_period_json(kind, p);
        if (!res->reply || json_object_set_new(res->reply, "id", json_string(uuid)) < 0)
                return -ENOMEM;
        return 0;
}

/* Snoozes the pending prompt of each kind asked for (default: both). */
static int method_snooze(Manager *m, json_t *params, MethodResult *res) {
        json_int_t seconds = json_integer_value(json_object_get(params, "seconds"));
        const char *kind_text = varlink_get_string(params, "kind");
        int only = kind_text ? review_kind_from_string(kind_text) : -1;
        if (seconds <= 0 || seconds > DURATION_MAX_SEC)
                return method_invalid(res, "seconds");
        int64_t until = prompts_now_usec() + (int64_t) seconds * 1000000;
        json_t *snoozed = json_array();

        if (kind_text && only < 0)
                return json_decref(snoozed), method_invalid(res, "kind");
        for (int k = 0; snoozed && k < _REVIEW_KIND_MAX; k++) {
                if (only >= 0 && k != only)
                        continue;
                int r = prompts_snooze(m, k, until);
                if (r < 0)
                        return json_decref(snoozed), r;
                if (r > 0)
                        json_array_append_new(snoozed, json_pack("{s:s, s:I}", "kind", review_kind_to_string(k),
                                                                 "until", (json_int_t) until));
        }
        if (!snoozed)
                return -ENOMEM;
        if (json_array_size(snoozed) == 0) {
                json_decref(snoozed);
                return method_fail(res, LOOKBACK_ERROR_NOTHING_PENDING, NULL);
        }
        res->reply = json_pack("{s:o}", "snoozed", snoozed);
        return res->reply ? 0 : -ENOMEM;
}

static int method_get_info(Manager *m, json_t *params, MethodResult *res) {
        res->reply = json_pack("{s:s, s:s, s:s, s:s, s:[s, s]}", "vendor", "lookback", "product", "lookbackd",
                               "version", LOOKBACK_VERSION, "url", "https://lookback.invalid/", "interfaces",
                               VARLINK_SERVICE_INTERFACE, LOOKBACK_INTERFACE);
        return res->reply ? 0 : -ENOMEM;
}

const char *methods_interface_description(const char *interface) {
        if (streq(interface, LOOKBACK_INTERFACE))
                return interface_description;
        if (streq(interface, VARLINK_SERVICE_INTERFACE))
                return varlink_service_description;
        return NULL;
}

static int method_get_interface_description(Manager *m, json_t *params, MethodResult *res) {
        const char *name = varlink_get_string(params, "interface");
        const char *d = methods_interface_description(name);
        if (!d)
                return method_fail(res, VARLINK_ERROR_INTERFACE_NOT_FOUND, json_pack("{s:s}", "interface", name));
        res->reply = json_pack("{s:s}", "description", d);
        return res->reply ? 0 : -ENOMEM;
}

#define DATE_PARAM(n)                                                                                                  \
        { n, PARAM_STRING, false, 32 }
#define KIND_PARAM                                                                                                     \
        { "kind", PARAM_STRING, false, 16 }

static const ParamSpec params_none[] = { {} };
static const ParamSpec params_interface[] = { { "interface", PARAM_STRING, true, 256 }, {} };
static const ParamSpec params_template[] = { KIND_PARAM, DATE_PARAM("date"), {} };
static const ParamSpec params_answer[] = {
        KIND_PARAM, DATE_PARAM("date"), { "entries", PARAM_ARRAY, true, 0 }, { "goals", PARAM_ARRAY, false, 0 }, {},
};
static const ParamSpec params_done[] = {
        { "habit", PARAM_STRING, true, CONFIG_HABIT_NAME_MAX },
        DATE_PARAM("date"),
        { "note", PARAM_STRING, false, 4096 },
        {},
};
static const ParamSpec params_kind[] = { KIND_PARAM, {} };
static const ParamSpec params_skip[] = {
        KIND_PARAM,
        { "habit", PARAM_STRING, false, CONFIG_HABIT_NAME_MAX },
        DATE_PARAM("date"),
        { "note", PARAM_STRING, false, 4096 },
        {},
};
static const ParamSpec params_pause[] = {
        { "habit", PARAM_STRING, true, CONFIG_HABIT_NAME_MAX },
        DATE_PARAM("from"),
        DATE_PARAM("to"),
        { "reason", PARAM_STRING, false, 4096 },
        {},
};
static const ParamSpec params_resume[] = { { "habit", PARAM_STRING, true, CONFIG_HABIT_NAME_MAX },
                                           DATE_PARAM("date"),
                                           {} };
static const ParamSpec params_goal_add[] = { { "text", PARAM_STRING, true, 4096 }, {} };
static const ParamSpec params_goal_list[] = { { "all", PARAM_BOOLEAN, false, 0 }, {} };
static const ParamSpec params_goal_set[] = {
        { "id", PARAM_STRING, true, 64 },
        { "status", PARAM_STRING, true, 16 },
        { "reason", PARAM_STRING, false, 4096 },
        {},
};
static const ParamSpec params_report[] = {
        DATE_PARAM("from"), DATE_PARAM("to"), { "format", PARAM_STRING, false, 16 }, {}
};
static const ParamSpec params_snooze[] = { { "seconds", PARAM_INTEGER, true, 0 }, KIND_PARAM, {} };
static const ParamSpec params_log[] = { KIND_PARAM, DATE_PARAM("from"), DATE_PARAM("to"), {} };

static const Method method_table[] = {
        { "org.varlink.service.GetInfo", method_get_info, false, params_none },
        { "org.varlink.service.GetInterfaceDescription", method_get_interface_description, false, params_interface },
        { "io.lookback.GetTemplate", method_get_template, false, params_template },
        { "io.lookback.Answer", method_answer, true, params_answer },
        { "io.lookback.Done", method_done, true, params_done },
        { "io.lookback.Status", method_status, false, params_none },
        { "io.lookback.Habits", method_habits, false, params_none },
        { "io.lookback.Log", method_log, false, params_log },
        { "io.lookback.Remind", method_remind, true, params_kind },
        { "io.lookback.Skip", method_skip, true, params_skip },
        { "io.lookback.Snooze", method_snooze, true, params_snooze },
        { "io.lookback.Pause", method_pause, true, params_pause },
        { "io.lookback.Resume", method_resume, true, params_resume },
        { "io.lookback.GoalAdd", method_goal_add, true, params_goal_add },
        { "io.lookback.GoalList", method_goal_list, false, params_goal_list },
        { "io.lookback.GoalSet", method_goal_set, true, params_goal_set },
        { "io.lookback.Report", method_report, false, params_report },
};

static const Method *method_find(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(method_table); i++)
                if (streq(method_table[i].name, name))
                        return &method_table[i];
        return NULL;
}

/* Runs a method; for a writing one, inside a transaction that commits
 * before this returns — so the reply the caller sends acknowledges data
 * that is on disk. */
static int method_run(Manager *m, const Method *method, json_t *params, MethodResult *res) {
        int r;
        if (!method->writes)
                return method->handler(m, params, res);
        r = store_begin(m->store);
        if (r < 0)
                return r;
        r = method->handler(m, params, res);
        if (r < 0 || res->error) {
                store_rollback(m->store);
                return r;
        }
        r = store_commit(m->store);
        if (r < 0)
                store_rollback(m->store);
        return r;
}

static json_t *internal_error(const char *method, int r, Manager *m) {
        fprintf(stderr, SD_ERR "%s failed: %s (%s)\n", method, strerror(-r), store_last_error(m->store));
        return varlink_error_new(LOOKBACK_ERROR_INTERNAL, json_pack("{s:s}", "message", strerror(-r)));
}

/* A reply over the message limit goes out as a series of replies when the
 * caller accepts one ("more"), else as MessageTooLarge. Years of answers
 * or a ten-year HTML report can be that large. */
static json_t *reply_fit(json_t *reply, bool more) {
        json_t *params = json_object_get(reply, "parameters");
        const char *key;
        json_t *v;
        bool huge = false;
        char *text;
        size_t size;
        /* A string that alone fills a message: go straight to a series
         * rather than format (escape) megabytes only to find out. */
        json_object_foreach(params, key, v)
                huge = huge || json_string_length(v) >= VARLINK_MESSAGE_MAX;
        if (!reply || (!huge && varlink_message_format(reply, &text, &size) >= 0)) {
                if (reply)
                        free(text);
                return reply;
        }
        json_t *series = more ? varlink_reply_split(json_object_get(reply, "parameters"), VARLINK_MESSAGE_MAX) : NULL;
        json_decref(reply);
        return series ? series : varlink_error_new(LOOKBACK_ERROR_MESSAGE_TOO_LARGE, NULL);
}

json_t *methods_dispatch(const char *message, void *userdata) {
        Manager *m = userdata;
        VarlinkCall call;
        MethodResult res = {};
        const char *bad;
        json_t *reply;

        if (varlink_call_parse(message, &call) < 0)
                return varlink_error_new(LOOKBACK_ERROR_INVALID_MESSAGE, NULL);

        const Method *method = method_find(call.method);
        if (!method)
                reply = varlink_error_new(VARLINK_ERROR_METHOD_NOT_FOUND, json_pack("{s:s}", "method", call.method));
        else if (varlink_check_parameters(method->params, call.parameters, &bad) < 0)
                reply = varlink_error_invalid_parameter(bad);
        else {
                int r = method_run(m, method, call.parameters, &res);
                if (r < 0) {
                        json_decref(res.reply);
                        json_decref(res.error_parameters);
                        reply = internal_error(method->name, r, m);
                } else if (res.error) {
                        json_decref(res.reply);
                        reply = varlink_error_new(res.error, res.error_parameters);
                } else {
                        /* Shown after the commit; the reply says whether it could be. */
                        if (res.show_prompt)
                                json_object_set_new(
                                        res.reply, "shown",
                                        json_boolean(prompts_show(m, res.show_kind, res.show_period, 1) >= 0));
                        reply = varlink_reply_new(res.reply);
                }
        }
        if (call.oneway) {
                json_decref(reply);
                reply = NULL;
        }
        reply = reply_fit(reply, call.more);
        varlink_call_done(&call);
        return reply;
}
