#include "sync-folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <systemd/sd-id128.h>
#include <unistd.h>

#include "changes.h"
#include "import.h"
#include "lapse-watch.h"
#include "log.h"
#include "manager.h"
#include "paths.h"
#include "prompt-timers.h"
#include "strbuf.h"
#include "store.h"
#include "util.h"

/* A moment for a burst of inotify events (Syncthing renames a file into
 * place, git writes several) to end before the folder is read. */
#define SYNC_READ_DELAY_USEC (20 * 1000)
/* A failed write is tried again this much later (and at every change). */
#define SYNC_RETRY_USEC (60 * USEC_PER_SEC)
/* Rows written per append; what is left goes in the next one. */
#define SYNC_FLUSH_MAX 512
/* Changes applied per transaction while reading a long file. */
#define SYNC_BATCH_MAX 2000
/* Read in pieces of this much; a line longer than SYNC_LINE_MAX is bad. */
#define SYNC_CHUNK    (1024 * 1024)
#define SYNC_LINE_MAX (8 * 1024 * 1024)
/* Bad lines reported per file and read; the rest are counted. */
#define SYNC_WARNINGS_MAX 5

#define SYNC_SUFFIX ".jsonl"

/* ---- Names ----------------------------------------------------------- */

/* "DEVICE.jsonl", or Syncthing's conflict copy of it,
 * "DEVICE.sync-conflict-YYYYMMDD-HHMMSS-ID.jsonl": the device, else false
 * (Syncthing's .syncthing.*.tmp, a README, anything else). */
static bool log_name_parse(const char *name, char device[static RECORD_DEVICE_MAX]) {
        size_t n = strlen(name);
        if (n < 32 + strlen(SYNC_SUFFIX) || strspn(name, "0123456789abcdef") != 32 ||
            !streq(name + n - strlen(SYNC_SUFFIX), SYNC_SUFFIX))
                return false;
        if (name[32] != '.' || (n != 32 + strlen(SYNC_SUFFIX) && !startswith(name + 32, ".sync-conflict-")))
                return false;
        memcpy(device, name, 32);
        device[32] = '\0';
        return true;
}

