/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_auth.c - unit tests for src/domain/auth.h: the rules for usernames,
 * passwords, display names and roles; password hashing; session tokens and
 * their hashes; CSRF tokens; constant-time comparison; invite codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth.h"
#include "util/util.h"
#include "../unit.h"

static int setup_sodium(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

#define CHECK_OK(fn, lit) assert_null(fn(lit, sizeof(lit) - 1))
#define CHECK_BAD(fn, lit) assert_non_null(fn(lit, sizeof(lit) - 1))

/* --- usernames --- */

static void username_rules(void **state)
{
	(void)state;
	CHECK_OK(auth_check_username, "sam");
	CHECK_OK(auth_check_username, "a.b_c-d09");
	CHECK_OK(auth_check_username, "abcdefghijklmnopqrstuvwxyz012345"); /* 32 */
	CHECK_BAD(auth_check_username, "");
	CHECK_BAD(auth_check_username, "ab");
	CHECK_BAD(auth_check_username, "abcdefghijklmnopqrstuvwxyz0123456"); /* 33 */
	CHECK_BAD(auth_check_username, "Sam");
	CHECK_BAD(auth_check_username, "SAM");
	CHECK_BAD(auth_check_username, "sam smith");
	CHECK_BAD(auth_check_username, "sam@home");
	CHECK_BAD(auth_check_username, "sam/..");
	CHECK_BAD(auth_check_username, "s\xc3\xa9m");
	CHECK_BAD(auth_check_username, "sa\0m");
	CHECK_BAD(auth_check_username, "sam\n");
	/* the length is what counts, not the terminator */
	assert_null(auth_check_username("samXX", 3));
	assert_non_null(auth_check_username("sam", 2));
}

/* --- passwords --- */

static void password_length_in_code_points(void **state)
{
	(void)state;
	char *s = repeat("\xc3\xa9", 11); /* 11 characters, 22 bytes */
	assert_non_null(auth_check_password(s, strlen(s)));
	free(s);
	s = repeat("\xc3\xa9", 12);
	assert_null(auth_check_password(s, strlen(s)));
	free(s);
	s = repeat("\xf0\x9f\x92\x9c", 12); /* 12 emoji, 48 bytes */
	assert_null(auth_check_password(s, strlen(s)));
	free(s);
	CHECK_BAD(auth_check_password, "elevenchars");
	CHECK_OK(auth_check_password, "twelve chars");
	CHECK_BAD(auth_check_password, "");
}

static void password_upper_bound(void **state)
{
	(void)state;
	char *s = repeat("a", 1024);
	assert_null(auth_check_password(s, 1024));
	free(s);
	s = repeat("a", 1025);
	assert_non_null(auth_check_password(s, 1025));
	free(s);
	s = repeat("\xe2\x82\xac", 1024); /* 1024 characters, 3072 bytes */
	assert_null(auth_check_password(s, strlen(s)));
	free(s);
	s = repeat("\xe2\x82\xac", 1025);
	assert_non_null(auth_check_password(s, strlen(s)));
	free(s);
}

static void password_must_be_text(void **state)
{
	(void)state;
	CHECK_BAD(auth_check_password, "twelve chars\xff");
	CHECK_BAD(auth_check_password, "twelve chars\xc3");
	CHECK_BAD(auth_check_password, "twelve\0chars");
	/* 12 bytes that are not 12 characters */
	CHECK_BAD(auth_check_password, "\xed\xa0\x80\xed\xa0\x80\xed\xa0\x80\xed\xa0\x80");
}

/* --- display names --- */

static void display_name_rules(void **state)
{
	(void)state;
	CHECK_OK(auth_check_display_name, "Sam");
	CHECK_OK(auth_check_display_name, "Zo\xc3\xab O'Brien-Sm\xc3\xadth");
	CHECK_OK(auth_check_display_name, "  padded  ");
	CHECK_OK(auth_check_display_name, "\xf0\x9f\x92\x9c");
	CHECK_BAD(auth_check_display_name, "");
	CHECK_BAD(auth_check_display_name, " ");
	CHECK_BAD(auth_check_display_name, "     ");
	CHECK_BAD(auth_check_display_name, " \t ");
	CHECK_BAD(auth_check_display_name, "bad\xff");
	CHECK_BAD(auth_check_display_name, "nul\0inside");
}

static void display_name_length(void **state)
{
	(void)state;
	char *s = repeat("a", 64);
	assert_null(auth_check_display_name(s, 64));
	free(s);
	s = repeat("a", 65);
	assert_non_null(auth_check_display_name(s, 65));
	free(s);
	/* counted in characters: 64 two-byte letters are 128 bytes and fine */
	s = repeat("\xc3\xa9", 64);
	assert_null(auth_check_display_name(s, strlen(s)));
	free(s);
	s = repeat("\xc3\xa9", 65);
	assert_non_null(auth_check_display_name(s, strlen(s)));
	free(s);
}

static void display_name_control_chars(void **state)
{
	(void)state;
	CHECK_BAD(auth_check_display_name, "line\nbreak");
	CHECK_BAD(auth_check_display_name, "carriage\rreturn");
	CHECK_BAD(auth_check_display_name, "tab\there");
	CHECK_BAD(auth_check_display_name, "bell\x07");
	CHECK_BAD(auth_check_display_name, "\x1b[31mred");
	CHECK_BAD(auth_check_display_name, "\n");
	CHECK_BAD(auth_check_display_name, "\x01");
}

/*
 * BUG (src/domain/auth.c, auth_check_display_name): the message promises "no
 * control characters", but only bytes below 0x20 are refused, so DEL (U+007F)
 * and the C1 controls U+0080..U+009F (among them U+0085 NEXT LINE, a line
 * break) get through into names shown to a partner.
 */
static void display_name_control_chars_del_and_c1(void **state)
{
	(void)state;
	CHECK_BAD(auth_check_display_name, "del\x7f");
	CHECK_BAD(auth_check_display_name, "next\xc2\x85line");
	CHECK_BAD(auth_check_display_name, "csi\xc2\x9b"
	                                   "31m");
	/* the neighbours of the C1 block are ordinary letters and stay allowed */
	CHECK_OK(auth_check_display_name, "nbsp\xc2\xa0ok");
	CHECK_OK(auth_check_display_name, "\xc3\x80ngel");
	CHECK_OK(auth_check_display_name, "~tilde~");
}

static void role_names(void **state)
{
	(void)state;
	static const struct {
		const char *word;
		enum role role;
	} good[] = {{"member", ROLE_MEMBER}, {"therapist", ROLE_THERAPIST}, {"admin", ROLE_ADMIN}};
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		enum role r = (enum role) - 1;
		assert_true(role_parse(good[i].word, &r));
		assert_int_equal(r, good[i].role);
		assert_string_equal(role_name(r), good[i].word);
	}
	const char *bad[] = {"", "Admin", "admins", "root", "member ", NULL};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		enum role r = ROLE_ADMIN;
		assert_false(role_parse(bad[i], &r));
		assert_int_equal(r, ROLE_ADMIN); /* untouched */
	}
}

