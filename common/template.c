/* The answer template: rendering it for the editor and reading it back.
 *
 * Parsing is one pass over the lines. Each section (the preamble before the
 * first heading, then one per heading) collects its non-comment lines into a
 * buffer; when the section ends it is trimmed and, if anything is left,
 * becomes an entry. Only one section buffer exists at a time, and the entry
 * limit is checked as entries appear, so hostile input cannot make us
 * allocate much more than its own size. */
#include "template.h"

#include "strbuf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEMPLATE_HELP                                                                                                  \
        "# Write under each question. Lines starting with '#' are ignored.\n"                                          \
        "# An empty file aborts: nothing is recorded.\n"

typedef struct {
        TemplateAnswers answers;
        char *const *questions;
        size_t n_questions;
        /* The preamble, when it has text, is always entries[0]. */
        bool has_preamble;
        bool preamble_joined;
        /* The section being collected. */
        const char *question;
        size_t question_len;
        bool in_preamble;
        StrBuf body;
} TemplateParser;

/* ASCII only: bytes of UTF-8 sequences are never whitespace, so Korean text
 * is never touched by trimming. */
static bool template_is_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The one growable string (strbuf.h), with this file's error returns. */
static int template_buf_append(StrBuf *b, const char *s, size_t n) {
        strbuf_add(b, s, n);
        return b->oom ? -ENOMEM : 0;
}

static int template_buf_append_str(StrBuf *b, const char *s) {
        return template_buf_append(b, s, strlen(s));
}

/* Each line of @notes as a comment: lines that are not one already get "# ". */
static int template_append_notes(StrBuf *b, const char *notes) {
        int r = 0;
        for (const char *p = notes; r >= 0 && *p;) {
                size_t len = strcspn(p, "\n");
                if (*p != '#')
                        r = template_buf_append_str(b, len ? "# " : "#");
                if (r >= 0)
                        r = template_buf_append(b, p, len);
                if (r >= 0)
                        r = template_buf_append_str(b, "\n");
                p += len + (p[len] == '\n');
        }
        if (r >= 0 && *notes)
                r = template_buf_append_str(b, "\n");
        return r;
}

char *template_render_full(const char *title, const char *notes, char *const *questions, size_t n_questions,
                           const char *appendix) {
        StrBuf b = {};
        int r;

        r = template_buf_append_str(&b, "# lookback: ");
        if (r >= 0)
                r = template_buf_append_str(&b, title ? title : "");
        if (r >= 0)
                r = template_buf_append_str(&b, "\n" TEMPLATE_HELP "\n");
        if (r >= 0 && notes)
                r = template_append_notes(&b, notes);
        for (size_t i = 0; r >= 0 && i < n_questions; i++) {
                r = template_buf_append_str(&b, "## ");
                if (r >= 0)
                        r = template_buf_append_str(&b, questions[i] ? questions[i] : "");
                if (r >= 0)
                        r = template_buf_append_str(&b, "\n\n");
        }
        if (r >= 0 && appendix)
                r = template_buf_append_str(&b, appendix);
        if (r < 0) {
                free(b.data);
                return NULL;
        }
        return b.data;
}

char *template_render_filled(const char *title, const TemplateEntry *entries, size_t n_entries) {
        StrBuf b = {};
        int r = template_buf_append_str(&b, "# lookback: ");
        if (r >= 0)
                r = template_buf_append_str(&b, title ? title : "");
        if (r >= 0)
                r = template_buf_append_str(&b, "\n" TEMPLATE_HELP "\n");
        for (size_t i = 0; r >= 0 && i < n_entries; i++) {
                r = template_buf_append_str(&b, "## ");
                if (r >= 0)
                        r = template_buf_append_str(&b, entries[i].question ? entries[i].question : "");
                if (r >= 0)
                        r = template_buf_append_str(&b, "\n");
                if (r >= 0)
                        r = template_buf_append_str(&b, entries[i].answer ? entries[i].answer : "");
                if (r >= 0)
                        r = template_buf_append_str(&b, "\n\n");
        }
        if (r < 0) {
                free(b.data);
                return NULL;
        }
        return b.data;
}

char *template_render(const char *title, char *const *questions, size_t n_questions) {
        return template_render_full(title, NULL, questions, n_questions, NULL);
}

