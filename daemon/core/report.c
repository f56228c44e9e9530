/* The report's model and the sentences its renderers share, and the
 * half-year template's summary. */
#include "report-internal.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "words.h"

const char *const report_weekday_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
const char *const report_month_names[12] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char *const report_format_table[_REPORT_FORMAT_MAX] = {
        [REPORT_TEXT] = "text",
        [REPORT_MARKDOWN] = "markdown",
        [REPORT_JSON] = "json",
        [REPORT_HTML] = "html",
};

static const char *const report_goal_status_table[_GOAL_STATUS_MAX] = {
        [GOAL_OPEN] = WORD_GOAL_OPEN,
        [GOAL_ACHIEVED] = WORD_GOAL_ACHIEVED,
        [GOAL_DROPPED] = WORD_GOAL_DROPPED,
};

const char *report_format_to_string(ReportFormat f) {
        return (unsigned) f < _REPORT_FORMAT_MAX ? report_format_table[f] : NULL;
}

/* All user text (habit names, goals, reasons) goes through here. Control
 * characters become spaces in every format, so a reason cannot end a '#'
 * comment line or a list item early, nor send a terminal escape; Markdown
 * and HTML get their special characters escaped as well. */
void report_buf_user(StrBuf *b, ReportFormat f, const char *s) {
        for (; s && *s; s++) {
                unsigned char c = (unsigned char) *s;
                const char *entity = f == REPORT_HTML ? strbuf_entity(c) : NULL;

                if (c < 0x20 || c == 0x7f)
                        strbuf_add(b, " ", 1);
                else if (entity)
                        strbuf_puts(b, entity);
                else {
                        if (f == REPORT_MARKDOWN && strchr("\\`*_[]<>#|!&~", c))
                                strbuf_add(b, "\\", 1);
                        strbuf_add(b, s, 1);
                }
        }
}

/* A habit's name as the lead of a line: bold where the format has bold. */
void report_buf_name(StrBuf *b, ReportFormat f, const char *name) {
        if (f == REPORT_MARKDOWN)
                strbuf_puts(b, "**");
        else if (f == REPORT_HTML)
                strbuf_puts(b, "<strong>");
        report_buf_user(b, f, name);
        if (f == REPORT_MARKDOWN)
                strbuf_puts(b, "**");
        else if (f == REPORT_HTML)
                strbuf_puts(b, "</strong>");
}

/* "Mon 21 Aug 2023": English on purpose, like date.c's labels. */
char *report_day_human(day_t day, char buf[static REPORT_DAY_MAX]) {
        int year, month, mday;

        date_to_ymd(day, &year, &month, &mday);
        snprintf(buf, REPORT_DAY_MAX, "%s %d %s %d", report_weekday_names[date_weekday(day)], mday,
                 report_month_names[month - 1], year);
        return buf;
}

char *report_every_format(Every e, char buf[static REPORT_EVERY_MAX]) {
        return every_format(e, buf, REPORT_EVERY_MAX);
}

/* "19 weeks", "1 month", "3 periods of 2 weeks": a count of a habit's periods. */
void report_buf_periods(StrBuf *b, unsigned count, Every e) {
        char every[REPORT_EVERY_MAX];

        if (e.n == 1)
                strbuf_printf(b, "%u %s%s", count, report_every_format(e, every), count == 1 ? "" : "s");
        else
                strbuf_printf(b, "%u period%s of %s", count, count == 1 ? "" : "s", report_every_format(e, every));
}

const char *report_fate_cell(PeriodFate f) {
        switch (f) {
        case PERIOD_MET:
                return "█";
        case PERIOD_SKIPPED:
                return "·";
        case PERIOD_PAUSED:
                return "-";
        case PERIOD_MISSED:
                return "░";
        case PERIOD_OPEN:
                return " ";
        default:
                return "?";
        }
}

int report_format_from_string(const char *s) {
        for (size_t i = 0; s && i < ELEMENTSOF(report_format_table); i++)
                if (streq(s, report_format_table[i]))
                        return (int) i;
        return -EINVAL;
}

const char *goal_status_to_string(GoalStatus s) {
        return (size_t) s < ELEMENTSOF(report_goal_status_table) ? report_goal_status_table[s] : NULL;
}

int goal_status_from_string(const char *s) {
        for (size_t i = 0; s && i < ELEMENTSOF(report_goal_status_table); i++)
                if (streq(s, report_goal_status_table[i]))
                        return (int) i;
        return -EINVAL;
}

/* Adherence is null without a met or missed period; a NaN from a caller's
 * bug reads as null too rather than as "nan". */
bool report_adherence(const HabitView *h, double *ret) {
        if (!h->has_adherence || !isfinite(h->adherence))
                return false;
        *ret = h->adherence;
        return true;
}

double report_round(double x, double scale) {
        return round(x * scale) / scale;
}

/* "29.6%", "100%", "n/a". */
char *report_percent(const HabitView *h, char buf[static REPORT_PERCENT_MAX]) {
        double a, tenths;

        if (!report_adherence(h, &a)) {
                snprintf(buf, REPORT_PERCENT_MAX, "n/a");
                return buf;
        }
        tenths = report_round(a * 100.0, 10.0);
        snprintf(buf, REPORT_PERCENT_MAX, tenths == floor(tenths) ? "%.0f%%" : "%.1f%%", tenths);
        return buf;
}

