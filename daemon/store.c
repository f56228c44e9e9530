#include "store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store-fts.h"
#include "store-health.h"
#include "store-internal.h"
#include "tokenize.h"
#include "util.h"

/* Migrations run forward only, each in its own transaction; the file's
 * PRAGMA user_version is the number of migrations applied. Never edit one
 * that has shipped: add another. */
static const char *const migrations[] = {
        /* 1: the core — reviews, check-ins, prompts. */
        "CREATE TABLE answers ("
        "  id INTEGER PRIMARY KEY,"
        "  uuid TEXT NOT NULL UNIQUE,"
        "  kind TEXT NOT NULL CHECK (kind IN ('weekly', 'halfyear')),"
        "  period_start TEXT NOT NULL,"
        "  period_end TEXT NOT NULL,"
        "  created_usec INTEGER NOT NULL);"
        "CREATE INDEX answers_period ON answers (kind, period_start);"
        "CREATE TABLE answer_entries ("
        "  answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,"
        "  position INTEGER NOT NULL,"
        "  question TEXT NOT NULL,"
        "  body TEXT NOT NULL,"
        "  PRIMARY KEY (answer_id, position));"
        "CREATE TABLE checkins ("
        "  id INTEGER PRIMARY KEY,"
        "  uuid TEXT NOT NULL UNIQUE,"
        "  habit TEXT NOT NULL,"
        "  day TEXT NOT NULL,"
        "  note TEXT,"
        "  created_usec INTEGER NOT NULL);"
        "CREATE INDEX checkins_habit_day ON checkins (habit, day);"
        "CREATE TABLE prompts ("
        "  id INTEGER PRIMARY KEY,"
        "  kind TEXT NOT NULL CHECK (kind IN ('weekly', 'halfyear')),"
        "  period_start TEXT NOT NULL,"
        "  period_end TEXT NOT NULL,"
        "  fired_usec INTEGER NOT NULL,"
        "  state TEXT NOT NULL DEFAULT 'pending'"
        "    CHECK (state IN ('pending', 'answered', 'skipped', 'superseded')),"
        "  UNIQUE (kind, period_start));",
        /* 2: schedules remember what they fired, prompts how much they
         * caught up, and periods can be skipped (excused). */
        "CREATE TABLE schedule_state ("
        "  kind TEXT PRIMARY KEY CHECK (kind IN ('weekly', 'halfyear')),"
        "  spec TEXT NOT NULL,"
        "  last_fired_usec INTEGER NOT NULL,"
        "  snooze_until_usec INTEGER);"
        "ALTER TABLE prompts ADD COLUMN missed INTEGER NOT NULL DEFAULT 1;"
        "CREATE TABLE skips ("
        "  id INTEGER PRIMARY KEY,"
        "  uuid TEXT NOT NULL UNIQUE,"
        "  habit TEXT NOT NULL,"
        "  day TEXT NOT NULL,"
        "  note TEXT,"
        "  created_usec INTEGER NOT NULL);"
        "CREATE INDEX skips_habit_day ON skips (habit, day);",
        /* 3: pauses with reasons, goals with their fate, and the lapses
         * already flagged (so each is announced once, across restarts). */
        "CREATE TABLE pauses ("
        "  id INTEGER PRIMARY KEY,"
        "  uuid TEXT NOT NULL UNIQUE,"
        "  habit TEXT NOT NULL,"
        "  from_day TEXT NOT NULL,"
        "  to_day TEXT,"
        "  reason TEXT,"
        "  created_usec INTEGER NOT NULL);"
        "CREATE INDEX pauses_habit ON pauses (habit, from_day);"
        "CREATE TABLE goals ("
        "  id INTEGER PRIMARY KEY,"
        "  uuid TEXT NOT NULL UNIQUE,"
        "  text TEXT NOT NULL,"
        "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'achieved', 'dropped')),"
        "  created_day TEXT NOT NULL,"
        "  closed_day TEXT,"
        "  reason TEXT,"
        "  created_usec INTEGER NOT NULL);"
        "CREATE TABLE lapse_flags ("
        "  habit TEXT NOT NULL,"
        "  lapse_from TEXT NOT NULL,"
        "  flagged_usec INTEGER NOT NULL,"
        "  PRIMARY KEY (habit, lapse_from));",
        /* 4: the check-ins that carry a note, so a habit's days are read
         * from the covering (habit, day) index and only the few notes from
         * the table: reading every row for its note cost a 10-year report
         * a third more time. */
        "CREATE INDEX checkins_noted ON checkins (habit, day) WHERE note IS NOT NULL;",
        /* 5: the journal's search index. Contentless (the text stays in its
         * tables only), with lookback's tokenizer (tokenize.h). A row's
         * rowid says where it comes from: (source id) * 8 + table, and for
         * an answer the source id is answer id * 128 + position. Triggers
         * in plain SQL queue each change of a text (an FTS5 contentless
         * delete needs the old text, so the queue keeps it); the daemon
         * applies the queue inside the same transaction, just before it
         * commits (store_commit), and at start. So the database stays
         * writable by any SQLite, which does not know our tokenizer, and
         * whatever it wrote is indexed when the daemon next opens it.
         * search_meta's version makes store_open refill the index. */
        "CREATE VIRTUAL TABLE search USING fts5 (body, content = '', tokenize = 'lookback');"
        "CREATE TABLE search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
        "INSERT INTO search_meta VALUES ('tokenizer', 0);"
        "CREATE TABLE search_queue (seq INTEGER PRIMARY KEY, key INTEGER NOT NULL, indexed INTEGER NOT NULL,"
        "  body TEXT NOT NULL);"
        "CREATE TRIGGER search_entry_insert AFTER INSERT ON answer_entries BEGIN"
        "  INSERT INTO search_queue (key, indexed, body)"
        "    VALUES ((new.answer_id * 128 + new.position) * 8 + 1, 1, new.body); END;"
        "CREATE TRIGGER search_entry_delete AFTER DELETE ON answer_entries BEGIN"
        "  INSERT INTO search_queue (key, indexed, body)"
        "    VALUES ((old.answer_id * 128 + old.position) * 8 + 1, 0, old.body); END;"
        "CREATE TRIGGER search_checkin_insert AFTER INSERT ON checkins WHEN new.note IS NOT NULL BEGIN"
        "  INSERT INTO search_queue (key, indexed, body) VALUES (new.id * 8 + 2, 1, new.note); END;"
        "CREATE TRIGGER search_checkin_delete AFTER DELETE ON checkins WHEN old.note IS NOT NULL BEGIN"
        "  INSERT INTO search_queue (key, indexed, body) VALUES (old.id * 8 + 2, 0, old.note); END;"
        "CREATE TRIGGER search_skip_insert AFTER INSERT ON skips WHEN new.note IS NOT NULL BEGIN"
        "  INSERT INTO search_queue (key, indexed, body) VALUES (new.id * 8 + 3, 1, new.note); END;"
        "CREATE TRIGGER search_skip_delete AFTER DELETE ON skips WHEN old.note IS NOT NULL BEGIN"
        "  INSERT INTO search_queue (key, indexed, body) VALUES (old.id * 8 + 3, 0, old.note); END;"
        "CREATE TRIGGER search_pause_insert AFTER INSERT ON pauses WHEN new.reason IS NOT NULL BEGIN"
        "  INSERT INTO search_queue (key, indexed, body) VALUES (new.id * 8 + 4, 1, new.reason); END;"
        "CREATE TRIGGER search_pause_delete AFTER DELETE ON pauses WHEN old.reason IS NOT NULL BEGIN"
        "  INSERT INTO search_queue (key, indexed, body) VALUES (old.id * 8 + 4, 0, old.reason); END;"
        "CREATE TRIGGER search_goal_insert AFTER INSERT ON goals BEGIN"
        "  INSERT INTO search_queue (key, indexed, body)"
        "    VALUES (new.id * 8 + 5, 1, new.text || coalesce(char(10) || new.reason, '')); END;"
        "CREATE TRIGGER search_goal_update AFTER UPDATE OF text, reason ON goals BEGIN"
        "  INSERT INTO search_queue (key, indexed, body)"
        "    VALUES (old.id * 8 + 5, 0, old.text || coalesce(char(10) || old.reason, ''));"
        "  INSERT INTO search_queue (key, indexed, body)"
        "    VALUES (new.id * 8 + 5, 1, new.text || coalesce(char(10) || new.reason, '')); END;"
        "CREATE TRIGGER search_goal_delete AFTER DELETE ON goals BEGIN"
        "  INSERT INTO search_queue (key, indexed, body)"
        "    VALUES (old.id * 8 + 5, 0, old.text || coalesce(char(10) || old.reason, '')); END;",
        /* 6: your data is yours. A record removed (undo, forget, an
         * import's tombstone) is deleted and leaves a tombstone, so no copy
         * of it brought back later (an old export, another machine) revives
         * it. A goal's fate becomes a history of changes (its row keeps the
         * newest one's, for the queries that read it); free notes hold
         * what jrnl and dated Markdown files bring. device says where a
         * record was made: NULL is this machine. */
        "CREATE TABLE tombstones ("
        "  uuid TEXT PRIMARY KEY,"
        "  kind TEXT NOT NULL,"
        "  device TEXT,"
        "  removed_usec INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE goal_changes ("
        "  id INTEGER PRIMARY KEY,"
        "  uuid TEXT NOT NULL UNIQUE,"
        "  goal_uuid TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN ('open', 'achieved', 'dropped')),"
        "  closed_day TEXT,"
        "  reason TEXT,"
        "  device TEXT,"
        "  created_usec INTEGER NOT NULL);"
        "CREATE INDEX goal_changes_goal ON goal_changes (goal_uuid, created_usec);"
        "CREATE TABLE notes ("
        "  id INTEGER PRIMARY KEY,"
        "  uuid TEXT NOT NULL UNIQUE,"
        "  day TEXT NOT NULL,"
        "  title TEXT,"
        "  body TEXT NOT NULL,"
        "  device TEXT,"
        "  created_usec INTEGER NOT NULL);"
        "CREATE INDEX notes_day ON notes (day);"
        "ALTER TABLE answers ADD COLUMN device TEXT;"
        "ALTER TABLE checkins ADD COLUMN device TEXT;"
        "ALTER TABLE skips ADD COLUMN device TEXT;"
        "ALTER TABLE pauses ADD COLUMN device TEXT;"
        "ALTER TABLE goals ADD COLUMN device TEXT;"
        /* A goal closed before this migration gets one change, dated the
         * day it closed (noon UTC: when exactly was not kept). */
        "INSERT INTO goal_changes (uuid, goal_uuid, status, closed_day, reason, created_usec)"
        "  SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)"
        "         || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-'"
        "         || hex(randomblob(6))), uuid, status, closed_day, reason,"
        "         max(created_usec, coalesce(CAST((julianday(closed_day) - 2440587.5) * 86400000000 AS INTEGER)"
        "             + 43200000000, 0))"
        "    FROM goals WHERE status != 'open';"
        "CREATE TRIGGER search_note_insert AFTER INSERT ON notes BEGIN"
        "  INSERT INTO search_queue (key, indexed, body)"
        "    VALUES (new.id * 8 + 6, 1, coalesce(new.title || char(10), '') || new.body); END;"
        "CREATE TRIGGER search_note_delete AFTER DELETE ON notes BEGIN"
        "  INSERT INTO search_queue (key, indexed, body)"
        "    VALUES (old.id * 8 + 6, 0, coalesce(old.title || char(10), '') || old.body); END;",
        /* 7: sync through a folder (store-sync.c). A pause's end keeps the
         * clock it was set at, so that the later of two ends set on two
         * machines wins on both. The outbox holds the changes not yet in
         * this machine's log; its AUTOINCREMENT counter is the log's
         * sequence, never reused. What was read of each log file, and the
         * newest sequence applied of each machine, make a re-read cheap. */
        "ALTER TABLE pauses ADD COLUMN end_hlc INTEGER;"
        "CREATE TABLE sync_outbox ("
        "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  kind TEXT NOT NULL,"
        "  key TEXT NOT NULL,"
        "  op TEXT NOT NULL);"
        "CREATE TABLE sync_files ("
        "  name TEXT PRIMARY KEY,"
        "  device TEXT NOT NULL,"
        "  generation TEXT,"
        "  offset INTEGER NOT NULL,"
        "  line INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE sync_devices ("
        "  device TEXT PRIMARY KEY,"
        "  host TEXT,"
        "  seq INTEGER NOT NULL,"
        "  hlc INTEGER,"
        "  read_usec INTEGER) WITHOUT ROWID;",
        /* 8: requests already done (store-requests.c). A write's client-made
         * key and the reply it got: a resend after a lost reply is answered
         * from here instead of recorded twice. Local to this database; sync
         * carries the records themselves. */
        "CREATE TABLE requests ("
        "  key TEXT PRIMARY KEY,"
        "  method TEXT NOT NULL,"
        "  params_hash INTEGER NOT NULL,"
        "  reply TEXT NOT NULL,"
        "  created_usec INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE INDEX requests_created ON requests (created_usec);"
        /* A forgotten record's text must not outlive it in a stored reply
         * (here, or through sync's tombstones, or in a snapshot). */
        "CREATE TRIGGER requests_forget AFTER INSERT ON tombstones BEGIN"
        "  DELETE FROM requests WHERE instr(reply, new.uuid) > 0; END;",
};

