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
#include "store_internal.h"

#include <string.h>

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

static void read_repair(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_repair *r = item;
	db_col_copy(st, 0, r->space_id, sizeof r->space_id);
	db_col_copy(st, 1, r->id, sizeof r->id);
	db_col_copy(st, 2, r->created_by, sizeof r->created_by);
	r->title = db_col_text(st, 3, a);
	db_col_copy(st, 4, r->occurred_on, sizeof r->occurred_on);
	r->created_at = db_col_int(st, 5);
	r->solo = db_col_int(st, 6) != 0;
}

static void read_side(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_repair_side *side = item;
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

static enum store_status repair_insert(struct store *s, const struct store_repair *r)
{
	return db_write(db_of(s), &Q_REPAIR_INSERT,
	                DB_ARGS(db_text(r->space_id), db_text(r->id), db_text(r->created_by), db_text(r->title),
	                        db_text(r->occurred_on), db_int(r->created_at), db_int(r->solo)));
}

static enum store_status repair_get(struct store *s, struct arena *a, const char *id, const char *space_id,
                                    const char *user_id, struct store_repair *r)
{
	return db_get(db_of(s), &Q_REPAIR_GET, a, read_repair, r,
	              DB_ARGS(db_text(id), db_text(space_id && *space_id ? space_id : user_id), db_text(user_id)));
}

static enum store_status repair_list(struct store *s, struct arena *a, const char *space_id, const char *user_id,
                                     int64_t before_time, const char *before_id, int limit, struct store_repair **items,
                                     int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_REPAIR_LIST, a, sizeof **items, limit, read_repair, count, &r,
	                 DB_ARGS(db_text(space_id && *space_id ? space_id : user_id), db_text(user_id),
	                         db_int(before_time), db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

static enum store_status repair_sides(struct store *s, struct arena *a, const char *space_id, const char *repair_id,
                                      struct store_repair_side *sides, int *count)
{
	enum store_status r;
	struct store_repair_side *rows = db_rows(db_of(s), &Q_SIDES_GET, a, sizeof *rows, 2, read_side, count, &r,
	                                         DB_ARGS(db_text(space_id), db_text(repair_id)));
	memcpy(sides, rows, sizeof *rows * (size_t)*count);
	return r;
}

/*
 * Runs a write on one side (?1 space, ?2 repair, ?3 author, then args), and
 * when it changed no row tells why: STORE_CONFLICT when the side exists (the
 * step was already taken), STORE_NOT_FOUND when it does not.
 */
static enum store_status side_write_once(struct store *s, const struct db_query *q, const struct db_param *args, int n)
{
	enum store_status r = db_change(db_of(s), q, args, n);
	if (r != STORE_NOT_FOUND)
		return r;
	r = db_get(db_of(s), &Q_SIDE_EXISTS, NULL, NULL, NULL, args, 3);
	return r == STORE_OK ? STORE_CONFLICT : r;
}

static enum store_status repair_side_put(struct store *s, const struct store_repair_side *side)
{
	enum store_status r =
	    db_change(db_of(s), &Q_SIDE_UPSERT,
	              DB_ARGS(db_text(side->space_id), db_text(side->repair_id), db_text(side->author_id),
	                      db_text(side->feelings), db_text(side->perspective), db_text(side->touched),
	                      db_text(side->my_part), db_text(side->next_time), db_int(side->updated_at)));
	/* Nothing changed means the row is there and submitted (an absent one would have been inserted). */
	return r == STORE_NOT_FOUND ? STORE_CONFLICT : r;
}

static enum store_status repair_side_submit(struct store *s, const char *space_id, const char *repair_id,
                                            const char *author_id, int64_t now)
{
	return side_write_once(s, &Q_SIDE_SUBMIT,
	                       DB_ARGS(db_text(space_id), db_text(repair_id), db_text(author_id), db_int(now)));
}

static enum store_status repair_side_acknowledge(struct store *s, const char *space_id, const char *repair_id,
                                                 const char *author_id, const char *note, int64_t now)
{
	return side_write_once(
	    s, &Q_SIDE_ACK,
	    DB_ARGS(db_text(space_id), db_text(repair_id), db_text(author_id), db_int(now), db_text(note)));
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
