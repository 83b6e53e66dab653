/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_trends.c - store tests for the numbers behind trends
 * (src/store/trends.c), run against SQLite and, when HEARTH_TEST_PG_URL is
 * set, PostgreSQL: all of an author's own points in any scope, or only what
 * they shared in one space; the [from, to) range; oldest first; and more
 * points than the first array holds. The store keeps a check-in's scales as
 * the domain sealed them: here, a text that names them ("sealed 4 5 6"), as
 * the store does not look into it.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

/* A check-in with fresh id and the given numbers, "sealed" as "sealed MOOD MOOD+1 MOOD+2". */
static struct store_checkin checkin(const char *scope, const char *author, const char *visibility, int mood, int64_t at)
{
	struct store_checkin c = store_test_checkin(scope, author, visibility, at);
	snprintf(c.sealed.scales, sizeof c.sealed.scales, "sealed %d %d %d", mood, mood + 1, mood + 2);
	return c;
}

static void test_points(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], me[ID_LEN + 1], partner[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	store_test_id(partner);
	struct store_checkin c[5] = {
	    checkin(space, me, "shared", 3, 3000), checkin(space, me, "private", 4, 1000),
	    checkin(me, me, "private", 5, 2000),   checkin(space, partner, "shared", 1, 1500),
	    checkin(space, me, "shared", 2, 9000),
	};
	for (int k = 0; k < 5; k++)
		assert_int_equal(s->checkin_insert(s, &c[k]), STORE_OK);

	struct store_point *items;
	int count;
	/* Mine, everywhere, oldest first; the partner's never. */
	assert_int_equal(s->checkin_points(s, a, me, space, false, 0, 9000, &items, &count), STORE_OK);
	assert_int_equal(count, 3);
	assert_int_equal(items[0].at, 1000);
	assert_string_equal(items[0].id, c[1].id);
	assert_string_equal(items[0].scales, "sealed 4 5 6");
	assert_int_equal(items[1].at, 2000);
	assert_int_equal(items[2].at, 3000);

	/* Shared in this space only. */
	assert_int_equal(s->checkin_points(s, a, me, space, true, 0, 10000, &items, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_int_equal(items[0].at, 3000);
	assert_int_equal(items[1].at, 9000);
	assert_string_equal(items[1].scales, "sealed 2 3 4");

	char nobody[ID_LEN + 1];
	store_test_id(nobody);
	assert_int_equal(s->checkin_points(s, a, nobody, "", false, 0, 10000, &items, &count), STORE_OK);
	assert_int_equal(count, 0);
	assert_non_null(items);
	arena_free(a);
}

static void test_many_points(void **state)
{
	(void)state;
	enum { N = 600 }; /* more than the first array (256) holds */
	struct store *s = store_test;
	struct arena *a = arena_new();
	char me[ID_LEN + 1];
	store_test_id(me);
	assert_true(!s->batch_begin || s->batch_begin(s) == STORE_OK);
	for (int k = N; k > 0; k--) {
		struct store_checkin c = checkin(me, me, "private", k % 5 + 1, (int64_t)k * 1000);
		assert_int_equal(s->checkin_insert(s, &c), STORE_OK);
	}
	assert_true(!s->batch_end || s->batch_end(s, true) == STORE_OK);
	struct store_point *items;
	int count;
	assert_int_equal(s->checkin_points(s, a, me, "", false, 0, INT64_MAX, &items, &count), STORE_OK);
	assert_int_equal(count, N);
	for (int k = 0; k < N; k++) {
		char want[32];
		int mood = (k + 1) % 5 + 1;
		snprintf(want, sizeof want, "sealed %d %d %d", mood, mood + 1, mood + 2);
		assert_int_equal(items[k].at, (int64_t)(k + 1) * 1000);
		assert_string_equal(items[k].scales, want);
	}
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_points),
	    cmocka_unit_test(test_many_points),
	};
	return STORE_TEST_MAIN("test_trends", tests);
}
