/* What the core is given about one habit: its settings and everything that
 * happened to it. Plain data, filled by the daemon's shell (habit-input.c)
 * from the store and the config, or by a test by hand. The core never
 * reads a clock, a file or a database: `today` is passed in beside this.
 *
 * Strings are borrowed: the caller keeps them alive while the core runs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadence.h"
#include "date.h"

/* A pause with no end yet: `to` is this while it lasts. */
#define HABIT_OPEN_END INT32_MAX

/* A review's built-in habit has its review's periods, not a cadence of
 * its own: weeks on week_start, or calendar half-years (Jan-Jun, Jul-Dec). */
typedef enum {
        HABIT_PLAIN,
        HABIT_WEEKLY_REVIEW,
        HABIT_HALFYEAR_REVIEW,
} HabitKind;

/* A check-in or a skip: a day and what was written with it. For a review,
 * a check-in is an answered period, on its first day. */
typedef struct {
        day_t day;
        const char *note; /* may be NULL */
} HabitEvent;

typedef struct {
        day_t from;
        day_t to;           /* HABIT_OPEN_END while it lasts */
        const char *reason; /* may be NULL */
} HabitPause;

typedef struct {
        const char *name;
        HabitKind kind;
        Every every; /* HABIT_PLAIN only; a review's comes from its kind */
        unsigned times;
        unsigned lapse_after;
        bool has_since;
        day_t since;
        WeekStart week_start;
        const HabitEvent *checkins; /* ascending by day; two on one day are two */
        size_t n_checkins;
        const HabitEvent *skips; /* ascending by day */
        size_t n_skips;
        const HabitPause *pauses; /* ascending by from */
        size_t n_pauses;
} HabitInput;

/* The cadence the habit really has: a review's is its kind's. */
Every habit_every(const HabitInput *in);
