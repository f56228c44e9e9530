/* Printing what someone wrote, safely: answers, notes and search passages
 * come from the store and hold whatever was typed or pasted, escape
 * sequences included, so nothing of it reaches a terminal as a control
 * character. Also marks search matches in a passage. Pure: libc and the
 * growable string, no JSON. */
#pragma once

#include <stddef.h>
#include <stdio.h>

typedef enum {
        TEXT_ONE_LINE,  /* every control character (C0, DEL, C1) becomes a space */
        TEXT_MULTILINE, /* newlines and tabs stay; other control characters are dropped */
} TextMode;

typedef enum {
        MARK_ASTERISKS, /* **match**: for files and pipes */
        MARK_BOLD,      /* ESC[1m match ESC[0m: for a terminal */
} MarkStyle;

/* A match: [start, end) in Unicode code points, as the daemon counts them. */
typedef struct {
        size_t start;
        size_t end;
} TextMark;

/* A malloc'd copy of @s fit for a terminal (bytes that are not UTF-8
 * become U+FFFD), or NULL on OOM. */
char *text_sanitize(const char *s, TextMode mode);
/* Writes text_sanitize(@s) to @f (nothing when @s is NULL). */
void text_print(FILE *f, const char *s, TextMode mode);
/* Writes @s sanitized as TEXT_MULTILINE, each line after @indent (empty
 * lines bare) and ending in a newline; trailing newlines of @s are
 * dropped, so nothing is written for "" or NULL. */
void text_print_indented(FILE *f, const char *s, const char *indent);

/* @passage sanitized as TEXT_ONE_LINE, with the code points inside @marks
 * highlighted in @style. Marks may come in any order, overlap or touch
 * (then they show as one), be empty, or run past the end (cut there).
 * Control characters become spaces, so the marks' offsets stay right.
 * Returns a malloc'd string, or NULL on OOM. */
char *mark_passage(const char *passage, const TextMark *marks, size_t n_marks, MarkStyle style);

/* Roughly the columns the first @n bytes of @s (or up to its NUL) take on
 * a terminal: East Asian wide characters count 2, combining marks and
 * SGR escapes (ESC [ digits ; m) none, every other code point 1. */
size_t text_width(const char *s, size_t n);
