#include "store-fts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"
#include "util.h"

/* The tokenizer keeps no state: one static instance serves every table. */
static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **ret) {
        static char instance;
        *ret = (Fts5Tokenizer *) &instance;
        return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t) {
}

typedef struct {
        void *ctx;
        int (*token)(void *ctx, int flags, const char *token, int n, int start, int end);
} TokenSink;

static int to_fts5(const Token *t, void *userdata) {
        TokenSink *sink = userdata;
        int rc = sink->token(sink->ctx, t->colocated ? FTS5_TOKEN_COLOCATED : 0, t->text, (int) t->size, (int) t->start,
                             (int) t->end);
        /* tokenize() returns what we return: keep SQLite's codes positive,
         * apart from its own -ENOMEM. */
        return rc == SQLITE_OK ? 0 : rc;
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                        int (*token)(void *, int, const char *, int, int, int)) {
        TokenSink sink = { ctx, token };
        TokenizeMode mode = (flags & FTS5_TOKENIZE_QUERY) ? TOKENIZE_QUERY : TOKENIZE_DOCUMENT;
        int r = tokenize(text ? text : "", n > 0 ? (size_t) n : 0, mode, to_fts5, &sink);
        if (r == -ENOMEM)
                return SQLITE_NOMEM;
        return r;
}

static fts5_api *fts5_api_of(sqlite3 *db) {
        fts5_api *api = NULL;
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
                return NULL;
        sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
        sqlite3_finalize(st);
        return api;
}

int store_search_register(sqlite3 *db, char **ret_message) {
        static fts5_tokenizer tokenizer = { tok_create, tok_delete, tok_tokenize };
        fts5_api *api = fts5_api_of(db);
        if (!api || api->iVersion < 2) {
                *ret_message = strdup("this SQLite has no FTS5, which the journal's search needs");
                return -EIO;
        }
        if (api->xCreateTokenizer(api, "lookback", NULL, &tokenizer, NULL) != SQLITE_OK) {
                *ret_message = strdup_printf("cannot register the search tokenizer: %s", sqlite3_errmsg(db));
                return -EIO;
        }
        return 0;
}
