/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * two_step.c - two-step login (see two_step.h): TOTP with liboath, the
 * secret sealed by the keyring, recovery codes hashed, login tickets.
 *
 * liboath computes and compares the codes; it is told to compare through
 * sodium_memcmp so a wrong guess takes as long as a near one. Its base32
 * helpers allocate with malloc: what they return is wiped and freed here.
 */
#include "two_step.h"
#include "session.h"

#include <assert.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "password.h"
#include "throttle.h"
#include "keyring.h"

#define OTP_INPUT_MAX 64 /* longer input is no code at all */

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ready = OATH_OK;

static void oath_start(void)
{
	oath_ready = oath_init();
}

/* ---- pure rules ---- */

static int otp_compare(void *handle, const char *test_otp)
{
	return sodium_memcmp(handle, test_otp, TOTP_DIGITS) == 0 ? 0 : 1;
}

bool totp_check(const unsigned char *secret, size_t n, int64_t now_s, const char *code, int64_t *step)
{
	pthread_once(&oath_once, oath_start);
	if (oath_ready != OATH_OK || strlen(code) != TOTP_DIGITS)
		return false;
	int position = 0;
	uint64_t counter = 0;
	/* window 1: the step of now, the one before and the one after */
	int rc = oath_totp_validate3_callback((const char *)secret, n, (time_t)now_s, TOTP_STEP_SECONDS, 0, TOTP_DIGITS,
	                                      1, &position, &counter, otp_compare, (void *)code);
	if (rc < 0)
		return false;
	*step = (int64_t)counter;
	return true;
}

bool totp_code_normalise(const char *in, char out[TOTP_DIGITS + 1])
{
	size_t k = 0;
	for (const char *c = in; *c; c++) {
		if (*c == ' ' || *c == '-' || *c == '\t')
			continue;
		if (*c < '0' || *c > '9' || k == TOTP_DIGITS)
			return false;
		out[k++] = *c;
	}
	out[k] = '\0';
	return k == TOTP_DIGITS;
}

char *two_step_otpauth_uri(struct arena *a, const char *username, const char *secret_text)
{
	/* Usernames are a-z 0-9 . _ - and the secret base32: nothing to percent-encode. */
	return arena_printf(a, "otpauth://totp/hearth:%s?secret=%s&issuer=hearth&algorithm=SHA1&digits=%d&period=%d",
	                    username, secret_text, TOTP_DIGITS, TOTP_STEP_SECONDS);
}

/* ---- the secret ---- */

static const char *secret_ad(struct arena *a, const char *user_id)
{
	return arena_printf(a, "two_step:%s:secret", user_id);
}

/* A new secret as base32 text; -1 when out of memory. */
static int secret_new(char text[TOTP_SECRET_TEXT_LEN + 1])
{
	pthread_once(&oath_once, oath_start);
	unsigned char raw[TOTP_SECRET_BYTES];
	randombytes_buf(raw, sizeof raw);
	char *b32 = NULL;
	size_t len = 0;
	int rc = oath_ready == OATH_OK ? oath_base32_encode((const char *)raw, sizeof raw, &b32, &len) : oath_ready;
	sodium_memzero(raw, sizeof raw);
	if (rc != OATH_OK || len != TOTP_SECRET_TEXT_LEN) {
		free(b32);
		return -1;
	}
	memcpy(text, b32, len + 1);
	sodium_memzero(b32, len);
	free(b32);
	return 0;
}

/* The row's secret opened into base32 text; false with a problem. */
static bool secret_open(struct store *s, struct arena *a, const struct store_two_step *t,
                        char text[TOTP_SECRET_TEXT_LEN + 1], struct problem *p)
{
	char *plain = NULL;
	enum store_status st = keyring_open_text(s->keys, s, secret_ad(a, t->user_id), t->secret, a, &plain);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!plain || strlen(plain) != TOTP_SECRET_TEXT_LEN)
		return problem_from_store(p, STORE_ERROR);
	memcpy(text, plain, TOTP_SECRET_TEXT_LEN + 1);
	sodium_memzero(plain, TOTP_SECRET_TEXT_LEN);
	return true;
}

/* Checks code against the base32 secret now: true with *step, false for a wrong code (or a failure to decode). */
static bool secret_check(const char *text, const char code[TOTP_DIGITS + 1], int64_t *step)
{
	pthread_once(&oath_once, oath_start);
	char *raw = NULL;
	size_t len = 0;
	if (oath_ready != OATH_OK || oath_base32_decode(text, strlen(text), &raw, &len) != OATH_OK)
		return false;
	bool ok = totp_check((const unsigned char *)raw, len, now_ms() / 1000, code, step);
	sodium_memzero(raw, len);
	free(raw);
	return ok;
}

/* ---- actions ---- */

