#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

int log_msg(const char *prefix, int r, const char *fmt, ...) {
        va_list ap;
        int saved = errno;
        /* One write per line, so lines from a crash mid-message stay whole. */
        char line[2048];
        va_start(ap, fmt);
        errno = r < 0 ? -r : saved; /* lets callers use %m for @r */
        int n = vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        if (n < 0)
                n = 0;
        fprintf(stderr, "%s%s\n", prefix, line);
        errno = saved;
        return r;
}
