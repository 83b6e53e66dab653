/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair.c - the store's repairs and their sides (see store.h), each
 * statement written once over db.h for both databases. Texts arrive sealed;
 * this file only stores them. Leaving a space moves these rows; that rule
 * lives with the space, not here.
 *
 * A side is a draft until submitted; the writes that may only happen once
 * (submit, acknowledge, a draft after submission) change no row when it is
 * too late, and a second look at the side tells "already done" (conflict)
 * from "no such side" (not found).
 *
 * Layout: the statements, the readers, then the functions in the order of
 * store.h, and store_repair_init.
 */
#include <string.h>

#include "db.h"
#include "store_internal.h"
#include "util/util.h"

#define REPAIR_COLUMNS "space_id, id, created_by, title, COALESCE(occurred_on, ''), created_at, solo"
#define SIDE_COLUMNS                                                                                                   \
	"space_id, repair_id, author_id, feelings, perspective, touched, my_part, next_time, updated_at,"              \
	" COALESCE(submitted_at, 0), COALESCE(acknowledged_at, 0), ack_note"

DB_QUERY(Q_REPAIR_INSERT, "INSERT INTO repairs (space_id, id, created_by, title, occurred_on, created_at, solo)"
                          " VALUES (?1, ?2, ?3, ?4, NULLIF(?5, ''), ?6, ?7)");
/* The viewer's own scope first: after leaving, their private copy is the one they mean. */
DB_QUERY(Q_REPAIR_GET, "SELECT " REPAIR_COLUMNS " FROM repairs WHERE id = ?1 AND space_id IN (?2, ?3)"
                       " ORDER BY space_id = ?3 DESC LIMIT 1");
/* The space's repairs (a solo one only for its author) and the viewer's own, newest first. */
DB_QUERY(Q_REPAIR_LIST, "SELECT " REPAIR_COLUMNS " FROM repairs"
                        " WHERE ((space_id = ?1 AND (solo = 0 OR created_by = ?2)) OR space_id = ?2)"
                        "   AND (?3 = 0 OR created_at < ?3 OR (created_at = ?3 AND id < ?4))"
                        " ORDER BY created_at DESC, id DESC LIMIT ?5");
DB_QUERY(Q_SIDES_GET, "SELECT " SIDE_COLUMNS " FROM repair_sides WHERE space_id = ?1 AND repair_id = ?2"
                      " ORDER BY author_id LIMIT 2");
/* The WHERE leaves a submitted side alone: then no row changes. */
DB_QUERY(Q_SIDE_UPSERT,
         "INSERT INTO repair_sides (space_id, repair_id, author_id, feelings, perspective, touched, my_part,"
         " next_time, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
         " ON CONFLICT (space_id, repair_id, author_id) DO UPDATE SET feelings = excluded.feelings,"
         " perspective = excluded.perspective, touched = excluded.touched, my_part = excluded.my_part,"
         " next_time = excluded.next_time, updated_at = excluded.updated_at"
         " WHERE repair_sides.submitted_at IS NULL");
DB_QUERY(Q_SIDE_SUBMIT, "UPDATE repair_sides SET submitted_at = ?4 WHERE space_id = ?1 AND repair_id = ?2"
                        " AND author_id = ?3 AND submitted_at IS NULL");
DB_QUERY(Q_SIDE_ACK, "UPDATE repair_sides SET acknowledged_at = ?4, ack_note = ?5 WHERE space_id = ?1"
                     " AND repair_id = ?2 AND author_id = ?3 AND acknowledged_at IS NULL");
DB_QUERY(Q_SIDE_EXISTS, "SELECT 1 FROM repair_sides WHERE space_id = ?1 AND repair_id = ?2 AND author_id = ?3");

static void read_repair(struct db_stmt *st, struct arena *a, struct store_repair *r)
{
	memset(r, 0, sizeof *r);
	db_col_copy(st, 0, r->space_id, sizeof r->space_id);
	db_col_copy(st, 1, r->id, sizeof r->id);
	db_col_copy(st, 2, r->created_by, sizeof r->created_by);
	r->title = db_col_text(st, 3, a);
	db_col_copy(st, 4, r->occurred_on, sizeof r->occurred_on);
	r->created_at = db_col_int(st, 5);
	r->solo = db_col_int(st, 6) != 0;
}

static void read_side(struct db_stmt *st, struct arena *a, struct store_repair_side *side)
{
	memset(side, 0, sizeof *side);
	db_col_copy(st, 0, side->space_id, sizeof side->space_id);
	db_col_copy(st, 1, side->repair_id, sizeof side->repair_id);
	db_col_copy(st, 2, side->author_id, sizeof side->author_id);
	side->feelings = db_col_text(st, 3, a);
	side->perspective = db_col_text(st, 4, a);
	side->touched = db_col_text(st, 5, a);
	side->my_part = db_col_text(st, 6, a);
	side->next_time = db_col_text(st, 7, a);
	side->updated_at = db_col_int(st, 8);
	side->submitted_at = db_col_int(st, 9);
	side->acknowledged_at = db_col_int(st, 10);
	side->ack_note = db_col_text(st, 11, a);
}

