#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "paths.h"
#include "protocol.h"
#include "util.h"

#define READ_CHUNK (64 * 1024)

typedef struct Connection Connection;

struct Server {
        sd_event *event;
        int listen_fd;
        sd_event_source *listen_source;
        ServerHandler handler;
        void *userdata;
        uint64_t timeout_usec;
        Connection *connections;
        unsigned n_connections;
};

struct Connection {
        Server *server;
        int fd;
        pid_t pid;
        sd_event_source *io;
        sd_event_source *timer;
        FrameBuffer input;
        /* Queued replies: bytes [output_start, output_size) are still to send.
         * An offset, not a memmove per send: a ten-year report is tens of
         * megabytes, sent a socket buffer at a time. */
        char *output;
        size_t output_start;
        size_t output_size;
        size_t output_allocated;
        bool closing; /* flush what is queued, then close */
        Connection *prev, *next;
};

static void connection_free(Connection *c) {
        Server *s = c->server;
        if (c->prev)
                c->prev->next = c->next;
        else
                s->connections = c->next;
        if (c->next)
                c->next->prev = c->prev;
        s->n_connections--;
        sd_event_source_disable_unref(c->io);
        sd_event_source_disable_unref(c->timer);
        frame_buffer_done(&c->input);
        free(c->output);
        close(c->fd);
        free(c);
}

static int connection_update_events(Connection *c) {
        /* Stop reading while replies are queued: a client that does not
         * read cannot make us buffer without bound. */
        uint32_t events = c->output_size > c->output_start ? EPOLLOUT : (c->closing ? 0 : EPOLLIN);
        return sd_event_source_set_io_events(c->io, events);
}

static int connection_flush(Connection *c) {
        while (c->output_size > c->output_start) {
                ssize_t n = send(c->fd, c->output + c->output_start, c->output_size - c->output_start,
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                break;
                        return -errno;
                }
                c->output_start += (size_t) n;
        }
        if (c->output_start == c->output_size)
                c->output_start = c->output_size = 0;
        if (c->output_size == 0 && c->closing)
                return -ECONNRESET;
        return connection_update_events(c);
}

/* Room for @size more bytes: what was sent is dropped first, then the
 * buffer grows geometrically. */
static int connection_reserve(Connection *c, size_t size) {
        if (c->output_start > 0) {
                memmove(c->output, c->output + c->output_start, c->output_size - c->output_start);
                c->output_size -= c->output_start;
                c->output_start = 0;
        }
        if (c->output_size + size > SERVER_OUTPUT_MAX)
                return -ENOBUFS;
        if (c->output_size + size <= c->output_allocated)
                return 0;
        size_t want = c->output_allocated ? c->output_allocated : 64 * 1024;
        while (want < c->output_size + size)
                want *= 2;
        char *p = realloc(c->output, want);
        if (!p)
                return -ENOMEM;
        c->output = p;
        c->output_allocated = want;
        return 0;
}

static int connection_queue(Connection *c, json_t *msg) {
        char *text;
        size_t size;
        int r = varlink_message_format(msg, &text, &size);
        json_decref(msg);
        if (r == -EMSGSIZE) {
                /* Replies are bounded by what we store, but say so rather
                 * than send something the client would refuse. */
                json_t *err = varlink_error_new(LOOKBACK_ERROR_MESSAGE_TOO_LARGE, NULL);
                r = err ? varlink_message_format(err, &text, &size) : -ENOMEM;
                json_decref(err);
        }
        if (r < 0)
                return r;
        r = connection_reserve(c, size);
        if (r < 0) {
                free(text);
                return r;
        }
        memcpy(c->output + c->output_size, text, size);
        free(text);
        c->output_size += size;
        return 0;
}

/* A series of replies to one call (see varlink_reply_split()). */
static int connection_queue_series(Connection *c, json_t *series) {
        size_t i;
        json_t *msg;
        int r = 0;
        json_array_foreach(series, i, msg)
                if (r >= 0)
                        r = connection_queue(c, json_incref(msg));
        json_decref(series);
        return r;
}

