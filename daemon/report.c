/* The lapse report's renderers: JSON, text, Markdown, HTML and the '#'
 * comment lines of the half-year template, all from one Report.
 *
 * Pure: every number comes in already computed (lapse.h); this file only
 * words and lays it out. It links against date.c and jansson alone, so the
 * few names it needs from lapse.c and config.c (fate, status, "2 weeks")
 * have small private equivalents here. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A cap on one rendered report. 10 years of daily periods for 30 habits as
 * HTML is about 30 MB; anything past this is a runaway, not a report. */
#define REPORT_SIZE_MAX (256U * 1024U * 1024U)
/* "Mon 21 Aug 2023" plus NUL, with room for any int year. */
#define REPORT_DAY_MAX 32
/* "4294967295 months" plus NUL. */
#define REPORT_EVERY_MAX CADENCE_TEXT_MAX
/* "100.0%" or "n/a" plus NUL, with room to spare. */
#define REPORT_PERCENT_MAX 16
/* "Goals: 4294967295 of ..." four times over, plus NUL. */
#define REPORT_SUMMARY_MAX 96
/* Strip cells per text line: a year of weeks still fits in 80 columns. */
#define REPORT_STRIP_WRAP 52

/* The HTML heatmap's geometry, in SVG user units (CSS pixels at 1:1). */
#define REPORT_CELL        12
#define REPORT_STEP        15
#define REPORT_ROW_CELLS   27 /* cells per row for longer periods: the weeks of a half-year */
#define REPORT_ROW_LABEL   64
#define REPORT_GRID_WEEKS  27 /* week columns per block for daily habits: half a year */
#define REPORT_GRID_LABEL  30
#define REPORT_GRID_MONTHS 14

/* The renderers append to one of these. An allocation failure is sticky:
 * later appends do nothing and report_buf_finish() returns NULL, so the
 * layout code reads as layout instead of a check after every line. */
typedef struct {
        char *data;
        size_t len;
        size_t size;
        bool oom;
} ReportBuf;

typedef struct {
        unsigned set, achieved, dropped, open;
} ReportGoalCounts;

static const char *const report_weekday_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const report_month_names[12] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char *const report_format_table[_REPORT_FORMAT_MAX] = {
        [REPORT_TEXT] = "text",
        [REPORT_MARKDOWN] = "markdown",
        [REPORT_JSON] = "json",
        [REPORT_HTML] = "html",
};

static const char *const report_goal_status_table[] = {
        [GOAL_OPEN] = "open",
        [GOAL_ACHIEVED] = "achieved",
        [GOAL_DROPPED] = "dropped",
};

/* What a habit that never started reads as: no periods, status new. */
static const HabitReport report_not_started = { .status = HABIT_NEW };

static bool report_buf_reserve(ReportBuf *b, size_t extra) {
        size_t need, size;
        char *p;

        if (b->oom)
                return false;
        if (extra > REPORT_SIZE_MAX - b->len) {
                b->oom = true;
                return false;
        }
        need = b->len + extra + 1;
        if (need <= b->size)
                return true;
        size = b->size > 0 ? b->size : 256;
        while (size < need)
                size *= 2;
        p = realloc(b->data, size);
        if (!p) {
                b->oom = true;
                return false;
        }
        b->data = p;
        b->size = size;
        return true;
}

static void report_buf_add(ReportBuf *b, const char *s, size_t n) {
        if (!report_buf_reserve(b, n))
                return;
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
}

static void report_buf_puts(ReportBuf *b, const char *s) {
        report_buf_add(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void report_buf_printf(ReportBuf *b, const char *fmt, ...) {
        va_list ap;
        int n;

        if (b->oom)
                return;
        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
                b->oom = true;
                return;
        }
        if (!report_buf_reserve(b, (size_t) n))
                return;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t) n;
}

/* Hands the string over, or frees it and returns NULL if any append failed. */
static char *report_buf_finish(ReportBuf *b) {
        if (!report_buf_reserve(b, 0)) {
                free(b->data);
                *b = (ReportBuf){};
                return NULL;
        }
        b->data[b->len] = '\0'; /* nothing may have been appended yet */
        return TAKE_PTR(b->data);
}

static const char *report_html_entity(unsigned char c) {
        switch (c) {
        case '&':
                return "&amp;";
        case '<':
                return "&lt;";
        case '>':
                return "&gt;";
        case '"':
                return "&quot;";
        case '\'':
                return "&#39;";
        default:
                return NULL;
        }
}

/* All user text (habit names, goals, reasons) goes through here. Control
 * characters become spaces in every format, so a reason cannot end a '#'
 * comment line or a list item early, nor send a terminal escape; Markdown
 * and HTML get their special characters escaped as well. */
static void report_buf_user(ReportBuf *b, ReportFormat f, const char *s) {
        for (; s && *s; s++) {
                unsigned char c = (unsigned char) *s;
                const char *entity = f == REPORT_HTML ? report_html_entity(c) : NULL;

                if (c < 0x20 || c == 0x7f)
                        report_buf_add(b, " ", 1);
                else if (entity)
                        report_buf_puts(b, entity);
                else {
                        if (f == REPORT_MARKDOWN && strchr("\\`*_[]<>#|!&~", c))
                                report_buf_add(b, "\\", 1);
                        report_buf_add(b, s, 1);
                }
        }
}

