/* Records as a whole: loaded for an export, merged from an import, found by
 * an id prefix, removed with a tombstone. The SQL of everything that treats
 * a person's records by their UUID, whatever their kind. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"
#include "util.h"

/* ---- Loading (export) ---------------------------------------------- */

/* Each kind's columns, then its two filters: ?1 and ?2 the range's days,
 * or NULL for everything; or ?1 one record's uuid (the sync log's writer
 * takes records one at a time). Orders end in the uuid, never a row id:
 * two machines holding the same records export the same document. */
#define SQL_ANSWERS    "SELECT id, uuid, kind, period_start, period_end, created_usec, device FROM answers"
#define SQL_CHECKINS   "SELECT uuid, habit, day, note, created_usec, device FROM checkins"
#define SQL_SKIPS      "SELECT uuid, habit, day, note, created_usec, device FROM skips"
#define SQL_PAUSES     "SELECT uuid, habit, from_day, to_day, reason, created_usec, device, end_hlc FROM pauses"
#define SQL_GOALS      "SELECT uuid, text, created_day, created_usec, device FROM goals"
#define SQL_CHANGES    "SELECT uuid, goal_uuid, status, closed_day, reason, created_usec, device FROM goal_changes"
#define SQL_NOTES      "SELECT uuid, day, title, body, created_usec, device FROM notes"
#define SQL_PROMPTS    "SELECT kind, period_start, period_end, fired_usec, missed, state FROM prompts"
#define SQL_TOMBSTONES "SELECT uuid, kind, device, removed_usec FROM tombstones"
#define GOALS_IN_RANGE "(?1 IS NULL OR (created_day <= ?2 AND (closed_day IS NULL OR closed_day >= ?1)))"

static const char sql_answers[] = SQL_ANSWERS " WHERE ?1 IS NULL OR (period_end >= ?1 AND period_start <= ?2)"
                                              " ORDER BY period_start DESC, kind, created_usec DESC, uuid";
static const char sql_entries[] = "SELECT question, body FROM answer_entries WHERE answer_id = ? ORDER BY position";
static const char sql_checkins[] =
        SQL_CHECKINS " WHERE ?1 IS NULL OR day BETWEEN ?1 AND ?2 ORDER BY habit, day, created_usec, uuid";
static const char sql_skips[] =
        SQL_SKIPS " WHERE ?1 IS NULL OR day BETWEEN ?1 AND ?2 ORDER BY habit, day, created_usec, uuid";
static const char sql_pauses[] = SQL_PAUSES " WHERE ?1 IS NULL OR (from_day <= ?2 AND (to_day IS NULL OR to_day >= ?1))"
                                            " ORDER BY habit, from_day, created_usec, uuid";
static const char sql_goals[] = SQL_GOALS " WHERE " GOALS_IN_RANGE " ORDER BY created_day, created_usec, uuid";
static const char sql_goal_changes[] =
        SQL_CHANGES " WHERE goal_uuid IN (SELECT uuid FROM goals WHERE " GOALS_IN_RANGE ") ORDER BY created_usec, uuid";
static const char sql_notes[] =
        SQL_NOTES " WHERE ?1 IS NULL OR day BETWEEN ?1 AND ?2 ORDER BY day DESC, created_usec DESC, uuid";
static const char sql_prompts[] = SQL_PROMPTS " WHERE ?1 IS NULL OR (period_end >= ?1 AND period_start <= ?2)"
                                              " ORDER BY period_start, kind";
static const char sql_tombstones[] = SQL_TOMBSTONES " ORDER BY removed_usec, uuid";

static const char sql_answer_one[] = SQL_ANSWERS " WHERE uuid = ?1";
static const char sql_checkin_one[] = SQL_CHECKINS " WHERE uuid = ?1";
static const char sql_skip_one[] = SQL_SKIPS " WHERE uuid = ?1";
static const char sql_pause_one[] = SQL_PAUSES " WHERE uuid = ?1";
static const char sql_goal_one[] = SQL_GOALS " WHERE uuid = ?1";
static const char sql_goal_change_one[] = SQL_CHANGES " WHERE uuid = ?1";
static const char sql_note_one[] = SQL_NOTES " WHERE uuid = ?1";
static const char sql_prompt_one[] = SQL_PROMPTS " WHERE kind = ?1 AND period_start = ?2";
static const char sql_tombstone_one[] = SQL_TOMBSTONES " WHERE uuid = ?1";

static sqlite3_stmt *range_stmt(Store *s, const char *sql, const RecordSet *set);

/* Which rows a load reads: the one record @uuid with @one_sql, or (@uuid
 * NULL) the set's range, or all, with @range_sql. */
static sqlite3_stmt *filter_stmt(Store *s, const char *range_sql, const char *one_sql, const char *uuid,
                                 const RecordSet *set) {
        if (uuid) {
                sqlite3_stmt *st = store_prepared(s, one_sql);
                if (st)
                        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
                return st;
        }
        return range_stmt(s, range_sql, set);
}

static sqlite3_stmt *range_stmt(Store *s, const char *sql, const RecordSet *set) {
        sqlite3_stmt *st = store_prepared(s, sql);
        if (st && set->has_range) {
                store_bind_day(st, 1, set->from);
                store_bind_day(st, 2, set->to);
        }
        return st;
}

/* The row's uuid, recorded time and device (NULL: this machine). */
static void meta_fill(Store *s, sqlite3_stmt *st, int uuid_col, int usec_col, int device_col, RecordMeta *m) {
        const char *device = (const char *) sqlite3_column_text(st, device_col);
        snprintf(m->uuid, sizeof(m->uuid), "%s", (const char *) sqlite3_column_text(st, uuid_col));
        snprintf(m->device, sizeof(m->device), "%s", device ? device : store_device(s));
        m->recorded_usec = sqlite3_column_int64(st, usec_col);
}

static int load_entries(Store *s, sqlite3_int64 answer_id, RecordAnswer *a) {
        sqlite3_stmt *st = store_prepared(s, sql_entries);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, answer_id);
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &a->entries, sizeof(TemplateEntry), a->n_entries, &allocated);
                if (r < 0)
                        break;
                TemplateEntry *e = &a->entries[a->n_entries];
                *e = (TemplateEntry){};
                a->n_entries++;
                if (!store_column_strdup(st, 0, &e->question) || !store_column_strdup(st, 1, &e->answer))
                        r = -ENOMEM;
        }
        return store_step_done(st, rc, r);
}

