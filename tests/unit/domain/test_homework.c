/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_homework.c - unit tests for domain/homework.c: the status rule (done
 * by the linked action or by the partner wins; "not this week" stands until
 * then; else todo), the contract's words for kinds and statuses, the words a
 * path or a form names a status by, and which kinds need a ref or a text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/homework.h"

static void test_status_rule(void **state)
{
	(void)state;
	/* Nothing yet: it waits. */
	assert_int_equal(homework_status_of("", false), HOMEWORK_TODO);
	assert_int_equal(homework_status_of(NULL, false), HOMEWORK_TODO);
	/* The partner's own answer. */
	assert_int_equal(homework_status_of("done", false), HOMEWORK_DONE);
	assert_int_equal(homework_status_of("not_this_week", false), HOMEWORK_NOT_THIS_WEEK);
	/* The linked action after the assignment: done, whatever was said before ("done after all"). */
	assert_int_equal(homework_status_of("", true), HOMEWORK_DONE);
	assert_int_equal(homework_status_of("not_this_week", true), HOMEWORK_DONE);
	assert_int_equal(homework_status_of("done", true), HOMEWORK_DONE);
	/* An unknown mark is no answer. */
	assert_int_equal(homework_status_of("Done", false), HOMEWORK_TODO);
}

static void test_words(void **state)
{
	(void)state;
	static const char *const contract[] = {"prompt_category", "repair",  "questionnaire",
	                                       "agreement",       "article", "task"};
	assert_int_equal(sizeof contract / sizeof *contract, HOMEWORK_KIND_COUNT);
	for (int k = 0; k < HOMEWORK_KIND_COUNT; k++) {
		enum homework_kind parsed = HOMEWORK_KIND_COUNT;
		assert_true(homework_kind_parse(contract[k], &parsed));
		assert_int_equal(parsed, k);
		assert_string_equal(homework_kind_name(parsed), contract[k]);
	}
	enum homework_kind untouched = HOMEWORK_TASK;
	assert_false(homework_kind_parse("Task", &untouched));
	assert_false(homework_kind_parse(NULL, &untouched));
	assert_int_equal(untouched, HOMEWORK_TASK);

	assert_string_equal(homework_status_name(HOMEWORK_TODO), "todo");
	assert_string_equal(homework_status_name(HOMEWORK_DONE), "done");
	assert_string_equal(homework_status_name(HOMEWORK_NOT_THIS_WEEK), "not_this_week");
	enum homework_status st = HOMEWORK_TODO;
	assert_true(homework_status_parse("done", &st));
	assert_int_equal(st, HOMEWORK_DONE);
	assert_true(homework_status_parse("not-this-week", &st));
	assert_int_equal(st, HOMEWORK_NOT_THIS_WEEK);
	st = HOMEWORK_TODO;
	assert_false(homework_status_parse("todo", &st)); /* nobody sets "todo": it is the absence of an answer */
	assert_false(homework_status_parse(NULL, &st));
	assert_int_equal(st, HOMEWORK_TODO);
}

static void test_what_each_kind_needs(void **state)
{
	(void)state;
	assert_true(homework_kind_needs_ref(HOMEWORK_PROMPT_CATEGORY));
	assert_true(homework_kind_needs_ref(HOMEWORK_QUESTIONNAIRE));
	assert_true(homework_kind_needs_ref(HOMEWORK_ARTICLE));
	assert_false(homework_kind_needs_ref(HOMEWORK_REPAIR));
	assert_false(homework_kind_needs_ref(HOMEWORK_AGREEMENT));
	assert_false(homework_kind_needs_ref(HOMEWORK_TASK));
	assert_true(homework_kind_needs_text(HOMEWORK_AGREEMENT));
	assert_true(homework_kind_needs_text(HOMEWORK_TASK));
	assert_false(homework_kind_needs_text(HOMEWORK_REPAIR));
	assert_false(homework_kind_needs_text(HOMEWORK_QUESTIONNAIRE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status_rule),
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_what_each_kind_needs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