/* --- password hashes --- */

static void password_hash_and_verify(void **state)
{
	(void)state;
	const char *pw = "correct horse battery \xc3\xa9";
	char hash[128];
	memset(hash, 'z', sizeof hash);
	assert_int_equal(auth_password_hash(pw, strlen(pw), hash), 0);
	assert_non_null(memchr(hash, '\0', sizeof hash));
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_null(strstr(hash, "correct horse"));
	assert_true(auth_password_verify(hash, pw, strlen(pw)));
	assert_false(auth_password_verify(hash, "correct horse battery e", 23));
	assert_false(auth_password_verify(hash, pw, strlen(pw) - 1));
	assert_false(auth_password_verify(hash, "", 0));
	assert_false(auth_password_verify("not a hash", pw, strlen(pw)));
	assert_false(auth_password_verify("", pw, strlen(pw)));
}

/* --- tokens --- */

static bool is_base64url(const char *s)
{
	for (; *s; s++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *s))
			return false;
	return true;
}

static bool is_lower_hex(const char *s)
{
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return false;
	return true;
}

static void tokens_are_random_base64url(void **state)
{
	(void)state;
	char a[TOKEN_TEXT_LEN + 1], b[TOKEN_TEXT_LEN + 1];
	auth_token_new(a);
	auth_token_new(b);
	assert_int_equal(strlen(a), TOKEN_TEXT_LEN);
	assert_int_equal(strlen(b), 43);
	assert_true(is_base64url(a));
	assert_true(is_base64url(b));
	assert_string_not_equal(a, b);
}

