/* The report as text for a terminal (80 columns) and as Markdown. */
#include "report-internal.h"

#include <string.h>

/* Names longer than this (the config allows 64) do not widen the strips. */
#define REPORT_NAME_WIDTH_MAX 64

/* ---- Text and Markdown ---- */

static void report_text_heading(StrBuf *b, ReportFormat f, const char *title) {
        size_t len = strlen(title);

        if (f == REPORT_MARKDOWN) {
                strbuf_printf(b, "\n## %s\n\n", title);
                return;
        }
        strbuf_printf(b, "\n%s\n", title);
        for (size_t i = 0; i < len; i++)
                strbuf_puts(b, "-");
        strbuf_puts(b, "\n");
}

static void report_text_item(StrBuf *b, ReportFormat f) {
        strbuf_puts(b, f == REPORT_MARKDOWN ? "- " : "  ");
}

/* A second line under an item: a nested bullet in Markdown. */
static void report_text_subitem(StrBuf *b, ReportFormat f) {
        strbuf_puts(b, f == REPORT_MARKDOWN ? "  - " : "    ");
}

static void report_text_lapses(StrBuf *b, const Report *r, ReportFormat f) {
        bool any = false;

        report_text_heading(b, f, "Lapses");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *h = &r->habits[i];

                if (h->n_lapses == 0)
                        continue;
                report_text_item(b, f);
                for (size_t j = 0; j < h->n_lapses; j++) {
                        if (j > 0)
                                strbuf_puts(b, f == REPORT_MARKDOWN ? "\n- " : "\n  ");
                        report_buf_lapse(b, f, &r->habits[i], &h->lapses[j]);
                }
                strbuf_puts(b, "\n");
                report_text_subitem(b, f);
                report_buf_numbers(b, h, f == REPORT_MARKDOWN ? ", " : "\n    ");
                strbuf_puts(b, "\n");
                any = true;
        }
        if (!any)
                strbuf_puts(b, f == REPORT_MARKDOWN ? "No habit lapsed.\n" : "  No habit lapsed.\n");
}

static void report_text_pauses(StrBuf *b, const Report *r, ReportFormat f) {
        bool any = false;

        report_text_heading(b, f, "Pauses");
        for (size_t i = 0; i < r->n_habits; i++)
                for (size_t j = 0; j < r->habits[i].n_pauses; j++) {
                        report_text_item(b, f);
                        report_buf_pause(b, f, &r->habits[i], r->habits[i].pauses[j]);
                        strbuf_puts(b, "\n");
                        any = true;
                }
        if (!any)
                strbuf_puts(b, f == REPORT_MARKDOWN ? "No pauses.\n" : "  No pauses.\n");
}

static void report_text_held(StrBuf *b, const Report *r, ReportFormat f) {
        char every[REPORT_EVERY_MAX];
        bool any = false;

        report_text_heading(b, f, "Habits that held");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *rh = &r->habits[i];
                const HabitView *h = rh;

                if (!report_habit_held(rh))
                        continue;
                report_text_item(b, f);
                report_buf_name(b, f, rh->input->name);
                strbuf_printf(b, " (every %s)", report_every_format(rh->every, every));
                if (f == REPORT_MARKDOWN)
                        strbuf_puts(b, ": ");
                else
                        strbuf_puts(b, "\n    ");
                report_buf_numbers(b, h, f == REPORT_MARKDOWN ? ", " : "\n    ");
                strbuf_puts(b, f == REPORT_MARKDOWN ? "\n  `" : "\n    ");
                report_buf_strip(b, h, f == REPORT_MARKDOWN ? NULL : "    ");
                strbuf_puts(b, f == REPORT_MARKDOWN ? "`\n" : "\n");
                any = true;
        }
        if (!any)
                strbuf_puts(b,
                            f == REPORT_MARKDOWN ? "None held without a lapse.\n" : "  None held without a lapse.\n");
}

