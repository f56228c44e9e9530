/* jrnl's JSON export ("jrnl --format json", jrnl/plugins/json_exporter.py):
 *
 *   { "tags": { "@tag": count, ... },
 *     "entries": [ { "title": "...", "body": "...", "date": "YYYY-MM-DD",
 *                    "time": "HH:MM", "tags": ["@tag"], "starred": false,
 *                    "uuid": "..." (DayOne journals only) }, ... ] }
 *
 * jrnl entries have no id of their own (only DayOne's have a uuid), so an
 * entry's UUID comes from its date, time, title and body: an entry edited in
 * jrnl comes back as a new record beside the old one. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert-internal.h"
#include "strbuf.h"
#include "util.h"

/* "HH:MM", 00:00 to 23:59. */
static int parse_time(const char *s, int *ret_hour, int *ret_minute) {
        if (strlen(s) != 5 || s[2] != ':')
                return -EINVAL;
        for (int i = 0; i < 5; i++)
                if (i != 2 && (s[i] < '0' || s[i] > '9'))
                        return -EINVAL;
        int h = atoi(s), m = atoi(s + 3);
        if (h > 23 || m > 59)
                return -EINVAL;
        *ret_hour = h;
        *ret_minute = m;
        return 0;
}

/* The body with "tags: @a @b" added for the tags its text does not show
 * (jrnl's own tags are always in the text; DayOne's need not be). */
static char *body_with_tags(const char *title, const char *body, json_t *tags) {
        StrBuf b = { 0 }, missing = { 0 };
        size_t i;
        json_t *t;
        json_array_foreach(tags, i, t) {
                const char *tag = json_string_value(t);
                if (!tag || !*tag || strcasestr(title, tag) || strcasestr(body, tag))
                        continue;
                strbuf_puts(&missing, missing.len ? " " : "");
                strbuf_puts(&missing, tag);
        }
        strbuf_puts(&b, body);
        if (missing.len > 0)
                strbuf_printf(&b, "%stags: %s", *body ? "\n\n" : "", missing.data);
        strbuf_done(&missing);
        return strbuf_finish(&b);
}

static int jrnl_entry(json_t *e, size_t index, ConvertAs as, WeekStart ws, const char *label, RecordSet *set,
                      size_t *allocated, char **ret_error) {
        const char *title = json_string_value(json_object_get(e, "title"));
        const char *body = json_string_value(json_object_get(e, "body"));
        const char *date = json_string_value(json_object_get(e, "date"));
        const char *time = json_string_value(json_object_get(e, "time"));
        const char *uuid = json_string_value(json_object_get(e, "uuid"));
        json_t *tags = json_object_get(e, "tags");
        /* Entries are numbered from 1, as a person counts them. */
        if (!json_is_object(e) || !title || !body || !date || !time)
                return convert_error(ret_error, -EBADMSG,
                                     "%s: entry %zu: needs strings \"title\", \"body\", \"date\" and \"time\"", label,
                                     index + 1);
        if (tags && !json_is_array(tags))
                return convert_error(ret_error, -EBADMSG, "%s: entry %zu: \"tags\" is not an array", label, index + 1);
        day_t day;
        int hour, minute;
        if (strlen(date) != 10 || convert_parse_date(date, &day) < 0)
                return convert_error(ret_error, -EBADMSG, "%s: entry %zu: date \"%s\" is not YYYY-MM-DD", label,
                                     index + 1, date);
        if (parse_time(time, &hour, &minute) < 0)
                return convert_error(ret_error, -EBADMSG, "%s: entry %zu: time \"%s\" is not HH:MM", label, index + 1,
                                     time);

        _cleanup_free_ char *text = body_with_tags(title, body, tags);
        _cleanup_free_ char *id =
                uuid ? strdup_printf("uuid:%s", uuid) : strdup_printf("%s %s\n%s\n%s", date, time, title, body);
        if (!text || !id)
                return -ENOMEM;
        int r = convert_add_text(set, allocated, as, ws, "jrnl", id, strlen(id), day,
                                 convert_local_usec(day, hour, minute), title, text);
        return r < 0 ? r : 0;
}

int convert_jrnl(const char *path, ConvertAs as, WeekStart week_start, RecordSet *ret, char **ret_error) {
        *ret = (RecordSet){ 0 };
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int r = convert_read_file(path, path, &data, &len, ret_error);
        if (r < 0)
                return r;
        json_error_t err;
        json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
        if (!root)
                return convert_error(ret_error, -EBADMSG, "%s line %d column %d: %s", path, err.line, err.column,
                                     err.text);
        json_t *entries = json_object_get(root, "entries");
        if (!json_is_array(entries)) {
                json_decref(root);
                return convert_error(ret_error, -EBADMSG, "%s: no \"entries\" array, not a jrnl JSON export", path);
        }
        RecordSet set = { 0 };
        size_t allocated = 0, i;
        json_t *e;
        json_array_foreach(entries, i, e) {
                r = jrnl_entry(e, i, as, week_start, path, &set, &allocated, ret_error);
                if (r < 0)
                        break;
        }
        json_decref(root);
        if (r < 0) {
                records_done(&set);
                return r == -ENOMEM && !*ret_error ? convert_error(ret_error, r, "%s: out of memory", path) : r;
        }
        *ret = set;
        return 0;
}
