/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.c - the store's private safety checks (see store.h): written once,
 * never shown to a partner. The list a therapist may see (the ones shared with
 * them) belongs to the therapist feature; this file only writes.
 */
#include "db.h"
#include "store_internal.h"

/* The booleans are SMALLINT 0/1 in both databases (as SQLite has no other). */
DB_QUERY(Q_SAFETY_INSERT, "INSERT INTO safety_checks (space_id, id, user_id, afraid, pressured,"
                          " share_with_therapist, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

static enum store_status safety_insert(struct store *s, const struct store_safety_check *k)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SAFETY_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, k->scope_id);
	db_bind_text(st, 2, k->id);
	db_bind_text(st, 3, k->user_id);
	db_bind_int(st, 4, k->afraid);
	db_bind_int(st, 5, k->pressured);
	db_bind_int(st, 6, k->share_with_therapist);
	db_bind_int(st, 7, k->created_at);
	return db_run(st);
}

void store_safety_init(struct store *s)
{
	s->safety_insert = safety_insert;
}
