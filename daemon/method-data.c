/* The person's data as a whole: Export, Import, and taking a record back
 * (LastRecord for undo, Forget). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convert.h"
#include "export.h"
#include "import.h"
#include "method.h"
#include "util.h"

typedef struct {
        const char *format;
        const char *from;
        const char *to;
} ExportParams;

static int method_export(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const ExportParams *p = params;
        int format = p->format ? export_format_from_string(p->format) : EXPORT_JSON;
        day_t from = DATE_EARLIEST, to = now->today;
        RecordSet set;
        char host[256] = "";

        if (format < 0)
                return method_invalid(res, "format");
        if (p->from && !method_param_any_date(now, "from", p->from, from, res, &from))
                return 0;
        if (p->to && !method_param_any_date(now, "to", p->to, to, res, &to))
                return 0;
        if (from > to)
                return method_invalid(res, "from");
        int r = store_records_load(m->store, p->from || p->to, from, to, &set);
        if (r < 0)
                return r;
        set.exported_usec = now->usec;
        if (gethostname(host, sizeof(host) - 1) >= 0 && *host)
                set.host = strdup(host);
        char *text = format == EXPORT_JSON ? export_render_json(&set) : export_render_markdown(&set);
        records_done(&set);
        if (!text)
                return -ENOMEM;
        /* Years of records are megabytes: varlink.c sends this as a series
         * of replies, each a slice of text. */
        res->reply = json_pack("{s:s, s:s}", "format", export_format_to_string(format), "text", text);
        free(text);
        return res->reply ? 0 : -ENOMEM;
}

typedef struct {
        const char *path;
        const char *format;
        const char *as;
        bool dry_run;
} ImportParams;

static int import_refused(MethodResult *res, const char *path, const ImportError *e) {
        json_t *params = json_pack("{s:s, s:s}", "file", path, "reason", e->reason ? e->reason : "unreadable");
        if (e->line > 0) {
                json_object_set_new(params, "line", json_integer(e->line));
                json_object_set_new(params, "column", json_integer(e->column));
        }
        if (e->path)
                json_object_set_new(params, "at", json_string(e->path));
        return method_fail(res, LOOKBACK_ERROR_IMPORT_REFUSED, params);
}

/* Reads @p->path in the format asked for into @set: 0, or -errno with @e. */
static int import_load(Manager *m, const ImportParams *p, RecordSet *set, ImportError *e) {
        if (!p->format || streq(p->format, "lookback")) {
                _cleanup_free_ char *text = NULL;
                size_t size;
                int r = import_read_file(p->path, &text, &size, e);
                return r < 0 ? r : import_parse_export(text, size, set, e);
        }
        ConvertAs as = p->as && streq(p->as, "weekly") ? CONVERT_AS_WEEKLY : CONVERT_AS_NOTES;
        WeekStart ws = m->config->week_start;
        if (streq(p->format, "loop"))
                return convert_loop(p->path, set, &e->reason);
        if (streq(p->format, "jrnl"))
                return convert_jrnl(p->path, as, ws, set, &e->reason);
        return convert_markdown(p->path, as, ws, set, NULL, &e->reason);
}

/* For a Loop export: the lookback.ini sections its habits need, for those
 * not configured yet. */
static json_t *loop_snippets(Manager *m, const char *path) {
        ConvertHabit *habits = NULL;
        size_t n = 0;
        _cleanup_free_ char *error = NULL;
        json_t *out = json_array();
        if (convert_loop_habits(path, &habits, &n, &error) < 0)
                return out;
        for (size_t i = 0; out && i < n; i++)
                if (!config_find_habit(m->config, habits[i].slug))
                        json_array_append_new(out, json_string(habits[i].snippet));
        convert_habits_free(habits, n);
        return out;
}

