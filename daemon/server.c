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

#include "clock.h"
#include "log.h"
#include "paths.h"
#include "protocol.h"
#include "util.h"

#define READ_CHUNK (64 * 1024)
/* Lines a peer can provoke: a few, then a count. */
#define LOG_INTERVAL_USEC (30 * 1000000ULL)
#define LOG_BURST         5

typedef struct Connection Connection;

/* One ratelimit per kind of line a peer can provoke. */
typedef struct {
        LogRatelimit refused;
        LogRatelimit evicted;
        LogRatelimit dropped;
        LogRatelimit accept;
} ServerLogLimits;

struct Server {
        sd_event *event;
        int listen_fd;
        sd_event_source *listen_source;
        sd_event_source *accept_backoff;
        ServerHandler handler;
        void *userdata;
        uint64_t timeout_usec;
        Connection *connections;
        unsigned n_connections;
        size_t output_total; /* unsent bytes, all connections */
        size_t held_total;   /* bytes the pending series hold */
        ServerLogLimits limits;
};

struct Connection {
        Server *server;
        int fd;
        pid_t pid;
        sd_event_source *io;
        sd_event_source *timer;
        FrameBuffer input;
        /* Queued replies: bytes [output_start, output_size) are still to send.
         * An offset, not a memmove per send. */
        char *output;
        size_t output_start;
        size_t output_size;
        size_t output_allocated;
        /* A reply going out as a series, one message per drain. */
        VarlinkSeries *series;
        size_t series_held;
        uint64_t last_active_usec;   /* a message in, or the queue drained */
        uint64_t partial_since_usec; /* when a half-message began waiting, or 0 */
        bool more;                   /* calls buffered, or a series, left for the next round */
        bool closing;                /* flush what is queued, then close */
        Connection *prev, *next;
};

static uint64_t server_now(Server *s) {
        uint64_t now = 0;
        (void) clock_monotonic(s->event, &now);
        return now;
}

static size_t connection_pending(const Connection *c) {
        return c->output_size - c->output_start;
}

static void connection_drop_series(Connection *c) {
        c->series = varlink_series_free(c->series);
        c->server->held_total -= c->series_held;
        c->series_held = 0;
}

static void connection_free(Connection *c) {
        Server *s = c->server;
        if (c->prev)
                c->prev->next = c->next;
        else
                s->connections = c->next;
        if (c->next)
                c->next->prev = c->prev;
        s->n_connections--;
        s->output_total -= connection_pending(c);
        connection_drop_series(c);
        sd_event_source_disable_unref(c->io);
        sd_event_source_disable_unref(c->timer);
        frame_buffer_done(&c->input);
        free(c->output);
        close(c->fd);
        free(c);
}

/* Neither reading nor writing anything: a connection that may be closed
 * to make room without losing a request. */
static bool connection_is_idle(const Connection *c) {
        return !c->closing && !c->series && !c->more && connection_pending(c) == 0 && !frame_buffer_partial(&c->input);
}

/* Waiting for the rest of a message, with nothing to send. */
static bool connection_is_stalled(const Connection *c) {
        return !c->closing && !c->series && !c->more && connection_pending(c) == 0 && c->partial_since_usec > 0;
}

static int connection_update_events(Connection *c) {
        /* Stop reading while replies are queued: a client that does not
         * read cannot make us buffer without bound. */
        bool writing = connection_pending(c) > 0 || c->series || c->more;
        uint32_t events = writing ? EPOLLOUT : (c->closing ? 0 : EPOLLIN);
        return sd_event_source_set_io_events(c->io, events);
}

static int connection_rearm_timeout(Connection *c) {
        c->last_active_usec = server_now(c->server);
        int r = sd_event_source_set_time_relative(c->timer, c->server->timeout_usec);
        if (r < 0)
                return r;
        return sd_event_source_set_enabled(c->timer, SD_EVENT_ONESHOT);
}

/* Sends what the socket takes. A queue that drains counts as activity:
 * a slow but steady reader of a long series is not timed out. */
static int connection_send(Connection *c) {
        size_t before = connection_pending(c);
        while (connection_pending(c) > 0) {
                ssize_t n =
                        send(c->fd, c->output + c->output_start, connection_pending(c), MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                break;
                        return -errno;
                }
                c->output_start += (size_t) n;
                c->server->output_total -= (size_t) n;
        }
        if (connection_pending(c) > 0)
                return 0;
        c->output_start = c->output_size = 0;
        return before > 0 ? connection_rearm_timeout(c) : 0;
}

