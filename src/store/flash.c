/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * flash.c - a session's flash in the store (table session_flashes, migration
 * 012): one short-lived value a page shows once after a redirect (the new
 * invite code after POST-redirect-GET), never in a URL. The value arrives
 * sealed; taking it deletes it, and putting one removes every expired flash.
 */
#include "store_internal.h"

#include <string.h>

DB_QUERY(Q_FLASH_PRUNE, "DELETE FROM session_flashes WHERE expires_at <= ?1");
DB_QUERY(Q_FLASH_PUT, "INSERT INTO session_flashes (token_hash, kind, scope_id, value, expires_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (token_hash) DO UPDATE SET kind = excluded.kind,"
                      " scope_id = excluded.scope_id, value = excluded.value, expires_at = excluded.expires_at");
/* Read and deleted in one statement: two requests racing for a flash cannot both show it. */
DB_QUERY(Q_FLASH_TAKE, "DELETE FROM session_flashes WHERE token_hash = ?1 AND kind = ?2 AND expires_at > ?3"
                       " RETURNING scope_id, value");

struct put {
	const char *token_hash, *kind, *scope_id, *value;
	int64_t now, expires_at;
};

static enum store_status put_fn(struct db *d, void *ctx)
{
	const struct put *c = ctx;
	enum store_status r = db_write(d, &Q_FLASH_PRUNE, DB_ARGS(db_int(c->now)));
	if (r == STORE_OK)
		r = db_write(d, &Q_FLASH_PUT,
		             DB_ARGS(db_text(c->token_hash), db_text(c->kind), db_text(c->scope_id), db_text(c->value),
		                     db_int(c->expires_at)));
	return r;
}

static enum store_status flash_put(struct store *s, const char *token_hash, const char *kind, const char *scope_id,
                                   const char *sealed, int64_t now, int64_t expires_at)
{
	struct put c = {token_hash, kind, scope_id, sealed, now, expires_at};
	return tx_run(s, put_fn, &c);
}

struct flash_row {
	char scope_id[ID_LEN + 1];
	char *value;
};

static void read_flash(const struct db_stmt *st, struct arena *a, void *item)
{
	struct flash_row *f = item;
	db_col_copy(st, 0, f->scope_id, sizeof f->scope_id);
	f->value = db_col_text(st, 1, a);
}

/* The session's flash of this kind, deleted as it is read; STORE_NOT_FOUND when there is none. */
static enum store_status flash_take(struct store *s, struct arena *a, const char *token_hash, const char *kind,
                                    int64_t now, char scope_id[ID_LEN + 1], char **sealed)
{
	struct flash_row f = {0};
	enum store_status r = db_get(db_of(s), &Q_FLASH_TAKE, a, read_flash, &f,
	                             DB_ARGS(db_text(token_hash), db_text(kind), db_int(now)));
	if (r != STORE_OK)
		return r;
	memcpy(scope_id, f.scope_id, ID_LEN + 1);
	*sealed = f.value;
	return STORE_OK;
}

void store_flash_init(struct store *s)
{
	s->flash_put = flash_put;
	s->flash_take = flash_take;
}