static json_t *count_json(const char *kind, const ImportCount *c) {
        return json_pack("{s:s, s:i, s:i, s:i, s:i}", "kind", kind, "added", (int) c->added, "had", (int) c->had,
                         "updated", (int) c->updated, "forgotten", (int) c->forgotten);
}

/* The habits the records name that lookback.ini does not configure: kept,
 * and counted once the habit is configured. */
static json_t *unknown_habits(Manager *m, const RecordSet *set) {
        json_t *names = json_array();
        const char *habit;
        for (size_t i = 0; i < set->n_checkins + set->n_skips + set->n_pauses; i++) {
                habit = i < set->n_checkins                  ? set->checkins[i].habit
                        : i < set->n_checkins + set->n_skips ? set->skips[i - set->n_checkins].habit
                                                             : set->pauses[i - set->n_checkins - set->n_skips].habit;
                bool known = config_find_habit(m->config, habit) != NULL;
                for (size_t j = 0; !known && j < json_array_size(names); j++)
                        known = streq(json_string_value(json_array_get(names, j)), habit);
                if (!known)
                        json_array_append_new(names, json_string(habit));
        }
        return names;
}

static int method_import(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const ImportParams *p = params;
        static const char *const formats[] = { "lookback", "loop", "jrnl", "markdown" };
        ImportError e = {};
        RecordSet set;
        ImportCounts counts;
        _cleanup_free_ char *conflict = NULL;
        bool format_ok = !p->format;

        for (size_t i = 0; i < ELEMENTSOF(formats); i++)
                format_ok = format_ok || streq(p->format, formats[i]);
        if (!format_ok)
                return method_invalid(res, "format");
        if (p->as && !streq(p->as, "notes") && !streq(p->as, "weekly"))
                return method_invalid(res, "as");
        if (p->path[0] != '/')
                return method_invalid(res, "path");
        int r = import_load(m, p, &set, &e);
        if (r == -ENOMEM) {
                import_error_done(&e);
                return r;
        }
        if (r < 0) {
                r = import_refused(res, p->path, &e);
                import_error_done(&e);
                return r;
        }
        (void) now;
        r = store_records_merge(m->store, &set, &counts, &conflict);
        if (r == -EEXIST) {
                e.reason = strdup_printf("%s; nothing was imported", conflict ? conflict : "a record conflicts");
                r = import_refused(res, p->path, &e);
                import_error_done(&e);
                records_done(&set);
                return r;
        }
        if (r < 0) {
                records_done(&set);
                return r;
        }
        json_t *kinds = json_array();
        for (int k = 0; k < _RECORD_KIND_MAX; k++)
                json_array_append_new(kinds, count_json(record_kind_to_string(k), &counts.kinds[k]));
        json_array_append_new(kinds, count_json("prompt", &counts.prompts));
        json_array_append_new(kinds, count_json("tombstone", &counts.tombstones));
        res->reply = json_pack("{s:b, s:o, s:i, s:o}", "dry_run", p->dry_run, "kinds", kinds, "removed",
                               (int) counts.removed, "unknown_habits", unknown_habits(m, &set));
        records_done(&set);
        if (res->reply && p->format && streq(p->format, "loop"))
                json_object_set_new(res->reply, "config", loop_snippets(m, p->path));
        res->discard = p->dry_run;
        res->recheck_all = true;
        return res->reply ? 0 : -ENOMEM;
}

/* A record is shown on one line: its text's first few hundred bytes are
 * enough, and keep every Forget reply small. */
#define RECORD_TEXT_HEAD 400

/* The start of @text, at most @max bytes, cut at a character boundary (in
 * place: the caller's copy). */
static const char *text_head(char *text, size_t max) {
        size_t n = strlen(text);
        if (n <= max)
                return text;
        while (max > 0 && ((unsigned char) text[max] & 0xC0) == 0x80)
                max--;
        text[max] = '\0';
        return text;
}

