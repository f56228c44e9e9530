#include "themes.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"
#include "util.h"

/* Particles and endings, taken off a Hangul word to find what it is about:
 * 전문가인가 → 전문가, 운동을 → 운동. Longest first wins. A particle that
 * is also a common last syllable of nouns (가 of 전문가, 이, 도, 나, 만,
 * 요) is taken off only when three syllables stay, so 전문가 stays whole
 * while 전문가가 loses one 가; the others when two stay. */
typedef struct {
        const char *suffix;
        unsigned min_stem; /* syllables that must remain */
} Particle;

static const Particle particles[] = {
        { "에서는", 2 }, { "에게서", 2 }, { "으로는", 2 }, { "이라고", 2 }, { "이라는", 2 }, { "했는데", 2 },
        { "하는지", 2 }, { "인가요", 2 }, { "입니다", 2 }, { "에서", 2 },   { "에게", 2 },   { "으로", 2 },
        { "하고", 2 },   { "인가", 2 },   { "이다", 2 },   { "이고", 2 },   { "까지", 2 },   { "부터", 2 },
        { "처럼", 2 },   { "보다", 2 },   { "라고", 2 },   { "라는", 2 },   { "이나", 2 },   { "이랑", 2 },
        { "했다", 2 },   { "한다", 2 },   { "하다", 2 },   { "했고", 2 },   { "해서", 2 },   { "하는", 2 },
        { "하기", 2 },   { "했던", 2 },   { "한테", 2 },   { "에는", 2 },   { "은", 2 },     { "는", 2 },
        { "을", 2 },     { "를", 2 },     { "에", 2 },     { "의", 2 },     { "로", 2 },     { "와", 2 },
        { "과", 2 },     { "이", 3 },     { "가", 3 },     { "도", 3 },     { "나", 3 },     { "만", 3 },
        { "요", 3 },
};

/* Words too common in any journal to be a theme, before counting. */
static const char *const stop_words[] = {
        /* English */
        "about",
        "after",
        "again",
        "all",
        "also",
        "and",
        "any",
        "are",
        "because",
        "been",
        "before",
        "being",
        "both",
        "but",
        "can",
        "could",
        "did",
        "does",
        "doing",
        "done",
        "down",
        "each",
        "even",
        "every",
        "few",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "her",
        "here",
        "him",
        "his",
        "how",
        "into",
        "its",
        "just",
        "last",
        "like",
        "lot",
        "made",
        "make",
        "many",
        "more",
        "most",
        "much",
        "must",
        "myself",
        "next",
        "not",
        "now",
        "off",
        "once",
        "one",
        "only",
        "other",
        "our",
        "out",
        "over",
        "own",
        "really",
        "same",
        "she",
        "should",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "this",
        "those",
        "through",
        "too",
        "under",
        "until",
        "very",
        "was",
        "way",
        "week",
        "well",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "year",
        "yes",
        "yet",
        "you",
        "your",
        /* Korean */
        "그리고",
        "하지만",
        "그래서",
        "그런데",
        "정말",
        "너무",
        "이번",
        "다음",
        "오늘",
        "어제",
        "내일",
        "이번주",
        "지난주",
        "그냥",
        "아직",
        "다시",
        "우리",
        "저는",
        "나는",
        "내가",
        "조금",
        "많이",
        "있다",
        "없다",
        "같다",
        "것이",
        "것을",
        "그것",
        "이것",
        "무엇",
        "어떻게",
        "왜냐하면",
};

static size_t syllables(const char *s, size_t n) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
                if (((unsigned char) s[i] & 0xC0) != 0x80)
                        count++;
        return count;
}

size_t themes_hangul_stem(const char *word, size_t size, char *buf, size_t buf_size) {
        size_t best = size, total = syllables(word, size);
        for (size_t i = 0; i < ELEMENTSOF(particles); i++) {
                size_t n = strlen(particles[i].suffix);
                if (n >= size || memcmp(word + size - n, particles[i].suffix, n) != 0)
                        continue;
                if (total - syllables(particles[i].suffix, n) < particles[i].min_stem)
                        continue;
                if (size - n < best)
                        best = size - n;
        }
        if (best > buf_size)
                best = buf_size;
        memcpy(buf, word, best);
        return best;
}

static bool is_stop_word(const char *s, size_t n) {
        for (size_t i = 0; i < ELEMENTSOF(stop_words); i++)
                if (strlen(stop_words[i]) == n && memcmp(stop_words[i], s, n) == 0)
                        return true;
        return false;
}

static bool has_digit(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (s[i] >= '0' && s[i] <= '9')
                        return true;
        return false;
}

/* A term and the answer it was seen in. */
typedef struct {
        char *term;
        size_t doc;
} Sighting;

typedef struct {
        Sighting *items;
        size_t n, allocated;
        size_t doc;
} Sightings;

