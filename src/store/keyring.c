/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * keyring.c - the store's data keys (table data_keys): one key per scope (a
 * space, or a person alone), wrapped under a master key (domain/keyring.h
 * does the sealing; the store only keeps the wrapped bytes as text).
 */
#include "store_internal.h"

#include <string.h>

#define DATAKEY_COLUMNS "id, scope_id, master_id, wrapped"

DB_QUERY(Q_DATAKEY_BY_SCOPE, "SELECT " DATAKEY_COLUMNS " FROM data_keys WHERE scope_id = ?1");
DB_QUERY(Q_DATAKEY_BY_ID, "SELECT " DATAKEY_COLUMNS " FROM data_keys WHERE id = ?1");
DB_QUERY(Q_DATAKEY_INSERT, "INSERT INTO data_keys (" DATAKEY_COLUMNS ", created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
/* Ids sort bytewise on both databases (COLLATE "C" is the SQLite default). */
DB_QUERY(Q_DATAKEY_ALL, "SELECT " DATAKEY_COLUMNS " FROM data_keys ORDER BY id COLLATE \"C\"");
DB_QUERY(Q_DATAKEY_REWRAP, "UPDATE data_keys SET master_id = ?2, wrapped = ?3 WHERE id = ?1");

/* Keys ever listed at once: far above the number of spaces and people an instance serves. */
#define DATAKEYS_MAX (1 << 22)

static void read_datakey(const struct db_stmt *st, struct store_datakey *k)
{
	db_col_copy(st, 0, k->id, sizeof k->id);
	db_col_copy(st, 1, k->scope_id, sizeof k->scope_id);
	db_col_copy(st, 2, k->master_id, sizeof k->master_id);
	db_col_copy(st, 3, k->wrapped, sizeof k->wrapped);
}

static enum store_status datakey_one(struct store *s, const struct db_query *q, const char *key,
                                     struct store_datakey *k)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, q);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, key);
	enum store_status r = db_step(st);
	if (r == STORE_OK)
		read_datakey(st, k);
	db_done(st);
	return r;
}

static enum store_status datakey_by_scope(struct store *s, const char *scope_id, struct store_datakey *k)
{
	return datakey_one(s, &Q_DATAKEY_BY_SCOPE, scope_id, k);
}

static enum store_status datakey_by_id(struct store *s, const char *id, struct store_datakey *k)
{
	return datakey_one(s, &Q_DATAKEY_BY_ID, id, k);
}

static enum store_status datakey_insert(struct store *s, const struct store_datakey *k)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_DATAKEY_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, k->id);
	db_bind_text(st, 2, k->scope_id);
	db_bind_text(st, 3, k->master_id);
	db_bind_text(st, 4, k->wrapped);
	db_bind_int(st, 5, now_ms());
	return db_run(st);
}

static enum store_status datakey_all(struct store *s, struct arena *a, struct store_datakey **items, int *count)
{
	*count = 0;
	*items = NULL;
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_DATAKEY_ALL);
	if (!st)
		return STORE_ERROR;
	int alloc = 64;
	enum store_status r;
	*items = arena_alloc(a, sizeof **items * (size_t)alloc);
	while ((r = db_step(st)) == STORE_OK) {
		if (*count == alloc) {
			if (alloc >= DATAKEYS_MAX) {
				r = STORE_ERROR;
				break;
			}
			struct store_datakey *bigger = arena_alloc(a, sizeof **items * (size_t)alloc * 2);
			memcpy(bigger, *items, sizeof **items * (size_t)alloc);
			*items = bigger;
			alloc *= 2;
		}
		read_datakey(st, &(*items)[(*count)++]);
	}
	db_done(st);
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

struct rewrap {
	const struct store_datakey *items;
	int count;
};

static enum store_status rewrap_all(struct db *d, void *ctx)
{
	const struct rewrap *w = ctx;
	enum store_status r = STORE_OK;
	for (int i = 0; i < w->count && r == STORE_OK; i++) {
		struct db_stmt *st = db_prepare(d, &Q_DATAKEY_REWRAP);
		if (!st)
			return STORE_ERROR;
		db_bind_text(st, 1, w->items[i].id);
		db_bind_text(st, 2, w->items[i].master_id);
		db_bind_text(st, 3, w->items[i].wrapped);
		r = db_run(st);
	}
	return r;
}

static enum store_status datakey_rewrap(struct store *s, const struct store_datakey *items, int count)
{
	struct rewrap w = {items, count};
	return tx_run(s, rewrap_all, &w);
}

void store_keyring_init(struct store *s)
{
	s->datakey_by_scope = datakey_by_scope;
	s->datakey_by_id = datakey_by_id;
	s->datakey_insert = datakey_insert;
	s->datakey_all = datakey_all;
	s->datakey_rewrap = datakey_rewrap;
}
