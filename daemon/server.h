/* The listening socket and its clients: accept, peer check, framing,
 * timeouts and back-pressure. Knows nothing of what messages mean: each
 * complete message goes to the handler, which returns the reply. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-event.h>

/* More clients than this at once are turned away. */
#define SERVER_CONNECTIONS_MAX 128
/* A client whose replies pile up unread beyond this is dropped. Large: a
 * ten-year HTML report is queued whole, as a series of replies. */
#define SERVER_OUTPUT_MAX (128 * 1024 * 1024)
/* A client that has not completed a message this long after connecting
 * or after its last one is dropped: a stalled half-message must not hold
 * a slot forever. $LOOKBACK_CLIENT_TIMEOUT (seconds) overrides it. */
#define SERVER_CLIENT_TIMEOUT_USEC (30 * 1000000ULL)

typedef struct Server Server;

/* Returns the reply to send (the server owns it afterwards), or NULL for
 * a call that wants none. */
typedef json_t *(*ServerHandler)(const char *message, void *userdata);

/* Finds the socket to serve: the one systemd passed (socket activation),
 * else binds @path (mode 0600), replacing a stale socket file only when no
 * daemon answers on it. Returns the listening fd, or a negative errno and a
 * one-line reason: -EADDRINUSE means another daemon answered, and the
 * reason names its pid. */
int server_listen(const char *path, bool *ret_activated, char **ret_reason);

int server_new(sd_event *event, int listen_fd, ServerHandler handler, void *userdata, Server **ret);
Server *server_free(Server *s);
unsigned server_connections(const Server *s);
