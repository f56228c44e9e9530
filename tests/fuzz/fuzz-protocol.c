/* libFuzzer: bytes off the socket, framed and parsed as calls, then checked
 * against a method's parameters: nothing crashes, nothing leaks. */
#include <stdint.h>
#include <stdlib.h>

#include "protocol.h"

static const ParamSpec specs[] = {
        { "habit", PARAM_STRING, true, 64 },
        { "date", PARAM_STRING, false, 32 },
        { "entries", PARAM_ARRAY, false, 0 },
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
                        (void) varlink_check_parameters(specs, call.parameters, &bad);
                        varlink_call_done(&call);
                }
                free(msg);
        }
        frame_buffer_done(&b);
        return 0;
}
