/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_two_step.c - unit tests for two-step login in the store
 * (src/store/two_step.c) on both databases: a setup that waits, is replaced
 * and is confirmed (then left alone by a new setup), the recovery codes that
 * confirming replaces, a time step and a recovery code accepted only once,
 * turning it off, and the login tickets with their expiry and their tries.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

static void hashes_new(char hashes[RECOVERY_CODE_COUNT][HASH_HEX_LEN + 1], char tag)
{
	for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
		memset(hashes[i], 'a' + i, HASH_HEX_LEN);
		hashes[i][0] = tag;
		hashes[i][HASH_HEX_LEN] = '\0';
	}
}

static void test_setup_and_confirm(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char user[ID_LEN + 1];
	store_test_id(user);
	struct store_two_step t;
	assert_int_equal(s->two_step_get(s, a, user, &t), STORE_NOT_FOUND);
	assert_int_equal(s->two_step_begin(s, user, "sealed-1", 1000), STORE_OK);
	assert_int_equal(s->two_step_get(s, a, user, &t), STORE_OK);
	assert_string_equal(t.user_id, user);
	assert_string_equal(t.secret, "sealed-1");
	assert_true(t.confirmed_at == 0 && t.created_at == 1000 && t.recovery_left == 0);
	/* without an arena: the state alone */
	assert_int_equal(s->two_step_get(s, NULL, user, &t), STORE_OK);
	assert_null(t.secret);

	/* a new setup replaces the pending one */
	assert_int_equal(s->two_step_begin(s, user, "sealed-2", 2000), STORE_OK);
	assert_int_equal(s->two_step_get(s, a, user, &t), STORE_OK);
	assert_string_equal(t.secret, "sealed-2");

	char hashes[RECOVERY_CODE_COUNT][HASH_HEX_LEN + 1];
	hashes_new(hashes, 'x');
	assert_int_equal(s->two_step_confirm(s, user, 77, (const char(*)[HASH_HEX_LEN + 1]) hashes, 3000), STORE_OK);
	assert_int_equal(s->two_step_get(s, a, user, &t), STORE_OK);
	assert_true(t.confirmed_at == 3000 && t.last_step == 77);
	assert_int_equal(t.recovery_left, RECOVERY_CODE_COUNT);
	/* on: neither a new setup nor a second confirmation touches it */
	assert_int_equal(s->two_step_begin(s, user, "sealed-3", 4000), STORE_CONFLICT);
	assert_int_equal(s->two_step_confirm(s, user, 90, (const char(*)[HASH_HEX_LEN + 1]) hashes, 4000),
	                 STORE_CONFLICT);
	assert_int_equal(s->two_step_get(s, a, user, &t), STORE_OK);
	assert_string_equal(t.secret, "sealed-2");
	assert_true(t.last_step == 77);

	/* confirming without a setup */
	char nobody[ID_LEN + 1];
	store_test_id(nobody);
	assert_int_equal(s->two_step_confirm(s, nobody, 1, (const char(*)[HASH_HEX_LEN + 1]) hashes, 1),
	                 STORE_CONFLICT);
	arena_free(a);
}

