#include "client.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "protocol.h"
#include "search-print.h"
#include "util.h"

/* How long to wait for a reply. Writes are acknowledged after an fsync, so
 * allow for a slow disk, but never hang forever. */
#define CLIENT_REPLY_TIMEOUT_SEC 60

static char *socket_path;
static char *socket_reason; /* why there is no socket path, or why we refused it */

int client_error(int code, const char *fmt, ...) {
        va_list ap;
        fputs("lookback: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        return code;
}

void client_print_unreachable(int r) {
        if (!socket_path || socket_reason) {
                /* No path at all, or one we refused: say why, not ENXIO. */
                client_error(0, "%s", socket_reason ? socket_reason : strerror(-r));
                return;
        }
        client_error(0, "cannot reach lookbackd at %s: %s", socket_path, strerror(-r));
        /* It accepted us, so it runs: starting it is not the advice. */
        if (r == -ETIMEDOUT)
                fprintf(stderr,
                        "It runs, but did not answer within %d s; its log says why: "
                        "journalctl --user -u lookback\n",
                        CLIENT_REPLY_TIMEOUT_SEC);
        else if (r == -ECONNRESET || r == -EPIPE)
                fprintf(stderr, "It runs, but hung up before answering; its log says why: "
                                "journalctl --user -u lookback\n");
        else
                fprintf(stderr, "Start it with 'systemctl --user start lookback.socket', or run 'lookbackd'.\n");
}

/* A socket we will not talk to: the reason replaces "cannot reach" and
 * its advice to start the daemon, which would be wrong here. */
static int refuse_socket(int r, char *reason) {
        free(socket_reason);
        socket_reason = reason;
        return r;
}

static int server_is_ours(int fd) {
        struct ucred cred;
        socklen_t len = sizeof(cred);

        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        if (cred.uid == getuid())
                return 0;
        return refuse_socket(-EPERM,
                             strdup_printf("refusing to talk to %s: it is served by uid %u (pid %d), not by "
                                           "you (uid %u); nothing was sent",
                                           socket_path, (unsigned) cred.uid, (int) cred.pid, (unsigned) getuid()));
}

static int client_connect(void) {
        _cleanup_free_ char *reason = NULL;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        struct timeval tv = { .tv_sec = CLIENT_REPLY_TIMEOUT_SEC };

        int r = refuse_socket(0, NULL); /* forget an earlier attempt's reason */
        if (!socket_path) {
                r = paths_socket(&socket_path, &reason);
                if (r < 0)
                        return refuse_socket(r, TAKE_PTR(reason));
        }
        if (strlen(socket_path) >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, socket_path);
        r = paths_check_socket_dir(socket_path, &reason);
        /* A directory that is not there yet: no daemon, not an impostor. */
        if (r == -ENOENT)
                return r;
        if (r < 0)
                return refuse_socket(r, TAKE_PTR(reason));
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return -errno;
        /* Checked before the first byte goes out: whoever could swap the
         * directory between the check above and connect() still cannot
         * pass for us. */
        r = server_is_ours(fd);
        if (r < 0)
                return r;
        (void) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        (void) setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        return TAKE_FD(fd);
}

static int send_all(int fd, const char *data, size_t size) {
        while (size > 0) {
                ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                data += n;
                size -= (size_t) n;
        }
        return 0;
}

/* Reads the next message; @b keeps what arrived beyond it for the next. */
static int receive_message(int fd, FrameBuffer *b, char **ret) {
        char buf[64 * 1024];
        int r;
        while ((r = frame_buffer_pop(b, ret)) == 0) {
                ssize_t n = recv(fd, buf, sizeof(buf), 0);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n == 0 ? -ECONNRESET : errno == EAGAIN ? -ETIMEDOUT : -errno;
                r = frame_buffer_feed(b, buf, (size_t) n);
                if (r < 0)
                        return r;
        }
        return r < 0 ? r : 0;
}

/* Joins the rest of a series of replies into the first. */
static int receive_continued(int fd, FrameBuffer *b, ClientReply *ret) {
        json_t *mores = json_array();
        bool more = json_is_true(json_object_get(ret->root, "continues"));
        int r = mores ? 0 : -ENOMEM;
        while (r >= 0 && !ret->error && more) {
                _cleanup_free_ char *in = NULL;
                r = receive_message(fd, b, &in);
                if (r < 0)
                        break;
                json_t *next = json_loads(in, 0, NULL);
                json_t *params = json_object_get(next, "parameters");
                if (!next || !json_is_object(params))
                        r = -EBADMSG;
                else
                        json_array_append(mores, params);
                more = json_is_true(json_object_get(next, "continues"));
                json_decref(next);
        }
        if (r >= 0 && json_array_size(mores) > 0)
                r = varlink_reply_merge(ret->parameters, mores);
        json_object_del(ret->root, "continues");
        json_decref(mores);
        return r;
}

/* The methods that write: each carries this invocation's idempotency key
 * (tests/check-interface.sh holds this list to the daemon's tables). */
static const char *const writing_methods[] = {
        "io.lookback.Answer", "io.lookback.Done",    "io.lookback.Skip",    "io.lookback.Pause",
        "io.lookback.Resume", "io.lookback.GoalAdd", "io.lookback.GoalSet", "io.lookback.Remind",
        "io.lookback.Snooze", "io.lookback.Import",  "io.lookback.Forget",
};

static char request_id[REQUEST_KEY_MAX + 1];
static char **invocation_argv; /* for the resend line */
static bool retried;           /* the last call's first try lost its connection */
static bool call_sent;         /* the last call's request left us */

static bool method_writes(const char *method) {
        for (size_t i = 0; i < ELEMENTSOF(writing_methods); i++)
                if (streq(writing_methods[i], method))
                        return true;
        return false;
}

int client_set_request_id(const char *id) {
        if (!request_key_valid(id))
                return -EINVAL;
        memcpy(request_id, id, strlen(id) + 1);
        return 0;
}

const char *client_request_id(void) {
        if (!request_id[0]) {
                uint8_t b[16];
                /* A random (version 4) UUID; without entropy, the time and
                 * pid still tell this write from others. */
                if (getrandom(b, sizeof(b), 0) != sizeof(b)) {
                        struct timespec ts;
                        clock_gettime(CLOCK_REALTIME, &ts);
                        uint64_t t = (uint64_t) ts.tv_sec * 1000000000ULL + (uint64_t) ts.tv_nsec;
                        memcpy(b, &t, 8);
                        uint64_t p = (uint64_t) getpid();
                        memcpy(b + 8, &p, 8);
                }
                b[6] = (b[6] & 0x0f) | 0x40;
                b[8] = (b[8] & 0x3f) | 0x80;
                snprintf(request_id, sizeof(request_id),
                         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
                         b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
        }
        return request_id;
}

void client_set_argv(char **argv) {
        invocation_argv = argv;
}

/* One try: connect, send @out, read the reply (or series). *ret_sent says
 * whether the request left us, so a failure may have been done anyway. */
static int call_once(const char *out, size_t size, ClientReply *ret, bool *ret_sent) {
        _cleanup_free_ char *in = NULL;
        *ret_sent = false;
        _cleanup_close_ int fd = client_connect();
        if (fd < 0)
                return fd;
        *ret_sent = true;
        /* A daemon that turned us away (busy) wrote why before it hung
         * up: read that even when the send failed. */
        int send_r = send_all(fd, out, size);
        if (send_r < 0 && send_r != -EPIPE && send_r != -ECONNRESET)
                return send_r;
        FrameBuffer b = {};
        int r = receive_message(fd, &b, &in);
        if (r < 0) {
                r = send_r < 0 ? send_r : r;
                goto finish;
        }
        *ret = (ClientReply){ .root = json_loads(in, 0, NULL) };
        if (!ret->root || varlink_reply_parse(ret->root, &ret->error, &ret->parameters) < 0)
                r = -EBADMSG;
        else
                r = receive_continued(fd, &b, ret);
        if (r < 0)
                client_reply_done(ret);
finish:
        frame_buffer_done(&b);
        if (r < 0)
                return r;
        if (!ret->parameters) {
                ret->parameters = json_object();
                json_object_set_new(ret->root, "parameters", ret->parameters);
        }
        return 0;
}

/* The connection went away after the request left: the daemon was killed,
 * or restarted. Nothing else (a refused connect, a timeout, nonsense) is
 * worth a second try. Only writes are tried again: they are what a lost
 * reply leaves in doubt; a read just says the daemon is gone. */
static bool worth_retry(int r) {
        return r == -ECONNRESET || r == -EPIPE;
}

/* Shell-quoted, for a line to paste. */
static void print_quoted(const char *arg) {
        if (arg[0] &&
            strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./=:@,+") == strlen(arg)) {
                fputs(arg, stderr);
                return;
        }
        fputc('\'', stderr);
        for (const char *p = arg; *p; p++)
                fputs(*p == '\'' ? "'\\''" : (char[]){ *p, 0 }, stderr);
        fputc('\'', stderr);
}

void client_print_unsure(int r) {
        client_error(0, "lookbackd went away before it answered (%s); this may or may not have been recorded",
                     strerror(-r));
        if (!invocation_argv)
                return;
        fprintf(stderr, "%slookback --request-id %s", CLIENT_RESEND_UNSURE, client_request_id());
        for (char **a = invocation_argv; *a; a++) {
                fputc(' ', stderr);
                print_quoted(*a);
        }
        fputc('\n', stderr);
}

int client_call(const char *method, json_t *parameters, bool quiet, ClientReply *ret) {
        _cleanup_free_ char *out = NULL;
        size_t size;
        /* A dry run writes nothing: it needs no key, and must not use up
         * the one the real call after it carries. */
        bool writes = method_writes(method) && !json_is_true(json_object_get(parameters, "dry_run")), sent;
        if (writes) {
                if (!parameters)
                        parameters = json_object();
                json_object_set_new(parameters, "idempotency_key", json_string(client_request_id()));
        }
        json_t *msg = varlink_call_new(method, parameters);
        if (!msg)
                return -ENOMEM;
        /* We take a series of replies: large logs and reports come that way. */
        json_object_set_new(msg, "more", json_true());
        int r = varlink_message_format(msg, &out, &size);
        json_decref(msg);
        if (r < 0)
                return r;

        retried = false;
        r = call_once(out, size, ret, &sent);
        if (r < 0 && sent && writes && worth_retry(r)) {
                /* Safe for a write too: the key makes a second try of one
                 * already done a replay. A moment lets a restart finish. */
                retried = true;
                (void) usleep(300 * 1000);
                r = call_once(out, size, ret, &sent);
        }
        call_sent = writes && (sent || retried); /* a first try's request may have been done */
        if (r >= 0 && retried && writes && !ret->error)
                fprintf(stderr, "lookback: recorded (after a retry: the first connection was lost)\n");
        if (r < 0 && !quiet) {
                if (call_sent && writes)
                        client_print_unsure(r);
                else
                        client_print_unreachable(r);
        }
        return r;
}

bool client_call_sent(void) {
        return call_sent;
}

void client_reply_done(ClientReply *r) {
        json_decref(r->root);
        *r = (ClientReply){};
}

const char *client_json_str(json_t *o, const char *key, const char *fallback) {
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : fallback;
}

static const char *param(const ClientReply *r, const char *name) {
        return client_json_str(r->parameters, name, "?");
}

/* The query comes back with SQLite's reason, which may quote it: both are
 * shown on one line, control characters as spaces. */
static int print_invalid_query(const ClientReply *r) {
        _cleanup_free_ char *query = text_sanitize(param(r, "query"), TEXT_ONE_LINE);
        _cleanup_free_ char *reason = text_sanitize(param(r, "reason"), TEXT_ONE_LINE);
        return client_error(1, "cannot search for '%s': %s", query ? query : "?", reason ? reason : "?");
}

/* The free-text parameters are refused only for their length (the client
 * sends them as valid UTF-8 strings), so the limit is said as people
 * count: in characters, not only in bytes. */
static int print_invalid_parameter(const char *name) {
        char limit[TEXT_LIMIT_DESCRIBE_MAX];
        if (streq(name, "note") || streq(name, "reason") || streq(name, "text"))
                return client_error(1, "lookbackd refused the %s: it may be %s; nothing recorded",
                                    streq(name, "text") ? "goal's text" : name,
                                    text_limit_describe(NOTE_MAX, limit, sizeof(limit)));
        return client_error(1, "lookbackd refused the value of '%s'", name);
}

/* "cannot import FILE (line 3, column 7): reason", and that nothing changed. */
static int print_import_refused(json_t *p) {
        json_int_t line = json_integer_value(json_object_get(p, "line"));
        const char *at = client_json_str(p, "at", NULL);
        fprintf(stderr, "lookback: cannot import %s", client_json_str(p, "file", "the file"));
        if (line > 0)
                fprintf(stderr, " (line %lld, column %lld)", (long long) line,
                        (long long) json_integer_value(json_object_get(p, "column")));
        if (at)
                fprintf(stderr, " (at %s)", at);
        fprintf(stderr, ": %s\nNothing was changed.\n", client_json_str(p, "reason", "refused"));
        return 1;
}

int client_print_error(const ClientReply *r) {
        const char *e = r->error;
        if (streq(e, LOOKBACK_ERROR_BUSY))
                return client_error(EXIT_UNAVAILABLE, "lookbackd is busy (%s); try again in a moment",
                                    param(r, "reason"));
        if (streq(e, LOOKBACK_ERROR_UNKNOWN_HABIT)) {
                client_error(0, "unknown habit '%s'", param(r, "habit"));
                fprintf(stderr, "Known habits:");
                size_t i;
                json_t *h;
                json_array_foreach(json_object_get(r->parameters, "known"), i, h)
                        fprintf(stderr, "%s %s", i ? "," : "", json_string_value(h));
                fprintf(stderr, "\nAdd a [habit \"NAME\"] section to lookback.ini to track a new one.\n");
                return 1;
        }
        if (streq(e, LOOKBACK_ERROR_HABIT_IS_REVIEW))
                return client_error(1, "%s is checked in by answering the review: run 'lookback answer %s'",
                                    param(r, "habit"), param(r, "kind"));
        if (streq(e, LOOKBACK_ERROR_FUTURE_DATE))
                return client_error(1, "%s is in the future; only today and earlier days can be recorded",
                                    param(r, "date"));
        if (streq(e, LOOKBACK_ERROR_IMPORT_REFUSED))
                return print_import_refused(r->parameters);
        if (streq(e, LOOKBACK_ERROR_NO_SUCH_RECORD))
                return client_error(1,
                                    "no record's id starts with '%s' (ids are in 'lookback log', 'history' "
                                    "and 'goal list')",
                                    param(r, "id"));
        if (streq(e, LOOKBACK_ERROR_AMBIGUOUS_RECORD))
                return client_error(1, "several records' ids start with '%s'; give more of it", param(r, "id"));
        if (streq(e, LOOKBACK_ERROR_NOTHING_PENDING))
                return client_error(1, "no review prompt is pending; nothing to snooze");
        if (streq(e, LOOKBACK_ERROR_ALREADY_ANSWERED))
                return client_error(1, "the %s for %s - %s is answered already; an answered period is not skipped",
                                    review_title(param(r, "kind")), param(r, "period_start"), param(r, "period_end"));
        if (streq(e, LOOKBACK_ERROR_ALREADY_PAUSED))
                return client_error(1, "%s is already paused since %s; 'lookback resume %s' first", param(r, "habit"),
                                    param(r, "since"), param(r, "habit"));
        if (streq(e, LOOKBACK_ERROR_NOT_PAUSED) && json_is_string(json_object_get(r->parameters, "planned_from")))
                return client_error(1, "%s is not paused yet (a pause is planned from %s)", param(r, "habit"),
                                    param(r, "planned_from"));
        if (streq(e, LOOKBACK_ERROR_NOT_PAUSED))
                return client_error(1, "%s is not paused", param(r, "habit"));
        if (streq(e, LOOKBACK_ERROR_NO_SUCH_GOAL))
                return client_error(1, "no goal has an id starting with '%s' (lookback goal list --all)",
                                    param(r, "id"));
        if (streq(e, LOOKBACK_ERROR_AMBIGUOUS_GOAL))
                return client_error(1, "several goals have ids starting with '%s'; give more of it", param(r, "id"));
        if (streq(e, LOOKBACK_ERROR_INVALID_QUERY))
                return print_invalid_query(r);
        if (streq(e, LOOKBACK_ERROR_FILE_EXISTS))
                return client_error(1, "%s exists already; pass --force to replace it", param(r, "path"));
        if (streq(e, LOOKBACK_ERROR_FILE_ERROR))
                return client_error(1, "%s: %s", param(r, "path"), param(r, "reason"));
        if (streq(e, LOOKBACK_ERROR_BAD_DATABASE))
                return client_error(1, "%s cannot be restored: %s; nothing was changed", param(r, "path"),
                                    param(r, "reason"));
        if (streq(e, LOOKBACK_ERROR_EMPTY_ANSWER))
                return client_error(1, "aborted, nothing recorded (every answer was empty)");
        if (streq(e, VARLINK_ERROR_INVALID_PARAMETER))
                return print_invalid_parameter(param(r, "parameter"));
        if (streq(e, LOOKBACK_ERROR_REQUEST_REUSED)) {
                client_error(0,
                             "request id %s was used on %s for a different %s; that one was done, this one was "
                             "not",
                             param(r, "idempotency_key"), param(r, "recorded"), param(r, "method"));
                if (streq(param(r, "method"), "io.lookback.Answer"))
                        fprintf(stderr, "A draft changed after it was sent: delete its '# request-id:' line to "
                                        "record it as a new version.\n");
                return 1;
        }
        if (streq(e, LOOKBACK_ERROR_DATABASE_DAMAGED) && json_is_string(json_object_get(r->parameters, "backup")))
                return client_error(1,
                                    "the database %s is damaged (%s); lookbackd records nothing more in it and serves "
                                    "only what it can still read. The newest good snapshot is %s: "
                                    "'lookback restore %s' puts it back",
                                    param(r, "database"), param(r, "reason"), param(r, "backup"), param(r, "backup"));
        if (streq(e, LOOKBACK_ERROR_DATABASE_DAMAGED))
                return client_error(1,
                                    "the database %s is damaged (%s); lookbackd records nothing more in it and serves "
                                    "only what it can still read. No good snapshot was found: restore a backup of "
                                    "your own with 'lookback restore FILE'",
                                    param(r, "database"), param(r, "reason"));
        if (streq(e, LOOKBACK_ERROR_INTERNAL))
                return client_error(1, "lookbackd failed: %s (its log says more: journalctl --user -u lookback)",
                                    param(r, "message"));
        if (streq(e, LOOKBACK_ERROR_PAUSE_OVERLAPS))
                return client_error(1, "%s has a pause from %s%s%s already; pauses may not overlap", param(r, "habit"),
                                    param(r, "from"),
                                    json_is_string(json_object_get(r->parameters, "to")) ? " to " : "",
                                    json_is_string(json_object_get(r->parameters, "to")) ? param(r, "to") : " on");
        if (streq(e, VARLINK_ERROR_METHOD_NOT_FOUND))
                return client_error(1, "lookbackd does not know %s; is it older than this client?", param(r, "method"));
        return client_error(1, "lookbackd answered with error %s", e);
}

int client_print_json(json_t *parameters) {
        json_dumpf(parameters, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
        return 0;
}

int client_range_option(const ClientContext *ctx, int opt, const char *arg, bool past, DateRange *r) {
        char *buf = opt == 'f' ? r->from_buf : r->to_buf;
        if ((past ? client_parse_past_date(ctx, arg, buf) : client_parse_date(ctx, arg, buf)) < 0)
                return EXIT_USAGE;
        *(opt == 'f' ? &r->from : &r->to) = buf;
        return 0;
}

int client_parse_past_date(const ClientContext *ctx, const char *text, char ret[static DATE_STR_MAX]) {
        int r = client_parse_date(ctx, text, ret);
        day_t day;
        if (r >= 0 && date_parse(ret, ctx->today, &day) >= 0 && day > ctx->today) {
                client_error(0, "%s is in the future; only today and earlier days can be recorded", ret);
                return -EINVAL;
        }
        return r;
}

int client_parse_date(const ClientContext *ctx, const char *text, char ret[static DATE_STR_MAX]) {
        day_t day;
        if (date_parse(text, ctx->today, &day) < 0) {
                client_error(0, "invalid date '%s': expected YYYY-MM-DD, 'today' or 'yesterday'", text);
                return -EINVAL;
        }
        if (day < DATE_EARLIEST) {
                client_error(0, "invalid date '%s': lookback records nothing before 1970", text);
                return -EINVAL;
        }
        date_format(day, ret);
        return 0;
}

int client_check_range(const char *from, const char *to, const char *from_opt, const char *to_opt) {
        /* YYYY-MM-DD compares as text. */
        if (from && to && strcmp(from, to) > 0)
                return client_error(EXIT_USAGE, "%s %s is after %s %s", from_opt, from, to_opt, to);
        return 0;
}

void command_help(const Command *c) {
        printf("Usage: lookback %s\n\n%s\n", c->usage, c->summary);
        if (c->help)
                printf("\n%s", c->help);
}

int command_parse_help_only(const Command *c, int argc, char *argv[]) {
        static const struct option options[] = { { "help", no_argument, NULL, 'h' }, {} };
        int opt;
        while ((opt = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                if (opt != 'h')
                        return -client_error(EXIT_USAGE, "usage: lookback %s", c->usage);
                command_help(c);
                return 0;
        }
        return 1;
}

int command_kind_operand(const Command *c, int argc, char *argv[], const char **ret) {
        if (argc - optind > 1)
                return -client_error(EXIT_USAGE, "usage: lookback %s", c->usage);
        *ret = optind < argc ? argv[optind] : "weekly";
        if (review_kind_from_string(*ret) < 0)
                return -client_error(EXIT_USAGE, "unknown review kind '%s': expected weekly or halfyear", *ret);
        return 0;
}

const char *review_title(const char *kind) {
        return review_kind_title(kind && review_kind_from_string(kind) == REVIEW_HALFYEAR ? REVIEW_HALFYEAR
                                                                                          : REVIEW_WEEKLY);
}

int client_call_print(const ClientContext *ctx, const char *method, json_t *parameters, ClientPrinter print,
                      const void *userdata) {
        ClientReply reply;
        int r = 0;
        if (client_call(method, parameters, false, &reply) < 0)
                return EXIT_UNAVAILABLE;
        if (reply.error)
                r = client_print_error(&reply);
        else if (ctx->json)
                client_print_json(reply.parameters);
        else
                print(reply.parameters, userdata);
        client_reply_done(&reply);
        return r;
}

int command_parse_date_note(const Command *c, const ClientContext *ctx, int argc, char *argv[], DateNote *ret) {
        static const struct option options[] = {
                { "date", required_argument, NULL, 'd' },
                { "note", required_argument, NULL, 'm' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int opt;
        *ret = (DateNote){};
        while ((opt = getopt_long(argc, argv, "d:m:h", options, NULL)) >= 0) {
                switch (opt) {
                case 'd':
                        if (client_parse_past_date(ctx, optarg, ret->date_buf) < 0)
                                return -EXIT_USAGE;
                        ret->date = ret->date_buf;
                        break;
                case 'm':
                        ret->note = optarg;
                        break;
                case 'h':
                        command_help(c);
                        return 0;
                default:
                        return -client_error(EXIT_USAGE, "usage: lookback %s", c->usage);
                }
        }
        return 1;
}

int client_absolute_path(const char *path, char **ret) {
        if (path[0] == '/') {
                *ret = strdup(path);
                return *ret ? 0 : -ENOMEM;
        }
        _cleanup_free_ char *cwd = getcwd(NULL, 0);
        if (!cwd)
                return -errno;
        *ret = strdup_printf("%s%s%s", cwd, streq(cwd, "/") ? "" : "/", path);
        return *ret ? 0 : -ENOMEM;
}
