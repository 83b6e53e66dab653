/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_repair_step.c - the table of the steps of writing one's side
 * (src/domain/repair_step.c): its order matches the guide's steps, finding a
 * step, and saving one step over a draft changes only that step's field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../content_fixture.h"
#include "../../../src/domain/repair_step.h"

static void test_find(void **state)
{
	(void)state;
	assert_int_equal(repair_step_find("feelings"), 0);
	assert_int_equal(repair_step_find("review"), REPAIR_STEP_COUNT - 1);
	assert_int_equal(repair_step_find("check"), -1);
	assert_int_equal(repair_step_find(NULL), -1);
	assert_int_equal(repair_step_of_field("my_part"), 3);
	assert_int_equal(repair_step_of_field("review"), 0);
	assert_int_equal(repair_step_of_field(NULL), 0);
}

/* The writing steps are the guide's steps, in its order (their titles and guidance come from there). */
static void test_matches_guide(void **state)
{
	(void)state;
	json_t *guide = content_repair_guide(LANG_EN);
	json_t *steps = json_object_get(guide, "steps");
	assert_int_equal(json_array_size(steps), REPAIR_STEP_COUNT - 1);
	for (int i = 0; i < REPAIR_STEP_COUNT - 1; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(steps, (size_t)i), "id")),
		                    repair_steps[i].id);
	assert_int_equal(repair_steps[REPAIR_STEP_COUNT - 1].kind, REPAIR_STEP_REVIEW);
	json_decref(guide);
}

static void test_merge_one_field(void **state)
{
	(void)state;
	struct repair_side_input draft = {.feelings = {"hurt"},
	                                  .feelings_count = 1,
	                                  .perspective = "p",
	                                  .touched = "t",
	                                  .my_part = "m",
	                                  .next_time = "n"};
	struct repair_side_input form = {.touched = "new touched"};
	repair_step_merge(repair_step_find("touched"), &form, &draft);
	assert_string_equal(draft.touched, "new touched");
	assert_string_equal(draft.perspective, "p");
	assert_string_equal(draft.my_part, "m");
	assert_int_equal(draft.feelings_count, 1);
	/* The feelings step with nothing ticked empties the feelings, and nothing else. */
	repair_step_merge(0, &form, &draft);
	assert_int_equal(draft.feelings_count, 0);
	assert_string_equal(draft.next_time, "n");
	/* A text step whose field was not sent leaves it empty (the form always sends its one field). */
	repair_step_merge(repair_step_find("next_time"), &form, &draft);
	assert_null(draft.next_time);
	/* The review writes nothing. */
	struct repair_side_input before = draft;
	repair_step_merge(REPAIR_STEP_COUNT - 1, &form, &draft);
	assert_memory_equal(&before, &draft, sizeof draft);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_matches_guide),
	    cmocka_unit_test(test_merge_one_field),
	};
	return cmocka_run_group_tests(tests, content_group_setup, content_group_teardown);
}
