/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_repair.c - unit tests for src/store/repair.c and src/store/safety.c
 * on a real store, once on SQLite and once on PostgreSQL when
 * HEARTH_TEST_PG_URL is set: repairs written and read back, the viewer's own
 * scope preferred, the list's order, cursor and solo rule, the one-way steps
 * of a side (draft, submit, acknowledge) with their conflict and not-found
 * answers, and safety checks.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define ALICE ids.people[0]
#define BOB ids.people[1]
#define CAROL ids.carol
#define SPACE1 ids.space1
#define SPACE2 ids.space2
#define R1 ids.repairs[0]
#define R2 ids.repairs[1]
#define R3 ids.repairs[2]
#define R4 ids.repairs[3]
#define R5 ids.repairs[4]

/*
 * Fresh ids for each test (the store is shared by the tests of a file). Ids
 * of one kind that a test expects in order share a random stem and differ in
 * their last character only.
 */
static struct {
	char people[2][ID_LEN + 1], carol[ID_LEN + 1], space1[ID_LEN + 1], space2[ID_LEN + 1];
	char repairs[5][ID_LEN + 1];
} ids;

static void ids_new(void)
{
	store_test_ids_ordered(ids.people, 2);
	store_test_ids_ordered(ids.repairs, 5);
	store_test_id(ids.carol);
	store_test_id(ids.space1);
	store_test_id(ids.space2);
}

static struct store_repair repair(const char *space_id, const char *id, const char *by, int64_t at, bool solo)
{
	struct store_repair r = {.created_at = at, .solo = solo, .title = "sealed title"};
	snprintf(r.space_id, sizeof r.space_id, "%s", space_id);
	snprintf(r.id, sizeof r.id, "%s", id);
	snprintf(r.created_by, sizeof r.created_by, "%s", by);
	return r;
}

static struct store_repair_side side(const char *author_id, const char *text, int64_t at)
{
	struct store_repair_side d = {.feelings = "[\"hurt\"]", .perspective = (char *)text, .updated_at = at};
	snprintf(d.space_id, sizeof d.space_id, "%s", SPACE1);
	snprintf(d.repair_id, sizeof d.repair_id, "%s", R1);
	snprintf(d.author_id, sizeof d.author_id, "%s", author_id);
	return d;
}

static void test_insert_get(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_repair r = repair(SPACE1, R1, ALICE, 1000, false);
	snprintf(r.occurred_on, sizeof r.occurred_on, "2024-05-01");
	assert_int_equal(s->repair_insert(s, &r), STORE_OK);
	assert_int_equal(s->repair_insert(s, &r), STORE_CONFLICT);

	struct store_repair got;
	assert_int_equal(s->repair_get(s, a, R1, SPACE1, BOB, &got), STORE_OK);
	assert_string_equal(got.id, R1);
	assert_string_equal(got.space_id, SPACE1);
	assert_string_equal(got.created_by, ALICE);
	assert_string_equal(got.title, "sealed title");
	assert_string_equal(got.occurred_on, "2024-05-01");
	assert_int_equal(got.created_at, 1000);
	assert_false(got.solo);

	/* Not in the scopes asked for: another space, or an unknown id. */
	assert_int_equal(s->repair_get(s, a, R1, SPACE2, BOB, &got), STORE_NOT_FOUND);
	assert_int_equal(s->repair_get(s, a, R2, SPACE1, BOB, &got), STORE_NOT_FOUND);

	/* No date is "" and a solo flag comes back. */
	struct store_repair solo = repair(BOB, R2, BOB, 2000, true);
	assert_int_equal(s->repair_insert(s, &solo), STORE_OK);
	assert_int_equal(s->repair_get(s, a, R2, "", BOB, &got), STORE_OK);
	assert_string_equal(got.occurred_on, "");
	assert_true(got.solo);
	arena_free(a);
}

/* The same id in the space and in the viewer's own scope (a copy kept after leaving): the viewer's own wins. */
static void test_get_prefers_own_scope(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_repair shared = repair(SPACE1, R1, ALICE, 1000, false);
	struct store_repair kept = repair(ALICE, R1, ALICE, 1000, true);
	assert_int_equal(s->repair_insert(s, &shared), STORE_OK);
	assert_int_equal(s->repair_insert(s, &kept), STORE_OK);
	struct store_repair got;
	assert_int_equal(s->repair_get(s, a, R1, SPACE1, ALICE, &got), STORE_OK);
	assert_string_equal(got.space_id, ALICE);
	assert_int_equal(s->repair_get(s, a, R1, SPACE1, BOB, &got), STORE_OK);
	assert_string_equal(got.space_id, SPACE1);
	arena_free(a);
}