typedef enum {
        STMT_BEGIN,
        STMT_COMMIT,
        STMT_ROLLBACK,
        STMT_ANSWER_INSERT,
        STMT_ENTRY_INSERT,
        STMT_ANSWERS_LIST,
        STMT_ENTRIES_LIST,
        STMT_CHECKIN_INSERT,
        STMT_PROMPT_INSERT,
        STMT_PROMPT_RESOLVE,
        STMT_PROMPT_OLDEST,
        STMT_PROMPTS_PENDING,
        STMT_PROMPT_SUPERSEDE,
        STMT_PROMPT_LATEST,
        STMT_SCHEDULE_GET,
        STMT_SCHEDULE_SET_FIRED,
        STMT_SCHEDULE_SET_SNOOZE,
        STMT_SKIP_INSERT,
        STMT_CHECKIN_DAYS,
        STMT_CHECKIN_NOTES,
        STMT_REVIEW_DAYS,
        STMT_SKIP_DAYS,
        STMT_PAUSES,
        STMT_PAUSE_INSERT,
        STMT_PAUSE_OPEN,
        STMT_PAUSE_END,
        STMT_PAUSE_DELETE,
        STMT_GOAL_INSERT,
        STMT_GOAL_FIND,
        STMT_GOALS_LIST,
        STMT_GOALS_RANGE,
        STMT_LAPSE_FLAGGED,
        STMT_LAPSE_FLAG,
        STMT_LAPSE_UNFLAG,
        STMT_ANSWERS_COUNT,
        STMT_SEARCH,
        STMT_SEARCH_APPLY,
        STMT_SEARCH_QUEUE_CLEAR,
        STMT_JOURNAL_RANGE,
        STMT_JOURNAL_FIRST,
        STMT_THEME_DOCS,
        _STMT_MAX,
} StatementId;

