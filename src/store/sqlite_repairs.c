/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite_repairs.c - the SQLite backend for repairs, their sides, and safety
 * checks (see store.h). Texts arrive sealed; this file only stores them.
 */
#include <string.h>

#include "sqlite_internal.h"

enum {
	REPAIR_INSERT = SQ_REPAIRS_BASE,
	REPAIR_GET,
	REPAIR_LIST,
	SIDES_GET,
	SIDE_UPSERT,
	SIDE_SUBMIT,
	SIDE_ACK,
	SIDE_STATE,
	SAFETY_INSERT = SQ_SAFETY_BASE,
};

#define REPAIR_COLUMNS "space_id, id, created_by, title, coalesce(occurred_on, ''), created_at, solo"
#define SIDE_COLUMNS                                                                                              \
	"space_id, repair_id, author_id, feelings, perspective, touched, my_part, next_time, updated_at,"       \
	" coalesce(submitted_at, 0), coalesce(acknowledged_at, 0), ack_note"

static void read_repair(sqlite3_stmt *st, struct arena *a, struct store_repair *r)
{
	memset(r, 0, sizeof *r);
	sq_copy_col(st, 0, r->space_id, sizeof r->space_id);
	sq_copy_col(st, 1, r->id, sizeof r->id);
	sq_copy_col(st, 2, r->created_by, sizeof r->created_by);
	r->title = sq_col_text(st, 3, a);
	sq_copy_col(st, 4, r->occurred_on, sizeof r->occurred_on);
	r->created_at = sqlite3_column_int64(st, 5);
	r->solo = sqlite3_column_int(st, 6) != 0;
}

static enum store_status sq_repair_insert(struct store *s, const struct store_repair *r)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, REPAIR_INSERT,
	                           "INSERT INTO repairs (space_id, id, created_by, title, occurred_on, created_at, solo)"
	                           " VALUES (?1, ?2, ?3, ?4, nullif(?5, ''), ?6, ?7)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, r->space_id);
	sq_bind_text(st, 2, r->id);
	sq_bind_text(st, 3, r->created_by);
	sq_bind_text(st, 4, r->title);
	sq_bind_text(st, 5, r->occurred_on);
	sqlite3_bind_int64(st, 6, r->created_at);
	sqlite3_bind_int(st, 7, r->solo);
	return sq_run(c, st, "repair_insert");
}

static enum store_status sq_repair_get(struct store *s, struct arena *a, const char *id, const char *space_id,
                                       const char *user_id, struct store_repair *r)
{
	CONN_OR_BUSY(s);
	/* The viewer's own scope first: after leaving, their private copy is the one they mean. */
	sqlite3_stmt *st = sq_stmt(c, REPAIR_GET,
	                           "SELECT " REPAIR_COLUMNS " FROM repairs WHERE id = ?1 AND space_id IN (?2, ?3)"
	                           " ORDER BY space_id = ?3 DESC LIMIT 1");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, id);
	sq_bind_text(st, 2, space_id && *space_id ? space_id : user_id);
	sq_bind_text(st, 3, user_id);
	enum store_status r2 = sq_row(c, st, "repair_get");
	if (r2 == STORE_OK) {
		read_repair(st, a, r);
		sqlite3_reset(st);
	}
	return r2;
}

