/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_web.c - unit tests for src/web/web.c: web_status, the one map of a
 * domain outcome to the status a page answers with (the API's, except that
 * a refusal on an ACCESS_AUTHOR route is 404), the field errors a form
 * shows for one problem or several, and the paths a page may send back to.
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
	    {OUTCOME_OK, 200},        {OUTCOME_INVALID, 400},   {OUTCOME_UNAUTHORIZED, 401},
	    {OUTCOME_FORBIDDEN, 403}, {OUTCOME_NOT_FOUND, 404}, {OUTCOME_CONFLICT, 409},
	    {OUTCOME_THROTTLED, 429}, {OUTCOME_BUSY, 503},      {OUTCOME_ERROR, 500},
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
	struct request r = {.lang = LANG_EN};
	json_t *ctx = json_object();
	problem_invalid(&p, "mood", "Mood is a whole number from 1 to 5.");
	web_add_problem(&r, ctx, &p);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ctx, "errors"), "mood")),
	                    "Mood is a whole number from 1 to 5.");
	json_t *first = json_array_get(json_object_get(ctx, "error_summary"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "field")), "mood");
	assert_true(json_is_true(json_object_get(first, "linked")));
	/* a problem without a field belongs to the whole form, and links nowhere */
	problem_set(&p, OUTCOME_CONFLICT, "conflict", NULL, "Today's prompt cannot be changed any more.");
	web_add_problem(&r, ctx, &p);
	assert_non_null(json_object_get(json_object_get(ctx, "errors"), "form"));
	first = json_array_get(json_object_get(ctx, "error_summary"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "field")), "form");
	assert_true(json_is_false(json_object_get(first, "linked")));
	json_decref(ctx);
}

/* Several problems at once: each on its field, in the order given, all in the summary. */
static void problems_together(void **state)
{
	(void)state;
	struct problem ps[2];
	problem_invalid(&ps[0], "current", "Type your current password.");
	problem_set(&ps[1], OUTCOME_INVALID, "weak_password", "new", "This password is too easy to guess.");
	struct request r = {.lang = LANG_EN};
	json_t *ctx = json_object();
	web_add_problems(&r, ctx, ps, 2);
	json_t *errors = json_object_get(ctx, "errors");
	assert_string_equal(json_string_value(json_object_get(errors, "current")), "Type your current password.");
	assert_string_equal(json_string_value(json_object_get(errors, "new")), "This password is too easy to guess.");
	json_t *summary = json_object_get(ctx, "error_summary");
	assert_int_equal(json_array_size(summary), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(summary, 1), "field")), "new");
	json_decref(ctx);
}

/* Where a page may send the person back to: a path on this server, never another site. */
static void local_paths(void **state)
{
	(void)state;
	static const char *const kept[] = {"/account/export", "/api/v1/me/export", "/account?x=1&y=%2F", "/"};
	for (size_t i = 0; i < ARRAY_LEN(kept); i++)
		assert_string_equal(web_local_path(kept[i], "/account"), kept[i]);
	static const char *const refused[] = {
	    "//evil.example/", "/\\evil.example", "https://evil.example/", "evil", "", "/a b", "/a\tb", "/a\nb",
	    "/caf\xc3\xa9",    "/x\\y",           "javascript:alert(1)",
	};
	for (size_t i = 0; i < ARRAY_LEN(refused); i++)
		assert_string_equal(web_local_path(refused[i], "/account"), "/account");
	assert_string_equal(web_local_path(NULL, "/account"), "/account");
	char longer[600];
	memset(longer, 'a', sizeof longer - 1);
	longer[0] = '/';
	longer[sizeof longer - 1] = '\0';
	assert_string_equal(web_local_path(longer, "/account"), "/account");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(outcome_statuses),
	    cmocka_unit_test(problem_fields),
	    cmocka_unit_test(problems_together),
	    cmocka_unit_test(local_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
