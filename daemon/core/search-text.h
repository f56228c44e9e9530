/* What a search looks for and how a hit is shown, without the database:
 * turning what the person typed into an FTS5 query that treats it as
 * words, the terms to mark in a hit, where they are (in code points, as
 * the wire counts), and the passage shown around the first of them. Pure:
 * libc and the tokenizer. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Longer queries are refused: nobody types 4 KiB into a search. */
#define SEARCH_QUERY_MAX 4096
/* About this many code points of a hit are shown. */
#define SEARCH_PASSAGE_WIDTH 160

typedef struct {
        char *text; /* folded */
        size_t size;
        bool prefix; /* finds the words it begins */
        bool cjk;
} SearchTerm;

typedef struct {
        SearchTerm *items;
        size_t n;
} SearchTerms;

typedef struct {
        size_t start; /* [start, end), code points */
        size_t end;
} SearchMark;

typedef struct {
        SearchMark *items;
        size_t n;
} SearchMarks;

/* Builds the FTS5 expression for @input taken as words: each
 * space-separated chunk becomes a quoted phrase (quotes doubled) that
 * finds the words it begins, all of them required. Fills @terms (may be
 * NULL) with what to mark. Returns 0; -EINVAL when there is no word to
 * look for, -E2BIG when @input is over SEARCH_QUERY_MAX, -ENOMEM;
 * *ret_reason says why in words (static). */
int search_query_build(const char *input, char **ret_expr, SearchTerms *terms, const char **ret_reason);
/* The terms of a raw FTS5 query, best effort, for marking only: its words
 * except the operators AND, OR, NOT and NEAR. */
int search_terms_from_raw(const char *input, SearchTerms *terms);
void search_terms_done(SearchTerms *terms);

/* Where @terms occur in @text, in code points, in order, merged where they
 * overlap. */
int search_marks(const char *text, const SearchTerms *terms, SearchMarks *ret);
/* About SEARCH_PASSAGE_WIDTH code points of @text around its first mark,
 * cut at spaces with "…", every control character a space; @ret_marks are
 * @marks moved into it. Both malloc'd. */
int search_passage(const char *text, const SearchMarks *marks, char **ret_passage, SearchMarks *ret_marks);
void search_marks_done(SearchMarks *m);
