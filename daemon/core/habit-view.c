#include "habit-view.h"

#include <errno.h>
#include <stdlib.h>

#include "words.h"

static bool paused_on(const HabitInput *in, day_t day) {
        for (size_t i = 0; i < in->n_pauses; i++)
                if (in->pauses[i].from <= day && day <= in->pauses[i].to)
                        return true;
        return false;
}

/* The suffix of the history's periods that ends in the range: periods are
 * sorted and all end by @to (the open one after it, but it contains @to). */
static void view_slice_periods(HabitView *v) {
        const HabitHistory *h = &v->history;
        size_t first = h->n_periods;

        while (first > 0 && h->periods[first - 1].period.end >= v->from)
                first--;
        v->periods = h->periods ? h->periods + first : NULL; /* NULL + 0 is undefined */
        v->n_periods = h->n_periods - first;
}

/* Lapses do not overlap and come in order, so those that reach into the
 * range are a suffix too. */
static void view_slice_lapses(HabitView *v) {
        const HabitHistory *h = &v->history;
        size_t first = h->n_lapses;

        while (first > 0 && (h->lapses[first - 1].ongoing || h->lapses[first - 1].to >= v->from))
                first--;
        v->lapses = h->lapses ? h->lapses + first : NULL;
        v->n_lapses = h->n_lapses - first;
}

static void view_tally(HabitView *v) {
        unsigned run = 0;

        for (size_t i = 0; i < v->n_periods; i++) {
                const HabitPeriod *p = &v->periods[i];

                switch (p->fate) {
                case PERIOD_MET:
                        v->met++;
                        run++;
                        break;
                case PERIOD_SKIPPED:
                        v->skipped++;
                        break;
                case PERIOD_PAUSED:
                        v->paused++;
                        break;
                case PERIOD_MISSED:
                        v->missed++;
                        run = 0;
                        break;
                default:
                        run += p->checkins >= v->input->times;
                        break;
                }
                if (run > v->longest_streak_in_range)
                        v->longest_streak_in_range = run;
        }
        v->finished = v->met + v->missed + v->skipped + v->paused;
        if (v->met + v->missed > 0) {
                v->has_adherence = true;
                v->adherence = (double) v->met / (double) (v->met + v->missed);
        }
}

/* Status at the end of @to; see the README's habit rules. */
static void view_status(HabitView *v) {
        const HabitHistory *h = &v->history;
        const HabitPeriod *last_finished = NULL, *open = NULL;
        const Lapse *last = h->n_lapses > 0 ? &h->lapses[h->n_lapses - 1] : NULL;

        for (size_t i = h->n_periods; i > 0 && !last_finished; i--)
                if (h->periods[i - 1].fate != PERIOD_OPEN)
                        last_finished = &h->periods[i - 1];
        (void) habit_view_open(v, &open);
        if (last && last->ongoing) {
                v->lapsed = true;
                v->lapsed_since = last->from;
                v->lapsed_missed = last->missed;
        }
        if (h->started && paused_on(v->input, v->to))
                v->status = HABIT_PAUSED;
        else if (v->lapsed)
                v->status = HABIT_LAPSED;
        else if (!last_finished)
                v->status = HABIT_NEW;
        /* Met this period already: the slip is being made good. */
        else if (last_finished->fate == PERIOD_MISSED && !(open && open->checkins >= v->input->times))
                v->status = HABIT_AT_RISK;
        else
                v->status = HABIT_OK;
}

static int view_pauses(HabitView *v) {
        const HabitInput *in = v->input;

        v->pauses = calloc(in->n_pauses ? in->n_pauses : 1, sizeof(HabitPause *));
        if (!v->pauses)
                return -ENOMEM;
        for (size_t i = 0; i < in->n_pauses; i++)
                /* An empty pause (ended before it began) covers nothing. */
                if (in->pauses[i].to >= in->pauses[i].from && in->pauses[i].from <= v->to &&
                    in->pauses[i].to >= v->from)
                        v->pauses[v->n_pauses++] = &in->pauses[i];
        return 0;
}

static bool note_wanted(const HabitView *v, day_t day, const char *text) {
        return text && *text && day >= v->from && day <= v->to;
}

/* Merges the three sorted lists' notes in the range, oldest first; on one
 * day a pause's reason comes first, then skips, then check-ins. */
