/* Goals: set one, list them, mark one achieved, dropped or open again. */
#include <errno.h>
#include <string.h>

#include "method.h"
#include "util.h"

typedef struct {
        const char *text;
} GoalAddParams;

typedef struct {
        bool all;
} GoalListParams;

typedef struct {
        const char *id;
        const char *status;
        const char *reason;
} GoalSetParams;

static int method_goal_add(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const GoalAddParams *p = params;
        char uuid[SD_ID128_UUID_STRING_MAX];
        _cleanup_free_ char *copy = strdup(p->text);

        if (!copy)
                return -ENOMEM;
        if (!*strstrip(copy) || strchr(copy, '\n'))
                return method_invalid(res, "text");
        int r = store_goal_add(m->store, copy, now->today, now->usec, uuid);
        if (r < 0)
                return r;
        ReportGoal g = { .id = uuid, .text = copy, .status = GOAL_OPEN, .created = now->today };
        res->reply = method_goal_json(&g);
        return res->reply ? 0 : -ENOMEM;
}

static int method_goal_list(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const GoalListParams *p = params;
        StoreGoals goals;
        int r = store_goals_list(m->store, p->all, &goals);
        if (r < 0)
                return r;
        json_t *list = method_goals_json(&goals);
        store_goals_done(&goals);
        res->reply = json_pack("{s:o}", "goals", list);
        return res->reply ? 0 : -ENOMEM;
}

static int method_goal_set(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const GoalSetParams *p = params;
        char uuid[SD_ID128_UUID_STRING_MAX];
        int status = goal_status_from_string(p->status);

        if (status < 0)
                return method_invalid(res, "status");
        int r = method_goal_resolve(m, p->id, res, uuid);
        if (r <= 0)
                return r;
        bool closing = status != GOAL_OPEN;
        r = store_goal_set(m->store, uuid, p->status, closing, now->today, closing ? p->reason : NULL, now->usec);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:s}", "id", uuid, "status", p->status);
        return res->reply ? 0 : -ENOMEM;
}

static const ParamSpec params_goal_add[] = {
        { "text", PARAM_STRING, true, NOTE_MAX, offsetof(GoalAddParams, text) },
        {},
};
static const ParamSpec params_goal_list[] = {
        { "all", PARAM_BOOLEAN, false, 0, offsetof(GoalListParams, all) },
        {},
};
static const ParamSpec params_goal_set[] = {
        { "id", PARAM_STRING, true, 64, offsetof(GoalSetParams, id) },
        { "status", PARAM_STRING, true, 16, offsetof(GoalSetParams, status) },
        { "reason", PARAM_STRING, false, NOTE_MAX, offsetof(GoalSetParams, reason) },
        {},
};

const Method method_goal_table[] = {
        { "io.lookback.GoalAdd", method_goal_add, true, params_goal_add, sizeof(GoalAddParams) },
        { "io.lookback.GoalList", method_goal_list, false, params_goal_list, sizeof(GoalListParams) },
        { "io.lookback.GoalSet", method_goal_set, true, params_goal_set, sizeof(GoalSetParams) },
        {},
};
