/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * keyring.c - the store's data keys (table data_keys): one key per scope (a
 * space, or a person alone), wrapped under a master key (domain/keyring.h
 * does the sealing; the store only keeps the wrapped bytes as text).
 */
#include "store_internal.h"

#define DATAKEY_COLUMNS "id, scope_id, master_id, wrapped"

DB_QUERY(Q_DATAKEY_BY_SCOPE, "SELECT " DATAKEY_COLUMNS " FROM data_keys WHERE scope_id = ?1");
DB_QUERY(Q_DATAKEY_BY_ID, "SELECT " DATAKEY_COLUMNS " FROM data_keys WHERE id = ?1");
DB_QUERY(Q_DATAKEY_INSERT, "INSERT INTO data_keys (" DATAKEY_COLUMNS ", created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
/* Ids sort bytewise on both databases (COLLATE "C" is the SQLite default). */
DB_QUERY(Q_DATAKEY_ALL, "SELECT " DATAKEY_COLUMNS " FROM data_keys ORDER BY id COLLATE \"C\"");
DB_QUERY(Q_DATAKEY_REWRAP, "UPDATE data_keys SET master_id = ?2, wrapped = ?3 WHERE id = ?1");

/* Keys listed at most: far above the number of spaces and people an instance serves. */
#define DATAKEYS_MAX (1 << 22)

static void read_datakey(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_datakey *k = item;
	db_col_copy(st, 0, k->id, sizeof k->id);
	db_col_copy(st, 1, k->scope_id, sizeof k->scope_id);
	db_col_copy(st, 2, k->master_id, sizeof k->master_id);
	db_col_copy(st, 3, k->wrapped, sizeof k->wrapped);
}

static enum store_status datakey_by_scope(struct store *s, const char *scope_id, struct store_datakey *k)
{
	return db_get(db_of(s), &Q_DATAKEY_BY_SCOPE, NULL, read_datakey, k, DB_ARGS(db_text(scope_id)));
}

static enum store_status datakey_by_id(struct store *s, const char *id, struct store_datakey *k)
{
	return db_get(db_of(s), &Q_DATAKEY_BY_ID, NULL, read_datakey, k, DB_ARGS(db_text(id)));
}

static enum store_status datakey_insert(struct store *s, const struct store_datakey *k)
{
	return db_write(db_of(s), &Q_DATAKEY_INSERT,
	                DB_ARGS(db_text(k->id), db_text(k->scope_id), db_text(k->master_id), db_text(k->wrapped),
	                        db_int(now_ms())));
}

static enum store_status datakey_all(struct store *s, struct arena *a, struct store_datakey **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_DATAKEY_ALL, a, sizeof **items, DATAKEYS_MAX, read_datakey, count, &r, NULL, 0);
	return r;
}

struct rewrap {
	const struct store_datakey *items;
	int count;
};

static enum store_status rewrap_all(struct db *d, void *ctx)
{
	const struct rewrap *w = ctx;
	enum store_status r = STORE_OK;
	for (int i = 0; i < w->count && r == STORE_OK; i++)
		r = db_write(
		    d, &Q_DATAKEY_REWRAP,
		    DB_ARGS(db_text(w->items[i].id), db_text(w->items[i].master_id), db_text(w->items[i].wrapped)));
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