static int view_notes(HabitView *v) {
        const HabitInput *in = v->input;
        size_t c = 0, s = 0, p = 0, max = in->n_checkins + in->n_skips + v->n_pauses;

        v->notes = calloc(max ? max : 1, sizeof(HabitNote));
        if (!v->notes)
                return -ENOMEM;
        for (;;) {
                day_t dc = c < in->n_checkins ? in->checkins[c].day : INT32_MAX;
                day_t ds = s < in->n_skips ? in->skips[s].day : INT32_MAX;
                day_t dp = p < v->n_pauses ? v->pauses[p]->from : INT32_MAX;
                HabitNote n;

                if (c >= in->n_checkins && s >= in->n_skips && p >= v->n_pauses)
                        return 0;
                if (p < v->n_pauses && dp <= ds && dp <= dc) {
                        n = (HabitNote){ NOTE_PAUSE, dp, v->pauses[p++]->reason };
                        /* A pause that began before the range still explains it. */
                        if (n.text && *n.text)
                                v->notes[v->n_notes++] = n;
                        continue;
                }
                if (s < in->n_skips && ds <= dc)
                        n = (HabitNote){ NOTE_SKIP, ds, in->skips[s++].note };
                else
                        n = (HabitNote){ NOTE_CHECKIN, dc, in->checkins[c++].note };
                if (note_wanted(v, n.day, n.text))
                        v->notes[v->n_notes++] = n;
        }
}

int habit_view_compute(const HabitInput *in, day_t from, day_t to, day_t today, HabitView *ret) {
        int r;

        if (!ret)
                return -EINVAL;
        *ret = (HabitView){ .input = in, .from = from, .to = to, .today = today, .status = HABIT_NEW };
        if (!in || from > to)
                return -EINVAL;
        ret->every = habit_every(in);
        r = periods_compute(in, to, today, &ret->history);
        if (r < 0)
                return r;
        view_slice_periods(ret);
        view_slice_lapses(ret);
        view_tally(ret);
        view_status(ret);
        r = view_pauses(ret);
        if (r >= 0)
                r = view_notes(ret);
        if (r < 0) {
                habit_view_done(ret);
                return r;
        }
        return 0;
}

int habit_view_live(const HabitInput *in, day_t today, HabitView *ret) {
        day_t start;

        if (!in || !habit_start(in, &start) || start > today)
                start = today;
        return habit_view_compute(in, start, today, today, ret);
}

void habit_view_done(HabitView *v) {
        if (!v)
                return;
        habit_history_done(&v->history);
        free(v->pauses);
        free(v->notes);
        *v = (HabitView){ .status = HABIT_NEW };
}

bool habit_view_open(const HabitView *v, const HabitPeriod **ret) {
        *ret = v->history.has_open ? &v->history.open : NULL;
        return *ret != NULL;
}

static const char *const habit_status_table[_HABIT_STATUS_MAX] = {
        [HABIT_OK] = WORD_STATUS_OK,         [HABIT_AT_RISK] = WORD_STATUS_AT_RISK, [HABIT_LAPSED] = WORD_STATUS_LAPSED,
        [HABIT_PAUSED] = WORD_STATUS_PAUSED, [HABIT_NEW] = WORD_STATUS_NEW,
};

static const char *const habit_note_kind_table[_NOTE_KIND_MAX] = {
        [NOTE_CHECKIN] = "checkin",
        [NOTE_SKIP] = "skip",
        [NOTE_PAUSE] = "pause",
};

const char *habit_status_to_string(HabitStatus s) {
        return (unsigned) s < _HABIT_STATUS_MAX ? habit_status_table[s] : NULL;
}

const char *habit_note_kind_to_string(HabitNoteKind k) {
        return (unsigned) k < _NOTE_KIND_MAX ? habit_note_kind_table[k] : NULL;
}

bool habit_view_period(const HabitView *v, day_t day, const HabitPeriod **ret) {
        const HabitHistory *h = &v->history;
        size_t lo = 0, hi = h->n_periods;

        *ret = NULL;
        while (lo < hi) { /* periods are sorted and do not overlap */
                size_t mid = lo + (hi - lo) / 2;

                if (h->periods[mid].period.end < day)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo < h->n_periods && h->periods[lo].period.start <= day)
                *ret = &h->periods[lo];
        return *ret != NULL;
}
