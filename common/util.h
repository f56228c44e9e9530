/* Small helpers every module may use: cleanup attributes, string lists. */
#pragma once

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

static inline bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}
static inline bool streq_ptr(const char *a, const char *b) {
        return a && b ? strcmp(a, b) == 0 : a == b;
}

static inline void freep(void *p) {
        free(*(void **) p);
}
static inline void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

static inline void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}
#define _cleanup_free_     __attribute__((cleanup(freep)))
#define _cleanup_close_    __attribute__((cleanup(closep)))
#define _cleanup_closedir_ __attribute__((cleanup(closedirp)))

/* Takes the pointer out of a _cleanup_ variable so it is not freed. */
#define TAKE_PTR(p)                                                                                                    \
        ({                                                                                                             \
                __typeof__(p) _taken_ = (p);                                                                           \
                (p) = NULL;                                                                                            \
                _taken_;                                                                                               \
        })
#define TAKE_FD(fd)                                                                                                    \
        ({                                                                                                             \
                int _taken_ = (fd);                                                                                    \
                (fd) = -1;                                                                                             \
                _taken_;                                                                                               \
        })

/* NULL-terminated string lists. */
char **strv_free(char **l);
size_t strv_length(char *const *l);
/* Appends a copy of @s; returns 0 or -ENOMEM. */
int strv_extend(char ***l, const char *s);

/* Trims ASCII whitespace at both ends, in place; returns @s. */
char *strstrip(char *s);
bool startswith(const char *s, const char *prefix);
/* Parses a decimal unsigned in [min, max] with nothing after it; 0 or -EINVAL/-ERANGE. */
int safe_atou(const char *s, unsigned min, unsigned max, unsigned *ret);
/* Characters (UTF-8 code points) in the first @n bytes of @s. */
size_t utf8_chars(const char *s, size_t n);
/* A byte limit as people count text: "at most 4,096 bytes (4,096 letters
 * of English, about 1,365 characters of Korean or Chinese)", into @buf. */
const char *text_limit_describe(size_t max_bytes, char *buf, size_t size);
#define TEXT_LIMIT_DESCRIBE_MAX 128

/* printf into a new string; NULL on OOM. */
char *strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The directory part of @path: "/a/b/c.db" -> "/a/b", "/c.db" -> "/",
 * "c.db" -> "."; NULL on OOM. */
char *path_dirname(const char *path);
/* rename() that fails with -EEXIST instead of replacing @to. Where the file
 * system has no RENAME_NOREPLACE, link() then unlink() does the same (a
 * link to a socket's inode reaches that socket too). 0 or -errno. */
int rename_noreplace(const char *from, const char *to);

/* Writes @content to a temporary file beside @path and renames it into
 * place, so a reader never sees half of it. Returns 0 or -errno. */
int write_file_atomic(const char *path, const char *content, mode_t mode);
