/* Loop Habit Tracker's CSV export (the zip, unpacked), as its exporter
 * (uhabits-core HabitsCSVExporter.kt, HabitList.writeCSV) writes it:
 *
 *   Habits.csv     header, then one habit a row. Columns since 2.0:
 *                  Position,Name,Type,Question,Description,FrequencyNumerator,
 *                  FrequencyDenominator,Color,Unit,Target Type,Target Value,Archived?
 *                  before: Position,Name,Question,Description,NumRepetitions,Interval,Color
 *                  Columns are found by name, so either works.
 *   "001 Meditate/Checkmarks.csv"
 *                  one folder per exported habit, "%03d" of its Position and
 *                  its name with all but [ a-zA-Z0-9._-] removed; rows newest
 *                  first. Since 2.3.1 a "Date,Value,Notes" header and values
 *                  written as YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN or the
 *                  number; before, no header and "Date,Value" with the numbers
 *                  2, 1, 0, 3, -1. A numerical habit's value is the amount
 *                  times 1000.
 *
 * Only what the person did becomes a record: YES_MANUAL (and a numerical
 * habit's amount above zero) a check-in, SKIP a skip. YES_AUTO is Loop's own
 * inference from the frequency; lookback infers its own from the config. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "convert-internal.h"
#include "strbuf.h"
#include "util.h"

typedef struct {
        unsigned line; /* in Habits.csv */
        unsigned position;
        char *name;
        char slug[CONFIG_HABIT_NAME_MAX + 1];
        bool numerical;
        unsigned times, days; /* Loop's frequency: @times in @days */
        bool archived;
        char *unit;
} LoopHabit;

typedef struct {
        LoopHabit *habits;
        size_t n;
} LoopHabits;

enum {
        LOOP_UNKNOWN = -1,
        LOOP_NO = 0,
        LOOP_YES_AUTO = 1,
        LOOP_YES_MANUAL = 2,
        LOOP_SKIP = 3,
};

static void loop_habits_done(LoopHabits *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->habits[i].name);
                free(l->habits[i].unit);
        }
        free(l->habits);
        *l = (LoopHabits){ 0 };
}

/* The export directory of @path: itself, or the directory its Habits.csv is in. */
static int loop_dir(const char *path, char **ret) {
        struct stat st;
        if (stat(path, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                *ret = strdup(path);
        else {
                const char *slash = strrchr(path, '/');
                *ret = slash ? strndup(path, (size_t) (slash - path + (slash == path))) : strdup(".");
        }
        return *ret ? 0 : -ENOMEM;
}

static bool slug_taken(const LoopHabits *l, const char *slug) {
        /* The built-in habits are lookback's own. */
        if (streq(slug, "weekly-review") || streq(slug, "halfyear-review"))
                return true;
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->habits[i].slug, slug))
                        return true;
        return false;
}

/* "Read 20 pages, at least!" -> "read-20-pages-at-least". Letters outside
 * ASCII cannot be in a lookback name and we transliterate nothing, so a
 * name of only those becomes "habit-POSITION"; a name another habit already
 * has gets "-POSITION" added. */
static void loop_slug(const LoopHabits *l, const char *name, unsigned position, char ret[CONFIG_HABIT_NAME_MAX + 1]) {
        size_t n = 0;
        for (const unsigned char *p = (const unsigned char *) name; *p && n < CONFIG_HABIT_NAME_MAX; p++) {
                char c = (*p >= 'A' && *p <= 'Z') ? (char) (*p - 'A' + 'a') : (char) *p;
                bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                if (keep)
                        ret[n++] = c;
                else if (n > 0 && ret[n - 1] != '-')
                        ret[n++] = '-';
        }
        while (n > 0 && ret[n - 1] == '-')
                n--;
        ret[n] = '\0';
        /* The name must start with [a-z0-9]. */
        size_t lead = strspn(ret, "_");
        memmove(ret, ret + lead, n - lead + 1);
        if (!*ret) {
                snprintf(ret, CONFIG_HABIT_NAME_MAX + 1, "habit-%u", position);
                return;
        }
        if (!slug_taken(l, ret))
                return;
        char suffix[16];
        int k = snprintf(suffix, sizeof suffix, "-%u", position);
        size_t base = strlen(ret);
        if (base + (size_t) k > CONFIG_HABIT_NAME_MAX)
                base = CONFIG_HABIT_NAME_MAX - (size_t) k;
        while (base > 0 && ret[base - 1] == '-')
                base--;
        memcpy(ret + base, suffix, (size_t) k + 1);
}

static const char *field(const CsvRow *row, int col) {
        return col >= 0 && (size_t) col < row->n ? row->fields[col] : "";
}

typedef struct {
        int position, name, type, num, den, archived, unit;
} HabitColumns;

