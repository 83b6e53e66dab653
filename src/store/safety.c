/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.c - the store's private safety checks (see store.h): written once,
 * never shown to a partner, the answers sealed (domain/keyring.h). The list a therapist may see (the ones shared with
 * them) belongs to the therapist feature; this file only writes.
 */
#include "store_internal.h"

/* The answers arrive sealed; share_with_therapist is SMALLINT 0/1 in both databases (as SQLite has no other). */
DB_QUERY(Q_SAFETY_INSERT, "INSERT INTO safety_checks (space_id, id, user_id, afraid, pressured,"
                          " share_with_therapist, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

static enum store_status safety_insert(struct store *s, const struct store_safety_check *k)
{
	return db_write(db_of(s), &Q_SAFETY_INSERT,
	                DB_ARGS(db_text(k->scope_id), db_text(k->id), db_text(k->user_id), db_text(k->sealed.afraid),
	                        db_text(k->sealed.pressured), db_int(k->share_with_therapist), db_int(k->created_at)));
}

void store_safety_init(struct store *s)
{
	s->safety_insert = safety_insert;
}
