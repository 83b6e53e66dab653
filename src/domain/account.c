/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * account.c - accounts, sessions and spaces (see account.h).
 *
 * Throttling (domain/throttle.c) counts attempts in the store, so several
 * servers share the counts.
 */
#include "account.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "checkin.h"
#include "keyring.h"
#include "prompt.h"
#include "two_step.h"

bool account_create(struct store *s, const char *username, const char *password, const char *display_name,
                    enum role role, struct store_user *out, struct problem *p)
{
	assert(username && password && display_name);
	const char *msg;
	problem_begin(p); /* every invalid field at once */
	if ((msg = auth_check_username(username, strlen(username))))
		problem_add(p, "username", msg);
	if ((msg = auth_check_password(password, strlen(password))))
		problem_add(p, "password", msg);
	if ((msg = auth_check_display_name(display_name, strlen(display_name))))
		problem_add(p, "display_name", msg);
	if (!problem_none(p))
		return false;
	memset(out, 0, sizeof *out);
	id_new(out->id);
	snprintf(out->username, sizeof out->username, "%s", username);
	snprintf(out->display_name, sizeof out->display_name, "%s", display_name);
	snprintf(out->role, sizeof out->role, "%s", role_name(role));
	out->created_at = now_ms();
	if (auth_password_hash(password, strlen(password), out->password_hash) != 0)
		return problem_set(p, OUTCOME_BUSY, "unavailable", NULL,
		                   "The server is short of memory. Please try again.");
	struct store_user sealed = *out;
	sodium_memzero(out->password_hash, sizeof out->password_hash);
	/* A taken username is refused before sealing the name makes a data key for nobody. */
	struct store_user taken;
	enum store_status st = s->user_by_username(s, username, &taken);
	sodium_memzero(taken.password_hash, sizeof taken.password_hash);
	st = st == STORE_OK ? STORE_CONFLICT : st == STORE_NOT_FOUND ? STORE_OK : st;
	bool named = st == STORE_OK && account_name_seal(s, sealed.id, display_name, sealed.display_name, p);
	if (named)
		st = s->user_insert(s, &sealed);
	sodium_memzero(sealed.password_hash, sizeof sealed.password_hash);
	if (st == STORE_OK && !named)
		return false; /* *p says why the name could not be sealed */
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "username_taken", "username",
		                   "This username is taken. Please choose another.");
	return st == STORE_OK || problem_from_store(p, st);
}

static void name_ad(const char *user_id, char ad[96])
{
	snprintf(ad, 96, "user:%s:display_name", user_id);
}

bool account_name_seal(struct store *s, const char *user_id, const char *plain, char out[SEALED_NAME_SIZE],
                       struct problem *p)
{
	char ad[96];
	name_ad(user_id, ad);
	enum store_status st = keyring_seal_field(s->keys, s, user_id, ad, plain, out, SEALED_NAME_SIZE);
	return st == STORE_OK || problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
}

bool account_name_open(struct store *s, const char *user_id, char name[SEALED_NAME_SIZE], struct problem *p)
{
	char ad[96];
	name_ad(user_id, ad);
	enum store_status st = keyring_open_field(s->keys, s, ad, name, SEALED_NAME_SIZE);
	return st == STORE_OK || problem_from_store(p, st);
}

/*
 * What account_viewer keeps of a viewer: the fields Q_SESSION_VIEWER reads
 * beyond the session's own (store/account.c), the names opened, each with
 * its NUL, and the Quick exit setting last. The key names the person, their
 * space and both who_n counters: every change to a row these fields come
 * from (the person's row and settings, their membership, the space, the
 * partner's row and membership) raises one of them (migration 032), so a
 * kept viewer found by the counters the session has now is what
 * Q_SESSION_VIEWER would read now. A check-in or a reply does not move them,
 * as it moves the counters that key the answers of http/cache.h.
 */
#define VIEWER_KEPT_MAX 2048
#define VIEWER_KEY_MAX 128

