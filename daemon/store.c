#include "store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        STMT_CHECKINS_COUNT,
        STMT_REVIEWS_COUNT,
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
        [STMT_CHECKINS_COUNT] = "SELECT (SELECT count(*) FROM checkins WHERE habit = ?1 AND day BETWEEN ?2 AND ?3), "
                                "max(day), count(*) FROM checkins WHERE habit = ?1",
        /* A period answered twice is still one check-in; it counts on the
         * day it was written, or the period's last day when back-filled. */
        [STMT_REVIEWS_COUNT] = "SELECT (SELECT count(DISTINCT period_start) FROM answers "
                               "        WHERE kind = ?1 AND period_end BETWEEN ?2 AND ?3), "
                               "max(min(period_end, date(created_usec / 1000000, 'unixepoch', 'localtime'))), "
                               "count(DISTINCT period_start) FROM answers WHERE kind = ?1",
        /* Prompting a period again (a catch-up after `remind`, say) keeps
         * the row; only an unresolved one is brought back to pending. */
        [STMT_PROMPT_INSERT] = "INSERT INTO prompts (kind, period_start, period_end, fired_usec, missed) "
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
        [STMT_PROMPT_RESOLVE] = "UPDATE prompts SET state = ?3 WHERE kind = ?1 AND period_start = ?2 "
                                "AND state = 'pending'",
        [STMT_PROMPT_OLDEST] = "SELECT period_start, period_end, missed FROM prompts WHERE kind = ? "
                               "AND state = 'pending' ORDER BY period_start LIMIT 1",
        [STMT_PROMPTS_PENDING] = "SELECT kind, period_start, period_end, fired_usec, missed FROM prompts "
                                 "WHERE state = 'pending' ORDER BY period_start, kind",
};

struct Store {
        sqlite3 *db;
        sqlite3_stmt *stmt[_STMT_MAX];
};

Store *store_free(Store *s) {
        if (!s)
                return NULL;
        for (size_t i = 0; i < _STMT_MAX; i++)
                sqlite3_finalize(s->stmt[i]);
        sqlite3_close_v2(s->db);
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
        return rc == SQLITE_DONE ? 0 : sqlite_to_errno(rc) ?: -EIO;
}

static int bind_day(sqlite3_stmt *st, int index, day_t day) {
        char buf[DATE_STR_MAX];
        return sqlite3_bind_text(st, index, date_format(day, buf), -1, SQLITE_TRANSIENT);
}

static int column_day(sqlite3_stmt *st, int column, day_t *ret) {
        const char *text = (const char *) sqlite3_column_text(st, column);
        return text ? date_parse(text, 0, ret) : -ENODATA;
}

static int pragma_check(Store *s, char **ret_message) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
        if (rc != SQLITE_OK)
                goto corrupt;
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW || strcmp((const char *) sqlite3_column_text(st, 0), "ok") != 0)
                goto corrupt;
        sqlite3_finalize(st);
        return 0;
