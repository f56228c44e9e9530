/* The words of a review prompt's notification. Pure: no D-Bus, no clock.
 *
 * Notification servers read the body as markup (a subset of HTML), so
 * everything that reaches it from the config or the user is escaped here:
 * a question reading "<a href=x>" must show as text, not become a link. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "date.h"

/* Longest body we compose, NUL included; questions are cut to fit. */
#define PROMPT_BODY_MAX 1024

/* Escapes &, <, >, " and ' as entities. Returns a malloc'd string or NULL. */
char *markup_escape(const char *text);

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

/* A lapse's notification: summary "NAME has lapsed" and a body such as
 * "No check-in since Sun 20 Aug, 2 weeks missed." plus what to run. Both
 * malloc'd and escaped; returns 0 or -ENOMEM. */
int lapse_notification(const char *habit, Every every, bool is_review, bool has_last_done, day_t last_done,
                       unsigned missed, char **ret_summary, char **ret_body);
