#include "protocol.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int frame_buffer_feed(FrameBuffer *b, const void *data, size_t n) {
        /* Refuse as soon as any unterminated run reaches the limit: the one
         * that continues what is buffered, and the one this read leaves
         * open. Runs wholly inside one read are checked by pop(). */
        if (n == 0)
                return 0;
        const char *first = memchr(data, '\0', n);
        const char *last = first ? memrchr(data, '\0', n) : NULL;
        size_t head = b->size + (first ? (size_t) (first - (const char *) data) : n);
        size_t tail = last ? n - (size_t) (last - (const char *) data) - 1 : head;
        if (head >= VARLINK_MESSAGE_MAX || tail >= VARLINK_MESSAGE_MAX)
                return -EMSGSIZE;

        if (b->size + n > b->allocated) {
                size_t want = b->allocated ? b->allocated : 4096;
                while (want < b->size + n)
                        want *= 2;
                char *p = realloc(b->data, want);
                if (!p)
                        return -ENOMEM;
                b->data = p;
                b->allocated = want;
        }
        memcpy(b->data + b->size, data, n);
        b->size += n;
        return 0;
}

int frame_buffer_pop(FrameBuffer *b, char **ret) {
        char *nul = b->size ? memchr(b->data, '\0', b->size) : NULL;
        if (!nul)
                return 0;
        size_t len = (size_t) (nul - b->data);
        char *msg = malloc(len + 1);
        if (!msg)
                return -ENOMEM;
        memcpy(msg, b->data, len + 1);
        b->size -= len + 1;
        memmove(b->data, nul + 1, b->size);
        /* A frame whose tail exceeded the limit was refused in feed(); one
         * that arrived complete in a single read is checked here. */
        if (len >= VARLINK_MESSAGE_MAX) {
                free(msg);
                return -EMSGSIZE;
        }
        *ret = msg;
        return 1;
}

bool frame_buffer_partial(const FrameBuffer *b) {
        return b->size > 0;
}

void frame_buffer_done(FrameBuffer *b) {
        free(b->data);
        *b = (FrameBuffer){};
}

int varlink_call_parse(const char *text, VarlinkCall *ret) {
        json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
        if (!root || !json_is_object(root))
                goto bad;

        json_t *method = json_object_get(root, "method");
        json_t *parameters = json_object_get(root, "parameters");
        json_t *oneway = json_object_get(root, "oneway");
        if (!json_is_string(method))
                goto bad;
        if (parameters && !json_is_object(parameters) && !json_is_null(parameters))
                goto bad;
        if (!parameters || json_is_null(parameters)) {
                parameters = json_object();
                if (!parameters || json_object_set_new(root, "parameters", parameters) < 0)
                        goto bad;
        }
        *ret = (VarlinkCall){
                .root = root,
                .method = json_string_value(method),
                .parameters = parameters,
                .oneway = json_is_true(oneway),
                .more = json_is_true(json_object_get(root, "more")),
        };
        return 0;
bad:
        json_decref(root);
        return -EBADMSG;
}

void varlink_call_done(VarlinkCall *c) {
        json_decref(c->root);
        *c = (VarlinkCall){};
}

static json_t *message_new(const char *key, const char *value, json_t *parameters) {
        json_t *msg = json_object();
        if (!parameters)
                parameters = json_object();
        if (!msg || !parameters)
                goto fail;
        if (key && json_object_set_new(msg, key, json_string(value)) < 0)
                goto fail;
        if (json_object_set_new(msg, "parameters", parameters) < 0) {
                parameters = NULL; /* set_new consumed it even on failure */
                goto fail;
        }
        return msg;
fail:
        json_decref(parameters);
        json_decref(msg);
        return NULL;
}

json_t *varlink_call_new(const char *method, json_t *parameters) {
        return message_new("method", method, parameters);
}

json_t *varlink_reply_new(json_t *parameters) {
        return message_new(NULL, NULL, parameters);
}

json_t *varlink_error_new(const char *error, json_t *parameters) {
        return message_new("error", error, parameters);
}

json_t *varlink_error_invalid_parameter(const char *parameter) {
        return varlink_error_new(VARLINK_ERROR_INVALID_PARAMETER, json_pack("{s:s}", "parameter", parameter));
}