static int load_answers(Store *s, RecordSet *set, const char *uuid) {
        sqlite3_stmt *st = filter_stmt(s, sql_answers, sql_answer_one, uuid, set);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        /* The entries' statement is another one: collect ids first. */
        sqlite3_int64 *ids = NULL;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &set->answers, sizeof(RecordAnswer), set->n_answers, &allocated);
                if (r < 0)
                        break;
                sqlite3_int64 *p = reallocarray(ids, allocated, sizeof(*ids));
                if (!p) {
                        r = -ENOMEM;
                        break;
                }
                ids = p;
                RecordAnswer *a = &set->answers[set->n_answers];
                int kind = review_kind_from_string((const char *) sqlite3_column_text(st, 2));
                *a = (RecordAnswer){ .kind = kind < 0 ? REVIEW_WEEKLY : (ReviewKind) kind };
                meta_fill(s, st, 1, 5, 6, &a->meta);
                if (store_column_day(st, 3, &a->period.start) < 0 || store_column_day(st, 4, &a->period.end) < 0)
                        continue; /* unreadable: left out */
                ids[set->n_answers++] = sqlite3_column_int64(st, 0);
        }
        r = store_step_done(st, rc, r);
        for (size_t i = 0; r >= 0 && i < set->n_answers; i++)
                r = load_entries(s, ids[i], &set->answers[i]);
        free(ids);
        return r;
}

static int load_marks(Store *s, bool skips, const RecordSet *set, const char *uuid, RecordMark **items, size_t *n) {
        sqlite3_stmt *st = skips ? filter_stmt(s, sql_skips, sql_skip_one, uuid, set)
                                 : filter_stmt(s, sql_checkins, sql_checkin_one, uuid, set);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) items, sizeof(RecordMark), *n, &allocated);
                if (r < 0)
                        break;
                RecordMark *k = &(*items)[*n];
                *k = (RecordMark){};
                meta_fill(s, st, 0, 4, 5, &k->meta);
                if (store_column_day(st, 2, &k->day) < 0)
                        continue;
                (*n)++;
                if (!store_column_strdup(st, 1, &k->habit) || !store_column_strdup(st, 3, &k->note))
                        r = -ENOMEM;
        }
        return store_step_done(st, rc, r);
}

static int load_pauses(Store *s, RecordSet *set, const char *uuid) {
        sqlite3_stmt *st = filter_stmt(s, sql_pauses, sql_pause_one, uuid, set);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &set->pauses, sizeof(RecordPause), set->n_pauses, &allocated);
                if (r < 0)
                        break;
                RecordPause *p = &set->pauses[set->n_pauses];
                *p = (RecordPause){};
                meta_fill(s, st, 0, 5, 6, &p->meta);
                if (store_column_day(st, 2, &p->from) < 0)
                        continue;
                p->has_to = sqlite3_column_type(st, 3) != SQLITE_NULL && store_column_day(st, 3, &p->to) >= 0;
                /* An end given when the pause was made was set with it. */
                if (p->has_to)
                        p->ended_usec = sqlite3_column_type(st, 7) == SQLITE_NULL ? p->meta.recorded_usec
                                                                                  : sqlite3_column_int64(st, 7);
                set->n_pauses++;
                if (!store_column_strdup(st, 1, &p->habit) || !store_column_strdup(st, 4, &p->reason))
                        r = -ENOMEM;
        }
        return store_step_done(st, rc, r);
}

static int load_goals(Store *s, RecordSet *set, const char *uuid) {
        sqlite3_stmt *st = filter_stmt(s, sql_goals, sql_goal_one, uuid, set);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &set->goals, sizeof(RecordGoal), set->n_goals, &allocated);
                if (r < 0)
                        break;
                RecordGoal *g = &set->goals[set->n_goals];
                *g = (RecordGoal){};
                meta_fill(s, st, 0, 3, 4, &g->meta);
                if (store_column_day(st, 2, &g->created) < 0)
                        continue;
                set->n_goals++;
                if (!store_column_strdup(st, 1, &g->text))
                        r = -ENOMEM;
        }
        return store_step_done(st, rc, r);
}

static int load_goal_changes(Store *s, RecordSet *set, const char *uuid) {
        sqlite3_stmt *st = filter_stmt(s, sql_goal_changes, sql_goal_change_one, uuid, set);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &set->goal_changes, sizeof(RecordGoalChange), set->n_goal_changes,
                                 &allocated);
                if (r < 0)
                        break;
                RecordGoalChange *c = &set->goal_changes[set->n_goal_changes];
                int status = goal_status_from_string((const char *) sqlite3_column_text(st, 2));
                *c = (RecordGoalChange){ .status = status < 0 ? GOAL_OPEN : (GoalStatus) status };
                meta_fill(s, st, 0, 5, 6, &c->meta);
                snprintf(c->goal, sizeof(c->goal), "%s", (const char *) sqlite3_column_text(st, 1));
                c->has_day = sqlite3_column_type(st, 3) != SQLITE_NULL && store_column_day(st, 3, &c->day) >= 0;
                set->n_goal_changes++;
                if (!store_column_strdup(st, 4, &c->reason))
                        r = -ENOMEM;
        }
        return store_step_done(st, rc, r);
}

static int load_notes(Store *s, RecordSet *set, const char *uuid) {
        sqlite3_stmt *st = filter_stmt(s, sql_notes, sql_note_one, uuid, set);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &set->notes, sizeof(RecordNote), set->n_notes, &allocated);
                if (r < 0)
                        break;
                RecordNote *n = &set->notes[set->n_notes];
                *n = (RecordNote){};
                meta_fill(s, st, 0, 4, 5, &n->meta);
                if (store_column_day(st, 1, &n->day) < 0)
                        continue;
                set->n_notes++;
                if (!store_column_strdup(st, 2, &n->title) || !store_column_strdup(st, 3, &n->body))
                        r = -ENOMEM;
        }
        return store_step_done(st, rc, r);
}

