/* The report as one self-contained HTML page: a heatmap of every habit's
 * periods, readable on a phone and on paper. */
#include "report-internal.h"

#include "util.h"

/* The HTML heatmap's geometry, in SVG user units (CSS pixels at 1:1). */
#define REPORT_CELL        12
#define REPORT_STEP        15
#define REPORT_ROW_CELLS   27 /* cells per row for longer periods: the weeks of a half-year */
#define REPORT_ROW_LABEL   64
#define REPORT_GRID_WEEKS  27 /* week columns per block for daily habits: half a year */
#define REPORT_GRID_LABEL  30
#define REPORT_GRID_MONTHS 14

/* ---- HTML ---- */

/* Self-contained on purpose: the file is opened months later, offline, on
 * a phone or on paper, so nothing is fetched and nothing runs. */
static const char report_html_style[] =
        "body{font-family:system-ui,-apple-system,\"Segoe UI\",sans-serif;max-width:52rem;margin:0 auto;"
        "padding:1rem;line-height:1.45;color:#1b1b1b;background:#fff}\n"
        "h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}"
        "h3{font-size:1.05rem;margin-bottom:.3rem}\n"
        "ul{padding-left:1.2rem}li{margin:.25rem 0}.numbers{color:#444;font-size:.92rem}\n"
        "section.habit{margin:1.2rem 0;padding-bottom:.6rem;border-bottom:1px solid #eee}\n"
        "svg.heatmap{display:block;max-width:100%;height:auto}\n"
        "svg text{font-size:9px;fill:#555}\n"
        ".cell{stroke:none}.met{fill:#2e7d32}.missed{fill:#f3b3b3}.skipped{fill:#c9c9c9}"
        ".paused{fill:#a7cdf0}.open{fill:#fff;stroke:#999;stroke-width:1}\n"
        ".cell.in-lapse{stroke:#8e0000;stroke-width:2}.missed.in-lapse{fill:#d84343}\n"
        ".cell.in-pause{stroke:#1257a0;stroke-width:2;stroke-dasharray:3 2}\n"
        "ul.legend{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1rem;"
        "font-size:.85rem;color:#444}\n"
        "ul.legend svg{vertical-align:middle;margin-right:.3rem}\n"
        ".goal.achieved::marker{color:#2e7d32}.goal.dropped{color:#666}\n"
        "@media (max-width:30rem){body{padding:.5rem;font-size:.95rem}}\n"
        "@media print{body{max-width:none;padding:0;font-size:10pt;color:#000}"
        "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        "section.habit{break-inside:avoid}h2{break-after:avoid}}\n";

static void report_html_head(StrBuf *b, const Report *r) {
        char from[DATE_STR_MAX], to[DATE_STR_MAX];

        date_format(r->from, from);
        date_format(r->to, to);
        strbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        strbuf_printf(b, "<title>Lapse report %s – %s</title>\n<style>\n", from, to);
        strbuf_puts(b, report_html_style);
        strbuf_printf(b, "</style>\n</head>\n<body>\n<h1>Lapse report %s – %s</h1>\n", from, to);
}

static void report_html_lapses(StrBuf *b, const Report *r) {
        bool any = false;

        strbuf_puts(b, "<h2>Lapses</h2>\n");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *h = &r->habits[i];

                for (size_t j = 0; j < h->n_lapses; j++) {
                        strbuf_puts(b, any ? "<li>" : "<ul class=\"lapses\">\n<li>");
                        report_buf_lapse(b, REPORT_HTML, &r->habits[i], &h->lapses[j]);
                        if (j + 1 == h->n_lapses) {
                                strbuf_puts(b, "<br><span class=\"numbers\">");
                                report_buf_numbers(b, h, ", ");
                                strbuf_puts(b, "</span>");
                        }
                        strbuf_puts(b, "</li>\n");
                        any = true;
                }
        }
        strbuf_puts(b, any ? "</ul>\n" : "<p>No habit lapsed.</p>\n");
}

