/* The daemon's side of the Varlink protocol: the method table (the rows
 * each method-*.c exports), decoding a call's parameters into its struct,
 * running a writing method inside one transaction that commits before the
 * reply, the effects that wait for the commit, and replies too large for
 * one message sent as a series. */
#pragma once

#include <jansson.h>

/* The server's dispatch callback; @userdata is the Manager. Returns the
 * reply (a message, or an array of messages for a series), or NULL for a
 * oneway call. */
json_t *varlink_dispatch_call(const char *message, void *userdata);