static void sync_fail(SyncState *st, const Now *now, int r, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void sync_fail(SyncState *st, const Now *now, int r, const char *fmt, ...) {
        char reason[SYNC_REASON_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(reason, sizeof(reason), fmt, ap);
        va_end(ap);
        /* Once per reason, not once per attempt. */
        if (!st->failed || !streq(reason, st->reason))
                log_warning(r, "sync: %s", reason);
        st->failed = true;
        st->failed_usec = now->usec;
        memcpy(st->reason, reason, sizeof(reason));
}

static void sync_ok(SyncState *st) {
        if (st->failed)
                log_info("sync: working again");
        st->failed = false;
        st->reason[0] = '\0';
}

static char *folder_path(const SyncState *st, const char *name) {
        return strdup_printf("%s/%s", st->folder, name);
}

/* ---- Writing this machine's file -------------------------------------- */

static int write_all(int fd, const char *buf, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, buf, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                buf += k;
                n -= (size_t) k;
        }
        return 0;
}

/* Lines being made, and the newest clock among them. */
typedef struct {
        StrBuf b;
        int64_t hlc;
} Lines;

static bool append_change(const Change *c, void *userdata) {
        Lines *l = userdata;
        char *line = change_render(c);
        if (!line) {
                l->b.oom = true;
                return false;
        }
        strbuf_puts(&l->b, line);
        free(line);
        if (c->hlc > l->hlc)
                l->hlc = c->hlc;
        return !l->b.oom;
}

/* In one transaction: this machine's file now holds @size bytes, @lines
 * lines of @generation, up to change @seq (clock @hlc; 0: none), and the
 * outbox rows up to @written are in it. */
static int own_file_note(Manager *m, const Now *now, const char *generation, int64_t size, unsigned lines, uint64_t seq,
                         int64_t hlc, uint64_t written) {
        StoreSyncFile f = { .offset = size, .line = lines };
        StoreSyncDevice d = { .seq = seq, .host = m->sync.host, .hlc = hlc, .read_usec = now->usec };
        snprintf(f.device, sizeof(f.device), "%s", store_device(m->store));
        snprintf(f.generation, sizeof(f.generation), "%s", generation);
        memcpy(d.device, f.device, sizeof(d.device));
        int r = store_begin(m->store);
        if (r >= 0)
                r = store_outbox_flushed(m->store, written);
        if (r >= 0)
                r = store_sync_file_set(m->store, m->sync.own_name, &f);
        if (r >= 0 && seq > 0)
                r = store_sync_device_note(m->store, &d);
        if (r >= 0)
                r = store_commit(m->store);
        if (r < 0)
                store_rollback(m->store);
        return r;
}

/* Appends what waits in the outbox to this machine's file, fdatasync()s
 * it, then drops the rows: a crash in between leaves rows that the file
 * holds already, dropped at the next start (sync_own_catch_up()). */
static int flush_once(Manager *m, const Now *now, bool *ret_more) {
        SyncState *st = &m->sync;
        StoreChanges changes = {};
        Lines l = {};
        *ret_more = false;
        int r = store_outbox_load(m->store, SYNC_FLUSH_MAX, &changes);
        if (r < 0 || changes.last_seq == 0) {
                store_changes_done(&changes);
                return r;
        }
        for (size_t i = 0; i < changes.n && !l.b.oom; i++)
                append_change(&changes.items[i], &l);
        uint64_t last = changes.last_seq;
        size_t n_rows = changes.n;
        store_changes_done(&changes);
        _cleanup_free_ char *text = strbuf_finish(&l.b), *path = folder_path(st, st->own_name);
        if (!text || !path)
                return -ENOMEM;
        _cleanup_close_ int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
                r = -errno;
                sync_fail(st, now, r, "cannot open %s: %s", path, strerror(-r));
                return r;
        }
        struct stat sb;
        if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
                sync_fail(st, now, -EBADF, "%s is not a regular file", path);
                return -EBADF;
        }
        /* A write that failed half-way left a line without its end: end it,
         * so that it is one bad line and not the start of the next one. */
        char last_byte = '\n';
        if (sb.st_size > 0 && pread(fd, &last_byte, 1, sb.st_size - 1) != 1)
                last_byte = '\n';
        if (last_byte != '\n')
                r = write_all(fd, "\n", 1);
        if (r >= 0)
                r = write_all(fd, text, strlen(text));
        if (r >= 0 && fdatasync(fd) < 0)
                r = -errno;
        if (r < 0) {
                sync_fail(st, now, r, "cannot write %s: %s", path, strerror(-r));
                return r;
        }
        StoreSyncFile f = {};
        (void) store_sync_file_get(m->store, st->own_name, &f);
        r = own_file_note(m, now, st->generation, sb.st_size + (last_byte != '\n') + (int64_t) strlen(text),
                          f.line + (unsigned) n_rows, last, l.hlc, last);
        if (r < 0)
                return log_error(r, "sync: cannot mark changes written: %s", store_last_error(m->store));
        sync_ok(st);
        *ret_more = true;
        return 0;
}

static int arm_retry(Manager *m);

int sync_folder_flush(Manager *m) {
        Now now = clock_now();
        bool more = true;
        int r = 0;
        if (!m->sync.folder)
                return 0;
        while (more && r >= 0)
                r = flush_once(m, &now, &more);
        /* This machine's file was removed (by hand, by a sync program that
         * lost it): written afresh, with everything. */
        if (r == -ENOENT)
                r = sync_folder_compact(m, &now, NULL);
        if (r < 0)
                (void) arm_retry(m);
        return r;
}

static int on_flush_soon(sd_event_source *s, void *userdata) {
        (void) s;
        (void) sync_folder_flush(userdata);
        return 0;
}

/* The store's commit hook: the outbox has rows on disk. */
static void on_outbox(void *userdata) {
        Manager *m = userdata;
        if (m->sync.flush_soon)
                (void) sd_event_source_set_enabled(m->sync.flush_soon, SD_EVENT_ONESHOT);
}

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) s;
        (void) usec;
        Manager *m = userdata;
        Now now = clock_now();
        /* A file that could not be written may need its snapshot. */
        if (m->sync.failed && sync_folder_flush(m) >= 0)
                (void) sync_folder_read(m, &now);
        return 0;
}

static int arm_retry(Manager *m) {
        uint64_t mono;
        int r = clock_monotonic(m->event, &mono);
        if (r < 0)
                return r;
        if (!m->sync.retry)
                return sd_event_add_time(m->event, &m->sync.retry, CLOCK_MONOTONIC, mono + SYNC_RETRY_USEC,
                                         USEC_PER_SEC, on_retry, m);
        r = sd_event_source_set_time(m->sync.retry, mono + SYNC_RETRY_USEC);
        return r < 0 ? r : sd_event_source_set_enabled(m->sync.retry, SD_EVENT_ONESHOT);
}