/* Every statement the daemon runs, prepared once at open. */
static const char *const statement_sql[_STMT_MAX] = {
        [STMT_BEGIN] = "BEGIN IMMEDIATE",
        [STMT_COMMIT] = "COMMIT",
        [STMT_ROLLBACK] = "ROLLBACK",
        [STMT_ANSWER_INSERT] = "INSERT INTO answers (uuid, kind, period_start, period_end, created_usec) "
                               "VALUES (?, ?, ?, ?, ?)",
        [STMT_ENTRY_INSERT] = "INSERT INTO answer_entries (answer_id, position, question, body) VALUES (?, ?, ?, ?)",
        [STMT_ANSWERS_LIST] = "SELECT id, uuid, kind, period_start, period_end, created_usec FROM answers "
                              "WHERE (?1 IS NULL OR kind = ?1) AND period_end >= ?2 AND period_start <= ?3 "
                              "ORDER BY period_start DESC, created_usec DESC, id DESC",
        [STMT_ENTRIES_LIST] = "SELECT question, body FROM answer_entries WHERE answer_id = ? ORDER BY position",
        [STMT_CHECKIN_INSERT] = "INSERT INTO checkins (uuid, habit, day, note, created_usec) VALUES (?, ?, ?, ?, ?)",
        /* Prompting a period again (a catch-up after `remind`, say) keeps
         * the row; only an unresolved one is brought back to pending. */
        [STMT_PROMPT_INSERT] =
                "INSERT INTO prompts (kind, period_start, period_end, fired_usec, missed) "
                "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (kind, period_start) DO UPDATE "
                "SET fired_usec = ?4, missed = ?5, state = 'pending' WHERE state IN ('pending', 'superseded')",
        [STMT_PROMPT_SUPERSEDE] = "UPDATE prompts SET state = 'superseded' WHERE kind = ?1 AND state = 'pending' "
                                  "AND period_start < ?2",
        [STMT_PROMPT_LATEST] = "SELECT period_start, period_end, missed FROM prompts WHERE kind = ? "
                               "AND state = 'pending' ORDER BY period_start DESC LIMIT 1",
        [STMT_SCHEDULE_GET] = "SELECT spec, last_fired_usec, snooze_until_usec FROM schedule_state WHERE kind = ?",
        [STMT_SCHEDULE_SET_FIRED] = "INSERT INTO schedule_state (kind, spec, last_fired_usec) VALUES (?1, ?2, ?3) "
                                    "ON CONFLICT (kind) DO UPDATE SET spec = ?2, last_fired_usec = ?3",
        [STMT_SCHEDULE_SET_SNOOZE] = "UPDATE schedule_state SET snooze_until_usec = ?2 WHERE kind = ?1",
        [STMT_SKIP_INSERT] = "INSERT INTO skips (uuid, habit, day, note, created_usec) VALUES (?, ?, ?, ?, ?)",
        /* Both in (day, id) order, from the two indexes (migration 4). */
        [STMT_CHECKIN_DAYS] = "SELECT day, NULL, id FROM checkins WHERE habit = ? ORDER BY day, id",
        [STMT_CHECKIN_NOTES] = "SELECT id, note FROM checkins WHERE habit = ? AND note IS NOT NULL ORDER BY day, id",
        /* A period answered twice is still one check-in; it counts on the
         * day it was written, or the period's last day when back-filled. */
        [STMT_REVIEW_DAYS] =
                "SELECT min(min(period_end, date(created_usec / 1000000, 'unixepoch', 'localtime'))) AS d, NULL "
                "FROM answers WHERE kind = ? GROUP BY period_start ORDER BY d",
        [STMT_SKIP_DAYS] = "SELECT day, note FROM skips WHERE habit = ? ORDER BY day, id",
        [STMT_PAUSES] = "SELECT from_day, to_day, reason, uuid FROM pauses WHERE habit = ? ORDER BY from_day",
        [STMT_PAUSE_INSERT] = "INSERT INTO pauses (uuid, habit, from_day, to_day, reason, created_usec) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
        [STMT_PAUSE_OPEN] = "SELECT id, from_day FROM pauses WHERE habit = ? AND to_day IS NULL",
        [STMT_PAUSE_END] = "UPDATE pauses SET to_day = ?2, end_hlc = ?3 WHERE id = ?1",
        [STMT_PAUSE_DELETE] = "DELETE FROM pauses WHERE id = ?",
        [STMT_GOAL_INSERT] = "INSERT INTO goals (uuid, text, created_day, created_usec) VALUES (?, ?, ?, ?)",
        [STMT_GOAL_FIND] = "SELECT uuid FROM goals WHERE uuid LIKE ?1 || '%' ESCAPE '\\' ORDER BY uuid LIMIT 2",
        [STMT_GOALS_LIST] = "SELECT uuid, text, status, created_day, closed_day, reason FROM goals "
                            "WHERE ?1 OR status = 'open' ORDER BY created_day, id",
        /* Goals that were open at some time in [?1, ?2]. */
        [STMT_GOALS_RANGE] = "SELECT uuid, text, status, created_day, closed_day, reason FROM goals "
                             "WHERE created_day <= ?2 AND (closed_day IS NULL OR closed_day >= ?1) "
                             "ORDER BY created_day, id",
        [STMT_LAPSE_FLAGGED] = "SELECT 1 FROM lapse_flags WHERE habit = ? AND lapse_from = ?",
        [STMT_LAPSE_FLAG] = "INSERT OR IGNORE INTO lapse_flags (habit, lapse_from, flagged_usec) VALUES (?, ?, ?)",
        [STMT_LAPSE_UNFLAG] = "DELETE FROM lapse_flags WHERE habit = ? AND lapse_from = ?",
        /* Everything dated in [?1, ?2], oldest first: the columns of STMT_SEARCH. */
        [STMT_JOURNAL_RANGE] =
                "SELECT CASE a.kind WHEN 'weekly' THEN 0 ELSE 1 END AS src, a.period_start AS day, a.period_end,"
                "       e.question, NULL, NULL, NULL, a.created_usec, e.body, 0, e.position AS pos"
                "  FROM answers a JOIN answer_entries e ON e.answer_id = a.id"
                " WHERE a.period_start BETWEEN ?1 AND ?2 AND a.id = (SELECT a2.id FROM answers a2 WHERE"
                "       a2.kind = a.kind AND a2.period_start = a.period_start ORDER BY a2.created_usec DESC, a2.id DESC"
                "       LIMIT 1)"
                " UNION ALL SELECT 2, day, day, NULL, habit, NULL, NULL, created_usec, note, 0, id FROM checkins"
                "  WHERE note IS NOT NULL AND day BETWEEN ?1 AND ?2"
                " UNION ALL SELECT 3, day, day, NULL, habit, NULL, NULL, created_usec, note, 0, id FROM skips"
                "  WHERE note IS NOT NULL AND day BETWEEN ?1 AND ?2"
                " UNION ALL SELECT 4, from_day, from_day, NULL, habit, NULL, NULL, created_usec, reason, 0, id"
                "  FROM pauses WHERE reason IS NOT NULL AND from_day BETWEEN ?1 AND ?2"
                " UNION ALL SELECT 5, created_day, created_day, NULL, NULL, uuid, status, created_usec,"
                "       text || coalesce(char(10) || reason, ''), 0, id FROM goals WHERE created_day BETWEEN ?1 AND ?2"
                " UNION ALL SELECT 6, day, day, NULL, NULL, NULL, NULL, created_usec,"
                "       coalesce(title || char(10), '') || body, 0, id FROM notes WHERE day BETWEEN ?1 AND ?2"
                " ORDER BY day, src, pos",
        /* The queue in order: a NULL command column is a plain insert. */
        [STMT_SEARCH_APPLY] = "INSERT INTO search (search, rowid, body)"
                              " SELECT CASE WHEN indexed THEN NULL ELSE 'delete' END, key, body FROM search_queue"
                              " ORDER BY seq",
        [STMT_SEARCH_QUEUE_CLEAR] = "DELETE FROM search_queue",
        [STMT_JOURNAL_FIRST] =
                "SELECT min(d) FROM (SELECT min(period_start) AS d FROM answers"
                " UNION ALL SELECT min(day) FROM checkins WHERE note IS NOT NULL"
                " UNION ALL SELECT min(day) FROM skips WHERE note IS NOT NULL"
                " UNION ALL SELECT min(from_day) FROM pauses UNION ALL SELECT min(created_day) FROM goals"
                " UNION ALL SELECT min(day) FROM notes)",
        /* Each review's newest version, its answers as one text. */
        [STMT_THEME_DOCS] =
                "SELECT a.period_start, group_concat(e.body, char(10)) FROM answers a"
                " JOIN answer_entries e ON e.answer_id = a.id"
                " WHERE a.period_end >= ?1 AND a.period_start <= ?2 AND a.id = (SELECT a2.id FROM answers a2"
                "   WHERE a2.kind = a.kind AND a2.period_start = a.period_start"
                "   ORDER BY a2.created_usec DESC, a2.id DESC LIMIT 1)"
                " GROUP BY a.id ORDER BY a.period_start",
        [STMT_ANSWERS_COUNT] = "SELECT count(*) FROM answers WHERE kind = ? AND period_start = ?",
        /* Hits, decoded back to their rows (see migration 5), newest
         * version of an answer only; ?2 is a bit per JournalSource, ?3 and
         * ?4 the days an entry must overlap, ?5 sorts by date, ?6 limits. */
        [STMT_SEARCH] =
                "WITH hits (r, score) AS MATERIALIZED (SELECT rowid, bm25(search) FROM search WHERE search MATCH ?1),"
                "entries AS ("
                "  SELECT CASE a.kind WHEN 'weekly' THEN 0 ELSE 1 END AS src, a.period_start AS day,"
                "         a.period_end AS day_end, e.question, NULL AS habit, NULL AS goal, NULL AS goal_status,"
                "         a.created_usec AS written, e.body AS text, h.score"
                "    FROM hits h JOIN answer_entries e ON e.answer_id = (h.r >> 3) / 128 AND e.position = (h.r >> 3) % "
                "128"
                "    JOIN answers a ON a.id = e.answer_id"
                "   WHERE h.r & 7 = 1 AND a.id = (SELECT a2.id FROM answers a2 WHERE a2.kind = a.kind"
                "         AND a2.period_start = a.period_start ORDER BY a2.created_usec DESC, a2.id DESC LIMIT 1)"
                "  UNION ALL SELECT 2, c.day, c.day, NULL, c.habit, NULL, NULL, c.created_usec, c.note, h.score"
                "    FROM hits h JOIN checkins c ON c.id = h.r >> 3 WHERE h.r & 7 = 2"
                "  UNION ALL SELECT 3, k.day, k.day, NULL, k.habit, NULL, NULL, k.created_usec, k.note, h.score"
                "    FROM hits h JOIN skips k ON k.id = h.r >> 3 WHERE h.r & 7 = 3"
                "  UNION ALL SELECT 4, p.from_day, p.from_day, NULL, p.habit, NULL, NULL, p.created_usec, p.reason,"
                "         h.score FROM hits h JOIN pauses p ON p.id = h.r >> 3 WHERE h.r & 7 = 4"
                "  UNION ALL SELECT 5, g.created_day, g.created_day, NULL, NULL, g.uuid, g.status, g.created_usec,"
                "         g.text || coalesce(char(10) || g.reason, ''), h.score"
                "    FROM hits h JOIN goals g ON g.id = h.r >> 3 WHERE h.r & 7 = 5"
                "  UNION ALL SELECT 6, n.day, n.day, NULL, NULL, NULL, NULL, n.created_usec,"
                "         coalesce(n.title || char(10), '') || n.body, h.score"
                "    FROM hits h JOIN notes n ON n.id = h.r >> 3 WHERE h.r & 7 = 6)"
                "SELECT src, day, day_end, question, habit, goal, goal_status, written, text, score, count(*) OVER ()"
                "  FROM entries WHERE (?2 >> src) & 1 AND day <= ?4 AND day_end >= ?3"
                " ORDER BY CASE WHEN ?5 THEN day END DESC, score, day DESC LIMIT ?6",
        [STMT_PROMPT_RESOLVE] = "UPDATE prompts SET state = ?3 WHERE kind = ?1 AND period_start = ?2 "
                                "AND state = 'pending'",
        [STMT_PROMPT_OLDEST] = "SELECT period_start, period_end, missed FROM prompts WHERE kind = ? "
                               "AND state = 'pending' ORDER BY period_start LIMIT 1",
        [STMT_PROMPTS_PENDING] = "SELECT kind, period_start, period_end, fired_usec, missed FROM prompts "
                                 "WHERE state = 'pending' ORDER BY period_start, kind",
};

#define STORE_PREPARED_MAX 64