static int connection_rearm_timeout(Connection *c) {
        int r = sd_event_source_set_time_relative(c->timer, c->server->timeout_usec);
        if (r < 0)
                return r;
        return sd_event_source_set_enabled(c->timer, SD_EVENT_ONESHOT);
}

static int connection_dispatch(Connection *c) {
        char *msg;
        int r;

        while (!c->closing && (r = frame_buffer_pop(&c->input, &msg)) > 0) {
                json_t *reply = c->server->handler(msg, c->server->userdata);
                free(msg);
                r = json_is_array(reply) ? connection_queue_series(c, reply) : reply ? connection_queue(c, reply) : 0;
                if (r < 0)
                        return r;
                r = connection_rearm_timeout(c);
                if (r < 0)
                        return r;
        }
        if (r == -EMSGSIZE) {
                r = connection_queue(c, varlink_error_new(LOOKBACK_ERROR_MESSAGE_TOO_LARGE, NULL));
                c->closing = true;
        }
        return r < 0 ? r : connection_flush(c);
}

static int connection_read(Connection *c) {
        char buf[READ_CHUNK];
        ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (n < 0)
                return errno == EAGAIN || errno == EINTR ? 0 : -errno;
        if (n == 0)
                return -ECONNRESET;

        int r = frame_buffer_feed(&c->input, buf, (size_t) n);
        if (r == -EMSGSIZE) {
                /* The framing is lost: say why and hang up. */
                frame_buffer_done(&c->input);
                c->closing = true;
                r = connection_queue(c, varlink_error_new(LOOKBACK_ERROR_MESSAGE_TOO_LARGE, NULL));
                return r < 0 ? r : connection_flush(c);
        }
        if (r < 0)
                return r;
        return connection_dispatch(c);
}

static int on_connection_io(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Connection *c = userdata;
        int r = 0;

        if (revents & EPOLLOUT)
                r = connection_flush(c);
        if (r >= 0 && (revents & EPOLLIN))
                r = connection_read(c);
        if (r >= 0 && (revents & (EPOLLHUP | EPOLLERR)) && !(revents & EPOLLIN))
                r = -ECONNRESET;
        if (r < 0) {
                if (r != -ECONNRESET && r != -EPIPE)
                        fprintf(stderr, SD_WARNING "client (pid %d): %s, closing\n", (int) c->pid, strerror(-r));
                connection_free(c);
        }
        return 0;
}

static int on_connection_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        Connection *c = userdata;
        fprintf(stderr, SD_INFO "client (pid %d) sent no complete message in time, closing\n", (int) c->pid);
        connection_free(c);
        return 0;
}

/* The peer's credentials are read before anything else: a process of
 * another user never gets a byte parsed. */
static int peer_check(int fd, pid_t *ret_pid) {
        struct ucred cred;
        socklen_t len = sizeof(cred);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        *ret_pid = cred.pid;
        if (cred.uid != getuid()) {
                fprintf(stderr, SD_WARNING "refused a connection from uid %u (pid %d): not our user\n",
                        (unsigned) cred.uid, (int) cred.pid);
                return -EPERM;
        }
        return 0;
}

static int connection_new(Server *s, int fd) {
        Connection *c = calloc(1, sizeof(Connection));
        if (!c)
                return -ENOMEM;
        *c = (Connection){ .server = s, .fd = fd, .next = s->connections };
        if (s->connections)
                s->connections->prev = c;
        s->connections = c;
        s->n_connections++;

        int r = peer_check(fd, &c->pid);
        if (r < 0)
                goto fail;
        r = sd_event_add_io(s->event, &c->io, fd, EPOLLIN, on_connection_io, c);
        if (r < 0)
                goto fail;
        r = sd_event_add_time_relative(s->event, &c->timer, CLOCK_MONOTONIC, s->timeout_usec, 0, on_connection_timeout,
                                       c);
        if (r < 0)
                goto fail;
        return 0;
fail:
        connection_free(c); /* closes fd */
        return r;
}

