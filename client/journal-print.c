#include "journal-print.h"

#include "client.h"
#include "search-print.h"
#include "util.h"

/* The first characters of a goal's id, as `lookback goal list` shows it. */
#define GOAL_ID_SHOWN 8

bool journal_entry_is_answer(json_t *e) {
        const char *source = client_json_str(e, "source", "");
        return streq(source, "weekly") || streq(source, "halfyear");
}

/* The phrase naming a note or a pause by its source, or NULL. */
static const char *note_phrase(const char *source) {
        if (streq(source, "checkin"))
                return "note on";
        if (streq(source, "skip"))
                return "skip of";
        if (streq(source, "pause"))
                return "pause of";
        return NULL;
}

static void print_goal(FILE *f, json_t *e, const char *date) {
        _cleanup_free_ char *id = text_sanitize(client_json_str(e, "goal", "?"), TEXT_ONE_LINE);
        fprintf(f, "goal %.*s (", GOAL_ID_SHOWN, id ? id : "?");
        text_print(f, client_json_str(e, "goal_status", "?"), TEXT_ONE_LINE);
        if (date)
                fprintf(f, ", set %s", date);
        fputc(')', f);
}

void journal_print_what(FILE *f, json_t *e, bool with_date) {
        const char *source = client_json_str(e, "source", "?"), *phrase = note_phrase(source);
        _cleanup_free_ char *date = with_date ? text_sanitize(client_json_str(e, "date", "?"), TEXT_ONE_LINE) : NULL;

        if (journal_entry_is_answer(e)) {
                /* An answer always has its question; the title is for a daemon that left it out. */
                text_print(f, client_json_str(e, "question", review_title(source)), TEXT_ONE_LINE);
                if (date)
                        fprintf(f, " (%s)", date);
        } else if (streq(source, "goal"))
                print_goal(f, e, date);
        else {
                /* A source newer than this client is named as the daemon calls it. */
                const char *habit = client_json_str(e, "habit", phrase ? "?" : NULL);
                if (phrase)
                        fputs(phrase, f);
                else
                        text_print(f, source, TEXT_ONE_LINE);
                if (habit) {
                        fputc(' ', f);
                        text_print(f, habit, TEXT_ONE_LINE);
                }
                if (date)
                        fprintf(f, " (%s)", date);
        }
}
