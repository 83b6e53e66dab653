/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_page.c - unit tests for domain/page.c: the list cursor written and
 * read back, and every malformed cursor refused with the one problem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/page.h"

#define ID "0123456789abcdef0123456789abcdef"

static void round_trip(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *cursor = page_cursor(a, 1795716000123, ID);
	assert_string_equal(cursor, "1795716000123." ID);
	int64_t t = 0;
	char id[ID_LEN + 1];
	struct problem p = {0};
	assert_true(page_after(cursor, &t, id, &p));
	assert_int_equal(t, 1795716000123);
	assert_string_equal(id, ID);
	t = 0;
	assert_true(page_after_or_time(cursor, &t, id, &p));
	assert_int_equal(t, 1795716000123);
	assert_string_equal(id, ID);
	/* no cursor: from the newest */
	t = 7;
	strcpy(id, "x");
	assert_true(page_after(NULL, &t, id, &p));
	assert_int_equal(t, 0);
	assert_string_equal(id, "");
	arena_free(a);
}

static void refusals(void **state)
{
	(void)state;
	const char *bad[] = {"",
	                     "1795716000123",
	                     "1795716000123.",
	                     "." ID,
	                     "0." ID,
	                     "-5." ID,
	                     "12a." ID,
	                     "1795716000123." ID "0",
	                     "1795716000123.0123456789ABCDEF0123456789abcdef",
	                     "1795716000123.0123456789abcdef0123456789abcde",
	                     "1795716000123 " ID,
	                     "2026-11-26"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int64_t t = 1;
		char id[ID_LEN + 1] = "x";
		struct problem p = {0};
		if (page_after(bad[i], &t, id, &p))
			fail_msg("page_after(\"%s\") accepted", bad[i]);
		assert_int_equal(p.outcome, OUTCOME_INVALID);
		assert_string_equal(p.code, "invalid_input");
		assert_string_equal(p.field, "before");
		assert_string_equal(p.message, "This page cursor is not valid.");
		assert_int_equal(t, 0); /* nothing half-read is left behind */
	}
	/* page_after_or_time refuses them all too, and takes a bare time besides */
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int64_t t = 1;
		char id[ID_LEN + 1] = "x";
		struct problem p = {0};
		bool bare = strcmp(bad[i], "1795716000123") == 0;
		if (page_after_or_time(bad[i], &t, id, &p) != bare)
			fail_msg("page_after_or_time(\"%s\") %s", bad[i], bare ? "refused" : "accepted");
		assert_int_equal(t, bare ? 1795716000123 : 0);
		assert_string_equal(id, "");
		if (!bare)
			assert_string_equal(p.field, "before");
	}
	struct problem p = {0};
	assert_false(page_cursor_invalid(&p));
	assert_string_equal(p.field, "before");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
