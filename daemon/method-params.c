/* The parameter readers and reply pieces every handler shares. */
#include <errno.h>

#include "method.h"
#include "protocol.h"
#include "util.h"

int method_fail(MethodResult *res, const char *error, json_t *parameters) {
        res->error = error;
        res->error_parameters = parameters;
        return 0;
}

int method_invalid(MethodResult *res, const char *parameter) {
        return method_fail(res, VARLINK_ERROR_INVALID_PARAMETER, json_pack("{s:s}", "parameter", parameter));
}

int method_param_any_date(const Now *now, const char *name, const char *text, day_t def, MethodResult *res,
                          day_t *ret) {
        *ret = def;
        if (text && (date_parse(text, now->today, ret) < 0 || *ret < DATE_EARLIEST))
                return method_invalid(res, name), 0;
        return 1;
}

int method_param_date(const Now *now, const char *name, const char *text, MethodResult *res, day_t *ret) {
        if (!method_param_any_date(now, name, text, now->today, res, ret))
                return 0;
        if (*ret > now->today) {
                method_fail(res, LOOKBACK_ERROR_FUTURE_DATE, json_pack("{s:s, s:s}", "parameter", name, "date", text));
                return 0;
        }
        return 1;
}

int method_param_kind(const char *text, MethodResult *res, ReviewKind *ret) {
        int k = text ? review_kind_from_string(text) : REVIEW_WEEKLY;
        if (k < 0)
                return method_invalid(res, "kind"), 0;
        *ret = (ReviewKind) k;
        return 1;
}

int method_review_period(Manager *m, const Now *now, ReviewKind kind, const char *date, MethodResult *res,
                         Period *ret) {
        day_t day;
        if (!method_param_date(now, "date", date, res, &day))
                return 0;
        if (!date) {
                int r = store_prompt_oldest_pending(m->store, kind, ret);
                if (r != 0)
                        return r;
        }
        *ret = review_period(kind, day, m->config->week_start);
        return 1;
}

json_t *method_day_json(day_t day) {
        char buf[DATE_STR_MAX];
        return json_string(date_format(day, buf));
}

json_t *method_period_json(ReviewKind kind, Period p) {
        char label[PERIOD_LABEL_MAX];
        return json_pack("{s:s, s:o, s:o, s:s}", "kind", review_kind_to_string(kind), "period_start",
                         method_day_json(p.start), "period_end", method_day_json(p.end), "label",
                         review_period_label(kind, p, label));
}

static json_t *method_known_habits(const Config *c) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < c->n_habits; i++)
                json_array_append_new(a, json_string(c->habits[i].name));
        return a;
}

const HabitConfig *method_param_habit(Manager *m, const char *name, MethodResult *res) {
        const HabitConfig *h = name ? config_find_habit(m->config, name) : NULL;
        if (!h)
                method_fail(
                        res, LOOKBACK_ERROR_UNKNOWN_HABIT,
                        json_pack("{s:s, s:o}", "habit", name ? name : "", "known", method_known_habits(m->config)));
        return h;
}

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

json_t *method_goals_json(const StoreGoals *goals) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < goals->n; i++)
                if (json_array_append_new(a, method_goal_json(&goals->items[i])) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

json_t *method_goal_json(const ReportGoal *g) {
        char created[DATE_STR_MAX], closed[DATE_STR_MAX];
        return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?}", "id", g->id, "text", g->text, "status",
                         goal_status_to_string(g->status), "created", date_format(g->created, created), "closed",
                         g->closed ? date_format(g->closed_day, closed) : NULL, "reason", g->reason);
}