static void token_hash_deterministic_hex(void **state)
{
	(void)state;
	char h1[TOKEN_HASH_LEN + 1], h2[TOKEN_HASH_LEN + 1], h3[TOKEN_HASH_LEN + 1];
	auth_token_hash("token-one", 9, h1);
	auth_token_hash("token-one", 9, h2);
	auth_token_hash("token-two", 9, h3);
	assert_int_equal(strlen(h1), 64);
	assert_true(is_lower_hex(h1));
	assert_string_equal(h1, h2);
	assert_string_not_equal(h1, h3);
	/* only n bytes are hashed */
	auth_token_hash("token-one-and-more", 9, h3);
	assert_string_equal(h1, h3);
	/* unkeyed BLAKE2b-256 of the empty string */
	auth_token_hash("", 0, h3);
	assert_string_equal(h3, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

static void csrf_per_session(void **state)
{
	(void)state;
	char t1[TOKEN_TEXT_LEN + 1], t2[TOKEN_TEXT_LEN + 1];
	auth_token_new(t1);
	auth_token_new(t2);
	char c1[TOKEN_HASH_LEN + 1], c1b[TOKEN_HASH_LEN + 1], c2[TOKEN_HASH_LEN + 1], h1[TOKEN_HASH_LEN + 1];
	auth_csrf_for(t1, c1);
	auth_csrf_for(t1, c1b);
	auth_csrf_for(t2, c2);
	assert_int_equal(strlen(c1), 64);
	assert_true(is_lower_hex(c1));
	assert_string_equal(c1, c1b);
	assert_string_not_equal(c1, c2);
	/* the CSRF token is not the stored session hash */
	auth_token_hash(t1, strlen(t1), h1);
	assert_string_not_equal(c1, h1);
	assert_null(strstr(c1, t1));
}

static void equal_compares_whole_strings(void **state)
{
	(void)state;
	assert_true(auth_equal("", ""));
	assert_true(auth_equal("abc", "abc"));
	assert_false(auth_equal("abc", "abd"));
	assert_false(auth_equal("abc", "ab"));
	assert_false(auth_equal("ab", "abc"));
	assert_false(auth_equal("", "a"));
	assert_false(auth_equal("Abc", "abc"));
}

/* --- invite codes --- */

static void invite_code_new_format(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char a[INVITE_CODE_LEN + 1], b[INVITE_CODE_LEN + 1], norm[INVITE_CODE_LEN + 1];
	auth_invite_code_new(a);
	auth_invite_code_new(b);
	assert_int_equal(strlen(a), 14);
	assert_string_not_equal(a, b);
	for (int i = 0; i < 14; i++) {
		if (i == 4 || i == 9)
			assert_int_equal(a[i], '-');
		else
			assert_non_null(memchr(alphabet, a[i], sizeof alphabet - 1));
	}
	/* a new code is already canonical */
	assert_int_equal(auth_invite_code_normalise(a, strlen(a), norm), 0);
	assert_string_equal(norm, a);
}

static void assert_normalises(const char *in, const char *want)
{
	char out[INVITE_CODE_LEN + 1];
	if (auth_invite_code_normalise(in, strlen(in), out) != 0)
		fail_msg("'%s' should normalise to %s", in, want);
	assert_string_equal(out, want);
}

static void assert_not_code(const char *in)
{
	char out[INVITE_CODE_LEN + 1];
	if (auth_invite_code_normalise(in, strlen(in), out) == 0)
		fail_msg("'%s' should not be a code, got %s", in, out);
}

static void invite_code_normalise(void **state)
{
	(void)state;
	assert_normalises("ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN");
	assert_normalises("abcd-efgh-jkmn", "ABCD-EFGH-JKMN");
	assert_normalises("ABCDEFGHJKMN", "ABCD-EFGH-JKMN");
	assert_normalises("  abcd efgh jkmn ", "ABCD-EFGH-JKMN");
	assert_normalises("ab-cd-ef-gh-jk-mn", "ABCD-EFGH-JKMN");
	assert_normalises("\tABCD\t-EFGH-JKMN", "ABCD-EFGH-JKMN");
	/* look-alikes: O reads as 0, I and L as 1 */
	assert_normalises("OOOO-IIII-LLLL", "0000-1111-1111");
	assert_normalises("oooo-iiii-llll", "0000-1111-1111");
	assert_normalises("0123-4567-89XZ", "0123-4567-89XZ");
}

static void invite_code_rejects(void **state)
{
	(void)state;
	assert_not_code("");
	assert_not_code("----");
	assert_not_code("ABCD-EFGH-JKM");        /* 11 */
	assert_not_code("ABCD-EFGH-JKMNP");      /* 13 */
	assert_not_code("ABCDEFGHJKMNPQRSTVWX"); /* far too long */
	assert_not_code("ABCD-EFGH-JKMU");       /* U is not in the alphabet */
	assert_not_code("ABCD-EFGH-JKM!");
	assert_not_code("ABCD_EFGH_JKMN");
	assert_not_code("ABCD.EFGH.JKMN");
	assert_not_code("ABCD-EFGH-JKM\xc3\xa9");
	char out[INVITE_CODE_LEN + 1];
	assert_int_equal(auth_invite_code_normalise("ABCD-EFGH-JK\0N", 14, out), -1);
	/* only n bytes are read */
	assert_int_equal(auth_invite_code_normalise("ABCD-EFGH-JKMNZZZ", 14, out), 0);
	assert_string_equal(out, "ABCD-EFGH-JKMN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(username_rules),
	    cmocka_unit_test(password_length_in_code_points),
	    cmocka_unit_test(password_upper_bound),
	    cmocka_unit_test(password_must_be_text),
	    cmocka_unit_test(display_name_rules),
	    cmocka_unit_test(display_name_length),
	    cmocka_unit_test(display_name_control_chars),
	    cmocka_unit_test(display_name_control_chars_del_and_c1),
	    cmocka_unit_test(role_names),
	    cmocka_unit_test(password_hash_and_verify),
	    cmocka_unit_test(tokens_are_random_base64url),
	    cmocka_unit_test(token_hash_deterministic_hex),
	    cmocka_unit_test(csrf_per_session),
	    cmocka_unit_test(equal_compares_whole_strings),
	    cmocka_unit_test(invite_code_new_format),
	    cmocka_unit_test(invite_code_normalise),
	    cmocka_unit_test(invite_code_rejects),
	};
	return cmocka_run_group_tests(tests, setup_sodium, NULL);
}
