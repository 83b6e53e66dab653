/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_cycle.c - unit tests for src/domain/cycle.h (issue 14): the reveal
 * state machine (every combination, and what each state allows), the rules
 * of a side and of the shared text (every invalid field at once), and the
 * suggested first wording built from both sides. The actions with a real
 * store are tested end to end on both databases (tests/e2e/cycle.test.mjs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "domain/cycle.h"
#include "util/util.h"
#include "../unit.h"

/* --- the state machine --- */

static void state_every_combination(void **state)
{
	(void)state;
	for (int bits = 0; bits < 16; bits++) {
		bool with_partner = bits & 1, has_mine = bits & 2, mine_sub = bits & 4, partner_sub = bits & 8;
		if (mine_sub && !has_mine)
			continue; /* nothing written cannot be submitted */
		enum cycle_state want;
		if (!has_mine)
			want = CYCLE_EMPTY;
		else if (!mine_sub)
			want = CYCLE_DRAFT;
		else if (!with_partner)
			want = CYCLE_KEPT; /* alone: kept, never shared, whatever a stray side says */
		else
			want = partner_sub ? CYCLE_SHARED : CYCLE_WAITING;
		enum cycle_state got = cycle_state_of(with_partner, has_mine, mine_sub, partner_sub);
		if (got != want)
			fail_msg("with_partner=%d has_mine=%d mine_sub=%d partner_sub=%d: got %d, want %d",
			         with_partner, has_mine, mine_sub, partner_sub, got, want);
		/* The partner's side opens only when both are submitted, with a partner. */
		assert_int_equal(cycle_shared_open(got), with_partner && mine_sub && partner_sub);
		/* My side changes only until I submit it. */
		assert_int_equal(cycle_mine_editable(got), !mine_sub);
	}
	/* a partner's submitted side alone opens nothing, before mine is written or while it is a draft */
	assert_int_equal(cycle_state_of(true, false, false, true), CYCLE_EMPTY);
	assert_int_equal(cycle_state_of(true, true, false, true), CYCLE_DRAFT);
	assert_false(cycle_shared_open(CYCLE_DRAFT));
	assert_false(cycle_shared_open(CYCLE_WAITING));
	assert_false(cycle_shared_open(CYCLE_KEPT));
	assert_true(cycle_shared_open(CYCLE_SHARED));
}

static void state_names(void **state)
{
	(void)state;
	assert_string_equal(cycle_state_name(CYCLE_EMPTY), "empty");
	assert_string_equal(cycle_state_name(CYCLE_DRAFT), "draft");
	assert_string_equal(cycle_state_name(CYCLE_WAITING), "waiting");
	assert_string_equal(cycle_state_name(CYCLE_KEPT), "kept");
	assert_string_equal(cycle_state_name(CYCLE_SHARED), "shared");
}

/* --- validation --- */

static void side_valid(void **state)
{
	(void)state;
	struct problem p = {0};
	struct cycle_side_input in = {"worried", "push for an answer", "to know we are all right"};
	assert_true(cycle_side_validate(&in, &p));
	char *longest = repeat("é", CYCLE_FIELD_MAX); /* characters, not bytes */
	in.i_long_for = longest;
	assert_true(cycle_side_validate(&in, &p));
	free(longest);
}

static void side_every_invalid_field_at_once(void **state)
{
	(void)state;
	struct problem p = {0};
	char *too_long = repeat("a", CYCLE_FIELD_MAX + 1);
	struct cycle_side_input in = {NULL, "   ", too_long};
	assert_false(cycle_side_validate(&in, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_int_equal(p.count, 3);
	assert_string_equal(p.items[0].field, "when_i_feel");
	assert_string_equal(p.items[1].field, "i_tend_to");
	assert_string_equal(p.items[2].field, "i_long_for");
	free(too_long);
	/* not UTF-8 */
	struct cycle_side_input bad = {"ok", "\xff\xfe", "ok"};
	assert_false(cycle_side_validate(&bad, &p));
	assert_int_equal(p.count, 1);
	assert_string_equal(p.items[0].field, "i_tend_to");
}

/* The check joins a collection the API began with its type checks, and ends only its own. */
static void side_joins_the_callers_collection(void **state)
{
	(void)state;
	struct problem p = {0};
	problem_begin(&p);
	problem_add(&p, "i_tend_to", "i_tend_to is text.");
	struct cycle_side_input in = {"", NULL, "ok"};
	assert_false(cycle_side_validate(&in, &p));
	assert_int_equal(p.count, 2);
	assert_string_equal(p.items[0].field, "i_tend_to");
	assert_string_equal(p.items[0].message, "i_tend_to is text.");
	assert_string_equal(p.items[1].field, "when_i_feel");
	/* A check of its own on a *p whose collection is over starts afresh. */
	struct problem q = {0};
	assert_false(cycle_side_validate(&in, &q));
	struct cycle_side_input good = {"worried", "pursue", "closeness"};
	assert_true(cycle_side_validate(&good, &q));
	assert_true(problem_none(&q));
}

static void shared_text_rules(void **state)
{
	(void)state;
	struct problem p = {0};
	assert_true(cycle_shared_validate("When the worry rises, we both reach for safety in opposite ways.", &p));
	assert_false(cycle_shared_validate("", &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "text");
	assert_false(cycle_shared_validate(NULL, &p));
	char *too_long = repeat("a", CYCLE_SHARED_MAX + 1);
	assert_false(cycle_shared_validate(too_long, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "text");
	too_long[CYCLE_SHARED_MAX] = '\0';
	assert_true(cycle_shared_validate(too_long, &p));
	free(too_long);
}

/* --- the suggestion --- */

static void suggestion_names_both_moves(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct store_cycle_side maya = {.when_i_feel = "worried", .i_tend_to = "pursue", .i_long_for = "closeness"};
	struct store_cycle_side sam = {.when_i_feel = "overwhelmed", .i_tend_to = "withdraw", .i_long_for = "calm"};
	char *s = cycle_suggestion(a, "Maya", &maya, "Sam", &sam);
	assert_non_null(strstr(s, "When Maya feels worried, Maya tends to pursue"));
	assert_non_null(strstr(s, "when Sam feels overwhelmed, Sam tends to withdraw"));
	assert_non_null(strstr(s, "this is our cycle, and we face it together"));
	assert_non_null(strstr(s, "Maya longs for closeness"));
	assert_non_null(strstr(s, "Sam longs for calm"));
	/* it fits the shared text's own rule, even with the longest sides */
	struct problem p = {0};
	assert_true(cycle_shared_validate(s, &p));
	char *longest = repeat("x", CYCLE_FIELD_MAX);
	struct store_cycle_side big = {.when_i_feel = longest, .i_tend_to = longest, .i_long_for = longest};
	assert_true(strlen(cycle_suggestion(a, "Maya", &big, "Sam", &big)) > 3 * CYCLE_FIELD_MAX);
	free(longest);
	/* without names: words, never an empty gap */
	s = cycle_suggestion(a, "", &maya, NULL, &sam);
	assert_non_null(strstr(s, "When one of us feels worried, one of us tends to pursue"));
	assert_non_null(strstr(s, "when the other feels overwhelmed, the other tends to withdraw"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(state_every_combination),
	    cmocka_unit_test(state_names),
	    cmocka_unit_test(side_valid),
	    cmocka_unit_test(side_every_invalid_field_at_once),
	    cmocka_unit_test(side_joins_the_callers_collection),
	    cmocka_unit_test(shared_text_rules),
	    cmocka_unit_test(suggestion_names_both_moves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