/* A prompt's key, for the one-record filter, is "KIND/YYYY-MM-DD". */
static int load_prompts(Store *s, RecordSet *set, const char *uuid) {
        sqlite3_stmt *st;
        if (uuid) {
                const char *slash = strchr(uuid, '/');
                st = slash ? store_prepared(s, sql_prompt_one) : NULL;
                if (!st)
                        return slash ? -EIO : -EINVAL;
                sqlite3_bind_text(st, 1, uuid, (int) (slash - uuid), SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 2, slash + 1, -1, SQLITE_TRANSIENT);
        } else
                st = range_stmt(s, sql_prompts, set);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &set->prompts, sizeof(RecordPrompt), set->n_prompts, &allocated);
                if (r < 0)
                        break;
                RecordPrompt *p = &set->prompts[set->n_prompts];
                int kind = review_kind_from_string((const char *) sqlite3_column_text(st, 0));
                int state = prompt_state_from_string((const char *) sqlite3_column_text(st, 5));
                *p = (RecordPrompt){ .kind = kind < 0 ? REVIEW_WEEKLY : (ReviewKind) kind,
                                     .fired_usec = sqlite3_column_int64(st, 3),
                                     .missed = (unsigned) sqlite3_column_int(st, 4),
                                     .state = state < 0 ? PROMPT_PENDING : (PromptState) state };
                if (store_column_day(st, 1, &p->period.start) >= 0 && store_column_day(st, 2, &p->period.end) >= 0)
                        set->n_prompts++;
        }
        return store_step_done(st, rc, r);
}

static int load_tombstones(Store *s, RecordSet *set, const char *uuid) {
        sqlite3_stmt *st = filter_stmt(s, sql_tombstones, sql_tombstone_one, uuid, set);
        size_t allocated = 0;
        int rc, r = 0;
        if (!st)
                return -EIO;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                int kind = record_kind_from_string((const char *) sqlite3_column_text(st, 1));
                if (kind < 0)
                        continue;
                r = records_grow((void **) &set->tombstones, sizeof(RecordTombstone), set->n_tombstones, &allocated);
                if (r < 0)
                        break;
                RecordTombstone *t = &set->tombstones[set->n_tombstones++];
                const char *device = (const char *) sqlite3_column_text(st, 2);
                *t = (RecordTombstone){ .kind = kind, .removed_usec = sqlite3_column_int64(st, 3) };
                snprintf(t->uuid, sizeof(t->uuid), "%s", (const char *) sqlite3_column_text(st, 0));
                snprintf(t->device, sizeof(t->device), "%s", device ? device : store_device(s));
        }
        return store_step_done(st, rc, r);
}

int store_records_load(Store *s, bool has_range, day_t from, day_t to, RecordSet *ret) {
        *ret = (RecordSet){ .has_range = has_range, .from = from, .to = to };
        snprintf(ret->device, sizeof(ret->device), "%s", store_device(s));
        /* One read transaction, so the export is one moment's state. */
        int r = store_stmt_exec(store_prepared(s, "BEGIN"));
        if (r < 0)
                return r;
        r = load_answers(s, ret, NULL);
        if (r >= 0)
                r = load_marks(s, false, ret, NULL, &ret->checkins, &ret->n_checkins);
        if (r >= 0)
                r = load_marks(s, true, ret, NULL, &ret->skips, &ret->n_skips);
        if (r >= 0)
                r = load_pauses(s, ret, NULL);
        if (r >= 0)
                r = load_goals(s, ret, NULL);
        if (r >= 0)
                r = load_goal_changes(s, ret, NULL);
        if (r >= 0)
                r = load_notes(s, ret, NULL);
        if (r >= 0)
                r = load_prompts(s, ret, NULL);
        if (r >= 0)
                r = load_tombstones(s, ret, NULL);
        store_rollback(s);
        if (r < 0)
                records_done(ret);
        return r;
}

int store_record_load_one(Store *s, const char *kind, const char *key, RecordSet *ret) {
        int r;
        *ret = (RecordSet){};
        snprintf(ret->device, sizeof(ret->device), "%s", store_device(s));
        if (streq(kind, "prompt"))
                r = load_prompts(s, ret, key);
        else if (streq(kind, "tombstone"))
                r = load_tombstones(s, ret, key);
        else
                switch (record_kind_from_string(kind)) {
                case RECORD_ANSWER:
                        r = load_answers(s, ret, key);
                        break;
                case RECORD_CHECKIN:
                        r = load_marks(s, false, ret, key, &ret->checkins, &ret->n_checkins);
                        break;
                case RECORD_SKIP:
                        r = load_marks(s, true, ret, key, &ret->skips, &ret->n_skips);
                        break;
                case RECORD_PAUSE:
                        r = load_pauses(s, ret, key);
                        break;
                case RECORD_GOAL:
                        r = load_goals(s, ret, key);
                        break;
                case RECORD_GOAL_CHANGE:
                        r = load_goal_changes(s, ret, key);
                        break;
                case RECORD_NOTE:
                        r = load_notes(s, ret, key);
                        break;
                default:
                        r = -EINVAL;
                }
        if (r < 0)
                records_done(ret);
        return r;
}

/* ---- Merging (import) ---------------------------------------------- */

static const char sql_tombstoned[] = "SELECT 1 FROM tombstones WHERE uuid = ?";
static const char sql_tombstone_insert[] =
        "INSERT OR IGNORE INTO tombstones (uuid, kind, device, removed_usec) VALUES (?, ?, ?, ?)";
/* Any record of any kind with this UUID: a kind it is, or nothing. */
static const char sql_uuid_kind[] =
        "SELECT 'answer' FROM answers WHERE uuid = ?1 UNION ALL SELECT 'checkin' FROM checkins WHERE uuid = ?1"
        " UNION ALL SELECT 'skip' FROM skips WHERE uuid = ?1 UNION ALL SELECT 'pause' FROM pauses WHERE uuid = ?1"
        " UNION ALL SELECT 'goal' FROM goals WHERE uuid = ?1"
        " UNION ALL SELECT 'goal-change' FROM goal_changes WHERE uuid = ?1"
        " UNION ALL SELECT 'note' FROM notes WHERE uuid = ?1 LIMIT 1";

/* Each kind's "is the record here the same?": no row (not here), 1 or 0.
 * What may change after a record is made (a pause's end, a goal's
 * status) is not compared: that is merged, not a conflict. */
