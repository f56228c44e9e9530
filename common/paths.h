/* Where lookback keeps things, per the XDG base directory spec. Both
 * programs resolve paths only here, so they always agree. */
#pragma once

#include <sys/types.h>

/* Longest path we build. */
#define PATHS_MAX 4096

/* $XDG_RUNTIME_DIR, checked: set, absolute, a directory (not a symlink to
 * one) owned by us and closed to group and others. Any failure returns a negative errno and a
 * one-line reason in *ret_reason (malloc'd), e.g. "XDG_RUNTIME_DIR is not
 * set; refusing to put the socket anywhere else". */
int paths_runtime_dir(char **ret, char **ret_reason);
/* $LOOKBACK_SOCKET, else $XDG_RUNTIME_DIR/lookback.sock. Only the path:
 * paths_check_socket_dir() checks where it is. */
int paths_socket(char **ret, char **ret_reason);
/* Whether @socket_path lies in a directory only we could have put a
 * socket in: after resolving symlinks, a directory owned by us with mode
 * 0700 (no group or other bits). When the path comes from $XDG_RUNTIME_DIR
 * (LOOKBACK_SOCKET unset), a symlink there must be ours too. Returns 0, or
 * -EPERM/-ENOTDIR/-errno with a one-line reason naming the path and owner. */
int paths_check_socket_dir(const char *socket_path, char **ret_reason);
/* $XDG_DATA_HOME/lookback (default ~/.local/share/lookback). */
int paths_data_dir(char **ret);
/* $XDG_CONFIG_HOME/lookback/lookback.ini (default ~/.config/...). */
int paths_config_file(char **ret);
/* $XDG_STATE_HOME/lookback (default ~/.local/state/lookback). */
int paths_state_dir(char **ret);
/* mkdir -p with @mode for each directory it creates. Returns 0 or -errno. */
int paths_mkdir_p(const char *path, mode_t mode);
