#include "prompt-timers.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "damage.h"
#include "wording.h"
#include "log.h"
#include "manager.h"
#include "report-build.h"
#include "util.h"

/* After a prompt could not be recorded, try again this soon. */
#define PROMPT_RETRY_SEC 60
/* Timers may coalesce by this much; prompts are minutes-grained anyway. */
#define PROMPT_TIMER_ACCURACY_USEC 1000

/* Shows @kind's prompt for @period. Without a notification server the
 * prompt simply stays pending: one warning, and `lookback` reminds. */
int prompt_timers_show(Manager *m, const Now *now, ReviewKind kind, Period period, unsigned missed) {
        const ReviewConfig *rc = config_review(m->config, kind);
        _cleanup_free_ char *message = NULL, *report = NULL;
        char label[PERIOD_LABEL_MAX];
        /* The half-year prompt brings the half's report, written as it fires. */
        if (kind == REVIEW_HALFYEAR) {
                int e = report_write_halfyear(m->store, m->config, period, now->today, &report);
                if (e < 0)
                        log_warning(e, "cannot write the half-year report: %m, ignoring");
        }
        /* One prompt of a kind on screen: an older one is superseded. */
        notifier_close_prompts(m->notifier, kind, NULL);
        int r = notifier_show_prompt(m->notifier, kind, period, rc->questions, rc->n_questions, missed, report,
                                     &message);
        review_period_label(kind, period, label);
        if (r < 0)
                log_warning(r, "cannot show the %s prompt for %s: %s; it stays pending (lookback status)",
                            review_kind_title(kind), label, message ? message : strerror(-r));
        else
                log_info("prompted the %s for %s%s", review_kind_title(kind), label, missed > 1 ? " (catch-up)" : "");
        return r;
}

static int period_answered(Manager *m, ReviewKind kind, Period period, bool *ret) {
        unsigned n;
        int r = store_answers_count(m->store, kind, period.start, &n);
        if (r >= 0)
                *ret = n > 0;
        return r;
}

/* Records that @kind fired for @occurrence, standing for @missed
 * occurrences, and shows it. The prompt is committed before it is shown: a
 * crash in between leaves it pending, never shown twice. */
static int prompts_fire(Manager *m, const Now *now, ReviewKind kind, time_t occurrence, unsigned missed) {
        /* A prompt reviews the period containing the day before it fires. */
        Period period = review_period(kind, date_local_day(occurrence) - 1, m->config->week_start);
        const char *spec = config_review(m->config, kind)->at;
        bool answered;
        int r = period_answered(m, kind, period, &answered);
        if (r < 0)
                return r;

        r = store_begin(m->store);
        if (r < 0)
                return r;
        if (!answered)
                r = store_prompt_add(m->store, kind, period, now->usec, missed);
        if (r >= 0)
                r = store_schedule_set_fired(m->store, kind, spec, (int64_t) occurrence * USEC_PER_SEC);
        if (r >= 0)
                r = store_schedule_set_snooze(m->store, kind, 0);
        if (r >= 0)
                r = store_commit(m->store);
        if (r < 0) {
                store_rollback(m->store);
                return r;
        }
        if (answered)
                log_info("the %s for that period is answered already; not prompting", review_kind_title(kind));
        else
                prompt_timers_show(m, now, kind, period, missed);
        return 0;
}

static int on_prompt_timer(sd_event_source *s, uint64_t usec, void *userdata);
static int on_snooze_timer(sd_event_source *s, uint64_t usec, void *userdata);

static int arm(Manager *m, sd_event_source **source, int64_t at_usec, sd_event_time_handler_t handler, void *userdata) {
        int r;
        if (!*source) {
                r = sd_event_add_time(m->event, source, CLOCK_REALTIME, (uint64_t) at_usec, PROMPT_TIMER_ACCURACY_USEC,
                                      handler, userdata);
                return r;
        }
        r = sd_event_source_set_time(*source, (uint64_t) at_usec);
        if (r < 0)
                return r;
        return sd_event_source_set_enabled(*source, SD_EVENT_ONESHOT);
}

static int arm_snooze(Manager *m, ReviewKind kind, const ScheduleState *st) {
        if (!st->has_snooze) {
                if (m->snooze_timers[kind])
                        sd_event_source_set_enabled(m->snooze_timers[kind], SD_EVENT_OFF);
                return 0;
        }
        return arm(m, &m->snooze_timers[kind], st->snooze_until_usec, on_snooze_timer, &m->prompt_refs[kind]);
}

