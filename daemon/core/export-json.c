#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "changes.h"
#include "export.h"
#include "strbuf.h"

static const char *const export_format_names[_EXPORT_FORMAT_MAX] = {
        [EXPORT_JSON] = "json",
        [EXPORT_MARKDOWN] = "markdown",
};

const char *export_format_to_string(ExportFormat f) {
        return f >= 0 && f < _EXPORT_FORMAT_MAX ? export_format_names[f] : NULL;
}

int export_format_from_string(const char *s) {
        for (int f = 0; s && f < _EXPORT_FORMAT_MAX; f++)
                if (strcmp(export_format_names[f], s) == 0)
                        return f;
        return -EINVAL;
}

char *export_time_format(int64_t usec, char buf[static EXPORT_TIME_MAX]) {
        /* Floor division, so a time before 1970 keeps positive microseconds. */
        int64_t sec = usec / 1000000, frac = usec % 1000000;
        if (frac < 0) {
                frac += 1000000;
                sec--;
        }
        time_t t = (time_t) sec;
        struct tm tm;
        if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0)
                memset(&tm, 0, sizeof(tm));
        snprintf(buf, EXPORT_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) frac);
        return buf;
}

int export_time_parse(const char *s, int64_t *ret) {
        int y, mo, d, h, mi, sec, frac, n = 0;
        if (!s || strlen(s) != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
            s[19] != '.' || s[26] != 'Z')
                return -EINVAL;
        for (int i = 0; i < 26; i++)
                if ((i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19) ? 0 : (s[i] < '0' || s[i] > '9'))
                        return -EINVAL;
        if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%6d%n", &y, &mo, &d, &h, &mi, &sec, &frac, &n) != 7 || n != 26)
                return -EINVAL;
        if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
                return -EINVAL;
        struct tm tm = {
                .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec
        };
        time_t t = timegm(&tm);
        if (tm.tm_mday != d) /* 31 April rolled over: not a date */
                return -EINVAL;
        *ret = (int64_t) t * 1000000 + frac;
        return 0;
}

static json_t *time_json(int64_t usec) {
        char buf[EXPORT_TIME_MAX];
        return json_string(export_time_format(usec, buf));
}

static json_t *day_json(day_t day) {
        char buf[DATE_STR_MAX];
        return json_string(date_format(day, buf));
}

/* Adds @v under @key, or nothing for a NULL string: absent, not null. */
static void set_text(json_t *o, const char *key, const char *v) {
        if (v)
                json_object_set_new(o, key, json_string(v));
}

static json_t *meta_json(const RecordMeta *m, const char *time_key) {
        return json_pack("{s:s, s:o, s:s}", "id", m->uuid, time_key, time_json(m->recorded_usec), "device", m->device);
}

json_t *export_answer_json(const RecordAnswer *a) {
        json_t *o = meta_json(&a->meta, "written_at"), *entries = json_array();
        for (size_t i = 0; entries && i < a->n_entries; i++)
                json_array_append_new(entries, json_pack("{s:s, s:s}", "question", a->entries[i].question, "answer",
                                                         a->entries[i].answer));
        json_object_set_new(o, "kind", json_string(review_kind_to_string(a->kind)));
        json_object_set_new(o, "period_start", day_json(a->period.start));
        json_object_set_new(o, "period_end", day_json(a->period.end));
        json_object_set_new(o, "entries", entries);
        return o;
}

static json_t *mark_json(const RecordMark *k) {
        json_t *o = meta_json(&k->meta, "recorded_at");
        json_object_set_new(o, "habit", json_string(k->habit));
        json_object_set_new(o, "date", day_json(k->day));
        set_text(o, "note", k->note);
        return o;
}

static json_t *pause_json(const RecordPause *p) {
        json_t *o = meta_json(&p->meta, "recorded_at");
        json_object_set_new(o, "habit", json_string(p->habit));
        json_object_set_new(o, "from", day_json(p->from));
        if (p->has_to)
                json_object_set_new(o, "to", day_json(p->to));
        set_text(o, "reason", p->reason);
        return o;
}

static json_t *goal_change_json(const RecordGoalChange *c) {
        json_t *o = meta_json(&c->meta, "recorded_at");
        json_object_set_new(o, "status", json_string(goal_status_to_string(c->status)));
        if (c->has_day)
                json_object_set_new(o, "date", day_json(c->day));
        set_text(o, "reason", c->reason);
        return o;
}

/* A goal with its history nested, oldest change first. */
static json_t *goal_json(const RecordSet *set, const RecordGoal *g) {
        json_t *o = meta_json(&g->meta, "recorded_at"), *changes = json_array();
        json_object_set_new(o, "text", json_string(g->text));
        json_object_set_new(o, "created", day_json(g->created));
        for (size_t i = 0; changes && i < set->n_goal_changes; i++)
                if (strcmp(set->goal_changes[i].goal, g->meta.uuid) == 0)
                        json_array_append_new(changes, goal_change_json(&set->goal_changes[i]));
        json_object_set_new(o, "changes", changes);
        return o;
}

