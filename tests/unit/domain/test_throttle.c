/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_throttle.c - unit tests for src/domain/throttle.h through a fake
 * store that records what is counted: keys are a kind and a keyed hash
 * (never the username or address), usernames normalised, IPv6 counted by
 * /64; a login without a device cookie counts per address and account, with
 * one for its username per device; a cookie for another username, a
 * tampered or a spent one does not vouch; cookies keep one entry per account,
 * at most four; a refusal's Retry-After; the sign-up floor; codes; taking an
 * attempt back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/throttle.h"
#include "util/util.h"

/* The fake store: the last take, and how to answer takes. */
static struct {
	struct throttle_key keys[THROTTLE_KEYS_MAX];
	char names[THROTTLE_KEYS_MAX][THROTTLE_KEY_MAX + 1];
	int n;
	char attempt[ID_LEN + 1];
	const char *refuse_kind; /* refuse a key of this kind; NULL: refuse nothing */
	int64_t oldest;
	char forgotten[ID_LEN + 1];
	char cleared[THROTTLE_KEY_MAX + 1];
	int takes;
} fake;

static enum store_status fake_take(struct store *s, const struct throttle_key *keys, int n, const char *attempt,
                                   int64_t now, struct throttle_verdict *out)
{
	(void)s;
	(void)now;
	fake.takes++;
	fake.n = n;
	snprintf(fake.attempt, sizeof fake.attempt, "%s", attempt);
	out->refused = -1;
	out->oldest = 0;
	for (int i = 0; i < n; i++) {
		snprintf(fake.names[i], sizeof fake.names[i], "%s", keys[i].key);
		fake.keys[i] = keys[i];
		fake.keys[i].key = fake.names[i];
		if (fake.refuse_kind && out->refused < 0 &&
		    strncmp(keys[i].key, fake.refuse_kind, strlen(fake.refuse_kind)) == 0 &&
		    keys[i].key[strlen(fake.refuse_kind)] == ':') {
			out->refused = i;
			out->oldest = fake.oldest;
		}
	}
	return STORE_OK;
}

static enum store_status fake_forget(struct store *s, const char *attempt)
{
	(void)s;
	snprintf(fake.forgotten, sizeof fake.forgotten, "%s", attempt);
	return STORE_OK;
}

static enum store_status fake_clear(struct store *s, const char *key)
{
	(void)s;
	snprintf(fake.cleared, sizeof fake.cleared, "%s", key);
	return STORE_OK;
}

static struct store store = {.throttle_take = fake_take, .throttle_forget = fake_forget, .failure_clear = fake_clear};

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof fake);
	return sodium_init() < 0 ? -1 : 0;
}

static bool is_key(const char *k, const char *kind)
{
	size_t n = strlen(kind);
	if (strncmp(k, kind, n) != 0 || k[n] != ':' || strlen(k + n + 1) != 32)
		return false;
	return strspn(k + n + 1, "0123456789abcdef") == 32;
}

static void test_keys(void **state)
{
	(void)state;
	char a[THROTTLE_KEY_MAX + 1], b[THROTTLE_KEY_MAX + 1];
	throttle_key(&store, "login-user", "alice", 5, a);
	assert_true(is_key(a, "login-user"));
	assert_null(strstr(a, "alice"));
	throttle_key(&store, "login-user", "alice", 5, b);
	assert_string_equal(a, b);
	throttle_key(&store, "login-addr", "alice", 5, b);
	assert_string_not_equal(a + 11, b + 11); /* another kind, another hash */
	throttle_key(&store, "login-user", "alicf", 5, b);
	assert_string_not_equal(a, b);
	char out[64];
	throttle_address("203.0.113.5", out, sizeof out);
	assert_string_equal(out, "203.0.113.5");
	throttle_address("::ffff:203.0.113.5", out, sizeof out);
	assert_string_equal(out, "203.0.113.5");
	throttle_address("2001:db8:1:2:3:4:5:6", out, sizeof out);
	assert_string_equal(out, "2001:db8:1:2::/64");
	throttle_address("unknown", out, sizeof out);
	assert_string_equal(out, "unknown");
}

