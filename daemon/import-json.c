/* The export document, read back strictly: every field where the schema
 * puts it, of its type, nothing unknown. A file that is not exactly a
 * version-1 export is refused whole, with where it went wrong, before the
 * database is touched. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "changes.h"
#include "export.h"
#include "import.h"
#include "util.h"

void import_error_done(ImportError *e) {
        free(e->reason);
        free(e->path);
        *e = (ImportError){};
}

int import_read_file(const char *path, char **ret, size_t *ret_size, ImportError *err) {
        struct stat st;
        /* O_NONBLOCK: a FIFO at the path must not hang the daemon. */
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                int r = -errno;
                err->reason = strdup_printf("cannot open %s: %s", path, strerror(-r));
                return r;
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                err->reason = strdup_printf("%s is not a regular file", path);
                return -EINVAL;
        }
        if ((uint64_t) st.st_size > IMPORT_SIZE_MAX) {
                close(fd);
                err->reason = strdup_printf("%s is %.1f MB; lookback imports files up to %u MB", path,
                                            (double) st.st_size / 1e6, IMPORT_SIZE_MAX / 1024 / 1024);
                return -EFBIG;
        }
        size_t size = (size_t) st.st_size, got = 0;
        char *buf = malloc(size + 1);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        while (got < size) {
                ssize_t n = read(fd, buf + got, size - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        int r = n < 0 ? -errno : -EIO;
                        err->reason = strdup_printf("cannot read %s: %s", path,
                                                    n < 0 ? strerror(-r) : "it shrank while being read");
                        free(buf);
                        close(fd);
                        return r;
                }
                got += (size_t) n;
        }
        close(fd);
        buf[size] = 0;
        *ret = buf;
        *ret_size = size;
        return 0;
}

/* ---- The document ------------------------------------------------- */

typedef struct {
        ImportError *err;
        char path[256];
} Reader;

static int fail_at(Reader *rd, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(Reader *rd, const char *path, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *reason = NULL;
        if (vasprintf(&reason, fmt, ap) < 0)
                reason = NULL;
        va_end(ap);
        free(rd->err->reason);
        free(rd->err->path);
        rd->err->reason = reason;
        rd->err->path = strdup(path);
        return -EINVAL;
}

/* "$.answers[3]" and the like, in @buf. */
static const char *item_path(char buf[static 256], const char *parent, const char *key, size_t index) {
        snprintf(buf, 256, "%s.%s[%zu]", parent, key, index);
        return buf;
}

/* Checks that @o has only the keys in @allowed (NULL-terminated). */
static int only_keys(Reader *rd, const char *path, json_t *o, const char *const *allowed) {
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v) {
                bool ok = false;
                for (const char *const *a = allowed; *a && !ok; a++)
                        ok = streq(*a, key);
                if (!ok)
                        return fail_at(rd, path, "unknown field \"%s\"", key);
        }
        return 0;
}

static int get_string(Reader *rd, const char *path, json_t *o, const char *key, bool required, const char **ret) {
        json_t *v = json_object_get(o, key);
        *ret = NULL;
        if (!v || json_is_null(v)) {
                if (required)
                        return fail_at(rd, path, "\"%s\" is missing", key);
                return 0;
        }
        if (!json_is_string(v))
                return fail_at(rd, path, "\"%s\" must be a string", key);
        if (strlen(json_string_value(v)) != json_string_length(v))
                return fail_at(rd, path, "\"%s\" contains a NUL character", key);
        *ret = json_string_value(v);
        return 0;
}

static int get_strdup(Reader *rd, const char *path, json_t *o, const char *key, bool required, char **ret) {
        const char *s;
        *ret = NULL;
        int r = get_string(rd, path, o, key, required, &s);
        if (r < 0 || !s)
                return r;
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

static int get_day(Reader *rd, const char *path, json_t *o, const char *key, bool required, bool *has, day_t *ret) {
        const char *s;
        int r = get_string(rd, path, o, key, required, &s);
        if (has)
                *has = s != NULL;
        if (r < 0 || !s)
                return r;
        /* Exactly YYYY-MM-DD: date_parse() also reads "today". */
        if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || date_parse(s, 0, ret) < 0)
                return fail_at(rd, path, "\"%s\" is not a date (YYYY-MM-DD): \"%s\"", key, s);
        return 0;
}

