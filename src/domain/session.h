/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * session.h - sessions as their owner sees them: how long each kind lives,
 * the coarse client a session was started from, the list of one's sessions
 * and ending them, and freshness: a session is fresh for 10 minutes after
 * the password was typed for it (at login, or again through a reauth), and
 * the dangerous actions (export, deleting the account, changing the
 * password, turning two-step login off) need a fresh session.
 *
 * Lifetimes (docs/security.md, "A stolen session"):
 *   a browser session without "keep me signed in": the cookie lasts while the
 *     browser is open; the session ends after 12 hours unused, 30 days at most;
 *   with "keep me signed in": 30 days at most (cookie and session alike);
 *   an API token: ends after 30 days unused, a year at most.
 */
#ifndef HEARTH_SESSION_H
#define HEARTH_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"
#include "problem.h"

#define SESSION_FRESH_MS (10LL * 60 * 1000)
#define SESSION_SHORT_IDLE_MS (12LL * 3600 * 1000)
#define SESSION_REMEMBER_MS (30LL * 24 * 3600 * 1000)
#define SESSION_TOKEN_IDLE_MS (30LL * 24 * 3600 * 1000)
#define SESSION_TOKEN_MAX_MS (365LL * 24 * 3600 * 1000)
/* The longest idle limit of any kind: the bound the router looks sessions up with. */
#define SESSION_IDLE_MAX_MS SESSION_TOKEN_IDLE_MS

/* How long a new session lives (see above). */
enum session_kind {
	SESSION_TOKEN,      /* an API token (POST /sessions without `remember`) */
	SESSION_SHORT,      /* a browser session; `remember` false */
	SESSION_REMEMBERED, /* "keep me signed in"; `remember` true */
};

/*
 * The coarse name of the client a User-Agent header names, into out[n]:
 * "Firefox on Linux", "Chromium on Android", "Safari on iPhone", "curl",
 * "A Node.js script", or "An unknown device" (user_agent NULL or not
 * recognised). Only these words are kept: never the header itself, which
 * could tell one device from another.
 */
void session_client_name(const char *user_agent, char *out, size_t n);

/*
 * Starts a session of `kind` for user_id, named by the client of
 * user_agent; it is fresh at once. token receives the new token
 * (TOKEN_TEXT_LEN + 1). False with a problem when the store fails.
 */
bool session_start(struct store *s, const char *user_id, enum session_kind kind, const char *user_agent, char *token,
                   struct problem *p) WARN_UNUSED;

/* How long a session stays fresh: 10 minutes, or less when HEARTH_FRESH_MS says so (tests). */
int64_t session_fresh_ms(void);

/*
 * True when the password was typed for the viewer's session (login or
 * reauth) within the last session_fresh_ms(). The one test of freshness:
 * every dangerous action asks this (or session_require_fresh) and nothing else.
 */
bool session_is_fresh(const struct viewer *v);

/* true when fresh; else false with a problem: OUTCOME_FORBIDDEN, code "reauth_required". */
bool session_require_fresh(const struct viewer *v, struct problem *p) WARN_UNUSED;

/*
 * The password typed again for the viewer's session: checked (throttled as
 * account_password_check is), then the session is fresh again from now
 * (v->session_auth_at too). False with a problem: 401 bad_credentials on
 * field "password", 429, or a store failure.
 */
bool session_reauth(struct store *s, struct viewer *v, const char *password, struct problem *p) WARN_UNUSED;

/* A page of the viewer's live sessions, newest first. Items live in the arena. */
struct session_page {
	struct store_session *items;
	int count;
	const char *next_cursor; /* NULL on the last page */
};
bool session_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                  struct session_page *out, struct problem *p) WARN_UNUSED;

/*
 * Ends the viewer's session with this id (any of theirs, this one too:
 * *was_current then says so). Someone else's, or none: OUTCOME_NOT_FOUND.
 */
bool session_end(struct store *s, const struct viewer *v, const char *id, bool *was_current,
                 struct problem *p) WARN_UNUSED;
/* Ends every session of the viewer but this one. */
bool session_end_others(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;

#endif
