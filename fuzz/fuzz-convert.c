/* libFuzzer: the converters from jrnl's JSON, dated Markdown files and a
 * Loop Habit Tracker export (Habits.csv and one habit's Checkmarks.csv) read
 * any bytes into records or refuse them with a message, never a crash; what
 * they make renders to an export that lookback reads back.
 *
 * The first byte picks the converter and its options; for Loop, a NUL byte
 * (which no CSV holds) separates Habits.csv from Checkmarks.csv. The files
 * go to a temp directory made once per process. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert.h"
#include "export.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void write_file(const char *path, const uint8_t *data, size_t size) {
        FILE *f = fopen(path, "we");
        if (!f || (size && fwrite(data, size, 1, f) != 1) || fclose(f) != 0)
                abort();
}

/* The files and folders make_dirs() made, deepest first. */
static const char *const made[] = {
        "loop/001 Meditate/Checkmarks.csv",
        "loop/001 Meditate",
        "loop/Habits.csv",
        "loop",
        "md/2024-02-29-leap.md",
        "md",
        "jrnl.json",
};

static void remove_dirs(void) {
        char path[128];
        for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
                snprintf(path, sizeof(path), "%s/%s", dir, made[i]);
                (void) remove(path);
        }
        (void) rmdir(dir);
}

static void make_dirs(void) {
        char path[128];
        strcpy(dir, "/tmp/lookback-fuzz-convert-XXXXXX");
        if (!mkdtemp(dir))
                abort();
        snprintf(path, sizeof(path), "%s/md", dir);
        if (mkdir(path, 0700) < 0)
                abort();
        snprintf(path, sizeof(path), "%s/loop", dir);
        if (mkdir(path, 0700) < 0)
                abort();
        snprintf(path, sizeof(path), "%s/loop/001 Meditate", dir);
        if (mkdir(path, 0700) < 0)
                abort();
        atexit(remove_dirs);
}

/* The store stamps this machine's device on what a converter made (it
 * leaves the device empty); an export carries it. */
#define FUZZ_DEVICE "0123456789abcdef0123456789abcdef"
#define STAMP(items, n)                                                                                                \
        for (size_t i = 0; i < (n); i++)                                                                               \
        strcpy((items)[i].meta.device, FUZZ_DEVICE)

static void stamp_device(RecordSet *set) {
        strcpy(set->device, FUZZ_DEVICE);
        STAMP(set->answers, set->n_answers);
        STAMP(set->checkins, set->n_checkins);
        STAMP(set->skips, set->n_skips);
        STAMP(set->pauses, set->n_pauses);
        STAMP(set->goals, set->n_goals);
        STAMP(set->goal_changes, set->n_goal_changes);
        STAMP(set->notes, set->n_notes);
}

/* Converted records, as the store would export them, are an export
 * lookback itself accepts. */
static void check_importable(int r, RecordSet *set, char *error) {
        if (r < 0) {
                if (!error)
                        abort();
                free(error);
                return;
        }
        stamp_device(set);
        char *json = export_render_json(set);
        RecordSet again;
        ImportError err;
        if (json) {
                if (import_parse_export(json, strlen(json), &again, &err) < 0) {
                        fprintf(stderr, "export of converted records refused: %s at %s\n%s\n", err.reason,
                                err.path ? err.path : "?", json);
                        abort();
                }
                records_done(&again);
        }
        free(json);
        records_done(set);
}

static void fuzz_loop(const uint8_t *data, size_t size) {
        char path[128];
        const uint8_t *nul = memchr(data, '\0', size);
        size_t habits_size = nul ? (size_t) (nul - data) : size;
        snprintf(path, sizeof(path), "%s/loop/Habits.csv", dir);
        write_file(path, data, habits_size);
        snprintf(path, sizeof(path), "%s/loop/001 Meditate/Checkmarks.csv", dir);
        if (nul)
                write_file(path, nul + 1, size - habits_size - 1);
        else
                (void) unlink(path);

        RecordSet set;
        char *error = NULL;
        snprintf(path, sizeof(path), "%s/loop", dir);
        check_importable(convert_loop(path, &set, &error), &set, error);
        ConvertHabit *habits = NULL;
        size_t n = 0;
        error = NULL;
        if (convert_loop_habits(path, &habits, &n, &error) >= 0)
                convert_habits_free(habits, n);
        free(error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char path[128];
        RecordSet set;
        char *error = NULL;
        size_t skipped;
        if (!dir[0])
                make_dirs();
        if (size == 0)
                return 0;
        ConvertAs as = data[0] & 4 ? CONVERT_AS_WEEKLY : CONVERT_AS_NOTES;
        WeekStart ws = data[0] & 8 ? WEEK_START_SUNDAY : WEEK_START_MONDAY;
        switch (data[0] % 4) {
        case 0:
                snprintf(path, sizeof(path), "%s/jrnl.json", dir);
                write_file(path, data + 1, size - 1);
                check_importable(convert_jrnl(path, as, ws, &set, &error), &set, error);
                break;
        case 1:
                snprintf(path, sizeof(path), "%s/md/2024-02-29-leap.md", dir);
                write_file(path, data + 1, size - 1);
                check_importable(convert_markdown(path, as, ws, &set, &skipped, &error), &set, error);
                error = NULL;
                snprintf(path, sizeof(path), "%s/md", dir);
                check_importable(convert_markdown(path, as, ws, &set, &skipped, &error), &set, error);
                break;
        default:
                fuzz_loop(data + 1, size - 1);
                break;
        }
        return 0;
}
