/* The lapse report: one structure, rendered as JSON, text, Markdown or a
 * self-contained HTML page, and as the '#' comment lines the half-year
 * review's template shows. Pure: the caller computes every habit's numbers
 * (lapse.h) and passes them in with the goals; nothing here reads a clock
 * or a file.
 *
 * Text and Markdown lead with what matters: lapses first (since when, how
 * many periods), then pauses with their reasons, then the habits that held,
 * each with a one-line strip of its periods, then the goals ("3 of 6
 * achieved"). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "date.h"
#include "lapse.h"

typedef enum {
        GOAL_OPEN,
        GOAL_ACHIEVED,
        GOAL_DROPPED,
} GoalStatus;

typedef struct {
        const char *id; /* UUID */
        const char *text;
        GoalStatus status;
        day_t created;
        bool closed;
        day_t closed_day;
        const char *reason; /* why dropped; may be NULL */
} ReportGoal;

typedef struct {
        const char *name;
        Every every;
        unsigned times;
        const HabitReport *report;
        const LapsePause *pauses; /* the pauses that overlap the range */
        size_t n_pauses;
} ReportHabit;

typedef struct {
        day_t from;
        day_t to;
        const ReportHabit *habits;
        size_t n_habits;
        const ReportGoal *goals; /* the goals that were open at some point in the range */
        size_t n_goals;
} Report;

typedef enum {
        REPORT_TEXT,
        REPORT_MARKDOWN,
        REPORT_JSON,
        REPORT_HTML,
        _REPORT_FORMAT_MAX,
} ReportFormat;

/* "text", "markdown", "json", "html"; -EINVAL for anything else. */
int report_format_from_string(const char *s);
const char *goal_status_to_string(GoalStatus s);
int goal_status_from_string(const char *s);

/* The JSON object, in the shape the README documents:
 * {"from", "to", "habits": [{"name", "every", "times", "periods", "met",
 *  "missed", "skipped", "paused", "adherence" (3 decimals or null),
 *  "strength" (2 decimals), "current_streak", "longest_streak", "last_done"
 *  (or null), "status", "lapsed_since" (or null), "lapses": [{"from", "to"
 *  (or null), "missed"}], "pauses": [{"from", "to" (or null), "reason"}]}],
 *  "goals": [{"id", "text", "status", "created", "closed"}],
 *  "goals_summary": {"set", "achieved", "dropped", "open"}}. NULL on OOM. */
json_t *report_json(const Report *r);

/* Text, Markdown or HTML (JSON too, as indented text). malloc'd; NULL on OOM. */
char *report_render(const Report *r, ReportFormat format);

/* One strip character per period, oldest first: met '█', missed '░',
 * skipped '·', paused '-', open ' ' (UTF-8). malloc'd. */
char *report_strip(const HabitReport *h);

/* The summary for the half-year review's template: every line starts
 * with "# ". malloc'd. */
char *report_template_comment(const Report *r);