/* A habit's name as the lead of a line: bold where the format has bold. */
static void report_buf_name(ReportBuf *b, ReportFormat f, const char *name) {
        if (f == REPORT_MARKDOWN)
                report_buf_puts(b, "**");
        else if (f == REPORT_HTML)
                report_buf_puts(b, "<strong>");
        report_buf_user(b, f, name);
        if (f == REPORT_MARKDOWN)
                report_buf_puts(b, "**");
        else if (f == REPORT_HTML)
                report_buf_puts(b, "</strong>");
}

/* "Mon 21 Aug 2023": English on purpose, like date.c's labels. */
static char *report_day_human(day_t day, char buf[static REPORT_DAY_MAX]) {
        int year, month, mday;

        date_to_ymd(day, &year, &month, &mday);
        snprintf(buf, REPORT_DAY_MAX, "%s %d %s %d", report_weekday_names[date_weekday(day)], mday,
                 report_month_names[month - 1], year);
        return buf;
}

static char *report_every_format(Every e, char buf[static REPORT_EVERY_MAX]) {
        return every_format(e, buf, REPORT_EVERY_MAX);
}

/* "19 weeks", "1 month", "3 periods of 2 weeks": a count of a habit's periods. */
static void report_buf_periods(ReportBuf *b, unsigned count, Every e) {
        char every[REPORT_EVERY_MAX];

        if (e.n == 1)
                report_buf_printf(b, "%u %s%s", count, report_every_format(e, every), count == 1 ? "" : "s");
        else
                report_buf_printf(b, "%u period%s of %s", count, count == 1 ? "" : "s", report_every_format(e, every));
}

static const char *report_fate_name(PeriodFate f) {
        switch (f) {
        case PERIOD_MET:
                return "met";
        case PERIOD_SKIPPED:
                return "skipped";
        case PERIOD_PAUSED:
                return "paused";
        case PERIOD_MISSED:
                return "missed";
        case PERIOD_OPEN:
                return "open";
        }
        return "unknown";
}

static const char *report_fate_cell(PeriodFate f) {
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
        }
        return "?";
}

static const char *report_status_name(HabitStatus s) {
        switch (s) {
        case HABIT_OK:
                return "ok";
        case HABIT_AT_RISK:
                return "at-risk";
        case HABIT_LAPSED:
                return "lapsed";
        case HABIT_PAUSED:
                return "paused";
        case HABIT_NEW:
                return "new";
        }
        return "unknown";
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

/* lapse.h sets nothing but `started` for a habit that has not started, so
 * its arrays and counts are never read; a missing report reads the same. */
static const HabitReport *report_habit_data(const ReportHabit *rh) {
        return rh->report && rh->report->started ? rh->report : &report_not_started;
}

static unsigned report_finished(const HabitReport *h) {
        return h->met + h->missed + h->skipped + h->paused;
}

/* Adherence is null without a met or missed period; a NaN from a caller's
 * bug reads as null too rather than as "nan". */
static bool report_adherence(const HabitReport *h, double *ret) {
        if (!h->has_adherence || !isfinite(h->adherence))
                return false;
        *ret = h->adherence;
        return true;
}

static double report_round(double x, double scale) {
        return round(x * scale) / scale;
}

/* "29.6%", "100%", "n/a". */
static char *report_percent(const HabitReport *h, char buf[static REPORT_PERCENT_MAX]) {
        double a, tenths;

        if (!report_adherence(h, &a)) {
                snprintf(buf, REPORT_PERCENT_MAX, "n/a");
                return buf;
        }
        tenths = report_round(a * 100.0, 10.0);
        snprintf(buf, REPORT_PERCENT_MAX, tenths == floor(tenths) ? "%.0f%%" : "%.1f%%", tenths);
        return buf;
}

static bool report_lapse_covers(const Lapse *l, Period p) {
        return p.start <= (l->ongoing ? INT32_MAX : l->to) && p.end >= l->from;
}

static bool report_pause_covers(const LapsePause *pause, Period p) {
        return p.start <= pause->to && p.end >= pause->from;
}

static ReportGoalCounts report_goal_counts(const Report *r) {
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

static void report_buf_strip(ReportBuf *b, const HabitReport *h, const char *wrap_indent) {
        for (size_t i = 0; i < h->n_periods; i++) {
                if (wrap_indent && i > 0 && i % REPORT_STRIP_WRAP == 0) {
                        report_buf_puts(b, "\n");
                        report_buf_puts(b, wrap_indent);
                }
                report_buf_puts(b, report_fate_cell(h->periods[i].fate));
        }
}

char *report_strip(const HabitReport *h) {
        ReportBuf b = {};

        if (h && h->started)
                report_buf_strip(&b, h, NULL);
        return report_buf_finish(&b);
}

/* ---- JSON ---- */

static json_t *report_json_day(day_t day) {
        char buf[DATE_STR_MAX];
        return json_string(date_format(day, buf));
}

static json_t *report_json_lapses(const HabitReport *h) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < h->n_lapses; i++) {
                const Lapse *l = &h->lapses[i];
                json_t *o =
                        json_pack("{s:o, s:o, s:I}", "from", report_json_day(l->from), "to",
                                  l->ongoing ? json_null() : report_json_day(l->to), "missed", (json_int_t) l->missed);
                if (json_array_append_new(a, o) < 0)
                        a = (json_decref(a), NULL);
        }
        return a;
}

