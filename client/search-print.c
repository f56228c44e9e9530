#include "search-print.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

/* What utf8_next() returns for a byte that starts no valid sequence. */
#define UTF8_INVALID          UINT32_MAX
#define REPLACEMENT_CHARACTER "\xEF\xBF\xBD"

static const char MARK_OPEN_BOLD[] = "\033[1m", MARK_CLOSE_BOLD[] = "\033[0m", MARK_ASTERISKS_TEXT[] = "**";

/* Decodes the code point at @s (which is not at its NUL) into *ret and
 * returns its length in bytes: 1 with UTF8_INVALID for a byte that does
 * not start a valid sequence (overlong, surrogate, cut short by the NUL). */
static size_t utf8_next(const char *s, uint32_t *ret) {
        const unsigned char *u = (const unsigned char *) s;
        size_t len;
        uint32_t cp, min;

        if (u[0] < 0x80) {
                *ret = u[0];
                return 1;
        }
        if ((u[0] & 0xE0) == 0xC0) {
                len = 2, cp = u[0] & 0x1F, min = 0x80;
        } else if ((u[0] & 0xF0) == 0xE0) {
                len = 3, cp = u[0] & 0x0F, min = 0x800;
        } else if ((u[0] & 0xF8) == 0xF0) {
                len = 4, cp = u[0] & 0x07, min = 0x10000;
        } else {
                *ret = UTF8_INVALID;
                return 1;
        }
        for (size_t i = 1; i < len; i++) {
                if ((u[i] & 0xC0) != 0x80) { /* the NUL stops here too */
                        *ret = UTF8_INVALID;
                        return 1;
                }
                cp = cp << 6 | (u[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                *ret = UTF8_INVALID;
                return 1;
        }
        *ret = cp;
        return len;
}

/* C0, DEL and C1: what a terminal may act on instead of showing. */
static bool is_control(uint32_t cp) {
        return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* Appends the code point @cp, @len bytes at @s, as a terminal may see it. */
static void put_code_point(StrBuf *b, const char *s, size_t len, uint32_t cp, TextMode mode) {
        if (cp == UTF8_INVALID)
                strbuf_puts(b, REPLACEMENT_CHARACTER);
        else if (!is_control(cp))
                strbuf_add(b, s, len);
        else if (mode == TEXT_ONE_LINE)
                strbuf_add(b, " ", 1); /* one for one, so code point offsets still hold */
        else if (cp == '\n' || cp == '\t')
                strbuf_add(b, s, len);
}

char *text_sanitize(const char *s, TextMode mode) {
        StrBuf b = {};
        uint32_t cp;
        for (size_t len; *s; s += len) {
                len = utf8_next(s, &cp);
                put_code_point(&b, s, len, cp, mode);
        }
        return strbuf_finish(&b);
}

void text_print(FILE *f, const char *s, TextMode mode) {
        if (!s)
                return;
        _cleanup_free_ char *clean = text_sanitize(s, mode);
        if (clean)
                fputs(clean, f);
}

void text_print_indented(FILE *f, const char *s, const char *indent) {
        if (!s)
                return;
        _cleanup_free_ char *clean = text_sanitize(s, TEXT_MULTILINE);
        if (!clean)
                return;
        /* Trailing blank lines (the editor's last newline) are not text. */
        size_t size = strlen(clean);
        while (size > 0 && clean[size - 1] == '\n')
                size--;
        for (const char *line = clean, *end = clean + size; line < end;) {
                const char *nl = memchr(line, '\n', (size_t) (end - line));
                size_t len = nl ? (size_t) (nl - line) : (size_t) (end - line);
                if (len > 0)
                        fprintf(f, "%s%.*s", indent, (int) len, line);
                fputc('\n', f);
                line += len + 1;
        }
}

static int mark_compare(const void *a, const void *b) {
        const TextMark *x = a, *y = b;
        return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorts @marks and merges the ones that overlap or touch, leaving out
 * empty ones: disjoint runs, each starting after the previous one ends.
 * Returns how many runs are left in @marks. */
static size_t marks_merge(TextMark *marks, size_t n) {
        size_t runs = 0;
        qsort(marks, n, sizeof(*marks), mark_compare);
        for (size_t i = 0; i < n; i++) {
                if (marks[i].start >= marks[i].end)
                        continue;
                if (runs > 0 && marks[i].start <= marks[runs - 1].end) {
                        if (marks[i].end > marks[runs - 1].end)
                                marks[runs - 1].end = marks[i].end;
                } else
                        marks[runs++] = marks[i];
        }
        return runs;
}

char *mark_passage(const char *passage, const TextMark *marks, size_t n_marks, MarkStyle style) {
        const char *open = style == MARK_BOLD ? MARK_OPEN_BOLD : MARK_ASTERISKS_TEXT;
        const char *close = style == MARK_BOLD ? MARK_CLOSE_BOLD : MARK_ASTERISKS_TEXT;
        _cleanup_free_ TextMark *runs = n_marks > 0 ? calloc(n_marks, sizeof(*runs)) : NULL;
        StrBuf b = {};
        size_t n_runs = 0, r = 0, pos = 0;
        bool inside = false;
        uint32_t cp;

        if (n_marks > 0 && !runs)
                return NULL;
        if (n_marks > 0) {
                memcpy(runs, marks, n_marks * sizeof(*runs));
                n_runs = marks_merge(runs, n_marks);
        }
        for (size_t len; *passage; passage += len, pos++) {
                if (r < n_runs && pos == runs[r].start) {
                        strbuf_puts(&b, open);
                        inside = true;
                }
                len = utf8_next(passage, &cp);
                put_code_point(&b, passage, len, cp, TEXT_ONE_LINE);
                if (inside && pos + 1 == runs[r].end) {
                        strbuf_puts(&b, close);
                        inside = false;
                        r++;
                }
        }
        if (inside) /* a mark past the end is cut there */
                strbuf_puts(&b, close);
        return strbuf_finish(&b);
}

/* East Asian wide and fullwidth ranges (after Markus Kuhn's wcwidth), and
 * the emoji blocks terminals show wide. */
static bool is_wide(uint32_t cp) {
        static const uint32_t wide[][2] = {
                { 0x1100, 0x115F },   { 0x2329, 0x232A },   { 0x2E80, 0x303E },   { 0x3040, 0xA4CF },
                { 0xA960, 0xA97F },   { 0xAC00, 0xD7A3 },   { 0xF900, 0xFAFF },   { 0xFE10, 0xFE19 },
                { 0xFE30, 0xFE6F },   { 0xFF00, 0xFF60 },   { 0xFFE0, 0xFFE6 },   { 0x1F300, 0x1F64F },
                { 0x1F680, 0x1F6FF }, { 0x1F900, 0x1F9FF }, { 0x1FA70, 0x1FAFF }, { 0x20000, 0x2FFFD },
                { 0x30000, 0x3FFFD },
        };
        for (size_t i = 0; i < ELEMENTSOF(wide); i++)
                if (cp >= wide[i][0] && cp <= wide[i][1])
                        return true;
        return false;
}

/* What joins the character before it instead of taking a column: the
 * common combining marks, Hangul's medial and final jamo (decomposed
 * syllables), zero-width spaces and joiners, variation selectors. */
static bool is_zero_width(uint32_t cp) {
        static const uint32_t zero[][2] = {
                { 0x0300, 0x036F }, { 0x1160, 0x11FF }, { 0x200B, 0x200F }, { 0x2060, 0x2064 },
                { 0xD7B0, 0xD7FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF },
        };
        for (size_t i = 0; i < ELEMENTSOF(zero); i++)
                if (cp >= zero[i][0] && cp <= zero[i][1])
                        return true;
        return false;
}

/* The length of the SGR escape (ESC [ digits and semicolons m) at @s, or 0
 * when there is none before @end. */
static size_t sgr_length(const char *s, const char *end) {
        if (end - s < 3 || s[0] != '\033' || s[1] != '[')
                return 0;
        for (const char *c = s + 2; c < end; c++) {
                if (*c == 'm')
                        return (size_t) (c - s) + 1;
                if ((*c < '0' || *c > '9') && *c != ';')
                        return 0;
        }
        return 0;
}

size_t text_width(const char *s, size_t n) {
        const char *end = s + n;
        size_t width = 0, len;
        uint32_t cp;

        for (; s < end && *s; s += len) {
                len = sgr_length(s, end);
                if (len > 0)
                        continue;
                len = utf8_next(s, &cp);
                width += is_wide(cp) ? 2 : is_zero_width(cp) ? 0 : 1;
        }
        return width;
}