static const char sql_same_answer[] = "SELECT id, kind IS ?2 AND period_start IS ?3 AND period_end IS ?4"
                                      " AND created_usec IS ?5 FROM answers WHERE uuid = ?1";
static const char sql_same_checkin[] = "SELECT habit IS ?2 AND day IS ?3 AND note IS ?4 AND created_usec IS ?5"
                                       " FROM checkins WHERE uuid = ?1";
static const char sql_same_skip[] = "SELECT habit IS ?2 AND day IS ?3 AND note IS ?4 AND created_usec IS ?5"
                                    " FROM skips WHERE uuid = ?1";
static const char sql_same_pause[] = "SELECT habit IS ?2 AND from_day IS ?3 AND reason IS ?4 AND created_usec IS ?5,"
                                     " to_day, id, coalesce(end_hlc, created_usec) FROM pauses WHERE uuid = ?1";
static const char sql_same_goal[] = "SELECT text IS ?2 AND created_day IS ?3 AND created_usec IS ?4"
                                    " FROM goals WHERE uuid = ?1";
static const char sql_same_goal_change[] =
        "SELECT goal_uuid IS ?2 AND status IS ?3 AND closed_day IS ?4 AND reason IS ?5 AND created_usec IS ?6"
        " FROM goal_changes WHERE uuid = ?1";
static const char sql_same_note[] = "SELECT day IS ?2 AND title IS ?3 AND body IS ?4 AND created_usec IS ?5"
                                    " FROM notes WHERE uuid = ?1";
static const char sql_entry_same[] =
        "SELECT count(*) = ?2 AND coalesce(sum(question IS (?3 ->> ('$[' || position || '][0]'))"
        " AND body IS (?3 ->> ('$[' || position || '][1]'))), 0) = ?2 FROM answer_entries WHERE answer_id = ?1";

static const char sql_answer_insert[] =
        "INSERT INTO answers (uuid, kind, period_start, period_end, created_usec, device)"
        " VALUES (?, ?, ?, ?, ?, ?)";
static const char sql_entry_insert[] =
        "INSERT INTO answer_entries (answer_id, position, question, body) VALUES (?, ?, ?, ?)";
static const char sql_checkin_insert[] =
        "INSERT INTO checkins (uuid, habit, day, note, created_usec, device) VALUES (?, ?, ?, ?, ?, ?)";
static const char sql_skip_insert[] =
        "INSERT INTO skips (uuid, habit, day, note, created_usec, device) VALUES (?, ?, ?, ?, ?, ?)";
static const char sql_pause_insert[] =
        "INSERT INTO pauses (uuid, habit, from_day, to_day, reason, created_usec, device, end_hlc)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_pause_set_end[] = "UPDATE pauses SET to_day = ?2, end_hlc = ?3 WHERE id = ?1";
static const char sql_goal_insert[] =
        "INSERT INTO goals (uuid, text, created_day, created_usec, device) VALUES (?, ?, ?, ?, ?)";
static const char sql_note_insert[] =
        "INSERT INTO notes (uuid, day, title, body, created_usec, device) VALUES (?, ?, ?, ?, ?, ?)";
static const char sql_prompt_merge[] = "SELECT state FROM prompts WHERE kind = ?1 AND period_start = ?2";
static const char sql_prompt_insert[] =
        "INSERT INTO prompts (kind, period_start, period_end, fired_usec, missed, state)"
        " VALUES (?, ?, ?, ?, ?, ?)";
static const char sql_prompt_set_state[] = "UPDATE prompts SET state = ?3 WHERE kind = ?1 AND period_start = ?2";

typedef struct {
        Store *s;
        ImportCounts *counts;
        char **conflict;
} Merge;

static int bind_text(sqlite3_stmt *st, int index, const char *text) {
        return text ? sqlite3_bind_text(st, index, text, -1, SQLITE_STATIC) : sqlite3_bind_null(st, index);
}

static int uuid_query(Store *s, const char *sql, const char *uuid, sqlite3_stmt **ret) {
        sqlite3_stmt *st = store_prepared(s, sql);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        *ret = st;
        return 0;
}

/* 1 when a tombstone for @uuid is here. */
static int tombstoned(Store *s, const char *uuid) {
        sqlite3_stmt *st;
        int r = uuid_query(s, sql_tombstoned, uuid, &st);
        if (r < 0)
                return r;
        int rc = sqlite3_step(st);
        return store_step_done(st, rc, rc == SQLITE_ROW);
}

static int conflict(Merge *mg, RecordKind kind, size_t index, const char *uuid, const char *why) {
        free(*mg->conflict);
        *mg->conflict = strdup_printf("%s %zu (id %s) %s", record_kind_to_string(kind), index + 1, uuid, why);
        return -EEXIST;
}

/* Before a record is added: is it forgotten here, or is its UUID taken by
 * another kind? 1: go on and insert; 0: counted as forgotten. */
static int may_insert(Merge *mg, RecordKind kind, size_t index, const char *uuid) {
        int r = tombstoned(mg->s, uuid);
        if (r != 0) {
                if (r > 0)
                        mg->counts->kinds[kind].forgotten++;
                return r < 0 ? r : 0;
        }
        sqlite3_stmt *st;
        r = uuid_query(mg->s, sql_uuid_kind, uuid, &st);
        if (r < 0)
                return r;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                _cleanup_free_ char *why = strdup_printf("is a %s here already", sqlite3_column_text(st, 0));
                sqlite3_reset(st);
                return conflict(mg, kind, index, uuid, why ? why : "is taken");
        }
        r = store_step_done(st, rc, 0);
        return r < 0 ? r : 1;
}

/* What to do with a record whose "same?" query is @st (stepped by this):
 * 1 insert it, 0 it is here (counted), or an error. */
static int settle(Merge *mg, RecordKind kind, size_t index, const char *uuid, sqlite3_stmt *st, int same_column) {
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                int r = store_step_done(st, rc, 0);
                return r < 0 ? r : may_insert(mg, kind, index, uuid);
        }
        bool same = sqlite3_column_int(st, same_column);
        sqlite3_reset(st);
        if (!same)
                return conflict(mg, kind, index, uuid, "is here already with different content");
        mg->counts->kinds[kind].had++;
        return 0;
}

