/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_agreement.c - store tests for agreements and their reviews
 * (src/store/agreement.c), run against SQLite and, when HEARTH_TEST_PG_URL
 * is set, PostgreSQL: a round trip of every field, the viewer's own copy
 * first, not-found and conflict statuses, list order and the (time, id)
 * cursor, a status change, and a review that moves the next review date or,
 * refused, moves nothing; the partner's answer (issue 14): a move only from
 * the status expected, a yes with the restarted date, a note that a yes clears.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

/* An agreement in scope with fresh ids; text and times from the arguments. */
static struct store_agreement agreement(const char *scope, const char *author, const char *text, int64_t at)
{
	struct store_agreement g = {.review_every_days = 14, .created_at = at};
	store_test_id(g.id);
	snprintf(g.space_id, sizeof g.space_id, "%s", scope);
	snprintf(g.author_id, sizeof g.author_id, "%s", author);
	g.text = (char *)text;
	snprintf(g.next_review_on, sizeof g.next_review_on, "2026-03-15");
	snprintf(g.status, sizeof g.status, "active");
	return g;
}

static void test_insert_get(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], author[ID_LEN + 1], repair[ID_LEN + 1];
	store_test_id(space);
	store_test_id(author);
	store_test_id(repair);
	struct store_agreement g = agreement(space, author, "sealed:we call before 9", 1767225600123);
	snprintf(g.repair_id, sizeof g.repair_id, "%s", repair);
	assert_int_equal(s->agreement_insert(s, &g), STORE_OK);

	struct store_agreement got;
	assert_int_equal(s->agreement_get(s, a, g.id, space, author, &got), STORE_OK);
	assert_string_equal(got.id, g.id);
	assert_string_equal(got.space_id, space);
	assert_string_equal(got.author_id, author);
	assert_string_equal(got.text, "sealed:we call before 9");
	assert_int_equal(got.review_every_days, 14);
	assert_string_equal(got.next_review_on, "2026-03-15");
	assert_string_equal(got.status, "active");
	assert_string_equal(got.repair_id, repair);
	assert_int_equal(got.created_at, 1767225600123);

	/* No repair: stored as NULL, read back as "". */
	struct store_agreement plain = agreement(space, author, "sealed:plain", 1767225600124);
	assert_int_equal(s->agreement_insert(s, &plain), STORE_OK);
	assert_int_equal(s->agreement_get(s, a, plain.id, space, author, &got), STORE_OK);
	assert_string_equal(got.repair_id, "");

	/* The same id again in the same scope is a conflict. */
	assert_int_equal(s->agreement_insert(s, &g), STORE_CONFLICT);

	char other[ID_LEN + 1];
	store_test_id(other);
	assert_int_equal(s->agreement_get(s, a, other, space, author, &got), STORE_NOT_FOUND);
	/* Another space's agreement is not found from this one. */
	assert_int_equal(s->agreement_get(s, a, g.id, other, author, &got), STORE_NOT_FOUND);
	arena_free(a);
}

static void test_get_prefers_own_copy(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], user[ID_LEN + 1];
	store_test_id(space);
	store_test_id(user);
	struct store_agreement shared = agreement(space, user, "sealed:shared", 1000);
	struct store_agreement own = shared;
	snprintf(own.space_id, sizeof own.space_id, "%s", user);
	own.text = "sealed:own copy";
	assert_int_equal(s->agreement_insert(s, &shared), STORE_OK);
	assert_int_equal(s->agreement_insert(s, &own), STORE_OK);

	struct store_agreement got;
	assert_int_equal(s->agreement_get(s, a, shared.id, space, user, &got), STORE_OK);
	assert_string_equal(got.space_id, user);
	assert_string_equal(got.text, "sealed:own copy");
	/* Without a space the lookup is in the user's own scope. */
	assert_int_equal(s->agreement_get(s, a, shared.id, "", user, &got), STORE_OK);
	assert_string_equal(got.space_id, user);
	arena_free(a);
}