static json_t *note_json(const RecordNote *n) {
        json_t *o = meta_json(&n->meta, "recorded_at");
        json_object_set_new(o, "date", day_json(n->day));
        set_text(o, "title", n->title);
        json_object_set_new(o, "body", json_string(n->body));
        return o;
}

static json_t *prompt_json(const RecordPrompt *p) {
        return json_pack("{s:s, s:o, s:o, s:o, s:I, s:s}", "kind", review_kind_to_string(p->kind), "period_start",
                         day_json(p->period.start), "period_end", day_json(p->period.end), "fired_at",
                         time_json(p->fired_usec), "missed", (json_int_t) p->missed, "state",
                         prompt_state_to_string(p->state));
}

static json_t *tombstone_json(const RecordTombstone *t) {
        return json_pack("{s:s, s:s, s:o, s:s}", "id", t->uuid, "kind", record_kind_to_string(t->kind), "removed_at",
                         time_json(t->removed_usec), "device", t->device);
}

/* `"key": {...}` with sorted keys, compact; false when out of memory. */
static bool put_json(StrBuf *b, json_t *v) {
        char *text = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
        json_decref(v);
        if (!text) {
                b->oom = true;
                return false;
        }
        strbuf_puts(b, text);
        free(text);
        return true;
}

typedef json_t *(*RecordToJson)(const RecordSet *set, size_t i);

static void put_array(StrBuf *b, const char *key, const RecordSet *set, size_t n, RecordToJson one, bool last) {
        strbuf_printf(b, "  \"%s\": [", key);
        for (size_t i = 0; i < n && !b->oom; i++) {
                strbuf_puts(b, i ? ",\n    " : "\n    ");
                put_json(b, one(set, i));
        }
        strbuf_puts(b, n ? "\n  ]" : "]");
        strbuf_puts(b, last ? "\n" : ",\n");
}

static json_t *nth_answer(const RecordSet *set, size_t i) {
        return export_answer_json(&set->answers[i]);
}
static json_t *nth_checkin(const RecordSet *set, size_t i) {
        return mark_json(&set->checkins[i]);
}
static json_t *nth_skip(const RecordSet *set, size_t i) {
        return mark_json(&set->skips[i]);
}
static json_t *nth_pause(const RecordSet *set, size_t i) {
        return pause_json(&set->pauses[i]);
}
static json_t *nth_goal(const RecordSet *set, size_t i) {
        return goal_json(set, &set->goals[i]);
}
static json_t *nth_note(const RecordSet *set, size_t i) {
        return note_json(&set->notes[i]);
}
static json_t *nth_prompt(const RecordSet *set, size_t i) {
        return prompt_json(&set->prompts[i]);
}
static json_t *nth_tombstone(const RecordSet *set, size_t i) {
        return tombstone_json(&set->tombstones[i]);
}

char *export_render_json(const RecordSet *set) {
        StrBuf b = {};
        char when[EXPORT_TIME_MAX];

        strbuf_printf(&b, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"exported_at\": \"%s\",\n",
                      EXPORT_FORMAT_NAME, EXPORT_VERSION, export_time_format(set->exported_usec, when));
        strbuf_printf(&b, "  \"device\": \"%s\",\n", set->device);
        if (set->host) {
                strbuf_puts(&b, "  \"host\": ");
                put_json(&b, json_string(set->host));
                strbuf_puts(&b, ",\n");
        }
        if (set->has_range) {
                strbuf_puts(&b, "  \"range\": ");
                put_json(&b, json_pack("{s:o, s:o}", "from", day_json(set->from), "to", day_json(set->to)));
                strbuf_puts(&b, ",\n");
        }
        put_array(&b, "answers", set, set->n_answers, nth_answer, false);
        put_array(&b, "checkins", set, set->n_checkins, nth_checkin, false);
        put_array(&b, "skips", set, set->n_skips, nth_skip, false);
        put_array(&b, "pauses", set, set->n_pauses, nth_pause, false);
        put_array(&b, "goals", set, set->n_goals, nth_goal, false);
        put_array(&b, "notes", set, set->n_notes, nth_note, false);
        put_array(&b, "prompts", set, set->n_prompts, nth_prompt, false);
        put_array(&b, "tombstones", set, set->n_tombstones, nth_tombstone, true);
        strbuf_puts(&b, "}\n");
        return strbuf_finish(&b);
}

/* ---- Sync logs (changes.h) ------------------------------------------ */

static const char *const change_op_names[_CHANGE_OP_MAX] = {
        [CHANGE_ADD] = "add",
        [CHANGE_END] = "end",
        [CHANGE_SETTLE] = "settle",
        [CHANGE_REMOVE] = "remove",
};

const char *change_op_to_string(ChangeOp op) {
        return op >= 0 && op < _CHANGE_OP_MAX ? change_op_names[op] : NULL;
}

int change_op_from_string(const char *s) {
        for (int i = 0; s && i < _CHANGE_OP_MAX; i++)
                if (strcmp(s, change_op_names[i]) == 0)
                        return i;
        return -EINVAL;
}

void change_done(Change *c) {
        records_done(&c->set);
}

