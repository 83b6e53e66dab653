/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.c - the store's private safety checks (see store.h): written once,
 * never shown to a partner, the answers sealed (domain/keyring.h). The list a therapist may see (the ones
 * shared with them) belongs to the therapist feature; this file writes, and reads back only the person's own
 * latest check for a repair, for their own pages.
 */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

/* The answers arrive sealed; share_with_therapist is SMALLINT 0/1 in both databases (as SQLite has no other). */
DB_QUERY(Q_SAFETY_INSERT, "INSERT INTO safety_checks (space_id, id, user_id, afraid, pressured,"
                          " share_with_therapist, created_at, repair_id, moment)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, ''), NULLIF(?9, ''))");
/* The id breaks ties within a millisecond: ids start with the time (util.c). */
DB_QUERY(Q_SAFETY_LATEST, "SELECT id, afraid, pressured, share_with_therapist, created_at FROM safety_checks"
                          " WHERE space_id = ?1 AND repair_id = ?2 AND user_id = ?3 AND moment = ?4"
                          " ORDER BY created_at DESC, id DESC LIMIT 1");

static enum store_status safety_insert(struct store *s, const struct store_safety_check *k)
{
	return db_write(db_of(s), &Q_SAFETY_INSERT,
	                DB_ARGS(db_text(k->scope_id), db_text(k->id), db_text(k->user_id), db_text(k->sealed.afraid),
	                        db_text(k->sealed.pressured), db_int(k->share_with_therapist), db_int(k->created_at),
	                        db_text(k->repair_id), db_text(k->moment)));
}

static void read_latest(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_safety_check *k = item;
	db_col_copy(st, 0, k->id, sizeof k->id);
	db_col_copy(st, 1, k->sealed.afraid, sizeof k->sealed.afraid);
	db_col_copy(st, 2, k->sealed.pressured, sizeof k->sealed.pressured);
	k->share_with_therapist = db_col_int(st, 3) != 0;
	k->created_at = db_col_int(st, 4);
}

static enum store_status safety_latest(struct store *s, const char *scope_id, const char *user_id,
                                       const char *repair_id, const char *moment, struct store_safety_check *k)
{
	memset(k, 0, sizeof *k);
	snprintf(k->scope_id, sizeof k->scope_id, "%s", scope_id);
	snprintf(k->user_id, sizeof k->user_id, "%s", user_id);
	snprintf(k->repair_id, sizeof k->repair_id, "%s", repair_id);
	snprintf(k->moment, sizeof k->moment, "%s", moment);
	return db_get(db_of(s), &Q_SAFETY_LATEST, NULL, read_latest, k,
	              DB_ARGS(db_text(scope_id), db_text(repair_id), db_text(user_id), db_text(moment)));
}

void store_safety_init(struct store *s)
{
	s->safety_insert = safety_insert;
	s->safety_latest = safety_latest;
}
