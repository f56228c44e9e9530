/* lookback's tokenizer (core/tokenize.h) made an SQLite FTS5 tokenizer
 * named "lookback", registered on a connection through fts5_api before
 * the schema that uses it is touched. Part of the store. */
#pragma once

#include <sqlite3.h>

/* Returns 0, or -EIO with *ret_message set (this SQLite has no FTS5). */
int store_search_register(sqlite3 *db, char **ret_message);
