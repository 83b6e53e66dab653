/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.c - check-ins in the store (table checkins). Their scales and
 * texts arrive sealed (domain/keyring.h); the store sees only the ids, the
 * visibility and the times in clear. A check-in written alone has its
 * author's id as space_id.
 */
#include "store_internal.h"

#include <string.h>

DB_QUERY(Q_CHECKIN_INSERT, "INSERT INTO checkins (" CHECKIN_COLUMNS ")"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
DB_QUERY(Q_CHECKIN_GET, "SELECT " CHECKIN_COLUMNS " FROM checkins WHERE id = ?1");
DB_QUERY(Q_CHECKIN_UPDATE, "UPDATE checkins SET updated_at = ?3, scales = ?4,"
                           " appreciation = ?5, need = ?6, worry = ?7, visibility = ?8, item_visibility = ?9"
                           " WHERE id = ?1 AND author_id = ?2");
/*
 * Acknowledgements of a check-in live with the daily question's, in
 * prompt_acks (prompt_ack_put writes them): day_id is the check-in's id,
 * answer_author its author. Deleting the check-in deletes them.
 */
DB_QUERY(Q_ACK_GET, "SELECT kind, created_at, from_id FROM prompt_acks"
                    " WHERE space_id = ?1 AND day_id = ?2 AND answer_author = ?3 ORDER BY created_at DESC LIMIT 1");
DB_QUERY(Q_ACKS_DROP, "DELETE FROM prompt_acks WHERE day_id = ?1 AND answer_author = ?2");
DB_QUERY(Q_DEFAULT_GET, "SELECT checkin_visibility FROM users WHERE id = ?1");
DB_QUERY(Q_DEFAULT_SET, "UPDATE users SET checkin_visibility = ?2 WHERE id = ?1");
DB_QUERY(Q_CHECKIN_DELETE, "DELETE FROM checkins WHERE id = ?1 AND author_id = ?2");
/*
 * Mine, plus the partner's shared ones in the space; newest first, strictly before the (time, id) cursor.
 * Each part reads its own index (checkins_author_time, checkins_space_time) in order and stops at the
 * limit. (One query with an OR over both made SQLite collect and sort every check-in of the couple:
 * MULTI-INDEX OR, then a temporary B-tree, so a read's cost grew with the couple's history.) The two
 * parts never share a row (their authors differ). The last column is the partner's latest reply to the
 * row (as Q_ACK_GET: "created_at from_id kind", NULL for none), read here instead of by one statement
 * per row. How the parts are merged depends on the backend (checkin_list):
 *  - SQLite: two statements stepped side by side and merged in C row by row, so only the rows
 *    the page shows are read (with their replies and texts). One UNION ALL of the parts built
 *    three temporary B-trees and copied every text into each: 40 us a read more than a second
 *    statement.
 *  - PostgreSQL: one statement (a Merge Append of two backward index scans), since each statement is
 *    a round trip: the two statements cost 30 % more there. Its replies are read for the page's rows only.
 */
#define CHECKIN_REPLY(t)                                                                                               \
	"(SELECT k.created_at || ' ' || k.from_id || ' ' || k.kind FROM prompt_acks k"                                 \
	" WHERE k.space_id = " t ".space_id AND k.day_id = " t ".id AND k.answer_author = " t ".author_id"             \
	" ORDER BY k.created_at DESC LIMIT 1)"
DB_QUERY(Q_CHECKIN_MINE,
         "SELECT " CHECKIN_COLUMNS ", " CHECKIN_REPLY(
             "checkins") " FROM checkins"
                         " WHERE author_id = ?1 AND (?2 = 0 OR created_at < ?2 OR (created_at = ?2 AND id < ?3))"
                         " ORDER BY created_at DESC, id DESC LIMIT ?4");
DB_QUERY(Q_CHECKIN_THEIRS,
         "SELECT " CHECKIN_COLUMNS
         ", " CHECKIN_REPLY("checkins") " FROM checkins"
                                        " WHERE space_id = ?1 AND author_id = ?2 AND visibility <> 'private'"
                                        "   AND (?3 = 0 OR created_at < ?3 OR (created_at = ?3 AND id < ?4))"
                                        " ORDER BY created_at DESC, id DESC LIMIT ?5");
#define CHECKIN_AFTER "(?4 = 0 OR created_at < ?4 OR (created_at = ?4 AND id < ?5))"
DB_QUERY(Q_CHECKIN_BOTH,
         "SELECT c.*, " CHECKIN_REPLY(
             "c") " FROM"
                  " (SELECT * FROM (SELECT " CHECKIN_COLUMNS " FROM checkins WHERE author_id = ?1"
                  "     AND " CHECKIN_AFTER " ORDER BY created_at DESC, id DESC LIMIT ?6) AS mine"
                  "   UNION ALL"
                  "   SELECT * FROM (SELECT " CHECKIN_COLUMNS " FROM checkins"
                  "     WHERE space_id = ?2 AND author_id = ?3 AND visibility <> 'private' AND " CHECKIN_AFTER
                  "     ORDER BY created_at DESC, id DESC LIMIT ?6) AS theirs"
                  "   ORDER BY created_at DESC, id DESC LIMIT ?6) AS c"
                  " ORDER BY c.created_at DESC, c.id DESC");

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
	db_col_copy(st, 10, ci->item_visibility, sizeof ci->item_visibility); /* NULL reads as "" */
	memset(ci->hidden, 0, sizeof ci->hidden);
	ci->ack = NULL;
	ci->ack_read = false;
}

