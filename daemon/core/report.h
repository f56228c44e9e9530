/* The lapse report: every habit's view (habit-view.h) over a range and the
 * goals open in it, rendered as JSON (report-json.c), text and Markdown
 * (report-text.c), a self-contained HTML page (report-html.c), and as the
 * '#' comment lines of the half-year review's template (report.c). Pure:
 * every number comes in computed; renderers only word and lay it out.
 *
 * Text and Markdown lead with what matters: lapses first (since when, how
 * many periods), then pauses with their reasons, then the habits that held,
 * each with a one-line strip of its periods, then the notes written with
 * check-ins and skips, then the goals ("3 of 6 achieved"). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "habit-view.h"
#include "strbuf.h"
#include "themes.h"

typedef enum {
        GOAL_OPEN,
        GOAL_ACHIEVED,
        GOAL_DROPPED,
        _GOAL_STATUS_MAX,
} GoalStatus;

typedef struct {
        const char *id; /* UUID */
        const char *text;
        GoalStatus status;
        day_t created;
        bool closed;
        day_t closed_day;
        const char *reason; /* why closed; may be NULL */
} ReportGoal;

typedef struct {
        day_t from;
        day_t to;
        const HabitView *habits; /* each over [from, to] */
        size_t n_habits;
        const ReportGoal *goals; /* the goals that were open at some point in the range */
        size_t n_goals;
        const ThemeList *themes; /* recurring themes in the answers up to `to`; NULL: none */
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
const char *report_format_to_string(ReportFormat f);
/* "open", "achieved", "dropped". */
const char *goal_status_to_string(GoalStatus s);
int goal_status_from_string(const char *s);

/* The JSON object, in the shape the README documents:
 * {"from", "to", "habits": [report_habit_json() each], "goals": [{"id",
 *  "text", "status", "created", "closed"}], "goals_summary": {"set",
 *  "achieved", "dropped", "open"}}. NULL on OOM. */
json_t *report_json(const Report *r);
/* One habit's view over the report's range: {"name", "every", "times",
 * "periods", "open", "met", "missed", "skipped", "paused", "adherence",
 * "strength", "current_streak", "longest_streak",
 * "longest_streak_in_range", "last_done", "status", "lapsed_since",
 * "lapses", "pauses", "notes", "strip"}. */
json_t *report_habit_json(const HabitView *v);
/* A habit as `lookback habits` and Status show it: its live view (the
 * whole history, today open) with this period's progress. */
json_t *habit_live_json(const HabitView *v, bool builtin);

/* Text, Markdown or HTML (JSON too, as indented text). malloc'd; NULL on OOM. */
char *report_render(const Report *r, ReportFormat format);

/* One strip character per period, oldest first: met '█', missed '░',
 * skipped '·', paused '-', open ' ' (UTF-8). malloc'd. */
char *report_strip(const HabitView *v);

/* The summary for the half-year review's template: every line starts
 * with "# ". malloc'd. */
char *report_template_comment(const Report *r);

/* One theme as the wire and the JSON report have it: {"term", "count",
 * "years": [newest first], "dates": [oldest first]}. */
json_t *report_json_theme(const Theme *t);
/* "You have written about *expert* in 2020, 2022 and 2023 (2020-03-02,
 * …): lookback search expert" — for the half-year template and report. */
void report_theme_sentence(StrBuf *b, const Theme *t);