static json_t *report_json_pauses(const ReportHabit *rh) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < rh->n_pauses; i++) {
                const LapsePause *p = &rh->pauses[i];
                json_t *o = json_pack("{s:o, s:o, s:o}", "from", report_json_day(p->from), "to",
                                      p->to == LAPSE_OPEN_END ? json_null() : report_json_day(p->to), "reason",
                                      p->reason ? json_string(p->reason) : json_null());
                if (json_array_append_new(a, o) < 0)
                        a = (json_decref(a), NULL);
        }
        return a;
}

static json_t *report_json_adherence(const HabitReport *h) {
        double a;
        return report_adherence(h, &a) ? json_real(report_round(a, 1000.0)) : json_null();
}

/* A NaN strength is a caller's bug; null says "unknown" where 0 would lie. */
static json_t *report_json_strength(const HabitReport *h) {
        return isfinite(h->strength) ? json_real(report_round(h->strength, 100.0)) : json_null();
}

static json_t *report_json_habit(const ReportHabit *rh) {
        const HabitReport *h = report_habit_data(rh);
        char every[REPORT_EVERY_MAX];
        _cleanup_free_ char *strip = report_strip(h);

        if (!strip)
                return NULL;
        /* One key and its value a line, which clang-format would interleave. */
        /* clang-format off */
        return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:o, s:s, s:o, s:o, s:o, s:s}",
                "name", rh->name ? rh->name : "",
                "every", report_every_format(rh->every, every),
                "times", (json_int_t) rh->times,
                "periods", (json_int_t) report_finished(h),
                "met", (json_int_t) h->met,
                "missed", (json_int_t) h->missed,
                "skipped", (json_int_t) h->skipped,
                "paused", (json_int_t) h->paused,
                "adherence", report_json_adherence(h),
                "strength", report_json_strength(h),
                "current_streak", (json_int_t) h->current_streak,
                "longest_streak", (json_int_t) h->longest_streak,
                "last_done", h->has_last_done ? report_json_day(h->last_done) : json_null(),
                "status", report_status_name(h->status),
                "lapsed_since", h->lapsed ? report_json_day(h->lapsed_since) : json_null(),
                "lapses", report_json_lapses(h),
                "pauses", report_json_pauses(rh),
                "strip", strip);
        /* clang-format on */
}

static json_t *report_json_goal(const ReportGoal *g) {
        const char *status = goal_status_to_string(g->status);
        json_t *o;

        o = json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", g->id ? g->id : "", "text", g->text ? g->text : "", "status",
                      status ? status : "open", "created", report_json_day(g->created), "closed",
                      g->closed ? report_json_day(g->closed_day) : json_null());
        if (o && g->status == GOAL_DROPPED &&
            json_object_set_new(o, "reason", g->reason ? json_string(g->reason) : json_null()) < 0)
                o = (json_decref(o), NULL);
        return o;
}