bool report_lapse_covers(const Lapse *l, Period p) {
        return p.start <= (l->ongoing ? INT32_MAX : l->to) && p.end >= l->from;
}

bool report_pause_covers(const HabitPause *pause, Period p) {
        return p.start <= pause->to && p.end >= pause->from;
}

ReportGoalCounts report_goal_counts(const Report *r) {
        ReportGoalCounts c = { .set = (unsigned) r->n_goals };

        for (size_t i = 0; i < r->n_goals; i++)
                switch (r->goals[i].status) {
                case GOAL_ACHIEVED:
                        c.achieved++;
                        break;
                case GOAL_DROPPED:
                        c.dropped++;
                        break;
                default:
                        c.open++;
                }
        return c;
}

void report_buf_strip(StrBuf *b, const HabitView *h, const char *wrap_indent) {
        for (size_t i = 0; i < h->n_periods; i++) {
                if (wrap_indent && i > 0 && i % REPORT_STRIP_WRAP == 0) {
                        strbuf_puts(b, "\n");
                        strbuf_puts(b, wrap_indent);
                }
                strbuf_puts(b, report_fate_cell(h->periods[i].fate));
        }
}

char *report_strip(const HabitView *h) {
        StrBuf b = {};

        if (h && h->history.started)
                report_buf_strip(&b, h, NULL);
        return strbuf_finish(&b);
}

/* ---- Sentences shared by text, Markdown, HTML and the template ---- */

/* "weekly-review: lapsed since Mon 21 Aug 2023, 19 weeks missed (ongoing)" */
void report_buf_lapse(StrBuf *b, ReportFormat f, const HabitView *rh, const Lapse *l) {
        char from[REPORT_DAY_MAX], to[REPORT_DAY_MAX];

        report_buf_name(b, f, rh->input->name);
        if (l->ongoing)
                strbuf_printf(b, ": lapsed since %s, ", report_day_human(l->from, from));
        else
                strbuf_printf(b, ": lapsed from %s to %s, ", report_day_human(l->from, from),
                              report_day_human(l->to, to));
        report_buf_periods(b, l->missed, rh->every);
        strbuf_puts(b, l->ongoing ? " missed (ongoing)" : " missed");
}

/* "tennis: paused since Mon 29 May 2023 (ongoing); reason: torn ligament".
 * A pause is a decision with a reason, so it is worded as one, never as a
 * failure. */
void report_buf_pause(StrBuf *b, ReportFormat f, const HabitView *rh, const HabitPause *p) {
        char from[REPORT_DAY_MAX], to[REPORT_DAY_MAX];

        report_buf_name(b, f, rh->input->name);
        if (p->to == HABIT_OPEN_END)
                strbuf_printf(b, ": paused since %s (ongoing)", report_day_human(p->from, from));
        else
                strbuf_printf(b, ": paused from %s to %s", report_day_human(p->from, from),
                              report_day_human(p->to, to));
        if (p->reason && *p->reason) {
                strbuf_puts(b, "; reason: ");
                report_buf_user(b, f, p->reason);
        }
}

/* "met 6 of 6 periods, adherence 100%, streak 6 (longest 6)" @separator
 * "strength 0.88, last done ...": text breaks the line there to stay
 * within 80 columns, the other formats leave wrapping to the reader. */
void report_buf_numbers(StrBuf *b, const HabitView *h, const char *separator) {
        char percent[REPORT_PERCENT_MAX], day[REPORT_DAY_MAX];
        unsigned finished = h->finished;

        if (!h->history.started) {
                strbuf_puts(b, "not started yet");
                return;
        }
        strbuf_printf(b, "met %u of %u period%s", h->met, finished, finished == 1 ? "" : "s");
        if (h->skipped > 0 && h->paused > 0)
                strbuf_printf(b, " (%u skipped, %u paused)", h->skipped, h->paused);
        else if (h->skipped > 0 || h->paused > 0)
                strbuf_printf(b, " (%u %s)", h->skipped + h->paused, h->skipped > 0 ? "skipped" : "paused");
        strbuf_printf(b, ", adherence %s, streak %u (longest %u)%s", report_percent(h, percent),
                      h->history.current_streak, h->history.longest_streak, separator);
        if (isfinite(h->history.strength))
                strbuf_printf(b, "strength %.2f", report_round(h->history.strength, 100.0));
        else
                strbuf_puts(b, "strength unknown");
        if (h->history.has_last_done)
                strbuf_printf(b, ", last done %s", report_day_human(h->history.last_done, day));
        if (h->status != HABIT_OK)
                strbuf_printf(b, ", now %s", habit_status_to_string(h->status));
}

