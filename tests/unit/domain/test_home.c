/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_home.c - unit tests for domain/home.c: the kinds of the home's cards
 * (the contract's names, and back), whose home is a practice, and the checks
 * of a dismissal that come before any read (an unknown kind, an id of the
 * wrong shape: 400 naming the field).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/home.h"

static void test_kinds_round_trip(void **state)
{
	(void)state;
	static const char *const contract[] = {
	    "repair_opened",     "repair_your_turn",   "repair_revealed",      "prompt_partner_answered",
	    "prompt_unanswered", "agreement_proposed", "agreement_review_due", "acknowledged",
	    "partner_joined",    "partner_left",       "consent_requested",    "homework",
	    "session_upcoming",  "partner_break",      "break_over",           "repair_step", /* issue 14 */
	    "cycle_your_turn",   "cycle_revealed",     "cycle_renamed",                       /* issue 14, our cycle */
	};
	assert_int_equal(sizeof contract / sizeof *contract, HOME_KIND_COUNT);
	for (int k = 0; k < HOME_KIND_COUNT; k++) {
		enum home_kind parsed = HOME_KIND_COUNT;
		assert_true(home_kind_parse(contract[k], &parsed));
		assert_int_equal(parsed, k);
		assert_string_equal(home_kind_name(parsed), contract[k]);
	}
	enum home_kind untouched = HOME_PARTNER_LEFT;
	assert_false(home_kind_parse("Repair_opened", &untouched));
	assert_false(home_kind_parse("", &untouched));
	assert_false(home_kind_parse(NULL, &untouched));
	assert_int_equal(untouched, HOME_PARTNER_LEFT);
}

static void test_practice_is_the_therapists(void **state)
{
	(void)state;
	struct viewer v = {0};
	snprintf(v.role, sizeof v.role, "therapist");
	assert_true(home_is_practice(&v));
	snprintf(v.role, sizeof v.role, "member");
	assert_false(home_is_practice(&v));
	snprintf(v.role, sizeof v.role, "admin");
	assert_false(home_is_practice(&v));
}

static void test_dismiss_checks_before_reading(void **state)
{
	(void)state;
	struct viewer v = {0};
	snprintf(v.user_id, sizeof v.user_id, "%s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	snprintf(v.role, sizeof v.role, "member");
	struct arena *a = arena_new();
	struct problem p;
	/* No store is needed (NULL): both refusals come before any read. */
	assert_false(home_dismiss(NULL, &v, "no_such_kind", "0123456789abcdef0123456789abcdef", a, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.field, "kind");
	assert_false(home_dismiss(NULL, &v, NULL, "0123456789abcdef0123456789abcdef", a, &p));
	assert_string_equal(p.field, "kind");
	assert_false(home_dismiss(NULL, &v, "partner_left", "0123456789ABCDEF0123456789abcdef", a, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.field, "id");
	assert_false(home_dismiss(NULL, &v, "partner_left", "../x", a, &p));
	assert_string_equal(p.field, "id");
	assert_false(home_dismiss(NULL, &v, "partner_left", NULL, a, &p));
	assert_string_equal(p.field, "id");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds_round_trip),
	    cmocka_unit_test(test_practice_is_the_therapists),
	    cmocka_unit_test(test_dismiss_checks_before_reading),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
