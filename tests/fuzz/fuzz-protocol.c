/* libFuzzer: bytes off the socket, framed and parsed as calls, then checked
 * against a method's parameters: nothing crashes, nothing leaks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "protocol.h"

typedef struct {
        const char *habit;
        const char *date;
        json_t *entries;
} FuzzParams;

static const ParamSpec specs[] = {
        { "habit", PARAM_STRING, true, 64, offsetof(FuzzParams, habit) },
        { "date", PARAM_STRING, false, 32, offsetof(FuzzParams, date) },
        { "entries", PARAM_ARRAY, false, 0, offsetof(FuzzParams, entries) },
        {},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FrameBuffer b = {};
        char *msg;
        const char *bad;
        if (frame_buffer_feed(&b, data, size) < 0) {
                frame_buffer_done(&b);
                return 0;
        }
        while (frame_buffer_pop(&b, &msg) > 0) {
                VarlinkCall call;
                if (varlink_call_parse(msg, &call) >= 0) {
                        FuzzParams p = {};
                        (void) varlink_dispatch(specs, call.parameters, &p, &bad);
                        varlink_call_done(&call);
                }
                free(msg);
        }
        frame_buffer_done(&b);
        return 0;
}
