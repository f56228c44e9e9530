#include "search-text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tokenize.h"
#include "util.h"

void search_terms_done(SearchTerms *terms) {
        for (size_t i = 0; i < terms->n; i++)
                free(terms->items[i].text);
        free(terms->items);
        *terms = (SearchTerms){};
}

void search_marks_done(SearchMarks *m) {
        free(m->items);
        *m = (SearchMarks){};
}

static int terms_add(SearchTerms *terms, const Token *t, bool prefix) {
        SearchTerm *p = reallocarray(terms->items, terms->n + 1, sizeof(SearchTerm));
        if (!p)
                return -ENOMEM;
        terms->items = p;
        char *text = strndup(t->text, t->size);
        if (!text)
                return -ENOMEM;
        /* A Korean pair is found whole, never as the start of another:
         * every pair is two characters. */
        p[terms->n++] = (SearchTerm){ text, t->size, prefix && !t->cjk, t->cjk };
        return 0;
}

typedef struct {
        SearchTerms *terms; /* may be NULL: only count */
        const char *chunk;  /* for raw queries: to leave the operators out */
        size_t n_tokens;
        bool raw;
} TermCollector;

static bool is_operator(const char *s, size_t n) {
        static const char *const ops[] = { "AND", "OR", "NOT", "NEAR" };
        for (size_t i = 0; i < ELEMENTSOF(ops); i++)
                if (strlen(ops[i]) == n && memcmp(s, ops[i], n) == 0)
                        return true;
        return false;
}

static int collect_term(const Token *t, void *userdata) {
        TermCollector *c = userdata;
        if (c->raw && is_operator(c->chunk + t->start, t->end - t->start))
                return 0;
        c->n_tokens++;
        return c->terms ? terms_add(c->terms, t, true) : 0;
}

static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* `"chunk"*`, with the chunk's quotes doubled: FTS5 reads it as a phrase
 * of whatever our tokenizer makes of it, its last word a prefix. */
static void put_phrase(StrBuf *b, const char *chunk, size_t n) {
        strbuf_puts(b, b->len ? " \"" : "\"");
        for (size_t i = 0; i < n; i++)
                strbuf_add(b, chunk[i] == '"' ? "\"\"" : &chunk[i], chunk[i] == '"' ? 2 : 1);
        strbuf_puts(b, "\"*");
}

int search_query_build(const char *input, char **ret_expr, SearchTerms *terms, const char **ret_reason) {
        StrBuf b = {};
        size_t len = strlen(input);

        *ret_expr = NULL;
        *ret_reason = NULL;
        if (len > SEARCH_QUERY_MAX) {
                *ret_reason = "the query is too long (at most 4096 bytes)";
                return -E2BIG;
        }
        for (size_t i = 0; i < len;) {
                while (i < len && is_space(input[i]))
                        i++;
                size_t start = i;
                while (i < len && !is_space(input[i]))
                        i++;
                if (i == start)
                        break;
                TermCollector c = { .terms = terms, .chunk = input + start };
                int r = tokenize(input + start, i - start, TOKENIZE_QUERY, collect_term, &c);
                if (r < 0) {
                        strbuf_done(&b);
                        return r;
                }
                if (c.n_tokens > 0)
                        put_phrase(&b, input + start, i - start);
        }
        if (b.len == 0) {
                strbuf_done(&b);
                *ret_reason = "there is no word in it to look for";
                return -EINVAL;
        }
        *ret_expr = strbuf_finish(&b);
        return *ret_expr ? 0 : -ENOMEM;
}

int search_terms_from_raw(const char *input, SearchTerms *terms) {
        TermCollector c = { .terms = terms, .chunk = input, .raw = true };
        return tokenize(input, strlen(input), TOKENIZE_QUERY, collect_term, &c);
}

static bool term_matches(const SearchTerm *term, const Token *t) {
        if (term->cjk != t->cjk)
                return false;
        if (term->prefix)
                return t->size >= term->size && memcmp(t->text, term->text, term->size) == 0;
        return t->size == term->size && memcmp(t->text, term->text, term->size) == 0;
}

typedef struct {
        const SearchTerms *terms;
        SearchMarks *marks; /* bytes, while collecting */
} MarkCollector;

static int collect_mark(const Token *t, void *userdata) {
        MarkCollector *c = userdata;
        for (size_t i = 0; i < c->terms->n; i++) {
                if (!term_matches(&c->terms->items[i], t))
                        continue;
                SearchMarks *m = c->marks;
                if (m->n > 0 && t->start <= m->items[m->n - 1].end) {
                        if (t->end > m->items[m->n - 1].end)
                                m->items[m->n - 1].end = t->end;
                        return 0;
                }
                SearchMark *p = reallocarray(m->items, m->n + 1, sizeof(SearchMark));
                if (!p)
                        return -ENOMEM;
                m->items = p;
                p[m->n++] = (SearchMark){ t->start, t->end };
                return 0;
        }
        return 0;
}

