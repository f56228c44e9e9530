/* libFuzzer: one line of another machine's sync log is a change, the
 * header, or refused with a reason — never a crash; a change or header read
 * renders back to a line that reads back and renders to the same line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Renders what was read, reads the line back and renders it again. */
static void round_trip(const Change *c, const ChangeHeader *h, int kind) {
        Change c2;
        ChangeHeader h2;
        ImportError err;
        char *line = kind == 0 ? change_render(c) : change_render_header(h);
        if (!line)
                return;
        if (import_parse_change(line, strlen(line) - 1, &c2, &h2, &err) != kind)
                abort();
        char *again = kind == 0 ? change_render(&c2) : change_render_header(&h2);
        if (!again || strcmp(line, again) != 0)
                abort();
        free(again);
        free(line);
        change_done(&c2);
        change_header_done(&h2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Change c;
        ChangeHeader h;
        ImportError err;
        int r = import_parse_change((const char *) data, size, &c, &h, &err);
        if (r < 0) {
                if (!err.reason)
                        abort();
                import_error_done(&err);
                return 0;
        }
        round_trip(&c, &h, r);
        change_done(&c);
        change_header_done(&h);
        return 0;
}