static int on_accept(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Server *s = userdata;
        int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
                if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                        fprintf(stderr, SD_WARNING "accept: %m, ignoring\n");
                return 0;
        }
        if (s->n_connections >= SERVER_CONNECTIONS_MAX) {
                fprintf(stderr, SD_WARNING "%u clients connected already, refusing another\n", s->n_connections);
                close(cfd);
                return 0;
        }
        (void) connection_new(s, cfd);
        return 0;
}

static uint64_t timeout_from_env(void) {
        const char *e = getenv("LOOKBACK_CLIENT_TIMEOUT");
        unsigned sec;
        if (e && safe_atou(e, 1, 3600, &sec) >= 0)
                return sec * 1000000ULL;
        return SERVER_CLIENT_TIMEOUT_USEC;
}

int server_new(sd_event *event, int listen_fd, ServerHandler handler, void *userdata, Server **ret) {
        Server *s = calloc(1, sizeof(Server));
        if (!s)
                return -ENOMEM;
        *s = (Server){
                .event = sd_event_ref(event),
                .listen_fd = listen_fd,
                .handler = handler,
                .userdata = userdata,
                .timeout_usec = timeout_from_env(),
        };
        int r = sd_event_add_io(event, &s->listen_source, listen_fd, EPOLLIN, on_accept, s);
        if (r < 0) {
                server_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

Server *server_free(Server *s) {
        if (!s)
                return NULL;
        while (s->connections)
                connection_free(s->connections);
        sd_event_source_disable_unref(s->listen_source);
        if (s->listen_fd >= 0)
                close(s->listen_fd);
        sd_event_unref(s->event);
        free(s);
        return NULL;
}

unsigned server_connections(const Server *s) {
        return s->n_connections;
}

static int sockaddr_for(const char *path, struct sockaddr_un *sa, socklen_t *len) {
        size_t n = strlen(path);
        if (n >= sizeof(sa->sun_path))
                return -ENAMETOOLONG;
        *sa = (struct sockaddr_un){ .sun_family = AF_UNIX };
        memcpy(sa->sun_path, path, n + 1);
        *len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + n + 1);
        return 0;
}

/* Is a daemon answering on @path? Returns its pid (> 0), 0 if the file is
 * stale or absent, or a negative errno. */
static int socket_owner(const struct sockaddr_un *sa, socklen_t len) {
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (const struct sockaddr *) sa, len) < 0)
                return errno == ECONNREFUSED || errno == ENOENT ? 0 : -errno;
        struct ucred cred;
        socklen_t clen = sizeof(cred);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0)
                return -errno;
        return cred.pid > 0 ? cred.pid : 1;
}

static int already_running(int pid, char **ret_reason) {
        *ret_reason = strdup_printf("lookbackd is already running (pid %d)", pid);
        return -EADDRINUSE;
}

/* Binds and listens on a fresh name beside @path ("DIR/.lookback.sock.PID-N"),
 * mode 0600; returns the fd and the name in @tmp (a PATHS_MAX-sized buffer).
 * Our pid keeps the name apart from any other live daemon's. */
static int bind_temporary(const char *path, char *tmp, size_t size) {
        struct sockaddr_un sa;
        socklen_t len;
        const char *slash = strrchr(path, '/');
        int dir_len = slash ? (int) (slash - path) + 1 : 0;

        for (int attempt = 0; attempt < 16; attempt++) {
                snprintf(tmp, size, "%.*s.%s.%d-%d", dir_len, path, slash ? slash + 1 : path, (int) getpid(), attempt);
                int r = sockaddr_for(tmp, &sa, &len);
                if (r < 0)
                        return r;
                _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                if (fd < 0)
                        return -errno;
                mode_t old = umask(0177);
                r = bind(fd, (struct sockaddr *) &sa, len) < 0 ? -errno : 0;
                umask(old);
                if (r == -EADDRINUSE)
                        continue; /* the name is taken: draw another */
                if (r >= 0 && (chmod(tmp, 0600) < 0 || listen(fd, SOMAXCONN) < 0))
                        r = -errno;
                if (r < 0) {
                        (void) unlink(tmp);
                        return r;
                }
                return TAKE_FD(fd);
        }
        return -EADDRINUSE;
}

