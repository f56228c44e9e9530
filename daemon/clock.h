/* The one clock: what time it is, read once per request or timer event and
 * passed down, and the watches that say when the wall clock or the time
 * zone changed. Nothing else in the daemon reads a clock.
 *
 * Why one: a request that read the clock twice could see two days (just
 * before and after midnight) and judge one habit by both. */
#pragma once

#include <stdint.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "date.h"

#define USEC_PER_SEC 1000000LL

typedef struct {
        int64_t usec; /* CLOCK_REALTIME */
        time_t sec;
        day_t today; /* the local day, in the process's zone */
} Now;

Now clock_now(void);

typedef struct ClockWatch ClockWatch;
/* Called after the wall clock was set or /etc/localtime changed (tzset()
 * already done); @why says which. */
typedef void (*ClockChangeHandler)(const char *why, void *userdata);

/* Watches the wall clock (a timerfd with TFD_TIMER_CANCEL_ON_SET) and /etc
 * for localtime (inotify). Nothing polls. */
int clock_watch_new(sd_event *event, ClockChangeHandler handler, void *userdata, ClockWatch **ret);
ClockWatch *clock_watch_free(ClockWatch *w);

/* CLOCK_MONOTONIC as the loop sees it, for delays that no clock change
 * may stretch or cut. */
int clock_monotonic(sd_event *event, uint64_t *ret);
