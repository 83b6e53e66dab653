/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * throttle.c - the limits on logins, sign-ups and codes (see throttle.h).
 *
 * Every attempt is counted before it is checked, in one step with the check
 * of the count (store->throttle_take), and taken back when it turns out well;
 * so a failure is whatever was counted and not taken back, and no burst of
 * concurrent guesses gets more checks than the limit.
 *
 * A device cookie entry is base64url(nonce[16] || tag[16]), where tag is a
 * keyed BLAKE2b of the normalised username and the nonce under a key derived
 * from the master key: it names no account, and only the server can make one
 * for a username. A browser keeps one entry per account it logged in to (a
 * couple may share one), newest first, at most DEVICE_COOKIE_ENTRIES.
 */
#include "throttle.h"

#include <arpa/inet.h>
#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../util/i18n.h"
#include "keyring.h"

#define HASH_BYTES 16
#define NONCE_BYTES 16
#define ENTRY_BYTES (NONCE_BYTES + HASH_BYTES)
#define ENTRY_TEXT 43      /* base64url of 32 bytes, without padding */
#define TYPED_NAME_MAX 256 /* longer input is cut here before hashing: no username is that long */

static const char *const refused_message = N_("Too many attempts. Please wait and try again.");

/* Without a keyring (unit tests, tools) the keys are random for the life of the process. */
static unsigned char fallback_key[2][KEYRING_DERIVED_BYTES];
static pthread_once_t fallback_once = PTHREAD_ONCE_INIT;

static void fallback_init(void)
{
	randombytes_buf(fallback_key, sizeof fallback_key);
}

/* which: 0 the throttling key, 1 the device cookie key. */
static void derived_key(struct store *s, int which, unsigned char out[KEYRING_DERIVED_BYTES])
{
	if (s && s->keys) {
		keyring_derive(s->keys, which ? "device-cookie" : "throttle", out);
		return;
	}
	pthread_once(&fallback_once, fallback_init);
	memcpy(out, fallback_key[which], KEYRING_DERIVED_BYTES);
}

/* What was typed, as it is compared: surrounding spaces dropped, ASCII letters lowered, capped. */
static size_t username_normalise(const char *in, char out[TYPED_NAME_MAX + 1])
{
	size_t n = strlen(in);
	while (n && (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n'))
		in++, n--;
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\r' || in[n - 1] == '\n'))
		n--;
	if (n > TYPED_NAME_MAX)
		n = TYPED_NAME_MAX;
	for (size_t i = 0; i < n; i++)
		out[i] = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a') : in[i];
	out[n] = '\0';
	return n;
}

void throttle_key(struct store *s, const char *kind, const char *value, size_t n, char out[THROTTLE_KEY_MAX + 1])
{
	assert(kind && strlen(kind) < THROTTLE_KEY_MAX - 2 * HASH_BYTES - 1 && value);
	unsigned char key[KEYRING_DERIVED_BYTES], h[HASH_BYTES];
	derived_key(s, 0, key);
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, sizeof key, sizeof h);
	/* The kind and a separator first, so no value of one kind collides with another kind's. */
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_generichash_update(&st, (const unsigned char *)value, n);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_memzero(key, sizeof key);
	size_t k = (size_t)snprintf(out, THROTTLE_KEY_MAX + 1, "%s:", kind);
	hex_encode(h, sizeof h, out + k);
}

void throttle_address(const char *addr, char *out, size_t n)
{
	assert(addr && out && n >= INET6_ADDRSTRLEN + 4);
	unsigned char a6[16];
	if (strchr(addr, ':') && inet_pton(AF_INET6, addr, a6) == 1) {
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(a6, mapped, sizeof mapped) == 0) {
			inet_ntop(AF_INET, a6 + 12, out, (socklen_t)n);
			return;
		}
		/* One household or one attacker usually holds a whole /64. */
		memset(a6 + 8, 0, 8);
		char text[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, a6, text, sizeof text);
		snprintf(out, n, "%s/64", text);
		return;
	}
	snprintf(out, n, "%s", addr);
}

static void address_key(struct store *s, const char *kind, const char *addr, char out[THROTTLE_KEY_MAX + 1])
{
	char counted[INET6_ADDRSTRLEN + 8];
	throttle_address(addr ? addr : "unknown", counted, sizeof counted);
	throttle_key(s, kind, counted, strlen(counted), out);
}

