/* --check-config's dump: the effective settings as a valid lookback.ini,
 * defaults filled in, that reads back to the same Config; then, as
 * comments, the next prompts each review will give. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config-internal.h"

/* Whether a question may be broken before @s and read back the same way: the
 * next line must not look like a comment or a key, and the break must be a
 * single space, since inih trims both sides and we join with one space. */
static bool config_dump_can_break(const char *text, const char *s) {
        return s > text && s[-1] == ' ' && !(s - 1 > text && isspace((unsigned char) s[-2])) &&
               !isspace((unsigned char) *s) && *s != ';' && *s != '#' && !config_looks_like_key(s);
}

/* Long questions go onto indented continuation lines, so every line stays
 * well within inih's INI_MAX_LINE. */
static void config_dump_question(FILE *f, const char *question) {
        const char *prefix = "question = ";
        const char *s = question;

        while (*s) {
                size_t width = CONFIG_DUMP_WIDTH - strlen(prefix), len = strlen(s), cut = 0;

                if (len > width) {
                        for (size_t i = 1; i < len && (i <= width || cut == 0); i++)
                                if (config_dump_can_break(question, s + i))
                                        cut = i - 1;
                }
                if (cut == 0)
                        cut = len;
                fprintf(f, "%s%.*s\n", prefix, (int) cut, s);
                s += cut;
                if (*s == ' ')
                        s++;
                prefix = "  ";
        }
}

static void config_dump_review(FILE *f, const char *section, const ReviewConfig *review) {
        fprintf(f, "[%s]\nat = %s\n", section, review->at);
        for (size_t i = 0; i < review->n_questions; i++)
                config_dump_question(f, review->questions[i]);
        fputc('\n', f);
}

static void config_dump_habit(FILE *f, const HabitConfig *h) {
        char every[32], since[DATE_STR_MAX];

        fprintf(f, "[habit \"%s\"]\n", h->name);
        if (h->builtin)
                fprintf(f, "# every = %s (fixed: one check-in per answered review)\n",
                        every_format(h->every, every, sizeof(every)));
        else
                fprintf(f, "every = %s\n", every_format(h->every, every, sizeof(every)));
        fprintf(f, "times = %u\nlapse_after = %u\n", h->times, h->lapse_after);
        if (h->has_since)
                fprintf(f, "since = %s\n", date_format(h->since, since));
        fputc('\n', f);
}

void config_dump(const Config *c, FILE *f) {
        fprintf(f, "# lookback configuration, effective settings (%s)\n\n", c->path ? c->path : "built-in defaults");

        fputs("[daemon]\n", f);
        if (c->database)
                fprintf(f, "database = %s\n", c->database);
        else
                fputs("# database = $XDG_DATA_HOME/lookback/lookback.db\n", f);
        fprintf(f, "week_start = %s\n\n", c->week_start == WEEK_START_SUNDAY ? "sunday" : "monday");

        config_dump_review(f, "weekly", &c->weekly);
        config_dump_review(f, "halfyear", &c->halfyear);

        fprintf(f, "[notify]\nanswer_command = %s\n\n", c->answer_command);

        fprintf(f, "[backup]\nenabled = %s\n", c->backup.enabled ? "yes" : "no");
        if (c->backup.folder)
                fprintf(f, "folder = %s\n", c->backup.folder);
        else
                fputs("# folder = $XDG_STATE_HOME/lookback/backups\n", f);
        fprintf(f, "keep = %ud %uw %um\n\n", c->backup.daily, c->backup.weekly, c->backup.monthly);
        if (c->sync.folder)
                fprintf(f, "[sync]\nfolder = %s\n\n", c->sync.folder);
        else
                fputs("[sync]\n# folder = (off)\n\n", f);

        for (size_t i = 0; i < c->n_habits; i++)
                config_dump_habit(f, &c->habits[i]);
}

/* How many upcoming prompts --check-config lists per review. */
#define CONFIG_DUMP_NEXT_PROMPTS 3

/* The next prompts after @now; when fewer come, the ones there are and
 * then a line of their own that says no more do. */
static void config_dump_next_review(FILE *f, const char *name, const ReviewConfig *review, time_t now) {
        time_t t = now;
        int n;

        for (n = 0; n < CONFIG_DUMP_NEXT_PROMPTS; n++) {
                char when[64];
                struct tm tm;

                if (schedule_next(&review->spec, t, NULL, &t) < 0)
                        break;
                strftime(when, sizeof(when), "%a %Y-%m-%d %H:%M:%S %Z", localtime_r(&t, &tm));
                if (n == 0)
                        fprintf(f, "; next %s prompts: %s", name, when);
                else
                        fprintf(f, ", %s", when);
        }
        if (n == 0)
                fprintf(f, "; no more %s prompts: every time '%s' names has passed\n", name, review->at);
        else if (n < CONFIG_DUMP_NEXT_PROMPTS)
                fprintf(f, "\n; no more %s prompts after that\n", name);
        else
                fputc('\n', f);
}

void config_dump_next_prompts(const Config *c, time_t now, FILE *f) {
        config_dump_next_review(f, "weekly", &c->weekly, now);
        config_dump_next_review(f, "half-year", &c->halfyear, now);
}
