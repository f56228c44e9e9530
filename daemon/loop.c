#include "loop.h"

#include <errno.h>
#include <glib.h>

typedef struct {
        GSource source;
        GPollFD pollfd;
        sd_event *event;
        GMainLoop *main_loop;
        int error;
} EventSource;

/* Keeps the first error: once a dispatch failed, sd-event is no longer in
 * a state to prepare, and GLib may still run one more iteration before it
 * quits; the -EBUSY that sd_event_prepare() then returns says nothing about
 * what went wrong. */
static void event_failed(EventSource *s, int r) {
        if (s->error >= 0)
                s->error = r;
        g_main_loop_quit(s->main_loop);
}

static gboolean event_prepare(GSource *source, gint *timeout) {
        EventSource *s = (EventSource *) source;
        *timeout = -1; /* sd-event's timers are timerfds inside its epoll fd */
        int r = sd_event_prepare(s->event);
        if (r < 0) {
                event_failed(s, r);
                return FALSE;
        }
        return r > 0;
}

static gboolean event_check(GSource *source) {
        EventSource *s = (EventSource *) source;
        int r = sd_event_wait(s->event, 0);
        if (r < 0) {
                event_failed(s, r);
                return FALSE;
        }
        return r > 0;
}

static gboolean event_dispatch(GSource *source, GSourceFunc callback, gpointer user_data) {
        EventSource *s = (EventSource *) source;
        int r = sd_event_dispatch(s->event);
        if (r < 0)
                event_failed(s, r);
        else if (sd_event_get_state(s->event) == SD_EVENT_FINISHED)
                g_main_loop_quit(s->main_loop);
        return G_SOURCE_CONTINUE;
}

static GSourceFuncs event_funcs = {
        .prepare = event_prepare,
        .check = event_check,
        .dispatch = event_dispatch,
};

int loop_run(sd_event *event) {
        GMainLoop *main_loop = g_main_loop_new(NULL, FALSE);
        EventSource *s = (EventSource *) g_source_new(&event_funcs, sizeof(EventSource));
        int r, code = 0;

        s->event = event;
        s->main_loop = main_loop;
        s->pollfd = (GPollFD){ .fd = sd_event_get_fd(event), .events = G_IO_IN | G_IO_HUP | G_IO_ERR };
        g_source_add_poll(&s->source, &s->pollfd);
        g_source_attach(&s->source, NULL);

        g_main_loop_run(main_loop);

        r = s->error;
        if (r >= 0 && sd_event_get_exit_code(event, &code) < 0)
                code = 0;
        g_source_destroy(&s->source);
        g_source_unref(&s->source);
        g_main_loop_unref(main_loop);
        return r < 0 ? r : code;
}