static void test_list_order_and_cursor(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1];
	store_test_id(space);
	/* Two at the same time (ordered by id), one older, one newer. */
	struct store_agreement g[4] = {
	    agreement(space, space, "sealed:a", 2000), agreement(space, space, "sealed:b", 2000),
	    agreement(space, space, "sealed:c", 1000), agreement(space, space, "sealed:d", 3000)};
	for (int k = 0; k < 4; k++)
		assert_int_equal(s->agreement_insert(s, &g[k]), STORE_OK);
	const struct store_agreement *hi = strcmp(g[0].id, g[1].id) > 0 ? &g[0] : &g[1];
	const struct store_agreement *lo = hi == &g[0] ? &g[1] : &g[0];

	struct store_agreement *items;
	int count;
	assert_int_equal(s->agreement_list(s, a, space, 0, "", 3, &items, &count), STORE_OK);
	assert_int_equal(count, 3);
	assert_string_equal(items[0].id, g[3].id);
	assert_string_equal(items[1].id, hi->id);
	assert_string_equal(items[2].id, lo->id);

	/* The cursor (time, id) of the second row: strictly older, ties broken by id. */
	assert_int_equal(s->agreement_list(s, a, space, hi->created_at, hi->id, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(items[0].id, lo->id);
	assert_string_equal(items[1].id, g[2].id);

	assert_int_equal(s->agreement_list(s, a, space, 0, NULL, 0, &items, &count), STORE_OK);
	assert_int_equal(count, 0);
	assert_non_null(items);

	char empty[ID_LEN + 1];
	store_test_id(empty);
	assert_int_equal(s->agreement_list(s, a, empty, 0, "", 10, &items, &count), STORE_OK);
	assert_int_equal(count, 0);
	arena_free(a);
}

static void test_set_status(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], other[ID_LEN + 1];
	store_test_id(space);
	store_test_id(other);
	struct store_agreement g = agreement(space, space, "sealed:x", 5000);
	assert_int_equal(s->agreement_insert(s, &g), STORE_OK);
	assert_int_equal(s->agreement_move(s, space, g.id, "active", "retired", "", "", 0), STORE_OK);
	struct store_agreement got;
	assert_int_equal(s->agreement_get(s, a, g.id, space, other, &got), STORE_OK);
	assert_string_equal(got.status, "retired");
	assert_int_equal(s->agreement_move(s, other, g.id, "retired", "active", "", "", 0), STORE_NOT_FOUND);
	assert_int_equal(s->agreement_move(s, space, other, "retired", "active", "", "", 0), STORE_NOT_FOUND);
	arena_free(a);
}

static struct store_review review(const struct store_agreement *g, const char *outcome, int64_t at)
{
	struct store_review rv = {.created_at = at};
	store_test_id(rv.id);
	snprintf(rv.space_id, sizeof rv.space_id, "%s", g->space_id);
	snprintf(rv.agreement_id, sizeof rv.agreement_id, "%s", g->id);
	snprintf(rv.author_id, sizeof rv.author_id, "%s", g->author_id);
	snprintf(rv.outcome, sizeof rv.outcome, "%s", outcome);
	rv.note = "sealed:note";
	return rv;
}