static json_t *report_json_habits(const Report *r) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < r->n_habits; i++)
                if (json_array_append_new(a, report_json_habit(&r->habits[i])) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

static json_t *report_json_goals(const Report *r) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < r->n_goals; i++)
                if (json_array_append_new(a, report_json_goal(&r->goals[i])) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

json_t *report_json(const Report *r) {
        ReportGoalCounts c;

        if (!r)
                return NULL;
        c = report_goal_counts(r);
        /* json_pack() takes each "o" reference even when it fails, so a NULL
         * from an allocation above fails the pack without leaking the rest. */
        return json_pack("{s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "from", report_json_day(r->from), "to",
                         report_json_day(r->to), "habits", report_json_habits(r), "goals", report_json_goals(r),
                         "goals_summary", "set", (json_int_t) c.set, "achieved", (json_int_t) c.achieved, "dropped",
                         (json_int_t) c.dropped, "open", (json_int_t) c.open);
}

/* ---- Sentences shared by text, Markdown, HTML and the template ---- */

/* "weekly-review: lapsed since Mon 21 Aug 2023, 19 weeks missed (ongoing)" */
static void report_buf_lapse(ReportBuf *b, ReportFormat f, const ReportHabit *rh, const Lapse *l) {
        char from[REPORT_DAY_MAX], to[REPORT_DAY_MAX];

        report_buf_name(b, f, rh->name);
        if (l->ongoing)
                report_buf_printf(b, ": lapsed since %s, ", report_day_human(l->from, from));
        else
                report_buf_printf(b, ": lapsed from %s to %s, ", report_day_human(l->from, from),
                                  report_day_human(l->to, to));
        report_buf_periods(b, l->missed, rh->every);
        report_buf_puts(b, l->ongoing ? " missed (ongoing)" : " missed");
}

/* "tennis: paused since Mon 29 May 2023 (ongoing); reason: torn ligament".
 * A pause is a decision with a reason, so it is worded as one, never as a
 * failure. */
static void report_buf_pause(ReportBuf *b, ReportFormat f, const ReportHabit *rh, const LapsePause *p) {
        char from[REPORT_DAY_MAX], to[REPORT_DAY_MAX];

        report_buf_name(b, f, rh->name);
        if (p->to == LAPSE_OPEN_END)
                report_buf_printf(b, ": paused since %s (ongoing)", report_day_human(p->from, from));
        else
                report_buf_printf(b, ": paused from %s to %s", report_day_human(p->from, from),
                                  report_day_human(p->to, to));
        if (p->reason && *p->reason) {
                report_buf_puts(b, "; reason: ");
                report_buf_user(b, f, p->reason);
        }
}

/* "met 6 of 6 periods, adherence 100%, streak 6 (longest 6)" @separator
 * "strength 0.88, last done ...": text breaks the line there to stay
 * within 80 columns, the other formats leave wrapping to the reader. */
static void report_buf_numbers(ReportBuf *b, const HabitReport *h, const char *separator) {
        char percent[REPORT_PERCENT_MAX], day[REPORT_DAY_MAX];
        unsigned finished = report_finished(h);

        if (!h->started) {
                report_buf_puts(b, "not started yet");
                return;
        }
        report_buf_printf(b, "met %u of %u period%s", h->met, finished, finished == 1 ? "" : "s");
        if (h->skipped > 0 && h->paused > 0)
                report_buf_printf(b, " (%u skipped, %u paused)", h->skipped, h->paused);
        else if (h->skipped > 0 || h->paused > 0)
                report_buf_printf(b, " (%u %s)", h->skipped + h->paused, h->skipped > 0 ? "skipped" : "paused");
        report_buf_printf(b, ", adherence %s, streak %u (longest %u)%s", report_percent(h, percent), h->current_streak,
                          h->longest_streak, separator);
        if (isfinite(h->strength))
                report_buf_printf(b, "strength %.2f", report_round(h->strength, 100.0));
        else
                report_buf_puts(b, "strength unknown");
        if (h->has_last_done)
                report_buf_printf(b, ", last done %s", report_day_human(h->last_done, day));
        if (h->status != HABIT_OK)
                report_buf_printf(b, ", now %s", report_status_name(h->status));
}

/* "Goals: 3 of 6 achieved, 1 dropped, 2 open" */
static char *report_goals_summary(const Report *r, char buf[static REPORT_SUMMARY_MAX]) {
        ReportGoalCounts c = report_goal_counts(r);

        if (c.set == 0)
                snprintf(buf, REPORT_SUMMARY_MAX, "Goals: none were set");
        else
                snprintf(buf, REPORT_SUMMARY_MAX, "Goals: %u of %u achieved, %u dropped, %u open", c.achieved, c.set,
                         c.dropped, c.open);
        return buf;
}

/* "achieved: Read 12 books (Sun 5 Nov 2023)" */
static void report_buf_goal(ReportBuf *b, ReportFormat f, const ReportGoal *g) {
        const char *status = goal_status_to_string(g->status);
        char day[REPORT_DAY_MAX];

        if (f == REPORT_MARKDOWN)
                report_buf_printf(b, "**%s**: ", status ? status : "open");
        else
                report_buf_printf(b, "%s: ", status ? status : "open");
        report_buf_user(b, f, g->text);
        if (g->status == GOAL_OPEN || !g->closed)
                report_buf_printf(b, " (set %s)", report_day_human(g->created, day));
        else
                report_buf_printf(b, " (%s)", report_day_human(g->closed_day, day));
        if (g->status == GOAL_DROPPED && g->reason && *g->reason) {
                report_buf_puts(b, "; reason: ");
                report_buf_user(b, f, g->reason);
        }
}

/* Held: kept at least once in the range and never lapsed. A habit paused
 * throughout shows under Pauses, one not started yet only in the strips:
 * "held" with nothing met would be praise for nothing. */
static bool report_habit_held(const ReportHabit *rh) {
        const HabitReport *h = report_habit_data(rh);
        return h->n_lapses == 0 && h->met > 0;
}

/* ---- Text and Markdown ---- */

static void report_text_heading(ReportBuf *b, ReportFormat f, const char *title) {
        size_t len = strlen(title);

        if (f == REPORT_MARKDOWN) {
                report_buf_printf(b, "\n## %s\n\n", title);
                return;
        }
        report_buf_printf(b, "\n%s\n", title);
        for (size_t i = 0; i < len; i++)
                report_buf_puts(b, "-");
        report_buf_puts(b, "\n");
}

static void report_text_item(ReportBuf *b, ReportFormat f) {
        report_buf_puts(b, f == REPORT_MARKDOWN ? "- " : "  ");
}

/* A second line under an item: a nested bullet in Markdown. */
static void report_text_subitem(ReportBuf *b, ReportFormat f) {
        report_buf_puts(b, f == REPORT_MARKDOWN ? "  - " : "    ");
}

static void report_text_lapses(ReportBuf *b, const Report *r, ReportFormat f) {
        bool any = false;

        report_text_heading(b, f, "Lapses");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitReport *h = report_habit_data(&r->habits[i]);

                if (h->n_lapses == 0)
                        continue;
                report_text_item(b, f);
                for (size_t j = 0; j < h->n_lapses; j++) {
                        if (j > 0)
                                report_buf_puts(b, f == REPORT_MARKDOWN ? "\n- " : "\n  ");
                        report_buf_lapse(b, f, &r->habits[i], &h->lapses[j]);
                }
                report_buf_puts(b, "\n");
                report_text_subitem(b, f);
                report_buf_numbers(b, h, f == REPORT_MARKDOWN ? ", " : "\n    ");
                report_buf_puts(b, "\n");
                any = true;
        }
        if (!any)
                report_buf_puts(b, f == REPORT_MARKDOWN ? "No habit lapsed.\n" : "  No habit lapsed.\n");
}

