/* Logging for lookbackd: one line per message on stderr, with the
 * sd-daemon priority prefix so journald files it at the right level. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-daemon.h>

/* Prints @prefix, the message and a newline; returns @r, so the top level
 * can log and return in one statement. */
int log_msg(const char *prefix, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define log_error(r, ...)   log_msg(SD_ERR, (r), __VA_ARGS__)
#define log_warning(r, ...) log_msg(SD_WARNING, (r), __VA_ARGS__)
#define log_info(...)       log_msg(SD_INFO, 0, __VA_ARGS__)
#define log_debug(...)      log_msg(SD_DEBUG, 0, __VA_ARGS__)

/* A line that a peer can provoke at will (a refused client, a timeout) must
 * not flood the journal. As journald does: at most @burst lines per
 * @interval_usec; the first line let through after some were dropped is
 * preceded by "suppressed N messages". One LogRatelimit per kind of line,
 * zero-initialised but for the two limits. */
typedef struct {
        uint64_t interval_usec;
        unsigned burst;
        uint64_t begin_usec; /* the current interval's start */
        unsigned printed;    /* lines let through in it */
        unsigned suppressed; /* lines dropped since the last one let through */
} LogRatelimit;

#define LOG_RATELIMIT_INIT(interval, n) ((LogRatelimit){ .interval_usec = (interval), .burst = (n) })

/* Whether a line may be logged at @now_usec; when it may, *@ret_suppressed
 * is the number dropped before it. Pure: the caller passes the clock. */
bool log_ratelimit_test(LogRatelimit *rl, uint64_t now_usec, unsigned *ret_suppressed);
/* log_ratelimit_test(), and the "suppressed N messages" line when due. */
bool log_ratelimit_ok(LogRatelimit *rl, uint64_t now_usec);

/* Says how many lines @rl dropped since the last one let through, if any
 * (at shutdown, so the count is not lost). */
void log_ratelimit_flush(LogRatelimit *rl);

/* log_msg() through @rl; returns @r either way. */
#define log_ratelimited(rl, now, prefix, r, ...)                                                                       \
        (log_ratelimit_ok((rl), (now)) ? log_msg((prefix), (r), __VA_ARGS__) : (r))