bool two_step_status(struct store *s, const char *user_id, struct two_step_status *out, struct problem *p)
{
	struct store_two_step t;
	memset(out, 0, sizeof *out);
	enum store_status st = s->two_step_get(s, NULL, user_id, &t);
	if (st == STORE_NOT_FOUND)
		return true;
	if (st != STORE_OK)
		return problem_from_store(p, st);
	out->state = t.confirmed_at ? TWO_STEP_ON : TWO_STEP_PENDING;
	out->recovery_left = t.confirmed_at ? t.recovery_left : 0;
	return true;
}

static bool already_enabled(struct problem *p)
{
	return problem_set(p, OUTCOME_CONFLICT, "already_enabled", NULL,
	                   "Two-step login is already on. Turn it off first to set up a new app.");
}

static bool not_started(struct problem *p)
{
	return problem_set(p, OUTCOME_CONFLICT, "not_started", NULL,
	                   "Two-step login is not being set up. Start again from your account page.");
}

bool two_step_begin(struct store *s, const struct viewer *v, struct arena *a, struct two_step_setup *out,
                    struct problem *p)
{
	assert(v && v->user_id[0]);
	if (secret_new(out->secret) < 0)
		return problem_set(p, OUTCOME_BUSY, "unavailable", NULL,
		                   "The server is short of memory. Please try again.");
	char *sealed = NULL;
	enum store_status st = keyring_seal(s->keys, s, v->user_id, secret_ad(a, v->user_id), out->secret, a, &sealed);
	if (st == STORE_OK)
		st = s->two_step_begin(s, v->user_id, sealed, now_ms());
	if (st == STORE_CONFLICT)
		return already_enabled(p);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	out->otpauth_uri = two_step_otpauth_uri(a, v->username, out->secret);
	return true;
}

bool two_step_pending(struct store *s, const struct viewer *v, struct arena *a, struct two_step_setup *out,
                      struct problem *p)
{
	struct store_two_step t;
	enum store_status st = s->two_step_get(s, a, v->user_id, &t);
	if (st == STORE_NOT_FOUND)
		return not_started(p);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (t.confirmed_at)
		return already_enabled(p);
	if (!secret_open(s, a, &t, out->secret, p))
		return false;
	out->otpauth_uri = two_step_otpauth_uri(a, v->username, out->secret);
	return true;
}

bool two_step_confirm(struct store *s, const struct viewer *v, const char *otp,
                      char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_LEN + 1], struct problem *p)
{
	/* Counted before the check, in one step (throttle.h); only a wrong code stays counted. */
	struct throttle_attempt attempt;
	if (!throttle_account_begin(s, "two-step-setup", v->user_id, &attempt, p))
		return false;
	struct arena *a = arena_new();
	bool ok = false, wrong_code = false;
	struct store_two_step t;
	char secret[TOTP_SECRET_TEXT_LEN + 1] = "";
	char code[TOTP_DIGITS + 1];
	enum store_status st = s->two_step_get(s, a, v->user_id, &t);
	if (st == STORE_NOT_FOUND) {
		not_started(p);
		goto out;
	}
	if (st != STORE_OK) {
		problem_from_store(p, st);
		goto out;
	}
	if (t.confirmed_at) {
		already_enabled(p);
		goto out;
	}
	if (!totp_code_normalise(otp ? otp : "", code)) {
		problem_invalid(p, "otp", "Enter the 6-digit code your app shows for hearth.");
		goto out;
	}
	if (!secret_open(s, a, &t, secret, p))
		goto out;
	int64_t step = 0;
	if (!secret_check(secret, code, &step)) {
		wrong_code = true;
		problem_invalid(
		    p, "otp",
		    "That code did not match. Check that your phone's clock is right and enter the newest code.");
		goto out;
	}
	char hashes[RECOVERY_CODE_COUNT][HASH_HEX_LEN + 1];
	for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
		auth_recovery_code_new(codes[i]);
		auth_token_hash(codes[i], RECOVERY_CODE_LEN, hashes[i]);
	}
	st = s->two_step_confirm(s, v->user_id, step, (const char(*)[HASH_HEX_LEN + 1]) hashes, now_ms());
	if (st == STORE_CONFLICT)
		not_started(p); /* turned off or confirmed by another request meanwhile */
	else if (st != STORE_OK)
		problem_from_store(p, st);
	else
		ok = true;
	if (!ok)
		sodium_memzero(codes, sizeof(char[RECOVERY_CODE_COUNT][RECOVERY_CODE_LEN + 1]));
out:
	if (!wrong_code)
		throttle_forget(s, &attempt);
	sodium_memzero(secret, sizeof secret);
	arena_free(a);
	return ok;
}

bool two_step_disable(struct store *s, const struct viewer *v, const char *password, struct problem *p)
{
	/* Turning it off needs the password typed in the last 10 minutes (session.h), and here again. */
	if (!session_require_fresh(v, p))
		return false;
	/* The password, checked and throttled as every password typed again is (password.h). */
	if (!account_password_check(s, v, password, "password", p))
		return false;
	enum store_status st = s->two_step_delete(s, v->user_id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "Two-step login is not on.");
	return st == STORE_OK || problem_from_store(p, st);
}

