/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_password.c - unit tests for the rules of a new password
 * (src/domain/password.h): length in characters, the username inside it in
 * any case, zxcvbn's score for common passwords, patterns and the person's
 * own words, the codes and fields of each refusal, and long input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/password.h"

static bool acceptable(const char *username, const char *pw, struct problem *p)
{
	return password_acceptable(username, "Robin Example", pw, strlen(pw), "new", p);
}

static void test_strong_ones_pass(void **state)
{
	(void)state;
	struct problem p;
	static const char *good[] = {
	    "maple kettle orbit lantern", "correct horse battery staple", "a fresh start for me", "Tr0ub4dor&3xx!",
	    "zürich-fjord-ähnlich",       "猫と月と静かな川の音を聞く",
	};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		assert_true(acceptable("robin", good[i], &p));
}

static void test_refusals(void **state)
{
	(void)state;
	struct problem p;
	/* Too short, counted in characters: 11 characters of two or three bytes each are still too short. */
	assert_false(acceptable("robin", "short one 1", &p));
	assert_string_equal(p.code, "weak_password");
	assert_string_equal(p.field, "new");
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_non_null(strstr(p.message, "12 characters"));
	assert_false(acceptable("robin", "ééééééééééé", &p));
	assert_string_equal(p.code, "weak_password");
	assert_false(acceptable("robin", "猫と月と静かな川の音", &p));
	assert_non_null(strstr(p.message, "12 characters"));

	/* The username, in any case. */
	static const char *with_name[] = {"robin kettle orbit lantern", "maple ROBIN orbit lantern",
	                                  "xxRoBiNxx-and-more-words"};
	for (size_t i = 0; i < ARRAY_LEN(with_name); i++) {
		assert_false(acceptable("robin", with_name[i], &p));
		assert_string_equal(p.code, "weak_password");
		assert_non_null(strstr(p.message, "username"));
	}

	/* Common passwords and patterns: zxcvbn scores them 0 or 1. */
	static const char *weak[] = {"password1234", "Password1234!", "qwertyuiopasdf",
	                             "123456789012", "aaaaaaaaaaaa",  "iloveyou2024!",
	                             "letmein12345", "monkey123456",  "trustno1trustno1"};
	for (size_t i = 0; i < ARRAY_LEN(weak); i++) {
		assert_false(acceptable("robin", weak[i], &p));
		assert_string_equal(p.code, "weak_password");
		assert_non_null(strstr(p.message, "easy to guess"));
	}
	/* The person's own name counts as easy. */
	assert_false(acceptable("rb", "RobinExample1", &p));

	/* Not text, or too long: invalid_input. */
	assert_false(password_acceptable("robin", NULL, "abc\xff\xfe more words here", 23, "new", &p));
	assert_string_equal(p.code, "invalid_input");
	char *long_one = malloc(1026);
	assert_non_null(long_one);
	for (int i = 0; i < 1025; i++)
		long_one[i] = (char)('a' + (i * 7) % 26);
	long_one[1025] = '\0';
	assert_false(acceptable("robin", long_one, &p));
	assert_string_equal(p.code, "invalid_input");
	long_one[1024] = '\0'; /* 1024 characters are allowed */
	assert_true(acceptable("robin", long_one, &p));
	free(long_one);
}

static void test_score_scale(void **state)
{
	(void)state;
	const char *none[] = {NULL};
	assert_int_equal(password_score("password", none), 0);
	assert_true(password_score("iloveyou2024!", none) < PASSWORD_MIN_SCORE);
	assert_int_equal(password_score("correct horse battery staple", none), 4);
	const char *mine[] = {"marigold", NULL};
	assert_true(password_score("marigold2024", mine) < password_score("marigold2024", none) ||
	            password_score("marigold2024", none) < PASSWORD_MIN_SCORE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strong_ones_pass),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_score_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
