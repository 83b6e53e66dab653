/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_text.c - unit tests for domain/text.c: a text fits when it is UTF-8
 * of at most so many characters (code points, not bytes), and the two
 * problems text_ok gives a person.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/text.h"
#include "../unit.h"

static void fits(void **state)
{
	(void)state;
	assert_true(text_fits(NULL, 0));
	assert_true(text_fits("", 0));
	assert_true(text_fits("abc", 3));
	assert_false(text_fits("abcd", 3));
	/* characters, not bytes: three 4-byte characters fit in 3 */
	assert_true(text_fits("\xf0\x9f\x92\x9b\xf0\x9f\x92\x9b\xf0\x9f\x92\x9b", 3));
	assert_false(text_fits("\xf0\x9f\x92\x9b\xf0\x9f\x92\x9b\xf0\x9f\x92\x9b", 2));
	/* not UTF-8: never fits, whatever the room */
	assert_false(text_fits("bad \xff", 100));
	assert_false(text_fits("\xc0\xaf", 100));
	assert_false(text_fits("\xed\xa0\x80", 100)); /* a surrogate */
}

static void ok_and_its_problems(void **state)
{
	(void)state;
	struct problem p = {0};
	assert_true(text_ok(NULL, "need", &p));
	char *longest = repeat("\xc3\xa9", TEXT_MAX_CHARS);
	assert_true(text_ok(longest, "need", &p));
	free(longest);
	char *too_long = repeat("a", TEXT_MAX_CHARS + 1);
	assert_false(text_ok(too_long, "need", &p));
	free(too_long);
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.field, "need");
	assert_string_equal(p.message, "Please keep this to 4000 characters or fewer.");
	assert_false(text_ok("bad \xff", "worry", &p));
	assert_string_equal(p.field, "worry");
	assert_string_equal(p.message, "This text is not valid UTF-8.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fits),
	    cmocka_unit_test(ok_and_its_problems),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
