/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fake_keys.h - the data keys of an in-memory fake store, for domain unit
 * tests that seal and open texts through the keyring (domain/keyring.h)
 * without a database. Included after <cmocka.h> and store.h; static inline,
 * like unit.h.
 */
#ifndef HEARTH_TEST_FAKE_KEYS_H
#define HEARTH_TEST_FAKE_KEYS_H

#include <string.h>

#define FAKE_KEYS_MAX 16

struct fake_keys {
	struct store_datakey keys[FAKE_KEYS_MAX];
	int count;
};

/* The key of a scope (by_scope) or with an id (!by_scope), as the store's datakey_by_* answer. */
static inline enum store_status fake_keys_find(const struct fake_keys *f, bool by_scope, const char *want,
                                               struct store_datakey *out)
{
	for (int i = 0; i < f->count; i++)
		if (strcmp(by_scope ? f->keys[i].scope_id : f->keys[i].id, want) == 0) {
			*out = f->keys[i];
			return STORE_OK;
		}
	return STORE_NOT_FOUND;
}

/* As the store's datakey_insert: STORE_CONFLICT when the scope has a key already. */
static inline enum store_status fake_keys_insert(struct fake_keys *f, const struct store_datakey *k)
{
	for (int i = 0; i < f->count; i++)
		if (strcmp(f->keys[i].scope_id, k->scope_id) == 0)
			return STORE_CONFLICT;
	assert_true(f->count < FAKE_KEYS_MAX);
	f->keys[f->count++] = *k;
	return STORE_OK;
}

#endif
