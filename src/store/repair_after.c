/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair_after.c - the store's steps after a repair's reveal (issue 14,
 * migration 018; see store.h), each statement written once over db.h for
 * both databases. Texts, answers and notes arrive sealed; this file only
 * stores them. Who may write or read which row is domain/repair_after.c's
 * rule; leaving a space and deleting an account reach these rows from
 * space.c and account.c.
 *
 * As for the sides (store/repair.c), the writes that may happen only once
 * change no row when it is too late, and a second look at the row tells
 * "already done" (conflict) from "no such row" (not found).
 *
 * Layout: the statements, the reader, then the functions in the order of
 * store.h, and store_repair_after_init.
 */
#include "store_internal.h"

#include <string.h>

#define AFTER_COLUMNS                                                                                                  \
	"s.space_id, s.repair_id, s.author_id, s.step, s.id, s.text, s.updated_at, COALESCE(s.submitted_at, 0),"       \
	" s.answer, s.answer_note, COALESCE(s.answered_by, ''), COALESCE(s.answered_at, 0),"                           \
	" COALESCE(s.agreement_id, '')"
#define AFTER_KEY "space_id = ?1 AND repair_id = ?2 AND author_id = ?3 AND step = ?4"

DB_QUERY(Q_AFTER_ROWS, "SELECT " AFTER_COLUMNS " FROM repair_after_steps s WHERE s.space_id = ?1"
                       " AND s.repair_id = ?2 ORDER BY s.author_id, s.step LIMIT 6");
/* The WHERE leaves a submitted step alone: then no row changes. */
DB_QUERY(Q_AFTER_UPSERT, "INSERT INTO repair_after_steps (space_id, repair_id, author_id, step, id, text, updated_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (space_id, repair_id, author_id, step)"
                         " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at"
                         " WHERE repair_after_steps.submitted_at IS NULL");
DB_QUERY(Q_AFTER_SUBMIT,
         "UPDATE repair_after_steps SET submitted_at = ?5 WHERE " AFTER_KEY " AND submitted_at IS NULL");
DB_QUERY(Q_AFTER_EXISTS, "SELECT 1 FROM repair_after_steps WHERE " AFTER_KEY);
/* An answer may change: the other partner may come back to it. */
DB_QUERY(Q_AFTER_ANSWER, "UPDATE repair_after_steps SET answer = ?5, answer_note = ?6, answered_by = ?7,"
                         " answered_at = ?8 WHERE " AFTER_KEY " AND submitted_at IS NOT NULL");
DB_QUERY(Q_AFTER_AGREEMENT, "UPDATE repair_after_steps SET agreement_id = ?5 WHERE " AFTER_KEY
                            " AND submitted_at IS NOT NULL AND agreement_id IS NULL");
/* A solo repair's steps are its author's alone, even inside a shared space. */
DB_QUERY(Q_AFTER_LIST, "SELECT " AFTER_COLUMNS " FROM repair_after_steps s JOIN repairs r"
                       " ON r.space_id = s.space_id AND r.id = s.repair_id"
                       " WHERE s.space_id IN (?1, ?2) AND s.submitted_at IS NOT NULL"
                       "   AND (s.author_id = ?2 OR (r.solo = 0 AND s.space_id = ?1))"
                       "   AND (?3 = 0 OR s.submitted_at < ?3 OR (s.submitted_at = ?3 AND s.id < ?4))"
                       " ORDER BY s.submitted_at DESC, s.id DESC LIMIT ?5");