/* A login attempt for username with this client; the number of keys counted. */
static int begin(struct login_client *c, const char *username, struct throttle_attempt *a, struct problem *p)
{
	fake.takes = 0;
	bool ok = throttle_login_begin(&store, c, username, a, p);
	return ok ? fake.n : -1;
}

static void test_login_untrusted(void **state)
{
	(void)state;
	struct login_client c = {.addr = "198.51.100.1"};
	struct throttle_attempt a, b;
	struct problem p;
	assert_int_equal(begin(&c, "Alice", &a, &p), 2);
	assert_false(a.trusted);
	assert_true(is_key(fake.keys[0].key, "login-addr"));
	assert_int_equal(fake.keys[0].limit, THROTTLE_LOGIN_ADDRESS);
	assert_true(is_key(fake.keys[1].key, "login-user"));
	assert_int_equal(fake.keys[1].limit, THROTTLE_LOGIN_ACCOUNT);
	assert_true(fake.keys[1].window_ms == THROTTLE_WINDOW_MS);
	assert_string_equal(fake.attempt, a.id);
	char user_key[THROTTLE_KEY_MAX + 1];
	snprintf(user_key, sizeof user_key, "%s", fake.keys[1].key);
	/* However it is typed, one name is one account. */
	assert_int_equal(begin(&c, "  aLICE\t", &b, &p), 2);
	assert_string_equal(fake.keys[1].key, user_key);
	assert_string_not_equal(a.id, b.id);
	/* An address of the same /64 counts as one. */
	struct login_client v6a = {.addr = "2001:db8::1"}, v6b = {.addr = "2001:db8::ffff:1"};
	assert_int_equal(begin(&v6a, "alice", &a, &p), 2);
	snprintf(user_key, sizeof user_key, "%s", fake.keys[0].key);
	assert_int_equal(begin(&v6b, "alice", &a, &p), 2);
	assert_string_equal(fake.keys[0].key, user_key);
}

static void test_refusal(void **state)
{
	(void)state;
	struct login_client c = {.addr = "198.51.100.1"};
	struct throttle_attempt a;
	struct problem p;
	fake.refuse_kind = "login-user";
	fake.oldest = now_ms() - 5 * 60 * 1000; /* ten minutes of the window left */
	assert_int_equal(begin(&c, "alice", &a, &p), -1);
	assert_int_equal(p.outcome, OUTCOME_THROTTLED);
	assert_string_equal(p.code, "rate_limited");
	assert_in_range(p.retry_after, 599, 601);
	fake.oldest = now_ms() - THROTTLE_WINDOW_MS - 1000; /* just left: still at least a second */
	assert_int_equal(begin(&c, "alice", &a, &p), -1);
	assert_int_equal(p.retry_after, 1);
}

/* Logs username in with the client's cookie; returns the new cookie's entry count. */
static int login_ok(struct login_client *c, const char *username, char *cookie_out)
{
	struct throttle_attempt a;
	struct problem p;
	assert_true(begin(c, username, &a, &p) > 0);
	throttle_login_ok(&store, c, username, &a);
	assert_string_equal(fake.forgotten, a.id);
	strcpy(cookie_out, c->device_cookie_out);
	int entries = 1;
	for (const char *s = cookie_out; (s = strchr(s, '.')); s++)
		entries++;
	return entries;
}