/* Room for @size more bytes: what was sent is dropped first, then the
 * buffer grows geometrically. */
static int connection_reserve(Connection *c, size_t size) {
        if (c->output_start > 0) {
                memmove(c->output, c->output + c->output_start, connection_pending(c));
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

/* Queues one formatted message; takes @text. */
static int connection_queue_text(Connection *c, char *text, size_t size) {
        int r = connection_reserve(c, size);
        if (r >= 0) {
                memcpy(c->output + c->output_size, text, size);
                c->output_size += size;
                c->server->output_total += size;
        }
        free(text);
        return r;
}

static json_t *busy_error(const char *reason) {
        /* LOOKBACK_BUSY_OUTPUT or why the connection is turned away. */
        return varlink_error_new(LOOKBACK_ERROR_BUSY, json_pack("{s:s}", "reason", reason));
}

static bool server_over_budget(const Server *s, size_t more) {
        return s->output_total + s->held_total + more > SERVER_OUTPUT_TOTAL_MAX;
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
        if (size > SERVER_OUTPUT_LOW && server_over_budget(c->server, size)) {
                /* Slow readers hold the budget: a small error, not more. */
                free(text);
                json_t *err = busy_error(LOOKBACK_BUSY_OUTPUT);
                r = err ? varlink_message_format(err, &text, &size) : -ENOMEM;
                json_decref(err);
                if (r < 0)
                        return r;
        }
        return connection_queue_text(c, text, size);
}

/* Takes @series for the connection, if the budget has room for what it holds. */
static int connection_start_series(Connection *c, VarlinkSeries *series) {
        size_t held = varlink_series_held(series);
        if (held > SERVER_OUTPUT_LOW && c->server->held_total > 0 && server_over_budget(c->server, held)) {
                varlink_series_free(series);
                return connection_queue(c, busy_error(LOOKBACK_BUSY_OUTPUT));
        }
        c->series = series;
        c->series_held = held;
        c->server->held_total += held;
        return 0;
}

/* The series' next message; when it is done, the series goes. 1 either way. */
static int connection_series_next(Connection *c) {
        char *text;
        size_t size;
        int r = varlink_series_next(c->series, &text, &size);
        if (r < 0)
                return r;
        if (r == 0) {
                connection_drop_series(c);
                return 1;
        }
        r = connection_queue_text(c, text, size);
        return r < 0 ? r : 1;
}

/* Handles the next buffered message: 1, 0 when none is complete, or a
 * negative errno. */
static int connection_dispatch_one(Connection *c) {
        VarlinkSeries *series = NULL;
        char *msg;
        int r = frame_buffer_pop(&c->input, &msg);
        if (r == -EMSGSIZE) {
                c->closing = true;
                r = connection_queue(c, varlink_error_new(LOOKBACK_ERROR_MESSAGE_TOO_LARGE, NULL));
                return r < 0 ? r : 1;
        }
        if (r <= 0)
                return r;
        bool busy = server_over_budget(c->server, SERVER_OUTPUT_TOTAL_MAX / 2);
        json_t *reply = c->server->handler(msg, c->server->userdata, busy, &series);
        free(msg);
        r = reply ? connection_queue(c, reply) : series ? connection_start_series(c, series) : 0;
        if (r < 0)
                return r;
        r = connection_rearm_timeout(c);
        return r < 0 ? r : 1;
}

/* Formats the next reply: from the series under way, else for the next
 * buffered call. 1 if there was something to do, 0 if not. */
static int connection_produce(Connection *c) {
        if (c->series)
                return connection_series_next(c);
        if (c->closing)
                return 0;
        return connection_dispatch_one(c);
}

/* Produces replies while the queue is below the low-water mark, then
 * sends them. Memory per connection stays at about one message, however
 * long the series or however many calls were pipelined. One round per
 * event: with work left, the connection waits to be writable again, so
 * the loop serves other clients in between and a fast reader of 10,000
 * pipelined calls does not hold up everyone's status. */
static int connection_pump(Connection *c) {
        int r = 0;
        while (connection_pending(c) < SERVER_OUTPUT_LOW && (r = connection_produce(c)) > 0)
                ;
        if (r < 0)
                return r;
        c->more = connection_pending(c) >= SERVER_OUTPUT_LOW;
        /* Unless calls wait their turn, what is left in the input is the
         * start of a message: from now on it is waiting for its end. */
        if (c->more || !frame_buffer_partial(&c->input))
                c->partial_since_usec = 0;
        else if (c->partial_since_usec == 0)
                c->partial_since_usec = server_now(c->server);
        r = connection_send(c);
        if (r < 0)
                return r;
        if (c->closing && connection_pending(c) == 0 && !c->series)
                return -ECONNRESET;
        return connection_update_events(c);
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
        }
        return r < 0 ? r : connection_pump(c);
}

static int on_connection_io(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Connection *c = userdata;
        Server *s = c->server;
        int r = 0;

        if (revents & EPOLLOUT)
                r = connection_pump(c);
        if (r >= 0 && (revents & EPOLLIN))
                r = connection_read(c);
        if (r >= 0 && (revents & (EPOLLHUP | EPOLLERR)) && !(revents & EPOLLIN))
                r = -ECONNRESET;
        if (r < 0) {
                if (r != -ECONNRESET && r != -EPIPE)
                        log_ratelimited(&s->limits.dropped, server_now(s), SD_WARNING, r,
                                        "client (pid %d): %m, closing", (int) c->pid);
                connection_free(c);
        }
        return 0;
}

static int on_connection_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        Connection *c = userdata;
        Server *s = c->server;
        if (connection_pending(c) > 0 || c->series)
                log_ratelimited(&s->limits.dropped, usec, SD_INFO, 0,
                                "client (pid %d) did not read its replies in time, closing", (int) c->pid);
        else
                log_ratelimited(&s->limits.dropped, usec, SD_INFO, 0,
                                "client (pid %d) sent no complete message in time, closing", (int) c->pid);
        connection_free(c);
        return 0;
}

