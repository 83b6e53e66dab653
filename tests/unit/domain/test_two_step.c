/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_two_step.c - unit tests for the pure rules of src/domain/two_step.h:
 * TOTP against the test vectors of RFC 6238 (HMAC-SHA1, cut to six digits),
 * the window of one step either side and the step reported, what a person may
 * type as a code, and the otpauth URI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "domain/two_step.h"

/* RFC 6238, appendix B: the SHA-1 key, and the 8-digit codes whose last six digits are the 6-digit code. */
static const unsigned char rfc_key[] = "12345678901234567890";
#define RFC_KEY_LEN 20

static int setup_sodium(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static void rfc_vectors(void **state)
{
	(void)state;
	static const struct {
		int64_t t;
		const char *code;
	} v[] = {
	    {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
	    {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int64_t step = -1;
		if (!totp_check(rfc_key, RFC_KEY_LEN, v[i].t, v[i].code, &step))
			fail_msg("T=%lld: %s should match", (long long)v[i].t, v[i].code);
		assert_true(step == v[i].t / 30);
	}
}

static void window_of_one_step(void **state)
{
	(void)state;
	int64_t step = 0;
	/* "287082" is the code of step 1 (T = 30..59) */
	assert_true(totp_check(rfc_key, RFC_KEY_LEN, 30, "287082", &step) && step == 1);
	assert_true(totp_check(rfc_key, RFC_KEY_LEN, 89, "287082", &step) && step == 1); /* one step late */
	assert_true(totp_check(rfc_key, RFC_KEY_LEN, 0, "287082", &step) && step == 1);  /* one step early */
	assert_false(totp_check(rfc_key, RFC_KEY_LEN, 90, "287082", &step));             /* two steps late */
	assert_false(totp_check(rfc_key, RFC_KEY_LEN, 59, "287083", &step));             /* one digit off */
	assert_false(totp_check(rfc_key, RFC_KEY_LEN, 59, "28708", &step));              /* too short */
	unsigned char other[RFC_KEY_LEN];
	memcpy(other, rfc_key, RFC_KEY_LEN);
	other[0] ^= 1;
	assert_false(totp_check(other, RFC_KEY_LEN, 59, "287082", &step)); /* another secret */
}

static void codes_as_typed(void **state)
{
	(void)state;
	char out[TOTP_DIGITS + 1];
	assert_true(totp_code_normalise("123456", out));
	assert_string_equal(out, "123456");
	assert_true(totp_code_normalise(" 123 456 ", out));
	assert_string_equal(out, "123456");
	assert_true(totp_code_normalise("123-456", out));
	assert_string_equal(out, "123456");
	assert_false(totp_code_normalise("12345", out));
	assert_false(totp_code_normalise("1234567", out));
	assert_false(totp_code_normalise("12345a", out));
	assert_false(totp_code_normalise("", out));
	assert_false(totp_code_normalise("１２３４５６", out)); /* full-width digits are not digits here */
}

static void otpauth_uri(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *uri = two_step_otpauth_uri(a, "ann.example", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_string_equal(uri, "otpauth://totp/hearth:ann.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	                         "&issuer=hearth&algorithm=SHA1&digits=6&period=30");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc_vectors),
	    cmocka_unit_test(window_of_one_step),
	    cmocka_unit_test(codes_as_typed),
	    cmocka_unit_test(otpauth_uri),
	};
	return cmocka_run_group_tests(tests, setup_sodium, NULL);
}
