#include "journal.h"

static const char *const source_names[_JOURNAL_SOURCE_MAX] = {
        [JOURNAL_WEEKLY] = "weekly", [JOURNAL_HALFYEAR] = "halfyear", [JOURNAL_CHECKIN] = "checkin",
        [JOURNAL_SKIP] = "skip",     [JOURNAL_PAUSE] = "pause",       [JOURNAL_GOAL] = "goal", [JOURNAL_NOTE] = "note",
};

const char *journal_source_to_string(JournalSource s) {
        return s >= 0 && s < _JOURNAL_SOURCE_MAX ? source_names[s] : "?";
}

bool journal_source_is_answer(JournalSource s) {
        return s == JOURNAL_WEEKLY || s == JOURNAL_HALFYEAR;
}
