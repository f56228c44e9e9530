/* What a method handler gets and gives, and the parameter readers they
 * share. The table that names every method is in methods.c; handlers live
 * beside their concern (methods.c: reviews and prompts; method-habits.c:
 * habits, pauses and goals; method-report.c: the lapse report). */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "date.h"
#include "manager.h"

/* What a handler produces: reply parameters, or an error and its parameters. */
typedef struct {
        json_t *reply;
        const char *error;
        json_t *error_parameters;
        /* A prompt to show once the transaction committed (Remind). */
        bool show_prompt;
        ReviewKind show_kind;
        Period show_period;
} MethodResult;

/* Returns 0 with @res filled, or a negative errno for an internal failure. */
typedef int (*MethodHandler)(Manager *m, json_t *params, MethodResult *res);

/* Sets an error result; returns 0, so handlers can `return method_fail(...)`. */
int method_fail(MethodResult *res, const char *error, json_t *parameters);
/* InvalidParameter naming @parameter; returns 0. */
int method_invalid(MethodResult *res, const char *parameter);
/* An optional date parameter, default today, never after today. Returns 1
 * with *ret set, or 0 with an error in @res. */
int method_param_date(json_t *params, const char *name, MethodResult *res, day_t *ret);
/* The same, but any date, future ones included (a planned pause). */
int method_param_any_date(json_t *params, const char *name, day_t def, MethodResult *res, day_t *ret);
/* The optional "kind" parameter, default weekly. 1, or 0 with an error. */
int method_param_kind(json_t *params, MethodResult *res, ReviewKind *ret);
/* The period a review is for, as GetTemplate documents: 1, 0 (error in
 * @res) or a negative errno. */
int method_review_period(Manager *m, json_t *params, ReviewKind kind, MethodResult *res, Period *ret);
/* {kind, period_start, period_end, label} */
json_t *method_period_json(ReviewKind kind, Period p);
/* The names of every configured habit. */
json_t *method_known_habits(const Config *c);
/* The configured habit named by "habit", or NULL with UnknownHabit in @res. */
const HabitConfig *method_param_habit(Manager *m, json_t *params, MethodResult *res);

int method_pause(Manager *m, json_t *params, MethodResult *res);
int method_resume(Manager *m, json_t *params, MethodResult *res);
int method_skip_habit(Manager *m, const HabitConfig *h, json_t *params, MethodResult *res);
int method_goal_add(Manager *m, json_t *params, MethodResult *res);
int method_goal_list(Manager *m, json_t *params, MethodResult *res);
int method_goal_set(Manager *m, json_t *params, MethodResult *res);
int method_report(Manager *m, json_t *params, MethodResult *res);
int method_goal_resolve(Manager *m, const char *prefix, MethodResult *res, char uuid[static SD_ID128_UUID_STRING_MAX]);