char *template_goals_section(const TemplateGoal *goals, size_t n_goals) {
        StrBuf b = {};
        int r = n_goals ? template_buf_append_str(&b, "## " TEMPLATE_GOALS_HEADING "\n") : 0;
        for (size_t i = 0; r >= 0 && i < n_goals; i++) {
                char head[64];
                snprintf(head, sizeof(head), "[open] %.8s ", goals[i].id);
                r = template_buf_append_str(&b, head);
                if (r >= 0)
                        r = template_buf_append(&b, goals[i].text, strcspn(goals[i].text, "\n"));
                if (r >= 0)
                        r = template_buf_append_str(&b, "\n");
        }
        if (r >= 0 && n_goals)
                r = template_buf_append_str(&b, "\n");
        if (r < 0 || !b.data) {
                free(b.data);
                return r < 0 ? NULL : strdup("");
        }
        return b.data;
}

/* "[achieved] 3f2a9c1b text" -> status, id. Returns 1 for a goal line, 0
 * for any other line, -EINVAL for a bracketed status we do not know. */
static int template_goal_line(const char *line, size_t len, TemplateGoalMark *ret) {
        static const char *const statuses[] = { "open", "achieved", "dropped" };
        size_t i = 0;
        while (i < len && template_is_space(line[i]))
                i++;
        if (i >= len || line[i] != '[')
                return 0;
        const char *word = line + i + 1, *close = memchr(word, ']', len - i - 1);
        if (!close)
                return 0;
        size_t wlen = (size_t) (close - word);
        const char *id = close + 1, *end = line + len;
        while (id < end && template_is_space(*id))
                id++;
        size_t idlen = strspn(id, "0123456789abcdef-");
        if (idlen < 4 || id + idlen > end || (id + idlen < end && !template_is_space(id[idlen])))
                return 0;
        for (size_t k = 0; k < sizeof(statuses) / sizeof(statuses[0]); k++)
                if (wlen == strlen(statuses[k]) && strncasecmp(word, statuses[k], wlen) == 0) {
                        *ret = (TemplateGoalMark){ .status = statuses[k] };
                        snprintf(ret->id, sizeof(ret->id), "%.*s", (int) (idlen < 36 ? idlen : 36), id);
                        return 1;
                }
        return -EINVAL;
}

int template_goal_marks(const char *answer, TemplateGoalMark **ret, size_t *ret_n, size_t *ret_bad_line) {
        TemplateGoalMark *marks = NULL;
        size_t n = 0, line_no = 0;
        for (const char *p = answer; *p; line_no++) {
                size_t len = strcspn(p, "\n");
                TemplateGoalMark m;
                int r = template_goal_line(p, len, &m);
                if (r < 0) {
                        free(marks);
                        *ret_bad_line = line_no + 1;
                        return r;
                }
                if (r > 0) {
                        TemplateGoalMark *more = realloc(marks, (n + 1) * sizeof(TemplateGoalMark));
                        if (!more) {
                                free(marks);
                                return -ENOMEM;
                        }
                        marks = more;
                        marks[n++] = m;
                }
                p += len + (p[len] == '\n');
        }
        *ret = marks;
        *ret_n = n;
        return 0;
}

void template_answers_done(TemplateAnswers *a) {
        if (!a)
                return;
        for (size_t i = 0; i < a->n_entries; i++) {
                free(a->entries[i].question);
                free(a->entries[i].answer);
        }
        free(a->entries);
        *a = (TemplateAnswers){};
}

/* Parsing */

static const char *template_question(const TemplateParser *p, size_t i) {
        if (i >= p->n_questions || !p->questions[i])
                return "";
        return p->questions[i];
}

/* Drops blank lines at the start and whitespace at the end, keeping the
 * indentation of the first kept line (it may be a list or code). Returns
 * the length, 0 when nothing is left; *start is set to the first kept byte. */
static size_t template_trim_answer(const char *s, size_t len, const char **start) {
        size_t first_line = 0, i;

        for (i = 0; i < len && template_is_space(s[i]); i++)
                if (s[i] == '\n')
                        first_line = i + 1;
        if (i == len)
                return 0;
        while (len > first_line && template_is_space(s[len - 1]))
                len--;
        *start = s + first_line;
        return len - first_line;
}