static enum store_status sq_repair_list(struct store *s, struct arena *a, const char *space_id, const char *user_id,
                                        int64_t before_time, const char *before_id, int limit,
                                        struct store_repair **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, REPAIR_LIST,
	                           "SELECT " REPAIR_COLUMNS " FROM repairs"
	                           " WHERE ((space_id = ?1 AND (solo = 0 OR created_by = ?2)) OR space_id = ?2)"
	                           "   AND (?3 = 0 OR created_at < ?3 OR (created_at = ?3 AND id < ?4))"
	                           " ORDER BY created_at DESC, id DESC LIMIT ?5");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id && *space_id ? space_id : user_id);
	sq_bind_text(st, 2, user_id);
	sqlite3_bind_int64(st, 3, before_time);
	sq_bind_text(st, 4, before_id ? before_id : "");
	sqlite3_bind_int(st, 5, limit);
	*items = arena_alloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit)
		read_repair(st, a, &(*items)[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static void read_side(sqlite3_stmt *st, struct arena *a, struct store_repair_side *side)
{
	memset(side, 0, sizeof *side);
	sq_copy_col(st, 0, side->space_id, sizeof side->space_id);
	sq_copy_col(st, 1, side->repair_id, sizeof side->repair_id);
	sq_copy_col(st, 2, side->author_id, sizeof side->author_id);
	side->feelings = sq_col_text(st, 3, a);
	side->perspective = sq_col_text(st, 4, a);
	side->touched = sq_col_text(st, 5, a);
	side->my_part = sq_col_text(st, 6, a);
	side->next_time = sq_col_text(st, 7, a);
	side->updated_at = sqlite3_column_int64(st, 8);
	side->submitted_at = sqlite3_column_int64(st, 9);
	side->acknowledged_at = sqlite3_column_int64(st, 10);
	side->ack_note = sq_col_text(st, 11, a);
}

static enum store_status sq_repair_sides(struct store *s, struct arena *a, const char *space_id,
                                         const char *repair_id, struct store_repair_side *sides, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, SIDES_GET,
	                           "SELECT " SIDE_COLUMNS " FROM repair_sides WHERE space_id = ?1 AND repair_id = ?2"
	                           " ORDER BY author_id LIMIT 2");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, repair_id);
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < 2)
		read_side(st, a, &sides[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

/* The submitted/acknowledged times of one side, for telling "conflict" from "not found". */
static enum store_status side_state(struct conn *c, const char *space_id, const char *repair_id,
                                    const char *author_id, int64_t *submitted, int64_t *acknowledged)
{
	sqlite3_stmt *st = sq_stmt(c, SIDE_STATE,
	                           "SELECT coalesce(submitted_at, 0), coalesce(acknowledged_at, 0) FROM repair_sides"
	                           " WHERE space_id = ?1 AND repair_id = ?2 AND author_id = ?3");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, repair_id);
	sq_bind_text(st, 3, author_id);
	enum store_status r = sq_row(c, st, "side_state");
	if (r == STORE_OK) {
		*submitted = sqlite3_column_int64(st, 0);
		*acknowledged = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	return r;
}

static enum store_status sq_repair_side_put(struct store *s, const struct store_repair_side *side)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(
		c, SIDE_UPSERT,
		"INSERT INTO repair_sides (space_id, repair_id, author_id, feelings, perspective, touched, my_part,"
		" next_time, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT (space_id, repair_id, author_id) DO UPDATE SET feelings = ?4, perspective = ?5,"
		" touched = ?6, my_part = ?7, next_time = ?8, updated_at = ?9 WHERE submitted_at IS NULL");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, side->space_id);
	sq_bind_text(st, 2, side->repair_id);
	sq_bind_text(st, 3, side->author_id);
	sq_bind_text(st, 4, side->feelings);
	sq_bind_text(st, 5, side->perspective);
	sq_bind_text(st, 6, side->touched);
	sq_bind_text(st, 7, side->my_part);
	sq_bind_text(st, 8, side->next_time);
	sqlite3_bind_int64(st, 9, side->updated_at);
	enum store_status r = sq_run(c, st, "repair_side_put");
	if (r == STORE_OK && sqlite3_changes(sq_db(c)) == 0)
		return STORE_CONFLICT;
	return r;
}

static enum store_status sq_repair_side_submit(struct store *s, const char *space_id, const char *repair_id,
                                               const char *author_id, int64_t now)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, SIDE_SUBMIT,
	                           "UPDATE repair_sides SET submitted_at = ?4 WHERE space_id = ?1 AND repair_id = ?2"
	                           " AND author_id = ?3 AND submitted_at IS NULL");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, repair_id);
	sq_bind_text(st, 3, author_id);
	sqlite3_bind_int64(st, 4, now);
	enum store_status r = sq_run(c, st, "repair_side_submit");
	if (r != STORE_OK || sqlite3_changes(sq_db(c)) > 0)
		return r;
	int64_t submitted = 0, acknowledged = 0;
	r = side_state(c, space_id, repair_id, author_id, &submitted, &acknowledged);
	return r == STORE_OK ? STORE_CONFLICT : r;
}

static enum store_status sq_repair_side_acknowledge(struct store *s, const char *space_id, const char *repair_id,
                                                    const char *author_id, const char *note, int64_t now)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, SIDE_ACK,
	                           "UPDATE repair_sides SET acknowledged_at = ?4, ack_note = ?5 WHERE space_id = ?1"
	                           " AND repair_id = ?2 AND author_id = ?3 AND acknowledged_at IS NULL");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, repair_id);
	sq_bind_text(st, 3, author_id);
	sqlite3_bind_int64(st, 4, now);
	sq_bind_text(st, 5, note);
	enum store_status r = sq_run(c, st, "repair_side_acknowledge");
	if (r != STORE_OK || sqlite3_changes(sq_db(c)) > 0)
		return r;
	int64_t submitted = 0, acknowledged = 0;
	r = side_state(c, space_id, repair_id, author_id, &submitted, &acknowledged);
	return r == STORE_OK ? STORE_CONFLICT : r;
}

static enum store_status sq_safety_insert(struct store *s, const struct store_safety_check *k)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, SAFETY_INSERT,
	                           "INSERT INTO safety_checks (space_id, id, user_id, afraid, pressured,"
	                           " share_with_therapist, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, k->scope_id);
	sq_bind_text(st, 2, k->id);
	sq_bind_text(st, 3, k->user_id);
	sqlite3_bind_int(st, 4, k->afraid);
	sqlite3_bind_int(st, 5, k->pressured);
	sqlite3_bind_int(st, 6, k->share_with_therapist);
	sqlite3_bind_int64(st, 7, k->created_at);
	return sq_run(c, st, "safety_insert");
}

void sq_repairs_init(struct store *s)
{
	s->repair_insert = sq_repair_insert;
	s->repair_get = sq_repair_get;
	s->repair_list = sq_repair_list;
	s->repair_sides = sq_repair_sides;
	s->repair_side_put = sq_repair_side_put;
	s->repair_side_submit = sq_repair_side_submit;
	s->repair_side_acknowledge = sq_repair_side_acknowledge;
	s->safety_insert = sq_safety_insert;
}
