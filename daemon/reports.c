#include "reports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manager.h"
#include "paths.h"
#include "util.h"

day_t reports_default_from(day_t to) {
        int y, m, d;
        date_to_ymd(to + 1, &y, &m, &d);
        m -= 6;
        if (m < 1) {
                m += 12;
                y--;
        }
        if (d > date_days_in_month(y, m))
                d = date_days_in_month(y, m);
        return date_from_ymd(y, m, d);
}

void reports_build_done(ReportBuild *b) {
        for (size_t i = 0; b->states && i < b->report.n_habits; i++) {
                habit_state_done(&b->states[i]);
                free(b->pauses[i]);
        }
        free(b->states);
        free(b->habits);
        free(b->pauses);
        free(b->goals);
        json_decref(b->goals_json);
        *b = (ReportBuild){};
}

static int pauses_in_range(const StorePauses *all, day_t from, day_t to, LapsePause **ret, size_t *ret_n) {
        *ret = calloc(all->n ? all->n : 1, sizeof(LapsePause));
        *ret_n = 0;
        if (!*ret)
                return -ENOMEM;
        for (size_t i = 0; i < all->n; i++)
                if (all->items[i].from <= to && all->items[i].to >= from)
                        (*ret)[(*ret_n)++] = all->items[i];
        return 0;
}

static int goals_from_json(ReportBuild *b) {
        size_t n = json_array_size(b->goals_json), i;
        json_t *g;
        b->goals = calloc(n ? n : 1, sizeof(ReportGoal));
        if (!b->goals)
                return -ENOMEM;
        json_array_foreach(b->goals_json, i, g) {
                ReportGoal *rg = &b->goals[i];
                const char *closed = json_string_value(json_object_get(g, "closed"));
                *rg = (ReportGoal){
                        .id = json_string_value(json_object_get(g, "id")),
                        .text = json_string_value(json_object_get(g, "text")),
                        .status = goal_status_from_string(json_string_value(json_object_get(g, "status"))),
                        .reason = json_string_value(json_object_get(g, "reason")),
                };
                (void) date_parse(json_string_value(json_object_get(g, "created")), 0, &rg->created);
                rg->closed = closed && date_parse(closed, 0, &rg->closed_day) >= 0;
        }
        b->report.goals = b->goals;
        b->report.n_goals = n;
        return 0;
}

int reports_build(Manager *m, day_t from, day_t to, ReportBuild *ret) {
        size_t n = m->config->n_habits;
        int r = -ENOMEM;

        *ret = (ReportBuild){ .report = { .from = from, .to = to } };
        ret->states = calloc(n ? n : 1, sizeof(HabitState));
        ret->habits = calloc(n ? n : 1, sizeof(ReportHabit));
        ret->pauses = calloc(n ? n : 1, sizeof(LapsePause *));
        if (!ret->states || !ret->habits || !ret->pauses)
                goto fail;
        for (size_t i = 0; i < n; i++) {
                const HabitConfig *h = &m->config->habits[i];
                HabitState *st = &ret->states[i];
                r = habit_state_load(m, h, from, to, st);
                if (r < 0)
                        goto fail;
                ret->report.n_habits = i + 1; /* what the cleanup must free */
                size_t n_pauses;
                r = pauses_in_range(&st->pauses, from, to, &ret->pauses[i], &n_pauses);
                if (r < 0)
                        goto fail;
                ret->habits[i] =
                        (ReportHabit){ h->name, st->input.every, h->times, &st->report, ret->pauses[i], n_pauses };
        }
        ret->report.habits = ret->habits;
        r = store_goals_in_range(m->store, from, to, &ret->goals_json);
        if (r >= 0)
                r = goals_from_json(ret);
        if (r < 0)
                goto fail;
        return 0;
fail:
        reports_build_done(ret);
        return r;
}

int reports_write_halfyear(Manager *m, Period half, char **ret_path) {
        *ret_path = NULL;
        _cleanup_free_ char *data = NULL, *dir = NULL, *base = NULL, *html = NULL, *md = NULL, *md_path = NULL;
        ReportBuild b;
        int y, mo, d;

        int r = paths_data_dir(&data);
        if (r < 0)
                return r;
        dir = strdup_printf("%s/reports", data);
        date_to_ymd(half.start, &y, &mo, &d);
        base = strdup_printf("%s/%d-H%d", dir ? dir : "", y, mo <= 6 ? 1 : 2);
        if (!dir || !base)
                return -ENOMEM;
        r = paths_mkdir_p(dir, 0700);
        if (r < 0)
                return r;
        /* Up to today at most: days to come are not missed yet. */
        day_t today = manager_today();
        r = reports_build(m, half.start, half.end < today ? half.end : today, &b);
        if (r < 0)
                return r;
        html = report_render(&b.report, REPORT_HTML);
        md = report_render(&b.report, REPORT_MARKDOWN);
        reports_build_done(&b);
        _cleanup_free_ char *html_path = strdup_printf("%s.html", base);
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
