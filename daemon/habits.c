#include "habits.h"

#include <errno.h>
#include <stdlib.h>

#include "manager.h"
#include "util.h"

int habit_review_kind(const HabitConfig *h) {
        for (int k = 0; k < _REVIEW_KIND_MAX; k++)
                if (streq(h->name, review_kind_habit(k)))
                        return k;
        return -1;
}

/* A review's cadence is its kind's: a week on week_start, or a half-year. */
static Every habit_every(const HabitConfig *h, int review_kind) {
        if (review_kind == REVIEW_WEEKLY)
                return (Every){ EVERY_WEEK, 1 };
        if (review_kind == REVIEW_HALFYEAR)
                return (Every){ EVERY_MONTH, 6 };
        return h->every;
}

int habit_state_load(Manager *m, const HabitConfig *h, day_t from, day_t to, HabitState *ret) {
        int r;
        *ret = (HabitState){ .config = h, .review_kind = habit_review_kind(h) };
        r = store_habit_days(m->store, h->name, ret->review_kind, false, &ret->checkins, &ret->n_checkins);
        if (r >= 0)
                r = store_habit_days(m->store, h->name, -1, true, &ret->skips, &ret->n_skips);
        if (r >= 0)
                r = store_pauses(m->store, h->name, &ret->pauses);
        if (r < 0)
                goto fail;

        Every every = habit_every(h, ret->review_kind);
        bool has_since = h->has_since;
        day_t since = h->since;
        /* Half-years start on 1 Jan / 1 Jul whatever the first answer's
         * month or the configured since: a 6-month grid from 15 March would
         * review March-August. */
        if (ret->review_kind == REVIEW_HALFYEAR && (has_since || ret->n_checkins > 0)) {
                since = period_halfyear(has_since ? since : ret->checkins[0]).start;
                has_since = true;
        }
        ret->input = (LapseInput){
                .every = every,
                .times = h->times,
                .lapse_after = h->lapse_after,
                .has_since = has_since,
                .since = since,
                .week_start = m->config->week_start,
                .checkins = ret->checkins,
                .n_checkins = ret->n_checkins,
                .skips = ret->skips,
                .n_skips = ret->n_skips,
                .pauses = ret->pauses.items,
                .n_pauses = ret->pauses.n,
        };
        r = lapse_compute(&ret->input, from, to, &ret->report);
        if (r < 0)
                goto fail;
        return 0;
fail:
        habit_state_done(ret);
        return r;
}

void habit_state_done(HabitState *s) {
        free(s->checkins);
        free(s->skips);
        store_pauses_done(&s->pauses);
        habit_report_done(&s->report);
        *s = (HabitState){};
}

static unsigned open_period_count(const HabitState *s, Period p) {
        unsigned n = 0;
        for (size_t i = 0; i < s->n_checkins; i++)
                if (s->checkins[i] >= p.start && s->checkins[i] <= p.end)
                        n++;
        return n;
}

json_t *habit_live_json(Manager *m, const HabitConfig *h, int *ret_r) {
        day_t today = manager_today();
        char every[32], ps[DATE_STR_MAX], pe[DATE_STR_MAX], last[DATE_STR_MAX], since[DATE_STR_MAX],
                lapsed[DATE_STR_MAX];
        HabitState s;

        /* Fates up to yesterday (a day in progress is not yet missed), over
         * the whole history. */
        *ret_r = habit_state_load(m, h, 0, today - 1, &s);
        if (*ret_r < 0)
                return NULL;
        Period p = lapse_period_containing(&s.input, today);
        unsigned this_period = open_period_count(&s, p);
        const HabitReport *r = &s.report;
        /* The engine saw check-ins up to yesterday only; if yesterday lies in
         * today's period it judged that period (open) already. Count today's
         * period once, with today's check-ins. */
        const HabitPeriod *latest = r->n_periods > 0 ? &r->periods[r->n_periods - 1] : NULL;
        bool engine_counted_open = latest && latest->fate == PERIOD_OPEN && latest->checkins >= h->times;
        unsigned streak = r->current_streak - (engine_counted_open ? 1 : 0) + (this_period >= h->times ? 1 : 0);
        bool has_last = s.n_checkins > 0 && s.checkins[s.n_checkins - 1] <= today;
        const char *status = habit_status_to_string(r->status);
        /* Met this period already: the slip is being made good. */
        if (this_period >= h->times && (r->status == HABIT_AT_RISK || r->status == HABIT_LAPSED))
                status = "ok";
        for (size_t i = 0; i < s.pauses.n; i++)
                if (s.pauses.items[i].from <= today && s.pauses.items[i].to >= today)
                        status = "paused"; /* a pause that began today counts now */

        json_t *o = json_pack(
                "{s:s, s:s, s:i, s:i, s:b, s:s, s:s, s:i, s:i, s:s?, s:s?, s:s, s:i, s:f, s:s?}", "name", h->name,
                "every", every_format(s.input.every, every, sizeof(every)), "times", (int) h->times, "lapse_after",
                (int) h->lapse_after, "builtin", h->builtin, "period_start", date_format(p.start, ps), "period_end",
                date_format(p.end, pe), "this_period", (int) this_period, "total", (int) s.n_checkins, "last_done",
                has_last ? date_format(s.checkins[s.n_checkins - 1], last) : NULL, "since",
                h->has_since ? date_format(h->since, since) : NULL, "status", status, "streak", (int) streak,
                "strength", r->strength, "lapsed_since", r->lapsed ? date_format(r->lapsed_since, lapsed) : NULL);
        if (o && r->has_adherence)
                json_object_set_new(o, "adherence", json_real(r->adherence));
        else if (o)
                json_object_set_new(o, "adherence", json_null());
        habit_state_done(&s);
        if (!o)
                *ret_r = -ENOMEM;
        return o;
}