static void viewer_key(const struct viewer *v, char key[VIEWER_KEY_MAX])
{
	snprintf(key, VIEWER_KEY_MAX, "viewer|%s|%s|%lld|%lld", v->user_id, v->space_id, (long long)v->who_space,
	         (long long)v->who_own);
}

struct viewer_field {
	char *s;
	size_t cap;
};

#define VIEWER_KEPT_FIELDS 8
_Static_assert(sizeof(struct viewer) <= VIEWER_KEPT_MAX, "the kept fields of a viewer fit in VIEWER_KEPT_MAX");

/* The strings of the kept fields, in the order they are packed. */
static void viewer_fields(struct viewer *v, struct viewer_field f[VIEWER_KEPT_FIELDS])
{
	f[0] = (struct viewer_field){v->username, sizeof v->username};
	f[1] = (struct viewer_field){v->display_name, sizeof v->display_name};
	f[2] = (struct viewer_field){v->role, sizeof v->role};
	f[3] = (struct viewer_field){v->partner_id, sizeof v->partner_id};
	f[4] = (struct viewer_field){v->partner_name, sizeof v->partner_name};
	f[5] = (struct viewer_field){v->time_zone, sizeof v->time_zone};
	f[6] = (struct viewer_field){v->own_time_zone, sizeof v->own_time_zone};
	f[7] = (struct viewer_field){v->language, sizeof v->language};
}

static void viewer_keep(struct keyring *k, struct viewer *v)
{
	char key[VIEWER_KEY_MAX], kept[VIEWER_KEPT_MAX];
	struct viewer_field fields[VIEWER_KEPT_FIELDS];
	viewer_fields(v, fields);
	size_t n = 0;
	for (size_t i = 0; i < VIEWER_KEPT_FIELDS; i++) {
		size_t len = strnlen(fields[i].s, fields[i].cap - 1) + 1;
		memcpy(kept + n, fields[i].s, len - 1);
		kept[n + len - 1] = '\0';
		n += len;
	}
	kept[n++] = v->quick_exit_signs_out ? '1' : '0';
	viewer_key(v, key);
	keyring_keep(k, key, kept, n);
	sodium_memzero(kept, sizeof kept);
}

/* Fills the kept fields of v (whose session fields are set) from what was kept for its key: true when found. */
static bool viewer_recall(struct keyring *k, struct viewer *v)
{
	char key[VIEWER_KEY_MAX], kept[VIEWER_KEPT_MAX];
	size_t len = 0;
	viewer_key(v, key);
	bool found = keyring_recall(k, key, kept, sizeof kept, &len);
	struct viewer_field fields[VIEWER_KEPT_FIELDS];
	viewer_fields(v, fields);
	size_t at = 0;
	for (size_t i = 0; found && i < VIEWER_KEPT_FIELDS; i++) {
		const char *end = memchr(kept + at, '\0', len - at);
		found = end && (size_t)(end - (kept + at)) < fields[i].cap;
		if (found) {
			memcpy(fields[i].s, kept + at, (size_t)(end - (kept + at)) + 1);
			at = (size_t)(end - kept) + 1;
		}
	}
	found = found && at + 1 == len;
	if (found)
		v->quick_exit_signs_out = kept[at] == '1';
	sodium_memzero(kept, sizeof kept);
	return found;
}

enum store_status account_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                 struct viewer *v)
{
	/*
	 * The session is read every time, so an ended one ends the next request;
	 * the rest is read again only when its counters moved (or nothing is
	 * kept: HEARTH_CACHE=0 reads it all at once, as before).
	 */
	bool kept = keyring_opened(s->keys) != NULL;
	enum store_status st;
	if (kept) {
		st = s->session_check(s, token_hash, now, idle_ms, v);
		if (st != STORE_OK || viewer_recall(s->keys, v))
			return st;
	}
	st = s->session_viewer(s, token_hash, now, idle_ms, v);
	if (st != STORE_OK)
		return st;
	char ad[96];
	name_ad(v->user_id, ad);
	st = keyring_open_field(s->keys, s, ad, v->display_name, sizeof v->display_name);
	if (st == STORE_OK && v->partner_id[0]) {
		name_ad(v->partner_id, ad);
		st = keyring_open_field(s->keys, s, ad, v->partner_name, sizeof v->partner_name);
	}
	if (st == STORE_OK && kept)
		viewer_keep(s->keys, v);
	return st;
}