static int loop_columns(const CsvRow *h, HabitColumns *c, char **ret_error) {
        *c = (HabitColumns){
                .position = csv_column(h, "Position"),
                .name = csv_column(h, "Name"),
                .type = csv_column(h, "Type"),
                .num = csv_column(h, "FrequencyNumerator"),
                .den = csv_column(h, "FrequencyDenominator"),
                .archived = csv_column(h, "Archived?"),
                .unit = csv_column(h, "Unit"),
        };
        if (c->num < 0 && c->den < 0) { /* before Loop 2.0 */
                c->num = csv_column(h, "NumRepetitions");
                c->den = csv_column(h, "Interval");
        }
        const char *missing = c->position < 0 ? "Position"
                              : c->name < 0   ? "Name"
                              : c->num < 0    ? "FrequencyNumerator (or NumRepetitions)"
                              : c->den < 0    ? "FrequencyDenominator (or Interval)"
                                              : NULL;
        if (missing)
                return convert_error(ret_error, -EBADMSG, "Habits.csv line %u: no column \"%s\" in the header", h->line,
                                     missing);
        return 0;
}

static int loop_habit_from_row(const CsvRow *row, const HabitColumns *c, LoopHabits *l, char **ret_error) {
        LoopHabit h = { .line = row->line };
        if (safe_atou(field(row, c->position), 1, 100000, &h.position) < 0)
                return convert_error(ret_error, -EBADMSG, "Habits.csv line %u: position \"%s\" is not a number",
                                     row->line, field(row, c->position));
        if (safe_atou(field(row, c->num), 1, CADENCE_COUNT_MAX, &h.times) < 0 ||
            safe_atou(field(row, c->den), 1, CADENCE_COUNT_MAX, &h.days) < 0)
                return convert_error(ret_error, -EBADMSG, "Habits.csv line %u: frequency \"%s/%s\" is not understood",
                                     row->line, field(row, c->num), field(row, c->den));
        if (!*field(row, c->name))
                return convert_error(ret_error, -EBADMSG, "Habits.csv line %u: the habit has no name", row->line);
        h.numerical = streq(field(row, c->type), "NUMERICAL");
        h.archived = streq(field(row, c->archived), "true");
        loop_slug(l, field(row, c->name), h.position, h.slug);
        h.name = strdup(field(row, c->name));
        h.unit = strdup(field(row, c->unit));
        LoopHabit *a = reallocarray(l->habits, l->n + 1, sizeof(LoopHabit));
        if (!h.name || !h.unit || !a) {
                free(h.name);
                free(h.unit);
                if (a)
                        l->habits = a;
                return -ENOMEM;
        }
        l->habits = a;
        l->habits[l->n++] = h;
        return 0;
}

static int csv_error(char **ret_error, int r, const char *label, const char *why, unsigned line) {
        if (r == -EBADMSG)
                return convert_error(ret_error, r, "%s line %u: %s", label, line, why);
        return convert_error(ret_error, r, "%s: %s", label, strerror(-r));
}

static int loop_read_habits(const char *dir, LoopHabits *ret, char **ret_error) {
        _cleanup_free_ char *path = strdup_printf("%s/Habits.csv", dir);
        if (!path)
                return -ENOMEM;
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int r = convert_read_file(path, "Habits.csv", &data, &len, ret_error);
        if (r < 0)
                return r;

        CsvReader rd;
        csv_reader_init(&rd, data, len);
        CsvRow header = { 0 }, row = { 0 };
        LoopHabits l = { 0 };
        HabitColumns cols = { 0 };
        const char *why = NULL;
        unsigned line = 0;
        r = csv_next_row(&rd, &header, &why, &line);
        if (r == 0)
                r = convert_error(ret_error, -EBADMSG, "Habits.csv: empty, not a Loop export");
        else if (r < 0)
                r = csv_error(ret_error, r, "Habits.csv", why, line);
        else
                r = loop_columns(&header, &cols, ret_error);
        while (r >= 0) {
                r = csv_next_row(&rd, &row, &why, &line);
                if (r <= 0) {
                        if (r < 0)
                                r = csv_error(ret_error, r, "Habits.csv", why, line);
                        break;
                }
                r = loop_habit_from_row(&row, &cols, &l, ret_error);
                csv_row_done(&row);
        }
        csv_row_done(&header);
        if (r < 0) {
                loop_habits_done(&l);
                return r;
        }
        *ret = l;
        return 0;
}

/* The folder Loop wrote for the habit at @position: its name starts with the
 * position's digits and a space (or is only them, when nothing of the name
 * survived Loop's filename filter, as with a Korean name). NULL in *@ret if
 * the habit was not among those exported. */