static void read_after(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_repair_after *row = item;
	db_col_copy(st, 0, row->space_id, sizeof row->space_id);
	db_col_copy(st, 1, row->repair_id, sizeof row->repair_id);
	db_col_copy(st, 2, row->author_id, sizeof row->author_id);
	db_col_copy(st, 3, row->step, sizeof row->step);
	db_col_copy(st, 4, row->id, sizeof row->id);
	row->text = db_col_text(st, 5, a);
	row->updated_at = db_col_int(st, 6);
	row->submitted_at = db_col_int(st, 7);
	row->answer = db_col_text(st, 8, a);
	row->answer_note = db_col_text(st, 9, a);
	db_col_copy(st, 10, row->answered_by, sizeof row->answered_by);
	row->answered_at = db_col_int(st, 11);
	db_col_copy(st, 12, row->agreement_id, sizeof row->agreement_id);
}

static enum store_status repair_after_rows(struct store *s, struct arena *a, const char *space_id,
                                           const char *repair_id, struct store_repair_after **rows, int *count)
{
	enum store_status r;
	*rows = db_rows(db_of(s), &Q_AFTER_ROWS, a, sizeof **rows, 6, read_after, count, &r,
	                DB_ARGS(db_text(space_id), db_text(repair_id)));
	return r;
}

static enum store_status repair_after_put(struct store *s, const struct store_repair_after *row)
{
	enum store_status r =
	    db_change(db_of(s), &Q_AFTER_UPSERT,
	              DB_ARGS(db_text(row->space_id), db_text(row->repair_id), db_text(row->author_id),
	                      db_text(row->step), db_text(row->id), db_text(row->text), db_int(row->updated_at)));
	/* Nothing changed means the row is there and submitted (an absent one would have been inserted). */
	return r == STORE_NOT_FOUND ? STORE_CONFLICT : r;
}

/* Runs a write on one row (?1..?4 its key, then args); when it changed nothing, tells conflict from not found. */
static enum store_status write_once(struct store *s, const struct db_query *q, const struct db_param *args, int n)
{
	enum store_status r = db_change(db_of(s), q, args, n);
	if (r != STORE_NOT_FOUND)
		return r;
	r = db_get(db_of(s), &Q_AFTER_EXISTS, NULL, NULL, NULL, args, 4);
	return r == STORE_OK ? STORE_CONFLICT : r;
}

static enum store_status repair_after_submit(struct store *s, const struct store_repair_after *k, int64_t now)
{
	return write_once(
	    s, &Q_AFTER_SUBMIT,
	    DB_ARGS(db_text(k->space_id), db_text(k->repair_id), db_text(k->author_id), db_text(k->step), db_int(now)));
}

static enum store_status repair_after_answer(struct store *s, const struct store_repair_after *row)
{
	return db_change(db_of(s), &Q_AFTER_ANSWER,
	                 DB_ARGS(db_text(row->space_id), db_text(row->repair_id), db_text(row->author_id),
	                         db_text(row->step), db_text(row->answer), db_text(row->answer_note),
	                         db_text(row->answered_by), db_int(row->answered_at)));
}

static enum store_status repair_after_agreement(struct store *s, const struct store_repair_after *k,
                                                const char *agreement_id)
{
	return write_once(s, &Q_AFTER_AGREEMENT,
	                  DB_ARGS(db_text(k->space_id), db_text(k->repair_id), db_text(k->author_id), db_text(k->step),
	                          db_text(agreement_id)));
}

static enum store_status repair_after_list(struct store *s, struct arena *a, const char *space_id, const char *user_id,
                                           int64_t before_time, const char *before_id, int limit,
                                           struct store_repair_after **rows, int *count)
{
	enum store_status r;
	*rows = db_rows(db_of(s), &Q_AFTER_LIST, a, sizeof **rows, limit, read_after, count, &r,
	                DB_ARGS(db_text(space_id && *space_id ? space_id : user_id), db_text(user_id),
	                        db_int(before_time), db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

void store_repair_after_init(struct store *s)
{
	s->repair_after_rows = repair_after_rows;
	s->repair_after_put = repair_after_put;
	s->repair_after_submit = repair_after_submit;
	s->repair_after_answer = repair_after_answer;
	s->repair_after_agreement = repair_after_agreement;
	s->repair_after_list = repair_after_list;
}