static void report_html_pauses(StrBuf *b, const Report *r) {
        bool any = false;

        strbuf_puts(b, "<h2>Pauses</h2>\n");
        for (size_t i = 0; i < r->n_habits; i++)
                for (size_t j = 0; j < r->habits[i].n_pauses; j++) {
                        strbuf_puts(b, any ? "<li>" : "<ul class=\"pauses\">\n<li>");
                        report_buf_pause(b, REPORT_HTML, &r->habits[i], r->habits[i].pauses[j]);
                        strbuf_puts(b, "</li>\n");
                        any = true;
                }
        strbuf_puts(b, any ? "</ul>\n" : "<p>No pauses.</p>\n");
}

static void report_html_held(StrBuf *b, const Report *r) {
        char every[REPORT_EVERY_MAX];
        bool any = false;

        strbuf_puts(b, "<h2>Habits that held</h2>\n");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *rh = &r->habits[i];

                if (!report_habit_held(rh))
                        continue;
                strbuf_puts(b, any ? "<li>" : "<ul class=\"held\">\n<li>");
                report_buf_name(b, REPORT_HTML, rh->input->name);
                strbuf_printf(b, " (every %s): <span class=\"numbers\">", report_every_format(rh->every, every));
                report_buf_numbers(b, rh, ", ");
                strbuf_puts(b, "</span></li>\n");
                any = true;
        }
        strbuf_puts(b, any ? "</ul>\n" : "<p>None held without a lapse.</p>\n");
}

/* One period's cell with its tooltip. Its CSS classes are its fate plus
 * whether a lapse or a pause covers it, which is how both are shaded. */
static void report_html_cell(StrBuf *b, const HabitView *rh, const HabitView *h, const HabitPeriod *p, unsigned x,
                             unsigned y) {
        char start[REPORT_DAY_MAX], end[REPORT_DAY_MAX];
        bool in_lapse = false, in_pause = false;

        /* A period still in progress is never part of a lapse yet. */
        for (size_t i = 0; p->fate != PERIOD_OPEN && i < h->n_lapses && !in_lapse; i++)
                in_lapse = report_lapse_covers(&h->lapses[i], p->period);
        for (size_t i = 0; i < rh->n_pauses && !in_pause; i++)
                in_pause = report_pause_covers(rh->pauses[i], p->period);
        strbuf_printf(b, "<rect class=\"cell %s%s%s\" x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" rx=\"2\"><title>",
                      period_fate_to_string(p->fate), in_lapse ? " in-lapse" : "", in_pause ? " in-pause" : "", x, y,
                      REPORT_CELL, REPORT_CELL);
        strbuf_puts(b, report_day_human(p->period.start, start));
        if (p->period.end != p->period.start)
                strbuf_printf(b, " – %s", report_day_human(p->period.end, end));
        strbuf_printf(b, ": %s, %u check-in%s%s%s</title></rect>\n", period_fate_to_string(p->fate), p->checkins,
                      p->checkins == 1 ? "" : "s", in_lapse ? "; in a lapse" : "", in_pause ? "; during a pause" : "");
}

/* The margin keeps the outline of a lapse or pause cell on the edge from
 * being clipped. */
static void report_html_svg_open(StrBuf *b, const HabitView *rh, unsigned width, unsigned height) {
        strbuf_printf(b,
                      "<svg class=\"heatmap\" viewBox=\"-2 -2 %u %u\" width=\"%u\" height=\"%u\" role=\"img\" "
                      "aria-label=\"",
                      width + 4, height + 4, width + 4, height + 4);
        report_buf_user(b, REPORT_HTML, rh->input->name);
        strbuf_puts(b, ": one cell per period\">\n");
}

/* Daily habits: GitHub's calendar, a column per week (Monday first) and a
 * row per weekday, in blocks of half a year so a phone can still read it. */
