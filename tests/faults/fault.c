/* An LD_PRELOAD shim that makes one system call fail, for the I/O fault
 * tests (tests/e2e/test_storage.py).
 *
 *   LOOKBACK_FAULT=CALL:N:ERRNO  the Nth CALL fails with ERRNO (EIO, ENOSPC);
 *                                CALL is write, pwrite64 (pwrite too), fsync,
 *                                fdatasync, open (open64 too) or openat
 *                                (openat64 too)
 *   LOOKBACK_FAULT_DIR=DIR       count only calls on files under DIR (the
 *                                fd's /proc/self/fd link, or the path)
 *   LOOKBACK_FAULT_ARM=FILE      count only while FILE exists, so the test
 *                                arms the fault once the daemon is ready
 *                                and disarms it after the operation
 *   LOOKBACK_FAULT_LOG=FILE      one line appended per fault injected
 *
 * One fault per process: after it fired, every call goes through. Links
 * only libc and libdl; nothing here calls a function it interposes. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* The names themselves are defined here: no renaming to open64 and the
 * like, no fortified inline wrappers. */
#undef _FILE_OFFSET_BITS
#undef _FORTIFY_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#define FAULT_PATH_MAX 4096

static struct {
        bool parsed;
        char call[16];
        long nth;
        int error;
        const char *dir;
        const char *arm;
        const char *log;
        long seen;
        bool fired;
} fault;

static int errno_by_name(const char *name) {
        if (strcmp(name, "EIO") == 0)
                return EIO;
        if (strcmp(name, "ENOSPC") == 0)
                return ENOSPC;
        if (strcmp(name, "EDQUOT") == 0)
                return EDQUOT;
        return atoi(name);
}

static void fault_parse(void) {
        const char *spec = getenv("LOOKBACK_FAULT");
        char error[16];
        if (fault.parsed)
                return;
        fault.parsed = true;
        if (!spec || sscanf(spec, "%15[^:]:%ld:%15s", fault.call, &fault.nth, error) != 3 || fault.nth < 1) {
                fault.call[0] = '\0';
                return;
        }
        fault.error = errno_by_name(error);
        fault.dir = getenv("LOOKBACK_FAULT_DIR");
        fault.arm = getenv("LOOKBACK_FAULT_ARM");
        fault.log = getenv("LOOKBACK_FAULT_LOG");
}

static bool path_under(const char *path) {
        size_t n = fault.dir ? strlen(fault.dir) : 0;
        return n == 0 || (strncmp(path, fault.dir, n) == 0 && path[n] == '/');
}

static bool fd_under(int fd, char path[static FAULT_PATH_MAX]) {
        char link[64];
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, FAULT_PATH_MAX - 1);
        if (n < 0)
                return false;
        path[n] = '\0';
        return path_under(path);
}

static bool armed(void) {
        return !fault.arm || syscall(SYS_faccessat, AT_FDCWD, fault.arm, F_OK, 0) == 0;
}

static void fault_log(const char *call, const char *path) {
        char line[FAULT_PATH_MAX + 128];
        if (!fault.log)
                return;
        int n = snprintf(line, sizeof(line), "%s %ld %s %s\n", call, fault.nth, strerror(fault.error), path);
        int fd = (int) syscall(SYS_openat, AT_FDCWD, fault.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd < 0)
                return;
        (void) syscall(SYS_write, fd, line, (size_t) n);
        (void) syscall(SYS_close, fd);
}

/* Whether this call of @call on @path (under the directory) fails. */
static bool fault_fires(const char *call, const char *path) {
        fault_parse();
        if (fault.fired || strcmp(call, fault.call) != 0 || !armed())
                return false;
        if (__atomic_add_fetch(&fault.seen, 1, __ATOMIC_SEQ_CST) != fault.nth)
                return false;
        fault.fired = true;
        fault_log(call, path);
        errno = fault.error;
        return true;
}

static bool fd_fault(const char *call, int fd) {
        char path[FAULT_PATH_MAX];
        fault_parse();
        if (fault.fired || strcmp(call, fault.call) != 0 || !fd_under(fd, path))
                return false;
        return fault_fires(call, path);
}

static bool path_fault(const char *call, int dirfd, const char *path) {
        char full[2 * FAULT_PATH_MAX];
        fault_parse();
        if (fault.fired || strcmp(call, fault.call) != 0 || !path)
                return false;
        if (path[0] != '/') {
                char base[FAULT_PATH_MAX];
                if (dirfd == AT_FDCWD ? !getcwd(base, sizeof(base)) : !fd_under(dirfd, base))
                        return false;
                snprintf(full, sizeof(full), "%s/%s", base, path);
                path = full;
        }
        return path_under(path) && fault_fires(call, path);
}

#define REAL(name, type) ((type) dlsym(RTLD_NEXT, name))

ssize_t write(int fd, const void *buf, size_t n) {
        if (fd_fault("write", fd))
                return -1;
        return REAL("write", ssize_t(*)(int, const void *, size_t))(fd, buf, n);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t offset) {
        if (fd_fault("pwrite64", fd))
                return -1;
        return REAL("pwrite64", ssize_t(*)(int, const void *, size_t, off64_t))(fd, buf, n, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset) {
        if (fd_fault("pwrite64", fd))
                return -1;
        return REAL("pwrite", ssize_t(*)(int, const void *, size_t, off_t))(fd, buf, n, offset);
}

int fsync(int fd) {
        if (fd_fault("fsync", fd))
                return -1;
        return REAL("fsync", int (*)(int))(fd);
}

int fdatasync(int fd) {
        if (fd_fault("fdatasync", fd))
                return -1;
        return REAL("fdatasync", int (*)(int))(fd);
}

static mode_t open_mode(int flags, va_list ap) {
        return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t) va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...) {
        va_list ap;
        va_start(ap, flags);
        mode_t mode = open_mode(flags, ap);
        va_end(ap);
        if (path_fault("open", AT_FDCWD, path))
                return -1;
        return REAL("open", int (*)(const char *, int, ...))(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
        va_list ap;
        va_start(ap, flags);
        mode_t mode = open_mode(flags, ap);
        va_end(ap);
        if (path_fault("open", AT_FDCWD, path))
                return -1;
        return REAL("open64", int (*)(const char *, int, ...))(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
        va_list ap;
        va_start(ap, flags);
        mode_t mode = open_mode(flags, ap);
        va_end(ap);
        if (path_fault("openat", dirfd, path))
                return -1;
        return REAL("openat", int (*)(int, const char *, int, ...))(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
        va_list ap;
        va_start(ap, flags);
        mode_t mode = open_mode(flags, ap);
        va_end(ap);
        if (path_fault("openat", dirfd, path))
                return -1;
        return REAL("openat64", int (*)(int, const char *, int, ...))(dirfd, path, flags, mode);
}
