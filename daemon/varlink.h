/* The daemon's side of the Varlink protocol: the method table (the rows
 * each method-*.c exports), decoding a call's parameters into its struct,
 * running a writing method inside one transaction that commits before the
 * reply, the effects that wait for the commit, and replies too large for
 * one message sent as a series. */
#pragma once

#include <jansson.h>

#include "protocol.h"

/* The server's dispatch callback (see ServerHandler); @userdata is the
 * Manager. Returns the
 * reply, or NULL with *@ret_series set for a reply sent as a series, or
 * NULL alone for a oneway call. */
json_t *varlink_dispatch_call(const char *message, void *userdata, bool busy, VarlinkSeries **ret_series);