static json_t *record_json(const StoreRecordInfo *i) {
        json_t *o = json_pack("{s:s, s:s, s:I, s:o}", "id", i->uuid, "kind", record_kind_to_string(i->kind), "recorded",
                              (json_int_t) i->recorded_usec, "date", method_day_json(i->day));
        if (i->has_day_end)
                json_object_set_new(o, "date_end", method_day_json(i->day_end));
        if (i->habit)
                json_object_set_new(o, "habit", json_string(i->habit));
        if (i->text)
                json_object_set_new(o, "text", json_string(text_head(i->text, RECORD_TEXT_HEAD)));
        if (i->detail)
                json_object_set_new(o, "detail", json_string(i->detail));
        return o;
}

static int method_last_record(Manager *m, const Now *now, const void *params, MethodResult *res) {
        StoreRecordInfo info;
        (void) now;
        (void) params;
        int r = store_record_last_local(m->store, &info);
        if (r < 0)
                return r;
        res->reply = r == 0 ? json_object() : json_pack("{s:o}", "record", record_json(&info));
        if (r > 0)
                store_record_info_done(&info);
        return res->reply ? 0 : -ENOMEM;
}

typedef struct {
        const char *id;
        bool dry_run;
} ForgetParams;

/* Git-like: four characters at least, so a slip of the finger does not
 * remove the one record that happens to start with "a". */
#define FORGET_PREFIX_MIN 4

static int method_forget(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const ForgetParams *p = params;
        StoreRecordInfo info;

        if (strlen(p->id) < FORGET_PREFIX_MIN)
                return method_invalid(res, "id");
        int r = store_record_find(m->store, p->id, &info);
        if (r < 0)
                return r;
        if (r == 0)
                return method_fail(res, LOOKBACK_ERROR_NO_SUCH_RECORD, json_pack("{s:s}", "id", p->id));
        if (r == 2)
                return method_fail(res, LOOKBACK_ERROR_AMBIGUOUS_RECORD, json_pack("{s:s}", "id", p->id));
        if (!p->dry_run) {
                r = store_record_forget(m->store, info.kind, info.uuid, now->usec);
                if (r < 0) {
                        store_record_info_done(&info);
                        return r;
                }
        }
        res->reply = json_pack("{s:o, s:b}", "record", record_json(&info), "forgotten", !p->dry_run);
        store_record_info_done(&info);
        res->recheck_all = !p->dry_run;
        /* A dry run is a read: its key stays free for the real one. */
        res->discard = p->dry_run;
        return res->reply ? 0 : -ENOMEM;
}

static const ParamSpec params_export[] = {
        { "format", PARAM_STRING, false, 16, offsetof(ExportParams, format) },
        DATE_PARAM("from", ExportParams, from),
        DATE_PARAM("to", ExportParams, to),
        {},
};
static const ParamSpec params_import[] = {
        { "path", PARAM_STRING, true, 4096, offsetof(ImportParams, path) },
        { "format", PARAM_STRING, false, 16, offsetof(ImportParams, format) },
        { "as", PARAM_STRING, false, 16, offsetof(ImportParams, as) },
        { "dry_run", PARAM_BOOLEAN, false, 0, offsetof(ImportParams, dry_run) },
        {},
};
static const ParamSpec params_none[] = {
        {},
};
static const ParamSpec params_forget[] = {
        { "id", PARAM_STRING, true, 64, offsetof(ForgetParams, id) },
        { "dry_run", PARAM_BOOLEAN, false, 0, offsetof(ForgetParams, dry_run) },
        {},
};

const Method method_data_table[] = {
        { "io.lookback.Export", method_export, false, params_export, sizeof(ExportParams) },
        { "io.lookback.Import", method_import, true, params_import, sizeof(ImportParams) },
        { "io.lookback.LastRecord", method_last_record, false, params_none, 0 },
        { "io.lookback.Forget", method_forget, true, params_forget, sizeof(ForgetParams) },
        {},
};
