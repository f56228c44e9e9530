#include "paths.h"

#include <errno.h>
#include <pwd.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static const char *home_dir(void) {
        const char *home = getenv("HOME");
        if (home && home[0] == '/')
                return home;
        struct passwd *pw = getpwuid(getuid());
        return pw && pw->pw_dir ? pw->pw_dir : NULL;
}

/* $VAR if it is an absolute path (the spec says relative ones are to be
 * ignored), else $HOME/@fallback; then @suffix. */
static int xdg_path(const char *var, const char *fallback, const char *suffix, char **ret) {
        const char *base = getenv(var);
        char *p;

        if (base && base[0] == '/')
                p = strdup_printf("%s/%s", base, suffix);
        else {
                const char *home = home_dir();
                if (!home)
                        return -ENOENT;
                p = strdup_printf("%s/%s/%s", home, fallback, suffix);
        }
        if (!p)
                return -ENOMEM;
        if (strlen(p) >= PATHS_MAX) {
                free(p);
                return -ENAMETOOLONG;
        }
        *ret = p;
        return 0;
}

int paths_data_dir(char **ret) {
        return xdg_path("XDG_DATA_HOME", ".local/share", "lookback", ret);
}

int paths_config_file(char **ret) {
        return xdg_path("XDG_CONFIG_HOME", ".config", "lookback/lookback.ini", ret);
}

int paths_state_dir(char **ret) {
        return xdg_path("XDG_STATE_HOME", ".local/state", "lookback", ret);
}

static int reason(char **ret_reason, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int reason(char **ret_reason, int r, const char *fmt, ...) {
        va_list ap;
        if (ret_reason) {
                va_start(ap, fmt);
                if (vasprintf(ret_reason, fmt, ap) < 0)
                        *ret_reason = NULL;
                va_end(ap);
        }
        return r;
}

int paths_runtime_dir(char **ret, char **ret_reason) {
        const char *dir = getenv("XDG_RUNTIME_DIR");
        struct stat st;

        if (!dir || !*dir)
                return reason(ret_reason, -ENXIO, "%s",
                              "XDG_RUNTIME_DIR is not set; refusing to put the socket anywhere else");
        if (dir[0] != '/')
                return reason(ret_reason, -EINVAL, "XDG_RUNTIME_DIR=%s is not an absolute path", dir);
        /* lstat: a symlink could be repointed under us after the check,
         * and the daemon binds its socket there. */
        if (lstat(dir, &st) < 0)
                return reason(ret_reason, -errno, "XDG_RUNTIME_DIR=%s does not exist", dir);
        if (S_ISLNK(st.st_mode))
                return reason(ret_reason, -ELOOP, "XDG_RUNTIME_DIR=%s is a symlink; refusing to put the socket there",
                              dir);
        if (!S_ISDIR(st.st_mode))
                return reason(ret_reason, -ENOTDIR, "XDG_RUNTIME_DIR=%s is not a directory", dir);
        if (st.st_uid != getuid())
                return reason(ret_reason, -EPERM, "XDG_RUNTIME_DIR=%s is not owned by this user", dir);
        if (st.st_mode & 0077)
                return reason(ret_reason, -EPERM, "XDG_RUNTIME_DIR=%s is accessible to group or others (must be 0700)",
                              dir);
        *ret = strdup(dir);
        return *ret ? 0 : -ENOMEM;
}

int paths_socket(char **ret, char **ret_reason) {
        const char *env = getenv("LOOKBACK_SOCKET");
        const char *dir = getenv("XDG_RUNTIME_DIR");
        char *p;

        if (env && *env)
                p = strdup(env);
        else if (dir && dir[0] == '/')
                p = strdup_printf("%s/lookback.sock", dir);
        else
                return reason(ret_reason, -ENXIO, "%s", "XDG_RUNTIME_DIR is not set, so lookback has no socket to use");
        if (!p)
                return -ENOMEM;
        *ret = p;
        return 0;
}

/* A symlinked $XDG_RUNTIME_DIR is followed only when it is ours: another
 * user's link can be repointed at a directory where they listen. */
static int check_runtime_link(char **ret_reason) {
        const char *dir = getenv("XDG_RUNTIME_DIR");
        struct stat st;

        if (!dir || dir[0] != '/' || lstat(dir, &st) < 0 || !S_ISLNK(st.st_mode))
                return 0;
        if (st.st_uid != getuid())
                return reason(ret_reason, -EPERM,
                              "XDG_RUNTIME_DIR=%s is a symlink owned by uid %u, not by you (uid %u); refusing it", dir,
                              (unsigned) st.st_uid, (unsigned) getuid());
        return 0;
}

int paths_check_socket_dir(const char *socket_path, char **ret_reason) {
        _cleanup_free_ char *dir = path_dirname(socket_path);
        char resolved[PATH_MAX];
        struct stat st;

        if (!dir)
                return -ENOMEM;
        if (!getenv("LOOKBACK_SOCKET") || !*getenv("LOOKBACK_SOCKET")) {
                int r = check_runtime_link(ret_reason);
                if (r < 0)
                        return r;
        }
        /* Whatever chain of links leads there, the directory it ends in is
         * what decides who could have put a socket in it. */
        if (!realpath(dir, resolved) || stat(resolved, &st) < 0)
                return reason(ret_reason, -errno, "cannot check %s, the socket's directory: %s", dir, strerror(errno));
        if (!S_ISDIR(st.st_mode))
                return reason(ret_reason, -ENOTDIR, "%s, the socket's directory, is not a directory", resolved);
        if (st.st_uid != getuid())
                return reason(ret_reason, -EPERM,
                              "%s, the socket's directory, is owned by uid %u, not by you (uid %u); refusing to use "
                              "a socket there",
                              resolved, (unsigned) st.st_uid, (unsigned) getuid());
        if (st.st_mode & 0077)
                return reason(ret_reason, -EPERM,
                              "%s, the socket's directory, is open to group or others (mode %04o, must be 0700); "
                              "refusing to use a socket there",
                              resolved, (unsigned) (st.st_mode & 07777));
        return 0;
}

int paths_mkdir_p(const char *path, mode_t mode) {
        _cleanup_free_ char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; *s; s++) {
                if (*s != '/')
                        continue;
                *s = '\0';
                if (mkdir(p, mode) < 0 && errno != EEXIST)
                        return -errno;
                *s = '/';
        }
        if (mkdir(p, mode) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}
