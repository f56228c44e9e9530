#include "lapses.h"

#include <errno.h>
#include <string.h>

#include "habits.h"
#include "log.h"
#include "manager.h"
#include "prompt-text.h"
#include "prompts.h"
#include "util.h"

#define USEC_PER_SEC 1000000LL

static int on_period_end(sd_event_source *s, uint64_t usec, void *userdata);

/* Returns 0 when shown, a negative errno when not. */
static int lapse_announce(Manager *m, const HabitState *s, const Lapse *l) {
        _cleanup_free_ char *summary = NULL, *body = NULL, *message = NULL;
        const HabitReport *r = &s->report;
        int e = lapse_notification(s->config->name, s->input.every, s->review_kind >= 0, r->has_last_done, r->last_done,
                                   l->missed, &summary, &body);
        if (e < 0)
                return e;
        e = notifier_show(m->notifier, summary, body, &message);
        if (e < 0)
                log_warning(e, "cannot show that %s lapsed: %s; will try again at the next check", s->config->name,
                            message ? message : strerror(-e));
        else
                log_info("%s lapsed: %u periods missed", s->config->name, l->missed);
        return e;
}

/* Flags @h's ongoing lapse if it has one that was not flagged yet. The flag
 * is committed before the notification: a crash between shows it never,
 * not twice. */
static int lapse_check_habit(Manager *m, const HabitConfig *h, day_t yesterday) {
        HabitState s;
        int r = habit_state_load(m, h, 0, yesterday, &s);
        if (r < 0)
                return r;
        const Lapse *ongoing = NULL;
        for (size_t i = 0; i < s.report.n_lapses; i++)
                if (s.report.lapses[i].ongoing)
                        ongoing = &s.report.lapses[i];
        if (ongoing && (r = store_lapse_flagged(m->store, h->name, ongoing->from)) == 0) {
                r = store_lapse_flag(m->store, h->name, ongoing->from, prompts_now_usec());
                /* Not shown (no notification server yet, say at login): take
                 * the flag back, so a later check says it after all. */
                if (r >= 0 && lapse_announce(m, &s, ongoing) < 0)
                        r = store_lapse_unflag(m->store, h->name, ongoing->from);
        }
        habit_state_done(&s);
        return r < 0 ? r : 0;
}

/* The soonest moment a period of some habit ends after today. */
static int next_period_end(Manager *m, day_t today, day_t *ret) {
        day_t soonest = 0;
        bool found = false;
        for (size_t i = 0; i < m->config->n_habits; i++) {
                HabitState s;
                if (habit_state_load(m, &m->config->habits[i], today, today, &s) < 0)
                        continue; /* logged by the check; the others still need the timer */
                day_t end = lapse_period_containing(&s.input, today).end + 1;
                if (!found || end < soonest)
                        soonest = end;
                found = true;
                habit_state_done(&s);
        }
        *ret = found ? soonest : today + 1;
        return 0;
}

int lapses_check(Manager *m, const char *why) {
        day_t today = manager_today(), next;
        int r;
        for (size_t i = 0; i < m->config->n_habits; i++) {
                r = lapse_check_habit(m, &m->config->habits[i], today - 1);
                if (r < 0)
                        log_error(r, "cannot check %s for a lapse (%s): %m", m->config->habits[i].name, why);
        }
        r = next_period_end(m, today, &next);
        if (r < 0)
                return log_error(r, "cannot find the next period end: %m");
        uint64_t at = (uint64_t) date_local_midnight(next) * USEC_PER_SEC;
        if (!m->lapse_timer)
                r = sd_event_add_time(m->event, &m->lapse_timer, CLOCK_REALTIME, at, USEC_PER_SEC, on_period_end, m);
        else {
                r = sd_event_source_set_time(m->lapse_timer, at);
                if (r >= 0)
                        r = sd_event_source_set_enabled(m->lapse_timer, SD_EVENT_ONESHOT);
        }
        if (r < 0)
                return log_error(r, "cannot arm the lapse timer: %m");
        return 0;
}

static int on_period_end(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) lapses_check(userdata, "period end");
        return 0;
}

void lapses_stop(Manager *m) {
        m->lapse_timer = sd_event_source_disable_unref(m->lapse_timer);
}
