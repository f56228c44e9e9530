#include "notes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "habits.h"
#include "manager.h"
#include "reports.h"
#include "util.h"

/* A growing text, NULL after a failed allocation. */
typedef struct {
        char *text;
        size_t len;
        bool failed;
} Notes;

static void notes_add(Notes *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notes_add(Notes *n, const char *fmt, ...) {
        va_list ap;
        char *line;
        if (n->failed)
                return;
        va_start(ap, fmt);
        int len = vasprintf(&line, fmt, ap);
        va_end(ap);
        char *more = len < 0 ? NULL : realloc(n->text, n->len + (size_t) len + 1);
        if (!more) {
                n->failed = true;
                free(len < 0 ? NULL : line);
                return;
        }
        memcpy(more + n->len, line, (size_t) len + 1);
        n->text = more;
        n->len += (size_t) len;
        free(line);
}

/* One line per habit at risk or lapsed: the weekly review is where a slip
 * is seen while it is still small. */
static int notes_weekly(Manager *m, Notes *n) {
        bool header = false;
        for (size_t i = 0; i < m->config->n_habits; i++) {
                int r;
                json_t *h = habit_live_json(m, &m->config->habits[i], &r);
                if (!h)
                        return r;
                const char *status = json_string_value(json_object_get(h, "status"));
                const char *last = json_string_value(json_object_get(h, "last_done"));
                const char *since = json_string_value(json_object_get(h, "lapsed_since"));
                if (streq(status, "at-risk") || streq(status, "lapsed")) {
                        if (!header)
                                notes_add(n, "Slipping habits:\n");
                        header = true;
                        if (streq(status, "lapsed"))
                                notes_add(n, "  %s: lapsed since %s (last check-in %s)\n", m->config->habits[i].name,
                                          since ? since : "?", last ? last : "never");
                        else
                                notes_add(n, "  %s: at risk, last period missed (last check-in %s)\n",
                                          m->config->habits[i].name, last ? last : "never");
                }
                json_decref(h);
        }
        return 0;
}

/* The answers to the previous half-year review, newest version. */
static int notes_previous_halfyear(Manager *m, Period p, Notes *n) {
        Period prev = period_halfyear(p.start - 1);
        char label[PERIOD_LABEL_MAX];
        json_t *list;
        int r = store_answers_list(m->store, REVIEW_HALFYEAR, prev.start, prev.start, &list);
        if (r < 0)
                return r;
        json_t *a = json_array_get(list, 0);
        if (a) {
                notes_add(n, "\nSix months ago, for %s, you wrote:\n",
                          review_period_label(REVIEW_HALFYEAR, prev, label));
                size_t i;
                json_t *e;
                json_array_foreach(json_object_get(a, "entries"), i, e) {
                        const char *text = json_string_value(json_object_get(e, "answer"));
                        notes_add(n, "  %s\n", json_string_value(json_object_get(e, "question")));
                        for (const char *t = text; t && *t;) {
                                size_t len = strcspn(t, "\n");
                                notes_add(n, "    > %.*s\n", (int) len, t);
                                t += len + (t[len] == '\n');
                        }
                }
        }
        json_decref(list);
        return 0;
}

static int notes_halfyear(Manager *m, Period p, Notes *n, json_t **ret_goals) {
        day_t today = manager_today();
        ReportBuild b;
        int r = reports_build(m, p.start, p.end < today ? p.end : today, &b);
        if (r < 0)
                return r;
        _cleanup_free_ char *summary = report_template_comment(&b.report);
        reports_build_done(&b);
        if (!summary)
                return -ENOMEM;
        notes_add(n, "%s", summary);
        r = notes_previous_halfyear(m, p, n);
        if (r < 0)
                return r;
        json_t *goals;
        r = store_goals_list(m->store, false, &goals);
        if (r < 0)
                return r;
        *ret_goals = goals;
        return 0;
}

int notes_for_review(Manager *m, ReviewKind kind, Period period, char **ret_notes, json_t **ret_goals) {
        Notes n = {};
        int r;
        *ret_goals = NULL;
        if (kind == REVIEW_WEEKLY)
                r = notes_weekly(m, &n);
        else
                r = notes_halfyear(m, period, &n, ret_goals);
        if (r >= 0 && !*ret_goals)
                *ret_goals = json_array();
        if (r >= 0 && (n.failed || !*ret_goals))
                r = -ENOMEM;
        if (r < 0) {
                free(n.text);
                json_decref(*ret_goals);
                return r;
        }
        *ret_notes = n.text ? n.text : strdup("");
        return *ret_notes ? 0 : -ENOMEM;
}