static int entries_json(const RecordAnswer *a, char **ret) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < a->n_entries; i++)
                if (json_array_append_new(arr, json_pack("[ss]", a->entries[i].question, a->entries[i].answer)) < 0)
                        break;
        *ret = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
        json_decref(arr);
        return *ret ? 0 : -ENOMEM;
}

static int merge_answer(Merge *mg, size_t index, const RecordAnswer *a) {
        Store *s = mg->s;
        sqlite3_stmt *st;
        int r = uuid_query(s, sql_same_answer, a->meta.uuid, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 2, review_kind_to_string(a->kind), -1, SQLITE_STATIC);
        store_bind_day(st, 3, a->period.start);
        store_bind_day(st, 4, a->period.end);
        sqlite3_bind_int64(st, 5, a->meta.recorded_usec);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                sqlite3_int64 id = sqlite3_column_int64(st, 0);
                bool same = sqlite3_column_int(st, 1);
                sqlite3_reset(st);
                _cleanup_free_ char *json = NULL;
                if (same) {
                        r = entries_json(a, &json);
                        if (r < 0)
                                return r;
                        st = store_prepared(s, sql_entry_same);
                        if (!st)
                                return -EIO;
                        sqlite3_bind_int64(st, 1, id);
                        sqlite3_bind_int64(st, 2, (sqlite3_int64) a->n_entries);
                        sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
                        rc = sqlite3_step(st);
                        same = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
                        r = store_step_done(st, rc, 0);
                        if (r < 0)
                                return r;
                }
                if (!same)
                        return conflict(mg, RECORD_ANSWER, index, a->meta.uuid,
                                        "is here already with different content");
                mg->counts->kinds[RECORD_ANSWER].had++;
                return 0;
        }
        r = store_step_done(st, rc, 0);
        if (r >= 0)
                r = may_insert(mg, RECORD_ANSWER, index, a->meta.uuid);
        if (r <= 0)
                return r;
        st = store_prepared(s, sql_answer_insert);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, a->meta.uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, review_kind_to_string(a->kind), -1, SQLITE_STATIC);
        store_bind_day(st, 3, a->period.start);
        store_bind_day(st, 4, a->period.end);
        sqlite3_bind_int64(st, 5, a->meta.recorded_usec);
        store_bind_device(s, st, 6, a->meta.device);
        r = store_stmt_exec(st);
        if (r < 0)
                return r;
        sqlite3_int64 id = sqlite3_last_insert_rowid(store_sqlite(s));
        for (size_t i = 0; i < a->n_entries; i++) {
                st = store_prepared(s, sql_entry_insert);
                if (!st)
                        return -EIO;
                sqlite3_bind_int64(st, 1, id);
                sqlite3_bind_int64(st, 2, (sqlite3_int64) i);
                sqlite3_bind_text(st, 3, a->entries[i].question, -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 4, a->entries[i].answer, -1, SQLITE_STATIC);
                r = store_stmt_exec(st);
                if (r < 0)
                        return r;
        }
        mg->counts->kinds[RECORD_ANSWER].added++;
        return 0;
}

static int merge_mark(Merge *mg, RecordKind kind, size_t index, const RecordMark *k) {
        Store *s = mg->s;
        sqlite3_stmt *st;
        int r = uuid_query(s, kind == RECORD_CHECKIN ? sql_same_checkin : sql_same_skip, k->meta.uuid, &st);
        if (r < 0)
                return r;
        bind_text(st, 2, k->habit);
        store_bind_day(st, 3, k->day);
        bind_text(st, 4, k->note);
        sqlite3_bind_int64(st, 5, k->meta.recorded_usec);
        r = settle(mg, kind, index, k->meta.uuid, st, 0);
        if (r <= 0)
                return r;
        st = store_prepared(s, kind == RECORD_CHECKIN ? sql_checkin_insert : sql_skip_insert);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, k->meta.uuid, -1, SQLITE_STATIC);
        bind_text(st, 2, k->habit);
        store_bind_day(st, 3, k->day);
        bind_text(st, 4, k->note);
        sqlite3_bind_int64(st, 5, k->meta.recorded_usec);
        store_bind_device(s, st, 6, k->meta.device);
        r = store_stmt_exec(st);
        if (r >= 0)
                mg->counts->kinds[kind].added++;
        return r;
}

/* Whether the end @p brings beats the one here (@here_to, set at
 * @here_hlc; @open_here: none). An end wins over no end (the pause was
 * ended somewhere); of two ends the one set later by the hybrid clock
 * wins, and at the same moment the later day: every machine picks the
 * same. An export's pause carries no clock (0), so it never overrides. */
static bool pause_end_wins(const RecordPause *p, bool open_here, day_t here_to, int64_t here_hlc) {
        if (!p->has_to)
                return false;
        if (open_here)
                return true;
        if (p->to == here_to)
                return false;
        return p->ended_usec > here_hlc || (p->ended_usec == here_hlc && p->to > here_to);
}

static int pause_set_end(Store *s, sqlite3_int64 id, const RecordPause *p) {
        sqlite3_stmt *st = store_prepared(s, sql_pause_set_end);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, id);
        store_bind_day(st, 2, p->to);
        if (p->ended_usec)
                sqlite3_bind_int64(st, 3, p->ended_usec);
        return store_stmt_exec(st);
}

