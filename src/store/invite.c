/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * invite.c - a space's invite codes in the store: making one, listing the
 * pending ones and revoking one. A code is stored only as its hash; what a
 * member sees of a pending code is its id and its times. Using a code, and
 * voiding the others when someone joins or leaves, belong to the join and
 * leave rules in space.c, which run them inside their own transactions.
 *
 * A code is pending while it is unused and unexpired. Expired codes are of no
 * use to anyone, so making a new code removes the space's expired ones.
 */
#include "store_internal.h"

/* At most this many pending codes are listed per page (the domain asks for fewer). */
#define INVITES_PAGE_MAX 101

DB_QUERY(Q_INVITE_INSERT, "INSERT INTO invites (space_id, id, code_hash, created_by, created_at, expires_at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
DB_QUERY(Q_INVITES_PRUNE, "DELETE FROM invites WHERE space_id = ?1 AND used_at IS NULL AND expires_at <= ?2");
DB_QUERY(Q_INVITE_LIST, "SELECT id, created_at, expires_at FROM invites"
                        " WHERE space_id = ?1 AND used_at IS NULL AND expires_at > ?2"
                        " AND (?3 = 0 OR created_at < ?3 OR (created_at = ?3 AND id < ?4))"
                        " ORDER BY created_at DESC, id DESC LIMIT ?5");
DB_QUERY(Q_INVITE_REVOKE, "DELETE FROM invites WHERE space_id = ?1 AND id = ?2 AND used_at IS NULL");

struct insert {
	const char *space_id, *id, *code_hash, *created_by;
	int64_t now, expires_at;
};

static enum store_status insert_fn(struct db *d, void *ctx)
{
	const struct insert *c = ctx;
	enum store_status r = db_write(d, &Q_INVITES_PRUNE, DB_ARGS(db_text(c->space_id), db_int(c->now)));
	if (r == STORE_OK)
		r = db_write(d, &Q_INVITE_INSERT,
		             DB_ARGS(db_text(c->space_id), db_text(c->id), db_text(c->code_hash),
		                     db_text(c->created_by), db_int(c->now), db_int(c->expires_at)));
	return r;
}

static enum store_status invite_insert(struct store *s, const char *space_id, const char *id, const char *code_hash,
                                       const char *created_by, int64_t now, int64_t expires_at)
{
	struct insert c = {space_id, id, code_hash, created_by, now, expires_at};
	return tx_run(s, insert_fn, &c);
}

static void read_invite(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_invite *i = item;
	db_col_copy(st, 0, i->id, sizeof i->id);
	i->created_at = db_col_int(st, 1);
	i->expires_at = db_col_int(st, 2);
}

static enum store_status invite_list(struct store *s, struct arena *a, const char *space_id, int64_t now,
                                     int64_t before_time, const char *before_id, int limit, struct store_invite **items,
                                     int *count)
{
	if (limit > INVITES_PAGE_MAX)
		limit = INVITES_PAGE_MAX;
	enum store_status r;
	*items = db_rows(db_of(s), &Q_INVITE_LIST, a, sizeof **items, limit, read_invite, count, &r,
	                 DB_ARGS(db_text(space_id), db_int(now), db_int(before_time),
	                         db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

static enum store_status invite_revoke(struct store *s, const char *space_id, const char *id)
{
	return db_change(db_of(s), &Q_INVITE_REVOKE, DB_ARGS(db_text(space_id), db_text(id)));
}

void store_invite_init(struct store *s)
{
	s->invite_insert = invite_insert;
	s->invite_list = invite_list;
	s->invite_revoke = invite_revoke;
}
