/* The editor and the drafts folder: where typed text lives until the
 * daemon has it. Text is written to a draft file before the editor opens
 * and the file is removed only after the daemon acknowledged the answer. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* Runs $VISUAL, else $EDITOR, else vi on @path through /bin/sh (so the
 * variable may carry arguments, as with git). Returns 0 when it exited 0;
 * -ECHILD with *ret_status set when it failed; another -errno when it could
 * not run. */
int editor_run(const char *path, int *ret_status);

/* Creates $XDG_STATE_HOME/lookback/drafts/@kind-@period_start-XXXXXX.txt,
 * mode 0600, holding @text. Returns 0 and the path. */
int draft_create(const char *kind, const char *period_start, const char *text, char **ret_path);

/* True when @path is a file in our drafts folder. */
bool draft_is_ours(const char *path);

/* Reads all of @f; -E2BIG if it holds more than @max bytes. */
int read_all(FILE *f, size_t max, char **ret);
/* read_all() on a path. */
int read_file(const char *path, size_t max, char **ret);
