/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_upgrade.c - store tests for the data steps of upgrades
 * (src/store/upgrade.c) on both databases: migration 10 leaves no step
 * pending in a new database, and upgrade_done forgets a step; clear_values finds the values of a
 * column that are not of the form of a sealed text (not the sealed ones, not
 * NULL or empty ones), in key order after a cursor, at most limit;
 * clear_value_seal puts the sealed form in the value's row only while the
 * row still holds the value read; every column's statements run; compact
 * runs outside a transaction.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

/* A text of the form of a sealed one (the store looks at nothing more). */
#define SEALED_FORM "v1:0123456789abcdef0123456789abcdef:c2VhbGVk"

static struct store_checkin checkin_in(const char *space, const char *scales, const char *need)
{
	struct store_checkin c = store_test_checkin(space, space, "private", 1000);
	snprintf(c.sealed.scales, sizeof c.sealed.scales, "%s", scales);
	c.need = (char *)need;
	return c;
}

static void test_pending_step(void **state)
{
	(void)state;
	struct store *s = store_test;
	bool pending = true;
	/* A new, empty database: migration 10 records no step, there is nothing to seal. */
	assert_int_equal(s->upgrade_pending(s, "seal-in-clear", &pending), STORE_OK);
	assert_false(pending);
	pending = true;
	assert_int_equal(s->upgrade_pending(s, "no-such-step", &pending), STORE_OK);
	assert_false(pending);
	assert_int_equal(s->upgrade_done(s, "seal-in-clear"), STORE_OK);
	assert_int_equal(s->upgrade_pending(s, "seal-in-clear", &pending), STORE_OK);
	assert_false(pending);
	assert_int_equal(s->upgrade_done(s, "seal-in-clear"), STORE_OK); /* forgetting twice is no error */
}

static void test_clear_values_and_seal(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1];
	store_test_id(space);
	/* Only this test's space holds values in clear: older tests' rows are sealed. */
	struct store_checkin c[4] = {
	    checkin_in(space, "4 7 8", "A quiet evening"),
	    checkin_in(space, SEALED_FORM, NULL),
	    checkin_in(space, "v1:short", ""),
	    checkin_in(space, "10 0 1", SEALED_FORM),
	};
	for (int i = 0; i < 4; i++)
		assert_int_equal(s->checkin_insert(s, &c[i]), STORE_OK);

	struct store_clear_value *items;
	int count = -1;
	assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_SCALES, NULL, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 3); /* "4 7 8", "v1:short" (not of the sealed form) and "10 0 1", by id */
	for (int i = 1; i < count; i++)
		assert_true(strcmp(items[i - 1].key[0], items[i].key[0]) < 0);
	for (int i = 0; i < count; i++) {
		assert_string_equal(items[i].scope_id, space);
		assert_string_equal(items[i].key[1], "");
	}
	/* A cursor: after the first row, the others, in key order. */
	struct store_clear_value *rest;
	int more = -1;
	assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_SCALES, NULL, 1, &items, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_SCALES, &items[0], 10, &rest, &more), STORE_OK);
	assert_int_equal(more, 2);
	assert_true(strcmp(items[0].key[0], rest[0].key[0]) < 0);
	assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_SCALES, &rest[1], 10, &rest, &more), STORE_OK);
	assert_int_equal(more, 0);
	/* NULL and empty texts are no values in clear */
	assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_NEED, NULL, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].key[0], c[0].id);
	assert_string_equal(items[0].value, "A quiet evening");

	/* Sealed in its row; a stale value read earlier changes nothing. */
	struct store_clear_value stale = items[0];
	assert_int_equal(s->clear_value_seal(s, CLEAR_CHECKIN_NEED, &items[0], SEALED_FORM), STORE_OK);
	assert_int_equal(s->clear_value_seal(s, CLEAR_CHECKIN_NEED, &stale, "v1:other"), STORE_NOT_FOUND);
	struct store_checkin got;
	assert_int_equal(s->checkin_get(s, a, c[0].id, &got), STORE_OK);
	assert_string_equal(got.need, SEALED_FORM);
	assert_string_equal(got.sealed.scales, "4 7 8");
	assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_NEED, NULL, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 0);

	assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_SCALES, NULL, 10, &items, &count), STORE_OK);
	for (int i = 0; i < count; i++)
		assert_int_equal(s->clear_value_seal(s, CLEAR_CHECKIN_SCALES, &items[i], SEALED_FORM), STORE_OK);
	assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_SCALES, NULL, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 0);
	arena_free(a);
}