/* "Goals: 3 of 6 achieved, 1 dropped, 2 open" */
char *report_goals_summary(const Report *r, char buf[static REPORT_SUMMARY_MAX]) {
        ReportGoalCounts c = report_goal_counts(r);

        if (c.set == 0)
                snprintf(buf, REPORT_SUMMARY_MAX, "Goals: none were set");
        else
                snprintf(buf, REPORT_SUMMARY_MAX, "Goals: %u of %u achieved, %u dropped, %u open", c.achieved, c.set,
                         c.dropped, c.open);
        return buf;
}

/* "achieved: Read 12 books (Sun 5 Nov 2023)" */
void report_buf_goal(StrBuf *b, ReportFormat f, const ReportGoal *g) {
        const char *status = goal_status_to_string(g->status);
        char day[REPORT_DAY_MAX];

        if (f == REPORT_MARKDOWN)
                strbuf_printf(b, "**%s**: ", status ? status : "open");
        else
                strbuf_printf(b, "%s: ", status ? status : "open");
        report_buf_user(b, f, g->text);
        if (g->status == GOAL_OPEN || !g->closed)
                strbuf_printf(b, " (set %s)", report_day_human(g->created, day));
        else
                strbuf_printf(b, " (%s)", report_day_human(g->closed_day, day));
        if (g->status == GOAL_DROPPED && g->reason && *g->reason) {
                strbuf_puts(b, "; reason: ");
                report_buf_user(b, f, g->reason);
        }
}

/* Held: kept at least once in the range and never lapsed. A habit paused
 * throughout shows under Pauses, one not started yet only in the strips:
 * "held" with nothing met would be praise for nothing. */
bool report_habit_held(const HabitView *rh) {
        const HabitView *h = rh;
        return h->n_lapses == 0 && h->met > 0;
}

static const char *report_note_verb(HabitNoteKind k) {
        switch (k) {
        case NOTE_SKIP:
                return "skipped";
        case NOTE_PAUSE:
                return "paused";
        default:
                return "checked in";
        }
}

void report_buf_note(StrBuf *b, ReportFormat f, const HabitNote *n) {
        char day[REPORT_DAY_MAX];

        strbuf_printf(b, "%s, %s: ", report_day_human(n->day, day), report_note_verb(n->kind));
        report_buf_user(b, f, n->text);
}

bool report_has_notes(const Report *r) {
        for (size_t i = 0; i < r->n_habits; i++)
                if (r->habits[i].n_notes > 0)
                        return true;
        return false;
}

/* ---- The half-year template ---- */

static void report_comment_held(StrBuf *b, const Report *r) {
        char percent[REPORT_PERCENT_MAX];
        bool any = false;

        strbuf_puts(b, "# Held:");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *rh = &r->habits[i];
                const HabitView *h = rh;
                double a;

                if (!report_habit_held(rh))
                        continue;
                strbuf_puts(b, any ? ", " : " ");
                report_buf_user(b, REPORT_TEXT, rh->input->name);
                if (report_adherence(h, &a))
                        strbuf_printf(b, " %s", report_percent(h, percent));
                else
                        strbuf_printf(b, " (%s)", habit_status_to_string(h->status));
                any = true;
        }
        strbuf_puts(b, any ? "\n" : " none\n");
}

char *report_template_comment(const Report *r) {
        char from[DATE_STR_MAX], to[DATE_STR_MAX], summary[REPORT_SUMMARY_MAX];
        StrBuf b = {};
        bool any = false;

        if (!r)
                return NULL;
        strbuf_printf(&b, "# Lapse report %s - %s\n#\n", date_format(r->from, from), date_format(r->to, to));
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitView *h = &r->habits[i];

                for (size_t j = 0; j < h->n_lapses; j++, any = true) {
                        strbuf_puts(&b, "# ");
                        report_buf_lapse(&b, REPORT_TEXT, &r->habits[i], &h->lapses[j]);
                        strbuf_puts(&b, "\n");
                }
        }
        if (!any)
                strbuf_puts(&b, "# No habit lapsed.\n");
        for (size_t i = 0; i < r->n_habits; i++)
                for (size_t j = 0; j < r->habits[i].n_pauses; j++) {
                        strbuf_puts(&b, "# ");
                        report_buf_pause(&b, REPORT_TEXT, &r->habits[i], r->habits[i].pauses[j]);
                        strbuf_puts(&b, "\n");
                }
        report_comment_held(&b, r);
        strbuf_printf(&b, "# %s\n", report_goals_summary(r, summary));
        return strbuf_finish(&b);
}

/* "2020, 2022 and 2023", oldest first from the newest-first list. */
static void put_years(StrBuf *b, const int *years, size_t n) {
        for (size_t i = n; i-- > 0;)
                strbuf_printf(b, "%s%d", i == n - 1 ? "" : i == 0 ? " and " : ", ", years[i]);
}

void report_theme_sentence(StrBuf *b, const Theme *t) {
        char day[DATE_STR_MAX];
        strbuf_printf(b, "You have written about *%s* in ", t->term);
        put_years(b, t->years, t->n_years);
        strbuf_puts(b, " (");
        for (size_t k = 0; k < t->n_days && k < 5; k++)
                strbuf_printf(b, "%s%s", k ? ", " : "", date_format(t->days[k], day));
        strbuf_printf(b, "%s): lookback search %s", t->n_days > 5 ? ", …" : "", t->term);
}