static void report_text_pauses(ReportBuf *b, const Report *r, ReportFormat f) {
        bool any = false;

        report_text_heading(b, f, "Pauses");
        for (size_t i = 0; i < r->n_habits; i++)
                for (size_t j = 0; j < r->habits[i].n_pauses; j++) {
                        report_text_item(b, f);
                        report_buf_pause(b, f, &r->habits[i], &r->habits[i].pauses[j]);
                        report_buf_puts(b, "\n");
                        any = true;
                }
        if (!any)
                report_buf_puts(b, f == REPORT_MARKDOWN ? "No pauses.\n" : "  No pauses.\n");
}

static void report_text_held(ReportBuf *b, const Report *r, ReportFormat f) {
        char every[REPORT_EVERY_MAX];
        bool any = false;

        report_text_heading(b, f, "Habits that held");
        for (size_t i = 0; i < r->n_habits; i++) {
                const ReportHabit *rh = &r->habits[i];
                const HabitReport *h = report_habit_data(rh);

                if (!report_habit_held(rh))
                        continue;
                report_text_item(b, f);
                report_buf_name(b, f, rh->name);
                report_buf_printf(b, " (every %s)", report_every_format(rh->every, every));
                if (f == REPORT_MARKDOWN)
                        report_buf_puts(b, ": ");
                else
                        report_buf_puts(b, "\n    ");
                report_buf_numbers(b, h, f == REPORT_MARKDOWN ? ", " : "\n    ");
                report_buf_puts(b, f == REPORT_MARKDOWN ? "\n  `" : "\n    ");
                report_buf_strip(b, h, f == REPORT_MARKDOWN ? NULL : "    ");
                report_buf_puts(b, f == REPORT_MARKDOWN ? "`\n" : "\n");
                any = true;
        }
        if (!any)
                report_buf_puts(b, f == REPORT_MARKDOWN ? "None held without a lapse.\n"
                                                        : "  None held without a lapse.\n");
}

static size_t report_name_width(const Report *r) {
        size_t width = 0;

        for (size_t i = 0; i < r->n_habits; i++)
                if (r->habits[i].name && strlen(r->habits[i].name) > width)
                        width = strlen(r->habits[i].name);
        return width < CONFIG_HABIT_NAME_MAX ? width : CONFIG_HABIT_NAME_MAX;
}

static void report_text_strips(ReportBuf *b, const Report *r, ReportFormat f) {
        size_t width = report_name_width(r);
        char indent[CONFIG_HABIT_NAME_MAX + 8];

        /* Wrapped strip lines start under the first cell. */
        memset(indent, ' ', width + 4);
        indent[width + 4] = '\0';
        report_text_heading(b, f, "Strips");
        if (f == REPORT_MARKDOWN)
                report_buf_puts(b, "Legend: `█` met, `░` missed, `·` skipped, `-` paused, blank: open.\n\n");
        else
                report_buf_puts(b, "  █ met  ░ missed  · skipped  - paused  (blank) open\n\n");
        for (size_t i = 0; i < r->n_habits; i++) {
                const ReportHabit *rh = &r->habits[i];
                size_t len = rh->name ? strlen(rh->name) : 0;

                report_text_item(b, f);
                report_buf_name(b, f, rh->name);
                if (f == REPORT_MARKDOWN)
                        report_buf_puts(b, " `");
                else
                        report_buf_printf(b, "%*s", (int) (len < width ? width - len + 2 : 2), "");
                report_buf_strip(b, report_habit_data(rh), f == REPORT_MARKDOWN ? NULL : indent);
                report_buf_puts(b, f == REPORT_MARKDOWN ? "`\n" : "\n");
        }
        if (r->n_habits == 0)
                report_buf_puts(b, f == REPORT_MARKDOWN ? "No habits.\n" : "  No habits.\n");
}

static void report_text_goals(ReportBuf *b, const Report *r, ReportFormat f) {
        char summary[REPORT_SUMMARY_MAX];

        report_text_heading(b, f, report_goals_summary(r, summary));
        for (size_t i = 0; i < r->n_goals; i++) {
                report_text_item(b, f);
                report_buf_goal(b, f, &r->goals[i]);
                report_buf_puts(b, "\n");
        }
}

