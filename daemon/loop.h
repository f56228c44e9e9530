/* Runs the daemon's sd-event loop inside GLib's default main context.
 *
 * Every event source of lookbackd lives in sd-event. libnotify, however,
 * delivers its D-Bus signals (a click on "Answer") through GLib's main
 * context, so one loop must carry the other. We follow sd_event_get_fd(3):
 * sd-event's epoll fd becomes one GSource, and GLib only polls. No thread,
 * no timer of its own: an idle daemon sleeps in one poll(). */
#pragma once

#include <systemd/sd-event.h>

/* Returns sd-event's exit code once sd_event_exit() was called, or a
 * negative errno if the loop failed. */
int loop_run(sd_event *event);