bool account_signup(struct store *s, const struct login_client *client, int limit, const char *username,
                    const char *password, const char *display_name, struct store_user *out, struct problem *p)
{
	struct throttle_attempt attempt;
	if (!throttle_signup_begin(s, client, limit, &attempt, p))
		return false;
	bool created = account_create(s, username, password, display_name, ROLE_MEMBER, out, p);
	if (!created) /* only accounts made count */
		throttle_forget(s, &attempt);
	return created;
}

bool account_login(struct store *s, const char *username, const char *password, const char *otp,
                   struct login_client *client, enum session_kind kind, const char *user_agent, char *token,
                   struct store_user *user, struct problem *p)
{
	struct throttle_attempt attempt;
	if (!throttle_login_begin(s, client, username, &attempt, p))
		return false;
	size_t plen = strlen(password);
	enum store_status st =
	    auth_check_username(username, strlen(username)) ? STORE_NOT_FOUND : s->user_by_username(s, username, user);
	if (st != STORE_OK && st != STORE_NOT_FOUND) {
		throttle_forget(s, &attempt); /* never checked: not a failure */
		return problem_from_store(p, st);
	}
	bool ok;
	/* The limit is 1024 characters, as at sign-up; longer input is never hashed in full. */
	bool too_long = plen > 4 * 1024 || utf8_length(password, plen) > 1024;
	if (st == STORE_NOT_FOUND || too_long) {
		auth_password_dummy_verify(password, too_long ? 1024 : plen);
		ok = false;
	} else {
		ok = auth_password_verify(user->password_hash, password, plen);
	}
	sodium_memzero(user->password_hash, sizeof user->password_hash);
	if (!ok) /* the attempt stays counted: a failure */
		return problem_set(p, OUTCOME_UNAUTHORIZED, "bad_credentials", NULL,
		                   "That username and password do not match.");
	/* The password matched: the second step, for people with two-step login on (two_step.h). */
	if (!two_step_login_check(s, user->id, otp, p)) {
		/* A wrong code stays counted, like a wrong password; no code yet counts for nothing. */
		if (!(otp && *otp && p->outcome == OUTCOME_UNAUTHORIZED))
			throttle_forget(s, &attempt);
		return false;
	}
	throttle_login_ok(s, client, username, &attempt);
	if (!account_name_open(s, user->id, user->display_name, p))
		return false;
	return session_start(s, user->id, kind, user_agent, token, p);
}

bool account_login_ticket(struct store *s, const char *ticket, const char *otp, struct login_client *client,
                          enum session_kind kind, const char *user_agent, char *token, struct store_user *user,
                          struct problem *p)
{
	char user_id[ID_LEN + 1];
	if (!two_step_ticket_take(s, ticket, user_id, p))
		return false;
	enum store_status st = s->user_by_id(s, user_id, user);
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	sodium_memzero(user->password_hash, sizeof user->password_hash);
	struct throttle_attempt attempt;
	if (!throttle_login_begin(s, client, user->username, &attempt, p))
		return false;
	if (!two_step_login_check(s, user->id, otp, p)) {
		if (!(otp && *otp && p->outcome == OUTCOME_UNAUTHORIZED))
			throttle_forget(s, &attempt);
		return false;
	}
	throttle_login_ok(s, client, user->username, &attempt);
	if (!account_name_open(s, user->id, user->display_name, p))
		return false;
	if (!session_start(s, user->id, kind, user_agent, token, p))
		return false;
	two_step_ticket_end(s, ticket);
	return true;
}