static void report_text(ReportBuf *b, const Report *r, ReportFormat f) {
        char from[DATE_STR_MAX], to[DATE_STR_MAX];

        report_buf_printf(b, "%sLapse report %s - %s\n", f == REPORT_MARKDOWN ? "# " : "", date_format(r->from, from),
                          date_format(r->to, to));
        report_text_lapses(b, r, f);
        report_text_pauses(b, r, f);
        report_text_held(b, r, f);
        report_text_strips(b, r, f);
        report_text_goals(b, r, f);
}

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

static void report_html_head(ReportBuf *b, const Report *r) {
        char from[DATE_STR_MAX], to[DATE_STR_MAX];

        date_format(r->from, from);
        date_format(r->to, to);
        report_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        report_buf_printf(b, "<title>Lapse report %s – %s</title>\n<style>\n", from, to);
        report_buf_puts(b, report_html_style);
        report_buf_printf(b, "</style>\n</head>\n<body>\n<h1>Lapse report %s – %s</h1>\n", from, to);
}

static void report_html_lapses(ReportBuf *b, const Report *r) {
        bool any = false;

        report_buf_puts(b, "<h2>Lapses</h2>\n");
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitReport *h = report_habit_data(&r->habits[i]);

                for (size_t j = 0; j < h->n_lapses; j++) {
                        report_buf_puts(b, any ? "<li>" : "<ul class=\"lapses\">\n<li>");
                        report_buf_lapse(b, REPORT_HTML, &r->habits[i], &h->lapses[j]);
                        if (j + 1 == h->n_lapses) {
                                report_buf_puts(b, "<br><span class=\"numbers\">");
                                report_buf_numbers(b, h, ", ");
                                report_buf_puts(b, "</span>");
                        }
                        report_buf_puts(b, "</li>\n");
                        any = true;
                }
        }
        report_buf_puts(b, any ? "</ul>\n" : "<p>No habit lapsed.</p>\n");
}

static void report_html_pauses(ReportBuf *b, const Report *r) {
        bool any = false;

        report_buf_puts(b, "<h2>Pauses</h2>\n");
        for (size_t i = 0; i < r->n_habits; i++)
                for (size_t j = 0; j < r->habits[i].n_pauses; j++) {
                        report_buf_puts(b, any ? "<li>" : "<ul class=\"pauses\">\n<li>");
                        report_buf_pause(b, REPORT_HTML, &r->habits[i], &r->habits[i].pauses[j]);
                        report_buf_puts(b, "</li>\n");
                        any = true;
                }
        report_buf_puts(b, any ? "</ul>\n" : "<p>No pauses.</p>\n");
}

static void report_html_held(ReportBuf *b, const Report *r) {
        char every[REPORT_EVERY_MAX];
        bool any = false;

        report_buf_puts(b, "<h2>Habits that held</h2>\n");
        for (size_t i = 0; i < r->n_habits; i++) {
                const ReportHabit *rh = &r->habits[i];

                if (!report_habit_held(rh))
                        continue;
                report_buf_puts(b, any ? "<li>" : "<ul class=\"held\">\n<li>");
                report_buf_name(b, REPORT_HTML, rh->name);
                report_buf_printf(b, " (every %s): <span class=\"numbers\">", report_every_format(rh->every, every));
                report_buf_numbers(b, report_habit_data(rh), ", ");
                report_buf_puts(b, "</span></li>\n");
                any = true;
        }
        report_buf_puts(b, any ? "</ul>\n" : "<p>None held without a lapse.</p>\n");
}

/* One period's cell with its tooltip. Its CSS classes are its fate plus
 * whether a lapse or a pause covers it, which is how both are shaded. */
static void report_html_cell(ReportBuf *b, const ReportHabit *rh, const HabitReport *h, const HabitPeriod *p,
                             unsigned x, unsigned y) {
        char start[REPORT_DAY_MAX], end[REPORT_DAY_MAX];
        bool in_lapse = false, in_pause = false;

        for (size_t i = 0; i < h->n_lapses && !in_lapse; i++)
                in_lapse = report_lapse_covers(&h->lapses[i], p->period);
        for (size_t i = 0; i < rh->n_pauses && !in_pause; i++)
                in_pause = report_pause_covers(&rh->pauses[i], p->period);
        report_buf_printf(b,
                          "<rect class=\"cell %s%s%s\" x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" rx=\"2\"><title>",
                          report_fate_name(p->fate), in_lapse ? " in-lapse" : "", in_pause ? " in-pause" : "", x, y,
                          REPORT_CELL, REPORT_CELL);
        report_buf_puts(b, report_day_human(p->period.start, start));
        if (p->period.end != p->period.start)
                report_buf_printf(b, " – %s", report_day_human(p->period.end, end));
        report_buf_printf(b, ": %s, %u check-in%s%s%s</title></rect>\n", report_fate_name(p->fate), p->checkins,
                          p->checkins == 1 ? "" : "s", in_lapse ? "; in a lapse" : "",
                          in_pause ? "; during a pause" : "");
}

/* The margin keeps the outline of a lapse or pause cell on the edge from
 * being clipped. */