struct Store {
        sqlite3 *db;
        sqlite3_stmt *stmt[_STMT_MAX];
        /* store_prepared()'s, by their SQL's address */
        struct {
                const char *sql;
                sqlite3_stmt *st;
        } prepared[STORE_PREPARED_MAX];
        size_t n_prepared;
        char device[SD_ID128_STRING_MAX];
        StoreSyncState sync;
        char *path;
        bool was_empty; /* a 0-byte file at open: SQLite made it a new database */
        bool damaged;   /* a statement found corruption: nothing is written any more */
        char *damage;   /* SQLite's words for it */
        void (*on_damaged)(void *userdata);
        void *damaged_userdata;
};

/* The open Stores, so that a failed statement, which knows only its
 * connection, reaches the Store it belongs to: SQLite 3.40 keeps no user
 * pointer on a connection (sqlite3_set_clientdata came in 3.44). */
#define STORE_OPEN_MAX 8
static Store *open_stores[STORE_OPEN_MAX];

static void stores_register(Store *s, bool on) {
        for (size_t i = 0; i < STORE_OPEN_MAX; i++)
                if (open_stores[i] == (on ? NULL : s)) {
                        open_stores[i] = on ? s : NULL;
                        return;
                }
}

Store *store_free(Store *s) {
        if (!s)
                return NULL;
        for (size_t i = 0; i < _STMT_MAX; i++)
                sqlite3_finalize(s->stmt[i]);
        for (size_t i = 0; i < s->n_prepared; i++)
                sqlite3_finalize(s->prepared[i].st);
        sqlite3_close_v2(s->db);
        stores_register(s, false);
        free(s->damage);
        free(s->path);
        free(s);
        return NULL;
}

const char *store_last_error(Store *s) {
        return s && s->db ? sqlite3_errmsg(s->db) : "out of memory";
}

static int sqlite_to_errno(int rc) {
        switch (rc & 0xff) {
        case SQLITE_OK:
        case SQLITE_DONE:
        case SQLITE_ROW:
                return 0;
        case SQLITE_NOMEM:
                return -ENOMEM;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
                return -EBUSY;
        case SQLITE_CONSTRAINT:
                return -EEXIST;
        case SQLITE_FULL:
                return -ENOSPC;
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_CANTOPEN:
                return -EACCES;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
                return -EUCLEAN;
        default:
                return -EIO;
        }
}

/* From the first SQLITE_CORRUPT or SQLITE_NOTADB on, the file is known to
 * be damaged, and whatever is written into it now may make things worse or
 * be acknowledged on top of pages that are gone: the connection becomes
 * query_only (SQLite refuses every write), store_begin() refuses too, and
 * reads that still work go on. */
static void mark_damaged(Store *s, const char *reason) {
        if (s->damaged)
                return;
        s->damaged = true;
        s->damage = strdup(reason);
        (void) sqlite3_exec(s->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
        /* Closing the last connection would checkpoint the WAL into it. */
        (void) sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        if (s->on_damaged)
                s->on_damaged(s->damaged_userdata);
}

void store_mark_damaged(Store *s, const char *reason) {
        mark_damaged(s, reason);
}

/* The errno for a failed statement's @rc; corruption marks its Store. */
static int stmt_errno(sqlite3_stmt *st, int rc) {
        int r = sqlite_to_errno(rc);
        sqlite3 *db = r == -EUCLEAN ? sqlite3_db_handle(st) : NULL;
        for (size_t i = 0; db && i < STORE_OPEN_MAX; i++)
                if (open_stores[i] && open_stores[i]->db == db)
                        mark_damaged(open_stores[i], sqlite3_errmsg(db));
        return r;
}

bool store_damaged(Store *s, const char **ret_reason) {
        if (ret_reason)
                *ret_reason = s->damage ? s->damage : "database disk image is malformed";
        return s->damaged;
}

void store_on_damaged(Store *s, void (*on_damaged)(void *userdata), void *userdata) {
        s->on_damaged = on_damaged;
        s->damaged_userdata = userdata;
}

char *store_explain(Store *s, int r) {
        return r == -EBUSY ? store_health_busy(s->path) : NULL;
}

bool store_was_empty(Store *s) {
        return s->was_empty;
}

/* Takes a prepared statement, reset and unbound, ready for new values. */
static sqlite3_stmt *stmt(Store *s, StatementId id) {
        sqlite3_stmt *st = s->stmt[id];
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
}

/* Runs a statement that returns no rows. */
static int stmt_exec(sqlite3_stmt *st) {
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : stmt_errno(st, rc) ?: -EIO;
}

static int bind_day(sqlite3_stmt *st, int index, day_t day) {
        char buf[DATE_STR_MAX];
        return sqlite3_bind_text(st, index, date_format(day, buf), -1, SQLITE_TRANSIENT);
}

static int column_day(sqlite3_stmt *st, int column, day_t *ret) {
        const char *text = (const char *) sqlite3_column_text(st, column);
        return text ? date_parse(text, 0, ret) : -ENODATA;
}

/* Grows @*items (of @size bytes each) so one more fits: the core's
 * helper, which the record loaders (store-records.c) use too. */
static int grow(void **items, size_t size, size_t n, size_t *allocated) {
        return records_grow(items, size, n, allocated);
}

/* A copy of a TEXT column, NULL for NULL; false only when out of memory. */
static bool column_strdup(sqlite3_stmt *st, int column, char **ret) {
        const char *text = (const char *) sqlite3_column_text(st, column);

        *ret = text ? strdup(text) : NULL;
        return !text || *ret;
}

static int step_done(sqlite3_stmt *st, int rc, int r) {
        sqlite3_reset(st);
        if (r >= 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
                r = stmt_errno(st, rc) ?: -EIO;
        return r;
}

/* PRAGMA quick_check: -EUCLEAN only for a verdict on the file (rows that
 * are not "ok", SQLITE_CORRUPT, SQLITE_NOTADB). A check that could not run
 * (a lock, a read-only mount, permissions) says nothing about the file and
 * is told apart (store-health.c), so a healthy file is never called
 * damaged. */
static int pragma_check(Store *s, const char *path, char **ret_message) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL), r = 0;
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && !streq((const char *) sqlite3_column_text(st, 0), "ok")) {
                *ret_message = strdup_printf("integrity check failed: %s", (const char *) sqlite3_column_text(st, 0));
                r = -EUCLEAN;
        } else if (rc != SQLITE_ROW)
                r = store_health_explain(path, rc, sqlite3_errmsg(s->db), ret_message);
        sqlite3_finalize(st);
        return r;
}

int store_quick_check(Store *s) {
        _cleanup_free_ char *message = NULL;
        return pragma_check(s, s->path, &message);
}

/* Refuses, before lookbackd says it is ready, a database it cannot write
 * now. SQLite opens a file it may only read read-only without a word, and
 * BEGIN IMMEDIATE alone succeeds on one; so this also writes (the schema
 * version, set to itself) and rolls back: nothing reaches the file. */
static int probe_write(Store *s, const char *path, char **ret_message) {
        if (sqlite3_db_readonly(s->db, "main") == 1)
                return store_health_explain_readonly(path, ret_message);
        int version = store_schema_version(s);
        if (version < 0)
                return store_health_explain(path, sqlite3_extended_errcode(s->db), sqlite3_errmsg(s->db), ret_message);
        _cleanup_free_ char *sql = strdup_printf("BEGIN IMMEDIATE; PRAGMA user_version = %d;", version);
        if (!sql)
                return -ENOMEM;
        int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL), r = 0;
        if (rc != SQLITE_OK)
                r = store_health_explain(path, sqlite3_extended_errcode(s->db), sqlite3_errmsg(s->db), ret_message);
        if (!sqlite3_get_autocommit(s->db))
                (void) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return r;
}

/* A 0-byte file (and no WAL to recover it from) is made a new database
 * by SQLite without a word; the daemon says so once, as it starts. */
static bool file_is_empty(const char *path) {
        _cleanup_free_ char *wal = strdup_printf("%s-wal", path);
        struct stat st;
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
                return false;
        return !wal || stat(wal, &st) < 0 || st.st_size == 0;
}

static int exec_sql(Store *s, const char *sql, char **ret_message) {
        char *err = NULL;
        int rc = sqlite3_exec(s->db, sql, NULL, NULL, &err);
        if (rc != SQLITE_OK) {
                *ret_message = strdup(err ? err : sqlite3_errstr(rc));
                sqlite3_free(err);
                return sqlite_to_errno(rc) ?: -EIO;
        }
        return 0;
}

int store_schema_version(Store *s) {
        sqlite3_stmt *st;
        int v = -EIO;
        if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
                return -EIO;
        if (sqlite3_step(st) == SQLITE_ROW)
                v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        return v;
}

static int migrate(Store *s, char **ret_message) {
        int version = store_schema_version(s);
        if (version < 0)
                return version;
        if ((size_t) version > ELEMENTSOF(migrations)) {
                *ret_message = strdup_printf("database schema version %d is newer than this lookbackd (%zu)", version,
                                             ELEMENTSOF(migrations));
                return -EPROTO;
        }
        for (size_t i = (size_t) version; i < ELEMENTSOF(migrations); i++) {
                _cleanup_free_ char *sql =
                        strdup_printf("BEGIN IMMEDIATE; %s PRAGMA user_version = %zu; COMMIT;", migrations[i], i + 1);
                if (!sql)
                        return -ENOMEM;
                int r = exec_sql(s, sql, ret_message);
                if (r < 0) {
                        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
                        return r;
                }
        }
        return 0;
}