static void username_key(struct store *s, const char *kind, const char *username, char out[THROTTLE_KEY_MAX + 1])
{
	char norm[TYPED_NAME_MAX + 1];
	size_t n = username_normalise(username, norm);
	throttle_key(s, kind, norm, n, out);
	sodium_memzero(norm, sizeof norm);
}

/* The tag of a device cookie entry: HASH_BYTES of keyed BLAKE2b over the username and the nonce. */
static void device_tag(const unsigned char key[32], const char *username, const unsigned char nonce[NONCE_BYTES],
                       unsigned char tag[HASH_BYTES])
{
	char norm[TYPED_NAME_MAX + 1];
	size_t n = username_normalise(username, norm);
	static const char label[] = "hearth-device-v1";
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, 32, HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)label, sizeof label); /* with its NUL */
	crypto_generichash_update(&st, (const unsigned char *)norm, n + 1);
	crypto_generichash_update(&st, nonce, NONCE_BYTES);
	crypto_generichash_final(&st, tag, HASH_BYTES);
	sodium_memzero(norm, sizeof norm);
}

/* Decodes an entry and checks its tag for username; its nonce into nonce (may be NULL). */
static bool entry_check(const unsigned char key[32], const char *username, const char *entry, size_t n,
                        unsigned char nonce[NONCE_BYTES])
{
	unsigned char raw[ENTRY_BYTES], tag[HASH_BYTES];
	size_t got = 0;
	if (n != ENTRY_TEXT ||
	    sodium_base642bin(raw, sizeof raw, entry, n, NULL, &got, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) !=
	        0 ||
	    got != ENTRY_BYTES)
		return false;
	device_tag(key, username, raw, tag);
	if (sodium_memcmp(tag, raw + NONCE_BYTES, HASH_BYTES) != 0)
		return false;
	if (nonce)
		memcpy(nonce, raw, NONCE_BYTES);
	return true;
}

bool throttle_device_entry_valid(const unsigned char key[32], const char *username, const char *entry, size_t n)
{
	return entry_check(key, username, entry, n, NULL);
}

/*
 * The entry of cookie that vouches for username, if any: the key that
 * counts its device (a keyed hash of its nonce) into device_key; true when found.
 */
static bool device_find(struct store *s, const char *cookie, const char *username,
                        char device_key[THROTTLE_KEY_MAX + 1])
{
	if (!cookie)
		return false;
	unsigned char key[KEYRING_DERIVED_BYTES], nonce[NONCE_BYTES];
	derived_key(s, 1, key);
	bool found = false;
	const char *p = cookie;
	for (int i = 0; i < DEVICE_COOKIE_ENTRIES && *p && !found; i++) {
		size_t n = strcspn(p, ".");
		found = entry_check(key, username, p, n, nonce);
		p += n;
		if (*p == '.')
			p++;
	}
	sodium_memzero(key, sizeof key);
	if (found)
		throttle_key(s, "login-device", (const char *)nonce, sizeof nonce, device_key);
	return found;
}

