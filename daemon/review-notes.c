#include "review-notes.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "report-build.h"
#include "wording.h"

/* So many lines of each answer come back in a weekly template. */
#define RESURFACE_LINES 3

/* What was written for @kind's period containing @day, as '#' notes under
 * @when; nothing when that period was not answered, or is not over yet
 * (nothing resurfaces younger than it claims). */
static int review_notes_resurface(Store *store, const Config *config, ReviewKind kind, day_t day, day_t today,
                                  const char *when, unsigned max_lines, StrBuf *b) {
        Period p = review_period(kind, day, config->week_start);
        char label[PERIOD_LABEL_MAX];
        StoreAnswers list;
        if (p.end >= today)
                return 0;
        int r = store_answers_list(store, (int) kind, p.start, p.start, &list);
        if (r < 0)
                return r;
        if (list.n > 0 && list.items[0].period.start == p.start)
                wording_resurfaced(b, when, review_period_label(kind, p, label),
                                   date_local_day((time_t) (list.items[0].created_usec / 1000000)),
                                   list.items[0].entries, list.items[0].n_entries, max_lines);
        store_answers_done(&list);
        return 0;
}

static int review_notes_weekly(Store *store, const Config *config, Period p, day_t today, StrBuf *b) {
        ReportBuild live;
        int r = report_build_live(store, config, today, &live);
        if (r < 0)
                return r;
        wording_slipping(b, live.views, live.report.n_habits);
        report_build_done(&live);
        r = review_notes_resurface(store, config, REVIEW_WEEKLY, date_add_months(p.start, -12), today, "A year ago",
                                   RESURFACE_LINES, b);
        if (r < 0)
                return r;
        return review_notes_resurface(store, config, REVIEW_WEEKLY, date_add_months(p.start, -6), today,
                                      "Six months ago", RESURFACE_LINES, b);
}

/* The answers to the previous half-year review, newest version. */
static int review_notes_previous_halfyear(Store *store, Period p, StrBuf *b) {
        Period prev = period_halfyear(p.start - 1);
        char label[PERIOD_LABEL_MAX];
        StoreAnswers list;
        int r = store_answers_list(store, REVIEW_HALFYEAR, prev.start, prev.start, &list);
        if (r < 0)
                return r;
        if (list.n > 0)
                wording_previous_answers(b, review_period_label(REVIEW_HALFYEAR, prev, label), list.items[0].entries,
                                         list.items[0].n_entries);
        store_answers_done(&list);
        return 0;
}

static int review_notes_halfyear(Store *store, const Config *config, Period p, day_t today, StrBuf *b,
                                 StoreGoals *ret_goals) {
        ReportBuild report;
        int r = report_build(store, config, p.start, p.end < today ? p.end : today, today, &report);
        if (r < 0)
                return r;
        char *summary = report_template_comment(&report.report);
        if (!summary) {
                report_build_done(&report);
                return -ENOMEM;
        }
        strbuf_puts(b, summary);
        free(summary);
        r = review_notes_previous_halfyear(store, p, b);
        if (r >= 0)
                r = review_notes_resurface(store, config, REVIEW_HALFYEAR, date_add_months(p.start, -12), today,
                                           "A year ago", 0, b);
        /* The report's themes: everything written up to the half's end. */
        if (r >= 0)
                wording_themes(b, &report.themes, 5);
        report_build_done(&report);
        return r < 0 ? r : store_goals_list(store, false, ret_goals);
}

int review_notes(Store *store, const Config *config, ReviewKind kind, Period period, day_t today, char **ret_notes,
                 StoreGoals *ret_goals) {
        StrBuf b = {};
        int r;

        *ret_goals = (StoreGoals){};
        if (kind == REVIEW_WEEKLY)
                r = review_notes_weekly(store, config, period, today, &b);
        else
                r = review_notes_halfyear(store, config, period, today, &b, ret_goals);
        *ret_notes = r >= 0 ? strbuf_finish(&b) : NULL;
        if (r >= 0 && !*ret_notes)
                r = -ENOMEM;
        if (r < 0) {
                strbuf_done(&b);
                store_goals_done(ret_goals);
        }
        return r;
}
