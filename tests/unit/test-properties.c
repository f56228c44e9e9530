/* A property test of the habit core over seeded random histories: habits
 * of every cadence (and both review kinds), check-ins in bursts and gaps,
 * skips, pauses, ranges ending today, in the past and cutting periods,
 * weeks starting Monday and Sunday. For every history:
 *  - `status`/`habits` (habit_live_json) and the report to today
 *    (report_habit_json) agree on every field they share;
 *  - current_streak <= longest_streak, in every view;
 *  - met + missed + skipped + paused == periods, and the periods listed
 *    are those plus the open one;
 *  - the period containing today is never missed;
 *  - every period's fate is what a brute-force reading of the rules gives.
 * LOOKBACK_PROPERTY_RUNS sets how many (default 5000); the seed is printed
 * with any failure, and LOOKBACK_PROPERTY_SEED replays one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "habit-view.h"
#include "report.h"

#define MAX_EVENTS 600

typedef struct {
        HabitEvent checkins[MAX_EVENTS], skips[MAX_EVENTS / 4];
        HabitPause pauses[8];
        HabitInput in;
        day_t today;
} History;

static unsigned long long rng_state;

static unsigned rnd(unsigned n) {
        /* xorshift64*: reproducible from the seed on every libc */
        rng_state ^= rng_state >> 12;
        rng_state ^= rng_state << 25;
        rng_state ^= rng_state >> 27;
        return (unsigned) (((rng_state * 2685821657736338717ULL) >> 33) % n);
}

static int cmp_event(const void *a, const void *b) {
        return ((const HabitEvent *) a)->day - ((const HabitEvent *) b)->day;
}

static Every random_every(void) {
        static const Every choices[] = {
                { EVERY_DAY, 1 },   { EVERY_DAY, 3 },   { EVERY_WEEK, 1 },  { EVERY_WEEK, 2 },
                { EVERY_MONTH, 1 }, { EVERY_MONTH, 2 }, { EVERY_MONTH, 6 },
        };
        return choices[rnd(sizeof(choices) / sizeof(choices[0]))];
}

static void random_history(History *h) {
        day_t today = date_from_ymd(2020, 1, 1) + (day_t) rnd(2500);
        day_t origin = today - 30 - (day_t) rnd(700);
        size_t n = 0, s = 0, p = 0;
        double density = (rnd(100) + 1) / 100.0;

        memset(h, 0, sizeof(*h));
        h->today = today;
        h->in = (HabitInput){ .name = "h",
                              .kind = rnd(8) == 0   ? HABIT_WEEKLY_REVIEW
                                      : rnd(8) == 0 ? HABIT_HALFYEAR_REVIEW
                                                    : HABIT_PLAIN,
                              .every = random_every(),
                              .times = 1 + rnd(3),
                              .lapse_after = 1 + rnd(4),
                              .week_start = rnd(2) ? WEEK_START_MONDAY : WEEK_START_SUNDAY };
        if (h->in.kind != HABIT_PLAIN)
                h->in.times = 1;
        if (rnd(3) == 0) {
                h->in.has_since = true;
                h->in.since = origin + (day_t) rnd(60) - 30;
        }
        /* Bursts and gaps: the density changes now and then. */
        for (day_t d = origin; d <= today && n < MAX_EVENTS - 2; d++) {
                if (rnd(30) == 0)
                        density = rnd(100) / 100.0;
                if (rnd(1000) < density * 1000)
                        h->checkins[n++] = (HabitEvent){ d, rnd(5) == 0 ? "a note" : NULL };
                if (rnd(40) == 0)
                        h->checkins[n++] = (HabitEvent){ d, NULL }; /* two on one day */
                if (rnd(60) == 0 && s < MAX_EVENTS / 4)
                        h->skips[s++] = (HabitEvent){ d, rnd(2) ? "away" : NULL };
        }
        for (day_t d = origin + (day_t) rnd(200); d <= today + 30 && p < 8; d += 20 + (day_t) rnd(200)) {
                day_t len = (day_t) rnd(60);
                bool open = rnd(5) == 0;
                h->pauses[p++] = (HabitPause){ d, open ? HABIT_OPEN_END : d + len, rnd(2) ? "injury" : NULL };
                if (open)
                        break;
                d += len;
        }
        qsort(h->checkins, n, sizeof(HabitEvent), cmp_event);
        h->in.checkins = h->checkins;
        h->in.n_checkins = n;
        h->in.skips = h->skips;
        h->in.n_skips = s;
        h->in.pauses = h->pauses;
        h->in.n_pauses = p;
}

/* The rules, read the slow way: one period, from scratch. */
static PeriodFate oracle_fate(const HabitInput *in, day_t start, Period p, day_t to, day_t today) {
        day_t over = to < today ? to : today - 1, last = p.end < to ? p.end : to;
        day_t from = p.start > start ? p.start : start;
        unsigned checkins = 0;
        bool skipped = false, paused = false;

        for (size_t i = 0; i < in->n_checkins; i++)
                checkins +=
                        in->checkins[i].day >= start && in->checkins[i].day >= p.start && in->checkins[i].day <= last;
        for (size_t i = 0; i < in->n_skips; i++)
                skipped = skipped ||
                          (in->skips[i].day >= start && in->skips[i].day >= p.start && in->skips[i].day <= last);
        for (size_t i = 0; i < in->n_pauses; i++)
                paused = paused || (in->pauses[i].from <= p.end && in->pauses[i].to >= from);
        if (p.end > over)
                return PERIOD_OPEN;
        if (checkins >= in->times)
                return PERIOD_MET;
        return skipped ? PERIOD_SKIPPED : paused ? PERIOD_PAUSED : PERIOD_MISSED;
}