/* A listed row: the row, then its latest reply (Q_CHECKIN_LIST's last column). */
static void read_listed(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_checkin *ci = item;
	store_checkin_read(st, a, item);
	ci->ack = db_col_text(st, 11, a);
	ci->ack_read = true;
}

/* "" is stored as NULL: every item has the row's visibility. */
static const char *items_or_null(const struct store_checkin *ci)
{
	return ci->item_visibility[0] ? ci->item_visibility : NULL;
}

static enum store_status checkin_insert(struct store *s, const struct store_checkin *ci)
{
	return db_write(db_of(s), &Q_CHECKIN_INSERT,
	                DB_ARGS(db_text(ci->space_id), db_text(ci->id), db_text(ci->author_id), db_int(ci->created_at),
	                        db_int(ci->updated_at), db_text(ci->sealed.scales), db_text(ci->appreciation),
	                        db_text(ci->need), db_text(ci->worry), db_text(ci->visibility),
	                        db_text(items_or_null(ci))));
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
	                         db_text(ci->worry), db_text(ci->visibility), db_text(items_or_null(ci))));
}

static enum store_status checkin_delete(struct store *s, const char *id, const char *author_id)
{
	enum store_status r = db_change(db_of(s), &Q_CHECKIN_DELETE, DB_ARGS(db_text(id), db_text(author_id)));
	if (r == STORE_OK)
		r = db_write(db_of(s), &Q_ACKS_DROP, DB_ARGS(db_text(id), db_text(author_id)));
	return r;
}

struct ack_row {
	char kind[SEALED_SIZE(16)];
	char from_id[ID_LEN + 1];
	int64_t at;
};

static void read_ack(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct ack_row *k = item;
	db_col_copy(st, 0, k->kind, sizeof k->kind);
	k->at = db_col_int(st, 1);
	db_col_copy(st, 2, k->from_id, sizeof k->from_id);
}

static enum store_status checkin_ack_get(struct store *s, const char *scope_id, const char *checkin_id,
                                         const char *author_id, char kind[SEALED_SIZE(16)], char from_id[ID_LEN + 1],
                                         int64_t *at)
{
	struct ack_row k = {0};
	enum store_status r = db_get(db_of(s), &Q_ACK_GET, NULL, read_ack, &k,
	                             DB_ARGS(db_text(scope_id), db_text(checkin_id), db_text(author_id)));
	memcpy(kind, k.kind, sizeof k.kind);
	memcpy(from_id, k.from_id, sizeof k.from_id);
	*at = k.at;
	return r;
}

/* A step that neither gave a row nor ended the rows. */
static bool db_failed(enum store_status r)
{
	return r != STORE_OK && r != STORE_NOT_FOUND;
}

/*
 * The order of a list, of the current rows of two statements of
 * Q_CHECKIN_MINE's columns: newer first; at the same millisecond, the greater
 * id (both backends compare bytes).
 */