static void report_html_svg_open(ReportBuf *b, const ReportHabit *rh, unsigned width, unsigned height) {
        report_buf_printf(b,
                          "<svg class=\"heatmap\" viewBox=\"-2 -2 %u %u\" width=\"%u\" height=\"%u\" role=\"img\" "
                          "aria-label=\"",
                          width + 4, height + 4, width + 4, height + 4);
        report_buf_user(b, REPORT_HTML, rh->name);
        report_buf_puts(b, ": one cell per period\">\n");
}

/* Daily habits: GitHub's calendar, a column per week (Monday first) and a
 * row per weekday, in blocks of half a year so a phone can still read it. */
static void report_html_grid(ReportBuf *b, const ReportHabit *rh, const HabitReport *h) {
        day_t origin = h->periods[0].period.start - date_weekday(h->periods[0].period.start);
        unsigned columns = (unsigned) ((h->periods[h->n_periods - 1].period.start - origin) / 7) + 1;
        unsigned blocks = (columns + REPORT_GRID_WEEKS - 1) / REPORT_GRID_WEEKS;
        unsigned block_height = REPORT_GRID_MONTHS + 7 * REPORT_STEP + 6;
        unsigned shown = columns < REPORT_GRID_WEEKS ? columns : REPORT_GRID_WEEKS;

        report_html_svg_open(b, rh, REPORT_GRID_LABEL + shown * REPORT_STEP, blocks * block_height);
        for (unsigned k = 0; k < blocks; k++)
                for (int row = 0; row < 7; row += 2)
                        report_buf_printf(b, "<text x=\"0\" y=\"%u\">%s</text>\n",
                                          k * block_height + REPORT_GRID_MONTHS + (unsigned) row * REPORT_STEP + 10,
                                          report_weekday_names[row]);
        for (size_t i = 0; i < h->n_periods; i++) {
                day_t day = h->periods[i].period.start;
                unsigned column = (unsigned) ((day - origin) / 7), top = column / REPORT_GRID_WEEKS * block_height;
                unsigned x = REPORT_GRID_LABEL + column % REPORT_GRID_WEEKS * REPORT_STEP;
                int year, month, mday;

                date_to_ymd(day, &year, &month, &mday);
                if (mday == 1 || i == 0)
                        report_buf_printf(b, "<text x=\"%u\" y=\"%u\">%s</text>\n", x, top + 10,
                                          report_month_names[month - 1]);
                report_html_cell(b, rh, h, &h->periods[i], x,
                                 top + REPORT_GRID_MONTHS + (unsigned) date_weekday(day) * REPORT_STEP);
        }
        report_buf_puts(b, "</svg>\n");
}

/* Longer periods: a row of cells, wrapped every REPORT_ROW_CELLS, each row
 * labelled with the month its first period starts in. */
static void report_html_row(ReportBuf *b, const ReportHabit *rh, const HabitReport *h) {
        unsigned rows = (unsigned) ((h->n_periods + REPORT_ROW_CELLS - 1) / REPORT_ROW_CELLS);
        unsigned shown = h->n_periods < REPORT_ROW_CELLS ? (unsigned) h->n_periods : REPORT_ROW_CELLS;

        report_html_svg_open(b, rh, REPORT_ROW_LABEL + shown * REPORT_STEP, rows * REPORT_STEP);
        for (size_t i = 0; i < h->n_periods; i++) {
                unsigned row = (unsigned) (i / REPORT_ROW_CELLS), column = (unsigned) (i % REPORT_ROW_CELLS);
                int year, month, mday;

                if (column == 0) {
                        date_to_ymd(h->periods[i].period.start, &year, &month, &mday);
                        report_buf_printf(b, "<text x=\"0\" y=\"%u\">%s %d</text>\n", row * REPORT_STEP + 10,
                                          report_month_names[month - 1], year);
                }
                report_html_cell(b, rh, h, &h->periods[i], REPORT_ROW_LABEL + column * REPORT_STEP, row * REPORT_STEP);
        }
        report_buf_puts(b, "</svg>\n");
}

static void report_html_heatmap(ReportBuf *b, const ReportHabit *rh, const HabitReport *h) {
        if (h->n_periods == 0) {
                report_html_svg_open(b, rh, 200, REPORT_STEP);
                report_buf_puts(b, "<text x=\"0\" y=\"10\">No periods in this range.</text>\n</svg>\n");
        } else if (rh->every.unit == EVERY_DAY && rh->every.n == 1)
                report_html_grid(b, rh, h);
        else
                report_html_row(b, rh, h);
}

static void report_html_legend(ReportBuf *b) {
        static const struct {
                const char *classes;
                const char *label;
        } items[] = {
                { "met", "met" },          { "missed", "missed" }, { "missed in-lapse", "missed, in a lapse" },
                { "skipped", "skipped" },  { "paused", "paused" }, { "met in-pause", "during a pause" },
                { "open", "in progress" },
        };

        report_buf_puts(b, "<ul class=\"legend\">\n");
        for (size_t i = 0; i < ELEMENTSOF(items); i++)
                report_buf_printf(b,
                                  "<li><svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\">"
                                  "<rect class=\"cell %s\" x=\"1\" y=\"1\" width=\"12\" height=\"12\" rx=\"2\"/>"
                                  "</svg>%s</li>\n",
                                  items[i].classes, items[i].label);
        report_buf_puts(b, "</ul>\n");
}