/* ---- Compaction ------------------------------------------------------- */

static int fsync_dir(const char *dir) {
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) < 0)
                return -errno;
        return 0;
}

/* Writes @text to @name in the folder by a temporary file renamed over it:
 * the old file or the new one, never half of one. */
static int write_replace(SyncState *st, const char *name, const char *text) {
        _cleanup_free_ char *path = folder_path(st, name), *tmp = strdup_printf("%s/.%s.tmp", st->folder, name);
        if (!path || !tmp)
                return -ENOMEM;
        _cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        int r = write_all(fd, text, strlen(text));
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlink(tmp);
                return r;
        }
        return fsync_dir(st->folder);
}

int sync_folder_compact(Manager *m, const Now *now, uint64_t *ret_lines) {
        SyncState *st = &m->sync;
        RecordSet set = {};
        Lines l = {};
        char generation[SD_ID128_UUID_STRING_MAX];
        uint64_t first = 0;
        if (!st->folder)
                return -ENOTCONN;
        sd_id128_t id;
        int r = sd_id128_randomize(&id);
        if (r < 0)
                return r;
        sd_id128_to_uuid_string(id, generation);
        /* The snapshot holds everything live, so it holds what the outbox
         * has too: those rows go with the old file. */
        r = store_records_load(m->store, false, 0, 0, &set);
        if (r < 0)
                return log_error(r, "sync: cannot read the records for a snapshot: %s", store_last_error(m->store));
        size_t n = change_each(&set, 0, NULL, NULL);
        /* Numbers of their own: a snapshot that fails to be written leaves a
         * gap in the sequence, never a number used twice. */
        r = store_begin(m->store);
        if (r >= 0)
                r = store_sync_seq_reserve(m->store, n, &first);
        if (r >= 0)
                r = store_commit(m->store);
        if (r < 0)
                store_rollback(m->store);
        uint64_t before = first - 1; /* every outbox row's is at most this */
        if (r >= 0) {
                ChangeHeader h = { .host = st->host, .created_usec = now->usec };
                snprintf(h.device, sizeof(h.device), "%s", store_device(m->store));
                snprintf(h.generation, sizeof(h.generation), "%s", generation);
                char *header = change_render_header(&h);
                if (header)
                        strbuf_puts(&l.b, header);
                else
                        l.b.oom = true;
                free(header);
                change_each(&set, first, append_change, &l);
        }
        records_done(&set);
        _cleanup_free_ char *text = strbuf_finish(&l.b);
        if (r >= 0 && !text)
                r = -ENOMEM;
        if (r >= 0) {
                r = write_replace(st, st->own_name, text);
                if (r < 0)
                        sync_fail(st, now, r, "cannot write %s/%s: %s", st->folder, st->own_name, strerror(-r));
        }
        if (r >= 0)
                r = own_file_note(m, now, generation, (int64_t) strlen(text), (unsigned) n + 1, n ? first + n - 1 : 0,
                                  l.hlc, before);
        if (r < 0)
                return r;
        memcpy(st->generation, generation, sizeof(generation));
        sync_ok(st);
        log_info("sync: wrote %s/%s, a snapshot of %zu changes (generation %s)", st->folder, st->own_name, n,
                 generation);
        if (ret_lines)
                *ret_lines = n;
        return 0;
}

/* ---- Reading a file ---------------------------------------------------- */

/* What a read changed, for what must follow the commit. */
typedef struct {
        bool records; /* lapses to re-check */
        Period settled[_REVIEW_KIND_MAX][8];
        size_t n_settled[_REVIEW_KIND_MAX];
        unsigned applied, skipped, bad;
} ReadResult;

static void note_result(ReadResult *res, const Change *c, const ImportCounts *counts) {
        res->applied++;
        if (c->set.n_prompts && (counts->prompts.added || counts->prompts.updated)) {
                ReviewKind k = c->set.prompts[0].kind;
                if (res->n_settled[k] < ELEMENTSOF(res->settled[k]))
                        res->settled[k][res->n_settled[k]++] = c->set.prompts[0].period;
        } else if (!c->set.n_prompts)
                res->records = true;
}