/* The peer's credentials are read before anything else: a process of
 * another user never gets a byte parsed. */
static int peer_check(Server *s, int fd, pid_t *ret_pid) {
        struct ucred cred;
        socklen_t len = sizeof(cred);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        *ret_pid = cred.pid;
        if (cred.uid != getuid())
                return log_ratelimited(&s->limits.refused, server_now(s), SD_WARNING, -EPERM,
                                       "refused a connection from uid %u (pid %d): not our user", (unsigned) cred.uid,
                                       (int) cred.pid);
        return 0;
}

static int connection_new(Server *s, int fd, pid_t pid) {
        Connection *c = calloc(1, sizeof(Connection));
        if (!c) {
                close(fd);
                return -ENOMEM;
        }
        *c = (Connection){ .server = s, .fd = fd, .pid = pid, .next = s->connections };
        if (s->connections)
                s->connections->prev = c;
        s->connections = c;
        s->n_connections++;

        int r = sd_event_add_io(s->event, &c->io, fd, EPOLLIN, on_connection_io, c);
        if (r < 0)
                goto fail;
        r = sd_event_add_time_relative(s->event, &c->timer, CLOCK_MONOTONIC, s->timeout_usec, 0, on_connection_timeout,
                                       c);
        if (r < 0)
                goto fail;
        c->last_active_usec = server_now(s);
        return 0;
fail:
        connection_free(c); /* closes fd */
        return r;
}

static unsigned server_connections_of(const Server *s, pid_t pid) {
        unsigned n = 0;
        for (const Connection *c = s->connections; c; c = c->next)
                n += c->pid == pid;
        return n;
}

/* The connection to close for room: the longest idle; else the one whose
 * half-message has waited longest, for a client writes a call in one go
 * and one dripping a byte now and then must not hold a slot either; NULL
 * if every one has a reply under way. */
static Connection *server_eviction_candidate(Server *s) {
        Connection *idle = NULL, *stalled = NULL;
        for (Connection *c = s->connections; c; c = c->next) {
                if (connection_is_idle(c) && (!idle || c->last_active_usec < idle->last_active_usec))
                        idle = c;
                else if (connection_is_stalled(c) && (!stalled || c->partial_since_usec < stalled->partial_since_usec))
                        stalled = c;
        }
        return idle ? idle : stalled;
}

