/* What the report's renderers share: the sentences every format words the
 * same way, and the small formatters behind them. Private to report*.c. */
#pragma once

#include <stdio.h>

#include "report.h"
#include "strbuf.h"

/* "Mon 21 Aug 2023" plus NUL, with room for any int year. */
#define REPORT_DAY_MAX 32
/* "4294967295 months" plus NUL. */
#define REPORT_EVERY_MAX CADENCE_TEXT_MAX
/* "100.0%" or "n/a" plus NUL, with room to spare. */
#define REPORT_PERCENT_MAX 16
/* "Goals: 4294967295 of ..." four times over, plus NUL. */
#define REPORT_SUMMARY_MAX 96
/* Strip cells per text line: a year of weeks still fits in 80 columns. */
#define REPORT_STRIP_WRAP 52

typedef struct {
        unsigned set, achieved, dropped, open;
} ReportGoalCounts;

extern const char *const report_weekday_names[7];
extern const char *const report_month_names[12];

/* User text (names, goals, reasons, notes), made safe for @f. */
void report_buf_user(StrBuf *b, ReportFormat f, const char *s);
/* A habit's name as the lead of a line: bold where the format has bold. */
void report_buf_name(StrBuf *b, ReportFormat f, const char *name);
char *report_day_human(day_t day, char buf[static REPORT_DAY_MAX]);
char *report_every_format(Every e, char buf[static REPORT_EVERY_MAX]);
void report_buf_periods(StrBuf *b, unsigned count, Every e);
const char *report_fate_cell(PeriodFate f);
bool report_adherence(const HabitView *h, double *ret);
double report_round(double x, double scale);
char *report_percent(const HabitView *h, char buf[static REPORT_PERCENT_MAX]);
bool report_lapse_covers(const Lapse *l, Period p);
bool report_pause_covers(const HabitPause *pause, Period p);
ReportGoalCounts report_goal_counts(const Report *r);
void report_buf_strip(StrBuf *b, const HabitView *h, const char *wrap_indent);

void report_buf_lapse(StrBuf *b, ReportFormat f, const HabitView *rh, const Lapse *l);
void report_buf_pause(StrBuf *b, ReportFormat f, const HabitView *rh, const HabitPause *p);
void report_buf_numbers(StrBuf *b, const HabitView *h, const char *separator);
char *report_goals_summary(const Report *r, char buf[static REPORT_SUMMARY_MAX]);
void report_buf_goal(StrBuf *b, ReportFormat f, const ReportGoal *g);
/* "Sat 3 Jun 2023, checked in: finished 'Piranesi'" */
void report_buf_note(StrBuf *b, ReportFormat f, const HabitNote *n);
bool report_habit_held(const HabitView *rh);
/* Whether any habit in @r has a note in the range. */
bool report_has_notes(const Report *r);

void report_text(StrBuf *b, const Report *r, ReportFormat f);
void report_html(StrBuf *b, const Report *r);