static int sighting_add(Sightings *s, const char *term, size_t n) {
        if (s->n == s->allocated) {
                size_t want = s->allocated ? s->allocated * 2 : 1024;
                Sighting *p = reallocarray(s->items, want, sizeof(Sighting));
                if (!p)
                        return -ENOMEM;
                s->items = p;
                s->allocated = want;
        }
        char *copy = strndup(term, n);
        if (!copy)
                return -ENOMEM;
        s->items[s->n++] = (Sighting){ copy, s->doc };
        return 0;
}

static int collect(const Token *t, void *userdata) {
        char stem[TOKEN_MAX + 1];
        const char *term = t->text;
        size_t n = t->size;

        if (t->cjk) {
                /* Only Hangul: Chinese and Japanese are not split into words here. */
                if (!token_is_hangul_syllable(t->text, t->size))
                        return 0;
                n = themes_hangul_stem(t->text, t->size, stem, sizeof stem);
                term = stem;
                if (syllables(term, n) < 2)
                        return 0;
        } else if (n < 3 || has_digit(term, n))
                return 0;
        if (is_stop_word(term, n))
                return 0;
        return sighting_add(userdata, term, n);
}

static int sighting_compare(const void *a, const void *b) {
        const Sighting *x = a, *y = b;
        int c = strcmp(x->term, y->term);
        return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

static int theme_compare(const void *a, const void *b) {
        const Theme *x = a, *y = b;
        if (x->n_years != y->n_years)
                return x->n_years < y->n_years ? 1 : -1;
        if (x->count != y->count)
                return x->count < y->count ? 1 : -1;
        return strcmp(x->term, y->term);
}

void themes_done(ThemeList *t) {
        for (size_t i = 0; i < t->n; i++) {
                free(t->items[i].term);
                free(t->items[i].years);
                free(t->items[i].days);
        }
        free(t->items);
        *t = (ThemeList){};
}

static int year_of(day_t d) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        return y;
}

static int int_desc(const void *a, const void *b) {
        int x = *(const int *) a, y = *(const int *) b;
        return (x < y) - (x > y);
}

static int day_asc(const void *a, const void *b) {
        day_t x = *(const day_t *) a, y = *(const day_t *) b;
        return (x > y) - (x < y);
}

/* Makes the group of sightings [@from, @to) of one term into a theme when
 * it is one: 1 added, 0 not a theme, -ENOMEM. */
static int group_to_theme(const Sightings *s, size_t from, size_t to, const ThemeDoc *docs, size_t n_docs,
                          ThemeList *ret) {
        size_t n_days = 0;
        _cleanup_free_ day_t *days = calloc(to - from, sizeof(day_t));
        _cleanup_free_ int *years = calloc(to - from, sizeof(int));
        if (!days || !years)
                return -ENOMEM;
        for (size_t i = from; i < to; i++)
                if (i == from || s->items[i].doc != s->items[i - 1].doc)
                        days[n_days++] = docs[s->items[i].doc].day;
        if ((size_t) n_days * THEME_RARITY >= n_docs)
                return 0;
        qsort(days, n_days, sizeof(day_t), day_asc);
        size_t n_years = 0;
        for (size_t i = 0; i < n_days; i++)
                if (n_years == 0 || years[n_years - 1] != year_of(days[i]))
                        years[n_years++] = year_of(days[i]);
        if (n_years < THEME_MIN_YEARS)
                return 0;
        qsort(years, n_years, sizeof(int), int_desc);
        Theme *p = reallocarray(ret->items, ret->n + 1, sizeof(Theme));
        if (!p)
                return -ENOMEM;
        ret->items = p;
        char *term = strdup(s->items[from].term);
        if (!term)
                return -ENOMEM;
        p[ret->n++] = (Theme){ term, (unsigned) n_days, TAKE_PTR(years), n_years, TAKE_PTR(days), n_days };
        return 1;
}

int themes_find(const ThemeDoc *docs, size_t n_docs, ThemeList *ret) {
        Sightings s = {};
        int r = 0;

        *ret = (ThemeList){};
        for (size_t i = 0; i < n_docs && r >= 0; i++) {
                s.doc = i;
                r = tokenize(docs[i].text, strlen(docs[i].text), TOKENIZE_WORDS, collect, &s);
        }
        if (r >= 0 && s.n > 0)
                qsort(s.items, s.n, sizeof(Sighting), sighting_compare);
        for (size_t i = 0; i < s.n && r >= 0;) {
                size_t j = i + 1;
                while (j < s.n && strcmp(s.items[j].term, s.items[i].term) == 0)
                        j++;
                r = group_to_theme(&s, i, j, docs, n_docs, ret);
                i = j;
        }
        for (size_t i = 0; i < s.n; i++)
                free(s.items[i].term);
        free(s.items);
        if (r < 0) {
                themes_done(ret);
                return r;
        }
        if (ret->n > 0)
                qsort(ret->items, ret->n, sizeof(Theme), theme_compare);
        return 0;
}