static int template_add_entry(TemplateParser *p, const char *question, size_t question_len, const char *answer,
                              size_t answer_len) {
        TemplateAnswers *a = &p->answers;
        TemplateEntry *entries, *e;

        if (a->n_entries >= TEMPLATE_ENTRIES_MAX)
                return -E2BIG;
        entries = realloc(a->entries, (a->n_entries + 1) * sizeof(TemplateEntry));
        if (!entries)
                return -ENOMEM;
        a->entries = entries;

        e = &a->entries[a->n_entries];
        e->question = strndup(question, question_len);
        e->answer = strndup(answer, answer_len);
        if (!e->question || !e->answer) {
                free(e->question);
                free(e->answer);
                return -ENOMEM;
        }
        a->n_entries++;
        return 0;
}

/* The first heading of questions[0] that has text is glued onto the
 * preamble, in the preamble's place: the user answered the first question
 * twice, above and below its heading, and meant one answer. */
static int template_join_preamble(TemplateParser *p, const char *answer, size_t answer_len) {
        TemplateEntry *e = &p->answers.entries[0];
        size_t old_len = strlen(e->answer);
        char *joined;

        joined = realloc(e->answer, old_len + 2 + answer_len + 1);
        if (!joined)
                return -ENOMEM;
        memcpy(joined + old_len, "\n\n", 2);
        memcpy(joined + old_len + 2, answer, answer_len);
        joined[old_len + 2 + answer_len] = '\0';
        e->answer = joined;
        p->preamble_joined = true;
        return 0;
}

static bool template_is_first_question(const TemplateParser *p) {
        const char *q0 = template_question(p, 0);

        return strlen(q0) == p->question_len && memcmp(q0, p->question, p->question_len) == 0;
}

/* Ends the current section: trims its text and records it if any is left. */
static int template_flush(TemplateParser *p) {
        const char *answer = NULL;
        size_t answer_len = template_trim_answer(p->body.data, p->body.len, &answer);

        p->body.len = 0;
        if (answer_len == 0)
                return 0;

        if (p->in_preamble) {
                const char *q0 = template_question(p, 0);
                p->has_preamble = true;
                return template_add_entry(p, q0, strlen(q0), answer, answer_len);
        }
        if (p->has_preamble && !p->preamble_joined && template_is_first_question(p))
                return template_join_preamble(p, answer, answer_len);
        return template_add_entry(p, p->question, p->question_len, answer, answer_len);
}

/* "## question" at column 0 with a non-empty question; sets the trimmed question. */
static bool template_heading(const char *line, size_t len, const char **q, size_t *q_len) {
        size_t start = 3;

        if (len < 3 || memcmp(line, "## ", 3) != 0)
                return false;
        while (start < len && template_is_space(line[start]))
                start++;
        while (len > start && template_is_space(line[len - 1]))
                len--;
        if (len == start)
                return false; /* "##" with nothing after it: just a comment */
        *q = line + start;
        *q_len = len - start;
        return true;
}

static int template_line(TemplateParser *p, const char *line, size_t len) {
        const char *q;
        size_t q_len;
        int r;

        if (template_heading(line, len, &q, &q_len)) {
                r = template_flush(p);
                if (r < 0)
                        return r;
                p->in_preamble = false;
                p->question = q;
                p->question_len = q_len;
                return 0;
        }
        if (len > 0 && line[0] == '#')
                return 0;

        r = template_buf_append(&p->body, line, len);
        if (r < 0)
                return r;
        return template_buf_append(&p->body, "\n", 1);
}

static int template_parse_lines(TemplateParser *p, const char *text) {
        const char *line = text;
        int r;

        while (*line) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t) (nl - line) : strlen(line);

                if (len > 0 && line[len - 1] == '\r')
                        len--;
                r = template_line(p, line, len);
                if (r < 0)
                        return r;
                if (!nl)
                        break;
                line = nl + 1;
        }
        return template_flush(p);
}

int template_parse(const char *text, char *const *questions, size_t n_questions, TemplateAnswers *ret) {
        TemplateParser p = {
                .questions = questions,
                .n_questions = n_questions,
                .in_preamble = true,
        };
        int r;

        if (!ret)
                return -EINVAL;
        *ret = (TemplateAnswers){};
        if (!text)
                return -EINVAL;
        if (strnlen(text, TEMPLATE_TEXT_MAX + 1) > TEMPLATE_TEXT_MAX)
                return -E2BIG;

        r = template_parse_lines(&p, text);
        free(p.body.data);
        if (r >= 0 && p.answers.n_entries == 0)
                r = -ENODATA;
        if (r < 0) {
                template_answers_done(&p.answers);
                return r;
        }
        *ret = p.answers;
        return 0;
}
