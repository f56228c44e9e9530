#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool strbuf_reserve(StrBuf *b, size_t extra) {
        size_t need, size;
        char *p;

        if (b->oom)
                return false;
        if (extra > STRBUF_SIZE_MAX - b->len) {
                b->oom = true;
                return false;
        }
        need = b->len + extra + 1;
        if (need <= b->size)
                return true;
        size = b->size > 0 ? b->size : 256;
        while (size < need)
                size *= 2;
        p = realloc(b->data, size);
        if (!p) {
                b->oom = true;
                return false;
        }
        b->data = p;
        b->size = size;
        return true;
}

void strbuf_add(StrBuf *b, const char *s, size_t n) {
        if (!strbuf_reserve(b, n))
                return;
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
}

void strbuf_puts(StrBuf *b, const char *s) {
        strbuf_add(b, s, strlen(s));
}

void strbuf_printf(StrBuf *b, const char *fmt, ...) {
        va_list ap;
        int n;

        if (b->oom)
                return;
        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
                b->oom = true;
                return;
        }
        if (!strbuf_reserve(b, (size_t) n))
                return;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t) n;
}

const char *strbuf_entity(unsigned char c) {
        switch (c) {
        case '&':
                return "&amp;";
        case '<':
                return "&lt;";
        case '>':
                return "&gt;";
        case '"':
                return "&quot;";
        case '\'':
                return "&#39;";
        default:
                return NULL;
        }
}

void strbuf_put_escaped(StrBuf *b, const char *s) {
        const char *run = s;

        if (!s)
                return;
        for (; *s; s++) {
                const char *entity = strbuf_entity((unsigned char) *s);

                if (!entity)
                        continue;
                strbuf_add(b, run, (size_t) (s - run));
                strbuf_puts(b, entity);
                run = s + 1;
        }
        strbuf_add(b, run, (size_t) (s - run));
}

char *strbuf_finish(StrBuf *b) {
        char *data;

        if (!strbuf_reserve(b, 0)) {
                strbuf_done(b);
                return NULL;
        }
        b->data[b->len] = '\0'; /* nothing may have been appended yet */
        data = b->data;
        *b = (StrBuf){};
        return data;
}

void strbuf_done(StrBuf *b) {
        free(b->data);
        *b = (StrBuf){};
}

char *markup_escape(const char *s) {
        StrBuf b = {};

        strbuf_put_escaped(&b, s);
        return strbuf_finish(&b);
}
