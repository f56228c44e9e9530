/* Logging for lookbackd: one line per message on stderr, with the
 * sd-daemon priority prefix so journald files it at the right level. */
#pragma once

#include <systemd/sd-daemon.h>

/* Prints @prefix, the message and a newline; returns @r, so the top level
 * can log and return in one statement. */
int log_msg(const char *prefix, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define log_error(r, ...)   log_msg(SD_ERR, (r), __VA_ARGS__)
#define log_warning(r, ...) log_msg(SD_WARNING, (r), __VA_ARGS__)
#define log_info(...)       log_msg(SD_INFO, 0, __VA_ARGS__)
#define log_debug(...)      log_msg(SD_DEBUG, 0, __VA_ARGS__)
