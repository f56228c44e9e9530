#include "tokenize.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <unigbrk.h>
#include <uninorm.h>
#include <unistr.h>

typedef enum {
        CLASS_SEPARATOR,
        CLASS_WORD,
        CLASS_CJK,
} CharClass;

static bool is_cjk(ucs4_t c) {
        return (c >= 0xAC00 && c <= 0xD7A3) || /* Hangul syllables */
               (c >= 0x1100 && c <= 0x11FF) || /* Hangul jamo (NFD Korean) */
               (c >= 0x3130 && c <= 0x318F) || /* Hangul compatibility jamo */
               (c >= 0xA960 && c <= 0xA97F) || /* Hangul jamo extended-A */
               (c >= 0xD7B0 && c <= 0xD7FF) || /* Hangul jamo extended-B */
               (c >= 0x3040 && c <= 0x30FF) || /* Hiragana, Katakana */
               (c >= 0x3400 && c <= 0x4DBF) || /* CJK extension A */
               (c >= 0x4E00 && c <= 0x9FFF) || /* CJK unified ideographs */
               (c >= 0xF900 && c <= 0xFAFF) || /* CJK compatibility ideographs */
               (c >= 0xFF66 && c <= 0xFF9F) || /* half-width Katakana */
               (c >= 0x20000 && c <= 0x3FFFF); /* CJK extensions B and on */
}

static CharClass classify(ucs4_t c) {
        if (c < 0x80)
                return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? CLASS_WORD
                                                                                          : CLASS_SEPARATOR;
        if (is_cjk(c))
                return CLASS_CJK;
        return uc_is_alnum(c) ? CLASS_WORD : CLASS_SEPARATOR;
}

/* Latin, Greek, Cyrillic and Latin Extended Additional: the scripts whose
 * combining marks are diacritics a search should see through ("café" is
 * "cafe"). Elsewhere a mark may be part of the letter, and stays. */
static bool drops_marks(ucs4_t base) {
        return base < 0x0530 || (base >= 0x1E00 && base <= 0x1FFF);
}

bool token_is_hangul_syllable(const char *s, size_t size) {
        ucs4_t c;
        return u8_mbtouc(&c, (const uint8_t *) s, size) > 0 && c >= 0xAC00 && c <= 0xD7A3;
}

/* Folds one grapheme cluster [@s, @s + @n) whose first code point is
 * @base into @out (at most @size bytes). Returns the bytes written (0: it
 * folds to nothing or does not fit) or -ENOMEM. */
static int fold_cluster(const uint8_t *s, size_t n, ucs4_t base, uint8_t *out, size_t size) {
        if (n == 1 && base < 0x80) {
                out[0] = (uint8_t) (base >= 'A' && base <= 'Z' ? base + 32 : base);
                return 1;
        }
        if (base >= 0xAC00 && base <= 0xD7A3 && n == 3) {
                /* A precomposed syllable: already NFC, no case. */
                memcpy(out, s, 3);
                return 3;
        }
        uint8_t buf1[64], buf2[64];
        size_t n1 = sizeof buf1;
        uint8_t *folded = u8_casefold(s, n, NULL, UNINORM_NFKD, buf1, &n1);
        if (!folded)
                return -ENOMEM;
        size_t kept = 0;
        bool drop = drops_marks(base);
        for (size_t i = 0; i < n1;) {
                ucs4_t c;
                int len = u8_mbtouc(&c, folded + i, n1 - i);
                if (!(drop && uc_is_general_category(c, UC_CATEGORY_Mn))) {
                        memmove(folded + kept, folded + i, (size_t) len);
                        kept += (size_t) len;
                }
                i += (size_t) len;
        }
        size_t n2 = sizeof buf2;
        uint8_t *composed = kept ? u8_normalize(UNINORM_NFC, folded, kept, buf2, &n2) : buf2;
        if (folded != buf1)
                free(folded);
        if (!composed)
                return -ENOMEM;
        if (!kept)
                n2 = 0;
        int r = n2 <= size ? (int) n2 : 0;
        if (r > 0)
                memcpy(out, composed, n2);
        if (composed != buf2)
                free(composed);
        return r;
}

/* One folded character of a CJK run, with where it stands. */
typedef struct {
        uint8_t text[32];
        size_t size;
        size_t start, end;
} RunChar;

