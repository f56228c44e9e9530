#include "editor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

static const char *editor_command(void) {
        const char *e = getenv("VISUAL");
        if (!e || !*e)
                e = getenv("EDITOR");
        return e && *e ? e : "vi";
}

int editor_run(const char *path, int *ret_status) {
        _cleanup_free_ char *script = strdup_printf("%s \"$1\"", editor_command());
        if (!script)
                return -ENOMEM;
        pid_t pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                execl("/bin/sh", "sh", "-c", script, "lookback-editor", path, (char *) NULL);
                _exit(127);
        }
        int status;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        *ret_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return *ret_status == 0 ? 0 : -ECHILD;
}

static int write_all(int fd, const char *text) {
        size_t size = strlen(text);
        while (size > 0) {
                ssize_t n = write(fd, text, size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                text += n;
                size -= (size_t) n;
        }
        return fsync(fd) < 0 ? -errno : 0;
}

int draft_create(const char *kind, const char *period_start, const char *text, char **ret_path) {
        _cleanup_free_ char *dir = NULL, *drafts = NULL, *path = NULL;
        int r = paths_state_dir(&dir);
        if (r < 0)
                return r;
        drafts = strdup_printf("%s/drafts", dir);
        if (!drafts)
                return -ENOMEM;
        r = paths_mkdir_p(drafts, 0700);
        if (r < 0)
                return r;
        path = strdup_printf("%s/%s-%s-XXXXXX.txt", drafts, kind, period_start);
        if (!path)
                return -ENOMEM;
        _cleanup_close_ int fd = mkostemps(path, 4, O_CLOEXEC); /* mode 0600 */
        if (fd < 0)
                return -errno;
        r = write_all(fd, text);
        if (r < 0) {
                unlink(path);
                return r;
        }
        *ret_path = TAKE_PTR(path);
        return 0;
}

int read_all(FILE *f, size_t max, char **ret) {
        size_t size = 0, allocated = 0;
        char *buf = NULL;
        for (;;) {
                if (size + 4096 + 1 > allocated) {
                        allocated = allocated ? allocated * 2 : 8192;
                        char *p = realloc(buf, allocated);
                        if (!p) {
                                free(buf);
                                return -ENOMEM;
                        }
                        buf = p;
                }
                size_t n = fread(buf + size, 1, 4096, f);
                size += n;
                if (size > max) {
                        free(buf);
                        return -E2BIG;
                }
                if (n < 4096) {
                        if (ferror(f)) {
                                free(buf);
                                return -EIO;
                        }
                        break;
                }
        }
        buf[size] = '\0';
        *ret = buf;
        return 0;
}

int read_file(const char *path, size_t max, char **ret) {
        struct stat st;
        FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
                fclose(f);
                return -EISDIR;
        }
        int r = read_all(f, max, ret);
        fclose(f);
        return r;
}

bool draft_is_ours(const char *path) {
        _cleanup_free_ char *dir = NULL, *drafts = NULL, *real = realpath(path, NULL);
        if (!real || paths_state_dir(&dir) < 0)
                return false;
        drafts = strdup_printf("%s/drafts/", dir);
        _cleanup_free_ char *real_drafts = drafts ? realpath(drafts, NULL) : NULL;
        if (!real_drafts)
                return false;
        size_t n = strlen(real_drafts);
        return strncmp(real, real_drafts, n) == 0 && real[n] == '/';
}

#define DRAFT_ID_PREFIX "# request-id: "

char *draft_text_with_id(const char *text, const char *id) {
        size_t n = strlen(text);
        return strdup_printf("%s%s" DRAFT_ID_PREFIX "%s (lookback's: with this line, sending this draft twice "
                             "records it once)\n",
                             text, n > 0 && text[n - 1] != '\n' ? "\n" : "", id);
}

int draft_find_request_id(const char *text, char ret[static REQUEST_KEY_MAX + 1]) {
        for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
                if (strncmp(p, DRAFT_ID_PREFIX, strlen(DRAFT_ID_PREFIX)) != 0)
                        continue;
                p += strlen(DRAFT_ID_PREFIX);
                size_t n = strspn(p, REQUEST_KEY_CHARS);
                if (n == 0 || n > REQUEST_KEY_MAX)
                        return 0;
                memcpy(ret, p, n);
                ret[n] = '\0';
                return 1;
        }
        return 0;
}
