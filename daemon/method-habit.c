/* Habits: check-ins, skips, pauses, and a habit's history with its notes. */
#include <errno.h>

#include "habit-input.h"
#include "habit-view.h"
#include "method.h"
#include "prompt-timers.h"
#include "util.h"

typedef struct {
        const char *habit;
        const char *date;
        const char *note;
} DoneParams;

typedef struct {
        const char *kind;
        const char *habit;
        const char *date;
        const char *note;
} SkipParams;

typedef struct {
        const char *habit;
        const char *from;
        const char *to;
        const char *reason;
} PauseParams;

typedef struct {
        const char *habit;
        const char *date;
} ResumeParams;

typedef struct {
        const char *habit;
        int64_t limit;
} HistoryParams;

/* The period of @h containing @day, and its check-ins (all of them, as
 * they stand today). */
static int habit_period_of(Manager *m, const Now *now, const HabitConfig *h, day_t day, HabitPeriod *ret) {
        HabitSource src;
        HabitView v;
        const HabitPeriod *p;
        int r = habit_source_load(m->store, m->config, h, &src);
        if (r < 0)
                return r;
        Period period = habit_period_containing(&src.input, day);
        day_t to = period.end < now->today ? period.end : now->today;
        *ret = (HabitPeriod){ period, 0, PERIOD_OPEN };
        r = habit_view_compute(&src.input, period.start, to, now->today, &v);
        if (r >= 0 && habit_view_period(&v, day, &p))
                *ret = *p;
        habit_view_done(&v);
        habit_source_done(&src);
        return r < 0 ? r : 0;
}

static int method_done(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const DoneParams *p = params;
        const HabitConfig *h = method_param_habit(m, p->habit, res);
        char uuid[SD_ID128_UUID_STRING_MAX], ds[DATE_STR_MAX], ps[DATE_STR_MAX], pe[DATE_STR_MAX], since[DATE_STR_MAX];
        HabitPeriod period;
        day_t day;

        if (!h)
                return 0;
        if (habit_review_kind(h) >= 0)
                return method_fail(
                        res, LOOKBACK_ERROR_HABIT_IS_REVIEW,
                        json_pack("{s:s, s:s}", "habit", h->name, "kind", review_kind_to_string(habit_review_kind(h))));
        if (!method_param_date(now, "date", p->date, res, &day))
                return 0;
        int r = store_checkin_add(m->store, h->name, day, p->note, now->usec, uuid);
        if (r >= 0)
                r = habit_period_of(m, now, h, day, &period);
        if (r < 0)
                return r;
        /* A check-in before the habit's start is kept, but never counts. */
        bool counts = !h->has_since || day >= h->since;
        res->reply = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:b, s:s?}", "id", uuid, "habit", h->name, "date",
                               date_format(day, ds), "period_start", date_format(period.period.start, ps), "period_end",
                               date_format(period.period.end, pe), "in_period", (int) period.checkins, "times",
                               (int) h->times, "counts", counts, "since",
                               h->has_since ? date_format(h->since, since) : NULL);
        res->recheck_habit = h;
        return res->reply ? 0 : -ENOMEM;
}

/* A skip of an ordinary habit: the period containing the day is excused. */
static int method_skip_habit(Manager *m, const Now *now, const HabitConfig *h, const SkipParams *p, MethodResult *res) {
        char uuid[SD_ID128_UUID_STRING_MAX], ds[DATE_STR_MAX], ps[DATE_STR_MAX], pe[DATE_STR_MAX];
        HabitPeriod period;
        day_t day;

        if (!method_param_date(now, "date", p->date, res, &day))
                return 0;
        int r = store_skip_add(m->store, h->name, day, p->note, now->usec, uuid);
        if (r >= 0)
                r = habit_period_of(m, now, h, day, &period);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", uuid, "habit", h->name, "date", date_format(day, ds),
                               "period_start", date_format(period.period.start, ps), "period_end",
                               date_format(period.period.end, pe));
        res->recheck_habit = h;
        return res->reply ? 0 : -ENOMEM;
}

/* Skips a review period (kind, or habit weekly-review / halfyear-review)
 * or, with any other habit, the habit's period containing the date. */
