/* Handlers for habits: skips, pauses and goals. */
#include <errno.h>
#include <string.h>

#include "habits.h"
#include "method.h"
#include "prompts.h"
#include "protocol.h"
#include "util.h"

int method_param_any_date(json_t *params, const char *name, day_t def, MethodResult *res, day_t *ret) {
        const char *text = varlink_get_string(params, name);
        *ret = def;
        if (text && (date_parse(text, manager_today(), ret) < 0 || *ret < DATE_EARLIEST))
                return method_invalid(res, name), 0;
        return 1;
}

const HabitConfig *method_param_habit(Manager *m, json_t *params, MethodResult *res) {
        const char *name = varlink_get_string(params, "habit");
        const HabitConfig *h = name ? config_find_habit(m->config, name) : NULL;
        if (!h)
                method_fail(
                        res, LOOKBACK_ERROR_UNKNOWN_HABIT,
                        json_pack("{s:s, s:o}", "habit", name ? name : "", "known", method_known_habits(m->config)));
        return h;
}

/* A skip of an ordinary habit: the period containing the day is excused. */
int method_skip_habit(Manager *m, const HabitConfig *h, json_t *params, MethodResult *res) {
        char uuid[SD_ID128_UUID_STRING_MAX], ds[DATE_STR_MAX], ps[DATE_STR_MAX], pe[DATE_STR_MAX];
        HabitState st;
        day_t day;
        if (!method_param_date(params, "date", res, &day))
                return 0;
        int r = store_skip_add(m->store, h->name, day, varlink_get_string(params, "note"), prompts_now_usec(), uuid);
        if (r < 0)
                return r;
        r = habit_state_load(m, h, day, day, &st);
        if (r < 0)
                return r;
        Period p = lapse_period_containing(&st.input, day);
        habit_state_done(&st);
        res->reply = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", uuid, "habit", h->name, "date", date_format(day, ds),
                               "period_start", date_format(p.start, ps), "period_end", date_format(p.end, pe));
        return res->reply ? 0 : -ENOMEM;
}

/* One pause at a time: an overlap would make the report list a day twice.
 * Returns 1, 0 with PauseOverlaps in @res, or a negative errno. */
static int pause_overlap(Manager *m, const HabitConfig *h, day_t from, day_t to, MethodResult *res) {
        StorePauses pauses;
        char fs[DATE_STR_MAX], ts[DATE_STR_MAX];
        int r = store_pauses(m->store, h->name, &pauses), ok = 1;
        if (r < 0)
                return r;
        for (size_t i = 0; ok && i < pauses.n; i++) {
                const LapsePause *p = &pauses.items[i];
                if (p->from <= to && p->to >= from) {
                        method_fail(res, LOOKBACK_ERROR_PAUSE_OVERLAPS,
                                    json_pack("{s:s, s:s, s:s?}", "habit", h->name, "from", date_format(p->from, fs),
                                              "to", p->to == LAPSE_OPEN_END ? NULL : date_format(p->to, ts)));
                        ok = 0;
                }
        }
        store_pauses_done(&pauses);
        return ok;
}

int method_pause(Manager *m, json_t *params, MethodResult *res) {
        const HabitConfig *h = method_param_habit(m, params, res);
        char uuid[SD_ID128_UUID_STRING_MAX], fs[DATE_STR_MAX], ts[DATE_STR_MAX];
        const char *reason = varlink_get_string(params, "reason");
        bool has_to = varlink_get_string(params, "to") != NULL;
        day_t from, to, open_from;
        int64_t open_id;

        if (!h || !method_param_any_date(params, "from", manager_today(), res, &from) ||
            !method_param_any_date(params, "to", from, res, &to))
                return 0;
        if (has_to && to < from)
                return method_invalid(res, "to");
        int r = store_pause_open(m->store, h->name, &open_id, &open_from);
        if (r < 0)
                return r;
        if (r > 0)
                return method_fail(res, LOOKBACK_ERROR_ALREADY_PAUSED,
                                   json_pack("{s:s, s:s}", "habit", h->name, "since", date_format(open_from, fs)));
        r = pause_overlap(m, h, from, has_to ? to : LAPSE_OPEN_END, res);
        if (r <= 0)
                return r;
        r = store_pause_add(m->store, h->name, from, has_to, to, reason, prompts_now_usec(), uuid);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "id", uuid, "habit", h->name, "from",
                               date_format(from, fs), "to", has_to ? date_format(to, ts) : NULL, "reason", reason);
        return res->reply ? 0 : -ENOMEM;
}

