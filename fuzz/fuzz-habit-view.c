/* libFuzzer: any habit the bytes describe — cadence, target, start, days of
 * check-ins, skips and pauses anywhere in day_t's range, a range and a
 * today — goes through the core and every renderer: nothing crashes,
 * nothing leaks, and the view's own invariants hold. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "habit-view.h"
#include "report.h"
#include "wording.h"

#define FUZZ_EVENTS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
        const uint8_t *p;
        size_t left;
} Bytes;

static uint32_t take(Bytes *b, unsigned n) {
        uint32_t v = 0;
        for (unsigned i = 0; i < n; i++) {
                v = v << 8 | (b->left ? *b->p : 0);
                if (b->left) {
                        b->p++;
                        b->left--;
                }
        }
        return v;
}

/* Mostly near @base, sometimes anywhere: the extremes of day_t matter too. */
static day_t take_day(Bytes *b, day_t base) {
        uint32_t v = take(b, 2);
        if ((v & 0xff00) == 0xff00)
                return (day_t) take(b, 4);
        int64_t day = (int64_t) base - (int64_t) (v % 4000);
        return day < INT32_MIN ? INT32_MIN : (day_t) day;
}

static int cmp_event(const void *a, const void *b) {
        day_t x = ((const HabitEvent *) a)->day, y = ((const HabitEvent *) b)->day;
        return (x > y) - (x < y);
}

static int cmp_pause(const void *a, const void *b) {
        day_t x = ((const HabitPause *) a)->from, y = ((const HabitPause *) b)->from;
        return (x > y) - (x < y);
}

static void render_all(const HabitView *v) {
        Report r = { .from = v->from, .to = v->to, .habits = v, .n_habits = 1 };
        char *summary, *body;
        for (int f = 0; f < _REPORT_FORMAT_MAX; f++)
                free(report_render(&r, f));
        free(report_template_comment(&r));
        json_decref(habit_live_json(v, false));
        if (wording_lapse(v, &summary, &body) == 0) {
                free(summary);
                free(body);
        }
        if (v->history.current_streak > v->history.longest_streak || v->finished + 1 < v->n_periods)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Bytes b = { data, size };
        HabitEvent checkins[FUZZ_EVENTS], skips[FUZZ_EVENTS];
        HabitPause pauses[8];
        day_t today = (day_t) take(&b, 4);
        uint32_t shape = take(&b, 2);
        HabitInput in = {
                .name = "fuzz",
                .kind = (HabitKind) (shape % 3),
                .every = { (EveryUnit) ((shape >> 2) % 3), 1 + (shape >> 4) % 12 },
                .times = 1 + take(&b, 1) % 5,
                .lapse_after = 1 + take(&b, 1) % 5,
                .week_start = (shape >> 8) & 1 ? WEEK_START_SUNDAY : WEEK_START_MONDAY,
                .has_since = (shape >> 9) & 1,
        };
        HabitView v;

        in.since = take_day(&b, today);
        in.n_checkins = take(&b, 1) % FUZZ_EVENTS;
        for (size_t i = 0; i < in.n_checkins; i++)
                checkins[i] = (HabitEvent){ take_day(&b, today), i % 3 ? NULL : "n<&>'\"" };
        in.n_skips = take(&b, 1) % FUZZ_EVENTS;
        for (size_t i = 0; i < in.n_skips; i++)
                skips[i] = (HabitEvent){ take_day(&b, today), NULL };
        in.n_pauses = take(&b, 1) % 8;
        for (size_t i = 0; i < in.n_pauses; i++) {
                day_t from = take_day(&b, today);
                pauses[i] = (HabitPause){ from, take(&b, 1) & 1 ? HABIT_OPEN_END : take_day(&b, today), "r" };
        }
        qsort(checkins, in.n_checkins, sizeof(HabitEvent), cmp_event);
        qsort(skips, in.n_skips, sizeof(HabitEvent), cmp_event);
        qsort(pauses, in.n_pauses, sizeof(HabitPause), cmp_pause);
        in.checkins = checkins;
        in.skips = skips;
        in.pauses = pauses;
        if (habit_view_live(&in, today, &v) == 0) {
                render_all(&v);
                habit_view_done(&v);
        }
        day_t to = take_day(&b, today), from = take_day(&b, to);
        if (habit_view_compute(&in, from, to, today, &v) == 0) {
                render_all(&v);
                habit_view_done(&v);
        }
        return 0;
}
