#include "protocol.h"

#include <errno.h>
#include <stdint.h>
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

/* The next slice of @v from *@pos that stays under @budget bytes. */
static json_t *split_slice(json_t *v, size_t *pos, size_t budget) {
        if (json_is_string(v)) {
                const char *s = json_string_value(v);
                size_t len = json_string_length(v), n = len - *pos;
                /* Escaping can grow text up to 6x; keep a slice safely small. */
                if (n > budget / 6)
                        n = budget / 6;
                while (n > 0 && *pos + n < len && ((unsigned char) s[*pos + n] & 0xc0) == 0x80)
                        n--; /* never cut inside a UTF-8 sequence */
                json_t *slice = json_stringn(s + *pos, n);
                *pos += n;
                return slice;
        }
        json_t *slice = json_array();
        size_t used = 2;
        while (slice && *pos < json_array_size(v)) {
                json_t *e = json_array_get(v, *pos);
                size_t n = json_size(e) + 1;
                if (json_array_size(slice) > 0 && used + n > budget)
                        break;
                if (n > budget) {
                        json_decref(slice); /* one element alone is too large */
                        return NULL;
                }
                json_array_append(slice, e);
                used += n;
                (*pos)++;
        }
        return slice;
}

static size_t field_length(json_t *v) {
        return json_is_string(v) ? json_string_length(v) : json_array_size(v);
}

json_t *varlink_reply_split(json_t *parameters, size_t limit) {
        const char *key = split_field(parameters);
        if (!key || limit < 4096)
                return NULL;
        json_t *field = json_object_get(parameters, key);
        json_t *first = json_deep_copy(parameters), *series = json_array();
        size_t pos = 0;
        if (!first || !series)
                goto fail;
        json_object_del(first, key);
        size_t rest = json_size(first);
        if (rest + 512 >= limit)
                goto fail;
        /* The first message carries everything else, so less of the field. */
        size_t budget = limit - rest - 512;
        do {
                json_t *slice = split_slice(field, &pos, budget);
                json_t *params = json_array_size(series) == 0 ? json_incref(first) : json_object();
                json_t *msg = params && slice && json_object_set_new(params, key, slice) >= 0
                                      ? varlink_reply_new(params)
                                      : (json_decref(slice), json_decref(params), NULL);
                if (!msg || json_array_append_new(series, msg) < 0)
                        goto fail;
                if (pos < field_length(field))
                        json_object_set_new(msg, "continues", json_true());
                budget = limit - 512;
        } while (pos < field_length(field));
        json_decref(first);
        return series;
fail:
        json_decref(first);
        json_decref(series);
        return NULL;
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
