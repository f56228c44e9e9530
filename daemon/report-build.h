/* Gathers every habit's view from the store (the shell around the pure
 * core): over a report's range, or live for `status`, `habits` and the
 * weekly template; and writes the half-year report files. */
#pragma once

#include "config.h"
#include "habit-input.h"
#include "report.h"
#include "store.h"

typedef struct {
        Report report;
        HabitSource *sources;
        HabitView *views;
        StoreGoals goals;
        ThemeList themes;
} ReportBuild;

/* Every configured habit over [from, to] seen at the end of @to, and the
 * goals open in it. */
int report_build(Store *store, const Config *config, day_t from, day_t to, day_t today, ReportBuild *ret);
/* Every habit's live view (its whole history, seen on @today); no goals. */
int report_build_live(Store *store, const Config *config, day_t today, ReportBuild *ret);
void report_build_done(ReportBuild *b);

/* Six months before the day after @to: 2023-12-31 gives 2023-07-01. */
day_t report_default_from(day_t to);

/* Writes $XDG_DATA_HOME/lookback/reports/YYYY-H1.html and .md for @half,
 * up to @today at most. Returns 0 and the HTML file's path. */
int report_write_halfyear(Store *store, const Config *config, Period half, day_t today, char **ret_path);
