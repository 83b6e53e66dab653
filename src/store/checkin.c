/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.c - check-ins in the store (table checkins). Their texts arrive
 * sealed (domain/keyring.h); the store sees only the numbers, the
 * visibility and the times in clear. A check-in written alone has its
 * author's id as space_id.
 */
#include "store_internal.h"

#define CHECKIN_COLUMNS                                                                                                \
	"space_id, id, author_id, created_at, updated_at, mood, connection, secure, "                                  \
	"appreciation, need, worry, visibility"

DB_QUERY(Q_CHECKIN_INSERT, "INSERT INTO checkins (" CHECKIN_COLUMNS ")"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
DB_QUERY(Q_CHECKIN_GET, "SELECT " CHECKIN_COLUMNS " FROM checkins WHERE id = ?1");
DB_QUERY(Q_CHECKIN_UPDATE, "UPDATE checkins SET updated_at = ?3, mood = ?4, connection = ?5, secure = ?6,"
                           " appreciation = ?7, need = ?8, worry = ?9, visibility = ?10"
                           " WHERE id = ?1 AND author_id = ?2");
DB_QUERY(Q_CHECKIN_DELETE, "DELETE FROM checkins WHERE id = ?1 AND author_id = ?2");
/* Mine, plus the partner's shared ones in the space; newest first, strictly before the (time, id) cursor. */
DB_QUERY(Q_CHECKIN_LIST, "SELECT " CHECKIN_COLUMNS " FROM checkins"
                         " WHERE (author_id = ?1 OR (space_id = ?2 AND author_id = ?3 AND visibility <> 'private'))"
                         "   AND (?4 = 0 OR created_at < ?4 OR (created_at = ?4 AND id < ?5))"
                         " ORDER BY created_at DESC, id DESC LIMIT ?6");

/* Binds the fields from updated_at on, starting at parameter `first`: 8 parameters. */
static void bind_fields(struct db_stmt *st, int first, const struct store_checkin *ci)
{
	db_bind_int(st, first, ci->updated_at);
	db_bind_int(st, first + 1, ci->mood);
	db_bind_int(st, first + 2, ci->connection);
	db_bind_int(st, first + 3, ci->secure);
	db_bind_text(st, first + 4, ci->appreciation);
	db_bind_text(st, first + 5, ci->need);
	db_bind_text(st, first + 6, ci->worry);
	db_bind_text(st, first + 7, ci->visibility);
}

static void read_checkin(const struct db_stmt *st, struct arena *a, struct store_checkin *ci)
{
	db_col_copy(st, 0, ci->space_id, sizeof ci->space_id);
	db_col_copy(st, 1, ci->id, sizeof ci->id);
	db_col_copy(st, 2, ci->author_id, sizeof ci->author_id);
	ci->created_at = db_col_int(st, 3);
	ci->updated_at = db_col_int(st, 4);
	ci->mood = (int)db_col_int(st, 5);
	ci->connection = (int)db_col_int(st, 6);
	ci->secure = (int)db_col_int(st, 7);
	ci->appreciation = db_col_text(st, 8, a);
	ci->need = db_col_text(st, 9, a);
	ci->worry = db_col_text(st, 10, a);
	db_col_copy(st, 11, ci->visibility, sizeof ci->visibility);
}

static enum store_status checkin_insert(struct store *s, const struct store_checkin *ci)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_CHECKIN_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, ci->space_id);
	db_bind_text(st, 2, ci->id);
	db_bind_text(st, 3, ci->author_id);
	db_bind_int(st, 4, ci->created_at);
	bind_fields(st, 5, ci);
	return db_run(st);
}

static enum store_status checkin_get(struct store *s, struct arena *a, const char *id, struct store_checkin *ci)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_CHECKIN_GET);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, id);
	enum store_status r = db_step(st);
	if (r == STORE_OK)
		read_checkin(st, a, ci);
	db_done(st);
	return r;
}

/* Runs a write of one author's check-in: STORE_NOT_FOUND when it touched no row. */
static enum store_status run_owned(struct db_stmt *st)
{
	enum store_status r = db_exec(st);
	if (r == STORE_OK && db_changes(st) == 0)
		r = STORE_NOT_FOUND;
	db_done(st);
	return r;
}

static enum store_status checkin_update(struct store *s, const struct store_checkin *ci)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_CHECKIN_UPDATE);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, ci->id);
	db_bind_text(st, 2, ci->author_id);
	bind_fields(st, 3, ci);
	return run_owned(st);
}

static enum store_status checkin_delete(struct store *s, const char *id, const char *author_id)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_CHECKIN_DELETE);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, author_id);
	return run_owned(st);
}

static enum store_status checkin_list(struct store *s, struct arena *a, const struct checkin_query *q,
                                      struct store_checkin **items, int *count)
{
	*count = 0;
	*items = arena_alloc(a, sizeof(struct store_checkin) * (size_t)(q->limit > 0 ? q->limit : 1));
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_CHECKIN_LIST);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, q->mine_id ? q->mine_id : "");
	db_bind_text(st, 2, q->space_id ? q->space_id : "");
	db_bind_text(st, 3, q->partner_id ? q->partner_id : "");
	db_bind_int(st, 4, q->before_time);
	db_bind_text(st, 5, q->before_id ? q->before_id : "");
	db_bind_int(st, 6, q->limit);
	enum store_status r = STORE_NOT_FOUND;
	while (*count < q->limit && (r = db_step(st)) == STORE_OK)
		read_checkin(st, a, &(*items)[(*count)++]);
	db_done(st);
	return *count == q->limit || r == STORE_NOT_FOUND ? STORE_OK : r;
}

void store_checkin_init(struct store *s)
{
	s->checkin_insert = checkin_insert;
	s->checkin_get = checkin_get;
	s->checkin_update = checkin_update;
	s->checkin_delete = checkin_delete;
	s->checkin_list = checkin_list;
}