/* Tells a client we turn away why, so it does not report the daemon as
 * not running. One small frame into an empty socket buffer: it fits. */
static void refuse_busy(Server *s, int fd, pid_t pid, const char *reason) {
        char *text;
        size_t size;
        json_t *err = busy_error(reason);
        if (err && varlink_message_format(err, &text, &size) >= 0) {
                (void) send(fd, text, size, MSG_DONTWAIT | MSG_NOSIGNAL);
                free(text);
        }
        json_decref(err);
        log_ratelimited(&s->limits.refused, server_now(s), SD_WARNING, 0, "refused a client (pid %d): %s", (int) pid,
                        reason);
        close(fd);
}

/* Makes room for a client of @pid, or says why there is none (NULL: room). */
static const char *server_make_room(Server *s, pid_t pid) {
        if (server_connections_of(s, pid) >= SERVER_CONNECTIONS_PER_PID_MAX)
                return "too many connections from this process";
        if (s->n_connections < SERVER_CONNECTIONS_MAX)
                return NULL;
        Connection *victim = server_eviction_candidate(s);
        if (!victim)
                return "too many clients with replies under way";
        log_ratelimited(&s->limits.evicted, server_now(s), SD_INFO, 0,
                        "%u clients connected; closing the longest %s one (pid %d) to make room", s->n_connections,
                        connection_is_idle(victim) ? "idle" : "stalled", (int) victim->pid);
        connection_free(victim);
        return NULL;
}

static int on_accept_backoff_done(sd_event_source *source, uint64_t usec, void *userdata) {
        Server *s = userdata;
        (void) sd_event_source_set_enabled(s->listen_source, SD_EVENT_ON);
        return 0;
}

/* Out of file descriptors: the listening socket stays readable, so stop
 * watching it for a moment instead of spinning. */
static void server_accept_backoff(Server *s, int error) {
        uint64_t now = server_now(s);
        log_ratelimited(&s->limits.accept, now, SD_WARNING, -error, "accept: %m; not accepting clients for %llu ms",
                        SERVER_ACCEPT_BACKOFF_USEC / 1000);
        (void) sd_event_source_set_enabled(s->listen_source, SD_EVENT_OFF);
        int r = s->accept_backoff ? sd_event_source_set_time(s->accept_backoff, now + SERVER_ACCEPT_BACKOFF_USEC)
                                  : sd_event_add_time(s->event, &s->accept_backoff, CLOCK_MONOTONIC,
                                                      now + SERVER_ACCEPT_BACKOFF_USEC, 0, on_accept_backoff_done, s);
        if (r >= 0)
                r = sd_event_source_set_enabled(s->accept_backoff, SD_EVENT_ONESHOT);
        if (r < 0)
                (void) sd_event_source_set_enabled(s->listen_source, SD_EVENT_ON); /* spinning beats deafness */
}

static int on_accept(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Server *s = userdata;
        pid_t pid = 0;
        int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                        server_accept_backoff(s, errno);
                else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                        log_ratelimited(&s->limits.accept, server_now(s), SD_WARNING, -errno, "accept: %m, ignoring");
                return 0;
        }
        if (peer_check(s, cfd, &pid) < 0) {
                close(cfd);
                return 0;
        }
        const char *busy = server_make_room(s, pid);
        if (busy)
                refuse_busy(s, cfd, pid, busy);
        else
                (void) connection_new(s, cfd, pid);
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
                .limits = {
                        .refused = LOG_RATELIMIT_INIT(LOG_INTERVAL_USEC, LOG_BURST),
                        .evicted = LOG_RATELIMIT_INIT(LOG_INTERVAL_USEC, LOG_BURST),
                        .dropped = LOG_RATELIMIT_INIT(LOG_INTERVAL_USEC, LOG_BURST),
                        /* Out of descriptors lasts: say it once per interval. */
                        .accept = LOG_RATELIMIT_INIT(LOG_INTERVAL_USEC, 1),
                },
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
        sd_event_source_disable_unref(s->accept_backoff);
        log_ratelimit_flush(&s->limits.refused);
        log_ratelimit_flush(&s->limits.evicted);
        log_ratelimit_flush(&s->limits.dropped);
        log_ratelimit_flush(&s->limits.accept);
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
