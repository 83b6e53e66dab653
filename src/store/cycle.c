/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cycle.c - the store's "our cycle" (issue 14, see store.h): each person's
 * side in a scope (a space, or a person alone) and the edits of the shared
 * text that names the cycle, each statement written once over db.h for both
 * databases. Texts arrive sealed; this file only stores them.
 *
 * A side is a draft until submitted: the upsert and the submit change no row
 * once it is submitted, and a second look tells "already submitted"
 * (conflict) from "nothing written" (not found). The shared text is never
 * overwritten: each edit is a new row, the newest is the text.
 */
#include "store_internal.h"

#include <string.h>

#define CYCLE_SIDE_COLUMNS                                                                                             \
	"space_id, author_id, when_i_feel, i_tend_to, i_long_for, updated_at, COALESCE(submitted_at, 0)"

DB_QUERY(Q_CYCLE_SIDES, "SELECT " CYCLE_SIDE_COLUMNS " FROM cycle_sides WHERE space_id = ?1"
                        " ORDER BY author_id LIMIT 2");
/* The WHERE leaves a submitted side alone: then no row changes. */
DB_QUERY(Q_CYCLE_SIDE_UPSERT,
         "INSERT INTO cycle_sides (space_id, author_id, when_i_feel, i_tend_to, i_long_for, updated_at)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
         " ON CONFLICT (space_id, author_id) DO UPDATE SET when_i_feel = excluded.when_i_feel,"
         " i_tend_to = excluded.i_tend_to, i_long_for = excluded.i_long_for, updated_at = excluded.updated_at"
         " WHERE cycle_sides.submitted_at IS NULL");
DB_QUERY(Q_CYCLE_SIDE_SUBMIT, "UPDATE cycle_sides SET submitted_at = ?3 WHERE space_id = ?1 AND author_id = ?2"
                              " AND submitted_at IS NULL");
DB_QUERY(Q_CYCLE_SIDE_EXISTS, "SELECT 1 FROM cycle_sides WHERE space_id = ?1 AND author_id = ?2");
DB_QUERY(Q_CYCLE_EDIT_INSERT, "INSERT INTO cycle_edits (space_id, id, author_id, text, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)");
/* Newest first; the id breaks ties within a millisecond (ids start with the time). */
DB_QUERY(Q_CYCLE_EDITS, "SELECT space_id, id, author_id, text, created_at FROM cycle_edits WHERE space_id = ?1"
                        " ORDER BY created_at DESC, id DESC LIMIT ?2");

static void read_side(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_cycle_side *side = item;
	db_col_copy(st, 0, side->space_id, sizeof side->space_id);
	db_col_copy(st, 1, side->author_id, sizeof side->author_id);
	side->when_i_feel = db_col_text(st, 2, a);
	side->i_tend_to = db_col_text(st, 3, a);
	side->i_long_for = db_col_text(st, 4, a);
	side->updated_at = db_col_int(st, 5);
	side->submitted_at = db_col_int(st, 6);
}

static void read_edit(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_cycle_edit *e = item;
	db_col_copy(st, 0, e->space_id, sizeof e->space_id);
	db_col_copy(st, 1, e->id, sizeof e->id);
	db_col_copy(st, 2, e->author_id, sizeof e->author_id);
	e->text = db_col_text(st, 3, a);
	e->created_at = db_col_int(st, 4);
}

static enum store_status cycle_sides(struct store *s, struct arena *a, const char *scope_id,
                                     struct store_cycle_side sides[2], int *count)
{
	enum store_status r;
	struct store_cycle_side *rows =
	    db_rows(db_of(s), &Q_CYCLE_SIDES, a, sizeof *rows, 2, read_side, count, &r, DB_ARGS(db_text(scope_id)));
	if (r == STORE_OK && *count > 0)
		memcpy(sides, rows, sizeof *rows * (size_t)*count);
	return r;
}

static enum store_status cycle_side_put(struct store *s, const struct store_cycle_side *side)
{
	enum store_status r =
	    db_change(db_of(s), &Q_CYCLE_SIDE_UPSERT,
	              DB_ARGS(db_text(side->space_id), db_text(side->author_id), db_text(side->when_i_feel),
	                      db_text(side->i_tend_to), db_text(side->i_long_for), db_int(side->updated_at)));
	/* Nothing changed means the row is there and submitted (an absent one would have been inserted). */
	return r == STORE_NOT_FOUND ? STORE_CONFLICT : r;
}

static enum store_status cycle_side_submit(struct store *s, const char *scope_id, const char *author_id, int64_t now)
{
	enum store_status r =
	    db_change(db_of(s), &Q_CYCLE_SIDE_SUBMIT, DB_ARGS(db_text(scope_id), db_text(author_id), db_int(now)));
	if (r != STORE_NOT_FOUND)
		return r;
	r = db_get(db_of(s), &Q_CYCLE_SIDE_EXISTS, NULL, NULL, NULL, DB_ARGS(db_text(scope_id), db_text(author_id)));
	return r == STORE_OK ? STORE_CONFLICT : r;
}

static enum store_status cycle_edit_insert(struct store *s, const struct store_cycle_edit *e)
{
	return db_write(db_of(s), &Q_CYCLE_EDIT_INSERT,
	                DB_ARGS(db_text(e->space_id), db_text(e->id), db_text(e->author_id), db_text(e->text),
	                        db_int(e->created_at)));
}

static enum store_status cycle_edits(struct store *s, struct arena *a, const char *scope_id, int limit,
                                     struct store_cycle_edit **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_CYCLE_EDITS, a, sizeof **items, limit, read_edit, count, &r,
	                 DB_ARGS(db_text(scope_id), db_int(limit)));
	return r;
}

void store_cycle_init(struct store *s)
{
	s->cycle_sides = cycle_sides;
	s->cycle_side_put = cycle_side_put;
	s->cycle_side_submit = cycle_side_submit;
	s->cycle_edit_insert = cycle_edit_insert;
	s->cycle_edits = cycle_edits;
}