static bool listed_before_row(const struct db_stmt *x, const struct db_stmt *y)
{
	int64_t tx = db_col_int(x, 3), ty = db_col_int(y, 3);
	if (tx != ty)
		return tx > ty;
	char idx[ID_LEN + 1], idy[ID_LEN + 1];
	db_col_copy(x, 1, idx, sizeof idx);
	db_col_copy(y, 1, idy, sizeof idy);
	return strcmp(idx, idy) > 0;
}

static enum store_status checkin_list(struct store *s, struct arena *a, const struct checkin_query *q,
                                      struct store_checkin **items, int *count)
{
	const char *before_id = q->before_id ? q->before_id : "";
	struct db *d = db_of(s);
	if (!d) {
		*count = 0;
		*items = NULL;
		return STORE_BUSY; /* as db_rows answers without a connection */
	}
	if (db_kind(d) != DB_SQLITE) {
		enum store_status r = STORE_OK;
		*items = db_rows(d, &Q_CHECKIN_BOTH, a, sizeof **items, q->limit, read_listed, count, &r,
		                 DB_ARGS(db_text(q->mine_id ? q->mine_id : ""), db_text(q->space_id ? q->space_id : ""),
		                         db_text(q->partner_id ? q->partner_id : ""), db_int(q->before_time),
		                         db_text(before_id), db_int(q->limit)));
		return r;
	}
	/*
	 * Both statements step side by side on this connection (one read
	 * transaction: the same snapshot) and only the row that comes next in
	 * the list is read, so a page of 20 reads about 21 rows, not 40 with
	 * their replies and texts.
	 */
	const struct db_param mine_args[] = {db_text(q->mine_id), db_int(q->before_time), db_text(before_id),
	                                     db_int(q->limit)};
	const struct db_param their_args[] = {db_text(q->space_id), db_text(q->partner_id), db_int(q->before_time),
	                                      db_text(before_id), db_int(q->limit)};
	struct db_stmt *mine = NULL, *theirs = NULL;
	enum store_status rm = STORE_NOT_FOUND, rt = STORE_NOT_FOUND;
	if (q->mine_id && *q->mine_id) {
		mine = db_prepare_args(d, &Q_CHECKIN_MINE, mine_args, 4);
		rm = mine ? db_step(mine) : STORE_ERROR;
	}
	if (!db_failed(rm) && q->space_id && *q->space_id && q->partner_id && *q->partner_id) {
		theirs = db_prepare_args(d, &Q_CHECKIN_THEIRS, their_args, 5);
		rt = theirs ? db_step(theirs) : STORE_ERROR;
	}
	*count = 0;
	*items = arena_alloc(a, sizeof **items * (size_t)(q->limit > 0 ? q->limit : 1));
	while (*count < q->limit && !db_failed(rm) && !db_failed(rt) && (rm == STORE_OK || rt == STORE_OK)) {
		bool take_mine = rt != STORE_OK || (rm == STORE_OK && listed_before_row(mine, theirs));
		memset(&(*items)[*count], 0, sizeof **items);
		read_listed(take_mine ? mine : theirs, a, &(*items)[(*count)++]);
		if (take_mine)
			rm = db_step(mine);
		else
			rt = db_step(theirs);
	}
	if (mine)
		db_done(mine);
	if (theirs)
		db_done(theirs);
	enum store_status r = db_failed(rm) ? rm : db_failed(rt) ? rt : STORE_OK;
	if (r != STORE_OK)
		*count = 0;
	return r;
}

static void read_default(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	db_col_copy(st, 0, item, 16);
}

static enum store_status checkin_default_get(struct store *s, const char *user_id, char out[16])
{
	out[0] = 0;
	return db_get(db_of(s), &Q_DEFAULT_GET, NULL, read_default, out, DB_ARGS(db_text(user_id)));
}

static enum store_status checkin_default_set(struct store *s, const char *user_id, const char *visibility)
{
	return db_change(db_of(s), &Q_DEFAULT_SET, DB_ARGS(db_text(user_id), db_text(visibility)));
}

void store_checkin_init(struct store *s)
{
	s->checkin_default_get = checkin_default_get;
	s->checkin_default_set = checkin_default_set;
	s->checkin_ack_get = checkin_ack_get;
	s->checkin_insert = checkin_insert;
	s->checkin_get = checkin_get;
	s->checkin_update = checkin_update;
	s->checkin_delete = checkin_delete;
	s->checkin_list = checkin_list;
}
