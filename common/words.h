/* The words both programs read on the wire: every habit status, period
 * fate and goal status, spelled once. The core's tables and the client's
 * comparisons use these, never a literal. */
#pragma once

#define WORD_STATUS_OK      "ok"
#define WORD_STATUS_AT_RISK "at-risk"
#define WORD_STATUS_LAPSED  "lapsed"
#define WORD_STATUS_PAUSED  "paused"
#define WORD_STATUS_NEW     "new"

#define WORD_FATE_MET     "met"
#define WORD_FATE_SKIPPED "skipped"
#define WORD_FATE_PAUSED  "paused"
#define WORD_FATE_MISSED  "missed"
#define WORD_FATE_OPEN    "open"

#define WORD_GOAL_OPEN     "open"
#define WORD_GOAL_ACHIEVED "achieved"
#define WORD_GOAL_DROPPED  "dropped"
