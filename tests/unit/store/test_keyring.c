/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_keyring.c - unit tests for the store's data keys (src/store/keyring.c)
 * on both databases: insert and read back by scope and by id, one key per
 * scope, not found, the list in id order, and a rewrap of several keys.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

static struct store_datakey key_new(const char *wrapped)
{
	struct store_datakey k = {0};
	store_test_id(k.id);
	store_test_id(k.scope_id);
	snprintf(k.master_id, sizeof k.master_id, "m1");
	snprintf(k.wrapped, sizeof k.wrapped, "%s", wrapped);
	return k;
}

static void assert_key_equal(const struct store_datakey *a, const struct store_datakey *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->scope_id, b->scope_id);
	assert_string_equal(a->master_id, b->master_id);
	assert_string_equal(a->wrapped, b->wrapped);
}

static void test_insert_and_get(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_datakey k = key_new("wrapped-bytes-as-text"), got;
	assert_int_equal(s->datakey_insert(s, &k), STORE_OK);
	assert_int_equal(s->datakey_by_scope(s, k.scope_id, &got), STORE_OK);
	assert_key_equal(&got, &k);
	memset(&got, 0, sizeof got);
	assert_int_equal(s->datakey_by_id(s, k.id, &got), STORE_OK);
	assert_key_equal(&got, &k);
}

static void test_one_per_scope(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_datakey k = key_new("a"), other = key_new("b");
	memcpy(other.scope_id, k.scope_id, sizeof k.scope_id);
	assert_int_equal(s->datakey_insert(s, &k), STORE_OK);
	assert_int_equal(s->datakey_insert(s, &other), STORE_CONFLICT);
	struct store_datakey got;
	assert_int_equal(s->datakey_by_id(s, other.id, &got), STORE_NOT_FOUND);
	assert_int_equal(s->datakey_by_scope(s, other.id, &got), STORE_NOT_FOUND);
}

static void test_all_in_id_order_and_rewrap(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_datakey keys[3] = {key_new("x"), key_new("y"), key_new("z")};
	for (int i = 0; i < 3; i++)
		assert_int_equal(s->datakey_insert(s, &keys[i]), STORE_OK);
	for (int i = 0; i < 3; i++) {
		snprintf(keys[i].master_id, sizeof keys[i].master_id, "m2");
		snprintf(keys[i].wrapped, sizeof keys[i].wrapped, "rewrapped-%d", i);
	}
	assert_int_equal(s->datakey_rewrap(s, keys, 3), STORE_OK);

	struct arena *a = arena_new();
	struct store_datakey *all = NULL;
	int count = 0, found = 0;
	assert_int_equal(s->datakey_all(s, a, &all, &count), STORE_OK);
	assert_true(count >= 3);
	for (int i = 0; i < count; i++) {
		if (i > 0)
			assert_true(strcmp(all[i - 1].id, all[i].id) < 0);
		for (int k = 0; k < 3; k++)
			if (strcmp(all[i].id, keys[k].id) == 0) {
				assert_key_equal(&all[i], &keys[k]);
				found++;
			}
	}
	assert_int_equal(found, 3);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_and_get),
	    cmocka_unit_test(test_one_per_scope),
	    cmocka_unit_test(test_all_in_id_order_and_rewrap),
	};
	return STORE_TEST_MAIN("test_keyring", tests);
}
