/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * throttle.h - who may try again, and when: the limits on logins, sign-ups
 * and codes (invites, therapist links), counted in the store in one step
 * (store->throttle_take) before the password or code is checked.
 *
 * What is counted is named by a keyed hash (the key derived from the master
 * key): of the normalised username that was typed, of the client's address
 * (an IPv6 address by its /64), of a device cookie. No username as typed
 * and no address is ever stored.
 *
 * Logins follow OWASP's device cookies: a browser that logged in to an
 * account before holds a signed cookie for it, and its attempts on that
 * account are counted against that cookie alone (10 failures / 15 min), so
 * neither someone guessing that account's password elsewhere nor others'
 * failures from the same address lock it out. Every other attempt is
 * counted per account (10 / 15 min) and per address (100 / 15 min).
 */
#ifndef HEARTH_THROTTLE_H
#define HEARTH_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"
#include "problem.h"

#define THROTTLE_WINDOW_MS (15LL * 60 * 1000)
#define THROTTLE_LOGIN_ACCOUNT 10
#define THROTTLE_LOGIN_ADDRESS 100
#define THROTTLE_LOGIN_DEVICE 10
#define THROTTLE_CODE_ACCOUNT 10
#define THROTTLE_CODE_ADDRESS 100
#define THROTTLE_SIGNUP_WINDOW_MS (60LL * 60 * 1000)
/* Sign-ups per address and hour: the contract allows a limit, but none below this. */
#define THROTTLE_SIGNUP_FLOOR 50

/* A key: "KIND:" and 32 hex digits. */
#define THROTTLE_KEY_MAX 64
/* The device cookie: up to four entries (one per account, newest first) of 43 characters, dot-separated. */
#define DEVICE_COOKIE_ENTRIES 4
#define DEVICE_COOKIE_MAX (DEVICE_COOKIE_ENTRIES * 44)

/* The cookie's name and life: a browser that logged in is remembered for a year. */
#define DEVICE_COOKIE_NAME "hearth_device"
#define DEVICE_COOKIE_MAX_AGE_S (365L * 24 * 3600)

/* Who is knocking: filled by the page or the API from the request. */
struct login_client {
	const char *addr;          /* the client's address, after trusted proxies */
	const char *device_cookie; /* the device cookie as sent, or NULL */
	/* After a successful login: the device cookie to set (""  when none). */
	char device_cookie_out[DEVICE_COOKIE_MAX + 1];
};

/* One attempt in flight: what it was counted under. */
struct throttle_attempt {
	char id[ID_LEN + 1];
	char keys[THROTTLE_KEYS_MAX][THROTTLE_KEY_MAX + 1];
	bool trusted; /* a login counted against its device cookie */
};

/*
 * The key that counts `value` (n bytes) for `kind` ("login-user", ...):
 * kind, ":", and a keyed hash of value. Usernames are normalised first by
 * the callers below (surrounding spaces dropped, ASCII letters lowered).
 */
void throttle_key(struct store *s, const char *kind, const char *value, size_t n, char out[THROTTLE_KEY_MAX + 1]);

/*
 * Each begin function counts an attempt before what it guards is checked:
 * true when it may go ahead, else false with an OUTCOME_THROTTLED problem
 * (retry_after set) or a store failure. What is counted stays counted, as a
 * failure, unless taken back: throttle_forget() when the attempt turned out
 * well or was never checked, throttle_login_ok() after a right password.
 */
bool throttle_login_begin(struct store *s, const struct login_client *c, const char *username,
                          struct throttle_attempt *a, struct problem *p) WARN_UNUSED;
/*
 * Sign-ups from one address: at most `limit` an hour (never below
 * THROTTLE_SIGNUP_FLOOR); counted before the password is hashed, and taken
 * back (throttle_forget) when no account was made.
 */
bool throttle_signup_begin(struct store *s, const struct login_client *c, int limit, struct throttle_attempt *a,
                           struct problem *p) WARN_UNUSED;
/* Codes a signed-in person types (kind "join", "tlink"): 10 wrong ones per person and 100 per address in 15 minutes. */
bool throttle_code_begin(struct store *s, const char *kind, const char *user_id, const char *addr,
                         struct throttle_attempt *a, struct problem *p) WARN_UNUSED;

/*
 * A password or code typed again by someone already signed in (kind "reauth",
 * "two-step-setup", "two-step-off"): 10 wrong ones per account in 15 minutes,
 * keyed by the account's id alone.
 */
bool throttle_account_begin(struct store *s, const char *kind, const char *user_id, struct throttle_attempt *a,
                            struct problem *p) WARN_UNUSED;

/* Takes back the attempt's counts. */
void throttle_forget(struct store *s, const struct throttle_attempt *a);
/*
 * The password matched: the attempt's counts are taken back, the account's
 * (or this browser's) failures forgotten, and c->device_cookie_out set to a
 * cookie that vouches for this browser and username.
 */
void throttle_login_ok(struct store *s, struct login_client *c, const char *username, const struct throttle_attempt *a);

/* The address as it is counted: IPv4 and IPv4-mapped IPv6 whole, other IPv6 by its /64 ("2001:db8::/64"). */
void throttle_address(const char *addr, char *out, size_t n);

/* Is this device cookie entry (43 characters) signed for this username, under key? (for the unit tests too) */
bool throttle_device_entry_valid(const unsigned char key[32], const char *username, const char *entry, size_t n);

#endif