/* Fills the search index from the tables when it was made by another
 * tokenizer version than ours (0: never filled), in one transaction. */
static int search_reindex(Store *s, char **ret_message) {
        sqlite3_stmt *st;
        int version = -1;
        if (sqlite3_prepare_v2(s->db, "SELECT value FROM search_meta WHERE key = 'tokenizer'", -1, &st, NULL) !=
            SQLITE_OK) {
                *ret_message = strdup_printf("cannot read the search index's version: %s", sqlite3_errmsg(s->db));
                return -EIO;
        }
        if (sqlite3_step(st) == SQLITE_ROW)
                version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (version == TOKENIZER_VERSION)
                return 0;
        _cleanup_free_ char *sql = strdup_printf(
                "BEGIN IMMEDIATE;"
                "INSERT INTO search (search) VALUES ('delete-all');"
                "INSERT INTO search (rowid, body) SELECT (answer_id * 128 + position) * 8 + 1, body FROM "
                "answer_entries;"
                "INSERT INTO search (rowid, body) SELECT id * 8 + 2, note FROM checkins WHERE note IS NOT NULL;"
                "INSERT INTO search (rowid, body) SELECT id * 8 + 3, note FROM skips WHERE note IS NOT NULL;"
                "INSERT INTO search (rowid, body) SELECT id * 8 + 4, reason FROM pauses WHERE reason IS NOT NULL;"
                "INSERT INTO search (rowid, body) SELECT id * 8 + 5, text || coalesce(char(10) || reason, '') FROM "
                "goals;"
                "INSERT INTO search (rowid, body) SELECT id * 8 + 6, coalesce(title || char(10), '') || body FROM "
                "notes;"
                "DELETE FROM search_queue;"
                "UPDATE search_meta SET value = %d WHERE key = 'tokenizer';"
                "COMMIT;",
                TOKENIZER_VERSION);
        if (!sql)
                return -ENOMEM;
        int r = exec_sql(s, sql, ret_message);
        if (r < 0)
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return r;
}

static int configure(Store *s, char **ret_message) {
        /* FULL makes each COMMIT durable in WAL mode too: an acknowledged
         * answer survives a power cut. */
        static const char pragmas[] = "PRAGMA journal_mode = WAL;"
                                      "PRAGMA synchronous = FULL;"
                                      "PRAGMA foreign_keys = ON;";
        return exec_sql(s, pragmas, ret_message);
}

static int prepare_all(Store *s, char **ret_message) {
        for (size_t i = 0; i < _STMT_MAX; i++) {
                int rc = sqlite3_prepare_v3(s->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL);
                if (rc != SQLITE_OK) {
                        *ret_message = strdup_printf("cannot prepare statement: %s", sqlite3_errmsg(s->db));
                        return -EIO;
                }
        }
        return 0;
}

static int search_apply_pending(Store *s, char **ret_message);

/* lookback's application id: with the machine id it names this machine's
 * records without giving the machine id away (sd_id128_get_machine_app_specific). */
#define LOOKBACK_APP_ID SD_ID128_MAKE(6c, 6f, 6f, 6b, 62, 61, 63, 6b, 9e, 2d, 41, 7a, 8c, 03, 5b, 11)

static void device_init(Store *s) {
        const char *fixed = getenv("LOOKBACK_DEVICE_ID");
        sd_id128_t id;
        /* Two daemons on one machine (the sync tests, a cloned VM told
         * apart by hand) need two ids. */
        if (fixed && strlen(fixed) == 32 && sd_id128_from_string(fixed, &id) >= 0) {
                sd_id128_to_string(id, s->device);
                return;
        }
        /* No machine id (a bare container): a random one for this run;
         * only exports carry it, this machine's rows say NULL. */
        if (sd_id128_get_machine_app_specific(LOOKBACK_APP_ID, &id) < 0 && sd_id128_randomize(&id) < 0)
                id = SD_ID128_NULL;
        sd_id128_to_string(id, s->device);
}

const char *store_device(Store *s) {
        return s->device;
}

int store_open(const char *path, Store **ret, char **ret_message) {
        Store *s = calloc(1, sizeof(Store));
        int r;

        *ret_message = NULL;
        if (!s)
                return -ENOMEM;
        s->path = strdup(path);
        r = -ENOMEM;
        if (!s->path)
                goto fail;
        s->was_empty = file_is_empty(path);
        /* NOMUTEX: only the main thread touches the database (GLib's threads,
         * libnotify's, never do), so the per-call mutexes are pure cost: a
         * quarter of a 10-year report's time. */
        int rc = sqlite3_open_v2(
                path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
                NULL);
        if (rc != SQLITE_OK) {
                r = store_health_explain(path, rc, s->db ? sqlite3_errmsg(s->db) : NULL, ret_message);
                goto fail;
        }
        sqlite3_extended_result_codes(s->db, 1);
        /* Before the check: a lock another program holds is waited for,
         * and then named, never taken for damage. */
        sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
        device_init(s);
        /* Check before anything writes, even the WAL switch. */
        r = pragma_check(s, path, ret_message);
        if (r < 0)
                goto fail;
        r = probe_write(s, path, ret_message);
        if (r < 0)
                goto fail;
        r = configure(s, ret_message);
        if (r < 0)
                goto fail;
        r = store_search_register(s->db, ret_message);
        if (r < 0)
                goto fail;
        r = migrate(s, ret_message);
        if (r < 0)
                goto fail;
        r = search_reindex(s, ret_message);
        if (r < 0)
                goto fail;
        r = prepare_all(s, ret_message);
        if (r < 0)
                goto fail;
        r = search_apply_pending(s, ret_message);
        if (r < 0)
                goto fail;
        stores_register(s, true);
        *ret = s;
        return 0;
fail:
        store_free(s);
        return r;
}

/* What was written while the daemon was not running (by the sqlite3 CLI,
 * say) is indexed as it starts. */
static int search_apply_pending(Store *s, char **ret_message) {
        int r = store_begin(s);
        if (r >= 0)
                r = store_commit(s);
        if (r < 0) {
                store_rollback(s);
                *ret_message = strdup_printf("cannot bring the search index up to date: %s", sqlite3_errmsg(s->db));
        }
        return r;
}

int store_begin(Store *s) {
        if (s->damaged)
                return -EUCLEAN;
        return stmt_exec(stmt(s, STMT_BEGIN));
}

/* Brings the search index up to the queue the triggers filled. */
static int search_apply(Store *s) {
        int r = stmt_exec(stmt(s, STMT_SEARCH_APPLY));
        return r < 0 ? r : stmt_exec(stmt(s, STMT_SEARCH_QUEUE_CLEAR));
}

int store_commit(Store *s) {
        int r = search_apply(s);
        if (r >= 0)
                r = stmt_exec(stmt(s, STMT_COMMIT));
        /* The outbox has new rows on disk: the sync part appends them to
         * this machine's log. */
        if (r >= 0 && s->sync.dirty) {
                s->sync.dirty = false;
                if (s->sync.on_change)
                        s->sync.on_change(s->sync.userdata);
        }
        return r;
}

void store_rollback(Store *s) {
        s->sync.dirty = false;
        if (!sqlite3_get_autocommit(s->db))
                (void) stmt_exec(stmt(s, STMT_ROLLBACK));
}

StoreSyncState *store_sync_state(Store *s) {
        return &s->sync;
}

int64_t store_hlc_tick(Store *s, int64_t now_usec) {
        s->sync.hlc = now_usec > s->sync.hlc ? now_usec : s->sync.hlc + 1;
        return s->sync.hlc;
}

static int new_uuid(char ret[static SD_ID128_UUID_STRING_MAX]);

sqlite3 *store_sqlite(Store *s) {
        return s->db;
}

