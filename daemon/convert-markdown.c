/* A journal kept as Markdown files named by their day: "2024-03-05.md" or
 * "2024-03-05-anything.md". A first line "# Title" is the title, the rest
 * the body.
 *
 * A file has no id but its name, and a name is reused when the file is
 * edited; so the UUID comes from the name and the content together: an
 * edited file comes in as a new note beside the old one, and an unchanged
 * one as the same note. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "convert-internal.h"
#include "strbuf.h"
#include "util.h"

static bool has_suffix(const char *s, const char *suffix) {
        size_t n = strlen(s), k = strlen(suffix);
        return n >= k && streq(s + n - k, suffix);
}

/* The day of a file named YYYY-MM-DD.md or YYYY-MM-DD-*.md. */
static int markdown_day(const char *name, day_t *ret) {
        if (strlen(name) < 13 || !has_suffix(name, ".md") || (name[10] != '.' && name[10] != '-'))
                return -EINVAL;
        if (name[10] == '.' && strlen(name) != 13)
                return -EINVAL;
        return convert_parse_date(name, ret);
}

static int markdown_file(const char *path, const char *name, day_t day, ConvertAs as, WeekStart ws, RecordSet *set,
                         size_t *allocated, char **ret_error) {
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int r = convert_read_file(path, name, &data, &len, ret_error);
        if (r < 0)
                return r;
        _cleanup_free_ char *id = strdup_printf("%s\n%s", name, data);
        if (!id)
                return -ENOMEM;

        const char *title = NULL, *body = data;
        size_t skip = strspn(data, " \t\r\n"); /* a title after blank lines is still the first line */
        if (startswith(data + skip, "# ")) {
                char *eol = strchr(data + skip, '\n');
                body = eol ? eol + 1 : "";
                if (eol)
                        *eol = '\0';
                title = data + skip + 2;
        }
        return convert_add_text(set, allocated, as, ws, "markdown", id, strlen(id), day, convert_local_usec(day, 12, 0),
                                title, body);
}

static int compare_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The regular files of @dir, sorted, so records come out in the days' order. */
static int list_dir(const char *dir, char ***ret) {
        DIR *d = opendir(dir);
        if (!d)
                return -errno;
        char **names = NULL;
        int r = 0;
        size_t n = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.') /* also editors' hidden swap files */
                        continue;
                if (n >= CONVERT_DIR_ENTRIES_MAX) {
                        r = -E2BIG;
                        break;
                }
                r = strv_extend(&names, de->d_name);
                if (r < 0)
                        break;
                n++;
        }
        closedir(d);
        if (r < 0) {
                strv_free(names);
                return r;
        }
        if (n > 0)
                qsort(names, n, sizeof(char *), compare_names);
        *ret = names;
        return 0;
}

static int markdown_dir(const char *dir, ConvertAs as, WeekStart ws, RecordSet *set, size_t *skipped,
                        char **ret_error) {
        char **names = NULL;
        int r = list_dir(dir, &names);
        if (r < 0)
                return convert_error(ret_error, r, "%s: %s", dir, strerror(-r));
        size_t allocated = 0;
        for (char **name = names; name && *name; name++) {
                _cleanup_free_ char *path = strdup_printf("%s/%s", dir, *name);
                if (!path) {
                        r = -ENOMEM;
                        break;
                }
                struct stat st;
                if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
                        continue;
                day_t day;
                if (markdown_day(*name, &day) < 0) {
                        (*skipped)++;
                        continue;
                }
                r = markdown_file(path, *name, day, as, ws, set, &allocated, ret_error);
                if (r < 0)
                        break;
                if (r == 0) /* empty */
                        (*skipped)++;
        }
        strv_free(names);
        return r < 0 ? r : 0;
}

int convert_markdown(const char *path, ConvertAs as, WeekStart week_start, RecordSet *ret, size_t *ret_skipped,
                     char **ret_error) {
        *ret = (RecordSet){ 0 };
        size_t skipped = 0;
        struct stat st;
        if (stat(path, &st) < 0)
                return convert_error(ret_error, -errno, "%s: %s", path, strerror(errno));
        RecordSet set = { 0 };
        int r;
        if (S_ISDIR(st.st_mode))
                r = markdown_dir(path, as, week_start, &set, &skipped, ret_error);
        else {
                const char *slash = strrchr(path, '/');
                const char *name = slash ? slash + 1 : path;
                day_t day;
                size_t allocated = 0;
                r = markdown_day(name, &day);
                if (r < 0)
                        r = convert_error(ret_error, r, "%s: not named YYYY-MM-DD.md or YYYY-MM-DD-*.md", name);
                else
                        r = markdown_file(path, name, day, as, week_start, &set, &allocated, ret_error);
                skipped = r == 0;
        }
        if (r < 0) {
                records_done(&set);
                return r;
        }
        *ret = set;
        if (ret_skipped)
                *ret_skipped = skipped;
        return 0;
}