static void report_html_grid(StrBuf *b, const HabitView *rh, const HabitView *h) {
        /* 64 bits: the week of the first day_t begins before it. */
        int64_t origin = (int64_t) h->periods[0].period.start - date_weekday(h->periods[0].period.start);
        unsigned columns = (unsigned) ((h->periods[h->n_periods - 1].period.start - origin) / 7) + 1;
        unsigned blocks = (columns + REPORT_GRID_WEEKS - 1) / REPORT_GRID_WEEKS;
        unsigned block_height = REPORT_GRID_MONTHS + 7 * REPORT_STEP + 6;
        unsigned shown = columns < REPORT_GRID_WEEKS ? columns : REPORT_GRID_WEEKS;

        report_html_svg_open(b, rh, REPORT_GRID_LABEL + shown * REPORT_STEP, blocks * block_height);
        for (unsigned k = 0; k < blocks; k++)
                for (int row = 0; row < 7; row += 2)
                        strbuf_printf(b, "<text x=\"0\" y=\"%u\">%s</text>\n",
                                      k * block_height + REPORT_GRID_MONTHS + (unsigned) row * REPORT_STEP + 10,
                                      report_weekday_names[row]);
        for (size_t i = 0; i < h->n_periods; i++) {
                day_t day = h->periods[i].period.start;
                unsigned column = (unsigned) (((int64_t) day - origin) / 7),
                         top = column / REPORT_GRID_WEEKS * block_height;
                unsigned x = REPORT_GRID_LABEL + column % REPORT_GRID_WEEKS * REPORT_STEP;
                int year, month, mday;

                date_to_ymd(day, &year, &month, &mday);
                if (mday == 1 || i == 0)
                        strbuf_printf(b, "<text x=\"%u\" y=\"%u\">%s</text>\n", x, top + 10,
                                      report_month_names[month - 1]);
                report_html_cell(b, rh, h, &h->periods[i], x,
                                 top + REPORT_GRID_MONTHS + (unsigned) date_weekday(day) * REPORT_STEP);
        }
        strbuf_puts(b, "</svg>\n");
}

/* Longer periods: a row of cells, wrapped every REPORT_ROW_CELLS, each row
 * labelled with the month its first period starts in. */
static void report_html_row(StrBuf *b, const HabitView *rh, const HabitView *h) {
        unsigned rows = (unsigned) ((h->n_periods + REPORT_ROW_CELLS - 1) / REPORT_ROW_CELLS);
        unsigned shown = h->n_periods < REPORT_ROW_CELLS ? (unsigned) h->n_periods : REPORT_ROW_CELLS;

        report_html_svg_open(b, rh, REPORT_ROW_LABEL + shown * REPORT_STEP, rows * REPORT_STEP);
        for (size_t i = 0; i < h->n_periods; i++) {
                unsigned row = (unsigned) (i / REPORT_ROW_CELLS), column = (unsigned) (i % REPORT_ROW_CELLS);
                int year, month, mday;

                if (column == 0) {
                        date_to_ymd(h->periods[i].period.start, &year, &month, &mday);
                        strbuf_printf(b, "<text x=\"0\" y=\"%u\">%s %d</text>\n", row * REPORT_STEP + 10,
                                      report_month_names[month - 1], year);
                }
                report_html_cell(b, rh, h, &h->periods[i], REPORT_ROW_LABEL + column * REPORT_STEP, row * REPORT_STEP);
        }
        strbuf_puts(b, "</svg>\n");
}

static void report_html_heatmap(StrBuf *b, const HabitView *rh, const HabitView *h) {
        if (h->n_periods == 0) {
                report_html_svg_open(b, rh, 200, REPORT_STEP);
                strbuf_puts(b, "<text x=\"0\" y=\"10\">No periods in this range.</text>\n</svg>\n");
        } else if (rh->every.unit == EVERY_DAY && rh->every.n == 1)
                report_html_grid(b, rh, h);
        else
                report_html_row(b, rh, h);
}

