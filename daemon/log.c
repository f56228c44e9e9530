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

bool log_ratelimit_test(LogRatelimit *rl, uint64_t now_usec, unsigned *ret_suppressed) {
        if (rl->begin_usec == 0 || now_usec < rl->begin_usec || now_usec - rl->begin_usec >= rl->interval_usec) {
                rl->begin_usec = now_usec ? now_usec : 1;
                rl->printed = 0;
        }
        if (rl->printed >= rl->burst) {
                rl->suppressed++;
                return false;
        }
        rl->printed++;
        *ret_suppressed = rl->suppressed;
        rl->suppressed = 0;
        return true;
}

bool log_ratelimit_ok(LogRatelimit *rl, uint64_t now_usec) {
        unsigned suppressed;
        if (!log_ratelimit_test(rl, now_usec, &suppressed))
                return false;
        if (suppressed > 0)
                log_msg(SD_WARNING, 0, "suppressed %u messages like the next one", suppressed);
        return true;
}

void log_ratelimit_flush(LogRatelimit *rl) {
        if (rl->suppressed > 0)
                log_msg(SD_WARNING, 0, "suppressed %u messages", rl->suppressed);
        rl->suppressed = 0;
}