static int loop_find_folder(const char *dir, unsigned position, char **ret) {
        *ret = NULL;
        DIR *d = opendir(dir);
        if (!d)
                return -errno;
        int r = 0;
        unsigned seen = 0;
        struct dirent *de;
        while ((de = readdir(d)) && seen++ < CONVERT_DIR_ENTRIES_MAX) {
                const char *s = de->d_name;
                size_t digits = strspn(s, "0123456789");
                if (digits == 0 || (s[digits] != ' ' && s[digits] != '\0'))
                        continue;
                unsigned p;
                _cleanup_free_ char *num = strndup(s, digits);
                if (!num) {
                        r = -ENOMEM;
                        break;
                }
                if (safe_atou(num, 1, 100000, &p) < 0 || p != position)
                        continue;
                *ret = strdup(s);
                if (!*ret)
                        r = -ENOMEM;
                break;
        }
        closedir(d);
        return r;
}

static int loop_value(const char *s, int *ret) {
        static const struct {
                const char *name;
                int value;
        } names[] = {
                { "YES_MANUAL", LOOP_YES_MANUAL },
                { "YES_AUTO", LOOP_YES_AUTO },
                { "NO", LOOP_NO },
                { "SKIP", LOOP_SKIP },
                { "UNKNOWN", LOOP_UNKNOWN },
        };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(s, names[i].name)) {
                        *ret = names[i].value;
                        return 1; /* a name: its meaning is the same for every habit type */
                }
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (!*s || *end || errno || v < -1 || v > 1000000000L)
                return -EINVAL;
        *ret = (int) v;
        return 0;
}

typedef struct {
        RecordSet *set;
        size_t allocated_checkins, allocated_skips;
} LoopOut;

/* A numerical habit's check-in keeps its amount as the note ("2.5 km"),
 * before Loop's own note if it has one. */
static char *loop_note(const LoopHabit *h, int value, bool named, const char *notes) {
        if (!h->numerical || named)
                return strdup(notes);
        if (*notes)
                return strdup_printf("%g%s%s; %s", value / 1000.0, *h->unit ? " " : "", h->unit, notes);
        return strdup_printf("%g%s%s", value / 1000.0, *h->unit ? " " : "", h->unit);
}

static int loop_mark(const LoopHabit *h, const CsvRow *row, int date_col, int value_col, int notes_col, LoopOut *out,
                     const char *label, char **ret_error) {
        day_t day;
        const char *date = field(row, date_col), *v = field(row, value_col);
        if (strlen(date) != 10 || convert_parse_date(date, &day) < 0)
                return convert_error(ret_error, -EBADMSG, "%s line %u: date \"%s\" is not YYYY-MM-DD", label, row->line,
                                     date);
        int value;
        int named = loop_value(v, &value);
        if (named < 0 || (!h->numerical && !named && (value < LOOP_UNKNOWN || value > LOOP_SKIP)))
                return convert_error(ret_error, -EBADMSG, "%s line %u: value \"%s\" is not understood", label,
                                     row->line, v);
        bool checkin = named || !h->numerical ? value == LOOP_YES_MANUAL : value > 0;
        bool skip = (named || !h->numerical) && value == LOOP_SKIP;
        if (!checkin && !skip)
                return 0;

        _cleanup_free_ char *note = loop_note(h, value, named, field(row, notes_col));
        _cleanup_free_ char *name = strdup_printf("loop:%s:%s:%s", checkin ? "checkin" : "skip", h->name, date);
        if (!note || !name)
                return -ENOMEM;
        RecordSet *s = out->set;
        if (checkin)
                return convert_add_mark(&s->checkins, &s->n_checkins, &out->allocated_checkins, name, strlen(name),
                                        h->slug, day, note);
        return convert_add_mark(&s->skips, &s->n_skips, &out->allocated_skips, name, strlen(name), h->slug, day, note);
}

static int loop_read_checkmarks(const char *dir, const char *folder, const LoopHabit *h, LoopOut *out,
                                char **ret_error) {
        _cleanup_free_ char *label = strdup_printf("%s/Checkmarks.csv", folder);
        _cleanup_free_ char *path = strdup_printf("%s/%s/Checkmarks.csv", dir, folder);
        if (!label || !path)
                return -ENOMEM;
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int r = convert_read_file(path, label, &data, &len, ret_error);
        if (r == -ENOENT) { /* a folder with only Scores.csv: nothing was marked */
                /* Not an error, so not its message either: convert_read_file()
                 * wrote one, and a caller frees *ret_error only on failure
                 * (the leak fuzz-convert found). */
                free(*ret_error);
                *ret_error = NULL;
                return 0;
        }
        if (r < 0)
                return r;

        CsvReader rd;
        csv_reader_init(&rd, data, len);
        int date_col = 0, value_col = 1, notes_col = -1;
        for (bool first = true;; first = false) {
                CsvRow row = { 0 };
                const char *why = NULL;
                unsigned line = 0;
                r = csv_next_row(&rd, &row, &why, &line);
                if (r < 0)
                        return csv_error(ret_error, r, label, why, line);
                if (r == 0)
                        return 0;
                if (first && row.n > 0 && streq(row.fields[0], "Date")) { /* Loop 2.3.1 and later */
                        value_col = csv_column(&row, "Value");
                        notes_col = csv_column(&row, "Notes");
                        csv_row_done(&row);
                        if (value_col < 0)
                                return convert_error(ret_error, -EBADMSG, "%s line 1: no column \"Value\"", label);
                        continue;
                }
                r = loop_mark(h, &row, date_col, value_col, notes_col, out, label, ret_error);
                csv_row_done(&row);
                if (r < 0)
                        return r;
        }
}

