/* The converters' shared parts; see convert-internal.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>
#include <uuid/uuid.h>

#include "convert-internal.h"
#include "strbuf.h"
#include "util.h"

/* lookback's namespace for version-5 UUIDs of converted records. Made once
 * at random (2025) and never to change: every converted record's UUID
 * depends on it, so a new value would make a re-import duplicate all of
 * them. */
static const uuid_t convert_namespace = { 0x47, 0xe7, 0x60, 0x34, 0x21, 0x33, 0x4f, 0xeb,
                                          0xaf, 0x9e, 0x83, 0xd0, 0xa3, 0xac, 0x5f, 0x20 };

int convert_error(char **ret_error, int r, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *m = NULL;
        if (vasprintf(&m, fmt, ap) < 0)
                m = NULL;
        va_end(ap);
        free(*ret_error);
        *ret_error = m;
        return r;
}

unsigned convert_utf8_bad_line(const char *s, size_t len) {
        const uint8_t *bad = u8_check((const uint8_t *) s, len);
        if (!bad)
                return 0;
        unsigned line = 1;
        for (const char *p = s; p < (const char *) bad; p++)
                line += *p == '\n';
        return line;
}

static int read_all(int fd, size_t size, char **ret, size_t *ret_len) {
        /* One byte more than allowed, so a file that grew past the cap while
         * we read it is caught too. */
        _cleanup_free_ char *buf = malloc(size + 2);
        if (!buf)
                return -ENOMEM;
        size_t len = 0;
        for (;;) {
                ssize_t k = read(fd, buf + len, size + 1 - len);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                len += (size_t) k;
                /* More than fstat() said and the slack: past the cap, or a
                 * file still being written, which we would only get half of. */
                if (len == size + 1)
                        return len > CONVERT_FILE_MAX ? -EFBIG : -EAGAIN;
        }
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

int convert_read_file(const char *path, const char *label, char **ret, size_t *ret_len, char **ret_error) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return convert_error(ret_error, -errno, "%s: %s", label, strerror(errno));
        struct stat st;
        if (fstat(fd, &st) < 0)
                return convert_error(ret_error, -errno, "%s: %s", label, strerror(errno));
        if (!S_ISREG(st.st_mode))
                return convert_error(ret_error, -EINVAL, "%s: not a regular file", label);
        if ((uintmax_t) st.st_size > CONVERT_FILE_MAX)
                return convert_error(ret_error, -EFBIG, "%s: larger than %u MiB, refused", label,
                                     CONVERT_FILE_MAX / (1024U * 1024U));
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        int r = read_all(fd, (size_t) st.st_size < CONVERT_FILE_MAX ? (size_t) st.st_size + 4096 : CONVERT_FILE_MAX,
                         &buf, &len);
        if (r == -EFBIG)
                return convert_error(ret_error, r, "%s: larger than %u MiB, refused", label,
                                     CONVERT_FILE_MAX / (1024U * 1024U));
        if (r < 0)
                return convert_error(ret_error, r, "%s: %s", label, strerror(-r));
        unsigned bad = convert_utf8_bad_line(buf, len);
        if (bad > 0)
                return convert_error(ret_error, -EILSEQ, "%s line %u: not valid UTF-8", label, bad);
        /* A NUL would silently cut every string after it short. */
        const char *nul = memchr(buf, '\0', len);
        if (nul) {
                unsigned line = 1;
                for (const char *p = buf; p < nul; p++)
                        line += *p == '\n';
                return convert_error(ret_error, -EILSEQ, "%s line %u: contains a NUL byte", label, line);
        }
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

void convert_uuid(const char *name, size_t len, char ret[static RECORD_UUID_MAX]) {
        uuid_t u;
        uuid_generate_sha1(u, convert_namespace, name, len);
        uuid_unparse_lower(u, ret);
}

int convert_parse_date(const char *s, day_t *ret) {
        for (int i = 0; i < 10; i++) {
                bool dash = i == 4 || i == 7;
                if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
                        return -EINVAL;
        }
        int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
        if (!date_valid_ymd(y, m, d))
                return -EINVAL;
        day_t day = date_from_ymd(y, m, d);
        if (day < DATE_EARLIEST)
                return -ERANGE;
        *ret = day;
        return 0;
}

/* mktime() with tm_isdst = -1 lets the zone decide whether summer time
 * applies; noon and the usual journal hours exist on every DST day. */
int64_t convert_local_usec(day_t day, int hour, int minute) {
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        struct tm tm = {
                .tm_year = y - 1900,
                .tm_mon = m - 1,
                .tm_mday = d,
                .tm_hour = hour,
                .tm_min = minute,
                .tm_isdst = -1,
        };
        time_t t = mktime(&tm);
        return (int64_t) t * 1000000;
}

int convert_add_mark(RecordMark **marks, size_t *n, size_t *allocated, const char *uuid_name, size_t uuid_name_len,
                     const char *habit, day_t day, const char *note) {
        int r = records_grow((void **) marks, sizeof(RecordMark), *n, allocated);
        if (r < 0)
                return r;
        RecordMark m = { .day = day, .meta.recorded_usec = convert_local_usec(day, 12, 0) };
        convert_uuid(uuid_name, uuid_name_len, m.meta.uuid);
        m.habit = strdup(habit);
        m.note = note && *note ? strdup(note) : NULL;
        if (!m.habit || (note && *note && !m.note)) {
                free(m.habit);
                free(m.note);
                return -ENOMEM;
        }
        (*marks)[(*n)++] = m;
        return 0;
}

static int add_note(RecordSet *set, size_t *allocated, const char *uuid, day_t day, int64_t usec, const char *title,
                    const char *body) {
        int r = records_grow((void **) &set->notes, sizeof(RecordNote), set->n_notes, allocated);
        if (r < 0)
                return r;
        RecordNote n = { .day = day, .meta.recorded_usec = usec };
        memcpy(n.meta.uuid, uuid, RECORD_UUID_MAX);
        n.title = title && *title ? strdup(title) : NULL;
        n.body = strdup(body);
        if (!n.body || (title && *title && !n.title)) {
                free(n.title);
                free(n.body);
                return -ENOMEM;
        }
        set->notes[set->n_notes++] = n;
        return 0;
}

/* A week with several entries is one answer with an entry each: separate
 * answers of one period would be versions, and only the newest shows. Its
 * id is derived from all of its entries' ids, so the same source gives the
 * same answer, and a week that gained an entry a new version. */
static int append_to_week(RecordSet *set, const char *uuid, Period p, int64_t usec, const char *question,
                          const char *answer) {
        RecordAnswer *a = NULL;
        for (size_t i = set->n_answers; i-- > 0 && !a;)
                if (set->answers[i].period.start == p.start && set->answers[i].n_entries < 128)
                        a = &set->answers[i];
        if (!a)
                return 0;
        TemplateEntry *e = reallocarray(a->entries, a->n_entries + 1, sizeof(TemplateEntry));
        if (!e)
                return -ENOMEM;
        a->entries = e;
        e = &a->entries[a->n_entries];
        *e = (TemplateEntry){ strdup(question), strdup(answer) };
        if (!e->question || !e->answer) {
                free(e->question);
                free(e->answer);
                return -ENOMEM;
        }
        a->n_entries++;
        char name[2 * RECORD_UUID_MAX + 1];
        snprintf(name, sizeof(name), "%s+%s", a->meta.uuid, uuid);
        convert_uuid(name, strlen(name), a->meta.uuid);
        if (usec > a->meta.recorded_usec)
                a->meta.recorded_usec = usec;
        return 1;
}

static int add_answer(RecordSet *set, size_t *allocated, const char *uuid, Period p, int64_t usec, const char *question,
                      const char *answer) {
        int r = append_to_week(set, uuid, p, usec, question, answer);
        if (r != 0)
                return r < 0 ? r : 0;
        r = records_grow((void **) &set->answers, sizeof(RecordAnswer), set->n_answers, allocated);
        if (r < 0)
                return r;
        RecordAnswer a = { .kind = REVIEW_WEEKLY, .period = p, .meta.recorded_usec = usec, .n_entries = 1 };
        memcpy(a.meta.uuid, uuid, RECORD_UUID_MAX);
        a.entries = calloc(1, sizeof(TemplateEntry));
        if (!a.entries)
                return -ENOMEM;
        a.entries[0].question = strdup(question);
        a.entries[0].answer = strdup(answer);
        if (!a.entries[0].question || !a.entries[0].answer) {
                free(a.entries[0].question);
                free(a.entries[0].answer);
                free(a.entries);
                return -ENOMEM;
        }
        set->answers[set->n_answers++] = a;
        return 0;
}

int convert_add_text(RecordSet *set, size_t *allocated, ConvertAs as, WeekStart ws, const char *kind_prefix,
                     const char *id, size_t id_len, day_t day, int64_t recorded_usec, const char *title,
                     const char *body) {
        _cleanup_free_ char *t = strdup(title ? title : ""), *b = strdup(body ? body : "");
        if (!t || !b)
                return -ENOMEM;
        strstrip(t);
        strstrip(b);
        if (!*t && !*b)
                return 0;

        StrBuf name = { 0 };
        strbuf_puts(&name, kind_prefix);
        strbuf_puts(&name, as == CONVERT_AS_NOTES ? ":note:" : ":answer:");
        strbuf_add(&name, id, id_len);
        if (name.oom) {
                strbuf_done(&name);
                return -ENOMEM;
        }
        char uuid[RECORD_UUID_MAX];
        convert_uuid(name.data, name.len, uuid);
        strbuf_done(&name);

        int r;
        if (as == CONVERT_AS_NOTES)
                r = add_note(set, allocated, uuid, day, recorded_usec, t, b);
        else if (*b)
                r = add_answer(set, allocated, uuid, period_week(day, ws), recorded_usec, *t ? t : "Journal", b);
        else /* a one-line entry: its title is all it says */
                r = add_answer(set, allocated, uuid, period_week(day, ws), recorded_usec, "Journal", t);
        return r < 0 ? r : 1;
}

void csv_reader_init(CsvReader *r, const char *data, size_t len) {
        *r = (CsvReader){ .p = data, .end = data + len, .line = 1 };
        /* Spreadsheets put a byte order mark before the header. */
        if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
                r->p += 3;
}

void csv_row_done(CsvRow *row) {
        row->fields = strv_free(row->fields);
        row->n = 0;
}

static bool csv_at_record_end(const CsvReader *r) {
        return r->p >= r->end || *r->p == '\n' || (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n');
}

static void csv_skip_record_end(CsvReader *r) {
        if (r->p < r->end && *r->p == '\r')
                r->p++;
        if (r->p < r->end && *r->p == '\n') {
                r->p++;
                r->line++;
        }
}

/* One field into @b; the reader stops on the ',' or record end after it. */
static int csv_field(CsvReader *r, StrBuf *b, const char **ret_why, unsigned *ret_line) {
        if (r->p < r->end && *r->p == '"') {
                unsigned start = r->line;
                r->p++;
                for (;;) {
                        if (r->p >= r->end) {
                                *ret_why = "unterminated quoted field";
                                *ret_line = start;
                                return -EBADMSG;
                        }
                        char c = *r->p++;
                        if (c == '"') {
                                if (r->p < r->end && *r->p == '"') {
                                        strbuf_add(b, "\"", 1);
                                        r->p++;
                                        continue;
                                }
                                break;
                        }
                        r->line += c == '\n';
                        strbuf_add(b, &c, 1);
                }
                if (!csv_at_record_end(r) && *r->p != ',') {
                        *ret_why = "text after a closing quote";
                        *ret_line = r->line;
                        return -EBADMSG;
                }
                return 0;
        }
        const char *start = r->p;
        while (!csv_at_record_end(r) && *r->p != ',') {
                if (*r->p == '"') {
                        *ret_why = "a quote inside an unquoted field";
                        *ret_line = r->line;
                        return -EBADMSG;
                }
                r->p++;
        }
        strbuf_add(b, start, (size_t) (r->p - start));
        return 0;
}

int csv_next_row(CsvReader *r, CsvRow *ret, const char **ret_why, unsigned *ret_line) {
        while (r->p < r->end && csv_at_record_end(r))
                csv_skip_record_end(r);
        if (r->p >= r->end)
                return 0;

        CsvRow row = { .line = r->line };
        int ret_r = 0;
        for (;;) {
                StrBuf b = { 0 };
                strbuf_puts(&b, "");
                int k = csv_field(r, &b, ret_why, ret_line);
                char *f = strbuf_finish(&b);
                if (k < 0 || !f) {
                        free(f);
                        ret_r = k < 0 ? k : -ENOMEM;
                        break;
                }
                char **l = reallocarray(row.fields, row.n + 2, sizeof(char *));
                if (!l) {
                        free(f);
                        ret_r = -ENOMEM;
                        break;
                }
                row.fields = l;
                row.fields[row.n++] = f;
                row.fields[row.n] = NULL;
                if (r->p < r->end && *r->p == ',') {
                        r->p++;
                        continue;
                }
                csv_skip_record_end(r);
                *ret = row;
                return 1;
        }
        csv_row_done(&row);
        return ret_r;
}

int csv_column(const CsvRow *header, const char *name) {
        for (size_t i = 0; i < header->n; i++)
                if (streq(header->fields[i], name))
                        return (int) i;
        return -1;
}