sqlite3_stmt *store_prepared(Store *s, const char *sql) {
        for (size_t i = 0; i < s->n_prepared; i++)
                if (s->prepared[i].sql == sql) {
                        sqlite3_reset(s->prepared[i].st);
                        sqlite3_clear_bindings(s->prepared[i].st);
                        return s->prepared[i].st;
                }
        sqlite3_stmt *st;
        if (s->n_prepared >= STORE_PREPARED_MAX ||
            sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
                return NULL;
        s->prepared[s->n_prepared].sql = sql;
        s->prepared[s->n_prepared++].st = st;
        return st;
}

int store_stmt_exec(sqlite3_stmt *st) {
        return stmt_exec(st);
}

int store_step_done(sqlite3_stmt *st, int rc, int r) {
        return step_done(st, rc, r);
}

int store_errno(int rc) {
        return sqlite_to_errno(rc);
}

int store_bind_day(sqlite3_stmt *st, int index, day_t day) {
        return bind_day(st, index, day);
}

int store_column_day(sqlite3_stmt *st, int column, day_t *ret) {
        return column_day(st, column, ret);
}

bool store_column_strdup(sqlite3_stmt *st, int column, char **ret) {
        return column_strdup(st, column, ret);
}

int store_bind_device(Store *s, sqlite3_stmt *st, int index, const char *device) {
        if (!device || !*device || streq(device, s->device))
                return sqlite3_bind_null(st, index);
        return sqlite3_bind_text(st, index, device, -1, SQLITE_TRANSIENT);
}

int store_new_uuid(char ret[static SD_ID128_UUID_STRING_MAX]) {
        return new_uuid(ret);
}

static int new_uuid(char ret[static SD_ID128_UUID_STRING_MAX]) {
        sd_id128_t id;
        int r = sd_id128_randomize(&id);
        if (r < 0)
                return r;
        sd_id128_to_uuid_string(id, ret);
        return 0;
}

static int prompt_resolve(Store *s, ReviewKind kind, day_t period_start, const char *state) {
        sqlite3_stmt *st = stmt(s, STMT_PROMPT_RESOLVE);
        sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        bind_day(st, 2, period_start);
        sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
        return stmt_exec(st);
}

int store_answer_add(Store *s, const StoreAnswer *a, char ret_uuid[static SD_ID128_UUID_STRING_MAX]) {
        int r = new_uuid(ret_uuid);
        if (r < 0)
                return r;

        sqlite3_stmt *st = stmt(s, STMT_ANSWER_INSERT);
        sqlite3_bind_text(st, 1, ret_uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, review_kind_to_string(a->kind), -1, SQLITE_STATIC);
        bind_day(st, 3, a->period.start);
        bind_day(st, 4, a->period.end);
        sqlite3_bind_int64(st, 5, a->created_usec);
        r = stmt_exec(st);
        if (r < 0)
                return r;

        sqlite3_int64 answer_id = sqlite3_last_insert_rowid(s->db);
        for (size_t i = 0; i < a->n_entries; i++) {
                st = stmt(s, STMT_ENTRY_INSERT);
                sqlite3_bind_int64(st, 1, answer_id);
                sqlite3_bind_int64(st, 2, (sqlite3_int64) i);
                sqlite3_bind_text(st, 3, a->entries[i].question, -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 4, a->entries[i].answer, -1, SQLITE_STATIC);
                r = stmt_exec(st);
                if (r < 0)
                        return r;
        }
        return prompt_resolve(s, a->kind, a->period.start, "answered");
}

static int entries_list(Store *s, sqlite3_int64 answer_id, StoreAnswerRow *row) {
        sqlite3_stmt *st = stmt(s, STMT_ENTRIES_LIST);
        size_t allocated = 0;
        int rc, r = 0;

        sqlite3_bind_int64(st, 1, answer_id);
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = grow((void **) &row->entries, sizeof(TemplateEntry), row->n_entries, &allocated);
                if (r < 0)
                        break;
                TemplateEntry *e = &row->entries[row->n_entries];
                *e = (TemplateEntry){};
                if (!column_strdup(st, 0, &e->question) || !column_strdup(st, 1, &e->answer)) {
                        free(e->question);
                        r = -ENOMEM;
                        break;
                }
                row->n_entries++;
        }
        return step_done(st, rc, r);
}

static int answer_row(Store *s, sqlite3_stmt *st, StoreAnswerRow *row) {
        int kind = review_kind_from_string((const char *) sqlite3_column_text(st, 2));

        *row = (StoreAnswerRow){ .kind = kind < 0 ? REVIEW_WEEKLY : (ReviewKind) kind,
                                 .created_usec = sqlite3_column_int64(st, 5) };
        snprintf(row->uuid, sizeof(row->uuid), "%s", (const char *) sqlite3_column_text(st, 1));
        if (column_day(st, 3, &row->period.start) < 0 || column_day(st, 4, &row->period.end) < 0)
                return -EIO;
        return entries_list(s, sqlite3_column_int64(st, 0), row);
}

void store_answers_done(StoreAnswers *a) {
        for (size_t i = 0; i < a->n; i++) {
                for (size_t j = 0; j < a->items[i].n_entries; j++) {
                        free(a->items[i].entries[j].question);
                        free(a->items[i].entries[j].answer);
                }
                free(a->items[i].entries);
        }
        free(a->items);
        *a = (StoreAnswers){};
}

int store_answers_list(Store *s, int kind, day_t from, day_t to, StoreAnswers *ret) {
        /* The entries query reuses no statement of this one, so both can be
         * stepped at once. */
        sqlite3_stmt *st = stmt(s, STMT_ANSWERS_LIST);
        size_t allocated = 0;
        int rc, r = 0;

        *ret = (StoreAnswers){};
        if (kind >= 0)
                sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        bind_day(st, 2, from);
        bind_day(st, 3, to);
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = grow((void **) &ret->items, sizeof(StoreAnswerRow), ret->n, &allocated);
                if (r >= 0) {
                        r = answer_row(s, st, &ret->items[ret->n]);
                        ret->n++; /* a failed row is freed with the rest */
                }
        }
        r = step_done(st, rc, r);
        if (r < 0)
                store_answers_done(ret);
        return r;
}

/* Check-ins and skips are the same shape: a habit, a day, a note. */
static int habit_day_insert(Store *s, StatementId id, const char *habit, day_t day, const char *note,
                            int64_t created_usec, char ret_uuid[static SD_ID128_UUID_STRING_MAX]) {
        int r = new_uuid(ret_uuid);
        if (r < 0)
                return r;
        sqlite3_stmt *st = stmt(s, id);
        sqlite3_bind_text(st, 1, ret_uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, habit, -1, SQLITE_STATIC);
        bind_day(st, 3, day);
        if (note)
                sqlite3_bind_text(st, 4, note, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, created_usec);
        return stmt_exec(st);
}

int store_checkin_add(Store *s, const char *habit, day_t day, const char *note, int64_t created_usec,
                      char ret_uuid[static SD_ID128_UUID_STRING_MAX]) {
        return habit_day_insert(s, STMT_CHECKIN_INSERT, habit, day, note, created_usec, ret_uuid);
}

int store_prompt_add(Store *s, ReviewKind kind, Period period, int64_t fired_usec, unsigned missed) {
        sqlite3_stmt *st = stmt(s, STMT_PROMPT_INSERT);
        sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        bind_day(st, 2, period.start);
        bind_day(st, 3, period.end);
        sqlite3_bind_int64(st, 4, fired_usec);
        sqlite3_bind_int64(st, 5, missed);
        int r = stmt_exec(st);
        if (r < 0)
                return r;
        st = stmt(s, STMT_PROMPT_SUPERSEDE);
        sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        bind_day(st, 2, period.start);
        return stmt_exec(st);
}

int store_prompt_resolve(Store *s, ReviewKind kind, day_t period_start, const char *state) {
        return prompt_resolve(s, kind, period_start, state);
}

/* One pending prompt of @kind, found by @id; 1 and its period, or 0. */
static int prompt_pending_one(Store *s, StatementId id, ReviewKind kind, Period *ret, unsigned *ret_missed) {
        sqlite3_stmt *st = stmt(s, id);
        int r = 0;
        sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                r = column_day(st, 0, &ret->start);
                if (r >= 0)
                        r = column_day(st, 1, &ret->end);
                if (r >= 0) {
                        if (ret_missed)
                                *ret_missed = (unsigned) sqlite3_column_int(st, 2);
                        r = 1;
                }
        } else if (rc != SQLITE_DONE)
                r = stmt_errno(st, rc) ?: -EIO;
        sqlite3_reset(st);
        return r;
}

int store_prompt_oldest_pending(Store *s, ReviewKind kind, Period *ret) {
        return prompt_pending_one(s, STMT_PROMPT_OLDEST, kind, ret, NULL);
}

int store_prompt_latest_pending(Store *s, ReviewKind kind, Period *ret, unsigned *ret_missed) {
        return prompt_pending_one(s, STMT_PROMPT_LATEST, kind, ret, ret_missed);
}

int store_schedule_get(Store *s, ReviewKind kind, ScheduleState *ret) {
        sqlite3_stmt *st = stmt(s, STMT_SCHEDULE_GET);
        sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        *ret = (ScheduleState){};
        if (rc == SQLITE_ROW) {
                const char *spec = (const char *) sqlite3_column_text(st, 0);
                ret->found = true;
                snprintf(ret->spec, sizeof(ret->spec), "%s", spec ? spec : "");
                ret->last_fired_usec = sqlite3_column_int64(st, 1);
                ret->has_snooze = sqlite3_column_type(st, 2) != SQLITE_NULL;
                ret->snooze_until_usec = sqlite3_column_int64(st, 2);
        }
        sqlite3_reset(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : stmt_errno(st, rc) ?: -EIO;
}

int store_schedule_set_fired(Store *s, ReviewKind kind, const char *spec, int64_t usec) {
        sqlite3_stmt *st = stmt(s, STMT_SCHEDULE_SET_FIRED);
        sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, spec, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, usec);
        return stmt_exec(st);
}

int store_schedule_set_snooze(Store *s, ReviewKind kind, int64_t usec) {
        sqlite3_stmt *st = stmt(s, STMT_SCHEDULE_SET_SNOOZE);
        sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        if (usec > 0)
                sqlite3_bind_int64(st, 2, usec);
        return stmt_exec(st);
}

int store_skip_add(Store *s, const char *habit, day_t day, const char *note, int64_t created_usec,
                   char ret_uuid[static SD_ID128_UUID_STRING_MAX]) {
        return habit_day_insert(s, STMT_SKIP_INSERT, habit, day, note, created_usec, ret_uuid);
}

