#include "records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const record_kind_names[_RECORD_KIND_MAX] = {
        [RECORD_ANSWER] = "answer", [RECORD_CHECKIN] = "checkin", [RECORD_SKIP] = "skip",
        [RECORD_PAUSE] = "pause",   [RECORD_GOAL] = "goal",       [RECORD_GOAL_CHANGE] = "goal-change",
        [RECORD_NOTE] = "note",
};

const char *record_kind_to_string(RecordKind k) {
        return k >= 0 && k < _RECORD_KIND_MAX ? record_kind_names[k] : NULL;
}

int record_kind_from_string(const char *s) {
        for (int k = 0; s && k < _RECORD_KIND_MAX; k++)
                if (strcmp(record_kind_names[k], s) == 0)
                        return k;
        return -EINVAL;
}

static const char *const prompt_state_names[_PROMPT_STATE_MAX] = {
        [PROMPT_PENDING] = "pending",
        [PROMPT_ANSWERED] = "answered",
        [PROMPT_SKIPPED] = "skipped",
        [PROMPT_SUPERSEDED] = "superseded",
};

const char *prompt_state_to_string(PromptState s) {
        return s >= 0 && s < _PROMPT_STATE_MAX ? prompt_state_names[s] : NULL;
}

int prompt_state_from_string(const char *s) {
        for (int k = 0; s && k < _PROMPT_STATE_MAX; k++)
                if (strcmp(prompt_state_names[k], s) == 0)
                        return k;
        return -EINVAL;
}

int records_grow(void **items, size_t size, size_t n, size_t *allocated) {
        if (n < *allocated)
                return 0;
        size_t want = *allocated ? *allocated * 2 : 16;
        void *p = reallocarray(*items, want, size);
        if (!p)
                return -ENOMEM;
        *items = p;
        *allocated = want;
        return 0;
}

static void marks_done(RecordMark *m, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(m[i].habit);
                free(m[i].note);
        }
        free(m);
}

void records_done(RecordSet *set) {
        for (size_t i = 0; i < set->n_answers; i++) {
                for (size_t j = 0; j < set->answers[i].n_entries; j++) {
                        free(set->answers[i].entries[j].question);
                        free(set->answers[i].entries[j].answer);
                }
                free(set->answers[i].entries);
        }
        free(set->answers);
        marks_done(set->checkins, set->n_checkins);
        marks_done(set->skips, set->n_skips);
        for (size_t i = 0; i < set->n_pauses; i++) {
                free(set->pauses[i].habit);
                free(set->pauses[i].reason);
        }
        free(set->pauses);
        for (size_t i = 0; i < set->n_goals; i++)
                free(set->goals[i].text);
        free(set->goals);
        for (size_t i = 0; i < set->n_goal_changes; i++)
                free(set->goal_changes[i].reason);
        free(set->goal_changes);
        for (size_t i = 0; i < set->n_notes; i++) {
                free(set->notes[i].title);
                free(set->notes[i].body);
        }
        free(set->notes);
        free(set->prompts);
        free(set->tombstones);
        free(set->host);
        *set = (RecordSet){};
}
