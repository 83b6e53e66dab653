/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * email.h - reminders by email (issue 15): a person's address, confirmed by
 * a link before anything else is sent to it; the links in every message
 * (confirming, and the one-click unsubscribe of RFC 8058); the scheduler
 * that queues each reminder's occurrence in the outbox; and each message as
 * it is sent.
 *
 * Links carry no stored secret: a token is the person's id and an HMAC,
 * under a key derived from the master key, of their id and the moment their
 * address was set. A new address voids every older link; so does rotating
 * the master key.
 *
 * What a message says: a reminder's subject and text are the person's own
 * words ("A moment for you" by default) and the unsubscribe link, nothing
 * else; the confirmation says what was asked and how to ignore it. Neither
 * names the relationship, the partner, nor anything anyone wrote.
 */
#ifndef HEARTH_EMAIL_H
#define HEARTH_EMAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"
#include "../util/i18n.h"
#include "../util/util.h"
#include "problem.h"

/* A link's token: an id, a dot, and 43 characters of HMAC. */
#define EMAIL_TOKEN_MAX (ID_LEN + 1 + 43 + 1)
/* A confirmation link works this long. */
#define EMAIL_CONFIRM_MS (48LL * 3600 * 1000)
/* A message is tried this many times. */
#define EMAIL_ATTEMPTS_MAX 8
/* A claim holds a message this long: time enough for one SMTP exchange. */
#define EMAIL_LEASE_MS (2LL * 60 * 1000)

/* The person's address as they see it: address[0] '\0' when none. */
struct email_state {
	char address[EMAIL_MAX_BYTES + 1];
	bool confirmed;
};

bool email_get(struct store *s, const struct viewer *v, struct email_state *out, struct problem *p) WARN_UNUSED;
/*
 * Sets the viewer's address (3..254 characters, one @, no spaces or angle
 * brackets) and queues the message with the confirmation link; the old
 * address and anything queued for it go. 400 with the field "email".
 */
bool email_set(struct store *s, const struct viewer *v, const char *address, struct problem *p) WARN_UNUSED;
/* Removes the address; 404 when there was none. */
bool email_remove(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;
/* Confirms the address a confirmation token names; 404 for a wrong, older or expired one. */
bool email_confirm(struct store *s, const char *token, int64_t now, struct problem *p) WARN_UNUSED;
/*
 * The one-click unsubscribe: every reminder of the person the token names
 * stops coming by email (one that had only email ends). 404 for a wrong or
 * older token. Idempotent.
 */
bool email_unsubscribe(struct store *s, const char *token, struct problem *p) WARN_UNUSED;

/* What sending needs from the configuration. */
struct mail_settings {
	const char *public_url; /* links in messages */
	const char *from;       /* HEARTH_SMTP_FROM */
	/* Sends one message to one address: 0, or -1 with what went wrong in err (util/smtp.h). */
	int (*send)(const struct mail_settings *m, const char *to, const char *message, char *err, size_t err_len);
	const void *transport;  /* for send */
	enum lang default_lang; /* HEARTH_DEFAULT_LANGUAGE: the words for whoever set no language (issue 16) */
};

/*
 * Queues every reminder occurrence due in (reminder_window_from(from, now),
 * now]: from is the now of the last call that succeeded, so an occurrence is
 * tried on a tick or two, not on every tick until it is an hour old; 0 (the
 * first call) looks back REMINDER_LATE_MS. The outbox's uniqueness keeps an
 * occurrence tried twice from being queued twice. The number of tries that
 * succeeded, or -1.
 */
int email_schedule(struct store *s, int64_t from, int64_t now);
/*
 * Claims, composes and sends the messages due by now, one by one, at most
 * max: a sent one is marked done, a failed one is tried again later (30 s,
 * doubling, at most an hour; given up after EMAIL_ATTEMPTS_MAX), one that
 * has no point any more (the reminder or address changed) is marked done
 * unsent. pause_ms (tests only, 0 otherwise) waits between claiming and
 * sending. The number handled, or -1 when the store failed.
 */
int email_send_due(struct store *s, const struct mail_settings *m, int64_t now, int max, int pause_ms);

/* The message of a reminder, as RFC 5322 text in language l (tests read what it says). */
char *email_compose(struct arena *a, const struct mail_settings *m, const char *message_id, const char *to, enum lang l,
                    const char *subject, const char *body, const char *unsubscribe_url, int64_t now);

#endif