/*
 * A walk one value at a time meets every value in clear of every space exactly once, in id order,
 * each with its own space as the scope (check-ins are walked by id: upgrade.c, CHECKIN_COLUMN).
 */
static void test_clear_values_across_spaces(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	enum { SPACES = 3 };
	char spaces[SPACES][ID_LEN + 1];
	struct store_checkin c[SPACES];
	for (int i = 0; i < SPACES; i++) {
		store_test_id(spaces[i]);
		c[i] = checkin_in(spaces[i], "5 5 5", NULL);
		assert_int_equal(s->checkin_insert(s, &c[i]), STORE_OK);
	}
	bool seen[SPACES] = {false};
	struct store_clear_value *items, last = {.scope_id = ""};
	int count = -1, walked = 0;
	char previous[ID_LEN + 1] = "";
	do {
		assert_int_equal(s->clear_values(s, a, CLEAR_CHECKIN_SCALES, walked ? &last : NULL, 1, &items, &count),
		                 STORE_OK);
		if (count == 0)
			break;
		assert_int_equal(count, 1);
		assert_true(strcmp(previous, items[0].key[0]) < 0);
		snprintf(previous, sizeof previous, "%s", items[0].key[0]);
		for (int i = 0; i < SPACES; i++)
			if (strcmp(items[0].key[0], c[i].id) == 0) {
				assert_false(seen[i]);
				seen[i] = true;
				assert_string_equal(items[0].scope_id, spaces[i]);
			}
		last = items[0];
		walked++;
	} while (walked < 1000);
	for (int i = 0; i < SPACES; i++) {
		assert_true(seen[i]);
		struct store_clear_value v = {.value = "5 5 5"};
		memcpy(v.scope_id, spaces[i], sizeof v.scope_id);
		memcpy(v.key[0], c[i].id, sizeof v.key[0]);
		assert_int_equal(s->clear_value_seal(s, CLEAR_CHECKIN_SCALES, &v, SEALED_FORM), STORE_OK);
	}
	arena_free(a);
}

/* Every column's statements are valid SQL on this database (none of these tables holds a value in clear here). */
static void test_every_column(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	for (int c = 0; c < CLEAR_COLUMNS; c++) {
		struct store_clear_value *items, none = {.value = "nothing"};
		int count = -1;
		assert_int_equal(s->clear_values(s, a, (enum store_clear_column)c, NULL, 5, &items, &count), STORE_OK);
		if (c == CLEAR_CHECKIN_SCALES || c == CLEAR_CHECKIN_NEED)
			continue; /* test_clear_values_and_seal's rows */
		assert_int_equal(count, 0);
		store_test_id(none.scope_id);
		for (int k = 0; k < 3; k++)
			store_test_id(none.key[k]);
		assert_int_equal(s->clear_value_seal(s, (enum store_clear_column)c, &none, SEALED_FORM),
		                 STORE_NOT_FOUND);
	}
	arena_free(a);
}

static void test_compact(void **state)
{
	(void)state;
	struct store *s = store_test;
	assert_int_equal(s->compact(s), STORE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pending_step),
	    cmocka_unit_test(test_clear_values_and_seal),
	    cmocka_unit_test(test_clear_values_across_spaces),
	    cmocka_unit_test(test_every_column),
	    cmocka_unit_test(test_compact),
	};
	return STORE_TEST_MAIN("test_upgrade", tests);
}
