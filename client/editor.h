/* The editor and the drafts folder: where typed text lives until the
 * daemon has it. Text is written to a draft file before the editor opens
 * and the file is removed only after the daemon acknowledged the answer. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "protocol.h"

/* Runs $VISUAL, else $EDITOR, else vi on @path through /bin/sh (so the
 * variable may carry arguments, as with git). Returns 0 when it exited 0;
 * -ECHILD with *ret_status set when it failed; another -errno when it could
 * not run. */
int editor_run(const char *path, int *ret_status);

/* Creates $XDG_STATE_HOME/lookback/drafts/@kind-@period_start-XXXXXX.txt,
 * mode 0600, holding @text. Returns 0 and the path. */
int draft_create(const char *kind, const char *period_start, const char *text, char **ret_path);

/* @text with the line that keeps the request id @id: a draft sent twice
 * (once when the reply was lost, once as the message said) is recorded
 * once. The line is a comment, so it is not part of the answer. */
char *draft_text_with_id(const char *text, const char *id);
/* The request id kept in @text, if any: 1 with @ret set, else 0. */
int draft_find_request_id(const char *text, char ret[static REQUEST_KEY_MAX + 1]);
/* True when @path is a file in our drafts folder. */
bool draft_is_ours(const char *path);

/* Reads all of @f; -E2BIG if it holds more than @max bytes. */
int read_all(FILE *f, size_t max, char **ret);
/* read_all() on a path. */
int read_file(const char *path, size_t max, char **ret);
