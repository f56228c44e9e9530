/* Gathers a lapse report's inputs from the store (the shell around the
 * pure renderer in report.c), and writes the half-year report files. */
#pragma once

#include "habits.h"
#include "report.h"

typedef struct {
        Report report;
        HabitState *states;
        ReportHabit *habits;
        LapsePause **pauses; /* per habit: the pauses overlapping the range */
        json_t *goals_json;  /* owns the goal strings */
        ReportGoal *goals;
} ReportBuild;

/* Every habit's numbers over [from, to] and the goals open in it. */
int reports_build(Manager *m, day_t from, day_t to, ReportBuild *ret);
void reports_build_done(ReportBuild *b);

/* Six months before the day after @to: 2023-12-31 gives 2023-07-01. */
day_t reports_default_from(day_t to);

/* Writes $XDG_DATA_HOME/lookback/reports/YYYY-H1.html and .md for @half.
 * Returns 0 and the HTML file's path. */
int reports_write_halfyear(Manager *m, Period half, char **ret_path);
