#include "wording.h"

#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_abbr[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

const char *prompt_summary(ReviewKind kind) {
        return kind == REVIEW_HALFYEAR ? "Half-year review" : "Weekly review";
}

const char *prompt_skip_label(ReviewKind kind) {
        return kind == REVIEW_HALFYEAR ? "Skip this half" : "Skip this week";
}

char *prompt_period_name(ReviewKind kind, Period p, char *buf, size_t size) {
        int y1, m1, d1, y2, m2, d2, iso_year, week;
        date_to_ymd(p.start, &y1, &m1, &d1);
        date_to_ymd(p.end, &y2, &m2, &d2);
        if (kind == REVIEW_HALFYEAR) {
                snprintf(buf, size, "%s %d", m1 <= 6 ? "January-June" : "July-December", y1);
                return buf;
        }
        /* Numbered like the template's label: the ISO week of its Thursday. */
        date_iso_week(p.start + (3 - date_weekday(p.start) + 7) % 7, &iso_year, &week);
        if (m1 == m2)
                snprintf(buf, size, "Week %d, %d-%d %s", week, d1, d2, month_abbr[m1 - 1]);
        else
                snprintf(buf, size, "Week %d, %d %s-%d %s", week, d1, month_abbr[m1 - 1], d2, month_abbr[m2 - 1]);
        return buf;
}

/* Appends to a fixed buffer, truncating at a UTF-8 boundary if it must. */
static void body_append(char *buf, size_t *len, const char *text) {
        size_t room = PROMPT_BODY_MAX - 1 - *len, n = strlen(text);
        if (n > room) {
                n = room;
                while (n > 0 && ((unsigned char) text[n] & 0xc0) == 0x80)
                        n--;
                /* Nor inside an entity: "&am" would be broken markup. */
                for (size_t i = n; i > 0 && n - i < 6; i--)
                        if (text[i - 1] == ';')
                                break;
                        else if (text[i - 1] == '&') {
                                n = i - 1;
                                break;
                        }
        }
        memcpy(buf + *len, text, n);
        *len += n;
        buf[*len] = '\0';
}

char *prompt_body(ReviewKind kind, Period p, char *const *questions, size_t n_questions, unsigned missed,
                  bool has_actions, const char *report_path) {
        char buf[PROMPT_BODY_MAX] = "", line[160], name[64];
        size_t len = 0;

        snprintf(line, sizeof(line), "%s · %zu question%s", prompt_period_name(kind, p, name, sizeof(name)),
                 n_questions, n_questions == 1 ? "" : "s");
        body_append(buf, &len, line);
        if (n_questions > 0) {
                char *q = markup_escape(questions[0]);
                if (!q)
                        return NULL;
                body_append(buf, &len, "\n");
                body_append(buf, &len, q);
                free(q);
        }
        if (missed > 1) {
                snprintf(line, sizeof(line), "\nCatch-up: %u %s prompts were missed while lookback was not running.",
                         missed, kind == REVIEW_HALFYEAR ? "half-year" : "weekly");
                body_append(buf, &len, line);
        }
        if (report_path) {
                char *path = markup_escape(report_path);
                if (!path)
                        return NULL;
                body_append(buf, &len, "\nReport: ");
                body_append(buf, &len, path);
                free(path);
        }
        if (!has_actions) {
                snprintf(line, sizeof(line), "\nrun: lookback answer %s", review_kind_to_string(kind));
                body_append(buf, &len, line);
        }
        return strdup(buf);
}