static int merge_pause(Merge *mg, size_t index, const RecordPause *p) {
        Store *s = mg->s;
        sqlite3_stmt *st;
        int r = uuid_query(s, sql_same_pause, p->meta.uuid, &st);
        if (r < 0)
                return r;
        bind_text(st, 2, p->habit);
        store_bind_day(st, 3, p->from);
        bind_text(st, 4, p->reason);
        sqlite3_bind_int64(st, 5, p->meta.recorded_usec);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                bool same = sqlite3_column_int(st, 0), open_here = sqlite3_column_type(st, 1) == SQLITE_NULL;
                day_t here_to = 0;
                if (!open_here && store_column_day(st, 1, &here_to) < 0)
                        open_here = true; /* unreadable: any end is better */
                sqlite3_int64 id = sqlite3_column_int64(st, 2);
                int64_t here_hlc = sqlite3_column_int64(st, 3);
                sqlite3_reset(st);
                if (!same)
                        return conflict(mg, RECORD_PAUSE, index, p->meta.uuid,
                                        "is here already with different content");
                if (!pause_end_wins(p, open_here, here_to, here_hlc)) {
                        mg->counts->kinds[RECORD_PAUSE].had++;
                        return 0;
                }
                r = pause_set_end(s, id, p);
                if (r >= 0)
                        mg->counts->kinds[RECORD_PAUSE].updated++;
                return r;
        }
        r = store_step_done(st, rc, 0);
        if (r >= 0)
                r = may_insert(mg, RECORD_PAUSE, index, p->meta.uuid);
        if (r <= 0)
                return r;
        st = store_prepared(s, sql_pause_insert);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, p->meta.uuid, -1, SQLITE_STATIC);
        bind_text(st, 2, p->habit);
        store_bind_day(st, 3, p->from);
        if (p->has_to)
                store_bind_day(st, 4, p->to);
        bind_text(st, 5, p->reason);
        sqlite3_bind_int64(st, 6, p->meta.recorded_usec);
        store_bind_device(s, st, 7, p->meta.device);
        if (p->has_to && p->ended_usec && p->ended_usec != p->meta.recorded_usec)
                sqlite3_bind_int64(st, 8, p->ended_usec);
        r = store_stmt_exec(st);
        if (r >= 0)
                mg->counts->kinds[RECORD_PAUSE].added++;
        return r;
}

static int merge_goal(Merge *mg, size_t index, const RecordGoal *g) {
        Store *s = mg->s;
        sqlite3_stmt *st;
        int r = uuid_query(s, sql_same_goal, g->meta.uuid, &st);
        if (r < 0)
                return r;
        bind_text(st, 2, g->text);
        store_bind_day(st, 3, g->created);
        sqlite3_bind_int64(st, 4, g->meta.recorded_usec);
        r = settle(mg, RECORD_GOAL, index, g->meta.uuid, st, 0);
        if (r <= 0)
                return r;
        st = store_prepared(s, sql_goal_insert);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, g->meta.uuid, -1, SQLITE_STATIC);
        bind_text(st, 2, g->text);
        store_bind_day(st, 3, g->created);
        sqlite3_bind_int64(st, 4, g->meta.recorded_usec);
        store_bind_device(s, st, 5, g->meta.device);
        r = store_stmt_exec(st);
        /* Its changes may have come first (another machine's log read
         * before this one's): the goal takes its fate from them. */
        if (r >= 0)
                r = store_goal_refresh(s, g->meta.uuid);
        if (r >= 0)
                mg->counts->kinds[RECORD_GOAL].added++;
        return r;
}

static int merge_goal_change(Merge *mg, size_t index, const RecordGoalChange *c) {
        Store *s = mg->s;
        sqlite3_stmt *st;
        /* A change of a goal forgotten here goes with it. */
        int r = tombstoned(s, c->goal);
        if (r != 0) {
                if (r > 0)
                        mg->counts->kinds[RECORD_GOAL_CHANGE].forgotten++;
                return r < 0 ? r : 0;
        }
        r = uuid_query(s, sql_same_goal_change, c->meta.uuid, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 2, c->goal, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, goal_status_to_string(c->status), -1, SQLITE_STATIC);
        if (c->has_day)
                store_bind_day(st, 4, c->day);
        bind_text(st, 5, c->reason);
        sqlite3_bind_int64(st, 6, c->meta.recorded_usec);
        r = settle(mg, RECORD_GOAL_CHANGE, index, c->meta.uuid, st, 0);
        if (r <= 0)
                return r;
        r = store_goal_change_add(s, c->meta.uuid, c->goal, goal_status_to_string(c->status), c->has_day, c->day,
                                  c->reason, c->meta.device, c->meta.recorded_usec);
        if (r >= 0)
                mg->counts->kinds[RECORD_GOAL_CHANGE].added++;
        return r;
}

static int merge_note(Merge *mg, size_t index, const RecordNote *n) {
        Store *s = mg->s;
        sqlite3_stmt *st;
        int r = uuid_query(s, sql_same_note, n->meta.uuid, &st);
        if (r < 0)
                return r;
        store_bind_day(st, 2, n->day);
        bind_text(st, 3, n->title);
        bind_text(st, 4, n->body);
        sqlite3_bind_int64(st, 5, n->meta.recorded_usec);
        r = settle(mg, RECORD_NOTE, index, n->meta.uuid, st, 0);
        if (r <= 0)
                return r;
        st = store_prepared(s, sql_note_insert);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, n->meta.uuid, -1, SQLITE_STATIC);
        store_bind_day(st, 2, n->day);
        bind_text(st, 3, n->title);
        bind_text(st, 4, n->body);
        sqlite3_bind_int64(st, 5, n->meta.recorded_usec);
        store_bind_device(s, st, 6, n->meta.device);
        r = store_stmt_exec(st);
        if (r >= 0)
                mg->counts->kinds[RECORD_NOTE].added++;
        return r;
}

/* How settled a prompt is: a merge only ever moves a prompt up. */
static int prompt_rank(int state) {
        return state == PROMPT_ANSWERED ? 3 : state == PROMPT_SKIPPED ? 2 : state == PROMPT_SUPERSEDED ? 1 : 0;
}

/* A prompt is known by its kind and period. A period answered or skipped
 * anywhere is settled everywhere: that beats pending or superseded, and
 * answered beats skipped (there is an answer), so two machines agree. */
