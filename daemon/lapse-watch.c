#include "lapse-watch.h"

#include <errno.h>
#include <string.h>

#include "habit-input.h"
#include "habit-view.h"
#include "log.h"
#include "manager.h"
#include "util.h"
#include "wording.h"

static int on_period_end(sd_event_source *s, uint64_t usec, void *userdata);

/* Returns 0 when shown, a negative errno when not. */
static int lapse_announce(Manager *m, const HabitView *v) {
        _cleanup_free_ char *summary = NULL, *body = NULL, *message = NULL;
        int e = wording_lapse(v, &summary, &body);
        if (e < 0)
                return e;
        e = notifier_show(m->notifier, summary, body, &message);
        if (e < 0)
                log_warning(e, "cannot show that %s lapsed: %s; will try again at the next check", v->input->name,
                            message ? message : strerror(-e));
        else
                log_info("%s lapsed: %u periods missed", v->input->name, v->lapsed_missed);
        return e;
}

/* Lapses that ended before anyone said so are history, not news. */
static int lapse_mark_ended(Manager *m, const HabitView *v, const Now *now) {
        for (size_t i = 0; i < v->history.n_lapses; i++) {
                const Lapse *l = &v->history.lapses[i];
                int r;

                if (l->ongoing)
                        continue;
                r = store_lapse_flagged(m->store, v->input->name, l->from);
                if (r == 0)
                        r = store_lapse_flag(m->store, v->input->name, l->from, now->usec);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Flags the habit's ongoing lapse if it was not flagged yet. The flag is
 * committed before the notification: a crash between shows it never, not
 * twice. */
static int lapse_check_view(Manager *m, const HabitView *v, const Now *now) {
        const char *name = v->input->name;
        int r = lapse_mark_ended(m, v, now);

        if (r < 0 || !v->lapsed)
                return r;
        r = store_lapse_flagged(m->store, name, v->lapsed_since);
        if (r != 0)
                return r < 0 ? r : 0;
        r = store_lapse_flag(m->store, name, v->lapsed_since, now->usec);
        /* Not shown (no notification server yet, say at login): take the
         * flag back, so a later check says it after all. */
        if (r >= 0 && lapse_announce(m, v) < 0)
                r = store_lapse_unflag(m->store, name, v->lapsed_since);
        return r;
}

/* Checks @h and, with @ret_next, gives the day after its current period:
 * one load of the habit serves both. */
static int lapse_watch_one(Manager *m, const Now *now, const HabitConfig *h, day_t *ret_next) {
        HabitSource src;
        HabitView v;
        int r = habit_source_load(m->store, m->config, h, &src);
        if (r < 0)
                return log_error(r, "cannot check %s for a lapse: %m", h->name);
        if (ret_next)
                *ret_next = habit_period_containing(&src.input, now->today).end + 1;
        r = habit_view_live(&src.input, now->today, &v);
        if (r >= 0) {
                r = lapse_check_view(m, &v, now);
                habit_view_done(&v);
        }
        habit_source_done(&src);
        if (r < 0)
                log_error(r, "cannot check %s for a lapse: %m", h->name);
        return r;
}

int lapse_watch_habit(Manager *m, const Now *now, const HabitConfig *h) {
        return lapse_watch_one(m, now, h, NULL);
}

int lapse_watch_check(Manager *m, const Now *now, const char *why) {
        int r;
        memset(m->lapse_dirty, 0, sizeof(m->lapse_dirty)); /* all are checked now */
        /* Periods end at local midnight: the soonest end over all habits. */
        day_t next = now->today + 1;
        for (size_t i = 0; i < m->config->n_habits; i++) {
                day_t end = next;
                (void) lapse_watch_one(m, now, &m->config->habits[i], &end);
                if (i == 0 || end < next)
                        next = end;
        }
        uint64_t at = (uint64_t) date_local_midnight(next) * USEC_PER_SEC;
        if (!m->lapse_timer)
                r = sd_event_add_time(m->event, &m->lapse_timer, CLOCK_REALTIME, at, USEC_PER_SEC, on_period_end, m);
        else {
                r = sd_event_source_set_time(m->lapse_timer, at);
                if (r >= 0)
                        r = sd_event_source_set_enabled(m->lapse_timer, SD_EVENT_ONESHOT);
        }
        if (r < 0)
                return log_error(r, "cannot arm the lapse timer (%s): %m", why);
        return 0;
}

static int on_period_end(sd_event_source *s, uint64_t usec, void *userdata) {
        Now now = clock_now();
        (void) lapse_watch_check(userdata, &now, "period end");
        return 0;
}

static int on_settled(sd_event_source *s, uint64_t usec, void *userdata) {
        Manager *m = userdata;
        Now now = clock_now();

        for (size_t i = 0; i < m->config->n_habits && i < ELEMENTSOF(m->lapse_dirty); i++)
                if (m->lapse_dirty[i]) {
                        m->lapse_dirty[i] = false;
                        (void) lapse_watch_habit(m, &now, &m->config->habits[i]);
                }
        return 0;
}

void lapse_watch_touch(Manager *m, const HabitConfig *h) {
        size_t i = (size_t) (h - m->config->habits);
        uint64_t now_mono;
        int r;

        if (i >= m->config->n_habits || i >= ELEMENTSOF(m->lapse_dirty))
                return;
        m->lapse_dirty[i] = true;
        r = clock_monotonic(m->event, &now_mono);
        if (r >= 0 && !m->lapse_settle)
                r = sd_event_add_time(m->event, &m->lapse_settle, CLOCK_MONOTONIC, now_mono + LAPSE_SETTLE_USEC, 0,
                                      on_settled, m);
        else if (r >= 0) {
                r = sd_event_source_set_time(m->lapse_settle, now_mono + LAPSE_SETTLE_USEC);
                if (r >= 0)
                        r = sd_event_source_set_enabled(m->lapse_settle, SD_EVENT_ONESHOT);
        }
        if (r < 0)
                log_error(r, "cannot arm the lapse check of %s: %m; it is checked at the next period end", h->name);
}

void lapse_watch_stop(Manager *m) {
        m->lapse_timer = sd_event_source_disable_unref(m->lapse_timer);
        m->lapse_settle = sd_event_source_disable_unref(m->lapse_settle);
}
