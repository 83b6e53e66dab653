/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_web.c - unit tests for src/web/web.c: web_status, the one map of a
 * domain outcome to the status a page answers with (the API's, except that
 * a refusal on an ACCESS_AUTHOR route is 404), and the field errors a form
 * shows for a problem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "api/api.h"
#include "app.h"
#include "web/web.h"

static void outcome_statuses(void **state)
{
	(void)state;
	static const struct route member = {HTTP_GET, "/articles/{}/edit", ACCESS_MEMBER, NULL};
	static const struct route author = {HTTP_GET, "/checkins/{}/edit", ACCESS_AUTHOR, NULL};
	static const struct route public = {HTTP_GET, "/articles/{}", ACCESS_PUBLIC, NULL};
	static const struct {
		enum outcome o;
		int status;
	} want[] = {
	    {OUTCOME_OK, 200},       {OUTCOME_INVALID, 400},  {OUTCOME_UNAUTHORIZED, 401}, {OUTCOME_FORBIDDEN, 403},
	    {OUTCOME_NOT_FOUND, 404}, {OUTCOME_CONFLICT, 409}, {OUTCOME_THROTTLED, 429},    {OUTCOME_BUSY, 503},
	    {OUTCOME_ERROR, 500},
	};
	struct request r;
	memset(&r, 0, sizeof r);
	const struct route *kinds[] = {NULL, &member, &public};
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		r.route = kinds[k];
		for (size_t i = 0; i < ARRAY_LEN(want); i++) {
			assert_int_equal(web_status(&r, want[i].o), want[i].status);
			/* pages and the API agree everywhere but on ACCESS_AUTHOR routes */
			assert_int_equal(web_status(&r, want[i].o), api_status(want[i].o));
		}
	}
	/* a page about someone else's item says no more than "not found" */
	r.route = &author;
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		assert_int_equal(web_status(&r, want[i].o), want[i].o == OUTCOME_FORBIDDEN ? 404 : want[i].status);
	assert_int_equal(web_status(&r, (enum outcome)99), 500);
}

static void problem_fields(void **state)
{
	(void)state;
	struct problem p;
	json_t *ctx = json_object();
	problem_invalid(&p, "mood", "Mood is a whole number from 1 to 5.");
	web_add_problem(ctx, &p);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ctx, "errors"), "mood")),
	                    "Mood is a whole number from 1 to 5.");
	json_t *first = json_array_get(json_object_get(ctx, "error_summary"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "field")), "mood");
	assert_true(json_is_true(json_object_get(first, "linked")));
	/* a problem without a field belongs to the whole form, and links nowhere */
	problem_set(&p, OUTCOME_CONFLICT, "conflict", NULL, "Today's prompt cannot be changed any more.");
	web_add_problem(ctx, &p);
	assert_non_null(json_object_get(json_object_get(ctx, "errors"), "form"));
	first = json_array_get(json_object_get(ctx, "error_summary"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "field")), "form");
	assert_true(json_is_false(json_object_get(first, "linked")));
	json_decref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(outcome_statuses),
	    cmocka_unit_test(problem_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
