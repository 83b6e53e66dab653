/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_space.c - unit tests for spaces in the store (src/store/space.c) on
 * both databases: one space per person, joining (ok, full, used, expired or
 * unknown code, already in a space), and leaving: each partner's check-ins
 * become theirs alone, the last one out removes the space with its invites,
 * and a stranger cannot leave.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define HOUR (3600LL * 1000)

static void test_create(void **state)
{
	(void)state;
	struct store *s = store_test;
	char space[ID_LEN + 1], other[ID_LEN + 1], me[ID_LEN + 1];
	store_test_id(space);
	store_test_id(other);
	store_test_id(me);
	int count = -1;
	assert_int_equal(s->space_create(s, space, me, "UTC", 1000), STORE_OK);
	assert_int_equal(s->space_member_count(s, space, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_int_equal(s->space_create(s, other, me, "UTC", 1000), STORE_CONFLICT);
	assert_int_equal(s->space_member_count(s, other, &count), STORE_OK);
	assert_int_equal(count, 0);
}

static void test_join(void **state)
{
	(void)state;
	struct store *s = store_test;
	int64_t now = 10 * HOUR;
	struct couple c;
	store_test_couple_new(&c, now, now);
	int count = 0;
	assert_int_equal(s->space_member_count(s, c.space, &count), STORE_OK);
	assert_int_equal(count, 2);

	char third[ID_LEN + 1], code[ID_LEN + 1], old[ID_LEN + 1], unknown[ID_LEN + 1], out[ID_LEN + 1];
	store_test_id(third);
	store_test_id(code);
	store_test_id(old);
	store_test_id(unknown);
	enum join_result jr;
	assert_int_equal(s->invite_insert(s, c.space, store_test_new_id(), code, c.a, now, now + HOUR), STORE_OK);
	assert_int_equal(s->space_join(s, code, third, now, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_FULL);
	assert_int_equal(s->invite_insert(s, c.space, store_test_new_id(), old, c.a, now - 2 * HOUR, now - HOUR),
	                 STORE_OK);
	assert_int_equal(s->space_join(s, old, third, now, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_NO_CODE);
	assert_int_equal(s->space_join(s, unknown, third, now, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_NO_CODE);
	assert_string_equal(out, "");

	/* Someone in a space already cannot join another; a used code does not work twice. */
	struct couple d;
	store_test_couple_new(&d, now, now);
	assert_int_equal(s->space_leave(s, d.space, d.b), STORE_OK);
	char again[ID_LEN + 1];
	store_test_id(again);
	assert_int_equal(s->invite_insert(s, d.space, store_test_new_id(), again, d.a, now, now + HOUR), STORE_OK);
	assert_int_equal(s->space_join(s, again, c.a, now, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_ALREADY_IN_SPACE);
	assert_int_equal(s->space_join(s, again, d.b, now, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_OK);
	assert_int_equal(s->space_leave(s, d.space, d.b), STORE_OK);
	assert_int_equal(s->space_join(s, again, d.b, now, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_NO_CODE);
}

static void checkin_in(const char *space, const char *author, char id_out[ID_LEN + 1])
{
	struct store_checkin ci = store_test_checkin(space, author, "partner", 5);
	assert_int_equal(store_test->checkin_insert(store_test, &ci), STORE_OK);
	memcpy(id_out, ci.id, ID_LEN + 1);
}

static void test_leave(void **state)
{
	(void)state;
	struct store *s = store_test;
	int64_t now = 20 * HOUR;
	struct couple c;
	store_test_couple_new(&c, now, now);
	char mine[ID_LEN + 1], theirs[ID_LEN + 1], stranger[ID_LEN + 1];
	checkin_in(c.space, c.a, mine);
	checkin_in(c.space, c.b, theirs);
	store_test_id(stranger);
	assert_int_equal(s->space_leave(s, c.space, stranger), STORE_NOT_FOUND);

	assert_int_equal(s->space_leave(s, c.space, c.a), STORE_OK);
	struct arena *ar = arena_new();
	struct store_checkin got;
	assert_int_equal(s->checkin_get(s, ar, mine, &got), STORE_OK);
	assert_string_equal(got.space_id, c.a);
	assert_int_equal(s->checkin_get(s, ar, theirs, &got), STORE_OK);
	assert_string_equal(got.space_id, c.b); /* the partner who stays keeps theirs alone too */
	int count = -1;
	assert_int_equal(s->space_member_count(s, c.space, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_int_equal(s->space_leave(s, c.space, c.a), STORE_NOT_FOUND);

	/* The last one out: the space and its invites go. */
	char code[ID_LEN + 1], out[ID_LEN + 1];
	store_test_id(code);
	assert_int_equal(s->invite_insert(s, c.space, store_test_new_id(), code, c.b, now, now + HOUR), STORE_OK);
	assert_int_equal(s->space_leave(s, c.space, c.b), STORE_OK);
	assert_int_equal(s->space_member_count(s, c.space, &count), STORE_OK);
	assert_int_equal(count, 0);
	enum join_result jr;
	assert_int_equal(s->space_join(s, code, stranger, now, &jr, out), STORE_OK);
	assert_int_equal(jr, JOIN_NO_CODE);
	/* Alone again, each can make a new space. */
	char fresh[ID_LEN + 1];
	store_test_id(fresh);
	assert_int_equal(s->space_create(s, fresh, c.a, "UTC", now), STORE_OK);
	arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create),
	    cmocka_unit_test(test_join),
	    cmocka_unit_test(test_leave),
	};
	return STORE_TEST_MAIN("test_space", tests);
}