/* Puts the bound temporary socket at @path without ever replacing a live
 * one: RENAME_NOREPLACE fails if a name appeared meanwhile (another daemon
 * won a race, or a stale file); a stale one is removed and we try again. */
static int publish_socket(const char *tmp, const char *path, const struct sockaddr_un *sa, socklen_t len,
                          char **ret_reason) {
        int r = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
                r = rename_noreplace(tmp, path);
                if (r != -EEXIST)
                        break;
                int pid = socket_owner(sa, len);
                if (pid > 0)
                        return already_running(pid, ret_reason);
                struct stat st;
                if (lstat(path, &st) >= 0 && !S_ISSOCK(st.st_mode)) {
                        *ret_reason = strdup_printf("%s exists and is not a socket; not touching it", path);
                        return -EEXIST;
                }
                if (pid < 0) {
                        r = pid;
                        break;
                }
                if (unlink(path) < 0 && errno != ENOENT) {
                        r = -errno;
                        break;
                }
        }
        if (r >= 0)
                return 0;
        *ret_reason = strdup_printf("cannot put the socket at %s: %s", path, strerror(-r));
        return r;
}

/* Race-free: the socket is bound and set to 0600 under a temporary name,
 * and only then renamed to @path, so nobody can connect to it (or find it
 * at @path) before its mode is right. */
static int bind_path(const char *path, char **ret_reason) {
        struct sockaddr_un sa;
        socklen_t len;
        char tmp[PATHS_MAX];
        int r = sockaddr_for(path, &sa, &len);
        if (r >= 0 && strlen(path) + 16 >= sizeof(sa.sun_path))
                r = -ENAMETOOLONG; /* room for the temporary name's ".PID-N" */
        if (r < 0) {
                *ret_reason = strdup_printf("socket path %s is too long", path);
                return r;
        }
        struct stat st;
        if (lstat(path, &st) >= 0 && !S_ISSOCK(st.st_mode)) {
                /* Only a stale socket may be replaced, never someone's file. */
                *ret_reason = strdup_printf("%s exists and is not a socket; not touching it", path);
                return -EEXIST;
        }
        int pid = socket_owner(&sa, len);
        if (pid > 0)
                return already_running(pid, ret_reason);

        _cleanup_close_ int fd = bind_temporary(path, tmp, sizeof(tmp));
        if (fd < 0) {
                *ret_reason = strdup_printf("cannot listen on %s: %s", path, strerror(-fd));
                return fd;
        }
        r = publish_socket(tmp, path, &sa, len, ret_reason);
        if (r < 0) {
                (void) unlink(tmp);
                return r;
        }
        return TAKE_FD(fd);
}

int server_listen(const char *path, bool *ret_activated, char **ret_reason) {
        int n = sd_listen_fds(true);
        *ret_activated = false;
        *ret_reason = NULL;
        if (n < 0) {
                *ret_reason = strdup_printf("cannot read passed sockets: %s", strerror(-n));
                return n;
        }
        if (n > 1) {
                *ret_reason = strdup_printf("expected one socket from systemd, got %d", n);
                return -EINVAL;
        }
        if (n == 1) {
                int fd = SD_LISTEN_FDS_START;
                if (sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) <= 0) {
                        *ret_reason = strdup("the socket passed by systemd is not a listening Unix stream socket");
                        return -EINVAL;
                }
                (void) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
                *ret_activated = true;
                return fd;
        }
        return bind_path(path, ret_reason);
}
