/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_invite.c - the invite codes of a space in the store
 * (src/store/invite.c, and the voiding in space.c) on SQLite and, under
 * tests/pg/with-postgres.sh, on PostgreSQL: the pending list (unused,
 * unexpired, newest first, with its cursor; only the space's own), revoking
 * (once; never another space's code), expired codes removed when a new one
 * is made, and every pending code voided by a join and by a leave.
 */
#include "store_test.h"

#include <string.h>

#define HOUR (3600LL * 1000)

struct made {
	char id[ID_LEN + 1], hash[ID_LEN + 1];
};

/* A code of the space made at `at`, valid for `hours`; its id and its (stand-in) hash in m. */
static void code_new(const char *space, const char *by, int64_t at, int64_t hours, struct made *m)
{
	store_test_id(m->id);
	store_test_id(m->hash);
	assert_int_equal(store_test->invite_insert(store_test, space, m->id, m->hash, by, at, at + hours * HOUR),
	                 STORE_OK);
}

/* The pending codes of the space at `now`, all of them (one page of 100). */
static int pending(struct arena *a, const char *space, int64_t now, struct store_invite **items)
{
	int n = -1;
	assert_int_equal(store_test->invite_list(store_test, a, space, now, 0, "", 100, items, &n), STORE_OK);
	return n;
}

static void test_list_and_revoke(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	int64_t now = 100 * HOUR;
	char space[ID_LEN + 1], other[ID_LEN + 1], me[ID_LEN + 1], them[ID_LEN + 1];
	store_test_id(space);
	store_test_id(other);
	store_test_id(me);
	store_test_id(them);
	assert_int_equal(s->space_create(s, space, me, "UTC", now), STORE_OK);
	assert_int_equal(s->space_create(s, other, them, "UTC", now), STORE_OK);
	struct made m[3], theirs;
	for (int i = 0; i < 3; i++)
		code_new(space, me, now + i, 72, &m[i]);
	code_new(other, them, now, 72, &theirs);

	struct store_invite *items;
	assert_int_equal(pending(a, space, now + 10, &items), 3);
	for (int i = 0; i < 3; i++) { /* newest first */
		assert_string_equal(items[i].id, m[2 - i].id);
		assert_int_equal(items[i].created_at, now + 2 - i);
		assert_int_equal(items[i].expires_at, now + 2 - i + 72 * HOUR);
	}
	/* Pages of one, with the cursor of the last item. */
	int n = 0;
	assert_int_equal(s->invite_list(s, a, space, now + 10, 0, "", 1, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, m[2].id);
	assert_int_equal(s->invite_list(s, a, space, now + 10, now + 2, m[2].id, 1, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, m[1].id);
	/* An expired code is no longer pending. */
	assert_int_equal(pending(a, space, now + 72 * HOUR + 1, &items), 1);
	assert_string_equal(items[0].id, m[2].id);

	/* Revoking: the space's own code, once; another space's code is out of reach. */
	assert_int_equal(s->invite_revoke(s, space, m[1].id), STORE_OK);
	assert_int_equal(s->invite_revoke(s, space, m[1].id), STORE_NOT_FOUND);
	assert_int_equal(s->invite_revoke(s, space, theirs.id), STORE_NOT_FOUND);
	assert_int_equal(s->invite_revoke(s, other, m[0].id), STORE_NOT_FOUND);
	assert_int_equal(pending(a, space, now + 10, &items), 2);
	assert_int_equal(pending(a, other, now + 10, &items), 1);
	/* A revoked code does not let anyone in. */
	char joiner[ID_LEN + 1], out[ID_LEN + 1];
	store_test_id(joiner);
	enum join_result jr;
	assert_int_equal(s->space_join(s, m[1].hash, joiner, now + 20, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_NO_CODE);
	arena_free(a);
}

static void test_expired_go_when_a_code_is_made(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	int64_t now = 200 * HOUR;
	char space[ID_LEN + 1], me[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	assert_int_equal(s->space_create(s, space, me, "UTC", now), STORE_OK);
	struct made old, live, fresh;
	code_new(space, me, now - 100 * HOUR, 72, &old); /* expired at now - 28 h */
	code_new(space, me, now - HOUR, 72, &live);
	/* Making a new code removes the expired one (a revoke no longer finds it); the live one stays. */
	code_new(space, me, now, 72, &fresh);
	assert_int_equal(s->invite_revoke(s, space, old.id), STORE_NOT_FOUND);
	struct store_invite *items;
	assert_int_equal(pending(a, space, now, &items), 2);
	assert_int_equal(s->invite_revoke(s, space, live.id), STORE_OK);
	arena_free(a);
}

static void test_join_and_leave_void_codes(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	int64_t now = 300 * HOUR;
	char space[ID_LEN + 1], me[ID_LEN + 1], partner[ID_LEN + 1], third[ID_LEN + 1], out[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	store_test_id(partner);
	store_test_id(third);
	assert_int_equal(s->space_create(s, space, me, "UTC", now), STORE_OK);
	struct made m[3];
	for (int i = 0; i < 3; i++)
		code_new(space, me, now + i, 72, &m[i]);
	enum join_result jr;
	assert_int_equal(s->space_join(s, m[1].hash, partner, now + 5, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_OK);
	/* The join voided the two others: nothing is pending, and they let nobody in. */
	struct store_invite *items;
	assert_int_equal(pending(a, space, now + 6, &items), 0);
	assert_int_equal(s->space_join(s, m[0].hash, third, now + 7, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_NO_CODE);
	assert_int_equal(s->space_join(s, m[2].hash, third, now + 7, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_NO_CODE);
	assert_int_equal(s->invite_revoke(s, space, m[2].id), STORE_NOT_FOUND);

	/* A code made in a full space (the domain refuses it; the store would keep it) goes with a leave. */
	struct made late;
	code_new(space, me, now + 8, 72, &late);
	assert_int_equal(pending(a, space, now + 9, &items), 1);
	assert_int_equal(s->space_leave(s, space, partner), STORE_OK);
	assert_int_equal(pending(a, space, now + 10, &items), 0);
	assert_int_equal(s->space_join(s, late.hash, third, now + 11, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_NO_CODE);
	/* Alone again, a new code works. */
	struct made again;
	code_new(space, me, now + 12, 72, &again);
	assert_int_equal(s->space_join(s, again.hash, third, now + 13, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_OK);
	arena_free(a);
}

/* A flash is shown once: taking it deletes it; another kind or an expired one is not found. */
static void test_flash_taken_once(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char token[ID_LEN + 1], scope[ID_LEN + 1], got[ID_LEN + 1];
	char *value = NULL;
	store_test_id(token);
	store_test_id(scope);
	assert_int_equal(s->flash_put(s, token, "invite", scope, "v1:sealed", 1000, 1000 + HOUR), STORE_OK);
	assert_int_equal(s->flash_take(s, a, token, "other", 2000, got, &value), STORE_NOT_FOUND);
	assert_int_equal(s->flash_take(s, a, token, "invite", 2000, got, &value), STORE_OK);
	assert_string_equal(got, scope);
	assert_string_equal(value, "v1:sealed");
	assert_int_equal(s->flash_take(s, a, token, "invite", 2000, got, &value), STORE_NOT_FOUND);

	assert_int_equal(s->flash_put(s, token, "invite", scope, "v1:later", 3000, 3000 + HOUR), STORE_OK);
	assert_int_equal(s->flash_take(s, a, token, "invite", 3000 + HOUR, got, &value), STORE_NOT_FOUND);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_and_revoke),
	    cmocka_unit_test(test_expired_go_when_a_code_is_made),
	    cmocka_unit_test(test_join_and_leave_void_codes),
	    cmocka_unit_test(test_flash_taken_once),
	};
	return STORE_TEST_MAIN("test_invite", tests);
}
