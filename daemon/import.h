/* Reading what an import brings: a file named by the client, read by the
 * daemon (the same user: the socket's peer check says so), into records.
 * Nothing here touches the database; the merge is store_records_merge(). */
#pragma once

#include "changes.h"
#include "records.h"

/* A file larger than this is refused before it is read: a ten-year
 * journal with thirty daily habits exports to about 25 MB. */
#define IMPORT_SIZE_MAX (64U * 1024U * 1024U)

/* Why a file was refused, and where: line and column (from 1) in the
 * text, or a JSON path ("$.checkins[3].date") in the document. */
typedef struct {
        char *reason;
        int line, column; /* 0: not about a place in the text */
        char *path;       /* NULL: not about a field */
} ImportError;

void import_error_done(ImportError *e);

/* Reads the whole of @path (a regular file, at most IMPORT_SIZE_MAX) into
 * a NUL-terminated buffer. -errno with @err filled. */
int import_read_file(const char *path, char **ret, size_t *ret_size, ImportError *err);

/* Parses a lookback export (daemon/lookback-export.schema.json, version
 * 1). A malformed, truncated, wrong-format or future-version document:
 * -EINVAL (or -EPROTONOSUPPORT for a newer version) with @err filled. */
int import_parse_export(const char *text, size_t size, RecordSet *ret, ImportError *err);

/* Parses one line of a sync log (changes.h): 0 and @ret for a change, 1
 * and @ret_header for the header line, or -EINVAL (-EPROTONOSUPPORT for a
 * newer version) with @err saying why (its column, when it is not JSON). */
int import_parse_change(const char *line, size_t size, Change *ret, ChangeHeader *ret_header, ImportError *err);