typedef struct {
        Manager *m;
        const Now *now;
        const char *name;
        StoreSyncFile file;
        StoreSyncDevice device;
        char *host;
        unsigned in_batch;
        unsigned warned;
        ReadResult *res;
} Reading;

static void line_warning(Reading *rd, unsigned line, const char *reason) {
        rd->res->bad++;
        if (rd->warned++ < SYNC_WARNINGS_MAX)
                log_warning(0, "sync: %s/%s:%u: %s; skipping the line", rd->m->sync.folder, rd->name, line, reason);
}

static int batch_commit(Reading *rd, bool again) {
        Store *s = rd->m->store;
        rd->device.read_usec = rd->now->usec;
        rd->device.host = rd->host;
        int r = store_sync_file_set(s, rd->name, &rd->file);
        if (r >= 0)
                r = store_sync_device_note(s, &rd->device);
        if (r >= 0)
                r = store_commit(s);
        if (r >= 0 && again)
                r = store_begin(s);
        rd->in_batch = 0;
        return r;
}

/* One complete line (without its "\n"), number @line of the file. */
static int read_line(Reading *rd, const char *text, size_t n, unsigned line) {
        Change c;
        ChangeHeader h;
        ImportError err;
        int r = import_parse_change(text, n, &c, &h, &err);
        if (r < 0) {
                _cleanup_free_ char *why = err.path ? strdup_printf("%s: %s", err.path, err.reason) : NULL;
                line_warning(rd, line, why ? why : err.reason ? err.reason : strerror(-r));
                import_error_done(&err);
                return 0;
        }
        if (r == 1) { /* a header where a change belongs: a file glued to another */
                change_header_done(&h);
                line_warning(rd, line, "a header in the middle of the file");
                return 0;
        }
        if (c.seq <= rd->device.seq) { /* applied already: a re-append or an older copy */
                rd->res->skipped++;
                change_done(&c);
                return 0;
        }
        ImportCounts counts = {};
        _cleanup_free_ char *conflict = NULL;
        r = store_sync_apply(rd->m->store, &c, &counts, &conflict);
        if (r == -EEXIST) {
                _cleanup_free_ char *why = strdup_printf("not applied: %s", conflict ? conflict : "a conflict");
                line_warning(rd, line, why ? why : "not applied");
                r = 0;
        } else if (r >= 0)
                note_result(rd->res, &c, &counts);
        if (r >= 0) {
                rd->device.seq = c.seq;
                if (c.hlc > rd->device.hlc)
                        rd->device.hlc = c.hlc;
        }
        change_done(&c);
        return r;
}

/* The header: the first line. 1 and @ret when it is complete and good, 0
 * when the file is not complete yet (or empty), -EBADMSG when bad. */
static int read_header(Reading *rd, int fd, ChangeHeader *ret, int64_t *ret_size) {
        char buf[4096];
        ssize_t k = pread(fd, buf, sizeof(buf), 0);
        if (k < 0)
                return -errno;
        char *nl = memchr(buf, '\n', (size_t) k);
        if (!nl)
                return k == (ssize_t) sizeof(buf) ? -EBADMSG : 0;
        Change c;
        ImportError err;
        int r = import_parse_change(buf, (size_t) (nl - buf), &c, ret, &err);
        if (r != 1) {
                if (r == 0)
                        change_done(&c);
                line_warning(rd, 1, err.reason ? err.reason : "the first line is not a lookback sync header");
                import_error_done(&err);
                return -EBADMSG;
        }
        *ret_size = nl - buf + 1;
        return 1;
}

