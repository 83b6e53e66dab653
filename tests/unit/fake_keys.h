/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fake_keys.h - the data keys of an in-memory fake store, for domain unit
 * tests that seal and open texts through the keyring (domain/keyring.h)
 * without a database: the keys themselves (struct fake_keys), the master key
 * file a test binary makes once (struct key_file), and the part every such
 * fake store shares (struct fake_store: the store, its keyring and keys, an
 * arena). Included after <cmocka.h>; static inline, like unit.h.
 */
#ifndef HEARTH_TEST_FAKE_KEYS_H
#define HEARTH_TEST_FAKE_KEYS_H

#include <string.h>
#include <unistd.h>

#include "domain/keyring.h"
#include "util/util.h"
#include "unit.h"

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

/* The master key file of a test binary, in a directory of its own. */
struct key_file {
	char dir[512];
	char path[540];
};

/* Makes the directory (named after the test) that keyring_open then makes the key in; 0 or -1. */
static inline int key_file_make(struct key_file *k, const char *name)
{
	if (temp_dir_make(k->dir, sizeof k->dir, name) < 0)
		return -1;
	snprintf(k->path, sizeof k->path, "%s/master.key", k->dir);
	return 0;
}

static inline void key_file_remove(const struct key_file *k)
{
	unlink(k->path);
	rmdir(k->dir);
}

/*
 * The part of a fake store every sealing test shares. A test's own fake
 * begins with one (so a struct store * casts back to either), and sets the
 * callbacks of its feature after fake_store_init.
 */
struct fake_store {
	struct store store;
	struct fake_keys keys;
	struct arena *arena; /* for the texts the fake keeps */
	/*
	 * A test's fake that makes its calls fail points these at its own fail
	 * and fail_op (NULL: the keys never fail): while *fail is not STORE_OK,
	 * the calls named *fail_op, or every call when it is NULL, answer *fail.
	 * The data key calls are named "datakey".
	 */
	const enum store_status *fail;
	const char *const *fail_op;
};

/* Whether the call named op fails now (see fail above). */
static inline bool fake_store_failing(const struct fake_store *f, const char *op)
{
	return f->fail && *f->fail != STORE_OK && (!*f->fail_op || strcmp(*f->fail_op, op) == 0);
}

static inline enum store_status fake_store_datakey_by_scope(struct store *s, const char *scope, struct store_datakey *k)
{
	struct fake_store *f = (struct fake_store *)s;
	return fake_store_failing(f, "datakey") ? *f->fail : fake_keys_find(&f->keys, true, scope, k);
}

static inline enum store_status fake_store_datakey_by_id(struct store *s, const char *id, struct store_datakey *k)
{
	struct fake_store *f = (struct fake_store *)s;
	return fake_store_failing(f, "datakey") ? *f->fail : fake_keys_find(&f->keys, false, id, k);
}

static inline enum store_status fake_store_datakey_insert(struct store *s, const struct store_datakey *k)
{
	struct fake_store *f = (struct fake_store *)s;
	return fake_store_failing(f, "datakey") ? *f->fail : fake_keys_insert(&f->keys, k);
}

/* Notices of the partner's activity (issue 15): off, as everybody's are until they choose them. */
static inline enum store_status fake_store_notices_off(struct store *s, const char *user_id, struct store_notice *out)
{
	(void)s;
	(void)user_id;
	(void)out;
	return STORE_NOT_FOUND;
}

/* A store with no keys yet, a keyring on the key file (made the first time) and an arena; f was zeroed. */
static inline void fake_store_init(struct fake_store *f, const struct key_file *key)
{
	char err[256];
	f->store.keys = keyring_open(key->path, true, err, sizeof err);
	if (!f->store.keys)
		fail_msg("keyring_open: %s", err);
	f->store.datakey_by_scope = fake_store_datakey_by_scope;
	f->store.datakey_by_id = fake_store_datakey_by_id;
	f->store.datakey_insert = fake_store_datakey_insert;
	f->store.notice_get = fake_store_notices_off; /* an action of the partner's asks it (domain/notice.h) */
	f->arena = arena_new();
}

static inline void fake_store_cleanup(struct fake_store *f)
{
	keyring_free(f->store.keys);
	arena_free(f->arena);
}

#endif