static void report_html_habits(ReportBuf *b, const Report *r) {
        char every[REPORT_EVERY_MAX];

        report_buf_puts(b, "<h2>Habits</h2>\n");
        if (r->n_habits == 0)
                report_buf_puts(b, "<p>No habits.</p>\n");
        for (size_t i = 0; i < r->n_habits; i++) {
                const ReportHabit *rh = &r->habits[i];
                const HabitReport *h = report_habit_data(rh);

                report_buf_puts(b, "<section class=\"habit\">\n<h3>");
                report_buf_user(b, REPORT_HTML, rh->name);
                report_buf_printf(b, "</h3>\n<p class=\"numbers\">every %s: ", report_every_format(rh->every, every));
                report_buf_numbers(b, h, ", ");
                report_buf_puts(b, "</p>\n");
                report_html_heatmap(b, rh, h);
                report_html_legend(b);
                report_buf_puts(b, "</section>\n");
        }
}

static void report_html_goals(ReportBuf *b, const Report *r) {
        char summary[REPORT_SUMMARY_MAX];

        report_buf_printf(b, "<h2>%s</h2>\n", report_goals_summary(r, summary));
        if (r->n_goals == 0)
                return;
        report_buf_puts(b, "<ul class=\"goals\">\n");
        for (size_t i = 0; i < r->n_goals; i++) {
                const char *status = goal_status_to_string(r->goals[i].status);

                report_buf_printf(b, "<li class=\"goal %s\">", status ? status : "open");
                report_buf_goal(b, REPORT_HTML, &r->goals[i]);
                report_buf_puts(b, "</li>\n");
        }
        report_buf_puts(b, "</ul>\n");
}

static void report_html(ReportBuf *b, const Report *r) {
        report_html_head(b, r);
        report_html_lapses(b, r);
        report_html_pauses(b, r);
        report_html_held(b, r);
        report_html_habits(b, r);
        report_html_goals(b, r);
        report_buf_puts(b, "</body>\n</html>\n");
}

/* The caller dumps report_json() itself for the wire; here the reals get
 * enough digits that 0.296 prints as 0.296, not 0.29599999999999999. */
static char *report_render_json(const Report *r) {
        json_t *j = report_json(r);
        char *s;

        if (!j)
                return NULL;
        s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        json_decref(j);
        return s;
}

char *report_render(const Report *r, ReportFormat format) {
        ReportBuf b = {};

        if (!r)
                return NULL;
        switch (format) {
        case REPORT_TEXT:
        case REPORT_MARKDOWN:
                report_text(&b, r, format);
                break;
        case REPORT_HTML:
                report_html(&b, r);
                break;
        case REPORT_JSON:
                return report_render_json(r);
        default:
                return NULL;
        }
        return report_buf_finish(&b);
}

/* ---- The half-year template ---- */

static void report_comment_held(ReportBuf *b, const Report *r) {
        char percent[REPORT_PERCENT_MAX];
        bool any = false;

        report_buf_puts(b, "# Held:");
        for (size_t i = 0; i < r->n_habits; i++) {
                const ReportHabit *rh = &r->habits[i];
                const HabitReport *h = report_habit_data(rh);
                double a;

                if (!report_habit_held(rh))
                        continue;
                report_buf_puts(b, any ? ", " : " ");
                report_buf_user(b, REPORT_TEXT, rh->name);
                if (report_adherence(h, &a))
                        report_buf_printf(b, " %s", report_percent(h, percent));
                else
                        report_buf_printf(b, " (%s)", report_status_name(h->status));
                any = true;
        }
        report_buf_puts(b, any ? "\n" : " none\n");
}

char *report_template_comment(const Report *r) {
        char from[DATE_STR_MAX], to[DATE_STR_MAX], summary[REPORT_SUMMARY_MAX];
        ReportBuf b = {};
        bool any = false;

        if (!r)
                return NULL;
        report_buf_printf(&b, "# Lapse report %s - %s\n#\n", date_format(r->from, from), date_format(r->to, to));
        for (size_t i = 0; i < r->n_habits; i++) {
                const HabitReport *h = report_habit_data(&r->habits[i]);

                for (size_t j = 0; j < h->n_lapses; j++, any = true) {
                        report_buf_puts(&b, "# ");
                        report_buf_lapse(&b, REPORT_TEXT, &r->habits[i], &h->lapses[j]);
                        report_buf_puts(&b, "\n");
                }
        }
        if (!any)
                report_buf_puts(&b, "# No habit lapsed.\n");
        for (size_t i = 0; i < r->n_habits; i++)
                for (size_t j = 0; j < r->habits[i].n_pauses; j++) {
                        report_buf_puts(&b, "# ");
                        report_buf_pause(&b, REPORT_TEXT, &r->habits[i], &r->habits[i].pauses[j]);
                        report_buf_puts(&b, "\n");
                }
        report_comment_held(&b, r);
        report_buf_printf(&b, "# %s\n", report_goals_summary(r, summary));
        return report_buf_finish(&b);
}
