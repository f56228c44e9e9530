/* The io.lookback methods: one table of {name, handler, writes, params}.
 * The dispatcher checks every parameter's presence and type against the
 * row before the handler runs, and wraps writing methods in a transaction
 * whose COMMIT returns before the reply is built. */
#pragma once

#include <jansson.h>

/* A ServerHandler: parses @message as a call, runs it, returns the reply
 * (NULL for a oneway call). @userdata is the Manager. */
json_t *methods_dispatch(const char *message, void *userdata);

/* The description of @interface, NULL if we do not serve it. */
const char *methods_interface_description(const char *interface);