static void test_device_cookie(void **state)
{
	(void)state;
	char cookie[DEVICE_COOKIE_MAX + 1], again[DEVICE_COOKIE_MAX + 1];
	struct login_client c = {.addr = "198.51.100.1"};
	assert_int_equal(login_ok(&c, "alice", cookie), 1);
	assert_int_equal(strlen(cookie), 43);
	assert_null(strstr(cookie, "alice"));
	assert_true(is_key(fake.cleared, "login-user")); /* an untrusted success clears the account's count */
	/* The cookie vouches for alice (by any spelling): one key, the device's. */
	struct login_client with = {.addr = "198.51.100.1", .device_cookie = cookie};
	struct throttle_attempt a;
	struct problem p;
	assert_int_equal(begin(&with, " ALICE", &a, &p), 1);
	assert_true(a.trusted);
	assert_true(is_key(fake.keys[0].key, "login-device"));
	assert_int_equal(fake.keys[0].limit, THROTTLE_LOGIN_DEVICE);
	char device_key[THROTTLE_KEY_MAX + 1];
	snprintf(device_key, sizeof device_key, "%s", fake.keys[0].key);
	throttle_login_ok(&store, &with, "alice", &a);
	assert_string_equal(fake.cleared, device_key); /* a trusted success clears the device's count */
	/* Not for bob. */
	assert_int_equal(begin(&with, "bob", &a, &p), 2);
	assert_false(a.trusted);
	/* Tampered: not for anyone. */
	char bad[DEVICE_COOKIE_MAX + 1];
	strcpy(bad, cookie);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	struct login_client tampered = {.addr = "198.51.100.1", .device_cookie = bad};
	assert_int_equal(begin(&tampered, "alice", &a, &p), 2);
	/* Spent (the device key at its limit): counted as any other browser. */
	fake.refuse_kind = "login-device";
	assert_int_equal(begin(&with, "alice", &a, &p), 2);
	assert_false(a.trusted);
	assert_int_equal(fake.takes, 2);
	fake.refuse_kind = NULL;
	/* bob logs in on the same browser: both are remembered, bob first. */
	assert_int_equal(login_ok(&with, "bob", again), 2);
	assert_memory_equal(again + 44, cookie, 43);
	struct login_client both = {.addr = "198.51.100.1", .device_cookie = again};
	assert_int_equal(begin(&both, "alice", &a, &p), 1);
	assert_int_equal(begin(&both, "bob", &a, &p), 1);
	/* alice again: her old entry is replaced, not added. */
	assert_int_equal(login_ok(&both, "alice", cookie), 2);
	/* At most four entries, the newest first; garbage entries are dropped. */
	char many[DEVICE_COOKIE_MAX * 4];
	snprintf(many, sizeof many, "%s.junk.%s.%s", again, again, again);
	struct login_client crowded = {.addr = "198.51.100.1", .device_cookie = many};
	assert_int_equal(login_ok(&crowded, "carol", cookie), 4);
	assert_true(strlen(cookie) <= DEVICE_COOKIE_MAX);
	assert_null(strstr(cookie, "junk"));
}

static void test_signup_and_codes(void **state)
{
	(void)state;
	struct login_client c = {.addr = "198.51.100.1"};
	struct throttle_attempt a;
	struct problem p;
	assert_true(throttle_signup_begin(&store, &c, 10, &a, &p));
	assert_int_equal(fake.n, 1);
	assert_true(is_key(fake.keys[0].key, "signup-addr"));
	assert_int_equal(fake.keys[0].limit, THROTTLE_SIGNUP_FLOOR); /* never below the contract's 50 */
	assert_true(fake.keys[0].window_ms == THROTTLE_SIGNUP_WINDOW_MS);
	assert_true(throttle_signup_begin(&store, &c, 500, &a, &p));
	assert_int_equal(fake.keys[0].limit, 500);
	throttle_forget(&store, &a);
	assert_string_equal(fake.forgotten, a.id);
	assert_true(throttle_code_begin(&store, "join", "0123456789abcdef0123456789abcdef", "198.51.100.1", &a, &p));
	assert_int_equal(fake.n, 2);
	assert_true(is_key(fake.keys[0].key, "join-addr"));
	assert_int_equal(fake.keys[0].limit, THROTTLE_CODE_ADDRESS);
	assert_true(is_key(fake.keys[1].key, "join-user"));
	assert_int_equal(fake.keys[1].limit, THROTTLE_CODE_ACCOUNT);
	fake.refuse_kind = "tlink-addr";
	fake.oldest = now_ms();
	assert_false(throttle_code_begin(&store, "tlink", "0123456789abcdef0123456789abcdef", "198.51.100.1", &a, &p));
	assert_int_equal(p.outcome, OUTCOME_THROTTLED);
	assert_in_range(p.retry_after, 899, 901);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_keys, setup),
	    cmocka_unit_test_setup(test_login_untrusted, setup),
	    cmocka_unit_test_setup(test_refusal, setup),
	    cmocka_unit_test_setup(test_device_cookie, setup),
	    cmocka_unit_test_setup(test_signup_and_codes, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
