/* lookback answer: write a review, in the editor or from a file.
 *
 * Nothing typed is ever lost: the editor works on a draft file under
 * $XDG_STATE_HOME/lookback/drafts, which is removed only once the daemon
 * acknowledged the answer (after its COMMIT); text from stdin is saved as a
 * draft when the daemon cannot take it. */
#include <errno.h>
#include <stdlib.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "editor.h"
#include "template.h"
#include "util.h"

static int run(ClientContext *ctx, int argc, char *argv[]);

const Command cmd_answer = {
        .name = "answer",
        .usage = "answer [weekly|halfyear] [--date DATE] [--file FILE|-] | answer --edit [ID|weekly|halfyear]",
        .summary = "write a review: opens your editor on the questions",
        .help = "Without --file, on a terminal, opens $VISUAL or $EDITOR (else vi) on a template:\n"
                "write under each '## ' question; lines starting with '#' are ignored; an\n"
                "empty file aborts. With --file (or when stdin is not a terminal) the same\n"
                "format is read from FILE or stdin.\n"
                "\n"
                "Options:\n"
                "  -d, --date DATE  review the period containing DATE (back-filling is fine);\n"
                "                   default: the oldest pending prompt, else the current period\n"
                "  -f, --file FILE  read the answer from FILE ('-' for stdin)\n"
                "  -e, --edit [ID]  open the newest version of the answer ID (the start of its\n"
                "                   id, as 'lookback log' shows it; default: the period's, as\n"
                "                   without --edit) with its text filled in; saving adds a\n"
                "                   new version and keeps the old one\n"
                "\n"
                "Answering a period again keeps both versions. If lookbackd cannot be reached,\n"
                "your text is saved under $XDG_STATE_HOME/lookback/drafts/ and the message says\n"
                "how to send it.\n",
        .run = run,
};

typedef enum { INPUT_EDITOR, INPUT_FILE, INPUT_STDIN } InputMode;

typedef struct {
        const char *kind;
        bool has_date;
        char date[DATE_STR_MAX];
        InputMode mode;
        const char *file;
        char *text;
        char *draft; /* the draft file holding the text, if any */
        char today[DATE_STR_MAX];
        json_t *tmpl; /* GetTemplate's reply parameters (borrowed) */
        bool edit;
        const char *edit_id; /* --edit ID: a prefix of an answer's id */
        json_t *edited;      /* the answer being edited (owned) */
        char **edited_questions;
} Answer;