static size_t report_name_width(const Report *r) {
        size_t width = 0;

        for (size_t i = 0; i < r->n_habits; i++)
                if (r->habits[i].input->name && strlen(r->habits[i].input->name) > width)
                        width = strlen(r->habits[i].input->name);
        return width < REPORT_NAME_WIDTH_MAX ? width : REPORT_NAME_WIDTH_MAX;
}

static void report_text_strips(StrBuf *b, const Report *r, ReportFormat f) {
        size_t width = report_name_width(r);
        char indent[REPORT_NAME_WIDTH_MAX + 8];

        /* Wrapped strip lines start under the first cell. */
        memset(indent, ' ', width + 4);
        indent[width + 4] = '\0';
        report_text_heading(b, f, "Strips");
        if (f == REPORT_MARKDOWN)
                strbuf_puts(b, "Legend: `█` met, `░` missed, `·` skipped, `-` paused, blank: open.\n\n");
        else
                strbuf_puts(b, "  █ met  ░ missed  · skipped  - paused  (blank) open\n\n");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *rh = &r->habits[i];
                size_t len = rh->input->name ? strlen(rh->input->name) : 0;

                report_text_item(b, f);
                report_buf_name(b, f, rh->input->name);
                if (f == REPORT_MARKDOWN)
                        strbuf_puts(b, " `");
                else
                        strbuf_printf(b, "%*s", (int) (len < width ? width - len + 2 : 2), "");
                report_buf_strip(b, rh, f == REPORT_MARKDOWN ? NULL : indent);
                strbuf_puts(b, f == REPORT_MARKDOWN ? "`\n" : "\n");
        }
        if (r->n_habits == 0)
                strbuf_puts(b, f == REPORT_MARKDOWN ? "No habits.\n" : "  No habits.\n");
}

/* What was written with check-ins and skips, and why a habit paused:
 * per habit, oldest first. */
static void report_text_notes(StrBuf *b, const Report *r, ReportFormat f) {
        report_text_heading(b, f, "Notes");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *v = &r->habits[i];

                if (v->n_notes == 0)
                        continue;
                report_text_item(b, f);
                report_buf_name(b, f, v->input->name);
                strbuf_puts(b, "\n");
                for (size_t j = 0; j < v->n_notes; j++) {
                        report_text_subitem(b, f);
                        report_buf_note(b, f, &v->notes[j]);
                        strbuf_puts(b, "\n");
                }
        }
        if (!report_has_notes(r))
                strbuf_puts(b, f == REPORT_MARKDOWN ? "No notes.\n" : "  No notes.\n");
}

static void report_text_goals(StrBuf *b, const Report *r, ReportFormat f) {
        char summary[REPORT_SUMMARY_MAX];

        report_text_heading(b, f, report_goals_summary(r, summary));
        for (size_t i = 0; i < r->n_goals; i++) {
                report_text_item(b, f);
                report_buf_goal(b, f, &r->goals[i]);
                strbuf_puts(b, "\n");
        }
}

/* Only when there are any: most journals have none for years. */
static void report_text_themes(StrBuf *b, const Report *r, ReportFormat f) {
        if (!r->themes || r->themes->n == 0)
                return;
        report_text_heading(b, f, "Recurring themes");
        for (size_t i = 0; i < r->themes->n; i++) {
                report_text_item(b, f);
                report_theme_sentence(b, &r->themes->items[i]);
                strbuf_puts(b, "\n");
        }
}

void report_text(StrBuf *b, const Report *r, ReportFormat f) {
        char from[DATE_STR_MAX], to[DATE_STR_MAX];

        strbuf_printf(b, "%sLapse report %s - %s\n", f == REPORT_MARKDOWN ? "# " : "", date_format(r->from, from),
                      date_format(r->to, to));
        report_text_lapses(b, r, f);
        report_text_pauses(b, r, f);
        report_text_held(b, r, f);
        report_text_strips(b, r, f);
        report_text_notes(b, r, f);
        report_text_goals(b, r, f);
        report_text_themes(b, r, f);
}
