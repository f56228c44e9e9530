/* The journal: search what was written, what was written in this week of
 * earlier years, and the themes that keep coming back. Reads only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "method.h"
#include "search-text.h"
#include "themes.h"
#include "util.h"

#define SEARCH_LIMIT_DEFAULT 50
#define SEARCH_LIMIT_MAX     1000

typedef struct {
        const char *query;
        bool raw;
        const char *kind;
        const char *from;
        const char *to;
        int64_t limit;
        const char *sort;
} SearchParams;

typedef struct {
        const char *date;
} OnThisDayParams;

typedef struct {
        const char *from;
        const char *to;
} ThemesParams;

/* --kind: which JournalSources, a bit each; 0 for a kind we do not know. */
static unsigned sources_of_kind(const char *kind) {
        if (!kind)
                return (1U << _JOURNAL_SOURCE_MAX) - 1;
        if (streq(kind, "weekly"))
                return 1U << JOURNAL_WEEKLY;
        if (streq(kind, "halfyear"))
                return 1U << JOURNAL_HALFYEAR;
        if (streq(kind, "notes"))
                return 1U << JOURNAL_CHECKIN | 1U << JOURNAL_SKIP | 1U << JOURNAL_PAUSE | 1U << JOURNAL_NOTE;
        if (streq(kind, "goals"))
                return 1U << JOURNAL_GOAL;
        return 0;
}

