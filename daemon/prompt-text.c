#include "prompt-text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_abbr[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

char *markup_escape(const char *text) {
        size_t n = 0;
        for (const char *p = text; *p; p++)
                n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' || *p == '\'' ? 6 : 1;
        char *out = malloc(n + 1), *o = out;
        if (!out)
                return NULL;
        for (const char *p = text; *p; p++) {
                const char *e = *p == '&'    ? "&amp;"
                                : *p == '<'  ? "&lt;"
                                : *p == '>'  ? "&gt;"
                                : *p == '"'  ? "&quot;"
                                : *p == '\'' ? "&apos;"
                                             : NULL;
                if (e) {
                        size_t len = strlen(e);
                        memcpy(o, e, len);
                        o += len;
                } else
                        *o++ = *p;
        }
        *o = '\0';
        return out;
}

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
                  bool has_actions) {
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
        if (!has_actions) {
                snprintf(line, sizeof(line), "\nrun: lookback answer %s", review_kind_to_string(kind));
                body_append(buf, &len, line);
        }
        return strdup(buf);
}