int store_prompts_pending(Store *s, StorePrompts *ret) {
        sqlite3_stmt *st = stmt(s, STMT_PROMPTS_PENDING);
        size_t allocated = 0;
        int rc, r = 0;

        *ret = (StorePrompts){};
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                int kind = review_kind_from_string((const char *) sqlite3_column_text(st, 0));
                StorePrompt p = { .fired_usec = sqlite3_column_int64(st, 3),
                                  .missed = (unsigned) sqlite3_column_int(st, 4) };

                if (kind < 0 || column_day(st, 1, &p.period.start) < 0 || column_day(st, 2, &p.period.end) < 0)
                        continue; /* unreadable row: leave it out rather than fail Status */
                p.kind = (ReviewKind) kind;
                r = grow((void **) &ret->items, sizeof(StorePrompt), ret->n, &allocated);
                if (r >= 0)
                        ret->items[ret->n++] = p;
        }
        r = step_done(st, rc, r);
        if (r < 0)
                store_prompts_done(ret);
        return r;
}

void store_prompts_done(StorePrompts *p) {
        free(p->items);
        *p = (StorePrompts){};
}

void store_events_done(StoreEvents *e) {
        for (size_t i = 0; i < e->n; i++)
                free((char *) e->items[i].note);
        free(e->items);
        *e = (StoreEvents){};
}

/* Gives the check-ins that have one their note: both lists come in
 * (day, id) order, so one pass matches them by id. */
static int habit_events_notes(Store *s, const char *habit, StoreEvents *events, const int64_t *ids) {
        sqlite3_stmt *st = stmt(s, STMT_CHECKIN_NOTES);
        size_t i = 0;
        int rc, r = 0;

        sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                int64_t id = sqlite3_column_int64(st, 0);
                char *note;

                while (i < events->n && ids[i] != id)
                        i++;
                if (i == events->n)
                        break; /* a row added since: not ours to show */
                if (!column_strdup(st, 1, &note))
                        r = -ENOMEM;
                else
                        events->items[i++].note = note;
        }
        return step_done(st, rc, r);
}

int store_habit_events(Store *s, const char *habit, int review_kind, bool skips, StoreEvents *ret) {
        StatementId id = skips ? STMT_SKIP_DAYS : review_kind >= 0 ? STMT_REVIEW_DAYS : STMT_CHECKIN_DAYS;
        sqlite3_stmt *st = stmt(s, id);
        _cleanup_free_ int64_t *ids = NULL;
        size_t allocated = 0, ids_allocated = 0;
        int rc, r = 0;

        *ret = (StoreEvents){};
        if (id == STMT_REVIEW_DAYS)
                sqlite3_bind_text(st, 1, review_kind_to_string(review_kind), -1, SQLITE_STATIC);
        else
                sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                HabitEvent e = {};
                char *note;

                if (column_day(st, 0, &e.day) < 0)
                        continue;
                r = grow((void **) &ret->items, sizeof(HabitEvent), ret->n, &allocated);
                if (r >= 0 && id == STMT_CHECKIN_DAYS)
                        r = grow((void **) &ids, sizeof(int64_t), ret->n, &ids_allocated);
                if (r >= 0 && !column_strdup(st, 1, &note))
                        r = -ENOMEM;
                if (r >= 0) {
                        if (id == STMT_CHECKIN_DAYS)
                                ids[ret->n] = sqlite3_column_int64(st, 2);
                        e.note = note;
                        ret->items[ret->n++] = e;
                }
        }
        r = step_done(st, rc, r);
        if (r >= 0 && id == STMT_CHECKIN_DAYS && ret->n > 0)
                r = habit_events_notes(s, habit, ret, ids);
        if (r < 0)
                store_events_done(ret);
        return r;
}

void store_pauses_done(StorePauses *p) {
        for (size_t i = 0; i < p->n; i++) {
                free((char *) p->items[i].reason);
                free(p->uuids[i]);
        }
        free(p->items);
        free(p->uuids);
        *p = (StorePauses){};
}

static int pause_row(sqlite3_stmt *st, StorePauses *p, size_t *allocated) {
        if (p->n == *allocated) {
                size_t want = *allocated ? *allocated * 2 : 8;
                HabitPause *items = realloc(p->items, want * sizeof(HabitPause));
                if (!items)
                        return -ENOMEM;
                p->items = items;
                char **uuids = realloc(p->uuids, want * sizeof(char *));
                if (!uuids)
                        return -ENOMEM;
                p->uuids = uuids;
                *allocated = want;
        }
        HabitPause *lp = &p->items[p->n];
        const char *reason = (const char *) sqlite3_column_text(st, 2);
        *lp = (HabitPause){ .to = HABIT_OPEN_END };
        if (column_day(st, 0, &lp->from) < 0)
                return 0; /* unreadable row: skip it rather than fail the report */
        if (sqlite3_column_type(st, 1) != SQLITE_NULL && column_day(st, 1, &lp->to) < 0)
                return 0;
        lp->reason = reason ? strdup(reason) : NULL;
        p->uuids[p->n] = strdup((const char *) sqlite3_column_text(st, 3));
        if ((reason && !lp->reason) || !p->uuids[p->n]) {
                free((char *) lp->reason);
                free(p->uuids[p->n]);
                return -ENOMEM;
        }
        p->n++;
        return 0;
}

int store_pauses(Store *s, const char *habit, StorePauses *ret) {
        sqlite3_stmt *st = stmt(s, STMT_PAUSES);
        size_t allocated = 0;
        int rc, r = 0;
        *ret = (StorePauses){};
        sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && (r = pause_row(st, ret, &allocated)) >= 0)
                ;
        sqlite3_reset(st);
        if (r >= 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
                r = stmt_errno(st, rc) ?: -EIO;
        if (r < 0)
                store_pauses_done(ret);
        return r;
}

int store_pause_open(Store *s, const char *habit, int64_t *ret_id, day_t *ret_from) {
        sqlite3_stmt *st = stmt(s, STMT_PAUSE_OPEN);
        int r = 0;
        sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                *ret_id = sqlite3_column_int64(st, 0);
                r = column_day(st, 1, ret_from) < 0 ? -EIO : 1;
        } else if (rc != SQLITE_DONE)
                r = stmt_errno(st, rc) ?: -EIO;
        sqlite3_reset(st);
        return r;
}

int store_pause_add(Store *s, const char *habit, day_t from, bool has_to, day_t to, const char *reason,
                    int64_t created_usec, char ret_uuid[static SD_ID128_UUID_STRING_MAX]) {
        int r = new_uuid(ret_uuid);
        if (r < 0)
                return r;
        sqlite3_stmt *st = stmt(s, STMT_PAUSE_INSERT);
        sqlite3_bind_text(st, 1, ret_uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, habit, -1, SQLITE_STATIC);
        bind_day(st, 3, from);
        if (has_to)
                bind_day(st, 4, to);
        if (reason)
                sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, created_usec);
        return stmt_exec(st);
}

static const char sql_pause_tombstone[] = "INSERT OR IGNORE INTO tombstones (uuid, kind, removed_usec) SELECT uuid, "
                                          "'pause', ?2 FROM pauses WHERE id = ?1";

int store_pause_end(Store *s, int64_t id, bool remove, day_t to, int64_t usec) {
        sqlite3_stmt *st;
        /* Resumed the day it began: the pause is taken back, and like any
         * record removed it leaves a tombstone, so an older copy of it
         * (an export, another machine) does not bring it back. */
        if (remove) {
                st = store_prepared(s, sql_pause_tombstone);
                if (!st)
                        return -EIO;
                sqlite3_bind_int64(st, 1, id);
                sqlite3_bind_int64(st, 2, store_hlc_tick(s, usec));
                int r = stmt_exec(st);
                if (r < 0)
                        return r;
        }
        st = stmt(s, remove ? STMT_PAUSE_DELETE : STMT_PAUSE_END);
        sqlite3_bind_int64(st, 1, id);
        if (!remove) {
                bind_day(st, 2, to);
                sqlite3_bind_int64(st, 3, store_hlc_tick(s, usec));
        }
        return stmt_exec(st);
}

