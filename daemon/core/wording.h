/* Every sentence lookback says to a person outside a report: the review
 * prompt's notification, the lapse notification, and the '#' notes a
 * review's template shows besides its questions. Pure: views in, text out.
 *
 * Notification servers read a body as markup (a subset of HTML), so
 * everything that reaches one from the config or the user is escaped here:
 * a question reading "<a href=x>" must show as text, not become a link. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "habit-view.h"
#include "strbuf.h"
#include "template.h"
#include "themes.h"

/* Longest body we compose, NUL included; questions are cut to fit. */
#define PROMPT_BODY_MAX 1024

/* "Weekly review" / "Half-year review". */
const char *prompt_summary(ReviewKind kind);

/* "Week 33, 14-20 Aug" / "Week 35, 28 Aug-3 Sep" / "January-June 2023". */
char *prompt_period_name(ReviewKind kind, Period p, char *buf, size_t size);

/* The body: the period and how many questions; the first question; for a
 * catch-up (@missed > 1) how many prompts were missed; where the half-year
 * report was written (@report_path, may be NULL); and, when the server has
 * no action buttons, the command to run. Returns a malloc'd string. */
char *prompt_body(ReviewKind kind, Period p, char *const *questions, size_t n_questions, unsigned missed,
                  bool has_actions, const char *report_path);

/* The Skip button's label: "Skip this week" / "Skip this half". */
const char *prompt_skip_label(ReviewKind kind);

/* The lapse notification of a view with an ongoing lapse: summary "NAME has
 * lapsed" (plain text) and a body such as "No check-in since Sun 20 Aug,
 * 2 weeks missed." plus the command to run, naming the habit (markup).
 * Both malloc'd; returns 0, -EINVAL (no ongoing lapse) or -ENOMEM. */
int wording_lapse(const HabitView *v, char **ret_summary, char **ret_body);

/* The weekly template's notes: one line per habit at risk or lapsed, under
 * "Slipping habits:"; nothing when none is. The weekly review is where a
 * slip is seen while it is still small. */
void wording_slipping(StrBuf *b, const HabitView *views, size_t n_views);

/* "Six months ago, for 2023-H1 (Jan - Jun), you wrote:" and each question
 * with its answer quoted, for the half-year template. */
void wording_previous_answers(StrBuf *b, const char *period_label, const TemplateEntry *entries, size_t n_entries);

/* What was written for an earlier period, brought back in a template:
 * "A year ago, for 2025-W49 (Mon 1 Dec - Sun 7 Dec), you wrote (on
 * 2025-12-07):" (@when, the period, the day it was written) and each
 * question with the first @max_lines lines of its answer (0: all). */
void wording_resurfaced(StrBuf *b, const char *when, const char *period_label, day_t written,
                        const TemplateEntry *entries, size_t n_entries, unsigned max_lines);

/* The half-year template's themes, at most @max: "You have written about
 * *expert* in 2020, 2022 and 2023 (2020-03-02, …): lookback search expert". */
void wording_themes(StrBuf *b, const ThemeList *themes, size_t max);