bool two_step_reset(struct store *s, const char *username, struct problem *p)
{
	struct store_user u;
	enum store_status st = s->user_by_username(s, username, &u);
	if (st == STORE_OK) {
		sodium_memzero(u.password_hash, sizeof u.password_hash);
		st = s->two_step_delete(s, u.id);
		if (st == STORE_NOT_FOUND)
			return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
			                   "two-step login is not on for this user");
	}
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "no such user");
	return st == STORE_OK || problem_from_store(p, st);
}

static bool code_refused(struct problem *p)
{
	return problem_set(p, OUTCOME_UNAUTHORIZED, "second_factor_required", "otp",
	                   "That code did not work. Codes change every 30 seconds: enter the newest one, or one of "
	                   "your recovery codes.");
}

/* Checks otp against the confirmed row t: a TOTP (used once) or an unused recovery code. */
static bool code_accept(struct store *s, struct arena *a, const struct store_two_step *t, const char *otp,
                        struct problem *p)
{
	char code[TOTP_DIGITS + 1], recovery[RECOVERY_CODE_LEN + 1];
	size_t n = strnlen(otp, OTP_INPUT_MAX + 1);
	enum store_status st = STORE_NOT_FOUND;
	if (n > OTP_INPUT_MAX)
		return code_refused(p);
	if (totp_code_normalise(otp, code)) {
		char secret[TOTP_SECRET_TEXT_LEN + 1];
		int64_t step = 0;
		if (!secret_open(s, a, t, secret, p))
			return false;
		bool match = secret_check(secret, code, &step);
		sodium_memzero(secret, sizeof secret);
		if (match) /* a code works once: its step must be newer than the last one accepted */
			st = s->two_step_use_step(s, t->user_id, step);
	} else if (auth_recovery_code_normalise(otp, n, recovery) == 0) {
		char hash[TOKEN_HASH_LEN + 1];
		auth_token_hash(recovery, RECOVERY_CODE_LEN, hash);
		st = s->recovery_code_use(s, t->user_id, hash, now_ms());
	}
	if (st == STORE_NOT_FOUND)
		return code_refused(p);
	return st == STORE_OK || problem_from_store(p, st);
}

bool two_step_login_check(struct store *s, const char *user_id, const char *otp, struct problem *p)
{
	struct arena *a = arena_new();
	struct store_two_step t;
	bool ok;
	enum store_status st = s->two_step_get(s, a, user_id, &t);
	if (st == STORE_NOT_FOUND || (st == STORE_OK && !t.confirmed_at))
		ok = true; /* no two-step login, or a setup not finished: the password is enough */
	else if (st != STORE_OK)
		ok = problem_from_store(p, st);
	else if (!otp || !*otp)
		ok = problem_set(p, OUTCOME_UNAUTHORIZED, "second_factor_required", "otp",
		                 "Enter the 6-digit code from your authenticator app, or one of your recovery codes.");
	else
		ok = code_accept(s, a, &t, otp, p);
	arena_free(a);
	return ok;
}

bool two_step_ticket_new(struct store *s, const char *user_id, char *ticket, struct problem *p)
{
	char hash[TOKEN_HASH_LEN + 1];
	auth_token_new(ticket);
	auth_token_hash(ticket, TOKEN_TEXT_LEN, hash);
	int64_t now = now_ms();
	enum store_status st = s->login_ticket_insert(s, hash, user_id, now, now + LOGIN_TICKET_LIFETIME_MS);
	if (st != STORE_OK) {
		sodium_memzero(ticket, TOKEN_TEXT_LEN + 1);
		return problem_from_store(p, st);
	}
	return true;
}

bool two_step_ticket_take(struct store *s, const char *ticket, char user_id[ID_LEN + 1], struct problem *p)
{
	enum store_status st = STORE_NOT_FOUND;
	if (ticket && strlen(ticket) == TOKEN_TEXT_LEN) {
		char hash[TOKEN_HASH_LEN + 1];
		auth_token_hash(ticket, TOKEN_TEXT_LEN, hash);
		st = s->login_ticket_try(s, hash, now_ms(), LOGIN_TICKET_TRIES, user_id);
	}
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "ticket_expired", NULL,
		                   "That took a while, so for your safety please log in again.");
	return st == STORE_OK || problem_from_store(p, st);
}

void two_step_ticket_end(struct store *s, const char *ticket)
{
	char hash[TOKEN_HASH_LEN + 1];
	auth_token_hash(ticket, strlen(ticket), hash);
	enum store_status st = s->login_ticket_delete(s, hash);
	(void)st; /* it expires within minutes anyway */
}
