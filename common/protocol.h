/* The wire protocol: Varlink framing, message shapes, error names and the
 * parameter checks the daemon runs before any handler.
 *
 * A message is one JSON object terminated by a NUL byte. Calls are
 *   {"method": "io.lookback.X", "parameters": {...}}
 * and replies are {"parameters": {...}} or
 *   {"error": "io.lookback.SomeError", "parameters": {...}}.
 * Both programs build and read messages only through this module. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* No message, in either direction, may exceed this (NUL included). */
#define VARLINK_MESSAGE_MAX (1024 * 1024)
/* Longest string parameter a method accepts unless its row says otherwise. */
#define VARLINK_STRING_MAX (512 * 1024)
/* A check-in's or skip's note, a pause's reason, a goal's text or reason, in
 * bytes. Here, not in the daemon alone: the client states it when refused. */
#define NOTE_MAX 4096

#define LOOKBACK_INTERFACE        "io.lookback"
#define VARLINK_SERVICE_INTERFACE "org.varlink.service"

/* Errors defined by the Varlink service interface. */
#define VARLINK_ERROR_METHOD_NOT_FOUND    "org.varlink.service.MethodNotFound"
#define VARLINK_ERROR_INTERFACE_NOT_FOUND "org.varlink.service.InterfaceNotFound"
#define VARLINK_ERROR_INVALID_PARAMETER   "org.varlink.service.InvalidParameter"
/* lookback's own errors; each is documented in daemon/io.lookback.varlink. */
#define LOOKBACK_ERROR_INVALID_MESSAGE   "io.lookback.InvalidMessage"
#define LOOKBACK_ERROR_MESSAGE_TOO_LARGE "io.lookback.MessageTooLarge"
#define LOOKBACK_ERROR_UNKNOWN_HABIT     "io.lookback.UnknownHabit"
#define LOOKBACK_ERROR_HABIT_IS_REVIEW   "io.lookback.HabitIsReview"
#define LOOKBACK_ERROR_FUTURE_DATE       "io.lookback.FutureDate"
#define LOOKBACK_ERROR_EMPTY_ANSWER      "io.lookback.EmptyAnswer"
#define LOOKBACK_ERROR_NOTHING_PENDING   "io.lookback.NothingPending"
#define LOOKBACK_ERROR_ALREADY_PAUSED    "io.lookback.AlreadyPaused"
#define LOOKBACK_ERROR_NOT_PAUSED        "io.lookback.NotPaused"
#define LOOKBACK_ERROR_PAUSE_OVERLAPS    "io.lookback.PauseOverlaps"
#define LOOKBACK_ERROR_NO_SUCH_GOAL      "io.lookback.NoSuchGoal"
#define LOOKBACK_ERROR_AMBIGUOUS_GOAL    "io.lookback.AmbiguousGoal"
#define LOOKBACK_ERROR_ALREADY_ANSWERED  "io.lookback.AlreadyAnswered"
#define LOOKBACK_ERROR_INVALID_QUERY     "io.lookback.InvalidQuery"
#define LOOKBACK_ERROR_IMPORT_REFUSED    "io.lookback.ImportRefused"
#define LOOKBACK_ERROR_NO_SUCH_RECORD    "io.lookback.NoSuchRecord"
#define LOOKBACK_ERROR_AMBIGUOUS_RECORD  "io.lookback.AmbiguousRecord"
#define LOOKBACK_ERROR_FILE_EXISTS       "io.lookback.FileExists"
#define LOOKBACK_ERROR_FILE_ERROR        "io.lookback.FileError"
#define LOOKBACK_ERROR_SYNC_OFF          "io.lookback.SyncOff"
#define LOOKBACK_ERROR_BAD_DATABASE      "io.lookback.BadDatabase"
#define LOOKBACK_ERROR_REQUEST_REUSED    "io.lookback.RequestReused"
#define LOOKBACK_ERROR_DATABASE_DAMAGED  "io.lookback.DatabaseDamaged"
#define LOOKBACK_ERROR_INTERNAL          "io.lookback.InternalError"
#define LOOKBACK_ERROR_BUSY              "io.lookback.Busy"
/* Busy's reason when unread replies hold the daemon's output budget. */
#define LOOKBACK_BUSY_OUTPUT "replies to other clients wait to be read"

/* The longest idempotency key a write may carry (a UUID is 36), and the
 * characters it is made of. */
#define REQUEST_KEY_MAX   64
#define REQUEST_KEY_CHARS "0123456789abcdefABCDEF-"

/* Whether @key can be an idempotency key. */
bool request_key_valid(const char *key);

/* Accumulates bytes read from a socket and cuts them into messages. */
typedef struct {
        char *data;
        size_t size;
        size_t allocated;
} FrameBuffer;

/* Appends @n bytes. Returns 0, -ENOMEM, or -EMSGSIZE when the buffer would
 * hold an unterminated message longer than VARLINK_MESSAGE_MAX. */
