/* A growable string, the one both programs and the core build text with.
 *
 * An allocation failure is sticky: later appends do nothing and
 * strbuf_finish() returns NULL, so layout code reads as layout instead of
 * a check after every line. Pure: libc only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Nothing we render legitimately grows past this (10 years of daily
 * periods for 30 habits as HTML is about 30 MB); past it is a runaway. */
#define STRBUF_SIZE_MAX (256U * 1024U * 1024U)

typedef struct {
        char *data;
        size_t len;
        size_t size;
        bool oom;
} StrBuf;

void strbuf_add(StrBuf *b, const char *s, size_t n);
void strbuf_puts(StrBuf *b, const char *s);
void strbuf_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* @s with &, <, >, " and ' as entities: HTML and the notification markup
 * (a subset of HTML) read them alike. */
void strbuf_put_escaped(StrBuf *b, const char *s);
/* The one escaper: "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", else NULL. */
const char *strbuf_entity(unsigned char c);
/* Hands the string over (never NULL after success, "" if nothing was
 * added), or frees it and returns NULL if any append failed. */
char *strbuf_finish(StrBuf *b);
void strbuf_done(StrBuf *b);
/* A malloc'd escaped copy of @s, or NULL on OOM. */
char *markup_escape(const char *s);