static int method_skip(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const SkipParams *p = params;
        const char *kind_text = p->kind;
        char uuid[SD_ID128_UUID_STRING_MAX];
        ReviewKind kind;
        Period period;

        if (p->habit) {
                const HabitConfig *h = method_param_habit(m, p->habit, res);
                if (!h)
                        return 0;
                if (habit_review_kind(h) < 0)
                        return method_skip_habit(m, now, h, p, res);
                kind_text = review_kind_to_string(habit_review_kind(h));
        }
        if (!method_param_kind(kind_text, res, &kind))
                return 0;
        int r = method_review_period(m, now, kind, p->date, res, &period);
        if (r <= 0)
                return r;
        r = prompt_timers_skip(m, now, kind, period, p->note, uuid);
        if (r == -EALREADY) {
                char s[DATE_STR_MAX], e[DATE_STR_MAX];
                return method_fail(res, LOOKBACK_ERROR_ALREADY_ANSWERED,
                                   json_pack("{s:s, s:s, s:s}", "kind", review_kind_to_string(kind), "period_start",
                                             date_format(period.start, s), "period_end", date_format(period.end, e)));
        }
        if (r < 0)
                return r;
        res->reply = method_period_json(kind, period);
        if (!res->reply || json_object_set_new(res->reply, "id", json_string(uuid)) < 0)
                return -ENOMEM;
        res->close_prompts |= 1U << kind;
        res->has_close_period = true;
        res->close_period = period;
        res->recheck_habit = config_find_habit(m->config, review_kind_habit(kind));
        return 0;
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
                const HabitPause *p = &pauses.items[i];
                if (p->from <= to && p->to >= from) {
                        method_fail(res, LOOKBACK_ERROR_PAUSE_OVERLAPS,
                                    json_pack("{s:s, s:s, s:s?}", "habit", h->name, "from", date_format(p->from, fs),
                                              "to", p->to == HABIT_OPEN_END ? NULL : date_format(p->to, ts)));
                        ok = 0;
                }
        }
        store_pauses_done(&pauses);
        return ok;
}

static int method_pause(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const PauseParams *p = params;
        const HabitConfig *h = method_param_habit(m, p->habit, res);
        char uuid[SD_ID128_UUID_STRING_MAX], fs[DATE_STR_MAX], ts[DATE_STR_MAX];
        day_t from, to, open_from;
        int64_t open_id;

        if (!h || !method_param_any_date(now, "from", p->from, now->today, res, &from) ||
            !method_param_any_date(now, "to", p->to, from, res, &to))
                return 0;
        if (p->to && to < from)
                return method_invalid(res, "to");
        int r = store_pause_open(m->store, h->name, &open_id, &open_from);
        if (r < 0)
                return r;
        if (r > 0)
                return method_fail(res, LOOKBACK_ERROR_ALREADY_PAUSED,
                                   json_pack("{s:s, s:s}", "habit", h->name, "since", date_format(open_from, fs)));
        r = pause_overlap(m, h, from, p->to ? to : HABIT_OPEN_END, res);
        if (r <= 0)
                return r;
        r = store_pause_add(m->store, h->name, from, p->to != NULL, to, p->reason, now->usec, uuid);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "id", uuid, "habit", h->name, "from",
                               date_format(from, fs), "to", p->to ? date_format(to, ts) : NULL, "reason", p->reason);
        res->recheck_habit = h;
        return res->reply ? 0 : -ENOMEM;
}

/* Ends the open pause the day before "date" (default today). Resuming on
 * the day the pause began undoes it. */
static int method_resume(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const ResumeParams *p = params;
        const HabitConfig *h = method_param_habit(m, p->habit, res);
        char fs[DATE_STR_MAX], ts[DATE_STR_MAX];
        day_t day, from;
        int64_t id;

        if (!h || !method_param_any_date(now, "date", p->date, now->today, res, &day))
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
        r = store_pause_end(m->store, id, removed, day - 1, now->usec);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:s, s:s?, s:b}", "habit", h->name, "from", date_format(from, fs), "to",
                               removed ? NULL : date_format(day - 1, ts), "removed", removed);
        res->recheck_habit = h;
        return res->reply ? 0 : -ENOMEM;
}

static int history_add(json_t *events, const char *kind, const char *id, day_t day, const char *note, bool has_to,
                       day_t to) {
        char ds[DATE_STR_MAX], ts[DATE_STR_MAX];
        json_t *o =
                json_pack("{s:s, s:s?, s:s, s:s?}", "kind", kind, "id", id, "date", date_format(day, ds), "note", note);
        if (o && has_to &&
            json_object_set_new(o, "to", to == HABIT_OPEN_END ? json_null() : json_string(date_format(to, ts))) < 0)
                o = (json_decref(o), NULL);
        return json_array_append_new(events, o) < 0 ? -ENOMEM : 0;
}

/* The id of the @i-th of @n events, when the ids line up with them. */
static const char *nth_id(const StoreIds *ids, size_t n, size_t i) {
        return ids->n == n ? ids->items[i] : NULL;
}