static void test_codes_once(void **state)
{
	(void)state;
	struct store *s = store_test;
	char user[ID_LEN + 1], other[ID_LEN + 1];
	store_test_id(user);
	store_test_id(other);
	char hashes[RECOVERY_CODE_COUNT][HASH_HEX_LEN + 1];
	hashes_new(hashes, 'y');
	/* a step before confirmation counts for nothing */
	assert_int_equal(s->two_step_begin(s, user, "sealed", 1), STORE_OK);
	assert_int_equal(s->two_step_use_step(s, user, 100), STORE_NOT_FOUND);
	assert_int_equal(s->two_step_confirm(s, user, 100, (const char(*)[HASH_HEX_LEN + 1]) hashes, 2), STORE_OK);

	assert_int_equal(s->two_step_use_step(s, user, 100), STORE_NOT_FOUND); /* the confirming step */
	assert_int_equal(s->two_step_use_step(s, user, 99), STORE_NOT_FOUND);  /* an older one */
	assert_int_equal(s->two_step_use_step(s, user, 101), STORE_OK);
	assert_int_equal(s->two_step_use_step(s, user, 101), STORE_NOT_FOUND); /* the same twice */
	assert_int_equal(s->two_step_use_step(s, other, 500), STORE_NOT_FOUND);

	assert_int_equal(s->recovery_code_use(s, user, hashes[2], 10), STORE_OK);
	assert_int_equal(s->recovery_code_use(s, user, hashes[2], 11), STORE_NOT_FOUND);
	assert_int_equal(s->recovery_code_use(s, other, hashes[3], 11), STORE_NOT_FOUND); /* not theirs */
	assert_int_equal(s->recovery_code_use(s, user, "no-such-hash", 11), STORE_NOT_FOUND);
	struct store_two_step t;
	assert_int_equal(s->two_step_get(s, NULL, user, &t), STORE_OK);
	assert_int_equal(t.recovery_left, RECOVERY_CODE_COUNT - 1);

	/* off: everything goes; on again: new codes only */
	assert_int_equal(s->two_step_delete(s, user), STORE_OK);
	assert_int_equal(s->two_step_get(s, NULL, user, &t), STORE_NOT_FOUND);
	assert_int_equal(s->two_step_delete(s, user), STORE_NOT_FOUND);
	assert_int_equal(s->two_step_use_step(s, user, 200), STORE_NOT_FOUND);
	assert_int_equal(s->recovery_code_use(s, user, hashes[4], 12), STORE_NOT_FOUND);
	char fresh[RECOVERY_CODE_COUNT][HASH_HEX_LEN + 1];
	hashes_new(fresh, 'z');
	assert_int_equal(s->two_step_begin(s, user, "sealed-again", 20), STORE_OK);
	assert_int_equal(s->two_step_get(s, NULL, user, &t), STORE_OK);
	assert_true(t.last_step == 0 && t.confirmed_at == 0);
	assert_int_equal(s->two_step_confirm(s, user, 300, (const char(*)[HASH_HEX_LEN + 1]) fresh, 21), STORE_OK);
	assert_int_equal(s->recovery_code_use(s, user, hashes[5], 22), STORE_NOT_FOUND);
	assert_int_equal(s->recovery_code_use(s, user, fresh[5], 22), STORE_OK);
}

static void test_tickets(void **state)
{
	(void)state;
	struct store *s = store_test;
	char user[ID_LEN + 1], ticket[ID_LEN + 1], old[ID_LEN + 1], got[ID_LEN + 1];
	store_test_id(user);
	store_test_id(ticket);
	store_test_id(old);
	assert_int_equal(s->login_ticket_insert(s, old, user, 100, 200), STORE_OK);
	assert_int_equal(s->login_ticket_insert(s, ticket, user, 1000, 2000), STORE_OK);
	/* the second insert pruned the expired one */
	assert_int_equal(s->login_ticket_try(s, old, 150, 5, got), STORE_NOT_FOUND);
	for (int i = 0; i < 3; i++) {
		memset(got, 0, sizeof got);
		assert_int_equal(s->login_ticket_try(s, ticket, 1500, 3, got), STORE_OK);
		assert_string_equal(got, user);
	}
	assert_int_equal(s->login_ticket_try(s, ticket, 1500, 3, got), STORE_NOT_FOUND); /* tries used up */
	assert_int_equal(s->login_ticket_try(s, ticket, 1500, 5, got), STORE_OK);
	assert_int_equal(s->login_ticket_try(s, ticket, 2000, 5, got), STORE_NOT_FOUND); /* expired */
	assert_int_equal(s->login_ticket_delete(s, ticket), STORE_OK);
	assert_int_equal(s->login_ticket_try(s, ticket, 1500, 5, got), STORE_NOT_FOUND);

	/* turning two-step off ends the person's tickets */
	char t2[ID_LEN + 1];
	store_test_id(t2);
	assert_int_equal(s->login_ticket_insert(s, t2, user, 1000, 5000), STORE_OK);
	assert_int_equal(s->two_step_begin(s, user, "sealed", 1), STORE_OK);
	assert_int_equal(s->two_step_delete(s, user), STORE_OK);
	assert_int_equal(s->login_ticket_try(s, t2, 1500, 5, got), STORE_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_setup_and_confirm),
	    cmocka_unit_test(test_codes_once),
	    cmocka_unit_test(test_tickets),
	};
	return STORE_TEST_MAIN("test_two_step", tests);
}