static int read_body(Reading *rd, int fd, int64_t size) {
        size_t have = 0, allocated = SYNC_CHUNK;
        _cleanup_free_ char *buf = malloc(allocated);
        int64_t pos = rd->file.offset; /* where buf[0] is in the file */
        bool skipping = false;         /* inside a line too long to keep */
        int r;
        if (!buf)
                return -ENOMEM;
        while (pos + (int64_t) have < size) {
                if (have == allocated && allocated >= SYNC_LINE_MAX) {
                        /* Longer than any record: dropped up to its end. */
                        if (!skipping)
                                line_warning(rd, rd->file.line + 1, "the line is too long");
                        skipping = true;
                        pos += (int64_t) have;
                        have = 0;
                } else if (have == allocated) {
                        char *p = realloc(buf, allocated * 2);
                        if (!p)
                                return -ENOMEM;
                        buf = p;
                        allocated *= 2;
                }
                ssize_t k = pread(fd, buf + have, allocated - have, pos + (int64_t) have);
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                have += (size_t) k;
                size_t start = 0;
                char *nl;
                while ((nl = memchr(buf + start, '\n', have - start))) {
                        size_t len = (size_t) (nl - (buf + start));
                        rd->file.line++;
                        if (skipping)
                                skipping = false;
                        else if (len > 0 && (r = read_line(rd, buf + start, len, rd->file.line)) < 0)
                                return r;
                        start += len + 1;
                        rd->file.offset = pos + (int64_t) start;
                        if (++rd->in_batch >= SYNC_BATCH_MAX && (r = batch_commit(rd, true)) < 0)
                                return r;
                }
                /* What is left is the start of a line still coming. */
                memmove(buf, buf + start, have - start);
                have -= start;
                pos += (int64_t) start;
        }
        return 0;
}

/* Reads @name (a file of @device) from where the last read stopped. */
static int read_file(Manager *m, const Now *now, const char *name, const char *device, ReadResult *res) {
        SyncState *st = &m->sync;
        _cleanup_free_ char *path = folder_path(st, name);
        if (!path)
                return -ENOMEM;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
        struct stat sb;
        if (fd < 0)
                return errno == ENOENT ? 0 : log_warning(-errno, "sync: cannot read %s: %m", path);
        if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
                return 0; /* not a file of ours, whatever its name */
        Reading rd = { .m = m, .now = now, .name = name, .res = res };
        ChangeHeader h;
        int64_t header_size = 0;
        int r = read_header(&rd, fd, &h, &header_size);
        if (r <= 0)
                return r == -EBADMSG ? 0 : r;
        if (!streq(h.device, device)) {
                line_warning(&rd, 1, "the header names another machine than the file name");
                change_header_done(&h);
                return 0;
        }
        rd.host = TAKE_PTR(h.host);
        r = store_sync_file_get(m->store, name, &rd.file);
        /* Read to its end already: the event was about another file. */
        if (r > 0 && streq(rd.file.generation, h.generation) && sb.st_size == rd.file.offset) {
                free(rd.host);
                return 0;
        }
        if (r >= 0)
                r = store_begin(m->store);
        /* A new generation (compacted), or a file shorter than what was
         * read (replaced): read it again from its start. */
        if (r >= 0 && (!streq(rd.file.generation, h.generation) || sb.st_size < rd.file.offset)) {
                rd.file = (StoreSyncFile){ .offset = header_size, .line = 1 };
                snprintf(rd.file.generation, sizeof(rd.file.generation), "%s", h.generation);
        }
        snprintf(rd.file.device, sizeof(rd.file.device), "%s", device);
        memcpy(rd.device.device, rd.file.device, sizeof(rd.device.device));
        if (r >= 0)
                r = store_sync_device_seq(m->store, device, &rd.device.seq);
        if (r >= 0)
                r = read_body(&rd, fd, sb.st_size);
        if (r >= 0)
                r = batch_commit(&rd, false);
        if (r < 0) {
                store_rollback(m->store);
                sync_fail(st, now, r, "cannot apply %s: %s (%s)", path, strerror(-r), store_last_error(m->store));
        }
        free(rd.host);
        return r;
}

/* What a read must be followed by: the prompts settled elsewhere leave the
 * screen here, the habits are judged again. */
static void after_read(Manager *m, const ReadResult *res) {
        for (int k = 0; k < _REVIEW_KIND_MAX; k++)
                for (size_t i = 0; i < res->n_settled[k]; i++)
                        notifier_close_prompts(m->notifier, k, &res->settled[k][i]);
        for (size_t i = 0; res->records && i < m->config->n_habits; i++)
                lapse_watch_touch(m, &m->config->habits[i]);
        if (res->applied)
                log_info("sync: applied %u changes from the folder%s", res->applied,
                         res->bad ? " (some lines skipped, see above)" : "");
}