/* Catches @kind up to now and arms its timer at the next occurrence. */
static int prompts_check(Manager *m, const Now *clock, ReviewKind kind) {
        const ReviewConfig *rc = config_review(m->config, kind);
        time_t now = clock->sec, last, latest, next;
        ScheduleState st;
        unsigned count;
        bool retry = false;

        int r = store_schedule_get(m->store, kind, &st);
        if (r < 0)
                return r;
        if (!st.found || !streq(st.spec, rc->at)) {
                /* A new or changed schedule starts counting now: occurrences of a
                 * schedule that did not exist then were not missed. */
                r = store_schedule_set_fired(m->store, kind, rc->at, (int64_t) now * USEC_PER_SEC);
                if (r < 0)
                        return r;
                last = now;
        } else
                last = (time_t) (st.last_fired_usec / USEC_PER_SEC);

        r = schedule_count_between(&rc->spec, last, now, NULL, &count, &latest);
        if (r < 0)
                return r;
        if (count > 0) {
                /* A failed prompt (a busy or full disk) is not fatal to the
                 * schedule: last_fired is unchanged, so it is caught up at the
                 * next check; the timer is armed below either way. */
                int e = prompts_fire(m, clock, kind, latest, count);
                if (e < 0) {
                        log_error(e, "cannot record the %s prompt: %m; will retry", review_kind_title(kind));
                        latest = last;
                        retry = true;
                } else
                        st.has_snooze = false;
        }
        /* Never before the last fired occurrence: a clock set back must not
         * bring a given prompt round again. */
        r = schedule_next(&rc->spec, now > latest ? now : latest, NULL, &next);
        if (retry && (r == -ERANGE || (r >= 0 && next > now + PROMPT_RETRY_SEC))) {
                next = now + PROMPT_RETRY_SEC;
                r = 0;
        }
        if (r == -ERANGE) {
                if (m->prompt_timers[kind])
                        sd_event_source_set_enabled(m->prompt_timers[kind], SD_EVENT_OFF);
        } else if (r < 0)
                return r;
        else {
                r = arm(m, &m->prompt_timers[kind], (int64_t) next * USEC_PER_SEC, on_prompt_timer,
                        &m->prompt_refs[kind]);
                if (r < 0)
                        return r;
        }
        return arm_snooze(m, kind, &st);
}

int prompt_timers_recheck(Manager *m, const Now *now, const char *why) {
        int ret = 0;
        for (int k = 0; k < _REVIEW_KIND_MAX; k++) {
                int r = prompts_check(m, now, k);
                if (r < 0)
                        ret = log_error(r, "cannot check the %s schedule (%s): %m", review_kind_title(k), why);
        }
        prompt_timers_update_status(m, now);
        return ret;
}

static int on_prompt_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        PromptRef *ref = userdata;
        Now now = clock_now();
        int r = prompts_check(ref->manager, &now, ref->kind);
        if (r < 0)
                log_error(r, "cannot prompt the %s: %m", review_kind_title(ref->kind));
        prompt_timers_update_status(ref->manager, &now);
        return 0;
}

static int on_snooze_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        PromptRef *ref = userdata;
        Manager *m = ref->manager;
        Period period;
        unsigned missed;
        int r = store_schedule_set_snooze(m->store, ref->kind, 0);
        if (r >= 0)
                r = store_prompt_latest_pending(m->store, ref->kind, &period, &missed);
        if (r < 0)
                return log_error(r, "cannot end the snooze of the %s: %m", review_kind_title(ref->kind)), 0;
        if (r > 0) {
                Now now = clock_now();
                prompt_timers_show(m, &now, ref->kind, period, missed);
        }
        return 0;
}

int prompt_timers_snooze(Manager *m, ReviewKind kind, int64_t until_usec) {
        Period period;
        ScheduleState st;
        int r = store_prompt_latest_pending(m->store, kind, &period, NULL);
        if (r <= 0)
                return r;
        r = store_schedule_set_snooze(m->store, kind, until_usec);
        if (r < 0)
                return r;
        r = store_schedule_get(m->store, kind, &st);
        if (r < 0)
                return r;
        r = arm_snooze(m, kind, &st);
        return r < 0 ? r : 1;
}

int prompt_timers_skip(Manager *m, const Now *now, ReviewKind kind, Period period, const char *note, char *ret_uuid) {
        unsigned answers;
        int r = store_answers_count(m->store, kind, period.start, &answers);
        if (r < 0)
                return r;
        if (answers > 0)
                return -EALREADY; /* a period answered is not excused as well */
        r = store_skip_add(m->store, review_kind_habit(kind), period.start, note, now->usec, ret_uuid);
        if (r < 0)
                return r;
        r = store_prompt_resolve(m->store, kind, period.start, "skipped");
        if (r < 0)
                return r;
        /* Nothing left to bring back; the snooze timer finds no pending
         * prompt either way, this keeps status honest. */
        return store_schedule_set_snooze(m->store, kind, 0);
}

int prompt_timers_remind(Manager *m, const Now *now, ReviewKind kind, Period *ret_period, bool *ret_answered) {
        Period period = review_period(kind, now->today - 1, m->config->week_start);
        int r = period_answered(m, kind, period, ret_answered);
        if (r < 0)
                return r;
        /* Shown either way (it is for trying the notification out), but an
         * answered period does not become pending again. */
        if (!*ret_answered) {
                r = store_prompt_add(m->store, kind, period, now->usec, 1);
                if (r < 0)
                        return r;
        }
        *ret_period = period;
        return 0;
}

