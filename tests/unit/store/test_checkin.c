/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_checkin.c - unit tests for the store's check-ins (src/store/checkin.c)
 * on both databases: insert and get (with absent texts), a duplicate id,
 * update and delete by the author only, and the list: newest first, the
 * (time, id) cursor, the limit, and a partner's private ones left out.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

static struct store_checkin checkin_new(const char *space_id, const char *author_id, int64_t at, const char *visibility)
{
	struct store_checkin c = store_test_checkin(space_id, author_id, visibility, at);
	/* The store keeps what the domain sealed as it is given: texts stand in for sealed values. */
	snprintf(c.sealed.scales, sizeof c.sealed.scales, "sealed-3-7-9");
	c.appreciation = "sealed-appreciation";
	return c;
}

static void test_insert_get(void **state)
{
	(void)state;
	struct store *s = store_test;
	char space[ID_LEN + 1], me[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	struct store_checkin c = checkin_new(space, me, 1000, "partner"), got;
	assert_int_equal(s->checkin_insert(s, &c), STORE_OK);
	assert_int_equal(s->checkin_insert(s, &c), STORE_CONFLICT);
	struct arena *a = arena_new();
	assert_int_equal(s->checkin_get(s, a, c.id, &got), STORE_OK);
	assert_string_equal(got.id, c.id);
	assert_string_equal(got.space_id, space);
	assert_string_equal(got.author_id, me);
	assert_true(got.created_at == 1000 && got.updated_at == 1000);
	assert_string_equal(got.sealed.scales, "sealed-3-7-9");
	assert_string_equal(got.appreciation, "sealed-appreciation");
	assert_null(got.need);
	assert_null(got.worry);
	assert_string_equal(got.visibility, "partner");
	char unknown[ID_LEN + 1];
	store_test_id(unknown);
	assert_int_equal(s->checkin_get(s, a, unknown, &got), STORE_NOT_FOUND);
	arena_free(a);
}

static void test_update_delete_by_author(void **state)
{
	(void)state;
	struct store *s = store_test;
	char space[ID_LEN + 1], me[ID_LEN + 1], other[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	store_test_id(other);
	struct store_checkin c = checkin_new(space, me, 2000, "private"), got;
	assert_int_equal(s->checkin_insert(s, &c), STORE_OK);

	struct store_checkin edit = c;
	snprintf(edit.sealed.scales, sizeof edit.sealed.scales, "sealed-5-7-9");
	edit.updated_at = 2500;
	edit.appreciation = NULL;
	edit.worry = "sealed-worry";
	snprintf(edit.visibility, sizeof edit.visibility, "partner");
	snprintf(edit.author_id, sizeof edit.author_id, "%s", other);
	assert_int_equal(s->checkin_update(s, &edit), STORE_NOT_FOUND);
	snprintf(edit.author_id, sizeof edit.author_id, "%s", me);
	assert_int_equal(s->checkin_update(s, &edit), STORE_OK);

	struct arena *a = arena_new();
	assert_int_equal(s->checkin_get(s, a, c.id, &got), STORE_OK);
	assert_string_equal(got.sealed.scales, "sealed-5-7-9");
	assert_true(got.updated_at == 2500 && got.created_at == 2000);
	assert_null(got.appreciation);
	assert_string_equal(got.worry, "sealed-worry");
	assert_string_equal(got.visibility, "partner");

	assert_int_equal(s->checkin_delete(s, c.id, other), STORE_NOT_FOUND);
	assert_int_equal(s->checkin_delete(s, c.id, me), STORE_OK);
	assert_int_equal(s->checkin_get(s, a, c.id, &got), STORE_NOT_FOUND);
	assert_int_equal(s->checkin_delete(s, c.id, me), STORE_NOT_FOUND);
	arena_free(a);
}

static void test_list_order_cursor_visibility(void **state)
{
	(void)state;
	struct store *s = store_test;
	char space[ID_LEN + 1], me[ID_LEN + 1], partner[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	store_test_id(partner);
	/* Mine at 100, 200, 200 (a tie, broken by id), 300; the partner's shared one at 250, private at 260. */
	struct store_checkin c[6] = {
	    checkin_new(space, me, 100, "private"),      checkin_new(space, me, 200, "partner"),
	    checkin_new(space, me, 200, "partner"),      checkin_new(space, me, 300, "private"),
	    checkin_new(space, partner, 250, "partner"), checkin_new(space, partner, 260, "private"),
	};
	for (int i = 0; i < 6; i++)
		assert_int_equal(s->checkin_insert(s, &c[i]), STORE_OK);
	const char *hi = strcmp(c[1].id, c[2].id) > 0 ? c[1].id : c[2].id;
	const char *lo = hi == c[1].id ? c[2].id : c[1].id;
	const char *expect[] = {c[3].id, c[4].id, hi, lo, c[0].id};

	struct checkin_query q = {.mine_id = me, .space_id = space, .partner_id = partner, .limit = 3};
	struct arena *a = arena_new();
	struct store_checkin *items = NULL;
	int count = 0;
	assert_int_equal(s->checkin_list(s, a, &q, &items, &count), STORE_OK);
	assert_int_equal(count, 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(items[i].id, expect[i]);

	q.before_time = items[2].created_at;
	q.before_id = items[2].id;
	assert_int_equal(s->checkin_list(s, a, &q, &items, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(items[0].id, expect[3]);
	assert_string_equal(items[1].id, expect[4]);

	/* Alone (no space part): only mine. */
	struct checkin_query alone = {.mine_id = me, .limit = 10};
	assert_int_equal(s->checkin_list(s, a, &alone, &items, &count), STORE_OK);
	assert_int_equal(count, 4);
	for (int i = 0; i < count; i++)
		assert_string_equal(items[i].author_id, me);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_get),
	    cmocka_unit_test(test_update_delete_by_author),
	    cmocka_unit_test(test_list_order_cursor_visibility),
	};
	return STORE_TEST_MAIN("test_checkin", tests);
}
