/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_trends.c - store tests for the numbers behind trends
 * (src/store/trends.c), run against SQLite and, when HEARTH_TEST_PG_URL is
 * set, PostgreSQL: all of an author's own points in any scope, or only what
 * they shared in one space; the [from, to) range; oldest first; and more
 * points than the first array holds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "store/store.h"
#include "util/util.h"

struct fixture {
	struct backend b[BACKENDS_MAX];
	int n;
	struct arena *a;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->n = backends_open(f->b);
	f->a = arena_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	backends_close(f->b, f->n);
	arena_free(f->a);
	free(f);
	return 0;
}

/* A check-in with fresh id and the given numbers. */
static struct store_checkin checkin(const char *scope, const char *author, const char *visibility, int mood, int64_t at)
{
	struct store_checkin c = {
	    .created_at = at, .updated_at = at, .mood = mood, .connection = mood + 1, .secure = mood + 2};
	id_new(c.id);
	snprintf(c.space_id, sizeof c.space_id, "%s", scope);
	snprintf(c.author_id, sizeof c.author_id, "%s", author);
	snprintf(c.visibility, sizeof c.visibility, "%s", visibility);
	return c;
}

static void test_points(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < f->n; i++) {
		struct store *s = f->b[i].store;
		char space[ID_LEN + 1], me[ID_LEN + 1], partner[ID_LEN + 1];
		id_new(space);
		id_new(me);
		id_new(partner);
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
		assert_int_equal(s->checkin_points(s, f->a, me, space, false, 0, 9000, &items, &count), STORE_OK);
		assert_int_equal(count, 3);
		assert_int_equal(items[0].at, 1000);
		assert_int_equal(items[0].mood, 4);
		assert_int_equal(items[0].connection, 5);
		assert_int_equal(items[0].secure, 6);
		assert_int_equal(items[1].at, 2000);
		assert_int_equal(items[2].at, 3000);

		/* Shared in this space only. */
		assert_int_equal(s->checkin_points(s, f->a, me, space, true, 0, 10000, &items, &count), STORE_OK);
		assert_int_equal(count, 2);
		assert_int_equal(items[0].at, 3000);
		assert_int_equal(items[1].at, 9000);
		assert_int_equal(items[1].mood, 2);

		char nobody[ID_LEN + 1];
		id_new(nobody);
		assert_int_equal(s->checkin_points(s, f->a, nobody, "", false, 0, 10000, &items, &count), STORE_OK);
		assert_int_equal(count, 0);
		assert_non_null(items);
	}
}

static void test_many_points(void **state)
{
	struct fixture *f = *state;
	enum { N = 600 }; /* more than the first array (256) holds */
	for (int i = 0; i < f->n; i++) {
		struct store *s = f->b[i].store;
		char me[ID_LEN + 1];
		id_new(me);
		assert_true(!s->batch_begin || s->batch_begin(s) == STORE_OK);
		for (int k = N; k > 0; k--) {
			struct store_checkin c = checkin(me, me, "private", k % 5 + 1, (int64_t)k * 1000);
			assert_int_equal(s->checkin_insert(s, &c), STORE_OK);
		}
		assert_true(!s->batch_end || s->batch_end(s, true) == STORE_OK);
		struct store_point *items;
		int count;
		assert_int_equal(s->checkin_points(s, f->a, me, "", false, 0, INT64_MAX, &items, &count), STORE_OK);
		assert_int_equal(count, N);
		for (int k = 0; k < N; k++) {
			assert_int_equal(items[k].at, (int64_t)(k + 1) * 1000);
			assert_int_equal(items[k].mood, (k + 1) % 5 + 1);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_points, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_points, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
