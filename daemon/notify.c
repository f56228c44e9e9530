#include "notify.h"

#include <errno.h>
#include <libnotify/notify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wording.h"

typedef struct Live Live;

struct Notifier {
        NotifierActionHandler handler;
        void *userdata;
        Live *live; /* shown notifications still listening for clicks, newest first */
        unsigned n_live;
};

/* One shown prompt and what its buttons refer to. */
struct Live {
        Notifier *notifier;
        NotifyNotification *notification;
        gulong closed_handler;
        ReviewKind kind;
        Period period;
        Live *next;
};

static void live_free(Live *l) {
        g_signal_handler_disconnect(l->notification, l->closed_handler);
        /* Dropping our reference also drops the action closures. */
        g_object_unref(l->notification);
        l->notifier->n_live--;
        free(l);
}

static void live_remove(Notifier *n, Live *l) {
        for (Live **p = &n->live; *p; p = &(*p)->next)
                if (*p == l) {
                        *p = l->next;
                        live_free(l);
                        return;
                }
}

static void on_closed(NotifyNotification *notification, gpointer userdata) {
        Live *l = userdata;
        live_remove(l->notifier, l);
}

static void on_action(NotifyNotification *notification, char *action, gpointer userdata) {
        Live *l = userdata;
        PromptAction a = strcmp(action, "snooze") == 0 ? PROMPT_ACTION_SNOOZE
                         : strcmp(action, "skip") == 0 ? PROMPT_ACTION_SKIP
                                                       : PROMPT_ACTION_ANSWER;
        l->notifier->handler(a, l->kind, l->period, l->notifier->userdata);
}

static void on_glib_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer userdata) {
        fprintf(stderr, "<7>%s: %s\n", domain ? domain : "glib", message);
}

int notifier_new(NotifierActionHandler handler, void *userdata, Notifier **ret) {
        Notifier *n = calloc(1, sizeof(Notifier));
        if (!n)
                return -ENOMEM;
        n->handler = handler;
        n->userdata = userdata;
        /* libnotify warns through GLib when the bus or server is missing; we
         * log one line per prompt ourselves, so its own go to debug. */
        g_log_set_handler("libnotify", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, on_glib_log, NULL);
        /* notify_init() does not touch the bus; failures show up per notification. */
        if (!notify_is_initted())
                notify_init("lookback");
        *ret = n;
        return 0;
}

Notifier *notifier_free(Notifier *n) {
        if (!n)
                return NULL;
        while (n->live) {
                Live *l = n->live;
                n->live = l->next;
                live_free(l);
        }
        if (notify_is_initted())
                notify_uninit();
        free(n);
        return NULL;
}

static bool server_has_actions(void) {
        GList *caps = notify_get_server_caps();
        bool found = false;
        for (GList *c = caps; c; c = c->next)
                if (strcmp(c->data, "actions") == 0)
                        found = true;
        g_list_free_full(caps, g_free);
        return found;
}

static void add_actions(Live *l) {
        notify_notification_add_action(l->notification, "answer", "Answer", on_action, l, NULL);
        notify_notification_add_action(l->notification, "snooze", "Snooze 1 h", on_action, l, NULL);
        notify_notification_add_action(l->notification, "skip", prompt_skip_label(l->kind), on_action, l, NULL);
}

/* Keeps @l so its buttons work, forgetting the oldest beyond the limit. */
static void live_add(Notifier *n, Live *l) {
        l->next = n->live;
        n->live = l;
        n->n_live++;
        if (n->n_live <= NOTIFIER_LIVE_MAX)
                return;
        Live **p = &n->live;
        while ((*p)->next)
                p = &(*p)->next;
        Live *oldest = *p;
        *p = NULL;
        live_free(oldest);
}

int notifier_show_prompt(Notifier *n, ReviewKind kind, Period period, char *const *questions, size_t n_questions,
                         unsigned missed, const char *report_path, char **ret_message) {
        bool actions = server_has_actions();
        char *body = prompt_body(kind, period, questions, n_questions, missed, actions, report_path);
        GError *error = NULL;

        *ret_message = NULL;
        if (!body)
                return -ENOMEM;
        Live *l = calloc(1, sizeof(Live));
        if (!l) {
                free(body);
                return -ENOMEM;
        }
        *l = (Live){ .notifier = n, .kind = kind, .period = period };
        l->notification = notify_notification_new(prompt_summary(kind), body, NULL);
        free(body);
        notify_notification_set_urgency(l->notification, NOTIFY_URGENCY_NORMAL);
        if (actions)
                add_actions(l);
        l->closed_handler = g_signal_connect(l->notification, "closed", G_CALLBACK(on_closed), l);
        n->n_live++; /* counted so live_free() balances on failure */

        if (!notify_notification_show(l->notification, &error)) {
                *ret_message = strdup(error ? error->message : "unknown error");
                g_clear_error(&error);
                live_free(l);
                return -EHOSTUNREACH;
        }
        n->n_live--;
        live_add(n, l);
        return 0;
}

int notifier_show(Notifier *n, const char *summary, const char *body, char **ret_message) {
        NotifyNotification *notification = notify_notification_new(summary, body, NULL);
        GError *error = NULL;
        *ret_message = NULL;
        bool ok = notify_notification_show(notification, &error);
        if (!ok)
                *ret_message = strdup(error ? error->message : "unknown error");
        g_clear_error(&error);
        g_object_unref(notification);
        return ok ? 0 : -EHOSTUNREACH;
}

void notifier_close_prompts(Notifier *n, ReviewKind kind, const Period *period) {
        Live **p = &n->live;

        while (*p) {
                Live *l = *p;

                if (l->kind != kind || (period && (l->period.start != period->start || l->period.end != period->end))) {
                        p = &l->next;
                        continue;
                }
                /* CloseNotification: the prompt is dealt with, so its
                 * buttons must not stay on screen to be pressed again. */
                (void) notify_notification_close(l->notification, NULL);
                *p = l->next;
                live_free(l);
        }
}
