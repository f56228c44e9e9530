/* Reviews: the template to fill, answers, the log of past answers, and the
 * prompts' remind and snooze. */
#include <errno.h>
#include <string.h>

#include "method.h"
#include "prompt-timers.h"
#include "review-notes.h"
#include "template.h"
#include "util.h"

typedef struct {
        const char *kind;
        const char *date;
} TemplateParams;

typedef struct {
        const char *kind;
        const char *date;
        json_t *entries;
        json_t *goals;
} AnswerParams;

typedef struct {
        const char *kind;
        const char *from;
        const char *to;
} LogParams;

typedef struct {
        const char *kind;
} KindParams;

typedef struct {
        int64_t seconds;
        const char *kind;
} SnoozeParams;

static json_t *strv_json(char *const *l, size_t n) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, json_string(l[i])) < 0)
                        return json_decref(a), NULL;
        return a;
}

static int method_get_template(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const TemplateParams *p = params;
        _cleanup_free_ char *title = NULL, *notes = NULL;
        char label[PERIOD_LABEL_MAX];
        StoreGoals goals;
        ReviewKind kind;
        Period period;
        unsigned versions;

        if (!method_param_kind(p->kind, res, &kind))
                return 0;
        int r = method_review_period(m, now, kind, p->date, res, &period);
        if (r <= 0)
                return r;
        r = store_answers_count(m->store, kind, period.start, &versions);
        if (r < 0)
                return r;
        const ReviewConfig *rc = config_review(m->config, kind);
        title = strdup_printf("%s review for %s", kind == REVIEW_WEEKLY ? "weekly" : "half-year",
                              review_period_label(kind, period, label));
        r = review_notes(m->store, m->config, kind, period, now->today, &notes, &goals);
        if (r < 0)
                return r;
        json_t *reply = method_period_json(kind, period);
        if (!title || !reply || json_object_set_new(reply, "title", json_string(title)) < 0 ||
            json_object_set_new(reply, "questions", strv_json(rc->questions, rc->n_questions)) < 0 ||
            json_object_set_new(reply, "versions", json_integer(versions)) < 0 ||
            json_object_set_new(reply, "notes", json_string(notes)) < 0 ||
            json_object_set_new(reply, "goals", method_goals_json(&goals)) < 0) {
                store_goals_done(&goals);
                json_decref(reply);
                return -ENOMEM;
        }
        store_goals_done(&goals);
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
static int answer_apply_goals(Manager *m, const Now *now, json_t *goals, MethodResult *res) {
        char uuid[SD_ID128_UUID_STRING_MAX];
        size_t i;
        json_t *g;
        json_array_foreach(goals, i, g) {
                const char *id = json_string_value(json_object_get(g, "id"));
                int status = goal_status_from_string(json_string_value(json_object_get(g, "status")));
                if (!id || status < 0)
                        return method_invalid(res, "goals");
                int r = method_goal_resolve(m, id, res, uuid);
                if (r <= 0)
                        return r;
                bool closing = status != GOAL_OPEN;
                r = store_goal_set(m->store, uuid, goal_status_to_string(status), closing, now->today,
                                   closing ? "marked at the half-year review" : NULL, now->usec);
                if (r < 0)
                        return r;
        }
        return 1;
}

/* The entries with an answer, borrowed from the request. */
static size_t answer_nonempty(json_t *entries, size_t n, TemplateEntry items[static TEMPLATE_ENTRIES_MAX]) {
        size_t n_nonempty = 0;
        for (size_t i = 0; i < n; i++) {
                json_t *e = json_array_get(entries, i);
                items[n_nonempty] = (TemplateEntry){
                        .question = (char *) json_string_value(json_object_get(e, "question")),
                        .answer = (char *) json_string_value(json_object_get(e, "answer")),
                };
                if (items[n_nonempty].answer[0])
                        n_nonempty++;
        }
        return n_nonempty;
}

static int method_answer(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const AnswerParams *p = params;
        TemplateEntry items[TEMPLATE_ENTRIES_MAX];
        char uuid[SD_ID128_UUID_STRING_MAX];
        ReviewKind kind;
        Period period;

        if (!method_param_kind(p->kind, res, &kind))
                return 0;
        ssize_t n = answer_entries_check(p->entries, res);
        if (n < 0)
                return 0;
        size_t n_nonempty = answer_nonempty(p->entries, (size_t) n, items);
        if (n_nonempty == 0)
                return method_fail(res, LOOKBACK_ERROR_EMPTY_ANSWER, NULL);
        int r = method_review_period(m, now, kind, p->date, res, &period);
        if (r <= 0)
                return r;
        StoreAnswer a = { kind, period, items, n_nonempty, now->usec };
        r = store_answer_add(m->store, &a, uuid);
        if (r < 0)
                return r;
        r = answer_apply_goals(m, now, p->goals, res);
        if (r <= 0)
                return r; /* the dispatcher rolls the answer back too */
        json_t *reply = method_period_json(kind, period);
        if (!reply || json_object_set_new(reply, "id", json_string(uuid)) < 0)
                return json_decref(reply), -ENOMEM;
        res->reply = reply;
        res->close_prompts |= 1U << kind;
        res->has_close_period = true;
        res->close_period = period;
        res->recheck_habit = config_find_habit(m->config, review_kind_habit(kind));
        return 0;
}

static json_t *answer_json(const StoreAnswerRow *a) {
        json_t *entries = json_array(), *o;
        for (size_t i = 0; entries && i < a->n_entries; i++)
                if (json_array_append_new(entries, json_pack("{s:s, s:s}", "question", a->entries[i].question, "answer",
                                                             a->entries[i].answer)) < 0)
                        entries = (json_decref(entries), NULL);
        o = method_period_json(a->kind, a->period);
        if (!o || json_object_set_new(o, "id", json_string(a->uuid)) < 0 ||
            json_object_set_new(o, "created", json_integer(a->created_usec)) < 0 ||
            json_object_set_new(o, "entries", entries) < 0)
                return json_decref(o), NULL;
        return o;
}

static int method_log(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const LogParams *p = params;
        day_t from = date_from_ymd(1000, 1, 1), to = date_from_ymd(9999, 12, 31);
        int kind = p->kind ? review_kind_from_string(p->kind) : -1;
        StoreAnswers list;

        if (p->kind && kind < 0)
                return method_invalid(res, "kind");
        if (p->from && date_parse(p->from, now->today, &from) < 0)
                return method_invalid(res, "from");
        if (p->to && date_parse(p->to, now->today, &to) < 0)
                return method_invalid(res, "to");
        int r = store_answers_list(m->store, kind, from, to, &list);
        if (r < 0)
                return r;
        json_t *answers = json_array();
        for (size_t i = 0; answers && i < list.n; i++)
                if (json_array_append_new(answers, answer_json(&list.items[i])) < 0)
                        answers = (json_decref(answers), NULL);
        store_answers_done(&list);
        res->reply = json_pack("{s:o}", "answers", answers);
        return res->reply ? 0 : -ENOMEM;
}

static int method_remind(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const KindParams *p = params;
        ReviewKind kind;
        Period period;
        bool answered;

        if (!method_param_kind(p->kind, res, &kind))
                return 0;
        int r = prompt_timers_remind(m, now, kind, &period, &answered);
        if (r < 0)
                return r;
        res->show_prompt = true;
        res->show_kind = kind;
        res->show_period = period;
        res->reply = method_period_json(kind, period);
        if (res->reply)
                json_object_set_new(res->reply, "answered", json_boolean(answered));
        return res->reply ? 0 : -ENOMEM;
}

/* Snoozes the pending prompt of each kind asked for (default: both). */
static int method_snooze(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const SnoozeParams *p = params;
        int only = p->kind ? review_kind_from_string(p->kind) : -1;
        if (p->seconds <= 0 || p->seconds > DURATION_MAX_SEC)
                return method_invalid(res, "seconds");
        if (p->kind && only < 0)
                return method_invalid(res, "kind");
        int64_t until = now->usec + p->seconds * USEC_PER_SEC;
        json_t *snoozed = json_array();
        for (int k = 0; snoozed && k < _REVIEW_KIND_MAX; k++) {
                if (only >= 0 && k != only)
                        continue;
                int r = prompt_timers_snooze(m, k, until);
                if (r < 0)
                        return json_decref(snoozed), r;
                if (r == 0)
                        continue;
                json_array_append_new(snoozed, json_pack("{s:s, s:I}", "kind", review_kind_to_string(k), "until",
                                                         (json_int_t) until));
                res->close_prompts |= 1U << k;
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

static const ParamSpec params_template[] = {
        KIND_PARAM(TemplateParams),
        DATE_PARAM("date", TemplateParams, date),
        {},
};
static const ParamSpec params_answer[] = {
        KIND_PARAM(AnswerParams),
        DATE_PARAM("date", AnswerParams, date),
        { "entries", PARAM_ARRAY, true, 0, offsetof(AnswerParams, entries) },
        { "goals", PARAM_ARRAY, false, 0, offsetof(AnswerParams, goals) },
        {},
};
static const ParamSpec params_log[] = {
        KIND_PARAM(LogParams),
        DATE_PARAM("from", LogParams, from),
        DATE_PARAM("to", LogParams, to),
        {},
};
static const ParamSpec params_kind[] = { KIND_PARAM(KindParams), {} };
static const ParamSpec params_snooze[] = {
        { "seconds", PARAM_INTEGER, true, 0, offsetof(SnoozeParams, seconds) },
        KIND_PARAM(SnoozeParams),
        {},
};

const Method method_review_table[] = {
        { "io.lookback.GetTemplate", method_get_template, false, params_template, sizeof(TemplateParams) },
        { "io.lookback.Answer", method_answer, true, params_answer, sizeof(AnswerParams) },
        { "io.lookback.Log", method_log, false, params_log, sizeof(LogParams) },
        { "io.lookback.Remind", method_remind, true, params_kind, sizeof(KindParams) },
        { "io.lookback.Snooze", method_snooze, true, params_snooze, sizeof(SnoozeParams) },
        {},
};
