#include "pager.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "search-print.h"
#include "util.h"

#define PAGER_DEFAULT "less -FRX"
/* sh's exit status for a command it cannot find (127) or execute (126). */
#define SHELL_EXIT_CANNOT_EXECUTE 126
#define SHELL_EXIT_NOT_FOUND      127

void pager_begin(Pager *p, bool enabled) {
        *p = (Pager){ .f = stdout, .terminal = isatty(STDOUT_FILENO) };
        if (!enabled || !p->terminal)
                return;
        FILE *f = open_memstream(&p->buffer, &p->size);
        if (f)
                p->f = f;
}

/* As git: an empty command or "cat" means no pager. */
static const char *pager_command(void) {
        const char *cmd = getenv("LOOKBACK_PAGER");
        if (!cmd)
                cmd = getenv("PAGER");
        if (!cmd)
                cmd = PAGER_DEFAULT;
        return *cmd && !streq(cmd, "cat") ? cmd : NULL;
}

/* Whether @text would scroll off the terminal: rows it takes, lines that
 * wrap counted by their display width (roughly: less -F decides exactly,
 * so erring towards the pager costs nothing), against the terminal's
 * height less the prompt's line. */
static bool pager_needed(const char *text, size_t size) {
        struct winsize ws;
        size_t rows = 0;

        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 || ws.ws_col == 0)
                return true; /* size unknown: let less -F decide */
        for (const char *line = text, *end = text + size; line < end && rows < ws.ws_row;) {
                const char *nl = memchr(line, '\n', (size_t) (end - line));
                size_t width = text_width(line, nl ? (size_t) (nl - line) : (size_t) (end - line));
                rows += width == 0 ? 1 : (width + ws.ws_col - 1) / ws.ws_col;
                if (!nl)
                        break;
                line = nl + 1;
        }
        return rows >= ws.ws_row;
}

static void write_all(int fd, const char *data, size_t size) {
        while (size > 0) {
                ssize_t n = write(fd, data, size);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return; /* EPIPE: the user quit the pager early, which is fine */
                data += n;
                size -= (size_t) n;
        }
}

/* Runs @cmd through /bin/sh with @text on its stdin and waits for it.
 * Returns 0 when it ran, whether or not it was read to the end; -ENOENT
 * when sh could not start it; another -errno when we could not start sh. */
static int pager_run(const char *cmd, const char *text, size_t size) {
        struct sigaction ignore = { .sa_handler = SIG_IGN }, old_pipe, old_int, old_quit;
        int fds[2], status = 0;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
                int r = -errno;
                close(fds[0]);
                close(fds[1]);
                return r;
        }
        if (pid == 0) {
                if (dup2(fds[0], STDIN_FILENO) < 0)
                        _exit(SHELL_EXIT_NOT_FOUND);
                /* As git: quit when it fits one screen, pass the bold through, keep the text on screen. */
                if (!getenv("LESS"))
                        setenv("LESS", "FRX", 1);
                execl("/bin/sh", "sh", "-c", cmd, (char *) NULL);
                _exit(SHELL_EXIT_NOT_FOUND);
        }
        close(fds[0]);
        /* The terminal is the pager's now: ^C and ^\ are for it (lookback
         * dying under it would hand the shell a terminal less still uses),
         * and quitting before the end gives EPIPE, not a fatal SIGPIPE. */
        sigaction(SIGPIPE, &ignore, &old_pipe);
        sigaction(SIGINT, &ignore, &old_int);
        sigaction(SIGQUIT, &ignore, &old_quit);
        write_all(fds[1], text, size);
        close(fds[1]);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        sigaction(SIGPIPE, &old_pipe, NULL);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        if (WIFEXITED(status) &&
            (WEXITSTATUS(status) == SHELL_EXIT_NOT_FOUND || WEXITSTATUS(status) == SHELL_EXIT_CANNOT_EXECUTE))
                return -ENOENT;
        return 0;
}

void pager_end(Pager *p) {
        if (p->f != stdout) {
                /* On OOM the buffer keeps what fit; show that rather than nothing. */
                (void) fclose(p->f);
                const char *cmd = pager_command();
                if (p->buffer && (!cmd || !pager_needed(p->buffer, p->size) || pager_run(cmd, p->buffer, p->size) < 0))
                        fwrite(p->buffer, 1, p->size, stdout);
                free(p->buffer);
        }
        fflush(stdout);
        *p = (Pager){ .f = stdout };
}
