/* The report and the live habit view as JSON: the only place in the core
 * that builds JSON. */
#include "report-internal.h"

#include <math.h>

#include "util.h"

static json_t *report_json_day(day_t day) {
        char buf[DATE_STR_MAX];
        return json_string(date_format(day, buf));
}

static json_t *report_json_lapses(const HabitView *h) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < h->n_lapses; i++) {
                const Lapse *l = &h->lapses[i];
                json_t *o =
                        json_pack("{s:o, s:o, s:I}", "from", report_json_day(l->from), "to",
                                  l->ongoing ? json_null() : report_json_day(l->to), "missed", (json_int_t) l->missed);
                if (json_array_append_new(a, o) < 0)
                        a = (json_decref(a), NULL);
        }
        return a;
}

static json_t *report_json_pauses(const HabitView *rh) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < rh->n_pauses; i++) {
                const HabitPause *p = rh->pauses[i];
                json_t *o = json_pack("{s:o, s:o, s:o}", "from", report_json_day(p->from), "to",
                                      p->to == HABIT_OPEN_END ? json_null() : report_json_day(p->to), "reason",
                                      p->reason ? json_string(p->reason) : json_null());
                if (json_array_append_new(a, o) < 0)
                        a = (json_decref(a), NULL);
        }
        return a;
}

static json_t *report_json_adherence(const HabitView *h) {
        double a;
        return report_adherence(h, &a) ? json_real(report_round(a, 1000.0)) : json_null();
}

/* A NaN strength is a caller's bug; null says "unknown" where 0 would lie. */
static json_t *report_json_strength(const HabitView *h) {
        return isfinite(h->history.strength) ? json_real(report_round(h->history.strength, 100.0)) : json_null();
}

static json_t *report_json_notes(const HabitView *v) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < v->n_notes; i++) {
                const HabitNote *n = &v->notes[i];
                json_t *o = json_pack("{s:o, s:s, s:s}", "date", report_json_day(n->day), "kind",
                                      habit_note_kind_to_string(n->kind), "text", n->text);
                if (json_array_append_new(a, o) < 0)
                        a = (json_decref(a), NULL);
        }
        return a;
}

static json_t *report_json_last_done(const HabitView *v) {
        return v->history.has_last_done ? report_json_day(v->history.last_done) : json_null();
}

static json_t *report_json_lapsed_since(const HabitView *v) {
        return v->lapsed ? report_json_day(v->lapsed_since) : json_null();
}

json_t *report_habit_json(const HabitView *v) {
        const HabitPeriod *open;
        char every[REPORT_EVERY_MAX];
        _cleanup_free_ char *strip = report_strip(v);

        if (!strip)
                return NULL;
        /* One key and its value a line, which clang-format would interleave. */
        /* clang-format off */
        return json_pack("{s:s, s:s, s:I, s:I, s:b, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:o, s:s, s:o, "
                         "s:o, s:o, s:o, s:s}",
                "name", v->input->name ? v->input->name : "",
                "every", report_every_format(v->every, every),
                "times", (json_int_t) v->input->times,
                "periods", (json_int_t) v->finished,
                "open", habit_view_open(v, &open) && open->period.start <= v->to,
                "met", (json_int_t) v->met,
                "missed", (json_int_t) v->missed,
                "skipped", (json_int_t) v->skipped,
                "paused", (json_int_t) v->paused,
                "adherence", report_json_adherence(v),
                "strength", report_json_strength(v),
                "current_streak", (json_int_t) v->history.current_streak,
                "longest_streak", (json_int_t) v->history.longest_streak,
                "longest_streak_in_range", (json_int_t) v->longest_streak_in_range,
                "last_done", report_json_last_done(v),
                "status", habit_status_to_string(v->status),
                "lapsed_since", report_json_lapsed_since(v),
                "lapses", report_json_lapses(v),
                "pauses", report_json_pauses(v),
                "notes", report_json_notes(v),
                "strip", strip);
        /* clang-format on */
}