/* Ends the open pause the day before "date" (default today). Resuming on
 * the day the pause began undoes it. */
int method_resume(Manager *m, json_t *params, MethodResult *res) {
        const HabitConfig *h = method_param_habit(m, params, res);
        char fs[DATE_STR_MAX], ts[DATE_STR_MAX];
        day_t day, from;
        int64_t id;

        if (!h || !method_param_any_date(params, "date", manager_today(), res, &day))
                return 0;
        int r = store_pause_open(m->store, h->name, &id, &from);
        if (r < 0)
                return r;
        if (r == 0 || day < from)
                /* A pause planned for later is not in force: nothing to resume. */
                return method_fail(res, LOOKBACK_ERROR_NOT_PAUSED,
                                   json_pack("{s:s, s:s?}", "habit", h->name, "planned_from",
                                             r > 0 ? date_format(from, fs) : NULL));
        bool removed = day == from;
        r = store_pause_end(m->store, id, removed, day - 1);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:s, s:s?, s:b}", "habit", h->name, "from", date_format(from, fs), "to",
                               removed ? NULL : date_format(day - 1, ts), "removed", removed);
        return res->reply ? 0 : -ENOMEM;
}

int method_goal_add(Manager *m, json_t *params, MethodResult *res) {
        const char *text = varlink_get_string(params, "text");
        char uuid[SD_ID128_UUID_STRING_MAX], ds[DATE_STR_MAX];
        day_t today = manager_today();
        _cleanup_free_ char *copy = strdup(text);

        if (!copy)
                return -ENOMEM;
        if (!*strstrip(copy) || strchr(copy, '\n'))
                return method_invalid(res, "text");
        int r = store_goal_add(m->store, copy, today, prompts_now_usec(), uuid);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:s, s:s, s:s}", "id", uuid, "text", copy, "status", "open", "created",
                               date_format(today, ds));
        return res->reply ? 0 : -ENOMEM;
}

int method_goal_list(Manager *m, json_t *params, MethodResult *res) {
        json_t *goals;
        int r = store_goals_list(m->store, json_is_true(json_object_get(params, "all")), &goals);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:o}", "goals", goals);
        return res->reply ? 0 : -ENOMEM;
}

/* Finds a goal by a prefix of its id; 1, or 0 with NoSuchGoal /
 * AmbiguousGoal in @res. */
int method_goal_resolve(Manager *m, const char *prefix, MethodResult *res, char uuid[static SD_ID128_UUID_STRING_MAX]) {
        int r = store_goal_find(m->store, prefix, uuid);
        if (r < 0)
                return r;
        if (r == 1)
                return 1;
        method_fail(res, r == 0 ? LOOKBACK_ERROR_NO_SUCH_GOAL : LOOKBACK_ERROR_AMBIGUOUS_GOAL,
                    json_pack("{s:s}", "id", prefix));
        return 0;
}

int method_goal_set(Manager *m, json_t *params, MethodResult *res) {
        const char *status = varlink_get_string(params, "status");
        const char *reason = varlink_get_string(params, "reason");
        char uuid[SD_ID128_UUID_STRING_MAX];

        if (!streq(status, "open") && !streq(status, "achieved") && !streq(status, "dropped"))
                return method_invalid(res, "status");
        int r = method_goal_resolve(m, varlink_get_string(params, "id"), res, uuid);
        if (r <= 0)
                return r;
        bool closing = !streq(status, "open");
        r = store_goal_set(m->store, uuid, status, closing, manager_today(), closing ? reason : NULL);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:s}", "id", uuid, "status", status);
        return res->reply ? 0 : -ENOMEM;
}
