/* The listening socket and its clients: accept, peer check, framing,
 * timeouts and back-pressure. Knows nothing of what messages mean: each
 * complete message goes to the handler, which returns the reply. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-event.h>

#include "protocol.h"

/* More clients than this at once: the longest-idle one (nothing half-read,
 * nothing queued) makes room; if none is idle, the newcomer is told
 * io.lookback.Busy and closed. */
#define SERVER_CONNECTIONS_MAX 128
/* One process may hold this many at once; more are told Busy. A client
 * uses one; a leak or a loop in one program must not take every slot. */
#define SERVER_CONNECTIONS_PER_PID_MAX 32
/* Replies are formatted only while a connection's unsent output is below
 * this: a series (a ten-year report) goes out one message at a time as the
 * socket drains, and pipelined calls wait unread. */
#define SERVER_OUTPUT_LOW (64 * 1024)
/* The most unsent output one connection may have: one message past the
 * low-water mark. More means a bug; the client is dropped. */
#define SERVER_OUTPUT_MAX (SERVER_OUTPUT_LOW + VARLINK_MESSAGE_MAX)
/* All connections' unsent output plus the replies their series still hold.
 * A reply that would pass it is answered io.lookback.Busy instead (but one
 * series alone may be larger: a ten-year report for the one reader); past
 * half of it, calls marked large are turned away before they run, so slow
 * readers cannot make us compute what we would not keep. */
#define SERVER_OUTPUT_TOTAL_MAX (16 * 1024 * 1024)
/* A client that has not completed a message this long after connecting or
 * after its last one, or has not read what was queued for it this long, is
 * dropped: a stalled half-message or an unread reply must not hold a slot
 * (or memory) forever. $LOOKBACK_CLIENT_TIMEOUT (seconds) overrides it. */
#define SERVER_CLIENT_TIMEOUT_USEC (30 * 1000000ULL)
/* accept() failing for want of file descriptors (EMFILE, ENFILE) stops
 * accepting this long, rather than spin on a listening socket that stays
 * readable. */
#define SERVER_ACCEPT_BACKOFF_USEC (250 * 1000ULL)

typedef struct Server Server;

/* Returns the reply to send (the server owns it afterwards); or NULL with
 * *@ret_series set to a reply to send as a series (the server owns it);
 * or NULL alone for a call that wants none. */
/* @busy: unread replies hold much of the output budget, so a call whose
 * reply may be large should be answered io.lookback.Busy without running. */
typedef json_t *(*ServerHandler)(const char *message, void *userdata, bool busy, VarlinkSeries **ret_series);

/* Finds the socket to serve: the one systemd passed (socket activation),
 * else binds @path (mode 0600), replacing a stale socket file only when no
 * daemon answers on it. Returns the listening fd, or a negative errno and a
 * one-line reason: -EADDRINUSE means another daemon answered, and the
 * reason names its pid. */
int server_listen(const char *path, bool *ret_activated, char **ret_reason);

int server_new(sd_event *event, int listen_fd, ServerHandler handler, void *userdata, Server **ret);
Server *server_free(Server *s);
unsigned server_connections(const Server *s);