static json_t *marks_json(const SearchMarks *m) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < m->n; i++)
                if (json_array_append_new(a, json_pack("{s:I, s:I}", "start", (json_int_t) m->items[i].start, "end",
                                                       (json_int_t) m->items[i].end)) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

/* A JournalEntry as the wire has it. */
static json_t *entry_json(const JournalEntry *e) {
        char label[PERIOD_LABEL_MAX];
        bool answer = journal_source_is_answer(e->source);
        ReviewKind kind = e->source == JOURNAL_HALFYEAR ? REVIEW_HALFYEAR : REVIEW_WEEKLY;
        json_t *o = json_pack("{s:s, s:o, s:s}", "source", journal_source_to_string(e->source), "date",
                              method_day_json(e->day), "text", e->text);
        if (!o)
                return NULL;
        if (answer && (json_object_set_new(o, "period_start", method_day_json(e->period.start)) < 0 ||
                       json_object_set_new(o, "period_end", method_day_json(e->period.end)) < 0 ||
                       json_object_set_new(o, "label", json_string(review_period_label(kind, e->period, label))) < 0))
                return json_decref(o), NULL;
        const struct {
                const char *name;
                const char *value;
        } strings[] = { { "question", e->question },
                        { "habit", e->habit },
                        { "goal", e->goal },
                        { "goal_status", e->goal_status } };
        for (size_t i = 0; i < ELEMENTSOF(strings); i++)
                if (strings[i].value && json_object_set_new(o, strings[i].name, json_string(strings[i].value)) < 0)
                        return json_decref(o), NULL;
        if (json_object_set_new(o, "written", json_integer(e->written_usec)) < 0)
                return json_decref(o), NULL;
        return o;
}

static json_t *hit_json(const JournalEntry *e, const SearchTerms *terms) {
        SearchMarks marks, passage_marks;
        char *passage;
        json_t *o = entry_json(e);
        if (!o || search_marks(e->text, terms, &marks) < 0)
                return json_decref(o), NULL;
        int r = search_passage(e->text, &marks, &passage, &passage_marks);
        if (r >= 0) {
                if (json_object_set_new(o, "rank", json_real(e->rank)) < 0 ||
                    json_object_set_new(o, "marks", marks_json(&marks)) < 0 ||
                    json_object_set_new(o, "passage", json_string(passage)) < 0 ||
                    json_object_set_new(o, "passage_marks", marks_json(&passage_marks)) < 0)
                        r = -ENOMEM;
                free(passage);
                search_marks_done(&passage_marks);
        }
        search_marks_done(&marks);
        return r < 0 ? (json_decref(o), NULL) : o;
}

static int invalid_query(MethodResult *res, const char *query, const char *reason) {
        return method_fail(res, LOOKBACK_ERROR_INVALID_QUERY,
                           json_pack("{s:s, s:s}", "query", query, "reason", reason));
}

/* The FTS5 expression and the terms to mark: 1, or 0 with InvalidQuery. */
static int search_expression(const SearchParams *p, MethodResult *res, char **ret_expr, SearchTerms *terms) {
        const char *reason;
        int r;
        if (strlen(p->query) > SEARCH_QUERY_MAX)
                return invalid_query(res, "", "the query is too long (at most 4096 bytes)"), 0;
        if (p->raw) {
                r = search_terms_from_raw(p->query, terms);
                *ret_expr = strdup(p->query);
                return r < 0 ? r : *ret_expr ? 1 : -ENOMEM;
        }
        r = search_query_build(p->query, ret_expr, terms, &reason);
        if (r == -EINVAL || r == -E2BIG)
                return invalid_query(res, p->query, reason), 0;
        return r < 0 ? r : 1;
}

static json_t *hits_json(const StoreJournal *hits, const SearchTerms *terms) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < hits->n; i++)
                if (json_array_append_new(a, hit_json(&hits->items[i], terms)) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

static int method_search(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const SearchParams *p = params;
        StoreSearch q = { .sources = sources_of_kind(p->kind), .limit = SEARCH_LIMIT_DEFAULT };
        _cleanup_free_ char *expr = NULL, *reason = NULL;
        SearchTerms terms = {};
        StoreJournal hits;

        if (!q.sources)
                return method_invalid(res, "kind");
        if (p->sort && !streq(p->sort, "rank") && !streq(p->sort, "date"))
                return method_invalid(res, "sort");
        q.by_date = p->sort && streq(p->sort, "date");
        if (p->limit) {
                if (p->limit < 1 || p->limit > SEARCH_LIMIT_MAX)
                        return method_invalid(res, "limit");
                q.limit = (unsigned) p->limit;
        }
        if (!method_param_any_date(now, "from", p->from, DATE_EARLIEST, res, &q.from) ||
            !method_param_any_date(now, "to", p->to, INT32_MAX / 2, res, &q.to))
                return 0;
        int r = search_expression(p, res, &expr, &terms);
        if (r <= 0)
                return search_terms_done(&terms), r;
        q.match = expr;
        r = store_search(m->store, &q, &hits, &reason);
        if (r == -EINVAL) {
                search_terms_done(&terms);
                return invalid_query(res, p->query, reason ? reason : "FTS5 cannot read it");
        }
        if (r < 0)
                return search_terms_done(&terms), r;
        json_t *list = hits_json(&hits, &terms);
        res->reply = json_pack("{s:s, s:I, s:o}", "query", p->query, "total", (json_int_t) hits.total, "hits", list);
        store_journal_done(&hits);
        search_terms_done(&terms);
        return res->reply ? 0 : -ENOMEM;
}

static json_t *entries_json(const StoreJournal *j) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < j->n; i++)
                if (json_array_append_new(a, entry_json(&j->items[i])) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

static int year_json(Store *store, int year, Period week, json_t *years) {
        char label[PERIOD_LABEL_MAX];
        StoreJournal j;
        int r = store_journal_range(store, week.start, week.end, &j);
        if (r < 0 || j.n == 0)
                return store_journal_done(&j), r;
        json_t *o = json_pack("{s:i, s:o, s:o, s:s, s:o}", "year", year, "period_start", method_day_json(week.start),
                              "period_end", method_day_json(week.end), "label",
                              review_period_label(REVIEW_WEEKLY, week, label), "entries", entries_json(&j));
        store_journal_done(&j);
        return json_array_append_new(years, o) < 0 ? -ENOMEM : 0;
}

static int method_on_this_day(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const OnThisDayParams *p = params;
        day_t day, first;
        int year, first_year, ignore;

        if (!method_param_any_date(now, "date", p->date, now->today, res, &day))
                return 0;
        int r = store_journal_first_day(m->store, &first);
        if (r < 0)
                return r;
        date_to_ymd(day, &year, &ignore, &ignore);
        date_to_ymd(r > 0 ? first : day, &first_year, &ignore, &ignore);
        json_t *years = json_array();
        for (int y = first_year; years && r >= 0 && y < year; y++)
                r = year_json(m->store, y, period_week(date_add_months(day, -12 * (year - y)), m->config->week_start),
                              years);
        if (r < 0 || !years)
                return json_decref(years), r < 0 ? r : -ENOMEM;
        res->reply = json_pack("{s:o, s:o}", "date", method_day_json(day), "years", years);
        return res->reply ? 0 : -ENOMEM;
}

static int method_themes(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const ThemesParams *p = params;
        day_t from, to;
        ThemeDocs docs;
        ThemeList themes;

        if (!method_param_any_date(now, "from", p->from, DATE_EARLIEST, res, &from) ||
            !method_param_any_date(now, "to", p->to, now->today, res, &to))
                return 0;
        int r = store_theme_docs(m->store, from, to, &docs);
        if (r < 0)
                return r;
        r = themes_find(docs.items, docs.n, &themes);
        size_t n_docs = docs.n;
        store_theme_docs_done(&docs);
        if (r < 0)
                return r;
        json_t *list = json_array();
        for (size_t i = 0; list && i < themes.n; i++)
                if (json_array_append_new(list, report_json_theme(&themes.items[i])) < 0)
                        list = (json_decref(list), NULL);
        themes_done(&themes);
        res->reply = json_pack("{s:I, s:o}", "answers", (json_int_t) n_docs, "themes", list);
        return res->reply ? 0 : -ENOMEM;
}

static const ParamSpec params_search[] = {
        /* Longer than the core accepts, so a long query is told so in words. */
        { "query", PARAM_STRING, true, 64 * SEARCH_QUERY_MAX, offsetof(SearchParams, query) },
        { "raw", PARAM_BOOLEAN, false, 0, offsetof(SearchParams, raw) },
        { "kind", PARAM_STRING, false, 16, offsetof(SearchParams, kind) },
        DATE_PARAM("from", SearchParams, from),
        DATE_PARAM("to", SearchParams, to),
        { "limit", PARAM_INTEGER, false, 0, offsetof(SearchParams, limit) },
        { "sort", PARAM_STRING, false, 16, offsetof(SearchParams, sort) },
        {},
};
static const ParamSpec params_on_this_day[] = { DATE_PARAM("date", OnThisDayParams, date), {} };
static const ParamSpec params_themes[] = {
        DATE_PARAM("from", ThemesParams, from),
        DATE_PARAM("to", ThemesParams, to),
        {},
};

const Method method_journal_table[] = {
        { "io.lookback.Search", method_search, false, params_search, sizeof(SearchParams) },
        { "io.lookback.OnThisDay", method_on_this_day, false, params_on_this_day, sizeof(OnThisDayParams) },
        { "io.lookback.Themes", method_themes, false, params_themes, sizeof(ThemesParams) },
        {},
};