int store_goal_add(Store *s, const char *text, day_t created, int64_t created_usec,
                   char ret_uuid[static SD_ID128_UUID_STRING_MAX]) {
        int r = new_uuid(ret_uuid);
        if (r < 0)
                return r;
        sqlite3_stmt *st = stmt(s, STMT_GOAL_INSERT);
        sqlite3_bind_text(st, 1, ret_uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
        bind_day(st, 3, created);
        sqlite3_bind_int64(st, 4, created_usec);
        return stmt_exec(st);
}

int store_goal_find(Store *s, const char *prefix, char ret_uuid[static SD_ID128_UUID_STRING_MAX]) {
        sqlite3_stmt *st = stmt(s, STMT_GOAL_FIND);
        int n = 0, rc;
        /* Only hex digits and dashes can match a UUID; anything else (a
         * LIKE wildcard, say) is simply not found. */
        if (!*prefix || strspn(prefix, "0123456789abcdefABCDEF-") != strlen(prefix))
                return 0;
        sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                if (n++ == 0)
                        snprintf(ret_uuid, SD_ID128_UUID_STRING_MAX, "%s", (const char *) sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return stmt_errno(st, rc) ?: -EIO;
        return n; /* 0 none, 1 found, 2 ambiguous */
}

static const char sql_goal_change_insert[] =
        "INSERT INTO goal_changes (uuid, goal_uuid, status, closed_day, reason, device, created_usec)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)";

int store_goal_change_add(Store *s, const char *change_uuid, const char *goal_uuid, const char *status, bool has_closed,
                          day_t closed, const char *reason, const char *device, int64_t created_usec) {
        sqlite3_stmt *st = store_prepared(s, sql_goal_change_insert);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, change_uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, goal_uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
        if (has_closed)
                bind_day(st, 4, closed);
        if (reason)
                sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
        store_bind_device(s, st, 6, device);
        sqlite3_bind_int64(st, 7, created_usec);
        int r = stmt_exec(st);
        return r < 0 ? r : store_goal_refresh(s, goal_uuid);
}

int store_goal_set(Store *s, const char *uuid, const char *status, bool has_closed, day_t closed, const char *reason,
                   int64_t created_usec) {
        char change[SD_ID128_UUID_STRING_MAX];
        int r = new_uuid(change);
        /* The newest change is the goal's fate, on every machine: its time
         * comes from the hybrid clock, later than any change seen. */
        return r < 0 ? r
                     : store_goal_change_add(s, change, uuid, status, has_closed, closed, reason, NULL,
                                             store_hlc_tick(s, created_usec));
}

/* The goal's row caches its newest change, which the goal queries read. */
static const char sql_goal_refresh[] =
        "UPDATE goals SET (status, closed_day, reason) = (SELECT coalesce(max(c.status), 'open'), max(c.closed_day),"
        " max(c.reason) FROM (SELECT status, closed_day, reason FROM goal_changes WHERE goal_uuid = ?1"
        " ORDER BY created_usec DESC, uuid DESC LIMIT 1) c) WHERE uuid = ?1";

int store_goal_refresh(Store *s, const char *goal_uuid) {
        sqlite3_stmt *st = store_prepared(s, sql_goal_refresh);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, goal_uuid, -1, SQLITE_STATIC);
        return stmt_exec(st);
}

void store_goals_done(StoreGoals *g) {
        for (size_t i = 0; i < g->n; i++) {
                free((char *) g->items[i].id);
                free((char *) g->items[i].text);
                free((char *) g->items[i].reason);
        }
        free(g->items);
        *g = (StoreGoals){};
}

static int goal_row(sqlite3_stmt *st, ReportGoal *g) {
        int status = goal_status_from_string((const char *) sqlite3_column_text(st, 2));
        char *id = NULL, *text = NULL, *reason = NULL;

        *g = (ReportGoal){ .status = status < 0 ? GOAL_OPEN : (GoalStatus) status };
        if (column_day(st, 3, &g->created) < 0)
                return 0; /* unreadable: left out */
        g->closed = sqlite3_column_type(st, 4) != SQLITE_NULL && column_day(st, 4, &g->closed_day) >= 0;
        if (!column_strdup(st, 0, &id) || !column_strdup(st, 1, &text) || !column_strdup(st, 5, &reason)) {
                free(id);
                free(text);
                return -ENOMEM;
        }
        g->id = id;
        g->text = text;
        g->reason = reason;
        return 1;
}

static int goals_rows(sqlite3_stmt *st, StoreGoals *ret) {
        size_t allocated = 0;
        int rc, r = 0;

        *ret = (StoreGoals){};
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = grow((void **) &ret->items, sizeof(ReportGoal), ret->n, &allocated);
                if (r >= 0)
                        r = goal_row(st, &ret->items[ret->n]);
                if (r > 0)
                        ret->n++;
        }
        r = step_done(st, rc, r);
        if (r < 0)
                store_goals_done(ret);
        return r < 0 ? r : 0;
}

int store_goals_list(Store *s, bool all, StoreGoals *ret) {
        sqlite3_stmt *st = stmt(s, STMT_GOALS_LIST);
        sqlite3_bind_int(st, 1, all);
        return goals_rows(st, ret);
}

int store_goals_in_range(Store *s, day_t from, day_t to, StoreGoals *ret) {
        sqlite3_stmt *st = stmt(s, STMT_GOALS_RANGE);
        bind_day(st, 1, from);
        bind_day(st, 2, to);
        return goals_rows(st, ret);
}

int store_lapse_flagged(Store *s, const char *habit, day_t lapse_from) {
        sqlite3_stmt *st = stmt(s, STMT_LAPSE_FLAGGED);
        sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        bind_day(st, 2, lapse_from);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : stmt_errno(st, rc) ?: -EIO;
}

int store_lapse_flag(Store *s, const char *habit, day_t lapse_from, int64_t usec) {
        sqlite3_stmt *st = stmt(s, STMT_LAPSE_FLAG);
        sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        bind_day(st, 2, lapse_from);
        sqlite3_bind_int64(st, 3, usec);
        return stmt_exec(st);
}

int store_lapse_unflag(Store *s, const char *habit, day_t lapse_from) {
        sqlite3_stmt *st = stmt(s, STMT_LAPSE_UNFLAG);
        sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        bind_day(st, 2, lapse_from);
        return stmt_exec(st);
}

int store_answers_count(Store *s, ReviewKind kind, day_t period_start, unsigned *ret) {
        sqlite3_stmt *st = stmt(s, STMT_ANSWERS_COUNT);
        sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        bind_day(st, 2, period_start);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *ret = (unsigned) sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 0 : stmt_errno(st, rc) ?: -EIO;
}

void store_journal_done(StoreJournal *j) {
        for (size_t i = 0; i < j->n; i++) {
                JournalEntry *e = &j->items[i];
                free(e->question);
                free(e->habit);
                free(e->goal);
                free(e->goal_status);
                free(e->text);
        }
        free(j->items);
        *j = (StoreJournal){};
}

/* One row of STMT_SEARCH or STMT_JOURNAL_RANGE. */
static int journal_row(sqlite3_stmt *st, JournalEntry *e) {
        int src = sqlite3_column_int(st, 0);
        *e = (JournalEntry){ .source = src >= 0 && src < _JOURNAL_SOURCE_MAX ? (JournalSource) src : JOURNAL_CHECKIN };
        if (column_day(st, 1, &e->day) < 0)
                return -EUCLEAN;
        e->period.start = e->day;
        if (column_day(st, 2, &e->period.end) < 0)
                e->period.end = e->day;
        e->written_usec = sqlite3_column_int64(st, 7);
        e->rank = sqlite3_column_double(st, 9);
        if (!column_strdup(st, 3, &e->question) || !column_strdup(st, 4, &e->habit) ||
            !column_strdup(st, 5, &e->goal) || !column_strdup(st, 6, &e->goal_status) ||
            !column_strdup(st, 8, &e->text))
                return -ENOMEM;
        if (!e->text && !(e->text = strdup("")))
                return -ENOMEM;
        return 0;
}

static int journal_rows(sqlite3_stmt *st, StoreJournal *ret, int total_column) {
        size_t allocated = 0;
        int rc, r = 0;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = grow((void **) &ret->items, sizeof(JournalEntry), ret->n, &allocated);
                if (r < 0)
                        break;
                r = journal_row(st, &ret->items[ret->n]);
                ret->n++;
                if (total_column >= 0)
                        ret->total = (unsigned) sqlite3_column_int(st, total_column);
        }
        r = step_done(st, rc, r);
        if (r < 0)
                store_journal_done(ret);
        return r;
}

int store_search(Store *s, const StoreSearch *q, StoreJournal *ret, char **ret_reason) {
        sqlite3_stmt *st = stmt(s, STMT_SEARCH);
        *ret = (StoreJournal){};
        *ret_reason = NULL;
        sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, (int) q->sources);
        bind_day(st, 3, q->from);
        bind_day(st, 4, q->to);
        sqlite3_bind_int(st, 5, q->by_date);
        sqlite3_bind_int(st, 6, (int) q->limit);
        int r = journal_rows(st, ret, 10);
        /* FTS5 reports a query it cannot read as a plain SQLITE_ERROR. */
        if (r == -EIO && (sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_ERROR) {
                *ret_reason = strdup(sqlite3_errmsg(s->db));
                return -EINVAL;
        }
        return r;
}

int store_journal_range(Store *s, day_t from, day_t to, StoreJournal *ret) {
        sqlite3_stmt *st = stmt(s, STMT_JOURNAL_RANGE);
        *ret = (StoreJournal){};
        bind_day(st, 1, from);
        bind_day(st, 2, to);
        return journal_rows(st, ret, -1);
}

int store_journal_first_day(Store *s, day_t *ret) {
        sqlite3_stmt *st = stmt(s, STMT_JOURNAL_FIRST);
        int rc = sqlite3_step(st), r = 0;
        if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
                r = column_day(st, 0, ret) < 0 ? -EUCLEAN : 1;
        return step_done(st, rc, r);
}

void store_theme_docs_done(ThemeDocs *d) {
        for (size_t i = 0; i < d->n; i++)
                free((char *) d->items[i].text);
        free(d->items);
        *d = (ThemeDocs){};
}

int store_theme_docs(Store *s, day_t from, day_t to, ThemeDocs *ret) {
        sqlite3_stmt *st = stmt(s, STMT_THEME_DOCS);
        size_t allocated = 0;
        int rc, r = 0;

        *ret = (ThemeDocs){};
        bind_day(st, 1, from);
        bind_day(st, 2, to);
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = grow((void **) &ret->items, sizeof(ThemeDoc), ret->n, &allocated);
                if (r < 0)
                        break;
                char *text;
                if (column_day(st, 0, &ret->items[ret->n].day) < 0)
                        r = -EUCLEAN;
                else if (!column_strdup(st, 1, &text))
                        r = -ENOMEM;
                else
                        ret->items[ret->n++].text = text ? text : strdup("");
        }
        r = step_done(st, rc, r);
        if (r < 0)
                store_theme_docs_done(ret);
        return r;
}

int store_schema_latest(void) {
        return (int) ELEMENTSOF(migrations);
}