static int merge_prompt(Merge *mg, const RecordPrompt *p) {
        Store *s = mg->s;
        sqlite3_stmt *st = store_prepared(s, sql_prompt_merge);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, review_kind_to_string(p->kind), -1, SQLITE_STATIC);
        store_bind_day(st, 2, p->period.start);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                int here = prompt_state_from_string((const char *) sqlite3_column_text(st, 0));
                sqlite3_reset(st);
                bool settled_there = p->state == PROMPT_ANSWERED || p->state == PROMPT_SKIPPED;
                if (!settled_there || prompt_rank(p->state) <= prompt_rank(here)) {
                        mg->counts->prompts.had++;
                        return 0;
                }
                st = store_prepared(s, sql_prompt_set_state);
                if (!st)
                        return -EIO;
                sqlite3_bind_text(st, 1, review_kind_to_string(p->kind), -1, SQLITE_STATIC);
                store_bind_day(st, 2, p->period.start);
                sqlite3_bind_text(st, 3, prompt_state_to_string(p->state), -1, SQLITE_STATIC);
                int r = store_stmt_exec(st);
                if (r >= 0)
                        mg->counts->prompts.updated++;
                return r;
        }
        int r = store_step_done(st, rc, 0);
        if (r < 0)
                return r;
        st = store_prepared(s, sql_prompt_insert);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, review_kind_to_string(p->kind), -1, SQLITE_STATIC);
        store_bind_day(st, 2, p->period.start);
        store_bind_day(st, 3, p->period.end);
        sqlite3_bind_int64(st, 4, p->fired_usec);
        sqlite3_bind_int(st, 5, (int) p->missed);
        sqlite3_bind_text(st, 6, prompt_state_to_string(p->state), -1, SQLITE_STATIC);
        r = store_stmt_exec(st);
        if (r >= 0)
                mg->counts->prompts.added++;
        return r;
}

int store_tombstone_add(Store *s, const char *uuid, const char *kind, const char *device, int64_t usec) {
        sqlite3_stmt *st = store_prepared(s, sql_tombstone_insert);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        store_bind_device(s, st, 3, device);
        sqlite3_bind_int64(st, 4, usec);
        return store_stmt_exec(st);
}

static int record_delete(Store *s, RecordKind kind, const char *uuid);

static int merge_tombstone(Merge *mg, const RecordTombstone *t) {
        int r = tombstoned(mg->s, t->uuid);
        if (r != 0) {
                if (r > 0)
                        mg->counts->tombstones.had++;
                return r < 0 ? r : 0;
        }
        r = record_delete(mg->s, t->kind, t->uuid);
        if (r < 0)
                return r;
        if (r > 0)
                mg->counts->removed++;
        r = store_tombstone_add(mg->s, t->uuid, record_kind_to_string(t->kind), t->device, t->removed_usec);
        if (r >= 0)
                mg->counts->tombstones.added++;
        return r;
}

int store_records_merge(Store *s, const RecordSet *in, ImportCounts *ret, char **ret_conflict) {
        Merge mg = { .s = s, .counts = ret, .conflict = ret_conflict };
        int r = 0;

        *ret = (ImportCounts){};
        *ret_conflict = NULL;
        /* Tombstones first: what the file itself says is gone stays out. */
        for (size_t i = 0; r >= 0 && i < in->n_tombstones; i++)
                r = merge_tombstone(&mg, &in->tombstones[i]);
        for (size_t i = 0; r >= 0 && i < in->n_answers; i++)
                r = merge_answer(&mg, i, &in->answers[i]);
        for (size_t i = 0; r >= 0 && i < in->n_checkins; i++)
                r = merge_mark(&mg, RECORD_CHECKIN, i, &in->checkins[i]);
        for (size_t i = 0; r >= 0 && i < in->n_skips; i++)
                r = merge_mark(&mg, RECORD_SKIP, i, &in->skips[i]);
        for (size_t i = 0; r >= 0 && i < in->n_pauses; i++)
                r = merge_pause(&mg, i, &in->pauses[i]);
        for (size_t i = 0; r >= 0 && i < in->n_goals; i++)
                r = merge_goal(&mg, i, &in->goals[i]);
        for (size_t i = 0; r >= 0 && i < in->n_goal_changes; i++)
                r = merge_goal_change(&mg, i, &in->goal_changes[i]);
        for (size_t i = 0; r >= 0 && i < in->n_notes; i++)
                r = merge_note(&mg, i, &in->notes[i]);
        for (size_t i = 0; r >= 0 && i < in->n_prompts; i++)
                r = merge_prompt(&mg, &in->prompts[i]);
        return r;
}

/* ---- Finding and removing ------------------------------------------ */

/* Every record, one row each in the columns of StoreRecordInfo: kind,
 * uuid, recorded, day, day_end, habit, text, detail, device. */
#define RECORDS_UNION                                                                                                  \
        "SELECT 'answer' AS kind, a.uuid, a.created_usec AS usec, a.period_start AS day, a.period_end AS day_end,"     \
        "  NULL AS habit, (SELECT body FROM answer_entries WHERE answer_id = a.id ORDER BY position LIMIT 1) AS text," \
        "  a.kind AS detail, a.device FROM answers a"                                                                  \
        " UNION ALL SELECT 'checkin', uuid, created_usec, day, day, habit, note, NULL, device FROM checkins"           \
        " UNION ALL SELECT 'skip', uuid, created_usec, day, day, habit, note, NULL, device FROM skips"                 \
        " UNION ALL SELECT 'pause', uuid, created_usec, from_day, to_day, habit, reason, NULL, device FROM pauses"     \
        " UNION ALL SELECT 'goal', uuid, created_usec, created_day, created_day, NULL, text, status, device FROM "     \
        "goals"                                                                                                        \
        " UNION ALL SELECT 'goal-change', c.uuid, c.created_usec, coalesce(c.closed_day, g.created_day), "             \
        "c.closed_day,"                                                                                                \
        "  NULL, g.text, c.status, c.device FROM goal_changes c LEFT JOIN goals g ON g.uuid = c.goal_uuid"             \
        " UNION ALL SELECT 'note', uuid, created_usec, day, day, NULL, coalesce(title, body), NULL, device FROM notes"

/* A UUID prefix is a range of the uuid indexes: every UUID character
 * sorts below '~'. */
static const char sql_find_prefix[] =
        "SELECT * FROM (" RECORDS_UNION ") WHERE uuid >= ?1 AND uuid < ?1 || '~' ORDER BY uuid LIMIT 2";
static const char sql_last_local[] =
        "SELECT * FROM (" RECORDS_UNION ") WHERE device IS NULL ORDER BY usec DESC, uuid DESC LIMIT 1";

void store_record_info_done(StoreRecordInfo *i) {
        free(i->habit);
        free(i->text);
        free(i->detail);
        *i = (StoreRecordInfo){};
}

