/* The shell between the store and the core for one habit: loads its
 * check-ins, skips and pauses (with their notes) and its settings into the
 * HabitInput the core computes from. Owns what it loaded. */
#pragma once

#include "config.h"
#include "habit.h"
#include "store.h"

typedef struct {
        HabitInput input;
        const HabitConfig *config;
        StoreEvents checkins;
        StoreEvents skips;
        StorePauses pauses;
} HabitSource;

/* The review kind a habit stands for (weekly-review, halfyear-review), or -1. */
int habit_review_kind(const HabitConfig *h);

int habit_source_load(Store *store, const Config *config, const HabitConfig *h, HabitSource *ret);
void habit_source_done(HabitSource *s);