int varlink_message_format(json_t *msg, char **ret, size_t *ret_size) {
        char *text = json_dumps(msg, JSON_COMPACT | JSON_REAL_PRECISION(15));
        if (!text)
                return -ENOMEM;
        size_t size = strlen(text) + 1;
        if (size > VARLINK_MESSAGE_MAX) {
                free(text);
                return -EMSGSIZE;
        }
        *ret = text;
        *ret_size = size;
        return 0;
}

int varlink_reply_parse(json_t *root, const char **ret_error, json_t **ret_parameters) {
        if (!json_is_object(root))
                return -EBADMSG;
        json_t *error = json_object_get(root, "error");
        json_t *parameters = json_object_get(root, "parameters");
        if (error && !json_is_string(error))
                return -EBADMSG;
        if (parameters && !json_is_object(parameters))
                return -EBADMSG;
        *ret_error = error ? json_string_value(error) : NULL;
        *ret_parameters = parameters;
        return 0;
}

static bool param_type_matches(const ParamSpec *spec, json_t *value) {
        switch (spec->type) {
        case PARAM_STRING:
                if (!json_is_string(value))
                        return false;
                return json_string_length(value) <= (spec->max_length ? spec->max_length : VARLINK_STRING_MAX) &&
                       strlen(json_string_value(value)) == json_string_length(value); /* no embedded NUL */
        case PARAM_INTEGER:
                return json_is_integer(value);
        case PARAM_BOOLEAN:
                return json_is_boolean(value);
        case PARAM_ARRAY:
                return json_is_array(value);
        case PARAM_OBJECT:
                return json_is_object(value);
        }
        return false;
}

static const ParamSpec *param_spec_find(const ParamSpec *specs, const char *name) {
        for (const ParamSpec *s = specs; s && s->name; s++)
                if (strcmp(s->name, name) == 0)
                        return s;
        return NULL;
}

int varlink_check_parameters(const ParamSpec *specs, json_t *parameters, const char **ret_bad) {
        const char *key;
        json_t *value;

        json_object_foreach(parameters, key, value) {
                const ParamSpec *spec = param_spec_find(specs, key);
                bool absent = json_is_null(value);
                if (!spec || (absent && spec->required) || (!absent && !param_type_matches(spec, value))) {
                        *ret_bad = key;
                        return -EINVAL;
                }
        }
        for (const ParamSpec *s = specs; s && s->name; s++) {
                if (s->required && !json_object_get(parameters, s->name)) {
                        *ret_bad = s->name;
                        return -EINVAL;
                }
        }
        return 0;
}

/* Stores one checked value where its row says; absent or null leaves the
 * zeroed default (NULL, 0, false). */
static void param_store(const ParamSpec *spec, json_t *value, void *ret) {
        char *field = (char *) ret + spec->offset;

        if (!value || json_is_null(value))
                return;
        switch (spec->type) {
        case PARAM_STRING:
                *(const char **) field = json_string_value(value);
                break;
        case PARAM_INTEGER:
                *(int64_t *) field = json_integer_value(value);
                break;
        case PARAM_BOOLEAN:
                *(bool *) field = json_is_true(value);
                break;
        default:
                *(json_t **) field = value;
                break;
        }
}

int varlink_dispatch(const ParamSpec *specs, json_t *parameters, void *ret, const char **ret_bad) {
        int r = varlink_check_parameters(specs, parameters, ret_bad);
        if (r < 0)
                return r;
        for (const ParamSpec *s = specs; s && s->name; s++)
                param_store(s, json_object_get(parameters, s->name), ret);
        return 0;
}

const char *varlink_get_string(json_t *parameters, const char *name) {
        return json_string_value(json_object_get(parameters, name));
}

static size_t json_size(json_t *v) {
        char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        size_t n = t ? strlen(t) : SIZE_MAX;
        free(t);
        return n;
}

/* The parameter worth cutting: the largest array or string. */
static const char *split_field(json_t *parameters) {
        const char *key, *best = NULL;
        size_t best_size = 0;
        json_t *v;
        json_object_foreach(parameters, key, v) {
                if (!json_is_array(v) && !json_is_string(v))
                        continue;
                /* A string's length is near enough, and cheap: dumping
                 * escapes every byte of what may be megabytes. */
                size_t n = json_is_string(v) ? json_string_length(v) : json_size(v);
                if (n > best_size) {
                        best = key;
                        best_size = n;
                }
        }
        return best;
}

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)
/* Room in each message for its frame: {"parameters":{...},"continues":true} */
#define SERIES_FRAME_RESERVE 512

