/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.c - check-ins in the store (table checkins). Their scales and
 * texts arrive sealed (domain/keyring.h); the store sees only the ids, the
 * visibility and the times in clear. A check-in written alone has its
 * author's id as space_id.
 */
#include "store_internal.h"

DB_QUERY(Q_CHECKIN_INSERT, "INSERT INTO checkins (" CHECKIN_COLUMNS ")"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
DB_QUERY(Q_CHECKIN_GET, "SELECT " CHECKIN_COLUMNS " FROM checkins WHERE id = ?1");
DB_QUERY(Q_CHECKIN_UPDATE, "UPDATE checkins SET updated_at = ?3, scales = ?4,"
                           " appreciation = ?5, need = ?6, worry = ?7, visibility = ?8"
                           " WHERE id = ?1 AND author_id = ?2");
DB_QUERY(Q_CHECKIN_DELETE, "DELETE FROM checkins WHERE id = ?1 AND author_id = ?2");
/* Mine, plus the partner's shared ones in the space; newest first, strictly before the (time, id) cursor. */
DB_QUERY(Q_CHECKIN_LIST, "SELECT " CHECKIN_COLUMNS " FROM checkins"
                         " WHERE (author_id = ?1 OR (space_id = ?2 AND author_id = ?3 AND visibility <> 'private'))"
                         "   AND (?4 = 0 OR created_at < ?4 OR (created_at = ?4 AND id < ?5))"
                         " ORDER BY created_at DESC, id DESC LIMIT ?6");

void store_checkin_read(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_checkin *ci = item;
	db_col_copy(st, 0, ci->space_id, sizeof ci->space_id);
	db_col_copy(st, 1, ci->id, sizeof ci->id);
	db_col_copy(st, 2, ci->author_id, sizeof ci->author_id);
	ci->created_at = db_col_int(st, 3);
	ci->updated_at = db_col_int(st, 4);
	db_col_copy(st, 5, ci->sealed.scales, sizeof ci->sealed.scales);
	ci->appreciation = db_col_text(st, 6, a);
	ci->need = db_col_text(st, 7, a);
	ci->worry = db_col_text(st, 8, a);
	db_col_copy(st, 9, ci->visibility, sizeof ci->visibility);
}

static enum store_status checkin_insert(struct store *s, const struct store_checkin *ci)
{
	return db_write(db_of(s), &Q_CHECKIN_INSERT,
	                DB_ARGS(db_text(ci->space_id), db_text(ci->id), db_text(ci->author_id), db_int(ci->created_at),
	                        db_int(ci->updated_at), db_text(ci->sealed.scales), db_text(ci->appreciation),
	                        db_text(ci->need), db_text(ci->worry), db_text(ci->visibility)));
}

static enum store_status checkin_get(struct store *s, struct arena *a, const char *id, struct store_checkin *ci)
{
	return db_get(db_of(s), &Q_CHECKIN_GET, a, store_checkin_read, ci, DB_ARGS(db_text(id)));
}

/* Only the author's own check-in changes: STORE_NOT_FOUND for anyone else's. */
static enum store_status checkin_update(struct store *s, const struct store_checkin *ci)
{
	return db_change(db_of(s), &Q_CHECKIN_UPDATE,
	                 DB_ARGS(db_text(ci->id), db_text(ci->author_id), db_int(ci->updated_at),
	                         db_text(ci->sealed.scales), db_text(ci->appreciation), db_text(ci->need),
	                         db_text(ci->worry), db_text(ci->visibility)));
}

static enum store_status checkin_delete(struct store *s, const char *id, const char *author_id)
{
	return db_change(db_of(s), &Q_CHECKIN_DELETE, DB_ARGS(db_text(id), db_text(author_id)));
}

static enum store_status checkin_list(struct store *s, struct arena *a, const struct checkin_query *q,
                                      struct store_checkin **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_CHECKIN_LIST, a, sizeof **items, q->limit, store_checkin_read, count, &r,
	                 DB_ARGS(db_text(q->mine_id ? q->mine_id : ""), db_text(q->space_id ? q->space_id : ""),
	                         db_text(q->partner_id ? q->partner_id : ""), db_int(q->before_time),
	                         db_text(q->before_id ? q->before_id : ""), db_int(q->limit)));
	return r;
}

void store_checkin_init(struct store *s)
{
	s->checkin_insert = checkin_insert;
	s->checkin_get = checkin_get;
	s->checkin_update = checkin_update;
	s->checkin_delete = checkin_delete;
	s->checkin_list = checkin_list;
}
