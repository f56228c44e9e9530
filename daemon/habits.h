/* A habit's numbers, live: loads its check-ins, skips and pauses from the
 * store and runs the period engine (lapse.c) over them. The thin shell
 * between the database and the pure core. */
#pragma once

#include "lapse.h"
#include "store.h"

typedef struct Manager Manager;

typedef struct {
        const HabitConfig *config;
        int review_kind; /* >= 0 for weekly-review / halfyear-review */
        day_t *checkins;
        size_t n_checkins;
        day_t *skips;
        size_t n_skips;
        StorePauses pauses;
        LapseInput input;
        HabitReport report;
} HabitState;

/* Computes @h over [from, to] (lapse_compute's rules). */
int habit_state_load(Manager *m, const HabitConfig *h, day_t from, day_t to, HabitState *ret);
void habit_state_done(HabitState *s);

/* The review kind a habit stands for, or -1. */
int habit_review_kind(const HabitConfig *h);

/* A habit as `lookback habits` and Status show it, now: the fates of
 * finished periods (up to yesterday: today is not over) plus this period's
 * count; a streak includes this period once it is met. */
json_t *habit_live_json(Manager *m, const HabitConfig *h, int *ret_r);