typedef struct {
        TokenizeMode mode;
        TokenFn fn;
        void *userdata;
        /* The word being read (CLASS_WORD, or in TOKENIZE_WORDS a CJK run). */
        uint8_t word[TOKEN_MAX + 64];
        size_t word_size;
        size_t word_start, word_end;
        bool word_cjk;
        bool in_word;
        /* The CJK run being read (not TOKENIZE_WORDS): the previous character. */
        RunChar prev;
        size_t run_length;
} Tokenizer;

static int emit(Tokenizer *t, const uint8_t *text, size_t size, size_t start, size_t end, bool cjk, bool colocated) {
        Token tok = { (const char *) text, size, start, end, cjk, colocated };
        return t->fn(&tok, t->userdata);
}

static int flush_word(Tokenizer *t) {
        if (!t->in_word)
                return 0;
        t->in_word = false;
        if (t->word_size == 0)
                return 0;
        return emit(t, t->word, t->word_size, t->word_start, t->word_end, t->word_cjk, false);
}

/* A run ends: its last character stands alone (a document indexes it at
 * its own position; a query of one character is that character). */
static int flush_run(Tokenizer *t) {
        size_t n = t->run_length;
        t->run_length = 0;
        if (n == 0 || (n > 1 && t->mode == TOKENIZE_QUERY))
                return 0;
        return emit(t, t->prev.text, t->prev.size, t->prev.start, t->prev.end, true, false);
}

static int run_add(Tokenizer *t, const RunChar *c) {
        if (t->run_length > 0) {
                uint8_t pair[64];
                memcpy(pair, t->prev.text, t->prev.size);
                memcpy(pair + t->prev.size, c->text, c->size);
                int r = emit(t, pair, t->prev.size + c->size, t->prev.start, c->end, true, false);
                if (r == 0 && t->mode == TOKENIZE_DOCUMENT)
                        r = emit(t, t->prev.text, t->prev.size, t->prev.start, t->prev.end, true, true);
                if (r != 0)
                        return r;
        }
        t->prev = *c;
        t->run_length++;
        return 0;
}

/* Adds a folded character to the current word, starting one if needed;
 * in TOKENIZE_WORDS a change between CJK and other letters splits words. */
static int word_add(Tokenizer *t, const uint8_t *text, size_t size, size_t start, size_t end, bool cjk) {
        if (t->in_word && t->word_cjk != cjk) {
                int r = flush_word(t);
                if (r != 0)
                        return r;
        }
        if (!t->in_word) {
                t->in_word = true;
                t->word_cjk = cjk;
                t->word_size = 0;
                t->word_start = start;
        }
        if (t->word_size + size <= TOKEN_MAX) {
                memcpy(t->word + t->word_size, text, size);
                t->word_size += size;
        }
        t->word_end = end;
        return 0;
}

static int cluster(Tokenizer *t, const uint8_t *base, const uint8_t *s, size_t n) {
        ucs4_t c;
        int r;
        if (u8_mbtouc(&c, s, n) <= 0 || c == 0xFFFD)
                c = 0xFFFD;
        CharClass cls = c == 0xFFFD ? CLASS_SEPARATOR : classify(c);
        size_t start = (size_t) (s - base), end = start + n;

        if (cls == CLASS_SEPARATOR)
                return flush_word(t) ?: flush_run(t);

        RunChar folded = { .start = start, .end = end };
        r = fold_cluster(s, n, c, folded.text, sizeof folded.text);
        if (r < 0)
                return r;
        folded.size = (size_t) r;
        if (cls == CLASS_CJK && t->mode != TOKENIZE_WORDS) {
                r = flush_word(t);
                if (r != 0 || folded.size == 0)
                        return r;
                return run_add(t, &folded);
        }
        r = flush_run(t);
        if (r != 0)
                return r;
        return word_add(t, folded.text, folded.size, start, end, cls == CLASS_CJK);
}

int tokenize(const char *text, size_t size, TokenizeMode mode, TokenFn fn, void *userdata) {
        Tokenizer t = { .mode = mode, .fn = fn, .userdata = userdata };
        const uint8_t *s = (const uint8_t *) text, *end = s + size;

        while (s < end) {
                const uint8_t *next = u8_grapheme_next(s, end);
                if (!next || next <= s)
                        next = s + 1;
                int r = cluster(&t, (const uint8_t *) text, s, (size_t) (next - s));
                if (r != 0)
                        return r;
                s = next;
        }
        return flush_word(&t) ?: flush_run(&t);
}