static int parse_args(ClientContext *ctx, int argc, char *argv[], Answer *a) {
        static const struct option options[] = {
                { "date", required_argument, NULL, 'd' },
                { "file", required_argument, NULL, 'f' },
                { "edit", no_argument, NULL, 'e' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;
        while ((c = getopt_long(argc, argv, "d:f:eh", options, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        if (client_parse_past_date(ctx, optarg, a->date) < 0)
                                return -EDOM; /* said why already */
                        a->has_date = true;
                        break;
                case 'f':
                        a->file = optarg;
                        break;
                case 'e':
                        a->edit = true;
                        break;
                case 'h':
                        command_help(&cmd_answer);
                        return 1;
                default:
                        return -EINVAL;
                }
        }
        if (argc - optind > 1)
                return -EINVAL;
        a->kind = optind < argc ? argv[optind] : "weekly";
        /* With --edit the operand is an id, unless it names a kind. */
        if (a->edit && review_kind_from_string(a->kind) < 0) {
                a->edit_id = a->kind;
                a->kind = "weekly";
        }
        if (a->edit && (a->file || !isatty(STDIN_FILENO))) {
                client_error(0, "--edit opens the editor: it needs a terminal, and no --file");
                return -EDOM;
        }
        if (review_kind_from_string(a->kind) < 0) {
                client_error(0, "unknown review kind '%s': expected weekly or halfyear", a->kind);
                return -EINVAL;
        }
        if (a->file)
                a->mode = streq(a->file, "-") ? INPUT_STDIN : INPUT_FILE;
        else
                a->mode = isatty(STDIN_FILENO) ? INPUT_EDITOR : INPUT_STDIN;
        return 0;
}

/* A draft sent again carries the request id of its first try: if that
 * one was recorded after all, this one is not recorded twice. */
static void take_request_id(const Answer *a) {
        char id[REQUEST_KEY_MAX + 1];
        if (a->text && draft_find_request_id(a->text, id) > 0)
                (void) client_set_request_id(id);
}

static int read_input(Answer *a) {
        int r = a->mode == INPUT_FILE ? read_file(a->file, TEMPLATE_TEXT_MAX, &a->text)
                                      : read_all(stdin, TEMPLATE_TEXT_MAX, &a->text);
        char limit[TEXT_LIMIT_DESCRIBE_MAX];
        if (r == -E2BIG)
                return client_error(r, "%s is too large: an answer may be %s; nothing recorded",
                                    a->mode == INPUT_FILE ? a->file : "the input",
                                    text_limit_describe(TEMPLATE_TEXT_MAX, limit, sizeof(limit)));
        if (r < 0)
                return client_error(r, "cannot read %s: %s", a->mode == INPUT_FILE ? a->file : "stdin", strerror(-r));
        take_request_id(a);
        return 0;
}

/* The period the text is for: without --date, the one it was written in;
 * the resend command must say so, or next week takes it. */
static const char *text_period(const Answer *a) {
        return a->tmpl ? json_string_value(json_object_get(a->tmpl, "period_start"))
                       : (a->has_date ? a->date : a->today);
}

/* Text that was not recorded, for whatever reason, is kept: typed or piped
 * text in a draft (with the request id, so a resend is safe); a --file
 * stays where it is. Returns whether there is a draft to name. */
static bool keep_draft(Answer *a) {
        const char *period = text_period(a);
        if (a->draft || a->mode == INPUT_FILE)
                return a->draft != NULL;
        if (!a->text || a->text[strspn(a->text, " \t\r\n")] == '\0') {
                fprintf(stderr, "Nothing was typed, so no draft was kept.\n");
                return false;
        }
        _cleanup_free_ char *text = draft_text_with_id(a->text, client_request_id());
        if (!text || draft_create(a->kind, period ? period : "undated", text, &a->draft) < 0) {
                fprintf(stderr, "Could not save a draft either; your text follows:\n%s\n", a->text);
                return false;
        }
        return true;
}

/* "lookback answer KIND --date DAY --file PATH": the command that sends
 * @path as the answer for the same period. */
static void print_resend(const Answer *a, const char *path) {
        const char *period = text_period(a);
        fprintf(stderr, "Send it once lookbackd runs: lookback answer %s%s%s --file %s\n", a->kind,
                period ? " --date " : "", period ? period : "", path);
}

/* The daemon is gone, or went away before it answered. */
static int keep_text(Answer *a, int r) {
        bool unsure = client_call_sent();
        if (unsure)
                client_error(0,
                             "lookbackd went away before it answered (%s); the answer may or may not have been "
                             "recorded",
                             strerror(-r));
        else
                client_print_unreachable(r);
        if (a->mode == INPUT_FILE) {
                fprintf(stderr, "%s%s is unchanged.\n", unsure ? "" : "Nothing was recorded; ", a->file);
                /* The key goes with the file's text only if it is in it. */
                if (unsure)
                        fprintf(stderr, CLIENT_RESEND_UNSURE "lookback --request-id %s answer %s%s%s --file %s\n",
                                client_request_id(), a->kind, text_period(a) ? " --date " : "",
                                text_period(a) ? text_period(a) : "", a->file);
                else
                        print_resend(a, a->file);
                return EXIT_UNAVAILABLE;
        }
        if (keep_draft(a)) {
                fprintf(stderr, "Your text is saved in %s\n", a->draft);
                print_resend(a, a->draft);
        }
        return EXIT_UNAVAILABLE;
}

/* The daemon refused the answer (disk full, a bad date, ...): the text
 * is kept all the same. Returns @code. */
static int keep_refused(Answer *a, int code) {
        if (keep_draft(a))
                fprintf(stderr, "Your text is kept in %s\n", a->draft);
        return code;
}

static int fetch_template(Answer *a, ClientReply *reply) {
        json_t *params = json_pack("{s:s, s:s?}", "kind", a->kind, "date", a->has_date ? a->date : NULL);
        int r = client_call("io.lookback.GetTemplate", params, true, reply);
        if (r < 0)
                return keep_text(a, r);
        if (reply->error)
                return keep_refused(a, client_print_error(reply));
        a->tmpl = reply->parameters;
        return 0;
}

/* --edit ID: the answer's kind and period, from its id (Forget's dry run
 * finds a record by a prefix and removes nothing). */
static int resolve_edit_id(Answer *a) {
        ClientReply reply;
        int r = client_call("io.lookback.Forget", json_pack("{s:s, s:b}", "id", a->edit_id, "dry_run", true), false,
                            &reply);
        if (r < 0)
                return EXIT_UNAVAILABLE;
        if (reply.error) {
                r = client_print_error(&reply);
                client_reply_done(&reply);
                return r;
        }
        json_t *rec = json_object_get(reply.parameters, "record");
        if (!streq(client_json_str(rec, "kind", ""), "answer")) {
                client_reply_done(&reply);
                return client_error(1, "%s is not an answer: 'lookback log' shows the answers' ids", a->edit_id);
        }
        static char kind[16], id[64];
        snprintf(kind, sizeof(kind), "%s", client_json_str(rec, "detail", "weekly"));
        snprintf(id, sizeof(id), "%s", client_json_str(rec, "id", ""));
        snprintf(a->date, sizeof(a->date), "%s", client_json_str(rec, "date", ""));
        a->kind = kind;
        a->edit_id = id;
        a->has_date = true;
        client_reply_done(&reply);
        return 0;
}

/* The version to edit: the one with the id, or the period's newest. */
static int fetch_edited(Answer *a) {
        const char *start = json_string_value(json_object_get(a->tmpl, "period_start"));
        ClientReply reply;
        json_t *ans;
        size_t i;
        int r = client_call("io.lookback.Log",
                            json_pack("{s:s, s:s, s:s}", "kind", a->kind, "from", start, "to", start), false, &reply);
        if (r < 0)
                return EXIT_UNAVAILABLE;
        if (reply.error) {
                r = client_print_error(&reply);
                client_reply_done(&reply);
                return r;
        }
        json_array_foreach(json_object_get(reply.parameters, "answers"), i, ans) {
                if (!streq(client_json_str(ans, "period_start", ""), start))
                        continue;
                if (a->edit_id && !streq(client_json_str(ans, "id", ""), a->edit_id))
                        continue;
                a->edited = json_incref(ans);
                break;
        }
        client_reply_done(&reply);
        if (!a->edited)
                return client_error(1, "the %s for %s has no answer to edit yet: 'lookback answer %s%s%s' writes one",
                                    review_title(a->kind), client_json_str(a->tmpl, "label", start), a->kind,
                                    a->has_date ? " --date " : "", a->has_date ? a->date : "");
        json_t *e;
        json_array_foreach(json_object_get(a->edited, "entries"), i, e)
                if (strv_extend(&a->edited_questions, client_json_str(e, "question", "")) < 0)
                        return client_error(1, "out of memory");
        return 0;
}

static int questions_of(Answer *a, char ***ret) {
        size_t i;
        json_t *q;
        char **l = NULL;
        if (a->edited) {
                /* The edited version's own questions: the config may ask
                 * others now. */
                for (char **eq = a->edited_questions; eq && *eq; eq++)
                        if (strv_extend(&l, *eq) < 0)
                                return strv_free(l), -ENOMEM;
                *ret = l;
                return 0;
        }
        json_array_foreach(json_object_get(a->tmpl, "questions"), i, q)
                if (strv_extend(&l, json_string_value(q)) < 0)
                        return strv_free(l), -ENOMEM;
        *ret = l;
        return 0;
}

/* The half-year review's goals section, from GetTemplate's open goals. */
static char *goals_section(json_t *tmpl) {
        json_t *goals = json_object_get(tmpl, "goals");
        size_t n = json_array_size(goals), i;
        json_t *g;
        TemplateGoal *items = calloc(n ? n : 1, sizeof(TemplateGoal));
        if (!items)
                return NULL;
        json_array_foreach(goals, i, g)
                items[i] = (TemplateGoal){ json_string_value(json_object_get(g, "id")),
                                           json_string_value(json_object_get(g, "text")) };
        char *s = template_goals_section(items, n);
        free(items);
        return s;
}

static bool draft_unchanged(const char *path, const char *tmpl) {
        _cleanup_free_ char *now = NULL;
        return read_file(path, TEMPLATE_TEXT_MAX, &now) >= 0 && streq(now, tmpl);
}

/* The edited version's text under its questions. */
static char *edited_template(const Answer *a, const char *title) {
        json_t *entries = json_object_get(a->edited, "entries"), *e;
        size_t n = json_array_size(entries), i;
        TemplateEntry *items = calloc(n ? n : 1, sizeof(TemplateEntry));
        if (!items)
                return NULL;
        json_array_foreach(entries, i, e)
                items[i] = (TemplateEntry){ (char *) client_json_str(e, "question", ""),
                                            (char *) client_json_str(e, "answer", "") };
        char *s = template_render_filled(title, items, n);
        free(items);
        return s;
}

/* Writes the template to a draft, runs the editor on it, reads it back. */
static int edit(Answer *a, char **questions) {
        const char *title = json_string_value(json_object_get(a->tmpl, "title"));
        const char *notes = json_string_value(json_object_get(a->tmpl, "notes"));
        long long versions = json_integer_value(json_object_get(a->tmpl, "versions"));
        _cleanup_free_ char *goals = goals_section(a->tmpl);
        _cleanup_free_ char *tmpl =
                !goals      ? NULL
                : a->edited ? edited_template(a, title)
                            : template_render_full(title, notes, questions, strv_length(questions), goals);
        int status;

        if (!tmpl)
                return client_error(1, "out of memory");
        if (a->edited) {
                char day[DATE_STR_MAX];
                time_t t = (time_t) (json_integer_value(json_object_get(a->edited, "created")) / 1000000);
                fprintf(stderr, "Editing the version written %s; saving keeps it beside the new one.\n",
                        date_format(date_local_day(t), day));
        } else if (versions > 0)
                fprintf(stderr, "This period has %lld earlier answer%s; it will be kept beside the new one.\n",
                        versions, versions == 1 ? "" : "s");
        _cleanup_free_ char *with_id = draft_text_with_id(tmpl, client_request_id());
        if (!with_id)
                return client_error(1, "out of memory");
        int r = draft_create(a->kind, json_string_value(json_object_get(a->tmpl, "period_start")), with_id, &a->draft);
        if (r < 0)
                return client_error(1, "cannot create a draft file: %s", strerror(-r));
        r = editor_run(a->draft, &status);
        if (r == -ECHILD && draft_unchanged(a->draft, with_id)) {
                unlink(a->draft);
                return client_error(1, "the editor exited with status %d; nothing recorded", status);
        }
        if (r == -ECHILD)
                return client_error(1, "the editor exited with status %d; nothing recorded (your text is in %s)",
                                    status, a->draft);
        if (r < 0)
                return client_error(1, "cannot run the editor: %s", strerror(-r));
        r = read_file(a->draft, TEMPLATE_TEXT_MAX, &a->text);
        if (r < 0)
                return client_error(1, "cannot read %s back: %s", a->draft, strerror(-r));
        take_request_id(a);
        return 0;
}

static json_t *entries_json(const TemplateAnswers *t) {
        json_t *entries = json_array();
        for (size_t i = 0; entries && i < t->n_entries; i++)
                if (json_array_append_new(entries, json_pack("{s:s, s:s}", "question", t->entries[i].question, "answer",
                                                             t->entries[i].answer)) < 0)
                        return json_decref(entries), NULL;
        return entries;
}

/* Answers to questions, not counting the goals section. */
static size_t answers_written(const TemplateAnswers *t) {
        size_t n = 0;
        for (size_t i = 0; i < t->n_entries; i++)
                n += !streq(t->entries[i].question, TEMPLATE_GOALS_HEADING);
        return n;
}

/* Whether the goals section closes a goal or carries text of its own. */
static bool goals_marked(const TemplateAnswers *t) {
        for (size_t i = 0; i < t->n_entries; i++) {
                TemplateGoalMark *marks;
                size_t n, bad, lines = 0, closing = 0;
                const char *text = t->entries[i].answer;
                if (!streq(t->entries[i].question, TEMPLATE_GOALS_HEADING))
                        continue;
                if (template_goal_marks(text, &marks, &n, &bad) < 0)
                        return true; /* submit() says what is wrong with it */
                for (size_t k = 0; k < n; k++)
                        closing += !streq(marks[k].status, "open");
                free(marks);
                for (const char *p = text; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n'))
                        lines += strspn(p, " \t") != strcspn(p, "\n");
                if (closing > 0 || lines > n)
                        return true;
        }
        return false;
}

/* The goal marks from the goals section, those that close a goal. Returns
 * 0 (and NULL when there are none) or an exit code after an error. */
static int goal_marks_json(const TemplateAnswers *t, json_t **ret) {
        *ret = NULL;
        for (size_t i = 0; i < t->n_entries; i++) {
                TemplateGoalMark *marks;
                size_t n, bad;
                if (!streq(t->entries[i].question, TEMPLATE_GOALS_HEADING))
                        continue;
                int r = template_goal_marks(t->entries[i].answer, &marks, &n, &bad);
                if (r == -EINVAL)
                        return client_error(1, "line %zu of the goals section: use [achieved], [dropped] or [open]",
                                            bad);
                if (r < 0)
                        return client_error(1, "out of memory");
                if (!*ret)
                        *ret = json_array();
                for (size_t k = 0; *ret && k < n; k++)
                        if (!streq(marks[k].status, "open"))
                                json_array_append_new(
                                        *ret, json_pack("{s:s, s:s}", "id", marks[k].id, "status", marks[k].status));
                free(marks);
        }
        return 0;
}

static int submit(ClientContext *ctx, Answer *a, const TemplateAnswers *t) {
        ClientReply reply;
        json_t *goals;
        int e = goal_marks_json(t, &goals);
        if (e != 0)
                return keep_refused(a, e);
        json_t *params = json_pack("{s:s, s:s, s:o, s:o?}", "kind", a->kind, "date",
                                   json_string_value(json_object_get(a->tmpl, "period_start")), "entries",
                                   entries_json(t), "goals", goals);
        int r = client_call("io.lookback.Answer", params, true, &reply);
        if (r < 0)
                return keep_text(a, r);
        if (reply.error) {
                r = keep_refused(a, client_print_error(&reply));
                client_reply_done(&reply);
                return r;
        }
        /* Acknowledged, so committed: the draft can go — also one that was
         * resent with --file, as the message that saved it suggested. */
        if (a->draft && a->mode == INPUT_EDITOR)
                unlink(a->draft);
        else if (a->mode == INPUT_FILE && draft_is_ours(a->file) && unlink(a->file) >= 0)
                fprintf(stderr, "Removed the draft %s.\n", a->file);
        if (ctx->json)
                client_print_json(reply.parameters);
        else
                printf("Recorded %s review for %s (%zu answer%s).\n",
                       streq(a->kind, "halfyear") ? "half-year" : "weekly",
                       json_string_value(json_object_get(reply.parameters, "label")), answers_written(t),
                       answers_written(t) == 1 ? "" : "s");
        client_reply_done(&reply);
        return 0;
}

static int answer(ClientContext *ctx, Answer *a) {
        ClientReply reply = {};
        TemplateAnswers t = {};
        char **questions = NULL;
        int r;

        if (a->mode != INPUT_EDITOR && (r = read_input(a)) < 0)
                return 1;
        if (a->edit_id && (r = resolve_edit_id(a)) != 0)
                return r;
        r = fetch_template(a, &reply);
        if (r == 0 && a->edit)
                r = fetch_edited(a);
        if (r != 0)
                goto finish;
        r = questions_of(a, &questions);
        if (r < 0 || (a->mode == INPUT_EDITOR && (r = edit(a, questions)) != 0))
                goto finish;
        r = template_parse(a->text, questions, strv_length(questions), &t);
        if (r >= 0 && answers_written(&t) == 0 && !goals_marked(&t)) {
                /* Only the goals list, as it was given: nothing was written. */
                template_answers_done(&t);
                r = -ENODATA;
        }
        if (r == -ENODATA) {
                r = client_error(1, "aborted, nothing recorded");
                if (a->mode == INPUT_EDITOR)
                        unlink(a->draft);
        } else if (r < 0)
                r = keep_refused(a, client_error(1, "cannot read the answer: %s",
                                                 r == -E2BIG ? "too large or too many questions" : strerror(-r)));
        else
                r = submit(ctx, a, &t);
finish:
        template_answers_done(&t);
        strv_free(questions);
        client_reply_done(&reply);
        return r;
}

static int run(ClientContext *ctx, int argc, char *argv[]) {
        Answer a = {};
        date_format(ctx->today, a.today);
        int r = parse_args(ctx, argc, argv, &a);
        if (r == -EDOM)
                return EXIT_USAGE;
        if (r != 0)
                return r > 0 ? 0 : client_error(EXIT_USAGE, "usage: lookback %s", cmd_answer.usage);
        r = answer(ctx, &a);
        free(a.text);
        free(a.draft);
        json_decref(a.edited);
        strv_free(a.edited_questions);
        return r;
}
