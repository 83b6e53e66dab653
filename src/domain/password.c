/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * password.c - the rules for a new password, checking the one a signed-in
 * person types, changing and setting it (see password.h).
 *
 * Strength is libzxcvbn's estimate (the C port of Dropbox's zxcvbn): it
 * returns the entropy in bits of the cheapest way to guess the password
 * (common passwords, dictionary words, names, dates, keyboard patterns,
 * repeats, the person's own words), which we turn into zxcvbn's score with
 * its own thresholds on the number of guesses.
 */
#include "password.h"

#include <assert.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <zxcvbn.h>

#include "account.h"
#include "auth.h"
#include "session.h"
#include "throttle.h"

/* Words of a display name given to zxcvbn; a name has a few. */
#define USER_WORDS_MAX 8

int password_score(const char *password, const char *const *user_words)
{
	/* zxcvbn's API predates const; it only reads the words. */
	double bits = ZxcvbnMatch(password, (const char **)user_words, NULL);
	double log10_guesses = bits * log10(2.0);
	/* zxcvbn.js: guesses < 1e3 + 5 score 0, < 1e6 + 5 score 1, < 1e8 + 5 score 2, < 1e10 + 5 score 3. */
	if (log10_guesses < 3.0)
		return 0;
	if (log10_guesses < 6.0)
		return 1;
	if (log10_guesses < 8.0)
		return 2;
	if (log10_guesses < 10.0)
		return 3;
	return 4;
}

/* True when needle (ASCII, lower case, as usernames are) occurs in hay[0..n), ignoring ASCII case. */
static bool contains_nocase(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (m == 0 || m > n)
		return false;
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m) {
			char c = hay[i + j];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != needle[j])
				break;
			j++;
		}
		if (j == m)
			return true;
	}
	return false;
}

bool password_acceptable(const char *username, const char *display_name, const char *password, size_t n,
                         const char *field, struct problem *p)
{
	assert(username && password);
	if (!utf8_valid(password, n))
		return problem_invalid(p, field, "The password must be valid text.");
	size_t chars = utf8_length(password, n);
	if (chars > PASSWORD_MAX_CHARS)
		return problem_invalid(p, field, "A password can be at most 1024 characters.");
	if (chars < PASSWORD_MIN_CHARS)
		return problem_set(p, OUTCOME_INVALID, "weak_password", field,
		                   "Choose a password of at least 12 characters. A few unrelated words are easy to "
		                   "remember and hard to guess.");
	if (contains_nocase(password, n, username))
		return problem_set(p, OUTCOME_INVALID, "weak_password", field,
		                   "Your password must not contain your username: it is the first thing someone "
		                   "would try.");
	/* The person's own words count as easy: the username, and each word of their name. */
	char name[DISPLAY_NAME_MAX_BYTES + 1];
	snprintf(name, sizeof name, "%s", display_name ? display_name : "");
	const char *words[USER_WORDS_MAX + 3] = {username, "hearth"};
	size_t count = 2;
	for (char *save = NULL, *w = strtok_r(name, " \t-_.", &save); w && count < USER_WORDS_MAX + 2;
	     w = strtok_r(NULL, " \t-_.", &save))
		words[count++] = w;
	words[count] = NULL;
	if (password_score(password, words) < PASSWORD_MIN_SCORE)
		return problem_set(p, OUTCOME_INVALID, "weak_password", field,
		                   "This password is too easy to guess: it is a common password, or made of a "
		                   "common word, a name, a date or a pattern such as 1234 or qwerty. Try three or four "
		                   "words that have nothing to do with each other.");
	return true;
}

bool account_password_check(struct store *s, const struct viewer *v, const char *password, const char *field,
                            struct problem *p)
{
	/* Counted before the check, in one step (throttle.h); a stolen session cannot guess on and on. */
	struct throttle_attempt attempt;
	if (!throttle_account_begin(s, "reauth", v->user_id, &attempt, p))
		return false;
	struct store_user u;
	enum store_status st = s->user_by_id(s, v->user_id, &u);
	if (st != STORE_OK) {
		throttle_forget(s, &attempt); /* never checked: not a failure */
		return problem_from_store(p, st);
	}
	size_t n = password ? strlen(password) : 0;
	bool ok;
	if (!password || n > 4 * PASSWORD_MAX_CHARS) {
		auth_password_dummy_verify(password ? password : "", password ? PASSWORD_MAX_CHARS : 0);
		ok = false;
	} else {
		ok = auth_password_verify(u.password_hash, password, n);
	}
	sodium_memzero(u.password_hash, sizeof u.password_hash);
	if (!ok) /* the attempt stays counted: a failure */
		return problem_set(p, OUTCOME_UNAUTHORIZED, "bad_credentials", field, "That is not your password.");
	throttle_forget(s, &attempt);
	return true;
}

bool account_password_change(struct store *s, const struct viewer *v, const char *current, const char *new_password,
                             struct problem *p)
{
	assert(current && new_password);
	if (!session_require_fresh(v, p) || !account_password_check(s, v, current, "current", p) ||
	    !password_acceptable(v->username, v->display_name, new_password, strlen(new_password), "new", p))
		return false;
	if (strcmp(current, new_password) == 0)
		return problem_set(p, OUTCOME_INVALID, "weak_password", "new",
		                   "Choose a password different from your current one.");
	char hash[crypto_pwhash_STRBYTES];
	if (auth_password_hash(new_password, strlen(new_password), hash) != 0)
		return problem_set(p, OUTCOME_BUSY, "unavailable", NULL,
		                   "The server is short of memory. Please try again.");
	enum store_status st = s->user_password_set(s, v->user_id, hash, v->session_hash);
	sodium_memzero(hash, sizeof hash);
	return st == STORE_OK || problem_from_store(p, st);
}

bool account_password_set(struct store *s, const char *username, const char *new_password, struct problem *p)
{
	struct store_user u;
	enum store_status st =
	    auth_check_username(username, strlen(username)) ? STORE_NOT_FOUND : s->user_by_username(s, username, &u);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "There is no account by that username.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	sodium_memzero(u.password_hash, sizeof u.password_hash);
	/* The name is sealed in the store; the rule compares the password with the name itself. */
	if (!account_name_open(s, u.id, u.display_name, p))
		return false;
	if (!password_acceptable(u.username, u.display_name, new_password, strlen(new_password), "password", p))
		return false;
	char hash[crypto_pwhash_STRBYTES];
	if (auth_password_hash(new_password, strlen(new_password), hash) != 0)
		return problem_set(p, OUTCOME_BUSY, "unavailable", NULL,
		                   "The server is short of memory. Please try again.");
	st = s->user_password_set(s, u.id, hash, "");
	sodium_memzero(hash, sizeof hash);
	return st == STORE_OK || problem_from_store(p, st);
}
