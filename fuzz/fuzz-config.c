/* libFuzzer: any lookback.ini parses to a config or to errors, never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text = malloc(size + 1);
        ConfigErrors errors = {};
        Config *c = NULL;
        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        if (config_parse_string(text, "fuzz.ini", &c, &errors) >= 0)
                config_free(c);
        config_errors_done(&errors);
        free(text);
        return 0;
}
