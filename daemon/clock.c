#include "clock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "log.h"

struct ClockWatch {
        sd_event_source *clock_source; /* a timerfd cancelled when the wall clock is set */
        sd_event_source *zone_source;  /* inotify on /etc for localtime */
        ClockChangeHandler handler;
        void *userdata;
};

Now clock_now(void) {
        struct timespec ts;
        Now now;

        clock_gettime(CLOCK_REALTIME, &ts);
        now.sec = ts.tv_sec;
        now.usec = (int64_t) ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
        now.today = date_local_day(now.sec);
        return now;
}

/* A timerfd armed for the end of time with TFD_TIMER_CANCEL_ON_SET becomes
 * readable (read fails with ECANCELED) whenever the wall clock is set. */
static int clock_watch_arm(int fd) {
        /* The year 9999, not INT32_MAX: that is 2038, after which this would
         * fire again and again. */
        struct itimerspec its = { .it_value = { .tv_sec = (time_t) 253402300799LL } };
        return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) < 0 ? -errno : 0;
}

static int on_clock_set(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        ClockWatch *w = userdata;
        uint64_t expirations;

        if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != ECANCELED && errno != EAGAIN)
                return log_error(-errno, "clock watch: %m"), 0;
        (void) clock_watch_arm(fd);
        log_info("the system clock was set; rechecking prompts and lapses");
        w->handler("clock change", w->userdata);
        return 0;
}

static int on_zone_change(sd_event_source *s, const struct inotify_event *event, void *userdata) {
        ClockWatch *w = userdata;

        if (event->len == 0 || strcmp(event->name, "localtime") != 0)
                return 0;
        tzset();
        log_info("the time zone changed; rechecking prompts and lapses");
        w->handler("time zone change", w->userdata);
        return 0;
}

static int clock_watch_add_timerfd(ClockWatch *w, sd_event *event) {
        int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
        if (fd < 0)
                return -errno;
        int r = clock_watch_arm(fd);
        if (r >= 0)
                r = sd_event_add_io(event, &w->clock_source, fd, EPOLLIN, on_clock_set, w);
        if (r < 0) {
                close(fd);
                return r;
        }
        return sd_event_source_set_io_fd_own(w->clock_source, true);
}

/* Either watch may fail alone (no timerfd cancel support, no /etc): that
 * is logged and the other still works. */
int clock_watch_new(sd_event *event, ClockChangeHandler handler, void *userdata, ClockWatch **ret) {
        ClockWatch *w = calloc(1, sizeof(ClockWatch));
        int r;

        if (!w)
                return -ENOMEM;
        w->handler = handler;
        w->userdata = userdata;
        r = clock_watch_add_timerfd(w, event);
        if (r < 0)
                log_warning(r, "cannot watch for clock changes: %m, ignoring");
        r = sd_event_add_inotify(event, &w->zone_source, "/etc", IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE,
                                 on_zone_change, w);
        if (r < 0)
                log_warning(r, "cannot watch /etc/localtime: %m, ignoring");
        *ret = w;
        return 0;
}

ClockWatch *clock_watch_free(ClockWatch *w) {
        if (!w)
                return NULL;
        sd_event_source_disable_unref(w->clock_source);
        sd_event_source_disable_unref(w->zone_source);
        free(w);
        return NULL;
}

int clock_monotonic(sd_event *event, uint64_t *ret) {
        return sd_event_now(event, CLOCK_MONOTONIC, ret);
}
