/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * break.c - a break with a promise to return (issue 14, migration 019), for
 * both databases (see store.h and db.h). A person has one row at most: the
 * primary key is theirs, so two breaks at once cannot exist even when two
 * requests race. The note arrives sealed; this file only stores it. Ending a
 * break deletes its row (no history of breaks is kept); deleting an account
 * deletes it too (account.c).
 */
#include "store_internal.h"

#include <assert.h>

DB_QUERY(Q_BREAK_GET, "SELECT id, user_id, started_at, until_at, note FROM breaks WHERE user_id = ?1");
/* A break whose time has come but that was not ended makes room for a new one. */
DB_QUERY(Q_BREAK_CLEAR_OVER, "DELETE FROM breaks WHERE user_id = ?1 AND until_at <= ?2");
DB_QUERY(Q_BREAK_INSERT, "INSERT INTO breaks (user_id, id, started_at, until_at, note) VALUES (?1, ?2, ?3, ?4, ?5)"
                         " ON CONFLICT (user_id) DO NOTHING");
DB_QUERY(Q_BREAK_END, "DELETE FROM breaks WHERE user_id = ?1");

static void read_break(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_break *b = item;
	db_col_copy(st, 0, b->id, sizeof b->id);
	db_col_copy(st, 1, b->user_id, sizeof b->user_id);
	b->started_at = db_col_int(st, 2);
	b->until_at = db_col_int(st, 3);
	b->note = db_col_text(st, 4, a);
}

static enum store_status break_get(struct store *s, struct arena *a, const char *user_id, struct store_break *out)
{
	*out = (struct store_break){0};
	return db_get(db_of(s), &Q_BREAK_GET, a, read_break, out, DB_ARGS(db_text(user_id)));
}

struct start_ctx {
	const struct store_break *b;
	int64_t now;
};

/* The over one goes, then the new one; a running one stays and the insert changes nothing. */
static enum store_status break_start_tx(struct db *d, void *ctx)
{
	const struct start_ctx *c = ctx;
	const struct store_break *b = c->b;
	enum store_status r = db_write(d, &Q_BREAK_CLEAR_OVER, DB_ARGS(db_text(b->user_id), db_int(c->now)));
	if (r != STORE_OK)
		return r;
	r = db_change(
	    d, &Q_BREAK_INSERT,
	    DB_ARGS(db_text(b->user_id), db_text(b->id), db_int(b->started_at), db_int(b->until_at), db_text(b->note)));
	return r == STORE_NOT_FOUND ? STORE_CONFLICT : r;
}

static enum store_status break_start(struct store *s, const struct store_break *b, int64_t now)
{
	assert(b && b->user_id[0] && b->id[0]);
	struct start_ctx ctx = {.b = b, .now = now};
	return tx_run(s, break_start_tx, &ctx);
}

static enum store_status break_end(struct store *s, const char *user_id)
{
	return db_change(db_of(s), &Q_BREAK_END, DB_ARGS(db_text(user_id)));
}

void store_break_init(struct store *s)
{
	s->break_get = break_get;
	s->break_start = break_start;
	s->break_end = break_end;
}