int frame_buffer_feed(FrameBuffer *b, const void *data, size_t n);
/* Takes the next complete message out of @b. Returns 1 and a malloc'd
 * NUL-terminated string, 0 when no complete message is buffered, -ENOMEM. */
int frame_buffer_pop(FrameBuffer *b, char **ret);
/* True when part of a message is buffered. */
bool frame_buffer_partial(const FrameBuffer *b);
void frame_buffer_done(FrameBuffer *b);

typedef struct {
        json_t *root; /* owns the strings below */
        const char *method;
        json_t *parameters; /* an object, never NULL */
        bool oneway;        /* the caller wants no reply */
        bool more;          /* the caller accepts a series of replies */
} VarlinkCall;

/* Parses a call. Returns 0, or -EBADMSG when @text is not JSON, not an
 * object, has no string "method", or has "parameters" that is not an object. */
int varlink_call_parse(const char *text, VarlinkCall *ret);
void varlink_call_done(VarlinkCall *c);

/* Message constructors. They steal the reference to @parameters (which may
 * be NULL for an empty object) and return NULL on OOM. */
json_t *varlink_call_new(const char *method, json_t *parameters);
json_t *varlink_reply_new(json_t *parameters);
json_t *varlink_error_new(const char *error, json_t *parameters);
/* InvalidParameter naming @parameter. */
json_t *varlink_error_invalid_parameter(const char *parameter);

/* Serializes @msg compactly and appends the NUL: *ret_size counts it.
 * Returns 0, -ENOMEM, or -EMSGSIZE over VARLINK_MESSAGE_MAX. */
int varlink_message_format(json_t *msg, char **ret, size_t *ret_size);

/* A reply too large for one message is sent as a series (Varlink's
 * "continues": true on all but the last), each carrying a slice of its one
 * large array or string parameter. A VarlinkSeries holds that parameter
 * as formatted text only (each array element dumped once, a string kept as
 * it is), not as a JSON tree, and formats one message at a time: the
 * server asks for the next one only as the socket drains, so an unread
 * reply costs its text, once. */
typedef struct VarlinkSeries VarlinkSeries;

/* Prepares @parameters (borrowed) to go out as messages of at most @limit
 * bytes each. Returns 0, -EMSGSIZE when it cannot be cut that way (no
 * array or string to cut, or one element alone too large), -ENOMEM. */
int varlink_series_new(json_t *parameters, size_t limit, VarlinkSeries **ret);
/* The next message, formatted and NUL-terminated (*ret_size counts the
 * NUL). Returns 1, 0 when every message was given out, or -ENOMEM. */
int varlink_series_next(VarlinkSeries *s, char **ret, size_t *ret_size);
/* Bytes the series still holds: what its memory costs. */
size_t varlink_series_held(const VarlinkSeries *s);
VarlinkSeries *varlink_series_free(VarlinkSeries *s);
/* Joins the parameters of the rest of a series (@mores, an array of
 * objects) into the first reply's: strings are appended, arrays extended,
 * anything else replaced. 0, -ENOMEM or -EBADMSG. */
int varlink_reply_merge(json_t *into, json_t *mores);

/* Reads a reply. Returns 0 with *ret_error NULL and *ret_parameters set for
 * success; 0 with *ret_error set (a borrowed pointer into @root) for an
 * error reply; -EBADMSG for anything else. @root must outlive both. */
int varlink_reply_parse(json_t *root, const char **ret_error, json_t **ret_parameters);

typedef enum {
        PARAM_STRING,
        PARAM_INTEGER,
        PARAM_BOOLEAN,
        PARAM_ARRAY,
        PARAM_OBJECT,
} ParamType;

/* One parameter of a method: its name, JSON type, whether it must be
 * present, for strings the longest accepted (0: VARLINK_STRING_MAX), and
 * where varlink_dispatch() puts it in the method's parameter struct: a
 * const char * (string), int64_t (integer), bool (boolean) or a borrowed
 * json_t * (array, object). As systemd's sd_json_dispatch tables do. */
typedef struct {
        const char *name;
        ParamType type;
        bool required;
        size_t max_length;
        size_t offset;
} ParamSpec;

/* Checks @parameters against @specs (terminated by a row with name NULL):
 * every required one present, every present one of its type (JSON null
 * counts as absent for optional ones), strings within their limit, and no
 * parameter the method does not know. Returns 0, or -EINVAL with
 * *ret_bad naming the first offending parameter. */
int varlink_check_parameters(const ParamSpec *specs, json_t *parameters, const char **ret_bad);

/* Checks like varlink_check_parameters(), then decodes every parameter
 * into @ret (zeroed by the caller) by its row's offset. Pointers borrow
 * from @parameters. Returns 0 or -EINVAL with *ret_bad set. */
int varlink_dispatch(const ParamSpec *specs, json_t *parameters, void *ret, const char **ret_bad);

/* Convenience readers for checked parameters: NULL / @def when absent or null. */
const char *varlink_get_string(json_t *parameters, const char *name);
