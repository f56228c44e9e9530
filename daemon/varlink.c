#include "varlink.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "damage.h"
#include "lapse-watch.h"
#include "log.h"
#include "method.h"
#include "prompt-timers.h"
#include "protocol.h"
#include "util.h"

static const Method *const method_tables[] = {
        method_status_table,  method_review_table, method_habit_table,  method_goal_table, method_report_table,
        method_journal_table, method_data_table,   method_backup_table, method_sync_table,
};

/* Methods whose reply grows with the data (years of answers, a report):
 * while unread replies hold much of the output budget, such a call is
 * answered Busy before it runs, so slow readers cannot make us compute
 * what we would not keep. A list here rather than a column of every row:
 * the rows stay as each method file wrote them. */
static const char *const methods_large[] = {
        "io.lookback.Log",    "io.lookback.Export",    "io.lookback.Report",
        "io.lookback.Search", "io.lookback.OnThisDay", "io.lookback.History",
};

static bool method_is_large(const Method *method) {
        for (size_t i = 0; i < ELEMENTSOF(methods_large); i++)
                if (streq(methods_large[i], method->name))
                        return true;
        return false;
}

const Method *varlink_method_find(const char *name) {
        for (size_t t = 0; t < ELEMENTSOF(method_tables); t++)
                for (const Method *m = method_tables[t]; m->name; m++)
                        if (streq(m->name, name))
                                return m;
        return NULL;
}

/* A write's idempotency key: chosen by the client before its first try
 * and sent with each, so that a resend after a lost reply is answered with
 * the first reply instead of recorded twice. */
typedef struct {
        bool set;
        char key[REQUEST_KEY_MAX + 1];
        uint64_t params_hash; /* of the other parameters: a reused key is told apart */
} RequestKey;

