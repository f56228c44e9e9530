/* libFuzzer: an import file (a lookback export, version 1) is read whole
 * or refused with a reason, never a crash; what is accepted renders back to
 * JSON (and Markdown) that reads back and renders to the same text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        RecordSet set, again;
        ImportError err;
        if (import_parse_export((const char *) data, size, &set, &err) < 0) {
                if (!err.reason)
                        abort();
                import_error_done(&err);
                return 0;
        }
        char *json = export_render_json(&set);
        free(export_render_markdown(&set));
        if (json) {
                if (import_parse_export(json, strlen(json), &again, &err) < 0) {
                        fprintf(stderr, "own export refused: %s at %s\n%s\n", err.reason, err.path ? err.path : "?",
                                json);
                        abort();
                }
                char *json_again = export_render_json(&again);
                if (json_again && strcmp(json, json_again) != 0)
                        abort();
                free(json_again);
                records_done(&again);
        }
        free(json);
        records_done(&set);
        return 0;
}
