/* What every `lookback` subcommand shares: the command table's row type,
 * global options, the call to the daemon and error printing. */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "date.h"

/* Exit codes, documented in the README. */
#define EXIT_USAGE       2
#define EXIT_UNAVAILABLE 69 /* sysexits' EX_UNAVAILABLE: the daemon cannot be reached, or is busy */

typedef struct {
        bool json;     /* --json: print the daemon's reply as JSON */
        bool no_pager; /* --no-pager: long output straight to stdout */
        day_t today;
} ClientContext;

typedef struct {
        const char *name;
        const char *usage;   /* after "lookback " */
        const char *summary; /* one line, for `lookback --help` */
        const char *help;    /* the rest of `lookback NAME --help` */
        int (*run)(ClientContext *ctx, int argc, char *argv[]);
} Command;

extern const Command cmd_answer, cmd_history, cmd_done, cmd_status, cmd_log, cmd_habits, cmd_snooze, cmd_skip,
        cmd_remind, cmd_pause, cmd_resume, cmd_goal, cmd_report, cmd_search, cmd_onthisday, cmd_themes, cmd_export,
        cmd_import, cmd_undo, cmd_forget, cmd_backup, cmd_restore, cmd_sync;

typedef struct {
        json_t *root;
        const char *error;  /* NULL on success */
        json_t *parameters; /* never NULL once the call returned 0 */
} ClientReply;

/* Calls @method with @parameters (stolen; NULL for none). Returns 0 with
 * @ret filled — check ret->error — or a negative errno when the daemon
 * could not be reached or answered nonsense; then, unless @quiet, the
 * reason and how to start the daemon have been printed. */
int client_call(const char *method, json_t *parameters, bool quiet, ClientReply *ret);
void client_reply_done(ClientReply *r);
/* Whether the last call's request reached the daemon: when it then failed,
 * it may have been done all the same (a resend with the same request id is
 * safe). */
bool client_call_sent(void);
/* This invocation's idempotency key, sent with every write: made once (a
 * random UUID) unless set from --request-id or a draft. */
const char *client_request_id(void);
/* Sets it; -EINVAL for text that is not a key. */
int client_set_request_id(const char *id);
/* The command line, for the "send it again" line (as typed; a command
 * that resolves what it does first, like undo, sets the resolved one). */
void client_set_argv(char **argv);
/* Says that a write may or may not have been done, and the command that
 * sends it again safely. */
void client_print_unsure(int r);
/* What precedes that command, on the same line. */
#define CLIENT_RESEND_UNSURE "Send it again once lookbackd runs; it will not be recorded twice: "

/* Prints one line for an error reply and returns the exit code to use. */
int client_print_error(const ClientReply *r);
/* Prints the message for an unreachable daemon (used after a quiet call). */
void client_print_unreachable(int r);
/* Prints @parameters as indented JSON on stdout; returns 0. */
int client_print_json(json_t *parameters);
/* The string member @key of the reply object @o, or @fallback when it is
 * absent, null or not a string. */
const char *client_json_str(json_t *o, const char *key, const char *fallback);

/* Parses a DATE argument (YYYY-MM-DD, today, yesterday) into "YYYY-MM-DD"
 * (syntax only: whether a future date makes sense is the daemon's call);
 * prints the error and returns -EINVAL for anything else. */
int client_parse_date(const ClientContext *ctx, const char *text, char ret[static DATE_STR_MAX]);
/* The same, refusing days after today (answers, check-ins, skips, reports). */
int client_parse_past_date(const ClientContext *ctx, const char *text, char ret[static DATE_STR_MAX]);
/* --from DATE and --to DATE, as the commands that take a range parse them. */
typedef struct {
        char from_buf[DATE_STR_MAX], to_buf[DATE_STR_MAX];
        const char *from, *to; /* NULL when not given */
} DateRange;
/* getopt's 'f' (--from) or 't' (--to) with its @arg, into @r; @past
 * refuses days after today. 0, or EXIT_USAGE after saying what is wrong. */
int client_range_option(const ClientContext *ctx, int opt, const char *arg, bool past, DateRange *r);
/* Exits-code helper: "--from is after --to" when both are set. 0 or EXIT_USAGE. */
int client_check_range(const char *from, const char *to, const char *from_opt, const char *to_opt);
/* @path made absolute against the working directory: the daemon's is not
 * ours. Returns 0, or -ENOMEM / -errno from getcwd(). */
int client_absolute_path(const char *path, char **ret);
/* `lookback CMD --help`. */
void command_help(const Command *c);
/* Prints "lookback: " and the message to stderr; returns @code. */
int client_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* For commands whose only option is --help. Returns 1 to go on (optind at
 * the first operand), 0 after printing the help, or -EXIT_USAGE. */
int command_parse_help_only(const Command *c, int argc, char *argv[]);
/* The optional weekly|halfyear operand at argv[optind] (default weekly).
 * Returns 0, or -EXIT_USAGE after saying what is wrong. */
int command_kind_operand(const Command *c, int argc, char *argv[], const char **ret);
/* "weekly review" / "half-year review" for a kind's wire name. */
const char *review_title(const char *kind);

/* Prints a successful reply for people. */
typedef void (*ClientPrinter)(json_t *parameters, const void *userdata);
/* The usual shape of a command: call @method, then print the error, the
 * JSON (--json) or, through @print, the text. Returns the exit code. */
int client_call_print(const ClientContext *ctx, const char *method, json_t *parameters, ClientPrinter print,
                      const void *userdata);

/* The --date DATE (never after today) and --note TEXT that check-ins and
 * skips take. date and note are NULL when not given. */
typedef struct {
        char date_buf[DATE_STR_MAX];
        const char *date;
        const char *note;
} DateNote;
/* Parses them for @c; returns 1 to go on (optind at the first operand), 0
 * after printing the help, or -EXIT_USAGE after saying what is wrong. */
int command_parse_date_note(const Command *c, const ClientContext *ctx, int argc, char *argv[], DateNote *ret);
