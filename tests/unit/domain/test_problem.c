/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_problem.c - unit tests for domain/problem.c: a problem collects every
 * invalid field after problem_begin (the first also in field and message,
 * a field named once, at most PROBLEM_ITEMS_MAX), problem_add without a
 * collection is a single fault in place of the old one, and a store failure
 * becomes busy, not found or an error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/problem.h"
#include "../unit.h"

static void collects_every_field(void **state)
{
	(void)state;
	struct problem p = {0};
	problem_begin(&p);
	assert_true(problem_none(&p));
	problem_add(&p, "mood", "Choose a mood.");
	problem_add(&p, "connection", "Choose a connection.");
	problem_add(&p, "mood", "A second fault of the mood.");
	problem_add(&p, NULL, "A fault of the whole form.");
	assert_false(problem_none(&p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.code, "invalid_input");
	assert_string_equal(p.field, "mood");
	assert_string_equal(p.message, "Choose a mood.");
	assert_int_equal(p.count, 3);
	assert_string_equal(p.items[0].field, "mood");
	assert_string_equal(p.items[0].message, "Choose a mood.");
	assert_string_equal(p.items[1].field, "connection");
	assert_null(p.items[2].field);
}

static void caps_the_list(void **state)
{
	(void)state;
	static char names[PROBLEM_ITEMS_MAX + 5][8];
	struct problem p = {0};
	problem_begin(&p);
	for (int i = 0; i < PROBLEM_ITEMS_MAX + 5; i++) {
		snprintf(names[i], sizeof names[i], "f%d", i);
		problem_add(&p, names[i], "wrong");
	}
	assert_int_equal(p.count, PROBLEM_ITEMS_MAX);
	assert_string_equal(p.field, "f0");
}

static void single_faults_replace(void **state)
{
	(void)state;
	struct problem p = {0};
	/* Without problem_begin, each add is a single fault in place of the last. */
	problem_add(&p, "a", "first");
	problem_add(&p, "b", "second");
	assert_int_equal(p.count, 1);
	assert_string_equal(p.field, "b");
	/* problem_invalid and problem_set end a collection. */
	problem_begin(&p);
	problem_add(&p, "x", "one");
	problem_invalid(&p, "y", "two");
	assert_int_equal(p.count, 1);
	assert_string_equal(p.field, "y");
	problem_add(&p, "z", "three");
	assert_int_equal(p.count, 1);
	assert_string_equal(p.field, "z");
	problem_set(&p, OUTCOME_CONFLICT, "conflict", NULL, "not now");
	assert_int_equal(p.count, 0);
	assert_int_equal(p.outcome, OUTCOME_CONFLICT);
}

static void store_failures(void **state)
{
	(void)state;
	struct problem p = {0};
	assert_false(problem_from_store(&p, STORE_BUSY));
	assert_int_equal(p.outcome, OUTCOME_BUSY);
	assert_int_equal(p.retry_after, 2);
	assert_false(problem_from_store(&p, STORE_NOT_FOUND));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	assert_false(problem_from_store(&p, STORE_ERROR));
	assert_int_equal(p.outcome, OUTCOME_ERROR);
	assert_int_equal(p.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(collects_every_field),
	    cmocka_unit_test(caps_the_list),
	    cmocka_unit_test(single_faults_replace),
	    cmocka_unit_test(store_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
