/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * account.h - the actions of accounts, sessions and spaces with the store:
 * sign up, log in (throttled), log out, create a space, invite, join, leave.
 * Each returns true, or false with *p filled in for the API or a page.
 */
#ifndef HEARTH_ACCOUNT_H
#define HEARTH_ACCOUNT_H

#include "../store/store.h"
#include "auth.h"
#include "problem.h"
/*
 * Sessions (session.h): their kinds and lifetimes, the list, and freshness.
 * Every dangerous action asks session_is_fresh(viewer) - or
 * session_require_fresh(viewer, problem), which answers 403 reauth_required -
 * before it runs: export, deleting the account, changing the password,
 * turning two-step login off.
 */
#include "session.h"
#include "throttle.h"

#define INVITE_LIFETIME_MS (72LL * 3600 * 1000)

/* Sign-up and `hearth user add`: validates, hashes, stores (the name sealed); out has the name open. */
bool account_create(struct store *s, const char *username, const char *password, const char *display_name,
                    enum role role, struct store_user *out, struct problem *p) WARN_UNUSED;

/*
 * A display name is sealed under its person's own data key, for their row
 * (domain/keyring.h). account_name_seal seals plain into out; account_name_open
 * opens the sealed name in `name` in place.
 */
bool account_name_seal(struct store *s, const char *user_id, const char *plain, char out[SEALED_NAME_SIZE],
                       struct problem *p) WARN_UNUSED;
bool account_name_open(struct store *s, const char *user_id, char name[SEALED_NAME_SIZE],
                       struct problem *p) WARN_UNUSED;

/*
 * The viewer of a live session (store->session_viewer) with the names open:
 * STORE_OK, STORE_NOT_FOUND for no such session, or the failure. The
 * session is read every time (store->session_check); the rest is kept by
 * its who_n counters (migration 032) in the memo of opened values, when
 * there is one.
 */
enum store_status account_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                 struct viewer *v) WARN_UNUSED;

/* Sign-up from the API or a page: account_create, at most `limit` an hour from one address (domain/throttle.h). */
bool account_signup(struct store *s, const struct login_client *client, int limit, const char *username,
                    const char *password, const char *display_name, struct store_user *out,
                    struct problem *p) WARN_UNUSED;

/*
 * Logs in, throttled (domain/throttle.h); on success token receives a new
 * session token (TOKEN_TEXT_LEN + 1) of the given kind, named after the
 * client of user_agent (may be NULL), and client->device_cookie_out the
 * device cookie to give the browser. otp (NULL when not given) is the second
 * step for people with two-step login on: without a valid one, 401
 * second_factor_required (two_step.h), and *user is filled in all the same,
 * so a page can carry on with a ticket.
 */
bool account_login(struct store *s, const char *username, const char *password, const char *otp,
                   struct login_client *client, enum session_kind kind, const char *user_agent, char *token,
                   struct store_user *user, struct problem *p) WARN_UNUSED;
/* The second request of a page's login with two-step on: a ticket from the first (two_step.h) and the code. */
bool account_login_ticket(struct store *s, const char *ticket, const char *otp, struct login_client *client,
                          enum session_kind kind, const char *user_agent, char *token, struct store_user *user,
                          struct problem *p) WARN_UNUSED;
bool account_logout(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;
/* Ends every session of the viewer, on every device. */
bool account_logout_everywhere(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;

/* time_zone: an IANA zone for the daily prompt, or NULL for UTC. */
bool space_create(struct store *s, const struct viewer *v, const char *time_zone, char space_id[ID_LEN + 1],
                  struct problem *p) WARN_UNUSED;
/* A new single-use invite code for the viewer's space (code: INVITE_CODE_LEN + 1) and its id, for revoking it. */
bool space_invite(struct store *s, const struct viewer *v, char *code, char id[ID_LEN + 1], int64_t *expires_at,
                  struct problem *p) WARN_UNUSED;
bool space_join(struct store *s, const struct viewer *v, const char *code, const char *client_addr,
                char space_id[ID_LEN + 1], struct problem *p) WARN_UNUSED;
bool space_leave(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;

/*
 * Deletes the account: needs a fresh session (403 reauth_required) and the
 * password (401 bad_credentials, throttled as account_password_check);
 * leaves the space first (in export.c for now).
 */
bool account_delete(struct store *s, const struct viewer *v, const char *password, struct problem *p) WARN_UNUSED;

#endif
