#include "file-modes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

int file_mode_tighten(const char *path, mode_t most, mode_t *ret_old, mode_t *ret_new) {
        /* Through an fd opened without following links: what is checked is
         * what is changed, even if the name is swapped meanwhile. O_PATH,
         * because closing any other fd of a file drops every POSIX lock
         * this process holds on it — SQLite's own, on the live database. */
        _cleanup_close_ int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;
        char proc[64];

        if (fd < 0)
                return errno == ENOENT || errno == ELOOP ? 0 : -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        mode_t old = st.st_mode & 07777, want = old & most;
        if (st.st_uid != getuid() || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) || want == old)
                return 0;
        /* fchmod() does not take an O_PATH fd; its /proc name does. */
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        if (chmod(proc, want) < 0)
                return -errno;
        *ret_old = old;
        *ret_new = want;
        return 1;
}

void file_mode_fix(const char *path, mode_t most) {
        mode_t old, want;
        int r = file_mode_tighten(path, most, &old, &want);
        if (r < 0)
                log_warning(r, "%s: cannot tighten its mode to %04o: %m, ignoring", path, (unsigned) most);
        else if (r > 0)
                log_info("fixed mode of %s: %04o -> %04o", path, (unsigned) old, (unsigned) want);
}

void file_modes_fix_database(const char *db) {
        static const char *const suffixes[] = { "", "-wal", "-shm" };
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                _cleanup_free_ char *path = strdup_printf("%s%s", db, suffixes[i]);
                if (path)
                        file_mode_fix(path, 0600);
        }
}