int sync_folder_read(Manager *m, const Now *now) {
        SyncState *st = &m->sync;
        ReadResult res = {};
        if (!st->folder)
                return 0;
        _cleanup_closedir_ DIR *d = opendir(st->folder);
        if (!d) {
                int r = -errno;
                sync_fail(st, now, r, "cannot read the folder %s: %s", st->folder, strerror(-r));
                return r;
        }
        struct dirent *de;
        int r = 0;
        while ((de = readdir(d))) {
                char device[RECORD_DEVICE_MAX];
                if (streq(de->d_name, st->own_name) || !log_name_parse(de->d_name, device))
                        continue;
                int q = read_file(m, now, de->d_name, device, &res);
                if (q < 0 && r >= 0)
                        r = q;
        }
        after_read(m, &res);
        return r;
}

static int on_read_soon(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) s;
        (void) usec;
        Now now = clock_now();
        (void) sync_folder_read(userdata, &now);
        return 0;
}

static int on_folder_event(sd_event_source *s, const struct inotify_event *ev, void *userdata) {
        Manager *m = userdata;
        char device[RECORD_DEVICE_MAX];
        (void) s;
        if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
                Now now = clock_now();
                sync_fail(&m->sync, &now, -ENOENT, "the folder %s went away; restart or reload once it is back",
                          m->sync.folder);
                return 0;
        }
        if (ev->len == 0 || streq(ev->name, m->sync.own_name) || !log_name_parse(ev->name, device))
                return 0;
        uint64_t mono;
        if (clock_monotonic(m->event, &mono) < 0)
                return 0;
        /* Armed only by an event, never periodically. */
        if (sd_event_source_set_time(m->sync.read_soon, mono + SYNC_READ_DELAY_USEC) >= 0)
                (void) sd_event_source_set_enabled(m->sync.read_soon, SD_EVENT_ONESHOT);
        return 0;
}

/* ---- Start and stop --------------------------------------------------- */

/* This machine's own file at start: missing, or of another generation
 * than this database knows (a restored database, a new one, sync turned
 * off and on again), it is read like another machine's (what it holds
 * that the database lacks comes back) and then written afresh. Of the
 * same generation, what it holds beyond what the database knows (a
 * restored backup again) is read, and the outbox rows it holds already
 * (a crash before they were marked) are dropped. */
static int own_catch_up(Manager *m, const Now *now) {
        SyncState *st = &m->sync;
        StoreSyncFile known = {};
        ReadResult res = {};
        int r = store_sync_file_get(m->store, st->own_name, &known);
        if (r < 0)
                return r;
        _cleanup_free_ char *path = folder_path(st, st->own_name);
        if (!path)
                return -ENOMEM;
        bool exists = access(path, F_OK) >= 0;
        if (exists) {
                r = read_file(m, now, st->own_name, store_device(m->store), &res);
                if (r < 0)
                        return r;
                after_read(m, &res);
        }
        StoreSyncFile after = {};
        r = store_sync_file_get(m->store, st->own_name, &after);
        if (r < 0)
                return r;
        if (!exists || r == 0 || !*known.generation || !streq(known.generation, after.generation))
                return sync_folder_compact(m, now, NULL);
        memcpy(st->generation, after.generation, sizeof(st->generation));
        uint64_t seq = 0;
        r = store_sync_device_seq(m->store, store_device(m->store), &seq);
        if (r >= 0)
                r = store_begin(m->store);
        if (r >= 0)
                r = store_sync_seq_floor(m->store, seq);
        if (r >= 0)
                r = store_outbox_flushed(m->store, seq);
        if (r >= 0)
                r = store_commit(m->store);
        if (r < 0)
                store_rollback(m->store);
        return r;
}