static void test_reviews(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1];
	store_test_id(space);
	struct store_agreement g = agreement(space, space, "sealed:r", 6000);
	assert_int_equal(s->agreement_insert(s, &g), STORE_OK);

	struct store_review first = review(&g, "kept", 7000), second = review(&g, "partly", 8000);
	assert_int_equal(s->review_insert(s, &first, "2026-03-29"), STORE_OK);
	assert_int_equal(s->review_insert(s, &second, "2026-04-12"), STORE_OK);
	struct store_agreement got;
	assert_int_equal(s->agreement_get(s, a, g.id, space, space, &got), STORE_OK);
	assert_string_equal(got.next_review_on, "2026-04-12");

	/* A refused review (its id again) moves nothing: one transaction. */
	assert_int_equal(s->review_insert(s, &first, "2027-01-01"), STORE_CONFLICT);
	assert_int_equal(s->agreement_get(s, a, g.id, space, space, &got), STORE_OK);
	assert_string_equal(got.next_review_on, "2026-04-12");

	struct store_review *items;
	int count;
	assert_int_equal(s->review_list(s, a, space, g.id, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(items[0].id, second.id);
	assert_string_equal(items[0].outcome, "partly");
	assert_string_equal(items[1].id, first.id);
	assert_string_equal(items[1].note, "sealed:note");
	assert_string_equal(items[1].author_id, space);
	assert_int_equal(items[1].created_at, 7000);
	assert_int_equal(s->review_list(s, a, space, g.id, 1, &items, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].id, second.id);

	/* A review of an agreement that is gone is kept (the date has nothing to move). */
	struct store_agreement gone = agreement(space, space, "sealed:gone", 9000);
	struct store_review late = review(&gone, "not_yet", 9500);
	assert_int_equal(s->review_insert(s, &late, "2026-05-01"), STORE_OK);
	assert_int_equal(s->review_list(s, a, space, gone.id, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 1);
	arena_free(a);
}

/* Issue 14: agreement_move is a compare and set; a yes is kept with the agreement and clears a note. */
static void test_move_and_answers(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], author[ID_LEN + 1], partner[ID_LEN + 1];
	store_test_id(space);
	store_test_id(author);
	store_test_id(partner);
	struct store_agreement g = agreement(space, author, "sealed:proposal", 1000);
	snprintf(g.status, sizeof g.status, "proposed");
	assert_int_equal(s->agreement_insert(s, &g), STORE_OK);
	struct store_agreement got;
	assert_int_equal(s->agreement_get(s, a, g.id, space, author, &got), STORE_OK);
	assert_string_equal(got.accepted_by, "");
	assert_int_equal(got.accepted_at, 0);
	assert_null(got.discuss_note);
	assert_string_equal(got.discussed_by, "");

	/* A note, then a second one in its place. */
	assert_int_equal(s->agreement_discuss(s, space, g.id, partner, "sealed:first", 2000), STORE_OK);
	assert_int_equal(s->agreement_discuss(s, space, g.id, partner, "sealed:second", 3000), STORE_OK);
	assert_int_equal(s->agreement_get(s, a, g.id, space, author, &got), STORE_OK);
	assert_string_equal(got.discuss_note, "sealed:second");
	assert_string_equal(got.discussed_by, partner);
	assert_int_equal(got.discussed_at, 3000);
	assert_string_equal(got.status, "proposed");

	/* From a status it is not in: nothing moves. */
	assert_int_equal(s->agreement_move(s, space, g.id, "active", "paused", "", "", 0), STORE_NOT_FOUND);
	assert_int_equal(s->agreement_move(s, space, g.id, "proposed", "active", "2026-04-01", partner, 4000),
	                 STORE_OK);
	assert_int_equal(s->agreement_get(s, a, g.id, space, author, &got), STORE_OK);
	assert_string_equal(got.status, "active");
	assert_string_equal(got.next_review_on, "2026-04-01");
	assert_string_equal(got.accepted_by, partner);
	assert_int_equal(got.accepted_at, 4000);
	assert_null(got.discuss_note);
	assert_string_equal(got.discussed_by, "");
	/* No date: the schedule stays; no accepted_by: the yes stays. */
	assert_int_equal(s->agreement_move(s, space, g.id, "active", "paused", "", "", 0), STORE_OK);
	assert_int_equal(s->agreement_get(s, a, g.id, space, author, &got), STORE_OK);
	assert_string_equal(got.status, "paused");
	assert_string_equal(got.next_review_on, "2026-04-01");
	assert_string_equal(got.accepted_by, partner);
	/* The list reads the answer too. */
	struct store_agreement *items;
	int count;
	assert_int_equal(s->agreement_list(s, a, space, 0, "", 10, &items, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].accepted_by, partner);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_get),
	    cmocka_unit_test(test_get_prefers_own_copy),
	    cmocka_unit_test(test_list_order_and_cursor),
	    cmocka_unit_test(test_set_status),
	    cmocka_unit_test(test_reviews),
	    cmocka_unit_test(test_move_and_answers),
	};
	return STORE_TEST_MAIN("test_agreement", tests);
}