/* "Answer" runs the configured command with the kind appended, detached
 * (double fork, new session) so it outlives nothing of ours. Under systemd
 * it goes through `systemd-run --user`: a terminal must not inherit this
 * service's sandbox (NoNewPrivileges, MemoryDenyWriteExecute...), and the
 * user manager has the desktop's DISPLAY / WAYLAND_DISPLAY. */
static void spawn_answer(Manager *m, ReviewKind kind) {
        _cleanup_free_ char *command = strdup_printf("%s %s", m->config->answer_command, review_kind_to_string(kind));
        if (!command)
                return;
        pid_t pid = fork();
        if (pid < 0) {
                log_warning(-errno, "cannot run '%s': %m, ignoring", command);
                return;
        }
        if (pid == 0) {
                sigset_t all;
                sigemptyset(&all);
                sigprocmask(SIG_SETMASK, &all, NULL); /* we block signals for sd-event */
                setsid();
                if (fork() != 0)
                        _exit(0);
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                if (null >= 0)
                        dup2(null, STDIN_FILENO);
                if (getenv("INVOCATION_ID") && access("/usr/bin/systemd-run", X_OK) == 0)
                        execl("/usr/bin/systemd-run", "systemd-run", "--user", "--quiet", "--collect", "--", "/bin/sh",
                              "-c", command, (char *) NULL);
                execl("/bin/sh", "sh", "-c", command, (char *) NULL);
                _exit(127);
        }
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        log_info("running '%s'", command);
}

void prompt_timers_on_action(PromptAction action, ReviewKind kind, Period period, void *userdata) {
        Manager *m = userdata;
        char uuid[SD_ID128_UUID_STRING_MAX], label[PERIOD_LABEL_MAX];
        Now now = clock_now();
        int r;

        review_period_label(kind, period, label);
        switch (action) {
        case PROMPT_ACTION_ANSWER:
                spawn_answer(m, kind);
                return;
        case PROMPT_ACTION_SNOOZE:
                r = prompt_timers_snooze(m, kind, now.usec + 3600 * USEC_PER_SEC);
                if (r > 0)
                        notifier_close_prompts(m->notifier, kind, NULL);
                if (r < 0)
                        log_error(r, "cannot snooze the %s: %m", review_kind_title(kind));
                else
                        log_info("snoozed the %s for %s by 1 h", review_kind_title(kind), label);
                return;
        case PROMPT_ACTION_SKIP:
                r = store_begin(m->store);
                if (r >= 0)
                        r = prompt_timers_skip(m, &now, kind, period, "skipped from the notification", uuid);
                if (r >= 0)
                        r = store_commit(m->store);
                if (r >= 0 || r == -EALREADY)
                        notifier_close_prompts(m->notifier, kind, &period);
                if (r < 0) {
                        store_rollback(m->store);
                        if (r == -EALREADY)
                                log_info("the %s for %s is answered already; not skipping it", review_kind_title(kind),
                                         label);
                        else
                                log_error(r, "cannot record the skip of the %s for %s: %m", review_kind_title(kind),
                                          label);
                } else
                        log_info("skipped the %s for %s", review_kind_title(kind), label);
                return;
        }
}

int prompt_timers_next(Manager *m, ReviewKind kind, time_t now, time_t *ret) {
        const ReviewConfig *rc = config_review(m->config, kind);
        ScheduleState st;
        /* As the timer is armed: never before what fired last, so a clock
         * set back does not show a given prompt as coming again. */
        if (m->store && store_schedule_get(m->store, kind, &st) >= 0 && st.found && streq(st.spec, rc->at) &&
            st.last_fired_usec / USEC_PER_SEC > now)
                now = (time_t) (st.last_fired_usec / USEC_PER_SEC);
        return schedule_next(&rc->spec, now, NULL, ret);
}

/* STATUS= tells `systemctl --user status` what we are waiting for. */
void prompt_timers_update_status(Manager *m, const Now *now) {
        char buf[2][64] = {};
        time_t at;
        for (int k = 0; k < _REVIEW_KIND_MAX; k++) {
                struct tm tm;
                if (prompt_timers_next(m, k, now->sec, &at) >= 0 && localtime_r(&at, &tm))
                        strftime(buf[k], sizeof(buf[k]), "%a %Y-%m-%d %H:%M", &tm);
                else
                        strcpy(buf[k], "never");
        }
        char damage[DAMAGE_STATUS_MAX];
        damage_status(m, damage, sizeof(damage));
        sd_notifyf(false, "STATUS=%sWaiting; next weekly review %s, half-year review %s", damage, buf[0], buf[1]);
}

int prompt_timers_start(Manager *m, const Now *now) {
        for (int k = 0; k < _REVIEW_KIND_MAX; k++)
                m->prompt_refs[k] = (PromptRef){ m, k };
        /* Failures are logged; the daemon serves answers regardless. */
        (void) prompt_timers_recheck(m, now, "start-up");
        return 0;
}

void prompt_timers_stop(Manager *m) {
        for (int k = 0; k < _REVIEW_KIND_MAX; k++) {
                m->prompt_timers[k] = sd_event_source_disable_unref(m->prompt_timers[k]);
                m->snooze_timers[k] = sd_event_source_disable_unref(m->snooze_timers[k]);
        }
}