static int loop_open(const char *path, char **ret_dir, LoopHabits *ret, char **ret_error) {
        int r = loop_dir(path, ret_dir);
        if (r < 0)
                return convert_error(ret_error, r, "%s: %s", path, strerror(-r));
        return loop_read_habits(*ret_dir, ret, ret_error);
}

int convert_loop(const char *path, RecordSet *ret, char **ret_error) {
        *ret = (RecordSet){ 0 };
        _cleanup_free_ char *dir = NULL;
        LoopHabits l = { 0 };
        int r = loop_open(path, &dir, &l, ret_error);
        if (r < 0)
                return r;
        RecordSet set = { 0 };
        LoopOut out = { .set = &set };
        for (size_t i = 0; i < l.n && r >= 0; i++) {
                _cleanup_free_ char *folder = NULL;
                r = loop_find_folder(dir, l.habits[i].position, &folder);
                if (r < 0)
                        r = convert_error(ret_error, r, "%s: %s", dir, strerror(-r));
                else if (folder)
                        r = loop_read_checkmarks(dir, folder, &l.habits[i], &out, ret_error);
        }
        loop_habits_done(&l);
        if (r < 0) {
                records_done(&set);
                return r;
        }
        *ret = set;
        return 0;
}

/* Loop's "@times in @days" as lookback's cadence: 7 days is a week and 30
 * (Loop's "per month") a month, so "3 times per week" stays that. */
static Every loop_every(unsigned days) {
        if (days % 30 == 0)
                return (Every){ EVERY_MONTH, days / 30 };
        if (days % 7 == 0)
                return (Every){ EVERY_WEEK, days / 7 };
        return (Every){ EVERY_DAY, days };
}

static char *loop_snippet(const LoopHabit *h) {
        char every[CADENCE_TEXT_MAX];
        every_format(loop_every(h->days), every, sizeof every);
        StrBuf b = { 0 };
        strbuf_puts(&b, "# Loop: \"");
        /* The name is in a comment: a newline in it must not end the comment. */
        for (const char *p = h->name; *p; p++)
                strbuf_add(&b, (unsigned char) *p < ' ' ? " " : p, 1);
        strbuf_puts(&b, "\"\n");
        if (h->archived)
                strbuf_puts(&b, "# archived in Loop\n");
        if (h->numerical)
                strbuf_printf(&b, "# Loop counted an amount%s%s%s; lookback counts the days with any\n",
                              *h->unit ? " (" : "", h->unit, *h->unit ? ")" : "");
        strbuf_printf(&b, "[habit \"%s\"]\nevery = %s\ntimes = %u\n", h->slug, every, h->times);
        return strbuf_finish(&b);
}

void convert_habits_free(ConvertHabit *habits, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(habits[i].loop_name);
                free(habits[i].slug);
                free(habits[i].snippet);
        }
        free(habits);
}

int convert_loop_habits(const char *path, ConvertHabit **ret, size_t *ret_n, char **ret_error) {
        *ret = NULL;
        *ret_n = 0;
        _cleanup_free_ char *dir = NULL;
        LoopHabits l = { 0 };
        int r = loop_open(path, &dir, &l, ret_error);
        if (r < 0)
                return r;
        ConvertHabit *out = calloc(l.n ? l.n : 1, sizeof(ConvertHabit));
        for (size_t i = 0; out && i < l.n; i++) {
                out[i] = (ConvertHabit){
                        .loop_name = strdup(l.habits[i].name),
                        .slug = strdup(l.habits[i].slug),
                        .snippet = loop_snippet(&l.habits[i]),
                        .archived = l.habits[i].archived,
                };
                if (!out[i].loop_name || !out[i].slug || !out[i].snippet) {
                        convert_habits_free(out, i + 1);
                        out = NULL;
                }
        }
        size_t n = l.n;
        loop_habits_done(&l);
        if (!out)
                return -ENOMEM;
        *ret = out;
        *ret_n = n;
        return 0;
}