static int host_name(char **ret) {
        char buf[256] = "";
        if (gethostname(buf, sizeof(buf) - 1) < 0 || !*buf)
                snprintf(buf, sizeof(buf), "unknown");
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int sync_folder_start(Manager *m, const Now *now) {
        SyncState *st = &m->sync;
        const char *folder = m->config->sync.folder;
        int r;
        if (!folder) {
                /* Changes made while it is off are not in the file: the
                 * next start with a folder writes it afresh. */
                (void) store_sync_capture(m->store, false);
                _cleanup_free_ char *own = strdup_printf("%s%s", store_device(m->store), SYNC_SUFFIX);
                StoreSyncFile f;
                /* A read first: a start without sync writes nothing. */
                if (!own || store_sync_file_get(m->store, own, &f) <= 0)
                        return 0;
                if (store_begin(m->store) < 0 || store_sync_file_forget(m->store, own) < 0 ||
                    store_commit(m->store) < 0)
                        store_rollback(m->store);
                return 0;
        }
        r = paths_mkdir_p(folder, 0700);
        if (r < 0) {
                st->folder = strdup(folder);
                sync_fail(st, now, r, "cannot create the folder %s: %s", folder, strerror(-r));
                return r;
        }
        st->folder = strdup(folder);
        st->own_name = strdup_printf("%s%s", store_device(m->store), SYNC_SUFFIX);
        if (!st->folder || !st->own_name || host_name(&st->host) < 0)
                return log_error(-ENOMEM, "out of memory");
        r = store_sync_capture(m->store, true);
        store_sync_on_change(m->store, on_outbox, m);
        if (r >= 0)
                r = sd_event_add_defer(m->event, &st->flush_soon, on_flush_soon, m);
        if (r >= 0)
                r = sd_event_source_set_enabled(st->flush_soon, SD_EVENT_OFF);
        if (r >= 0)
                r = sd_event_add_time(m->event, &st->read_soon, CLOCK_MONOTONIC, 0, 10 * 1000, on_read_soon, m);
        if (r >= 0)
                r = sd_event_source_set_enabled(st->read_soon, SD_EVENT_OFF);
        if (r >= 0)
                r = sd_event_add_inotify(m->event, &st->watch, folder,
                                         IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY | IN_CREATE | IN_DELETE_SELF |
                                                 IN_MOVE_SELF | IN_ONLYDIR,
                                         on_folder_event, m);
        if (r < 0) {
                sync_fail(st, now, r, "cannot watch the folder %s: %s", folder, strerror(-r));
                return r;
        }
        r = own_catch_up(m, now);
        if (r < 0)
                sync_fail(st, now, r, "cannot set up %s/%s: %s", folder, st->own_name, strerror(-r));
        (void) sync_folder_flush(m);
        int q = sync_folder_read(m, now);
        log_info("sync: folder %s, this machine writes %s", folder, st->own_name);
        return r < 0 ? r : q;
}

void sync_folder_stop(Manager *m) {
        SyncState *st = &m->sync;
        if (m->store) {
                /* What waits is written before we go. */
                if (st->folder && st->flush_soon)
                        (void) sync_folder_flush(m);
                store_sync_on_change(m->store, NULL, NULL);
        }
        st->watch = sd_event_source_disable_unref(st->watch);
        st->flush_soon = sd_event_source_disable_unref(st->flush_soon);
        st->read_soon = sd_event_source_disable_unref(st->read_soon);
        st->retry = sd_event_source_disable_unref(st->retry);
        free(st->folder);
        free(st->own_name);
        free(st->host);
        *st = (SyncState){};
}

int sync_folder_reload(Manager *m, const Now *now) {
        if (streq_ptr(m->sync.folder, m->config->sync.folder)) {
                /* Same folder: a reload is also a way to say "read it now". */
                return m->sync.folder ? sync_folder_read(m, now) : 0;
        }
        sync_folder_stop(m);
        return sync_folder_start(m, now);
}

/* ---- Status ------------------------------------------------------------ */

void sync_file_infos_done(SyncFileInfos *f) {
        for (size_t i = 0; i < f->n; i++)
                free(f->items[i].name);
        free(f->items);
        *f = (SyncFileInfos){};
}

int sync_folder_files(Manager *m, SyncFileInfos *ret) {
        SyncState *st = &m->sync;
        size_t allocated = 0;
        *ret = (SyncFileInfos){};
        if (!st->folder)
                return 0;
        _cleanup_closedir_ DIR *d = opendir(st->folder);
        if (!d)
                return -errno;
        struct dirent *de;
        while ((de = readdir(d))) {
                char device[RECORD_DEVICE_MAX];
                struct stat sb;
                StoreSyncFile f = {};
                if (!log_name_parse(de->d_name, device) ||
                    fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(sb.st_mode))
                        continue;
                int r = records_grow((void **) &ret->items, sizeof(SyncFileInfo), ret->n, &allocated);
                if (r < 0) {
                        sync_file_infos_done(ret);
                        return r;
                }
                (void) store_sync_file_get(m->store, de->d_name, &f);
                SyncFileInfo *info = &ret->items[ret->n++];
                *info = (SyncFileInfo){ .name = strdup(de->d_name), .size = sb.st_size, .offset = f.offset };
                memcpy(info->device, device, sizeof(device));
                if (!info->name) {
                        sync_file_infos_done(ret);
                        return -ENOMEM;
                }
        }
        return 0;
}
