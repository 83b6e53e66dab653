/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_jsonw.c - unit tests for src/util/jsonw.h: the JSON writer writes what
 * jansson writes (compact, ASCII only) for chosen and for random strings,
 * refuses what jansson refuses, and stops at its buffer's cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonw.h"

static int setup_sodium(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* jsonw_strn and jansson agree on bytes s[0..n): both refuse, or both write the same. */
static void agree(const char *s, size_t n)
{
	struct buf b;
	buf_init(&b, 0);
	int rc = jsonw_strn(&b, s, n);
	json_t *j = json_stringn(s, n);
	assert_int_equal(rc == 0, j != NULL);
	if (j) {
		char *want = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
		assert_non_null(want);
		assert_int_equal(strlen(want), b.len);
		assert_memory_equal(want, b.data, b.len);
		free(want);
		json_decref(j);
	}
	buf_cleanup(&b);
}

static void jsonw_matches_jansson_on_chosen_strings(void **state)
{
	(void)state;
	static const char *const cases[] = {
	    "",
	    "plain words",
	    "quote \" backslash \\ slash /",
	    "\b\f\n\r\t\x01\x1f\x7f",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\x9b", /* 2, 3 and 4 bytes: \u and a surrogate pair */
	    "\xef\xbf\xbf \xf4\x8f\xbf\xbf",             /* U+FFFF, U+10FFFF */
	    "bad \xc3",                                  /* cut short */
	    "\xc0\xaf",                                  /* overlong */
	    "\xed\xa0\x80",                              /* a surrogate */
	    "\xf4\x90\x80\x80",                          /* past U+10FFFF */
	    "\x80",                                      /* a lone continuation byte */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		agree(cases[i], strlen(cases[i]));
	agree("nul\0inside", 10);
}

static void jsonw_matches_jansson_on_random_bytes(void **state)
{
	(void)state;
	unsigned char s[64];
	for (int i = 0; i < 20000; i++) {
		size_t n = randombytes_uniform(sizeof s + 1);
		randombytes_buf(s, n);
		/* Mostly ASCII with some high bytes, so valid UTF-8 comes up too. */
		for (size_t k = 0; k < n; k++)
			if (randombytes_uniform(4) != 0)
				s[k] &= 0x7f;
		agree((const char *)s, n);
	}
}

static void jsonw_stops_at_the_cap(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(jsonw_str(&b, "12345678"), -1);
	assert_true(b.len <= 8);
	buf_cleanup(&b);
	buf_init(&b, 10);
	assert_int_equal(jsonw_str(&b, "12345678"), 0);
	assert_string_equal(b.data, "\"12345678\"");
	assert_int_equal(jsonw_str(&b, NULL), -1);
	buf_cleanup(&b);
	buf_init(&b, 0);
	assert_int_equal(jsonw_str(&b, NULL), 0);
	assert_int_equal(jsonw_int(&b, -42), 0);
	assert_int_equal(jsonw_raw(&b, "}"), 0);
	assert_string_equal(b.data, "null-42}");
	buf_cleanup(&b);
}

/* Integers as printf writes them, at the edges too. */
static void jsonw_int_matches_printf(void **state)
{
	(void)state;
	const long long values[] = {
	    0, 1, -1, 9, 10, -10, 99, 100, 1795716000123LL, -1795716000123LL, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		struct buf b;
		buf_init(&b, 0);
		char want[32];
		snprintf(want, sizeof want, "%lld", values[i]);
		assert_int_equal(jsonw_int(&b, values[i]), 0);
		assert_string_equal(b.data, want);
		buf_cleanup(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(jsonw_matches_jansson_on_chosen_strings),
	    cmocka_unit_test(jsonw_matches_jansson_on_random_bytes),
	    cmocka_unit_test(jsonw_stops_at_the_cap),
	    cmocka_unit_test(jsonw_int_matches_printf),
	};
	return cmocka_run_group_tests(tests, setup_sodium, NULL);
}