static void report_html_legend(StrBuf *b) {
        static const struct {
                const char *classes;
                const char *label;
        } items[] = {
                { "met", "met" },          { "missed", "missed" }, { "missed in-lapse", "missed, in a lapse" },
                { "skipped", "skipped" },  { "paused", "paused" }, { "met in-pause", "during a pause" },
                { "open", "in progress" },
        };

        strbuf_puts(b, "<ul class=\"legend\">\n");
        for (size_t i = 0; i < ELEMENTSOF(items); i++)
                strbuf_printf(b,
                              "<li><svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\">"
                              "<rect class=\"cell %s\" x=\"1\" y=\"1\" width=\"12\" height=\"12\" rx=\"2\"/>"
                              "</svg>%s</li>\n",
                              items[i].classes, items[i].label);
        strbuf_puts(b, "</ul>\n");
}

static void report_html_notes(StrBuf *b, const HabitView *v) {
        if (v->n_notes == 0)
                return;
        strbuf_puts(b, "<ul class=\"notes\">\n");
        for (size_t i = 0; i < v->n_notes; i++) {
                strbuf_printf(b, "<li class=\"note %s\">", habit_note_kind_to_string(v->notes[i].kind));
                report_buf_note(b, REPORT_HTML, &v->notes[i]);
                strbuf_puts(b, "</li>\n");
        }
        strbuf_puts(b, "</ul>\n");
}

static void report_html_habits(StrBuf *b, const Report *r) {
        char every[REPORT_EVERY_MAX];

        strbuf_puts(b, "<h2>Habits</h2>\n");
        if (r->n_habits == 0)
                strbuf_puts(b, "<p>No habits.</p>\n");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *rh = &r->habits[i];
                const HabitView *h = rh;

                strbuf_puts(b, "<section class=\"habit\">\n<h3>");
                report_buf_user(b, REPORT_HTML, rh->input->name);
                strbuf_printf(b, "</h3>\n<p class=\"numbers\">every %s: ", report_every_format(rh->every, every));
                report_buf_numbers(b, h, ", ");
                strbuf_puts(b, "</p>\n");
                report_html_heatmap(b, rh, h);
                report_html_legend(b);
                report_html_notes(b, h);
                strbuf_puts(b, "</section>\n");
        }
}

static void report_html_goals(StrBuf *b, const Report *r) {
        char summary[REPORT_SUMMARY_MAX];

        strbuf_printf(b, "<h2>%s</h2>\n", report_goals_summary(r, summary));
        if (r->n_goals == 0)
                return;
        strbuf_puts(b, "<ul class=\"goals\">\n");
        for (size_t i = 0; i < r->n_goals; i++) {
                const char *status = goal_status_to_string(r->goals[i].status);

                strbuf_printf(b, "<li class=\"goal %s\">", status ? status : "open");
                report_buf_goal(b, REPORT_HTML, &r->goals[i]);
                strbuf_puts(b, "</li>\n");
        }
        strbuf_puts(b, "</ul>\n");
}

static void report_html_themes(StrBuf *b, const Report *r) {
        if (!r->themes || r->themes->n == 0)
                return;
        strbuf_puts(b, "<h2>Recurring themes</h2>\n<ul class=\"themes\">\n");
        for (size_t i = 0; i < r->themes->n; i++) {
                StrBuf line = {};
                report_theme_sentence(&line, &r->themes->items[i]);
                char *text = strbuf_finish(&line);
                strbuf_puts(b, "<li>");
                strbuf_put_escaped(b, text ? text : "");
                strbuf_puts(b, "</li>\n");
                free(text);
        }
        strbuf_puts(b, "</ul>\n");
}

void report_html(StrBuf *b, const Report *r) {
        report_html_head(b, r);
        report_html_lapses(b, r);
        report_html_pauses(b, r);
        report_html_held(b, r);
        report_html_habits(b, r);
        report_html_goals(b, r);
        report_html_themes(b, r);
        strbuf_puts(b, "</body>\n</html>\n");
}
