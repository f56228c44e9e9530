/* The database found damaged while the daemon runs (store_damaged()).
 *
 * The store stops writing by itself; this part tells people: once in the
 * log and in sd_notify's STATUS=, with the file and the newest snapshot
 * that passes the check, and in the DatabaseDamaged error every write (and
 * every read that no longer works) gets instead of a false "Recorded". */
#pragma once

#include <jansson.h>

struct Manager;

/* Room for damage_status(): its words and a snapshot's path. */
#define DAMAGE_STATUS_MAX 512

/* Watches the Manager's store, one just opened (at start, after a restore). */
void damage_watch(struct Manager *m);
/* The io.lookback.DatabaseDamaged error, for a request that failed on it. */
json_t *damage_error(struct Manager *m);
/* For STATUS=: "Database damaged, writes refused (newest good snapshot:
 * FILE); " or "" while the store is healthy. */
void damage_status(struct Manager *m, char *buf, size_t size);