bool account_logout(struct store *s, const struct viewer *v, struct problem *p)
{
	enum store_status st = s->session_delete(s, v->session_hash);
	return st == STORE_OK || problem_from_store(p, st);
}

bool account_logout_everywhere(struct store *s, const struct viewer *v, struct problem *p)
{
	enum store_status st = s->session_delete_user(s, v->user_id);
	return st == STORE_OK || problem_from_store(p, st);
}

bool space_create(struct store *s, const struct viewer *v, const char *time_zone, char space_id[ID_LEN + 1],
                  struct problem *p)
{
	if (time_zone && *time_zone && !time_zone_valid(time_zone))
		return problem_invalid(p, "time_zone",
		                       "Choose a time zone by its name, such as Europe/Berlin or America/Chicago.");
	if (v->space_id[0])
		return problem_set(p, OUTCOME_CONFLICT, "already_in_space", NULL, "You are already in a space.");
	id_new(space_id);
	enum store_status st =
	    s->space_create(s, space_id, v->user_id, time_zone && *time_zone ? time_zone : "UTC", now_ms());
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "already_in_space", NULL, "You are already in a space.");
	return st == STORE_OK || problem_from_store(p, st);
}

bool space_invite(struct store *s, const struct viewer *v, char *code, char id[ID_LEN + 1], int64_t *expires_at,
                  struct problem *p)
{
	if (!v->space_id[0])
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
		                   "You are not in a space yet. Create one first.");
	int members = 0;
	enum store_status st = s->space_member_count(s, v->space_id, &members);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (members >= 2)
		return problem_set(p, OUTCOME_CONFLICT, "space_full", NULL, "Your space already has two partners.");
	auth_invite_code_new(code);
	char hash[TOKEN_HASH_LEN + 1];
	auth_token_hash(code, strlen(code), hash);
	int64_t now = now_ms();
	*expires_at = now + INVITE_LIFETIME_MS;
	id_new(id);
	st = s->invite_insert(s, v->space_id, id, hash, v->user_id, now, *expires_at);
	return st == STORE_OK || problem_from_store(p, st);
}

bool space_join(struct store *s, const struct viewer *v, const char *code, const char *client_addr,
                char space_id[ID_LEN + 1], struct problem *p)
{
	if (v->space_id[0])
		return problem_set(p, OUTCOME_CONFLICT, "already_in_space", NULL,
		                   "You are already in a space. Leave it first.");
	struct throttle_attempt attempt;
	if (!throttle_code_begin(s, "join", v->user_id, client_addr, &attempt, p))
		return false;
	char canonical[INVITE_CODE_LEN + 1];
	enum join_result result = JOIN_NO_CODE;
	if (auth_invite_code_normalise(code, strlen(code), canonical) == 0) {
		char hash[TOKEN_HASH_LEN + 1];
		auth_token_hash(canonical, strlen(canonical), hash);
		enum store_status st = s->space_join(s, hash, v->user_id, now_ms(), &result, space_id);
		if (st != STORE_OK) {
			throttle_forget(s, &attempt);
			return problem_from_store(p, st);
		}
	}
	if (result != JOIN_NO_CODE) /* only a wrong code is a failure */
		throttle_forget(s, &attempt);
	switch (result) {
	case JOIN_OK:
		return true;
	case JOIN_ALREADY_IN_SPACE:
		return problem_set(p, OUTCOME_CONFLICT, "already_in_space", NULL,
		                   "You are already in a space. Leave it first.");
	case JOIN_FULL:
		return problem_set(p, OUTCOME_CONFLICT, "space_full", NULL, "That space already has two partners.");
	default:
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", "code",
		                   "That invite code is not valid. It may have been used or be older than 72 hours.");
	}
}

bool space_leave(struct store *s, const struct viewer *v, struct problem *p)
{
	if (!v->space_id[0])
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You are not in a space.");
	enum store_status st = s->space_leave(s, v->space_id, v->user_id);
	return st == STORE_OK || problem_from_store(p, st);
}
