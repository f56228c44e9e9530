/* Lapse flags: the moment a habit's missed run reaches lapse_after, one
 * notification, once per lapse, remembered across restarts.
 *
 * Periods end at local midnight, so one CLOCK_REALTIME timer is armed at
 * the soonest next period end over all habits; when it fires every habit is
 * checked (cheap) and the timer re-armed. Nothing polls. Start-up, a config
 * reload and a clock change check too, so lapses that began while the
 * daemon was down are flagged then. */
#pragma once

typedef struct Manager Manager;

int lapses_check(Manager *m, const char *why);
void lapses_stop(Manager *m);
