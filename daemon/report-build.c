#include "report-build.h"

#include <errno.h>
#include <stdlib.h>

#include "paths.h"
#include "util.h"

day_t report_default_from(day_t to) {
        return date_add_months(to + 1, -6);
}

void report_build_done(ReportBuild *b) {
        for (size_t i = 0; b->views && i < b->report.n_habits; i++) {
                habit_view_done(&b->views[i]);
                habit_source_done(&b->sources[i]);
        }
        free(b->views);
        free(b->sources);
        store_goals_done(&b->goals);
        themes_done(&b->themes);
        *b = (ReportBuild){};
}

/* @live: each habit over its own whole history, else over [from, to]. */
static int report_build_habits(Store *store, const Config *config, bool live, day_t from, day_t to, day_t today,
                               ReportBuild *ret) {
        size_t n = config->n_habits;
        int r = -ENOMEM;

        *ret = (ReportBuild){ .report = { .from = from, .to = to } };
        ret->sources = calloc(n ? n : 1, sizeof(HabitSource));
        ret->views = calloc(n ? n : 1, sizeof(HabitView));
        if (!ret->sources || !ret->views)
                goto fail;
        for (size_t i = 0; i < n; i++) {
                r = habit_source_load(store, config, &config->habits[i], &ret->sources[i]);
                if (r < 0)
                        goto fail;
                ret->report.n_habits = i + 1; /* what the cleanup must free */
                if (live)
                        r = habit_view_live(&ret->sources[i].input, today, &ret->views[i]);
                else
                        r = habit_view_compute(&ret->sources[i].input, from, to, today, &ret->views[i]);
                if (r < 0)
                        goto fail;
        }
        ret->report.habits = ret->views;
        return 0;
fail:
        report_build_done(ret);
        return r;
}

int report_build(Store *store, const Config *config, day_t from, day_t to, day_t today, ReportBuild *ret) {
        int r = report_build_habits(store, config, false, from, to, today, ret);
        if (r < 0)
                return r;
        r = store_goals_in_range(store, from, to, &ret->goals);
        if (r < 0) {
                report_build_done(ret);
                return r;
        }
        ret->report.goals = ret->goals.items;
        ret->report.n_goals = ret->goals.n;
        /* Themes look at everything written up to the report's end: a
         * term comes back across years, not within one half. */
        ThemeDocs docs;
        r = store_theme_docs(store, DATE_EARLIEST, to, &docs);
        if (r >= 0) {
                r = themes_find(docs.items, docs.n, &ret->themes);
                store_theme_docs_done(&docs);
        }
        if (r < 0) {
                report_build_done(ret);
                return r;
        }
        ret->report.themes = &ret->themes;
        return 0;
}

int report_build_live(Store *store, const Config *config, day_t today, ReportBuild *ret) {
        return report_build_habits(store, config, true, today, today, today, ret);
}

static int report_paths(Period half, char **ret_dir, char **ret_base) {
        _cleanup_free_ char *data = NULL;
        int y, mo, d;
        int r = paths_data_dir(&data);
        if (r < 0)
                return r;
        date_to_ymd(half.start, &y, &mo, &d);
        *ret_dir = strdup_printf("%s/reports", data);
        *ret_base = strdup_printf("%s/reports/%d-H%d", data, y, mo <= 6 ? 1 : 2);
        if (!*ret_dir || !*ret_base) {
                free(*ret_dir);
                free(*ret_base);
                return -ENOMEM;
        }
        return 0;
}

int report_write_halfyear(Store *store, const Config *config, Period half, day_t today, char **ret_path) {
        _cleanup_free_ char *dir = NULL, *base = NULL, *html = NULL, *md = NULL, *md_path = NULL, *html_path = NULL;
        ReportBuild b;

        *ret_path = NULL;
        int r = report_paths(half, &dir, &base);
        if (r < 0)
                return r;
        r = paths_mkdir_p(dir, 0700);
        if (r < 0)
                return r;
        /* Up to today at most: days to come are not missed yet. */
        r = report_build(store, config, half.start, half.end < today ? half.end : today, today, &b);
        if (r < 0)
                return r;
        html = report_render(&b.report, REPORT_HTML);
        md = report_render(&b.report, REPORT_MARKDOWN);
        report_build_done(&b);
        html_path = strdup_printf("%s.html", base);
        md_path = strdup_printf("%s.md", base);
        if (!html || !md || !html_path || !md_path)
                return -ENOMEM;
        r = write_file_atomic(html_path, html, 0600);
        if (r >= 0)
                r = write_file_atomic(md_path, md, 0600);
        if (r < 0)
                return r;
        *ret_path = TAKE_PTR(html_path);
        return 0;
}
