/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * password.h - passwords after sign-up: the rules for a new one (at least
 * 12 characters, not containing the username, not easy to guess by
 * libzxcvbn's estimate), checking the one a signed-in person types
 * (throttled), changing it, and setting it for someone from the command line.
 */
#ifndef HEARTH_PASSWORD_H
#define HEARTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "../store/store.h"
#include "problem.h"

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 1024
/* zxcvbn's scale: 0 and 1 are guessed within about a million tries; 2 is the least we accept. */
#define PASSWORD_MIN_SCORE 2

/*
 * zxcvbn's score of a password, 0 (guessed at once) to 4 (very hard to
 * guess), counting the words in user_words (a NULL-terminated list: the
 * person's username and name) as easy as common words.
 */
int password_score(const char *password, const char *const *user_words);

/*
 * Whether username (whose name is display_name, may be NULL) may choose
 * password[0..n) as a new password: true, or false with a problem on
 * `field` saying why in words a person can act on: 400 weak_password (too
 * short, contains the username, too easy to guess), or 400 invalid_input
 * (not text, or over 1024 characters).
 */
bool password_acceptable(const char *username, const char *display_name, const char *password, size_t n,
                         const char *field, struct problem *p) WARN_UNUSED;

/*
 * Checks the password a signed-in person typed (at a reauth, or as the
 * current password when changing it). Failures are counted per account (10
 * in 15 minutes, then 429 with Retry-After, as at login). False with a
 * problem: 401 bad_credentials on `field`, 429, or a store failure.
 */
bool account_password_check(struct store *s, const struct viewer *v, const char *password, const char *field,
                            struct problem *p) WARN_UNUSED;

/*
 * POST /me/password: needs a fresh session (403 reauth_required), the
 * current password (401 bad_credentials on "current") and an acceptable new
 * one, different from the current (400 on "new"). Every other session of
 * the viewer ends in the same transaction; this one stays.
 */
bool account_password_change(struct store *s, const struct viewer *v, const char *current, const char *new_password,
                             struct problem *p) WARN_UNUSED;

/*
 * `hearth user passwd USERNAME`: sets an acceptable new password for the
 * account and ends every session of it. No such user: OUTCOME_NOT_FOUND.
 */
bool account_password_set(struct store *s, const char *username, const char *new_password,
                          struct problem *p) WARN_UNUSED;

#endif