static void check_fates(const History *h, const HabitView *v, unsigned long long seed) {
        for (size_t i = 0; i < v->history.n_periods; i++) {
                const HabitPeriod *p = &v->history.periods[i];
                PeriodFate want = oracle_fate(&h->in, v->history.start, p->period, v->to, h->today);
                if (p->fate != want)
                        fail_msg("seed %llu: period %zu fate %s, the rules say %s", seed, i,
                                 period_fate_to_string(p->fate), period_fate_to_string(want));
                if (i > 0 && p->period.start != v->history.periods[i - 1].period.end + 1)
                        fail_msg("seed %llu: periods %zu and %zu are not adjacent", seed, i - 1, i);
        }
}

static void check_view(const History *h, const HabitView *v, unsigned long long seed) {
        const HabitPeriod *open;
        size_t listed_open = 0;

        if (v->history.current_streak > v->history.longest_streak)
                fail_msg("seed %llu: streak %u above longest %u", seed, v->history.current_streak,
                         v->history.longest_streak);
        if (v->met + v->missed + v->skipped + v->paused != v->finished)
                fail_msg("seed %llu: tallies do not add up", seed);
        for (size_t i = 0; i < v->n_periods; i++) {
                listed_open += v->periods[i].fate == PERIOD_OPEN;
                if (v->periods[i].period.start <= h->today && h->today <= v->periods[i].period.end &&
                    v->periods[i].fate == PERIOD_MISSED)
                        fail_msg("seed %llu: the period containing today is missed", seed);
        }
        if (v->n_periods != v->finished + listed_open || listed_open > 1)
                fail_msg("seed %llu: %zu periods listed, %u finished, %zu open", seed, v->n_periods, v->finished,
                         listed_open);
        if (v->to == h->today &&
            (!habit_view_open(v, &open) || open->period.start > h->today || open->period.end < h->today))
                fail_msg("seed %llu: no open period containing today", seed);
        check_fates(h, v, seed);
}

/* The fields `habits` and the report share, compared as the wire shows them. */
static void check_agree(json_t *live, json_t *report, unsigned long long seed) {
        static const struct {
                const char *live, *report;
        } shared[] = {
                { "status", "status" },
                { "streak", "current_streak" },
                { "current_streak", "current_streak" },
                { "longest_streak", "longest_streak" },
                { "strength", "strength" },
                { "last_done", "last_done" },
                { "lapsed_since", "lapsed_since" },
                { "every", "every" },
                { "times", "times" },
        };
        for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
                json_t *a = json_object_get(live, shared[i].live), *b = json_object_get(report, shared[i].report);
                if (!a || !b || !json_equal(a, b)) {
                        char *sa = json_dumps(a, JSON_ENCODE_ANY), *sb = json_dumps(b, JSON_ENCODE_ANY);
                        fail_msg("seed %llu: habits.%s = %s but report.%s = %s", seed, shared[i].live, sa,
                                 shared[i].report, sb);
                }
        }
}

static void check_history(unsigned long long seed) {
        History h;
        HabitView live, whole, range, past;
        day_t start;

        rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
        random_history(&h);
        assert_int_equal(habit_view_live(&h.in, h.today, &live), 0);
        check_view(&h, &live, seed);
        start = habit_start(&h.in, &start) && start <= h.today ? start : h.today;
        /* The report over the whole history to today is the live view. */
        assert_int_equal(habit_view_compute(&h.in, start - (day_t) rnd(40), h.today, h.today, &whole), 0);
        check_view(&h, &whole, seed);
        json_t *jl = habit_live_json(&live, false), *jw = report_habit_json(&whole);
        check_agree(jl, jw, seed);
        if (!json_equal(json_object_get(jl, "adherence"), json_object_get(jw, "adherence")))
                fail_msg("seed %llu: adherence over the whole history differs", seed);
        /* A range ending today that cuts periods: the same "as of today" figures. */
        assert_int_equal(habit_view_compute(&h.in, h.today - (day_t) rnd(200), h.today, h.today, &range), 0);
        check_view(&h, &range, seed);
        json_t *jr = report_habit_json(&range);
        check_agree(jl, jr, seed);
        /* A range in the past: judged at the end of its last day. */
        day_t to = h.today - 1 - (day_t) rnd(300);
        assert_int_equal(habit_view_compute(&h.in, to - (day_t) rnd(200), to, h.today, &past), 0);
        check_view(&h, &past, seed);
        json_decref(jl);
        json_decref(jw);
        json_decref(jr);
        habit_view_done(&live);
        habit_view_done(&whole);
        habit_view_done(&range);
        habit_view_done(&past);
}

static void test_random_histories(void **state) {
        const char *runs_text = getenv("LOOKBACK_PROPERTY_RUNS"), *seed_text = getenv("LOOKBACK_PROPERTY_SEED");
        unsigned long long runs = runs_text ? strtoull(runs_text, NULL, 10) : 5000;

        if (seed_text) {
                check_history(strtoull(seed_text, NULL, 10));
                return;
        }
        assert_true(runs >= 1);
        for (unsigned long long seed = 1; seed <= runs; seed++)
                check_history(seed);
        print_message("%llu random histories checked\n", runs);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_random_histories),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