/* Merges the sorted lists newest first, up to @limit events. */
static int history_json(const HabitSource *src, const StoreIds *checkin_ids, const StoreIds *skip_ids, size_t limit,
                        json_t **ret) {
        const HabitInput *in = &src->input;
        json_t *events = json_array();
        size_t c = in->n_checkins, s = in->n_skips, p = in->n_pauses;
        int r = events ? 0 : -ENOMEM;

        while (r >= 0 && (c || s || p) && json_array_size(events) < limit) {
                day_t dc = c ? in->checkins[c - 1].day : INT32_MIN, ds = s ? in->skips[s - 1].day : INT32_MIN;
                day_t dp = p ? in->pauses[p - 1].from : INT32_MIN;
                if (c && dc >= ds && dc >= dp)
                        r = history_add(events, "checkin", nth_id(checkin_ids, in->n_checkins, c - 1), dc,
                                        in->checkins[c - 1].note, false, 0),
                        c--;
                else if (s && ds >= dp)
                        r = history_add(events, "skip", nth_id(skip_ids, in->n_skips, s - 1), ds, in->skips[s - 1].note,
                                        false, 0),
                        s--;
                else {
                        const HabitPause *pause = &in->pauses[--p];
                        r = history_add(events, "pause", src->pauses.n == in->n_pauses ? src->pauses.uuids[p] : NULL,
                                        pause->from, pause->reason, true, pause->to);
                }
        }
        if (r < 0)
                return json_decref(events), r;
        *ret = events;
        return 0;
}

static int method_history(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const HistoryParams *p = params;
        const HabitConfig *h = method_param_habit(m, p->habit, res);
        HabitSource src;
        json_t *events;

        if (!h)
                return 0;
        if (p->limit < 0)
                return method_invalid(res, "limit");
        int r = habit_source_load(m->store, m->config, h, &src);
        if (r < 0)
                return r;
        StoreIds checkin_ids = {}, skip_ids = {};
        /* A review's check-ins are its answered periods: ids in its log. */
        if (habit_review_kind(h) < 0)
                r = store_habit_ids(m->store, h->name, false, &checkin_ids);
        if (r >= 0)
                r = store_habit_ids(m->store, h->name, true, &skip_ids);
        if (r >= 0)
                r = history_json(&src, &checkin_ids, &skip_ids, p->limit > 0 ? (size_t) p->limit : SIZE_MAX, &events);
        store_ids_done(&checkin_ids);
        store_ids_done(&skip_ids);
        habit_source_done(&src);
        if (r < 0)
                return r;
        res->reply = json_pack("{s:s, s:o}", "habit", h->name, "events", events);
        return res->reply ? 0 : -ENOMEM;
}

#define HABIT_PARAM(type, required)                                                                                    \
        { "habit", PARAM_STRING, required, CONFIG_HABIT_NAME_MAX, offsetof(type, habit) }

static const ParamSpec params_done[] = {
        HABIT_PARAM(DoneParams, true),
        DATE_PARAM("date", DoneParams, date),
        { "note", PARAM_STRING, false, NOTE_MAX, offsetof(DoneParams, note) },
        {},
};
static const ParamSpec params_skip[] = {
        KIND_PARAM(SkipParams),
        HABIT_PARAM(SkipParams, false),
        DATE_PARAM("date", SkipParams, date),
        { "note", PARAM_STRING, false, NOTE_MAX, offsetof(SkipParams, note) },
        {},
};
static const ParamSpec params_pause[] = {
        HABIT_PARAM(PauseParams, true),
        DATE_PARAM("from", PauseParams, from),
        DATE_PARAM("to", PauseParams, to),
        { "reason", PARAM_STRING, false, NOTE_MAX, offsetof(PauseParams, reason) },
        {},
};
static const ParamSpec params_resume[] = {
        HABIT_PARAM(ResumeParams, true),
        DATE_PARAM("date", ResumeParams, date),
        {},
};
static const ParamSpec params_history[] = {
        HABIT_PARAM(HistoryParams, true),
        { "limit", PARAM_INTEGER, false, 0, offsetof(HistoryParams, limit) },
        {},
};

const Method method_habit_table[] = {
        { "io.lookback.Done", method_done, true, params_done, sizeof(DoneParams) },
        { "io.lookback.Skip", method_skip, true, params_skip, sizeof(SkipParams) },
        { "io.lookback.Pause", method_pause, true, params_pause, sizeof(PauseParams) },
        { "io.lookback.Resume", method_resume, true, params_resume, sizeof(ResumeParams) },
        { "io.lookback.History", method_history, false, params_history, sizeof(HistoryParams) },
        {},
};
