#include "util.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

char **strv_free(char **l) {
        if (!l)
                return NULL;
        for (char **i = l; *i; i++)
                free(*i);
        free(l);
        return NULL;
}

size_t strv_length(char *const *l) {
        size_t n = 0;
        if (l)
                while (l[n])
                        n++;
        return n;
}

int strv_extend(char ***l, const char *s) {
        size_t n = strv_length(*l);
        char *copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        char **nl = realloc(*l, (n + 2) * sizeof(char *));
        if (!nl) {
                free(copy);
                return -ENOMEM;
        }
        nl[n] = copy;
        nl[n + 1] = NULL;
        *l = nl;
        return 0;
}

char *strstrip(char *s) {
        char *start = s;
        while (isspace((unsigned char) *start))
                start++;
        size_t len = strlen(start);
        while (len > 0 && isspace((unsigned char) start[len - 1]))
                len--;
        memmove(s, start, len);
        s[len] = '\0';
        return s;
}

size_t utf8_chars(const char *s, size_t n) {
        size_t chars = 0;
        for (size_t i = 0; i < n; i++)
                chars += ((unsigned char) s[i] & 0xC0) != 0x80; /* not a continuation byte */
        return chars;
}

/* 1365 -> "1,365". */
static const char *thousands(size_t n, char buf[static 32]) {
        char digits[32];
        int len = snprintf(digits, sizeof(digits), "%zu", n), o = 0;
        for (int i = 0; i < len; i++) {
                if (i > 0 && (len - i) % 3 == 0)
                        buf[o++] = ',';
                buf[o++] = digits[i];
        }
        buf[o] = '\0';
        return buf;
}

/* Hangul and CJK ideographs take 3 bytes each in UTF-8. */
const char *text_limit_describe(size_t max_bytes, char *buf, size_t size) {
        char a[32], b[32];
        snprintf(buf, size, "at most %s bytes (%s letters of English, about %s characters of Korean or Chinese)",
                 thousands(max_bytes, a), a, thousands(max_bytes / 3, b));
        return buf;
}

char *path_dirname(const char *path) {
        const char *slash = strrchr(path, '/');
        if (!slash)
                return strdup(".");
        return slash == path ? strdup("/") : strndup(path, (size_t) (slash - path));
}

int rename_noreplace(const char *from, const char *to) {
        if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) >= 0)
                return 0;
        if (errno != EINVAL && errno != ENOSYS)
                return -errno;
        if (link(from, to) < 0)
                return -errno;
        (void) unlink(from);
        return 0;
}

bool startswith(const char *s, const char *prefix) {
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

int safe_atou(const char *s, unsigned min, unsigned max, unsigned *ret) {
        if (!s || !isdigit((unsigned char) *s))
                return -EINVAL;
        errno = 0;
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (*end != '\0')
                return -EINVAL;
        if (errno == ERANGE || v < min || v > max || v > UINT_MAX)
                return -ERANGE;
        *ret = (unsigned) v;
        return 0;
}

char *strdup_printf(const char *fmt, ...) {
        va_list ap;
        char *s;
        va_start(ap, fmt);
        int r = vasprintf(&s, fmt, ap);
        va_end(ap);
        return r < 0 ? NULL : s;
}

int write_file_atomic(const char *path, const char *content, mode_t mode) {
        _cleanup_free_ char *tmp = strdup_printf("%s.XXXXXX", path);
        if (!tmp)
                return -ENOMEM;
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        size_t len = strlen(content);
        int r = 0;
        while (r >= 0 && len > 0) {
                ssize_t n = write(fd, content, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        r = n < 0 ? -errno : -EIO;
                else {
                        content += n;
                        len -= (size_t) n;
                }
        }
        if (r >= 0 && (fchmod(fd, mode) < 0 || fsync(fd) < 0))
                r = -errno;
        close(fd);
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        return r;
}
