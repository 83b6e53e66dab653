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

#define SESSION_LIFETIME_MS (60LL * 24 * 3600 * 1000)
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
 * STORE_OK, STORE_NOT_FOUND for no such session, or the failure.
 */
enum store_status account_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                 struct viewer *v) WARN_UNUSED;

/* Logs in; on success token receives a new session token (TOKEN_TEXT_LEN + 1). */
bool account_login(struct store *s, const char *username, const char *password, const char *client_addr,
                   char *token, struct store_user *user, struct problem *p) WARN_UNUSED;
bool account_logout(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;
/* Ends every session of the viewer, on every device. */
bool account_logout_everywhere(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;

/* time_zone: an IANA zone for the daily prompt, or NULL for UTC. */
bool space_create(struct store *s, const struct viewer *v, const char *time_zone, char space_id[ID_LEN + 1],
                  struct problem *p) WARN_UNUSED;
/* A new single-use invite code for the viewer's space (code: INVITE_CODE_LEN + 1). */
bool space_invite(struct store *s, const struct viewer *v, char *code, int64_t *expires_at,
                  struct problem *p) WARN_UNUSED;
bool space_join(struct store *s, const struct viewer *v, const char *code, const char *client_addr,
                char space_id[ID_LEN + 1], struct problem *p) WARN_UNUSED;
bool space_leave(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;

/* Deletes the account after checking the password; leaves the space first (in export.c for now). */
bool account_delete(struct store *s, const struct viewer *v, const char *password, struct problem *p) WARN_UNUSED;

/*
 * Throttling: true when `key` has fewer than `limit` failures in the last
 * `window_ms`; else false with a 429 problem and its retry time.
 */
bool throttle_check(struct store *s, const char *key, int limit, int64_t window_ms, struct problem *p) WARN_UNUSED;

#endif
