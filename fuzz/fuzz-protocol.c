/* libFuzzer: bytes off the socket, fed to the frame buffer in two pieces,
 * cut into messages and parsed as calls; a call naming a method is decoded
 * by varlink_dispatch() into that method's own parameter struct, from the
 * daemon's own table row (no handler runs), and its strings go through the
 * readers handlers share (dates, kinds). Each message is also read as a
 * reply, as the client does. Nothing crashes, nothing leaks, and what the
 * dispatch accepts keeps its row's promises. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "method.h"
#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed "now" (2026-12-03) keeps runs reproducible. */
static const Now fuzz_now = { .usec = 1796300000LL * USEC_PER_SEC, .sec = 1796300000, .today = 20790 };

static void check_string(const ParamSpec *spec, const char *s) {
        MethodResult res = {};
        ReviewKind kind;
        day_t day;
        if (strlen(s) > (spec->max_length ? spec->max_length : VARLINK_STRING_MAX))
                abort();
        (void) method_param_date(&fuzz_now, spec->name, s, &res, &day);
        json_decref(res.error_parameters);
        res = (MethodResult){};
        (void) method_param_kind(s, &res, &kind);
        json_decref(res.error_parameters);
}

static void dispatch(const Method *method, json_t *parameters) {
        _Alignas(max_align_t) char params[METHOD_PARAMS_MAX] = {};
        const char *bad = NULL;
        if (method->params_size > sizeof(params))
                abort();
        if (varlink_dispatch(method->params, parameters, params, &bad) < 0) {
                if (!bad)
                        abort();
                return;
        }
        for (const ParamSpec *spec = method->params; spec->name; spec++) {
                const char *s = *(const char **) (params + spec->offset);
                if (spec->type == PARAM_STRING && s)
                        check_string(spec, s);
        }
}

static void one_message(const char *msg) {
        VarlinkCall call;
        if (varlink_call_parse(msg, &call) >= 0) {
                const Method *method = varlink_method_find(call.method);
                if (method)
                        dispatch(method, call.parameters);
                varlink_call_done(&call);
        }
        json_t *root = json_loads(msg, 0, NULL);
        const char *error;
        json_t *parameters;
        if (root)
                (void) varlink_reply_parse(root, &error, &parameters);
        json_decref(root);
}

static int feed(FrameBuffer *b, const uint8_t *data, size_t size) {
        char *msg;
        int r = frame_buffer_feed(b, data, size);
        if (r < 0)
                return r;
        while ((r = frame_buffer_pop(b, &msg)) > 0) {
                one_message(msg);
                free(msg);
        }
        return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FrameBuffer b = {};
        /* The first byte says where the read boundary falls. */
        size_t cut = size ? data[0] % size : 0;
        if (feed(&b, data, cut) >= 0)
                (void) feed(&b, data + cut, size - cut);
        frame_buffer_done(&b);
        return 0;
}
