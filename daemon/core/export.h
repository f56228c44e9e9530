/* An export: a RecordSet rendered as the versioned JSON document
 * (daemon/lookback-export.schema.json) or as a readable Markdown journal.
 * Pure; what is in the set is the store's business. */
#pragma once

#include <jansson.h>

#include "records.h"

#define EXPORT_FORMAT_NAME "lookback-export"
#define EXPORT_VERSION     1

typedef enum {
        EXPORT_JSON,
        EXPORT_MARKDOWN,
        _EXPORT_FORMAT_MAX,
} ExportFormat;

const char *export_format_to_string(ExportFormat f);
int export_format_from_string(const char *s);

/* "2026-12-03T09:50:00.123456Z" (UTC, microseconds): exact both ways. */
#define EXPORT_TIME_MAX 64
char *export_time_format(int64_t usec, char buf[static EXPORT_TIME_MAX]);
/* 0 and *ret, or -EINVAL for anything but that exact form. */
int export_time_parse(const char *s, int64_t *ret);

/* The document, one record a line (so that a diff or git shows what
 * changed), malloc'd; NULL when out of memory. */
char *export_render_json(const RecordSet *set);
/* One section per review (newest first), then free notes, then habits
 * with their notes, then goals with their history. */
char *export_render_markdown(const RecordSet *set);

/* One record as the document has it, for a renderer or a test. */
json_t *export_answer_json(const RecordAnswer *a);
