/* The export as a journal to read: reviews newest first, each version
 * with the day it was written; then free notes; then each habit's days
 * with what was written on them; then the goals and their history. */
#include <string.h>

#include "export.h"
#include "strbuf.h"

static const char *day_str(day_t day, char buf[static DATE_STR_MAX]) {
        return date_format(day, buf);
}

static void put_answers(StrBuf *b, const RecordSet *set) {
        char label[PERIOD_LABEL_MAX], d[DATE_STR_MAX];
        for (size_t i = 0; i < set->n_answers; i++) {
                const RecordAnswer *a = &set->answers[i];
                /* Versions of one period follow each other, newest first. */
                bool same_period = i > 0 && set->answers[i - 1].kind == a->kind &&
                                   set->answers[i - 1].period.start == a->period.start;
                if (!same_period)
                        strbuf_printf(b, "\n## %s %s\n", review_kind_title(a->kind) ? review_kind_title(a->kind) : "",
                                      review_period_label(a->kind, a->period, label));
                strbuf_printf(b, "\n*%s on %s*\n", same_period ? "An earlier version, written" : "Written",
                              day_str(date_local_day((time_t) (a->meta.recorded_usec / 1000000)), d));
                for (size_t j = 0; j < a->n_entries; j++)
                        strbuf_printf(b, "\n### %s\n\n%s\n", a->entries[j].question, a->entries[j].answer);
        }
}

static void put_notes(StrBuf *b, const RecordSet *set) {
        char d[DATE_STR_MAX];
        if (set->n_notes)
                strbuf_puts(b, "\n# Notes\n");
        for (size_t i = 0; i < set->n_notes; i++) {
                const RecordNote *n = &set->notes[i];
                strbuf_printf(b, "\n## %s%s%s\n\n%s\n", day_str(n->day, d), n->title ? " — " : "",
                              n->title ? n->title : "", n->body);
        }
}

/* Whether @habit appeared already among the first @n marks or pauses. */
static bool habit_seen(const RecordSet *set, const char *habit, size_t n_checkins, size_t n_skips, size_t n_pauses) {
        for (size_t i = 0; i < n_checkins; i++)
                if (strcmp(set->checkins[i].habit, habit) == 0)
                        return true;
        for (size_t i = 0; i < n_skips; i++)
                if (strcmp(set->skips[i].habit, habit) == 0)
                        return true;
        for (size_t i = 0; i < n_pauses; i++)
                if (strcmp(set->pauses[i].habit, habit) == 0)
                        return true;
        return false;
}

static void put_habit(StrBuf *b, const RecordSet *set, const char *habit) {
        char d[DATE_STR_MAX], d2[DATE_STR_MAX];
        unsigned checkins = 0;
        for (size_t i = 0; i < set->n_checkins; i++)
                checkins += strcmp(set->checkins[i].habit, habit) == 0;
        strbuf_printf(b, "\n## %s\n\n%u check-in%s.\n", habit, checkins, checkins == 1 ? "" : "s");
        /* The days something was written on, newest first: the notes are
         * what is worth reading; the bare days are in the count. */
        bool any = false;
        for (size_t i = set->n_checkins; i-- > 0;) {
                const RecordMark *k = &set->checkins[i];
                if (strcmp(k->habit, habit) == 0 && k->note) {
                        strbuf_printf(b, "%s- %s: %s\n", any ? "" : "\n", day_str(k->day, d), k->note);
                        any = true;
                }
        }
        for (size_t i = set->n_skips; i-- > 0;) {
                const RecordMark *k = &set->skips[i];
                if (strcmp(k->habit, habit) == 0) {
                        strbuf_printf(b, "%s- %s: skipped%s%s\n", any ? "" : "\n", day_str(k->day, d),
                                      k->note ? ": " : "", k->note ? k->note : "");
                        any = true;
                }
        }
        for (size_t i = set->n_pauses; i-- > 0;) {
                const RecordPause *p = &set->pauses[i];
                if (strcmp(p->habit, habit) == 0) {
                        strbuf_printf(b, "%s- paused %s to %s%s%s\n", any ? "" : "\n", day_str(p->from, d),
                                      p->has_to ? day_str(p->to, d2) : "(still paused)", p->reason ? ": " : "",
                                      p->reason ? p->reason : "");
                        any = true;
                }
        }
}

static void put_habits(StrBuf *b, const RecordSet *set) {
        if (set->n_checkins + set->n_skips + set->n_pauses)
                strbuf_puts(b, "\n# Habits\n");
        /* Marks come sorted by habit: each habit where it first appears. */
        for (size_t i = 0; i < set->n_checkins; i++)
                if (!habit_seen(set, set->checkins[i].habit, i, 0, 0))
                        put_habit(b, set, set->checkins[i].habit);
        for (size_t i = 0; i < set->n_skips; i++)
                if (!habit_seen(set, set->skips[i].habit, set->n_checkins, i, 0))
                        put_habit(b, set, set->skips[i].habit);
        for (size_t i = 0; i < set->n_pauses; i++)
                if (!habit_seen(set, set->pauses[i].habit, set->n_checkins, set->n_skips, i))
                        put_habit(b, set, set->pauses[i].habit);
}

static void put_goals(StrBuf *b, const RecordSet *set) {
        char d[DATE_STR_MAX];
        if (set->n_goals)
                strbuf_puts(b, "\n# Goals\n");
        for (size_t i = 0; i < set->n_goals; i++) {
                const RecordGoal *g = &set->goals[i];
                strbuf_printf(b, "\n- **%s** (set %s)\n", g->text, day_str(g->created, d));
                for (size_t j = 0; j < set->n_goal_changes; j++) {
                        const RecordGoalChange *c = &set->goal_changes[j];
                        if (strcmp(c->goal, g->meta.uuid) != 0)
                                continue;
                        if (c->status == GOAL_OPEN)
                                strbuf_puts(b, "  - opened again\n");
                        else
                                strbuf_printf(b, "  - %s on %s%s%s\n", goal_status_to_string(c->status),
                                              c->has_day ? day_str(c->day, d) : "?", c->reason ? ": " : "",
                                              c->reason ? c->reason : "");
                }
        }
}

char *export_render_markdown(const RecordSet *set) {
        StrBuf b = {};
        char from[DATE_STR_MAX], to[DATE_STR_MAX];

        strbuf_puts(&b, "# lookback journal\n");
        if (set->has_range)
                strbuf_printf(&b, "\nFrom %s to %s.\n", date_format(set->from, from), date_format(set->to, to));
        put_answers(&b, set);
        put_notes(&b, set);
        put_habits(&b, set);
        put_goals(&b, set);
        return strbuf_finish(&b);
}