static int get_time(Reader *rd, const char *path, json_t *o, const char *key, int64_t *ret) {
        const char *s;
        int r = get_string(rd, path, o, key, true, &s);
        if (r < 0)
                return r;
        if (export_time_parse(s, ret) < 0)
                return fail_at(rd, path, "\"%s\" is not a time like 2026-01-31T20:15:00.000000Z: \"%s\"", key, s);
        return 0;
}

static bool is_uuid(const char *s) {
        if (strlen(s) != 36)
                return false;
        for (int i = 0; i < 36; i++) {
                bool dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]) || !s[i])
                        return false;
        }
        return true;
}

static bool is_device(const char *s) {
        return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

static int get_meta(Reader *rd, const char *path, json_t *o, const char *time_key, RecordMeta *m) {
        const char *id, *device;
        int r = get_string(rd, path, o, "id", true, &id);
        if (r >= 0 && !is_uuid(id))
                r = fail_at(rd, path, "\"id\" is not a lower-case UUID: \"%s\"", id);
        if (r >= 0)
                r = get_string(rd, path, o, "device", true, &device);
        if (r >= 0 && !is_device(device))
                r = fail_at(rd, path, "\"device\" is not 32 lower-case hex digits: \"%s\"", device);
        if (r >= 0)
                r = get_time(rd, path, o, time_key, &m->recorded_usec);
        if (r < 0)
                return r;
        snprintf(m->uuid, sizeof(m->uuid), "%s", id);
        snprintf(m->device, sizeof(m->device), "%s", device);
        return 0;
}

static int get_enum(Reader *rd, const char *path, json_t *o, const char *key, int (*from_string)(const char *),
                    int *ret) {
        const char *s;
        int r = get_string(rd, path, o, key, true, &s);
        if (r < 0)
                return r;
        *ret = from_string(s);
        return *ret < 0 ? fail_at(rd, path, "\"%s\" has an unknown value \"%s\"", key, s) : 0;
}

static int read_answer(Reader *rd, const char *path, json_t *o, RecordAnswer *a) {
        static const char *const keys[] = { "id",         "kind",   "period_start", "period_end",
                                            "written_at", "device", "entries",      NULL };
        int kind, r = only_keys(rd, path, o, keys);
        if (r >= 0)
                r = get_meta(rd, path, o, "written_at", &a->meta);
        if (r >= 0)
                r = get_enum(rd, path, o, "kind", review_kind_from_string, &kind);
        if (r >= 0)
                r = get_day(rd, path, o, "period_start", true, NULL, &a->period.start);
        if (r >= 0)
                r = get_day(rd, path, o, "period_end", true, NULL, &a->period.end);
        if (r < 0)
                return r;
        a->kind = kind;
        if (a->period.end < a->period.start)
                return fail_at(rd, path, "the period ends before it starts");
        json_t *entries = json_object_get(o, "entries");
        if (!json_is_array(entries))
                return fail_at(rd, path, "\"entries\" must be an array");
        /* A search index row numbers an answer's entries below 128. */
        if (json_array_size(entries) > 128)
                return fail_at(rd, path, "more than 128 entries");
        a->entries = calloc(json_array_size(entries) ?: 1, sizeof(TemplateEntry));
        if (!a->entries)
                return -ENOMEM;
        size_t i;
        json_t *e;
        json_array_foreach(entries, i, e) {
                static const char *const entry_keys[] = { "question", "answer", NULL };
                char p[256];
                item_path(p, path, "entries", i);
                if (!json_is_object(e))
                        return fail_at(rd, p, "must be an object");
                r = only_keys(rd, p, e, entry_keys);
                if (r >= 0)
                        r = get_strdup(rd, p, e, "question", true, &a->entries[i].question);
                if (r >= 0)
                        r = get_strdup(rd, p, e, "answer", true, &a->entries[i].answer);
                a->n_entries = i + 1;
                if (r < 0)
                        return r;
        }
        return 0;
}

static int read_mark(Reader *rd, const char *path, json_t *o, RecordMark *k) {
        static const char *const keys[] = { "id", "habit", "date", "note", "recorded_at", "device", NULL };
        int r = only_keys(rd, path, o, keys);
        if (r >= 0)
                r = get_meta(rd, path, o, "recorded_at", &k->meta);
        if (r >= 0)
                r = get_strdup(rd, path, o, "habit", true, &k->habit);
        if (r >= 0 && (!*k->habit || strlen(k->habit) > 255))
                r = fail_at(rd, path, "\"habit\" must be 1 to 255 bytes");
        if (r >= 0)
                r = get_day(rd, path, o, "date", true, NULL, &k->day);
        if (r >= 0)
                r = get_strdup(rd, path, o, "note", false, &k->note);
        return r;
}

static int read_pause(Reader *rd, const char *path, json_t *o, RecordPause *p) {
        static const char *const keys[] = { "id", "habit", "from", "to", "reason", "recorded_at", "device", NULL };
        int r = only_keys(rd, path, o, keys);
        if (r >= 0)
                r = get_meta(rd, path, o, "recorded_at", &p->meta);
        if (r >= 0)
                r = get_strdup(rd, path, o, "habit", true, &p->habit);
        if (r >= 0 && (!*p->habit || strlen(p->habit) > 255))
                r = fail_at(rd, path, "\"habit\" must be 1 to 255 bytes");
        if (r >= 0)
                r = get_day(rd, path, o, "from", true, NULL, &p->from);
        if (r >= 0)
                r = get_day(rd, path, o, "to", false, &p->has_to, &p->to);
        if (r >= 0 && p->has_to && p->to < p->from)
                r = fail_at(rd, path, "the pause ends before it starts");
        if (r >= 0)
                r = get_strdup(rd, path, o, "reason", false, &p->reason);
        return r;
}

static int read_goal_change(Reader *rd, const char *path, json_t *o, const char *goal, RecordGoalChange *c) {
        static const char *const keys[] = { "id", "status", "date", "reason", "recorded_at", "device", NULL };
        int status, r = only_keys(rd, path, o, keys);
        if (r >= 0)
                r = get_meta(rd, path, o, "recorded_at", &c->meta);
        if (r >= 0)
                r = get_enum(rd, path, o, "status", goal_status_from_string, &status);
        if (r >= 0)
                r = get_day(rd, path, o, "date", false, &c->has_day, &c->day);
        if (r >= 0)
                r = get_strdup(rd, path, o, "reason", false, &c->reason);
        if (r < 0)
                return r;
        c->status = status;
        snprintf(c->goal, sizeof(c->goal), "%s", goal);
        return 0;
}

static int read_goal(Reader *rd, const char *path, json_t *o, RecordGoal *g, RecordSet *set, size_t *allocated) {
        static const char *const keys[] = { "id", "text", "created", "recorded_at", "device", "changes", NULL };
        int r = only_keys(rd, path, o, keys);
        if (r >= 0)
                r = get_meta(rd, path, o, "recorded_at", &g->meta);
        if (r >= 0)
                r = get_strdup(rd, path, o, "text", true, &g->text);
        if (r >= 0 && !*g->text)
                r = fail_at(rd, path, "\"text\" is empty");
        if (r >= 0)
                r = get_day(rd, path, o, "created", true, NULL, &g->created);
        if (r < 0)
                return r;
        json_t *changes = json_object_get(o, "changes"), *c;
        size_t i;
        if (!json_is_array(changes))
                return fail_at(rd, path, "\"changes\" must be an array");
        json_array_foreach(changes, i, c) {
                char p[256];
                item_path(p, path, "changes", i);
                if (!json_is_object(c))
                        return fail_at(rd, p, "must be an object");
                r = records_grow((void **) &set->goal_changes, sizeof(RecordGoalChange), set->n_goal_changes,
                                 allocated);
                if (r < 0)
                        return r;
                RecordGoalChange *gc = &set->goal_changes[set->n_goal_changes++];
                *gc = (RecordGoalChange){};
                r = read_goal_change(rd, p, c, g->meta.uuid, gc);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int read_note(Reader *rd, const char *path, json_t *o, RecordNote *n) {
        static const char *const keys[] = { "id", "date", "title", "body", "recorded_at", "device", NULL };
        int r = only_keys(rd, path, o, keys);
        if (r >= 0)
                r = get_meta(rd, path, o, "recorded_at", &n->meta);
        if (r >= 0)
                r = get_day(rd, path, o, "date", true, NULL, &n->day);
        if (r >= 0)
                r = get_strdup(rd, path, o, "title", false, &n->title);
        if (r >= 0)
                r = get_strdup(rd, path, o, "body", true, &n->body);
        return r;
}

static int read_prompt(Reader *rd, const char *path, json_t *o, RecordPrompt *p) {
        static const char *const keys[] = { "kind", "period_start", "period_end", "fired_at", "missed", "state", NULL };
        int kind, state, r = only_keys(rd, path, o, keys);
        if (r >= 0)
                r = get_enum(rd, path, o, "kind", review_kind_from_string, &kind);
        if (r >= 0)
                r = get_day(rd, path, o, "period_start", true, NULL, &p->period.start);
        if (r >= 0)
                r = get_day(rd, path, o, "period_end", true, NULL, &p->period.end);
        if (r >= 0)
                r = get_time(rd, path, o, "fired_at", &p->fired_usec);
        if (r >= 0)
                r = get_enum(rd, path, o, "state", prompt_state_from_string, &state);
        if (r < 0)
                return r;
        json_t *missed = json_object_get(o, "missed");
        if (!json_is_integer(missed) || json_integer_value(missed) < 1 || json_integer_value(missed) > 100000)
                return fail_at(rd, path, "\"missed\" must be a whole number from 1");
        p->kind = kind;
        p->state = state;
        p->missed = (unsigned) json_integer_value(missed);
        return 0;
}

static int read_tombstone(Reader *rd, const char *path, json_t *o, RecordTombstone *t) {
        static const char *const keys[] = { "id", "kind", "removed_at", "device", NULL };
        RecordMeta m = {};
        int kind, r = only_keys(rd, path, o, keys);
        if (r >= 0)
                r = get_meta(rd, path, o, "removed_at", &m);
        if (r >= 0)
                r = get_enum(rd, path, o, "kind", record_kind_from_string, &kind);
        if (r < 0)
                return r;
        *t = (RecordTombstone){ .kind = kind, .removed_usec = m.recorded_usec };
        memcpy(t->uuid, m.uuid, sizeof(t->uuid));
        memcpy(t->device, m.device, sizeof(t->device));
        return 0;
}

/* Each array of the document, read by one function into its array. */
typedef int (*ReadOne)(Reader *rd, const char *path, json_t *o, void *item, RecordSet *set, size_t *aux);

#define READ_ONE(name, fn, type)                                                                                       \
        static int name(Reader *rd, const char *path, json_t *o, void *item, RecordSet *set, size_t *aux) {            \
                (void) set;                                                                                            \
                (void) aux;                                                                                            \
                return fn(rd, path, o, (type *) item);                                                                 \
        }
READ_ONE(one_answer, read_answer, RecordAnswer)
READ_ONE(one_mark, read_mark, RecordMark)
READ_ONE(one_pause, read_pause, RecordPause)
READ_ONE(one_note, read_note, RecordNote)
READ_ONE(one_prompt, read_prompt, RecordPrompt)
READ_ONE(one_tombstone, read_tombstone, RecordTombstone)

static int one_goal(Reader *rd, const char *path, json_t *o, void *item, RecordSet *set, size_t *aux) {
        return read_goal(rd, path, o, item, set, aux);
}

static int read_array(Reader *rd, json_t *doc, const char *key, size_t size, void **items, size_t *n, ReadOne one,
                      RecordSet *set, size_t *aux) {
        json_t *arr = json_object_get(doc, key), *o;
        char path[256];
        size_t i;
        snprintf(path, sizeof(path), "$.%s", key);
        if (!arr)
                return fail_at(rd, "$", "\"%s\" is missing", key);
        if (!json_is_array(arr))
                return fail_at(rd, path, "must be an array");
        *items = calloc(json_array_size(arr) ?: 1, size);
        if (!*items)
                return -ENOMEM;
        json_array_foreach(arr, i, o) {
                item_path(path, "$", key, i);
                if (!json_is_object(o))
                        return fail_at(rd, path, "must be an object");
                /* Counted before it is read, so records_done() frees what
                 * a half-read item holds. */
                *n = i + 1;
                int r = one(rd, path, o, (char *) *items + i * size, set, aux);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int read_header(Reader *rd, json_t *doc, RecordSet *set) {
        static const char *const keys[] = { "format", "version", "exported_at", "device",     "host",
                                            "range",  "answers", "checkins",    "skips",      "pauses",
                                            "goals",  "notes",   "prompts",     "tombstones", NULL };
        const char *format, *device;
        int r = get_string(rd, "$", doc, "format", false, &format);
        if (r < 0 || !format || !streq(format, EXPORT_FORMAT_NAME))
                return fail_at(rd, "$.format", "not a lookback export (its \"format\" is %s%s%s, not \"%s\")",
                               format ? "\"" : "", format ? format : "missing", format ? "\"" : "", EXPORT_FORMAT_NAME);
        json_t *version = json_object_get(doc, "version");
        if (!json_is_integer(version))
                return fail_at(rd, "$.version", "\"version\" must be a whole number");
        if (json_integer_value(version) > EXPORT_VERSION) {
                fail_at(rd, "$.version", "export version %lld is newer than this lookback reads (%d): update lookback",
                        (long long) json_integer_value(version), EXPORT_VERSION);
                return -EPROTONOSUPPORT;
        }
        if (json_integer_value(version) < 1)
                return fail_at(rd, "$.version", "export version %lld does not exist",
                               (long long) json_integer_value(version));
        r = only_keys(rd, "$", doc, keys);
        if (r >= 0)
                r = get_time(rd, "$", doc, "exported_at", &set->exported_usec);
        if (r >= 0)
                r = get_string(rd, "$", doc, "device", true, &device);
        if (r >= 0 && !is_device(device))
                r = fail_at(rd, "$", "\"device\" is not 32 lower-case hex digits");
        if (r >= 0)
                r = get_strdup(rd, "$", doc, "host", false, &set->host);
        if (r < 0)
                return r;
        snprintf(set->device, sizeof(set->device), "%s", device);
        json_t *range = json_object_get(doc, "range");
        if (range) {
                static const char *const range_keys[] = { "from", "to", NULL };
                if (!json_is_object(range))
                        return fail_at(rd, "$.range", "must be an object");
                r = only_keys(rd, "$.range", range, range_keys);
                if (r >= 0)
                        r = get_day(rd, "$.range", range, "from", true, NULL, &set->from);
                if (r >= 0)
                        r = get_day(rd, "$.range", range, "to", true, NULL, &set->to);
                set->has_range = r >= 0;
        }
        return r;
}

int import_parse_export(const char *text, size_t size, RecordSet *ret, ImportError *err) {
        Reader rd = { .err = err };
        json_error_t jerr;
        size_t changes_allocated = 0;

        *ret = (RecordSet){};
        *err = (ImportError){};
        /* Two values for one key would make "the same record" ambiguous. */
        json_t *doc = json_loadb(text, size, JSON_REJECT_DUPLICATES, &jerr);
        if (!doc) {
                err->reason = strdup_printf("not valid JSON: %s", jerr.text);
                err->line = jerr.line;
                err->column = jerr.column;
                return -EINVAL;
        }
        int r = json_is_object(doc) ? read_header(&rd, doc, ret) : fail_at(&rd, "$", "not a JSON object");
        if (r >= 0)
                r = read_array(&rd, doc, "answers", sizeof(RecordAnswer), (void **) &ret->answers, &ret->n_answers,
                               one_answer, ret, NULL);
        if (r >= 0)
                r = read_array(&rd, doc, "checkins", sizeof(RecordMark), (void **) &ret->checkins, &ret->n_checkins,
                               one_mark, ret, NULL);
        if (r >= 0)
                r = read_array(&rd, doc, "skips", sizeof(RecordMark), (void **) &ret->skips, &ret->n_skips, one_mark,
                               ret, NULL);
        if (r >= 0)
                r = read_array(&rd, doc, "pauses", sizeof(RecordPause), (void **) &ret->pauses, &ret->n_pauses,
                               one_pause, ret, NULL);
        if (r >= 0)
                r = read_array(&rd, doc, "goals", sizeof(RecordGoal), (void **) &ret->goals, &ret->n_goals, one_goal,
                               ret, &changes_allocated);
        if (r >= 0)
                r = read_array(&rd, doc, "notes", sizeof(RecordNote), (void **) &ret->notes, &ret->n_notes, one_note,
                               ret, NULL);
        if (r >= 0)
                r = read_array(&rd, doc, "prompts", sizeof(RecordPrompt), (void **) &ret->prompts, &ret->n_prompts,
                               one_prompt, ret, NULL);
        if (r >= 0)
                r = read_array(&rd, doc, "tombstones", sizeof(RecordTombstone), (void **) &ret->tombstones,
                               &ret->n_tombstones, one_tombstone, ret, NULL);
        json_decref(doc);
        if (r < 0)
                records_done(ret);
        return r;
}

/* ---- A sync log's lines (changes.h) ---------------------------------- */

static int read_change_header(Reader *rd, json_t *doc, ChangeHeader *ret) {
        static const char *const keys[] = { "format", "version", "device", "generation", "created_at", "host", NULL };
        const char *device, *generation;
        json_t *version = json_object_get(doc, "version");
        int r = only_keys(rd, "$", doc, keys);
        if (r >= 0 && (!json_is_integer(version) || json_integer_value(version) < 1))
                r = fail_at(rd, "$.version", "\"version\" must be a whole number from 1");
        if (r >= 0 && json_integer_value(version) > CHANGES_VERSION) {
                fail_at(rd, "$.version",
                        "sync log version %lld is newer than this lookback reads (%d): update lookback",
                        (long long) json_integer_value(version), CHANGES_VERSION);
                return -EPROTONOSUPPORT;
        }
        if (r >= 0)
                r = get_string(rd, "$", doc, "device", true, &device);
        if (r >= 0 && !is_device(device))
                r = fail_at(rd, "$", "\"device\" is not 32 lower-case hex digits");
        if (r >= 0)
                r = get_string(rd, "$", doc, "generation", true, &generation);
        if (r >= 0 && !is_uuid(generation))
                r = fail_at(rd, "$", "\"generation\" is not a lower-case UUID");
        if (r >= 0)
                r = get_time(rd, "$", doc, "created_at", &ret->created_usec);
        if (r >= 0)
                r = get_strdup(rd, "$", doc, "host", false, &ret->host);
        if (r < 0)
                return r;
        snprintf(ret->device, sizeof(ret->device), "%s", device);
        snprintf(ret->generation, sizeof(ret->generation), "%s", generation);
        return 1;
}

/* Reads @o, the record of a change of kind @key, into a set of one. */
static int read_change_record(Reader *rd, const char *key, json_t *o, RecordSet *set) {
        size_t allocated = 0;
        char path[64];
        snprintf(path, sizeof(path), "$.%s", key);
        if (!json_is_object(o))
                return fail_at(rd, path, "must be an object");
#define ONE(field, count, type)                                                                                        \
        ({                                                                                                             \
                set->field = calloc(1, sizeof(type));                                                                  \
                if (!set->field)                                                                                       \
                        return -ENOMEM;                                                                                \
                set->count = 1;                                                                                        \
                set->field;                                                                                            \
        })
        if (streq(key, "answer"))
                return read_answer(rd, path, o, ONE(answers, n_answers, RecordAnswer));
        if (streq(key, "checkin"))
                return read_mark(rd, path, o, ONE(checkins, n_checkins, RecordMark));
        if (streq(key, "skip"))
                return read_mark(rd, path, o, ONE(skips, n_skips, RecordMark));
        if (streq(key, "pause"))
                return read_pause(rd, path, o, ONE(pauses, n_pauses, RecordPause));
        if (streq(key, "goal"))
                return read_goal(rd, path, o, ONE(goals, n_goals, RecordGoal), set, &allocated);
        if (streq(key, "note"))
                return read_note(rd, path, o, ONE(notes, n_notes, RecordNote));
        if (streq(key, "prompt"))
                return read_prompt(rd, path, o, ONE(prompts, n_prompts, RecordPrompt));
        if (streq(key, "tombstone"))
                return read_tombstone(rd, path, o, ONE(tombstones, n_tombstones, RecordTombstone));
        if (streq(key, "goal-change")) {
                const char *goal;
                int r = get_string(rd, path, o, "goal", true, &goal);
                if (r >= 0 && !is_uuid(goal))
                        r = fail_at(rd, path, "\"goal\" is not a lower-case UUID");
                if (r < 0)
                        return r;
                char copy[RECORD_UUID_MAX];
                snprintf(copy, sizeof(copy), "%s", goal);
                json_object_del(o, "goal");
                return read_goal_change(rd, path, o, copy, ONE(goal_changes, n_goal_changes, RecordGoalChange));
        }
#undef ONE
        return fail_at(rd, "$", "unknown record kind \"%s\"", key);
}

static int read_change(Reader *rd, json_t *doc, Change *ret) {
        json_t *seq = json_object_get(doc, "seq"), *v;
        const char *key, *record_key = NULL;
        int op, r = get_time(rd, "$", doc, "hlc", &ret->hlc);
        if (r >= 0 && (!json_is_integer(seq) || json_integer_value(seq) < 1))
                r = fail_at(rd, "$.seq", "\"seq\" must be a whole number from 1");
        if (r >= 0)
                r = get_enum(rd, "$", doc, "op", change_op_from_string, &op);
        if (r < 0)
                return r;
        ret->seq = (uint64_t) json_integer_value(seq);
        ret->op = op;
        json_object_foreach(doc, key, v) {
                if (streq(key, "seq") || streq(key, "hlc") || streq(key, "op"))
                        continue;
                if (record_key)
                        return fail_at(rd, "$", "more than one record (\"%s\" and \"%s\")", record_key, key);
                record_key = key;
        }
        if (!record_key)
                return fail_at(rd, "$", "no record");
        r = read_change_record(rd, record_key, json_object_get(doc, record_key), &ret->set);
        if (r < 0)
                return r;
        /* The line's clock is when a pause's end was set. */
        if (ret->set.n_pauses && ret->set.pauses[0].has_to)
                ret->set.pauses[0].ended_usec = ret->hlc;
        return 0;
}

int import_parse_change(const char *line, size_t size, Change *ret, ChangeHeader *ret_header, ImportError *err) {
        Reader rd = { .err = err };
        json_error_t jerr;

        *ret = (Change){};
        *ret_header = (ChangeHeader){};
        *err = (ImportError){};
        json_t *doc = json_loadb(line, size, JSON_REJECT_DUPLICATES, &jerr);
        if (!doc) {
                err->reason = strdup_printf("not valid JSON: %s", jerr.text);
                err->column = jerr.column;
                return -EINVAL;
        }
        int r;
        if (!json_is_object(doc))
                r = fail_at(&rd, "$", "not a JSON object");
        else if (json_object_get(doc, "format")) {
                const char *format = json_string_value(json_object_get(doc, "format"));
                r = format && streq(format, CHANGES_FORMAT_NAME) ? read_change_header(&rd, doc, ret_header)
                                                                 : fail_at(&rd, "$.format", "not a lookback sync log");
        } else
                r = read_change(&rd, doc, ret);
        json_decref(doc);
        if (r < 0) {
                change_done(ret);
                change_header_done(ret_header);
        }
        return r;
}