static bool is_continuation(unsigned char c) {
        return (c & 0xC0) == 0x80;
}

/* Byte offsets to code points, for offsets in ascending order. */
static void marks_to_code_points(const char *text, SearchMarks *m) {
        size_t byte = 0, cp = 0;
        for (size_t i = 0; i < m->n; i++) {
                size_t *ends[2] = { &m->items[i].start, &m->items[i].end };
                for (size_t k = 0; k < 2; k++) {
                        for (; byte < *ends[k] && text[byte]; byte++)
                                if (!is_continuation((unsigned char) text[byte]))
                                        cp++;
                        *ends[k] = cp;
                }
        }
}

int search_marks(const char *text, const SearchTerms *terms, SearchMarks *ret) {
        *ret = (SearchMarks){};
        MarkCollector c = { terms, ret };
        int r = tokenize(text, strlen(text), TOKENIZE_DOCUMENT, collect_mark, &c);
        if (r < 0) {
                search_marks_done(ret);
                return r;
        }
        marks_to_code_points(text, ret);
        return 0;
}

/* The byte offset of code point @cp of @text (its length if past the end). */
static size_t cp_to_byte(const char *text, size_t cp) {
        size_t byte = 0;
        for (size_t n = 0; text[byte]; byte++) {
                if (!is_continuation((unsigned char) text[byte]) && n++ == cp)
                        return byte;
        }
        return byte;
}

static size_t count_cp(const char *s, size_t n) {
        size_t cp = 0;
        for (size_t i = 0; i < n; i++)
                if (!is_continuation((unsigned char) s[i]))
                        cp++;
        return cp;
}

/* A passage starts after a space and ends before one, where there is one
 * near: a word is not shown cut in half. */
static size_t forward_past_space(const char *text, size_t byte, size_t limit) {
        for (size_t b = byte; b < limit; b++)
                if (is_space(text[b]))
                        return b + 1;
        return byte;
}

static size_t back_to_space(const char *text, size_t byte, size_t floor) {
        for (size_t b = byte; b > floor; b--)
                if (is_space(text[b - 1]))
                        return b - 1;
        return byte;
}

int search_passage(const char *text, const SearchMarks *marks, char **ret_passage, SearchMarks *ret_marks) {
        size_t len = strlen(text);
        size_t first = marks->n ? marks->items[0].start : 0;
        size_t first_byte = cp_to_byte(text, first);
        /* A third of the width before the match, the rest after. */
        size_t from_cp = first > SEARCH_PASSAGE_WIDTH / 3 ? first - SEARCH_PASSAGE_WIDTH / 3 : 0;
        size_t from = cp_to_byte(text, from_cp);
        if (from > 0)
                from = forward_past_space(text, from, first_byte);
        from_cp = count_cp(text, from);
        size_t to = cp_to_byte(text, from_cp + SEARCH_PASSAGE_WIDTH);
        if (to < len)
                to = back_to_space(text, to, marks->n ? cp_to_byte(text, marks->items[0].end) : from);

        StrBuf b = {};
        if (from > 0)
                strbuf_puts(&b, "…");
        for (size_t i = from; i < to; i++) {
                unsigned char c = (unsigned char) text[i];
                if (c < 0x20 || c == 0x7f)
                        strbuf_add(&b, " ", 1);
                else if (c == 0xc2 && i + 1 < to && (unsigned char) text[i + 1] >= 0x80 &&
                         (unsigned char) text[i + 1] < 0xa0) {
                        strbuf_add(&b, " ", 1); /* a C1 control: one code point, one space */
                        i++;
                } else
                        strbuf_add(&b, (const char *) &text[i], 1);
        }
        if (to < len)
                strbuf_puts(&b, "…");
        *ret_passage = strbuf_finish(&b);
        if (!*ret_passage)
                return -ENOMEM;

        size_t shift = from > 0 ? 1 : 0, to_cp_final = count_cp(text, to);
        *ret_marks = (SearchMarks){};
        for (size_t i = 0; i < marks->n; i++) {
                SearchMark m = marks->items[i];
                if (m.end <= from_cp || m.start >= to_cp_final)
                        continue;
                m.start = (m.start > from_cp ? m.start : from_cp) - from_cp + shift;
                m.end = (m.end < to_cp_final ? m.end : to_cp_final) - from_cp + shift;
                SearchMark *p = reallocarray(ret_marks->items, ret_marks->n + 1, sizeof(SearchMark));
                if (!p) {
                        free(*ret_passage);
                        search_marks_done(ret_marks);
                        return -ENOMEM;
                }
                ret_marks->items = p;
                p[ret_marks->n++] = m;
        }
        return 0;
}
