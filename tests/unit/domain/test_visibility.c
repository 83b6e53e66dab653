/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_visibility.c - unit tests for domain/visibility.c: the visibility
 * words and back, an item's scope, and the viewer sanity check the domain
 * asserts at entry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/visibility.h"
#include "store/store.h"
#include "../unit.h"

#define ALICE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BOB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SPACE1 "11111111111111111111111111111111"

static void words(void **state)
{
	(void)state;
	static const char *const good[] = {"private", "partner", "therapist"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		enum visibility v = (enum visibility) - 1;
		assert_true(visibility_parse(good[i], &v));
		assert_int_equal(v, (enum visibility)i);
		assert_string_equal(visibility_name(v), good[i]);
	}
	const char *bad[] = {NULL, "", "public", "Partner", "private ", "therapists"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		enum visibility v = VISIBILITY_THERAPIST;
		assert_false(visibility_parse(bad[i], &v));
		assert_int_equal(v, VISIBILITY_THERAPIST); /* untouched */
	}
	struct problem p = {0};
	assert_false(visibility_invalid(&p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.field, "visibility");
}

static void scope(void **state)
{
	(void)state;
	struct viewer in_space = make_viewer(ALICE, SPACE1, BOB);
	struct viewer alone = make_viewer(ALICE, "", "");
	assert_string_equal(viewer_scope(&in_space), SPACE1);
	assert_string_equal(viewer_scope(&alone), ALICE);
}

static void sanity(void **state)
{
	(void)state;
	struct viewer v = make_viewer(ALICE, SPACE1, BOB);
	assert_true(viewer_sane(&v));
	v = make_viewer(ALICE, "", "");
	assert_true(viewer_sane(&v));
	assert_false(viewer_sane(NULL));
	v = make_viewer("", "", "");
	assert_false(viewer_sane(&v));
	v = make_viewer("alice", "", "");
	assert_false(viewer_sane(&v));
	v = make_viewer(ALICE, "space-1", "");
	assert_false(viewer_sane(&v));
	v = make_viewer(ALICE, SPACE1, ALICE); /* one's own partner */
	assert_false(viewer_sane(&v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(words),
	    cmocka_unit_test(scope),
	    cmocka_unit_test(sanity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