/* FNV-1a over the parameters' canonical text. */
static uint64_t params_hash(json_t *parameters) {
        _cleanup_free_ char *text = json_dumps(parameters, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        uint64_t h = 14695981039346656037ULL;
        for (const char *p = text ? text : ""; *p; p++)
                h = (h ^ (unsigned char) *p) * 1099511628211ULL;
        return h;
}

/* Takes "idempotency_key" out of a write's @parameters (it is not the
 * method's own). 0, or -EINVAL for a key that is not one. */
static int request_key_take(json_t *parameters, RequestKey *ret) {
        json_t *v = json_object_get(parameters, "idempotency_key");
        *ret = (RequestKey){};
        if (!v || json_is_null(v)) {
                json_object_del(parameters, "idempotency_key");
                return 0;
        }
        if (!json_is_string(v) || !request_key_valid(json_string_value(v)))
                return -EINVAL;
        ret->set = true;
        snprintf(ret->key, sizeof(ret->key), "%s", json_string_value(v));
        json_object_del(parameters, "idempotency_key");
        ret->params_hash = params_hash(parameters);
        return 0;
}

/* A repeat of a key already done: its reply, or RequestReused when the key
 * came with another method or other parameters. 1 when @res is filled, 0
 * when the key is new, or a negative errno. */
static int request_replay(Manager *m, const Method *method, const RequestKey *key, MethodResult *res) {
        StoreRequest done;
        int r = store_request_find(m->store, key->key, &done);
        if (r <= 0)
                return r;
        if (!streq(done.method, method->name) || done.params_hash != key->params_hash) {
                char when[DATE_STR_MAX];
                r = method_fail(res, LOOKBACK_ERROR_REQUEST_REUSED,
                                json_pack("{s:s, s:s, s:s}", "idempotency_key", key->key, "method", done.method,
                                          "recorded", date_format(date_local_day(done.created_usec / 1000000), when)));
        } else {
                res->reply = json_loads(done.reply, 0, NULL);
                r = res->reply ? 0 : -EBADMSG;
                if (r >= 0)
                        json_object_set_new(res->reply, "replayed", json_true());
        }
        store_request_done(&done);
        return r < 0 ? r : 1;
}

static int request_save(Manager *m, const Now *now, const Method *method, const RequestKey *key,
                        const MethodResult *res) {
        /* Kept without the text of a record it removed: what is forgotten
         * must not stay behind here (a replay shows the record without it). */
        json_t *reply = json_deep_copy(res->reply);
        json_object_del(json_object_get(reply, "record"), "text");
        _cleanup_free_ char *text = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
        json_decref(reply);
        if (!text)
                return -ENOMEM;
        return store_request_save(m->store, key->key, method->name, key->params_hash, text, now->usec);
}

/* Runs a method; for a writing one, inside a transaction that commits
 * before this returns — so the reply the caller sends acknowledges data
 * that is on disk, and so does the key that makes a resend harmless.
 * Returns 1 when the reply is a replay (nothing new was done), 0, or a
 * negative errno. */
static int method_run(Manager *m, const Now *now, const Method *method, const void *params, const RequestKey *key,
                      MethodResult *res) {
        int r;
        if (!method->writes)
                return method->handler(m, now, params, res);
        r = store_begin(m->store);
        if (r < 0)
                return r;
        if (key->set) {
                r = request_replay(m, method, key, res);
                if (r != 0) {
                        store_rollback(m->store);
                        return r;
                }
        }
        r = method->handler(m, now, params, res);
        if (r >= 0 && !res->error && !res->discard && key->set)
                r = request_save(m, now, method, key, res);
        if (r < 0 || res->error || res->discard) {
                store_rollback(m->store);
                return r;
        }
        r = store_commit(m->store);
        if (r < 0)
                store_rollback(m->store);
        return r;
}

/* What waits for the commit: nothing shown or closed on screen says more
 * than the disk does. */
static void method_after_commit(Manager *m, const Now *now, MethodResult *res) {
        for (int k = 0; k < _REVIEW_KIND_MAX; k++)
                if (res->close_prompts & (1U << k))
                        notifier_close_prompts(m->notifier, k, res->has_close_period ? &res->close_period : NULL);
        if (res->show_prompt)
                json_object_set_new(res->reply, "shown",
                                    json_boolean(prompt_timers_show(m, now, res->show_kind, res->show_period, 1) >= 0));
        if (res->recheck_habit)
                lapse_watch_touch(m, res->recheck_habit);
        for (size_t i = 0; res->recheck_all && !res->discard && i < m->config->n_habits; i++)
                lapse_watch_touch(m, &m->config->habits[i]);
}

static json_t *internal_error(const char *method, int r, Manager *m) {
        _cleanup_free_ char *why = m->store ? store_explain(m->store, r) : NULL;
        log_error(r, "%s failed: %s (%s)", method, why ? why : strerror(-r), store_last_error(m->store));
        return varlink_error_new(LOOKBACK_ERROR_INTERNAL, json_pack("{s:s}", "message", why ? why : strerror(-r)));
}

/* A caller that accepts a series ("more") gets every reply through one:
 * it holds the reply as text, once, and the server formats a message at a
 * time as the socket drains; a reply that fits is a series of one. Years
 * of answers or a ten-year HTML report need more than one message. A
 * caller that does not gets a reply over the limit as MessageTooLarge. */
static json_t *reply_fit(json_t *reply, bool more, VarlinkSeries **ret_series) {
        char *text;
        size_t size;
        if (!reply)
                return NULL;
        if (more && !json_object_get(reply, "error")) {
                int r = varlink_series_new(json_object_get(reply, "parameters"), VARLINK_MESSAGE_MAX, ret_series);
                if (r >= 0) {
                        json_decref(reply);
                        return NULL;
                }
                if (r != -EMSGSIZE) {
                        json_decref(reply);
                        return varlink_error_new(LOOKBACK_ERROR_INTERNAL, json_pack("{s:s}", "message", strerror(-r)));
                }
        }
        /* A string that alone fills a message: do not format (escape)
         * megabytes only to find out. */
        const char *key;
        json_t *v;
        bool huge = false;
        json_object_foreach(json_object_get(reply, "parameters"), key, v)
                huge = huge || json_string_length(v) >= VARLINK_MESSAGE_MAX;
        if (!huge && varlink_message_format(reply, &text, &size) >= 0) {
                free(text);
                return reply;
        }
        json_decref(reply);
        return varlink_error_new(LOOKBACK_ERROR_MESSAGE_TOO_LARGE, NULL);
}

static json_t *method_call(Manager *m, const Method *method, json_t *parameters) {
        /* Aligned for any field a parameter struct holds. */
        _Alignas(max_align_t) char params[METHOD_PARAMS_MAX] = {};
        MethodResult res = {};
        const char *bad;

        RequestKey key = {};

        if (method->params_size > sizeof(params))
                return internal_error(method->name, -E2BIG, m);
        if (method->writes && request_key_take(parameters, &key) < 0)
                return varlink_error_invalid_parameter("idempotency_key");
        if (varlink_dispatch(method->params, parameters, params, &bad) < 0)
                return varlink_error_invalid_parameter(bad);
        /* One reading of the clock for the whole request. */
        Now now = clock_now();
        int r = method_run(m, &now, method, params, &key, &res);
        if (r < 0) {
                json_decref(res.reply);
                json_decref(res.error_parameters);
                /* Said once, when found (damage.c); not again per request.
                 * Whatever the errno: a write after damage found mid-handler
                 * fails read-only (query_only), and that is the damage too. */
                if (m->store && store_damaged(m->store, NULL))
                        return damage_error(m);
                return internal_error(method->name, r, m);
        }
        if (res.error) {
                json_decref(res.reply);
                return varlink_error_new(res.error, res.error_parameters);
        }
        /* A replay's effects on screen happened with the first reply. */
        if (r == 0)
                method_after_commit(m, &now, &res);
        return varlink_reply_new(res.reply);
}

json_t *varlink_dispatch_call(const char *message, void *userdata, bool busy, VarlinkSeries **ret_series) {
        Manager *m = userdata;
        VarlinkCall call;
        json_t *reply;

        if (varlink_call_parse(message, &call) < 0)
                return varlink_error_new(LOOKBACK_ERROR_INVALID_MESSAGE, NULL);
        const Method *method = varlink_method_find(call.method);
        if (!method)
                reply = varlink_error_new(VARLINK_ERROR_METHOD_NOT_FOUND, json_pack("{s:s}", "method", call.method));
        else if (busy && method_is_large(method))
                reply = varlink_error_new(LOOKBACK_ERROR_BUSY, json_pack("{s:s}", "reason", LOOKBACK_BUSY_OUTPUT));
        else
                reply = method_call(m, method, call.parameters);
        if (call.oneway) {
                json_decref(reply);
                reply = NULL;
        }
        *ret_series = NULL;
        reply = reply_fit(reply, call.more, ret_series);
        varlink_call_done(&call);
        return reply;
}