static void test_list_order_cursor_solo(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_repair rows[] = {
	    repair(SPACE1, R1, ALICE, 1000, false), repair(SPACE1, R2, BOB, 3000, false),
	    repair(SPACE1, R3, BOB, 2000, true),  /* Bob's solo reflection in the space */
	    repair(ALICE, R4, ALICE, 3000, true), /* Alice's own, same time as R2 */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(s->repair_insert(s, &rows[i]), STORE_OK);
	struct store_repair other = repair(SPACE2, R5, CAROL, 5000, false);
	assert_int_equal(s->repair_insert(s, &other), STORE_OK);

	struct store_repair *items;
	int count = -1;
	assert_int_equal(s->repair_list(s, a, SPACE1, ALICE, 0, "", 10, &items, &count), STORE_OK);
	assert_int_equal(count, 3);           /* not Bob's solo one, not another space's */
	assert_string_equal(items[0].id, R4); /* same time: the greater id first */
	assert_string_equal(items[1].id, R2);
	assert_string_equal(items[2].id, R1);

	/* A page of two, then the rest after the cursor (time and id). */
	assert_int_equal(s->repair_list(s, a, SPACE1, ALICE, 0, "", 2, &items, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_int_equal(s->repair_list(s, a, SPACE1, ALICE, items[1].created_at, items[1].id, 2, &items, &count),
	                 STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].id, R1);

	/* Bob sees his solo reflection; a person alone (no space) sees only their own scope. */
	assert_int_equal(s->repair_list(s, a, SPACE1, BOB, 0, "", 10, &items, &count), STORE_OK);
	assert_int_equal(count, 3);
	assert_string_equal(items[0].id, R2);
	assert_string_equal(items[1].id, R3);
	assert_int_equal(s->repair_list(s, a, "", ALICE, 0, "", 10, &items, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].id, R4);

	assert_int_equal(s->repair_list(s, a, SPACE1, ALICE, 0, "", 0, &items, &count), STORE_OK);
	assert_int_equal(count, 0);
	arena_free(a);
}

static void test_side_steps(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_repair r = repair(SPACE1, R1, ALICE, 1000, false);
	assert_int_equal(s->repair_insert(s, &r), STORE_OK);

	/* Nothing to submit or acknowledge before a draft exists. */
	assert_int_equal(s->repair_side_submit(s, SPACE1, R1, ALICE, 1500), STORE_NOT_FOUND);
	assert_int_equal(s->repair_side_acknowledge(s, SPACE1, R1, ALICE, NULL, 1500), STORE_NOT_FOUND);

	struct store_repair_side bob = side(BOB, "bob's view", 1100);
	struct store_repair_side alice = side(ALICE, "first draft", 1200);
	assert_int_equal(s->repair_side_put(s, &bob), STORE_OK);
	assert_int_equal(s->repair_side_put(s, &alice), STORE_OK);
	alice.perspective = "second draft";
	alice.updated_at = 1300;
	assert_int_equal(s->repair_side_put(s, &alice), STORE_OK);

	struct store_repair_side sides[2];
	int count = -1;
	assert_int_equal(s->repair_sides(s, a, SPACE1, R1, sides, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(sides[0].author_id, ALICE); /* by author id */
	assert_string_equal(sides[0].perspective, "second draft");
	assert_string_equal(sides[0].feelings, "[\"hurt\"]");
	assert_null(sides[0].touched);
	assert_int_equal(sides[0].updated_at, 1300);
	assert_int_equal(sides[0].submitted_at, 0);
	assert_int_equal(sides[0].acknowledged_at, 0);
	assert_string_equal(sides[1].author_id, BOB);

	/* Submitted once; then neither a second submit nor a new draft. */
	assert_int_equal(s->repair_side_submit(s, SPACE1, R1, ALICE, 2000), STORE_OK);
	assert_int_equal(s->repair_side_submit(s, SPACE1, R1, ALICE, 2100), STORE_CONFLICT);
	alice.perspective = "too late";
	assert_int_equal(s->repair_side_put(s, &alice), STORE_CONFLICT);

	/* Acknowledged once, with a note. */
	assert_int_equal(s->repair_side_acknowledge(s, SPACE1, R1, ALICE, "thank you", 3000), STORE_OK);
	assert_int_equal(s->repair_side_acknowledge(s, SPACE1, R1, ALICE, "again", 3100), STORE_CONFLICT);

	assert_int_equal(s->repair_sides(s, a, SPACE1, R1, sides, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(sides[0].perspective, "second draft");
	assert_int_equal(sides[0].submitted_at, 2000);
	assert_int_equal(sides[0].acknowledged_at, 3000);
	assert_string_equal(sides[0].ack_note, "thank you");
	assert_int_equal(sides[1].submitted_at, 0);
	assert_null(sides[1].ack_note);

	/* Another scope has no sides. */
	assert_int_equal(s->repair_sides(s, a, SPACE2, R1, sides, &count), STORE_OK);
	assert_int_equal(count, 0);
	assert_int_equal(s->repair_side_submit(s, SPACE2, R1, BOB, 2000), STORE_NOT_FOUND);
	arena_free(a);
}

static void test_safety_insert(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_safety_check k = {
	    .share_with_therapist = true, .created_at = 1000, .sealed = {"sealed afraid 1", "sealed pressured 0"}};
	snprintf(k.id, sizeof k.id, "%s", R1);
	snprintf(k.scope_id, sizeof k.scope_id, "%s", SPACE1);
	snprintf(k.user_id, sizeof k.user_id, "%s", ALICE);
	assert_int_equal(s->safety_insert(s, &k), STORE_OK);
	assert_int_equal(s->safety_insert(s, &k), STORE_CONFLICT);
	struct store_safety_check private = k;
	snprintf(private.id, sizeof private.id, "%s", R2);
	private.share_with_therapist = false;
	snprintf(private.sealed.pressured, sizeof private.sealed.pressured, "sealed pressured 1");
	assert_int_equal(s->safety_insert(s, &private), STORE_OK);

	/* Read back through the therapist's list: only the shared one, as written. */
	struct store_safety_check *items;
	int count = -1;
	assert_int_equal(s->safety_shared(s, a, SPACE1, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].id, R1);
	assert_string_equal(items[0].user_id, ALICE);
	assert_string_equal(items[0].sealed.afraid, "sealed afraid 1");
	assert_string_equal(items[0].sealed.pressured, "sealed pressured 0");
	assert_int_equal(items[0].created_at, 1000);
	arena_free(a);
}

/* A check for a repair at a moment: the person's latest of that moment (as sealed), nobody else's, no other moment's.
 */
static void test_safety_latest(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct store_safety_check k = {.created_at = 1000, .sealed = {"sealed afraid 1", "sealed pressured 0"}};
	snprintf(k.id, sizeof k.id, "%s", R1);
	snprintf(k.scope_id, sizeof k.scope_id, "%s", SPACE1);
	snprintf(k.user_id, sizeof k.user_id, "%s", BOB);
	snprintf(k.repair_id, sizeof k.repair_id, "%s", R3);
	snprintf(k.moment, sizeof k.moment, "join");
	struct store_safety_check got;
	assert_int_equal(s->safety_latest(s, SPACE1, BOB, R3, "join", &got), STORE_NOT_FOUND);
	assert_int_equal(s->safety_insert(s, &k), STORE_OK);
	struct store_safety_check later = k;
	snprintf(later.id, sizeof later.id, "%s", R2);
	snprintf(later.sealed.afraid, sizeof later.sealed.afraid, "sealed afraid 0");
	later.created_at = 2000;
	assert_int_equal(s->safety_insert(s, &later), STORE_OK);
	assert_int_equal(s->safety_latest(s, SPACE1, BOB, R3, "join", &got), STORE_OK);
	assert_string_equal(got.id, R2);
	assert_string_equal(got.sealed.afraid, "sealed afraid 0");
	assert_string_equal(got.sealed.pressured, "sealed pressured 0");
	assert_int_equal(got.created_at, 2000);
	assert_int_equal(s->safety_latest(s, SPACE1, BOB, R3, "heard", &got), STORE_NOT_FOUND);
	assert_int_equal(s->safety_latest(s, SPACE1, ALICE, R3, "join", &got), STORE_NOT_FOUND);
	assert_int_equal(s->safety_latest(s, SPACE2, BOB, R3, "join", &got), STORE_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_get),
	    cmocka_unit_test(test_get_prefers_own_scope),
	    cmocka_unit_test(test_list_order_cursor_solo),
	    cmocka_unit_test(test_side_steps),
	    cmocka_unit_test(test_safety_insert),
	    cmocka_unit_test(test_safety_latest),
	};
	return STORE_TEST_MAIN("test_repair", tests);
}
