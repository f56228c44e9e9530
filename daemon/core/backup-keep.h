/* Which automatic snapshots to keep: the retention rule, as a pure
 * function of the days that have a snapshot, the rule and today.
 *
 * The rule has three independent parts; a snapshot is kept if any part
 * keeps it:
 *   daily   N: the newest N snapshots (one per day, by its name);
 *   weekly  N: the newest snapshot of each of the newest N weeks that have
 *              one (weeks begin on week_start);
 *   monthly N: the newest snapshot of each of the newest N calendar months
 *              that have one.
 * Snapshots dated after today (a clock that went back) are always kept and
 * count for nothing: a wrong clock must not delete anything.
 *
 * The parts overlap (today's snapshot is a daily, this week's and this
 * month's), and that is what makes the rule stable: what a later day keeps
 * was kept on every day before, so pruning every day leaves exactly what
 * the rule picks from the full history, never less. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

/* The most any part may keep: a snapshot a day for 30 years. */
#define BACKUP_KEEP_MAX 10000

typedef struct {
        unsigned daily;
        unsigned weekly;
        unsigned monthly;
} BackupKeep;

/* Sets keep[i] for each of @days[0..n) (in any order, no duplicates) that
 * the rule keeps. Returns 0, or -ENOMEM. */
int backup_keep_select(const day_t *days, size_t n, BackupKeep rule, day_t today, WeekStart ws, bool *keep);
