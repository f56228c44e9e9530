/* What a method handler gets and gives. The table that names every method,
 * with its decoded parameter struct, is in varlink.c; handlers live in one
 * file per concern (method-review.c, method-habit.c, method-goal.c,
 * method-report.c, method-status.c) and never call each other: what they
 * share is here and in method-params.c.
 *
 * A handler runs with `now` read once for the request, inside the
 * transaction of a writing method. What must happen once the write is on
 * disk (a notification shown or closed, a habit re-checked for a lapse) it
 * asks for in MethodResult, and varlink.c does it after the commit. */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "clock.h"
#include "date.h"
#include "manager.h"
#include "protocol.h"
#include "report.h"
#include <stddef.h>

/* What a handler produces: reply parameters, or an error and its parameters. */
typedef struct {
        json_t *reply;
        const char *error;
        json_t *error_parameters;
        /* After the commit: show a prompt (Remind). */
        bool show_prompt;
        ReviewKind show_kind;
        Period show_period;
        /* After the commit: take these kinds' prompts off the screen (a bit
         * per ReviewKind). */
        unsigned close_prompts;
        /* ...only those for this period, when set (answered, skipped). */
        bool has_close_period;
        Period close_period;
        /* After the commit: re-evaluate this habit for a lapse. */
        const HabitConfig *recheck_habit;
        /* ...or every habit (an import, a record forgotten). */
        bool recheck_all;
        /* Roll back what the handler wrote, yet reply (a dry run). */
        bool discard;
} MethodResult;

/* Returns 0 with @res filled, or a negative errno for an internal failure.
 * @params points to the method's decoded parameter struct. */
typedef int (*MethodHandler)(Manager *m, const Now *now, const void *params, MethodResult *res);

/* Sets an error result; returns 0, so handlers can `return method_fail(...)`. */
int method_fail(MethodResult *res, const char *error, json_t *parameters);
/* InvalidParameter naming @parameter; returns 0. */
int method_invalid(MethodResult *res, const char *parameter);
/* An optional date parameter (@text, NULL when absent), default today,
 * never after today: back-filling is normal, forward-filling is a typo.
 * Returns 1 with *ret set, or 0 with an error in @res. */
int method_param_date(const Now *now, const char *name, const char *text, MethodResult *res, day_t *ret);
/* The same, but any date, future ones included (a planned pause), default @def. */
int method_param_any_date(const Now *now, const char *name, const char *text, day_t def, MethodResult *res, day_t *ret);
/* An optional review kind, default weekly. 1, or 0 with an error. */
int method_param_kind(const char *text, MethodResult *res, ReviewKind *ret);
/* The period a review is for: the one containing @date if given, else the
 * oldest pending prompt's, else the current one. Returns 1, 0 (error in
 * @res) or a negative errno. */
int method_review_period(Manager *m, const Now *now, ReviewKind kind, const char *date, MethodResult *res, Period *ret);
/* {kind, period_start, period_end, label} */
json_t *method_period_json(ReviewKind kind, Period p);
/* The configured habit named @name, or NULL with UnknownHabit in @res. */
const HabitConfig *method_param_habit(Manager *m, const char *name, MethodResult *res);
/* Finds a goal by a prefix of its id; 1, or 0 with NoSuchGoal /
 * AmbiguousGoal in @res, or a negative errno. */
int method_goal_resolve(Manager *m, const char *prefix, MethodResult *res, char uuid[static SD_ID128_UUID_STRING_MAX]);
/* "YYYY-MM-DD" as a JSON string. */
json_t *method_day_json(day_t day);
/* {id, text, status, created, closed?, reason?}, as GoalList and
 * GetTemplate send a goal. */
json_t *method_goal_json(const ReportGoal *g);
/* [method_goal_json() each] */
json_t *method_goals_json(const StoreGoals *goals);

/* One row of the method table: name, handler, whether it writes (and so
 * runs in a transaction), and its parameters decoded into a struct of
 * @params_size bytes. Each method-*.c exports its rows, ending in a row
 * with name NULL; varlink.c looks methods up across them. */
typedef struct {
        const char *name;
        MethodHandler handler;
        bool writes;
        const ParamSpec *params;
        size_t params_size;
} Method;

extern const Method method_status_table[];
extern const Method method_review_table[];
extern const Method method_habit_table[];
extern const Method method_goal_table[];
extern const Method method_report_table[];
extern const Method method_journal_table[];
extern const Method method_data_table[];
extern const Method method_backup_table[];
extern const Method method_sync_table[];

/* The largest parameter struct any method decodes into. */
#define METHOD_PARAMS_MAX 256

/* The row named @name in any of the tables above, or NULL (varlink.c; the
 * fuzzer decodes into the same rows). */
const Method *varlink_method_find(const char *name);

#define DATE_PARAM(n, type, field)                                                                                     \
        { n, PARAM_STRING, false, 32, offsetof(type, field) }
#define KIND_PARAM(type)                                                                                               \
        { "kind", PARAM_STRING, false, 16, offsetof(type, kind) }
