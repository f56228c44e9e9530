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
#define TEMPLATE_TEXT_MAX (512 * 1024)
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

/* Reads an edited template back. Entries come in document order; headings
 * with no text are left out. Text before the first heading is the answer to
 * questions[0] (or to a question "" when there are none); if that question
 * also has its own heading, the two texts are joined with a blank line.
 * Returns 0; -ENODATA when every answer is empty ("aborted"); -E2BIG when
 * @text is over TEMPLATE_TEXT_MAX or yields over TEMPLATE_ENTRIES_MAX
 * entries; -ENOMEM. On error *ret is left empty. */
int template_parse(const char *text, char *const *questions, size_t n_questions, TemplateAnswers *ret);

void template_answers_done(TemplateAnswers *a);