void change_header_done(ChangeHeader *h) {
        free(h->host);
        h->host = NULL;
}

/* The one record of @set, under the name of its kind. A goal change names
 * its goal itself, since no goal is around it. */
static json_t *change_record(const RecordSet *set, const char **ret_key) {
        if (set->n_answers)
                return *ret_key = "answer", export_answer_json(&set->answers[0]);
        if (set->n_checkins)
                return *ret_key = "checkin", mark_json(&set->checkins[0]);
        if (set->n_skips)
                return *ret_key = "skip", mark_json(&set->skips[0]);
        if (set->n_pauses)
                return *ret_key = "pause", pause_json(&set->pauses[0]);
        if (set->n_goals)
                return *ret_key = "goal", goal_json(set, &set->goals[0]);
        if (set->n_goal_changes) {
                json_t *o = goal_change_json(&set->goal_changes[0]);
                json_object_set_new(o, "goal", json_string(set->goal_changes[0].goal));
                return *ret_key = "goal-change", o;
        }
        if (set->n_notes)
                return *ret_key = "note", note_json(&set->notes[0]);
        if (set->n_prompts)
                return *ret_key = "prompt", prompt_json(&set->prompts[0]);
        if (set->n_tombstones)
                return *ret_key = "tombstone", tombstone_json(&set->tombstones[0]);
        return NULL;
}

static char *line_finish(json_t *o) {
        char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(o);
        if (!text)
                return NULL;
        /* json_dumps escapes control characters: a line holds no newline. */
        size_t n = strlen(text);
        char *line = realloc(text, n + 2);
        if (!line) {
                free(text);
                return NULL;
        }
        memcpy(line + n, "\n", 2);
        return line;
}

char *change_render(const Change *c) {
        const char *key = NULL;
        json_t *record = change_record(&c->set, &key);
        if (!record)
                return NULL;
        return line_finish(json_pack("{s:I, s:o, s:s, s:o}", "seq", (json_int_t) c->seq, "hlc", time_json(c->hlc), "op",
                                     change_op_to_string(c->op), key, record));
}

char *change_render_header(const ChangeHeader *h) {
        json_t *o =
                json_pack("{s:s, s:i, s:s, s:s, s:o}", "format", CHANGES_FORMAT_NAME, "version", CHANGES_VERSION,
                          "device", h->device, "generation", h->generation, "created_at", time_json(h->created_usec));
        if (o && h->host)
                json_object_set_new(o, "host", json_string(h->host));
        return line_finish(o);
}

int64_t change_clock(const RecordSet *set, ChangeOp op) {
        if (set->n_answers)
                return set->answers[0].meta.recorded_usec;
        if (set->n_checkins)
                return set->checkins[0].meta.recorded_usec;
        if (set->n_skips)
                return set->skips[0].meta.recorded_usec;
        if (set->n_pauses) {
                const RecordPause *p = &set->pauses[0];
                return (op == CHANGE_END || p->has_to) && p->ended_usec ? p->ended_usec : p->meta.recorded_usec;
        }
        if (set->n_goals)
                return set->goals[0].meta.recorded_usec;
        if (set->n_goal_changes)
                return set->goal_changes[0].meta.recorded_usec;
        if (set->n_notes)
                return set->notes[0].meta.recorded_usec;
        if (set->n_prompts)
                return set->prompts[0].fired_usec;
        if (set->n_tombstones)
                return set->tombstones[0].removed_usec;
        return -1;
}

/* One change of the record at @item (not copied: the view is @set's). */
#define EACH(array, count, op_)                                                                                        \
        for (size_t i = 0; i < set->count; i++) {                                                                      \
                Change c = { .seq = first_seq + n, .op = (op_) };                                                      \
                c.set.array = &set->array[i];                                                                          \
                c.set.count = 1;                                                                                       \
                if (c.op == CHANGE_SETTLE && c.set.prompts[0].state != PROMPT_ANSWERED &&                              \
                    c.set.prompts[0].state != PROMPT_SKIPPED)                                                          \
                        continue;                                                                                      \
                c.hlc = change_clock(&c.set, c.op);                                                                    \
                n++;                                                                                                   \
                if (fn && !fn(&c, userdata))                                                                           \
                        return n;                                                                                      \
        }

size_t change_each(const RecordSet *set, uint64_t first_seq, bool (*fn)(const Change *c, void *userdata),
                   void *userdata) {
        size_t n = 0;
        /* Tombstones first, as a merge takes them: what is gone stays out. */
        EACH(tombstones, n_tombstones, CHANGE_REMOVE)
        EACH(answers, n_answers, CHANGE_ADD)
        EACH(checkins, n_checkins, CHANGE_ADD)
        EACH(skips, n_skips, CHANGE_ADD)
        EACH(pauses, n_pauses, CHANGE_ADD)
        EACH(goals, n_goals, CHANGE_ADD)
        EACH(goal_changes, n_goal_changes, CHANGE_ADD)
        EACH(notes, n_notes, CHANGE_ADD)
        EACH(prompts, n_prompts, CHANGE_SETTLE)
        return n;
}
#undef EACH