struct VarlinkSeries {
        char *head;   /* the first message's other parameters, `"k":v,` ("" if none) */
        char *key;    /* the cut parameter's name, as a JSON string */
        json_t *text; /* a string parameter: kept, sliced as it goes */
        char *elems;  /* an array parameter: its elements' text, back to back */
        size_t *ends; /* ...element i ends at ends[i] */
        size_t n;     /* string: its length; array: its number of elements */
        size_t pos;   /* string: the next byte; array: the next element */
        size_t limit;
        bool started;
};

VarlinkSeries *varlink_series_free(VarlinkSeries *s) {
        if (!s)
                return NULL;
        free(s->head);
        free(s->key);
        json_decref(s->text);
        free(s->elems);
        free(s->ends);
        free(s);
        return NULL;
}

static size_t series_elem_start(const VarlinkSeries *s, size_t i) {
        return i ? s->ends[i - 1] : 0;
}

/* Every element dumped once, into one buffer: the tree can go. */
static int series_take_array(VarlinkSeries *s, json_t *array) {
        size_t i, used = 0;
        json_t *e;
        s->n = json_array_size(array);
        s->ends = calloc(s->n ? s->n : 1, sizeof(size_t));
        if (!s->ends)
                return -ENOMEM;
        json_array_foreach(array, i, e) {
                char *t = json_dumps(e, DUMP_FLAGS);
                if (!t)
                        return -ENOMEM;
                size_t len = strlen(t);
                if (len + strlen(s->head) + strlen(s->key) + 2 * SERIES_FRAME_RESERVE > s->limit) {
                        free(t);
                        return -EMSGSIZE; /* one element alone is too large */
                }
                char *p = realloc(s->elems, used + len);
                if (!p) {
                        free(t);
                        return -ENOMEM;
                }
                memcpy(p + used, t, len);
                free(t);
                s->elems = p;
                used += len;
                s->ends[i] = used;
        }
        return 0;
}

/* The other parameters, for the first message: `{"a":1}` becomes `"a":1,`. */
static int series_take_head(VarlinkSeries *s, json_t *parameters, const char *key) {
        json_t *rest = json_copy(parameters), *k = json_string(key);
        char *t = NULL;
        if (rest && k) {
                json_object_del(rest, key);
                t = json_dumps(rest, DUMP_FLAGS);
                s->key = json_dumps(k, DUMP_FLAGS);
        }
        json_decref(rest);
        json_decref(k);
        if (!t || !s->key) {
                free(t);
                return -ENOMEM;
        }
        size_t len = strlen(t);
        if (len + strlen(s->key) + 2 * SERIES_FRAME_RESERVE >= s->limit) {
                free(t);
                return -EMSGSIZE;
        }
        memmove(t, t + 1, len - 2); /* drop the braces */
        t[len - 2] = len > 2 ? ',' : '\0';
        t[len - 1] = '\0';
        s->head = t;
        return 0;
}