static int info_row(sqlite3_stmt *st, StoreRecordInfo *ret) {
        int kind = record_kind_from_string((const char *) sqlite3_column_text(st, 0));
        *ret = (StoreRecordInfo){ .kind = kind < 0 ? RECORD_CHECKIN : (RecordKind) kind,
                                  .recorded_usec = sqlite3_column_int64(st, 2) };
        snprintf(ret->uuid, sizeof(ret->uuid), "%s", (const char *) sqlite3_column_text(st, 1));
        if (store_column_day(st, 3, &ret->day) < 0)
                ret->day = 0;
        ret->has_day_end = sqlite3_column_type(st, 4) != SQLITE_NULL && store_column_day(st, 4, &ret->day_end) >= 0;
        if (!store_column_strdup(st, 5, &ret->habit) || !store_column_strdup(st, 6, &ret->text) ||
            !store_column_strdup(st, 7, &ret->detail)) {
                store_record_info_done(ret);
                return -ENOMEM;
        }
        return 0;
}

int store_record_find(Store *s, const char *prefix, StoreRecordInfo *ret) {
        char lower[SD_ID128_UUID_STRING_MAX];
        size_t n = strlen(prefix);
        /* Only hex digits and dashes can be in a UUID. */
        if (n == 0 || n >= sizeof(lower) || strspn(prefix, "0123456789abcdefABCDEF-") != n)
                return 0;
        for (size_t i = 0; i <= n; i++)
                lower[i] = (char) (prefix[i] >= 'A' && prefix[i] <= 'F' ? prefix[i] - 'A' + 'a' : prefix[i]);
        sqlite3_stmt *st = store_prepared(s, sql_find_prefix);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, lower, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st), r = 0;
        if (rc == SQLITE_ROW) {
                r = info_row(st, ret);
                rc = sqlite3_step(st);
                if (r >= 0)
                        r = rc == SQLITE_ROW ? 2 : 1;
                if (r == 2)
                        store_record_info_done(ret);
        }
        return store_step_done(st, rc, r);
}

int store_record_last_local(Store *s, StoreRecordInfo *ret) {
        sqlite3_stmt *st = store_prepared(s, sql_last_local);
        if (!st)
                return -EIO;
        int rc = sqlite3_step(st), r = 0;
        if (rc == SQLITE_ROW) {
                r = info_row(st, ret);
                if (r >= 0)
                        r = 1;
        }
        return store_step_done(st, rc, r);
}

static const char *const sql_delete[_RECORD_KIND_MAX] = {
        [RECORD_ANSWER] = "DELETE FROM answers WHERE uuid = ?", /* its entries go by ON DELETE CASCADE */
        [RECORD_CHECKIN] = "DELETE FROM checkins WHERE uuid = ?",
        [RECORD_SKIP] = "DELETE FROM skips WHERE uuid = ?",
        [RECORD_PAUSE] = "DELETE FROM pauses WHERE uuid = ?",
        [RECORD_GOAL] = "DELETE FROM goals WHERE uuid = ?",
        [RECORD_GOAL_CHANGE] = "DELETE FROM goal_changes WHERE uuid = ?",
        [RECORD_NOTE] = "DELETE FROM notes WHERE uuid = ?",
};
static const char sql_goal_changes_delete[] = "DELETE FROM goal_changes WHERE goal_uuid = ?";
static const char sql_change_goal[] = "SELECT goal_uuid FROM goal_changes WHERE uuid = ?";

/* Deletes the record @uuid of @kind if it is here: 1, else 0. A goal
 * takes its history with it; a goal change gives its goal back the fate
 * of the change before it. */
static int record_delete(Store *s, RecordKind kind, const char *uuid) {
        char goal[SD_ID128_UUID_STRING_MAX] = "";
        sqlite3_stmt *st;
        int r;
        if (kind == RECORD_GOAL_CHANGE) {
                r = uuid_query(s, sql_change_goal, uuid, &st);
                if (r < 0)
                        return r;
                int rc = sqlite3_step(st);
                if (rc == SQLITE_ROW)
                        snprintf(goal, sizeof(goal), "%s", (const char *) sqlite3_column_text(st, 0));
                r = store_step_done(st, rc, 0);
                if (r < 0)
                        return r;
        }
        if (kind == RECORD_GOAL) {
                r = uuid_query(s, sql_goal_changes_delete, uuid, &st);
                if (r < 0 || (r = store_stmt_exec(st)) < 0)
                        return r;
        }
        r = uuid_query(s, sql_delete[kind], uuid, &st);
        if (r < 0 || (r = store_stmt_exec(st)) < 0)
                return r;
        int changed = sqlite3_changes(store_sqlite(s)) > 0;
        if (*goal) {
                r = store_goal_refresh(s, goal);
                if (r < 0)
                        return r;
        }
        return changed;
}

int store_record_forget(Store *s, RecordKind kind, const char *uuid, int64_t usec) {
        if (kind < 0 || kind >= _RECORD_KIND_MAX)
                return -EINVAL;
        int r = record_delete(s, kind, uuid);
        if (r <= 0)
                return r < 0 ? r : -ENOENT;
        return store_tombstone_add(s, uuid, record_kind_to_string(kind), NULL, store_hlc_tick(s, usec));
}

/* The same (day, id) order as store_habit_events() reads them in. */
static const char sql_checkin_ids[] = "SELECT uuid FROM checkins WHERE habit = ? ORDER BY day, id";
static const char sql_skip_ids[] = "SELECT uuid FROM skips WHERE habit = ? ORDER BY day, id";

int store_habit_ids(Store *s, const char *habit, bool skips, StoreIds *ret) {
        sqlite3_stmt *st = store_prepared(s, skips ? sql_skip_ids : sql_checkin_ids);
        size_t allocated = 0;
        int rc, r = 0;
        *ret = (StoreIds){};
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, habit, -1, SQLITE_STATIC);
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = records_grow((void **) &ret->items, sizeof(*ret->items), ret->n, &allocated);
                if (r >= 0)
                        snprintf(ret->items[ret->n++], sizeof(*ret->items), "%s",
                                 (const char *) sqlite3_column_text(st, 0));
        }
        r = store_step_done(st, rc, r);
        if (r < 0)
                store_ids_done(ret);
        return r;
}

void store_ids_done(StoreIds *ids) {
        free(ids->items);
        *ids = (StoreIds){};
}
