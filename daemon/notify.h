/* Desktop notifications through libnotify: showing a review prompt with its
 * buttons, and handing a click back to the caller. Callbacks arrive from
 * GLib's main context, which loop.c runs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

typedef enum {
        PROMPT_ACTION_ANSWER,
        PROMPT_ACTION_SNOOZE,
        PROMPT_ACTION_SKIP,
} PromptAction;

typedef void (*NotifierActionHandler)(PromptAction action, ReviewKind kind, Period period, void *userdata);

typedef struct Notifier Notifier;

/* At most this many notifications are kept to listen for clicks; older ones
 * stop answering buttons (the prompt stays pending either way). */
#define NOTIFIER_LIVE_MAX 16

int notifier_new(NotifierActionHandler handler, void *userdata, Notifier **ret);
Notifier *notifier_free(Notifier *n);

/* Shows a review prompt: Answer, Snooze 1 h and Skip buttons where the
 * server has actions, else the body says what to run. Returns 0, or a
 * negative errno with *ret_message (malloc'd) saying why. */
int notifier_show_prompt(Notifier *n, ReviewKind kind, Period period, char *const *questions, size_t n_questions,
                         unsigned missed, const char *report_path, char **ret_message);

/* Closes the shown prompts of @kind for @period (answered or skipped), or
 * all of @kind with @period NULL (snoozed or superseded): they leave the
 * screen and their buttons stop working. */
void notifier_close_prompts(Notifier *n, ReviewKind kind, const Period *period);

/* A plain notification (a lapse flag): @body must be escaped already. */
int notifier_show(Notifier *n, const char *summary, const char *body, char **ret_message);
