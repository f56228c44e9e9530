/* The answer template: what `lookback answer` puts in the editor, and how the
 * edited text is read back. Pure: strings in, strings out.
 *
 * Format (like `git commit`):
 *   # comment lines (any line starting with '#' that is not a heading)
 *   ## Question heading
 *   answer text...
 * Text before the first heading answers the first question. A heading that
 * matches no configured question is kept with its text: user text is never
 * dropped. */
#pragma once

#include <stddef.h>

/* Limits, checked before anything is stored. */
#define TEMPLATE_TEXT_MAX    (512 * 1024)
#define TEMPLATE_ENTRIES_MAX 64

typedef struct {
        char *question;
        char *answer; /* trimmed; never empty */
} TemplateEntry;

typedef struct {
        TemplateEntry *entries;
        size_t n_entries;
} TemplateAnswers;

/* Renders the editor template: "# lookback: @title" then the fixed help
 * comment lines, then one "## question" heading per question with a blank
 * line after each. Returns a malloc'd string, or NULL on OOM. */
char *template_render(const char *title, char *const *questions, size_t n_questions);
/* The template with an answer's text under each of its questions: what
 * `lookback answer --edit` opens. template_parse() with the same questions
 * reads it back. */
char *template_render_filled(const char *title, const TemplateEntry *entries, size_t n_entries);

/* Reads an edited template back. Entries come in document order; headings
 * with no text are left out. Text before the first heading is the answer to
 * questions[0] (or to a question "" when there are none); if that question
 * also has its own heading, the two texts are joined with a blank line.
 * Returns 0; -ENODATA when every answer is empty ("aborted"); -E2BIG when
 * @text is over TEMPLATE_TEXT_MAX or yields over TEMPLATE_ENTRIES_MAX
 * entries; -ENOMEM. On error *ret is left empty. */
int template_parse(const char *text, char *const *questions, size_t n_questions, TemplateAnswers *ret);

void template_answers_done(TemplateAnswers *a);

/* template_render() with @notes (lines shown as '#' comments under the
 * header: the habits slipping, the half-year's numbers, what was written
 * six months ago) and an @appendix after the questions (the goals
 * section). Either may be NULL. */
char *template_render_full(const char *title, const char *notes, char *const *questions, size_t n_questions,
                           const char *appendix);

/* The half-year review asks about each open goal in a section of its own:
 *   ## Goals: mark each [achieved] or [dropped], or leave it [open]
 *   [open] 3f2a9c1b Get a bartending licence
 * The person edits the word in brackets; the text is kept as an answer. */
#define TEMPLATE_GOALS_HEADING "Goals: mark each [achieved] or [dropped], or leave it [open]"

typedef struct {
        const char *id; /* a UUID or a prefix of one */
        const char *text;
} TemplateGoal;

typedef struct {
        char id[37];
        const char *status; /* "open", "achieved" or "dropped" (static) */
} TemplateGoalMark;

/* The goals section (empty string when there are none); malloc'd. */
char *template_goals_section(const TemplateGoal *goals, size_t n_goals);
/* Reads the marks back from that section's answer text. Returns 0 with a
 * malloc'd array (NULL when none); -EINVAL with *ret_bad_line (1-based) for a
 * bracketed word that is not a status; -ENOMEM. */
int template_goal_marks(const char *answer, TemplateGoalMark **ret, size_t *ret_n, size_t *ret_bad_line);