/* A new cookie: a fresh entry for username, then the other entries sent (not for username), up to the cap. */
static void device_issue(struct store *s, const char *cookie, const char *username, char out[DEVICE_COOKIE_MAX + 1])
{
	unsigned char key[KEYRING_DERIVED_BYTES], raw[ENTRY_BYTES];
	derived_key(s, 1, key);
	randombytes_buf(raw, NONCE_BYTES);
	device_tag(key, username, raw, raw + NONCE_BYTES);
	sodium_bin2base64(out, ENTRY_TEXT + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	size_t len = ENTRY_TEXT;
	const char *p = cookie ? cookie : "";
	for (int kept = 1, i = 0; i < DEVICE_COOKIE_ENTRIES && *p; i++) {
		size_t n = strcspn(p, ".");
		bool sane = n == ENTRY_TEXT &&
		            strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") >= n;
		if (sane && kept < DEVICE_COOKIE_ENTRIES && !throttle_device_entry_valid(key, username, p, n)) {
			out[len++] = '.';
			memcpy(out + len, p, n);
			len += n;
			kept++;
		}
		p += n;
		if (*p == '.')
			p++;
	}
	out[len] = '\0';
	sodium_memzero(key, sizeof key);
}

/* Fills the problem for a refusal: wait until the oldest count leaves the window. */
static bool refuse(struct problem *p, int64_t oldest, int64_t window_ms)
{
	problem_set(p, OUTCOME_THROTTLED, "rate_limited", NULL, refused_message);
	int64_t wait = oldest + window_ms - now_ms();
	p->retry_after = (int)(wait > 0 ? wait / 1000 + 1 : 1);
	return false;
}

/* Takes the first n keys of a; true when counted, else the problem. */
static bool take(struct store *s, struct throttle_attempt *a, const int *limits, const int64_t *windows, int n,
                 struct problem *p)
{
	struct throttle_key keys[THROTTLE_KEYS_MAX];
	for (int i = 0; i < n; i++)
		keys[i] = (struct throttle_key){a->keys[i], limits[i], windows[i]};
	struct throttle_verdict v;
	enum store_status st = s->throttle_take(s, keys, n, a->id, now_ms(), &v);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return v.refused < 0 || refuse(p, v.oldest, windows[v.refused]);
}

bool throttle_login_begin(struct store *s, const struct login_client *c, const char *username,
                          struct throttle_attempt *a, struct problem *p)
{
	assert(c && username && a && p);
	memset(a, 0, sizeof *a);
	id_new(a->id);
	static const int64_t windows[] = {THROTTLE_WINDOW_MS, THROTTLE_WINDOW_MS};
	if (device_find(s, c->device_cookie, username, a->keys[0])) {
		static const int device_limit[] = {THROTTLE_LOGIN_DEVICE};
		a->trusted = true;
		if (take(s, a, device_limit, windows, 1, p))
			return true;
		if (p->outcome != OUTCOME_THROTTLED)
			return false;
		/* This browser used up its own attempts: from now on it counts as any other. */
		a->trusted = false;
	}
	static const int limits[] = {THROTTLE_LOGIN_ADDRESS, THROTTLE_LOGIN_ACCOUNT};
	address_key(s, "login-addr", c->addr, a->keys[0]);
	username_key(s, "login-user", username, a->keys[1]);
	return take(s, a, limits, windows, 2, p);
}

void throttle_forget(struct store *s, const struct throttle_attempt *a)
{
	assert(a && a->id[0]);
	enum store_status st = s->throttle_forget(s, a->id);
	(void)st; /* a count left behind only expires with its window */
}

void throttle_login_ok(struct store *s, struct login_client *c, const char *username, const struct throttle_attempt *a)
{
	assert(c && username && a);
	/* A lost write here only leaves a count that expires with its window. */
	enum store_status st = s->throttle_forget(s, a->id);
	/* The right password starts the account (or this browser) afresh. */
	if (st == STORE_OK)
		st = s->failure_clear(s, a->keys[a->trusted ? 0 : 1]);
	(void)st;
	device_issue(s, c->device_cookie, username, c->device_cookie_out);
}

bool throttle_signup_begin(struct store *s, const struct login_client *c, int limit, struct throttle_attempt *a,
                           struct problem *p)
{
	assert(c && a && p);
	memset(a, 0, sizeof *a);
	id_new(a->id);
	int limits[] = {limit < THROTTLE_SIGNUP_FLOOR ? THROTTLE_SIGNUP_FLOOR : limit};
	static const int64_t windows[] = {THROTTLE_SIGNUP_WINDOW_MS};
	address_key(s, "signup-addr", c->addr, a->keys[0]);
	return take(s, a, limits, windows, 1, p);
}

bool throttle_account_begin(struct store *s, const char *kind, const char *user_id, struct throttle_attempt *a,
                            struct problem *p)
{
	assert(kind && user_id && a && p);
	memset(a, 0, sizeof *a);
	id_new(a->id);
	static const int limits[] = {THROTTLE_CODE_ACCOUNT};
	static const int64_t windows[] = {THROTTLE_WINDOW_MS};
	char name[32];
	snprintf(name, sizeof name, "%s-user", kind);
	throttle_key(s, name, user_id, strlen(user_id), a->keys[0]);
	return take(s, a, limits, windows, 1, p);
}

bool throttle_code_begin(struct store *s, const char *kind, const char *user_id, const char *addr,
                         struct throttle_attempt *a, struct problem *p)
{
	assert(kind && user_id && a && p);
	memset(a, 0, sizeof *a);
	id_new(a->id);
	char name[32];
	static const int limits[] = {THROTTLE_CODE_ADDRESS, THROTTLE_CODE_ACCOUNT};
	static const int64_t windows[] = {THROTTLE_WINDOW_MS, THROTTLE_WINDOW_MS};
	snprintf(name, sizeof name, "%s-addr", kind);
	address_key(s, name, addr, a->keys[0]);
	snprintf(name, sizeof name, "%s-user", kind);
	throttle_key(s, name, user_id, strlen(user_id), a->keys[1]);
	return take(s, a, limits, windows, 2, p);
}