static const char *const weekday_abbr[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

/* "2 weeks missed", "1 month missed", "3 periods of 2 weeks missed". */
static void missed_phrase(Every every, unsigned missed, char *buf, size_t size) {
        static const char *const units[] = { [EVERY_DAY] = "day", [EVERY_WEEK] = "week", [EVERY_MONTH] = "month" };
        if (every.unit == EVERY_MONTH && every.n == 6)
                snprintf(buf, size, "%u half-year%s missed", missed, missed == 1 ? "" : "s");
        else if (every.n == 1)
                snprintf(buf, size, "%u %s%s missed", missed, units[every.unit], missed == 1 ? "" : "s");
        else
                snprintf(buf, size, "%u period%s of %u %ss missed", missed, missed == 1 ? "" : "s", every.n,
                         units[every.unit]);
}

/* "Sun 20 Aug" */
static void short_day(day_t day, char *buf, size_t size) {
        int y, m, d;

        date_to_ymd(day, &y, &m, &d);
        snprintf(buf, size, "%s %d %s", weekday_abbr[date_weekday(day)], d, month_abbr[m - 1]);
}

int wording_lapse(const HabitView *v, char **ret_summary, char **ret_body) {
        const HabitInput *in = v->input;
        char day[32], phrase[96];
        StrBuf summary = {}, body = {};

        *ret_summary = *ret_body = NULL;
        if (!v->lapsed)
                return -EINVAL;
        missed_phrase(v->every, v->lapsed_missed, phrase, sizeof(phrase));
        if (v->history.has_last_done) {
                short_day(v->history.last_done, day, sizeof(day));
                strbuf_printf(&body, "No check-in since %s, %s.\n", day, phrase);
        } else
                strbuf_printf(&body, "No check-in yet, %s.\n", phrase);
        if (in->kind == HABIT_WEEKLY_REVIEW)
                strbuf_puts(&body, "Write one now: lookback answer weekly");
        else if (in->kind == HABIT_HALFYEAR_REVIEW)
                strbuf_puts(&body, "Write one now: lookback answer halfyear");
        else {
                /* Names are [a-z0-9_-]: nothing to escape, safe in a command. */
                strbuf_printf(&body, "Pick it up again: lookback done %s\nor pause it with a reason: lookback pause %s",
                              in->name, in->name);
        }
        strbuf_printf(&summary, "%s has lapsed", in->name);
        *ret_summary = strbuf_finish(&summary);
        *ret_body = strbuf_finish(&body);
        if (!*ret_summary || !*ret_body) {
                free(*ret_summary);
                free(*ret_body);
                *ret_summary = *ret_body = NULL;
                return -ENOMEM;
        }
        return 0;
}

void wording_slipping(StrBuf *b, const HabitView *views, size_t n_views) {
        char since[DATE_STR_MAX], last[DATE_STR_MAX];
        bool header = false;

        for (size_t i = 0; i < n_views; i++) {
                const HabitView *v = &views[i];
                const char *last_text = v->history.has_last_done ? date_format(v->history.last_done, last) : "never";

                if (v->status != HABIT_AT_RISK && v->status != HABIT_LAPSED)
                        continue;
                if (!header)
                        strbuf_puts(b, "Slipping habits:\n");
                header = true;
                if (v->status == HABIT_LAPSED)
                        strbuf_printf(b, "  %s: lapsed since %s (last check-in %s)\n", v->input->name,
                                      date_format(v->lapsed_since, since), last_text);
                else
                        strbuf_printf(b, "  %s: at risk, last period missed (last check-in %s)\n", v->input->name,
                                      last_text);
        }
}

void wording_previous_answers(StrBuf *b, const char *period_label, const TemplateEntry *entries, size_t n_entries) {
        strbuf_printf(b, "\nSix months ago, for %s, you wrote:\n", period_label);
        for (size_t i = 0; i < n_entries; i++) {
                strbuf_printf(b, "  %s\n", entries[i].question);
                for (const char *t = entries[i].answer; t && *t;) {
                        size_t len = strcspn(t, "\n");

                        strbuf_printf(b, "    > %.*s\n", (int) len, t);
                        t += len + (t[len] == '\n');
                }
        }
}

/* Quotes an answer's first @max_lines lines (all when 0), "…" for the rest. */
static void quote_answer(StrBuf *b, const char *t, unsigned max_lines) {
        for (unsigned n = 0; t && *t; n++) {
                size_t len = strcspn(t, "\n");
                if (max_lines && n == max_lines) {
                        strbuf_puts(b, "    > …\n");
                        return;
                }
                strbuf_printf(b, "    > %.*s\n", (int) len, t);
                t += len + (t[len] == '\n');
        }
}

void wording_resurfaced(StrBuf *b, const char *when, const char *period_label, day_t written,
                        const TemplateEntry *entries, size_t n_entries, unsigned max_lines) {
        char day[DATE_STR_MAX];
        strbuf_printf(b, "\n%s, for %s, you wrote (on %s):\n", when, period_label, date_format(written, day));
        for (size_t i = 0; i < n_entries; i++) {
                strbuf_printf(b, "  %s\n", entries[i].question);
                quote_answer(b, entries[i].answer, max_lines);
        }
}

void wording_themes(StrBuf *b, const ThemeList *themes, size_t max) {
        if (themes->n == 0)
                return;
        strbuf_puts(b, "\nWhat keeps coming back:\n");
        for (size_t i = 0; i < themes->n && i < max; i++) {
                strbuf_puts(b, "  ");
                report_theme_sentence(b, &themes->items[i]);
                strbuf_puts(b, "\n");
        }
}