json_t *habit_live_json(const HabitView *v, bool builtin) {
        const HabitInput *in = v->input;
        const HabitPeriod *open;
        char every[REPORT_EVERY_MAX];
        HabitPeriod none = { { v->today, v->today }, 0, PERIOD_OPEN };

        if (!habit_view_open(v, &open))
                open = &none; /* a live view always has one; a past view may not */
        /* clang-format off */
        return json_pack("{s:s, s:s, s:I, s:I, s:b, s:o, s:o, s:I, s:I, s:o, s:o, s:s, s:I, s:I, s:I, s:o, s:o, s:o}",
                "name", in->name ? in->name : "",
                "every", report_every_format(v->every, every),
                "times", (json_int_t) in->times,
                "lapse_after", (json_int_t) in->lapse_after,
                "builtin", builtin,
                "period_start", report_json_day(open->period.start),
                "period_end", report_json_day(open->period.end),
                "this_period", (json_int_t) open->checkins,
                "total", (json_int_t) v->history.checkins,
                "last_done", report_json_last_done(v),
                "since", in->has_since ? report_json_day(in->since) : json_null(),
                "status", habit_status_to_string(v->status),
                "streak", (json_int_t) v->history.current_streak,
                "current_streak", (json_int_t) v->history.current_streak,
                "longest_streak", (json_int_t) v->history.longest_streak,
                "strength", report_json_strength(v),
                "lapsed_since", report_json_lapsed_since(v),
                "adherence", report_json_adherence(v));
        /* clang-format on */
}

static json_t *report_json_goal(const ReportGoal *g) {
        const char *status = goal_status_to_string(g->status);
        json_t *o;

        o = json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", g->id ? g->id : "", "text", g->text ? g->text : "", "status",
                      status ? status : "open", "created", report_json_day(g->created), "closed",
                      g->closed ? report_json_day(g->closed_day) : json_null());
        if (o && g->status == GOAL_DROPPED &&
            json_object_set_new(o, "reason", g->reason ? json_string(g->reason) : json_null()) < 0)
                o = (json_decref(o), NULL);
        return o;
}

static json_t *report_json_habits(const Report *r) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < r->n_habits; i++)
                if (json_array_append_new(a, report_habit_json(&r->habits[i])) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

static json_t *report_json_goals(const Report *r) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < r->n_goals; i++)
                if (json_array_append_new(a, report_json_goal(&r->goals[i])) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

json_t *report_json_theme(const Theme *t) {
        json_t *years = json_array(), *dates = json_array();
        for (size_t i = 0; years && i < t->n_years; i++)
                json_array_append_new(years, json_integer(t->years[i]));
        for (size_t i = 0; dates && i < t->n_days; i++)
                json_array_append_new(dates, report_json_day(t->days[i]));
        return json_pack("{s:s, s:i, s:o, s:o}", "term", t->term, "count", (int) t->count, "years", years, "dates",
                         dates);
}

static json_t *report_json_themes(const Report *r) {
        json_t *a = json_array();
        for (size_t i = 0; a && r->themes && i < r->themes->n; i++)
                if (json_array_append_new(a, report_json_theme(&r->themes->items[i])) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

json_t *report_json(const Report *r) {
        ReportGoalCounts c;

        if (!r)
                return NULL;
        c = report_goal_counts(r);
        /* json_pack() takes each "o" reference even when it fails, so a NULL
         * from an allocation above fails the pack without leaking the rest. */
        return json_pack("{s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:o}", "from", report_json_day(r->from), "to",
                         report_json_day(r->to), "habits", report_json_habits(r), "goals", report_json_goals(r),
                         "goals_summary", "set", (json_int_t) c.set, "achieved", (json_int_t) c.achieved, "dropped",
                         (json_int_t) c.dropped, "open", (json_int_t) c.open, "themes", report_json_themes(r));
}