int varlink_series_new(json_t *parameters, size_t limit, VarlinkSeries **ret) {
        const char *key = split_field(parameters);
        if (!key || limit < 4096)
                return -EMSGSIZE;
        VarlinkSeries *s = calloc(1, sizeof(VarlinkSeries));
        if (!s)
                return -ENOMEM;
        s->limit = limit;
        json_t *field = json_object_get(parameters, key);
        int r = series_take_head(s, parameters, key);
        if (r >= 0 && json_is_string(field)) {
                s->text = json_incref(field);
                s->n = json_string_length(field);
        } else if (r >= 0)
                r = series_take_array(s, field);
        if (r < 0) {
                varlink_series_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

size_t varlink_series_held(const VarlinkSeries *s) {
        if (s->text)
                return s->n;
        return series_elem_start(s, s->n) + s->n * sizeof(size_t);
}

/* The next slice of the string, escaped: at most @budget bytes. */
static char *series_string_slice(VarlinkSeries *s, size_t budget) {
        const char *text = json_string_value(s->text);
        size_t n = s->n - s->pos;
        /* Escaping can grow text up to 6x; keep a slice safely small. */
        if (n > budget / 6)
                n = budget / 6;
        while (n > 0 && s->pos + n < s->n && ((unsigned char) text[s->pos + n] & 0xc0) == 0x80)
                n--; /* never cut inside a UTF-8 sequence */
        json_t *slice = json_stringn(text + s->pos, n);
        char *t = slice ? json_dumps(slice, DUMP_FLAGS) : NULL;
        json_decref(slice);
        if (t)
                s->pos += n;
        return t;
}

/* The next elements that fit in @budget bytes, as a JSON array. */
static char *series_array_slice(VarlinkSeries *s, size_t budget) {
        size_t from = s->pos, to = from, used = 2;
        while (to < s->n) {
                size_t len = s->ends[to] - series_elem_start(s, to) + 1;
                if (to > from && used + len > budget)
                        break;
                used += len;
                to++;
        }
        char *t = malloc(used + 1), *p = t;
        if (!t)
                return NULL;
        *p++ = '[';
        for (size_t i = from; i < to; i++) {
                if (i > from)
                        *p++ = ',';
                memcpy(p, s->elems + series_elem_start(s, i), s->ends[i] - series_elem_start(s, i));
                p += s->ends[i] - series_elem_start(s, i);
        }
        *p++ = ']';
        *p = '\0';
        s->pos = to;
        return t;
}

int varlink_series_next(VarlinkSeries *s, char **ret, size_t *ret_size) {
        if (s->started && s->pos >= s->n)
                return 0;
        const char *head = s->started ? "" : s->head;
        size_t budget = s->limit - strlen(head) - strlen(s->key) - SERIES_FRAME_RESERVE;
        char *value = s->text ? series_string_slice(s, budget) : series_array_slice(s, budget);
        if (!value)
                return -ENOMEM;
        s->started = true;
        const char *tail = s->pos < s->n ? "},\"continues\":true}" : "}}";
        size_t size =
                strlen("{\"parameters\":{") + strlen(head) + strlen(s->key) + 1 + strlen(value) + strlen(tail) + 1;
        char *msg = malloc(size);
        if (msg)
                snprintf(msg, size, "{\"parameters\":{%s%s:%s%s", head, s->key, value, tail);
        free(value);
        if (!msg)
                return -ENOMEM;
        *ret = msg;
        *ret_size = size;
        return 1;
}

/* Joins one string field across the series with a single allocation, so
 * a long series costs linear time, not quadratic. */
static int merge_string(json_t *into, const char *key, json_t *mores) {
        json_t *first = json_object_get(into, key), *m;
        size_t total = json_string_length(first), i;
        json_array_foreach(mores, i, m) {
                total += json_string_length(json_object_get(m, key));
        }
        char *joined = malloc(total + 1), *p = joined;
        if (!joined)
                return -ENOMEM;
        memcpy(p, json_string_value(first), json_string_length(first));
        p += json_string_length(first);
        json_array_foreach(mores, i, m) {
                json_t *v = json_object_get(m, key);
                if (json_is_string(v)) {
                        memcpy(p, json_string_value(v), json_string_length(v));
                        p += json_string_length(v);
                }
        }
        *p = '\0';
        int r = json_object_set_new(into, key, json_stringn(joined, total)) < 0 ? -ENOMEM : 0;
        free(joined);
        return r;
}

int varlink_reply_merge(json_t *into, json_t *mores) {
        const char *key;
        json_t *v, *m;
        size_t i;
        json_array_foreach(mores, i, m) {
                if (!json_is_object(m))
                        return -EBADMSG;
                json_object_foreach(m, key, v) {
                        json_t *old = json_object_get(into, key);
                        if (json_is_string(old) && json_is_string(v))
                                continue; /* joined below, all at once */
                        if (json_is_array(old) && json_is_array(v))
                                json_array_extend(old, v);
                        else if (json_object_set(into, key, v) < 0)
                                return -EBADMSG;
                }
        }
        /* Strings that continue in the series were kept out above. */
        json_t *strings = json_object();
        if (!strings)
                return -ENOMEM;
        json_array_foreach(mores, i, m) {
                json_object_foreach(m, key, v) {
                        if (json_is_string(v) && json_is_string(json_object_get(into, key)))
                                json_object_set_new(strings, key, json_true());
                }
        }
        int r = 0;
        json_object_foreach(strings, key, v) {
                if (r >= 0)
                        r = merge_string(into, key, mores);
        }
        json_decref(strings);
        return r;
}

bool request_key_valid(const char *key) {
        size_t n = strlen(key);
        return n > 0 && n <= REQUEST_KEY_MAX && strspn(key, REQUEST_KEY_CHARS) == n;
}
