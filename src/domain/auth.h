/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * auth.h - the rules and crypto of accounts: validation of usernames,
 * passwords and display names; argon2id password hashes; random tokens and
 * their hashes; CSRF tokens derived from a session token; invite codes.
 * No I/O here.
 */
#ifndef HEARTH_AUTH_H
#define HEARTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/util.h"

#define TOKEN_TEXT_LEN 43    /* 32 random bytes, base64url without padding */
#define TOKEN_HASH_LEN 64    /* hex of a 32-byte BLAKE2b hash */
#define INVITE_CODE_LEN 14   /* XXXX-XXXX-XXXX */
#define RECOVERY_CODE_LEN 19 /* XXXX-XXXX-XXXX-XXXX: 80 bits, so a fast hash of it cannot be searched */

/* Each returns NULL when valid, else a message for a person. */
const char *auth_check_username(const char *s, size_t n);
const char *auth_check_password(const char *s, size_t n);
const char *auth_check_display_name(const char *s, size_t n);

/* What an account may do: the words live only in SQL, JSON and the CLI. */
enum role { ROLE_MEMBER, ROLE_THERAPIST, ROLE_ADMIN };

/* "member", "therapist" or "admin" into *out; false (and *out untouched) for anything else, NULL too. */
bool role_parse(const char *s, enum role *out) WARN_UNUSED;
const char *role_name(enum role r);
struct viewer;
/* The viewer's role; a role that does not parse counts as a member, the one allowed least. */
enum role viewer_role(const struct viewer *v);

/* argon2id; out must hold 128 bytes. Returns -1 when out of memory. */
int auth_password_hash(const char *password, size_t n, char *out) WARN_UNUSED;
bool auth_password_verify(const char *hash, const char *password, size_t n);
#ifdef HEARTH_TEST_HOOKS
/*
 * Test hooks only (HEARTH_TEST_FAST_PASSWORD_HASH=1): hash at argon2id's
 * least cost. The test suites make thousands of accounts, and at the real
 * cost the hashing was a third of their time.
 */
void auth_password_cost_minimum(void);
#endif
/* Spends about as long as a verification, for unknown users (no timing oracle). */
void auth_password_dummy_verify(const char *password, size_t n);

/* A new random token, written to out[TOKEN_TEXT_LEN + 1]. */
void auth_token_new(char *out);
/* The hash stored for a token (or an invite code): out[TOKEN_HASH_LEN + 1]. */
void auth_token_hash(const char *token, size_t n, char *out);
/* The CSRF token that belongs to a session token: out[TOKEN_HASH_LEN + 1]. */
void auth_csrf_for(const char *session_token, char *out);
/* Constant-time comparison of two NUL-terminated strings. */
bool auth_equal(const char *a, const char *b);

/* A new invite code "ABCD-EFGH-JKLM" (60 bits), out[INVITE_CODE_LEN + 1]. */
void auth_invite_code_new(char *out);
/*
 * Normalises what a person typed (case, spaces, dashes, look-alike letters)
 * into the canonical code; -1 when it cannot be a code.
 */
int auth_invite_code_normalise(const char *in, size_t n, char *out) WARN_UNUSED;

/* A new recovery code for two-step login, "ABCD-EFGH-JKMN-PQRS", out[RECOVERY_CODE_LEN + 1]. */
void auth_recovery_code_new(char *out);
/* As auth_invite_code_normalise, for a recovery code; -1 when it cannot be one. */
int auth_recovery_code_normalise(const char *in, size_t n, char *out) WARN_UNUSED;

#endif
