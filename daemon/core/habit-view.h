/* The one view of a habit: its history (periods.h) seen at the end of a
 * day, restricted to a range. Every place that shows a habit — `lookback
 * status` and `habits`, the report in every format, the templates' notes,
 * the lapse notification — renders this struct and decides nothing itself.
 *
 * The live view is the range [start, today] seen on @today; a report is
 * [from, to] seen at the end of @to. Figures over the whole history up to
 * @to: status, current_streak, longest_streak, strength, last_done,
 * lapsed_since. Figures counted inside the range say so: the periods that
 * end in it (plus the open one), met, missed, skipped, paused, adherence,
 * longest_streak_in_range, the lapses, pauses and notes that touch it. */
#pragma once

#include "periods.h"

typedef enum {
        HABIT_OK,
        HABIT_AT_RISK,
        HABIT_LAPSED,
        HABIT_PAUSED,
        HABIT_NEW,
        _HABIT_STATUS_MAX,
} HabitStatus;

typedef enum {
        NOTE_CHECKIN,
        NOTE_SKIP,
        NOTE_PAUSE,
        _NOTE_KIND_MAX,
} HabitNoteKind;

/* Something written with a check-in or a skip, or a pause's reason. */
typedef struct {
        HabitNoteKind kind;
        day_t day; /* a pause's first day */
        const char *text;
} HabitNote;

typedef struct {
        const HabitInput *input; /* borrowed: name, times, lapse_after, since */
        Every every;
        day_t from, to, today;
        HabitHistory history;
        /* The range's periods (a slice of history.periods): those ending in
         * [from, to], then the open one if there is one. */
        const HabitPeriod *periods;
        size_t n_periods;
        const Lapse *lapses; /* a slice of history.lapses: those reaching into the range */
        size_t n_lapses;
        const HabitPause **pauses; /* the pauses overlapping the range */
        size_t n_pauses;
        HabitNote *notes; /* in the range, oldest first */
        size_t n_notes;
        unsigned finished; /* met + missed + skipped + paused */
        unsigned met, missed, skipped, paused;
        bool has_adherence;
        double adherence; /* met / (met + missed) */
        unsigned longest_streak_in_range;
        HabitStatus status; /* at the end of @to */
        bool lapsed;
        day_t lapsed_since;
        unsigned lapsed_missed;
} HabitView;

/* Computes the view of @in over [from, to] seen at the end of @to, with
 * @today the day in progress. @in must outlive the view. Returns 0,
 * -EINVAL (from > to, to > today, a bad input), -E2BIG or -ENOMEM. */
int habit_view_compute(const HabitInput *in, day_t from, day_t to, day_t today, HabitView *ret);
/* The live view: the whole history, seen on @today. */
int habit_view_live(const HabitInput *in, day_t today, HabitView *ret);
void habit_view_done(HabitView *v);

/* The period in progress and what it holds so far: the period containing
 * @to when it is not over. False for a past range ending on a period end. */
bool habit_view_open(const HabitView *v, const HabitPeriod **ret);

/* "ok", "at-risk", "lapsed", "paused", "new"; NULL outside the enum. */
const char *habit_status_to_string(HabitStatus s);
/* "checkin", "skip", "pause". */
const char *habit_note_kind_to_string(HabitNoteKind k);

/* The period of the view's history that contains @day (finished or open);
 * false when @day is outside the history seen. */
bool habit_view_period(const HabitView *v, day_t day, const HabitPeriod **ret);