/* Binds the three keys of a side: ?1 space, ?2 repair, ?3 author. */
static void bind_side_key(struct db_stmt *st, const char *space_id, const char *repair_id, const char *author_id)
{
	db_bind_text(st, 1, space_id);
	db_bind_text(st, 2, repair_id);
	db_bind_text(st, 3, author_id);
}

static enum store_status repair_insert(struct store *s, const struct store_repair *r)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_REPAIR_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, r->space_id);
	db_bind_text(st, 2, r->id);
	db_bind_text(st, 3, r->created_by);
	db_bind_text(st, 4, r->title);
	db_bind_text(st, 5, r->occurred_on);
	db_bind_int(st, 6, r->created_at);
	db_bind_int(st, 7, r->solo);
	return db_run(st);
}

static enum store_status repair_get(struct store *s, struct arena *a, const char *id, const char *space_id,
                                    const char *user_id, struct store_repair *r)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_REPAIR_GET);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, space_id && *space_id ? space_id : user_id);
	db_bind_text(st, 3, user_id);
	enum store_status res = db_step(st);
	if (res == STORE_OK)
		read_repair(st, a, r);
	db_done(st);
	return res;
}

static enum store_status repair_list(struct store *s, struct arena *a, const char *space_id, const char *user_id,
                                     int64_t before_time, const char *before_id, int limit, struct store_repair **items,
                                     int *count)
{
	*count = 0;
	*items = arena_alloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_REPAIR_LIST);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id && *space_id ? space_id : user_id);
	db_bind_text(st, 2, user_id);
	db_bind_int(st, 3, before_time);
	db_bind_text(st, 4, before_id ? before_id : "");
	db_bind_int(st, 5, limit > 0 ? limit : 0);
	enum store_status res = STORE_NOT_FOUND;
	while (*count < limit && (res = db_step(st)) == STORE_OK)
		read_repair(st, a, &(*items)[(*count)++]);
	db_done(st);
	return res == STORE_NOT_FOUND ? STORE_OK : res;
}

static enum store_status repair_sides(struct store *s, struct arena *a, const char *space_id, const char *repair_id,
                                      struct store_repair_side *sides, int *count)
{
	*count = 0;
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SIDES_GET);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_text(st, 2, repair_id);
	enum store_status res = STORE_NOT_FOUND;
	while (*count < 2 && (res = db_step(st)) == STORE_OK)
		read_side(st, a, &sides[(*count)++]);
	db_done(st);
	return res == STORE_NOT_FOUND ? STORE_OK : res;
}

/*
 * Runs st, a write on one side keyed by ?1..?3, and when it changed no row
 * tells why: STORE_CONFLICT when the side exists (the step was already
 * taken), STORE_NOT_FOUND when it does not. Releases st.
 */
static enum store_status side_write_once(struct db *d, struct db_stmt *st, const char *space_id, const char *repair_id,
                                         const char *author_id)
{
	enum store_status res = db_exec(st);
	int64_t changed = res == STORE_OK ? db_changes(st) : 0;
	db_done(st);
	if (res != STORE_OK || changed > 0)
		return res;
	struct db_stmt *q = db_prepare(d, &Q_SIDE_EXISTS);
	if (!q)
		return STORE_ERROR;
	bind_side_key(q, space_id, repair_id, author_id);
	res = db_step(q);
	db_done(q);
	return res == STORE_OK ? STORE_CONFLICT : res;
}

static enum store_status repair_side_put(struct store *s, const struct store_repair_side *side)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SIDE_UPSERT);
	if (!st)
		return STORE_ERROR;
	bind_side_key(st, side->space_id, side->repair_id, side->author_id);
	db_bind_text(st, 4, side->feelings);
	db_bind_text(st, 5, side->perspective);
	db_bind_text(st, 6, side->touched);
	db_bind_text(st, 7, side->my_part);
	db_bind_text(st, 8, side->next_time);
	db_bind_int(st, 9, side->updated_at);
	/* Nothing changed means the row is there and submitted (an absent one would have been inserted). */
	enum store_status res = db_exec(st);
	int64_t changed = res == STORE_OK ? db_changes(st) : 0;
	db_done(st);
	return res == STORE_OK && changed == 0 ? STORE_CONFLICT : res;
}

static enum store_status repair_side_submit(struct store *s, const char *space_id, const char *repair_id,
                                            const char *author_id, int64_t now)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SIDE_SUBMIT);
	if (!st)
		return STORE_ERROR;
	bind_side_key(st, space_id, repair_id, author_id);
	db_bind_int(st, 4, now);
	return side_write_once(d, st, space_id, repair_id, author_id);
}

static enum store_status repair_side_acknowledge(struct store *s, const char *space_id, const char *repair_id,
                                                 const char *author_id, const char *note, int64_t now)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SIDE_ACK);
	if (!st)
		return STORE_ERROR;
	bind_side_key(st, space_id, repair_id, author_id);
	db_bind_int(st, 4, now);
	db_bind_text(st, 5, note);
	return side_write_once(d, st, space_id, repair_id, author_id);
}

void store_repair_init(struct store *s)
{
	s->repair_insert = repair_insert;
	s->repair_get = repair_get;
	s->repair_list = repair_list;
	s->repair_sides = repair_sides;
	s->repair_side_put = repair_side_put;
	s->repair_side_submit = repair_side_submit;
	s->repair_side_acknowledge = repair_side_acknowledge;
}