corrupt:
        *ret_message = strdup_printf("integrity check failed: %s",
                                     st && rc == SQLITE_ROW ? (const char *) sqlite3_column_text(st, 0)
                                                            : sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        return -EUCLEAN;
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
                *ret_message = strdup_printf("database schema version %d is newer than this lookbackd (%zu)",
                                             version, ELEMENTSOF(migrations));
                return -EPROTO;
        }
        for (size_t i = (size_t) version; i < ELEMENTSOF(migrations); i++) {
                _cleanup_free_ char *sql = strdup_printf("BEGIN IMMEDIATE; %s PRAGMA user_version = %zu; COMMIT;",
                                                         migrations[i], i + 1);
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

static int configure(Store *s, char **ret_message) {
        /* FULL makes each COMMIT durable in WAL mode too: an acknowledged
         * answer survives a power cut. */
        static const char pragmas[] = "PRAGMA journal_mode = WAL;"
                                      "PRAGMA synchronous = FULL;"
                                      "PRAGMA foreign_keys = ON;";
        sqlite3_busy_timeout(s->db, 5000);
        return exec_sql(s, pragmas, ret_message);
}

static int prepare_all(Store *s, char **ret_message) {
        for (size_t i = 0; i < _STMT_MAX; i++) {
                int rc = sqlite3_prepare_v3(s->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
                                            NULL);
                if (rc != SQLITE_OK) {
                        *ret_message = strdup_printf("cannot prepare statement: %s", sqlite3_errmsg(s->db));
                        return -EIO;
                }
        }
        return 0;
}

int store_open(const char *path, Store **ret, char **ret_message) {
        Store *s = calloc(1, sizeof(Store));
        int r;

        *ret_message = NULL;
        if (!s)
                return -ENOMEM;
        int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                                 NULL);
        if (rc != SQLITE_OK) {
                *ret_message = strdup(s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
                r = sqlite_to_errno(rc) ?: -EIO;
                goto fail;
        }
        sqlite3_extended_result_codes(s->db, 1);
        /* Check before anything writes, even the WAL switch. */
        r = pragma_check(s, ret_message);
        if (r < 0)
                goto fail;
        r = configure(s, ret_message);
        if (r < 0)
                goto fail;
        r = migrate(s, ret_message);
        if (r < 0)
                goto fail;
        r = prepare_all(s, ret_message);
        if (r < 0)
                goto fail;
        *ret = s;
        return 0;
fail:
        store_free(s);
        return r;
}

int store_begin(Store *s) {
        return stmt_exec(stmt(s, STMT_BEGIN));
}

int store_commit(Store *s) {
        return stmt_exec(stmt(s, STMT_COMMIT));
}

void store_rollback(Store *s) {
        if (!sqlite3_get_autocommit(s->db))
                (void) stmt_exec(stmt(s, STMT_ROLLBACK));
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

static json_t *entries_list(Store *s, sqlite3_int64 answer_id) {
        sqlite3_stmt *st = stmt(s, STMT_ENTRIES_LIST);
        json_t *entries = json_array();
        int rc;

        sqlite3_bind_int64(st, 1, answer_id);
        while (entries && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                json_t *e = json_pack("{s:s, s:s}", "question", (const char *) sqlite3_column_text(st, 0), "answer",
                                      (const char *) sqlite3_column_text(st, 1));
                if (!e || json_array_append_new(entries, e) < 0)
                        goto fail;
        }
        if (rc != SQLITE_DONE)
                goto fail;
        sqlite3_reset(st);
        return entries;
fail:
        sqlite3_reset(st);
        json_decref(entries);
        return NULL;
}

static json_t *answer_row(sqlite3_stmt *st) {
        return json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", (const char *) sqlite3_column_text(st, 1), "kind",
                         (const char *) sqlite3_column_text(st, 2), "period_start",
                         (const char *) sqlite3_column_text(st, 3), "period_end",
                         (const char *) sqlite3_column_text(st, 4), "created", (json_int_t) sqlite3_column_int64(st, 5));
}

int store_answers_list(Store *s, int kind, day_t from, day_t to, json_t **ret) {
        /* The entries query reuses no statement of this one, so both can be
         * stepped at once. */
        sqlite3_stmt *st = stmt(s, STMT_ANSWERS_LIST);
        json_t *list = json_array();
        int rc, r = -ENOMEM;

        if (kind >= 0)
                sqlite3_bind_text(st, 1, review_kind_to_string(kind), -1, SQLITE_STATIC);
        bind_day(st, 2, from);
        bind_day(st, 3, to);
        while (list && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                json_t *row = answer_row(st);
                json_t *entries = entries_list(s, sqlite3_column_int64(st, 0));
                if (!row || !entries || json_object_set_new(row, "entries", entries) < 0 ||
                    json_array_append_new(list, row) < 0) {
                        json_decref(row);
                        goto fail;
                }
        }
        if (!list)
                goto fail;
        if (rc != SQLITE_DONE) {
                r = sqlite_to_errno(rc) ?: -EIO;
                goto fail;
        }
        sqlite3_reset(st);
        *ret = list;
        return 0;
fail:
        sqlite3_reset(st);
        json_decref(list);
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

int store_habit_counts(Store *s, const char *habit, int review_kind, Period period, HabitCounts *ret) {
        sqlite3_stmt *st = stmt(s, review_kind >= 0 ? STMT_REVIEWS_COUNT : STMT_CHECKINS_COUNT);
        if (review_kind >= 0)
                sqlite3_bind_text(st, 1, review_kind_to_string(review_kind), -1, SQLITE_STATIC);
        else
                sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        bind_day(st, 2, period.start);
        bind_day(st, 3, period.end);

        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                sqlite3_reset(st);
                return sqlite_to_errno(rc) ?: -EIO;
        }
        *ret = (HabitCounts) {
                .in_period = (unsigned) sqlite3_column_int64(st, 0),
                .total = (unsigned) sqlite3_column_int64(st, 2),
        };
        ret->has_last = column_day(st, 1, &ret->last_done) >= 0;
        sqlite3_reset(st);
        return 0;
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
                r = sqlite_to_errno(rc) ?: -EIO;
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
        *ret = (ScheduleState) {};
        if (rc == SQLITE_ROW) {
                const char *spec = (const char *) sqlite3_column_text(st, 0);
                ret->found = true;
                snprintf(ret->spec, sizeof(ret->spec), "%s", spec ? spec : "");
                ret->last_fired_usec = sqlite3_column_int64(st, 1);
                ret->has_snooze = sqlite3_column_type(st, 2) != SQLITE_NULL;
                ret->snooze_until_usec = sqlite3_column_int64(st, 2);
        }
        sqlite3_reset(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlite_to_errno(rc) ?: -EIO;
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


int store_prompts_pending(Store *s, json_t **ret) {
        sqlite3_stmt *st = stmt(s, STMT_PROMPTS_PENDING);
        json_t *list = json_array();
        int rc = SQLITE_NOMEM;

        while (list && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                json_t *row = json_pack("{s:s, s:s, s:s, s:I, s:i}", "kind", (const char *) sqlite3_column_text(st, 0),
                                        "period_start", (const char *) sqlite3_column_text(st, 1), "period_end",
                                        (const char *) sqlite3_column_text(st, 2), "fired",
                                        (json_int_t) sqlite3_column_int64(st, 3), "missed",
                                        sqlite3_column_int(st, 4));
                if (!row || json_array_append_new(list, row) < 0) {
                        rc = SQLITE_NOMEM;
                        break;
                }
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
                json_decref(list);
                return sqlite_to_errno(rc) ?: -EIO;
        }
        *ret = list;
        return 0;
}
