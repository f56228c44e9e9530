/* Recurring themes: terms that keep coming back in review answers across
 * the years, yet are rare enough to mean something. A term is a word of
 * Latin (or other alphabetic) text, lower-cased, at least three letters,
 * no digits, not an English stop word; or a Hangul word with its particle
 * or ending taken off (themes_hangul_stem()), at least two syllables, not
 * a Korean stop word. A theme is a term in answers of THEME_MIN_YEARS or
 * more different years and in fewer than 1/THEME_RARITY of all answers.
 * Simple on purpose: counted words, no model. Pure: libc and the
 * tokenizer. */
#pragma once

#include <stddef.h>

#include "date.h"

#define THEME_MIN_YEARS 3
/* A theme is in fewer than 1 in 20 (5%) of the answers. */
#define THEME_RARITY 20

/* One review's answer: every question's text of its newest version. */
typedef struct {
        day_t day; /* the period's first day */
        const char *text;
} ThemeDoc;

typedef struct {
        char *term;
        unsigned count; /* answers that mention it */
        int *years;     /* distinct, newest first */
        size_t n_years;
        day_t *days; /* the answers' days, oldest first */
        size_t n_days;
} Theme;

typedef struct {
        Theme *items; /* most years first, then most answers, then by term */
        size_t n;
} ThemeList;

int themes_find(const ThemeDoc *docs, size_t n_docs, ThemeList *ret);
void themes_done(ThemeList *t);

/* The stem of a Hangul word (@size bytes, folded): the word less the
 * longest particle or ending in the table that leaves enough of it, into
 * @buf. Returns its length in bytes. */
size_t themes_hangul_stem(const char *word, size_t size, char *buf, size_t buf_size);
