/* Words out of text, the one way search, its marks and the themes see
 * them. Korean (and Chinese and Japanese) words carry particles and are
 * rarely split by spaces, so a run of such characters is indexed as its
 * overlapping pairs (bigrams) and, in a document, each character alone as
 * well: "전문가인가" holds 전문, 문가, 가인, 인가, so the query 전문가
 * (전문 then 문가) finds it, and 책 finds 책을. This is Lucene's CJK
 * bigram approach. Other letters and digits make words, folded the way
 * SQLite's unicode61 folds them: lower case, diacritics of Latin, Greek and
 * Cyrillic letters taken off, compatibility forms unified (NFKC), so NFD
 * input (macOS, some editors) reads the same as NFC.
 *
 * Offsets are bytes of the text given, whatever its normalisation. Pure:
 * libc and libunistring. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Bump when what tokenize() emits changes: the search index is rebuilt. */
#define TOKENIZER_VERSION 1
/* A folded word longer than this is cut (the rest does not index). */
#define TOKEN_MAX 255

typedef enum {
        TOKENIZE_DOCUMENT, /* what is indexed: bigrams plus each character */
        TOKENIZE_QUERY,    /* what is looked for: bigrams, or the one character of a run of one */
        TOKENIZE_WORDS,    /* whole words: a run of CJK characters is one word (themes) */
} TokenizeMode;

typedef struct {
        const char *text; /* folded, NFC; not NUL-terminated */
        size_t size;
        size_t start; /* [start, end) in the original text, bytes */
        size_t end;
        bool cjk;       /* made of Hangul, Han or Kana */
        bool colocated; /* at the same position as the token before it */
} Token;

/* Returns 0 to go on; anything else stops tokenize(), which returns it. */
typedef int (*TokenFn)(const Token *t, void *userdata);

/* Calls @fn for each token of @text (@size bytes; invalid UTF-8 is a
 * separator). Returns 0, @fn's non-zero return, or -ENOMEM. */
int tokenize(const char *text, size_t size, TokenizeMode mode, TokenFn fn, void *userdata);

/* Whether the code point starting @s is a Hangul syllable (U+AC00-U+D7A3). */
bool token_is_hangul_syllable(const char *s, size_t size);
