/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * agreement.c - agreements a couple made and their reviews, for both
 * databases (see store.h and db.h). Texts and review outcomes arrive
 * sealed; this file only stores them. Leaving a space moves these rows (space.c); deleting an
 * account empties or removes them (account.c).
 *
 * A review and the agreement's next review date move together in one
 * transaction (tx_run), which PostgreSQL runs again on a serialization
 * failure or deadlock.
 *
 * The partner's answer to a proposed agreement (a yes, or a sealed "let's
 * talk about it" note) is a row of agreement_answers in the agreement's
 * scope (migration 017), read with the agreement through one LEFT JOIN.
 *
 * Layout: the statements, then agreements, then reviews, in the order of
 * store.h.
 */
#include "store_internal.h"

#include <assert.h>

#define AGREEMENT_COLUMNS                                                                                              \
	"g.space_id, g.id, g.author_id, g.text, g.review_every_days, g.next_review_on, g.status,"                      \
	" COALESCE(g.repair_id, ''), g.created_at, COALESCE(w.accepted_by, ''), COALESCE(w.accepted_at, 0),"           \
	" w.discuss_note, COALESCE(w.discussed_by, ''), COALESCE(w.discussed_at, 0)"
#define AGREEMENT_FROM                                                                                                 \
	" FROM agreements g LEFT JOIN agreement_answers w ON w.space_id = g.space_id AND w.agreement_id = g.id"

DB_QUERY(Q_AGREEMENT_INSERT, "INSERT INTO agreements (space_id, id, author_id, text, review_every_days,"
                             " next_review_on, status, repair_id, created_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, ''), ?9)");
/* The viewer's own scope first: after leaving, their copy is the one they mean. */
DB_QUERY(Q_AGREEMENT_GET, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM " WHERE g.id = ?1 AND g.space_id IN (?2, ?3)"
                          " ORDER BY g.space_id = ?3 DESC LIMIT 1");
DB_QUERY(Q_AGREEMENT_LIST, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM " WHERE g.space_id = ?1"
                           " AND (?2 = 0 OR g.created_at < ?2 OR (g.created_at = ?2 AND g.id < ?3))"
                           " ORDER BY g.created_at DESC, g.id DESC LIMIT ?4");
/* Compare and set: the move happens only from the status the domain decided on. */
DB_QUERY(Q_AGREEMENT_MOVE, "UPDATE agreements SET status = ?4, next_review_on = CASE WHEN ?5 = '' THEN next_review_on"
                           " ELSE ?5 END WHERE space_id = ?1 AND id = ?2 AND status = ?3");
/* A yes replaces a "let's talk" note: the conversation led somewhere. */
DB_QUERY(Q_ANSWER_ACCEPT, "INSERT INTO agreement_answers (space_id, agreement_id, accepted_by, accepted_at)"
                          " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (space_id, agreement_id) DO UPDATE SET"
                          " accepted_by = excluded.accepted_by, accepted_at = excluded.accepted_at,"
                          " discuss_note = NULL, discussed_by = NULL, discussed_at = NULL");
DB_QUERY(Q_ANSWER_DISCUSS, "INSERT INTO agreement_answers (space_id, agreement_id, discuss_note, discussed_by,"
                           " discussed_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (space_id, agreement_id) DO UPDATE"
                           " SET discuss_note = excluded.discuss_note, discussed_by = excluded.discussed_by,"
                           " discussed_at = excluded.discussed_at");
DB_QUERY(Q_REVIEW_INSERT, "INSERT INTO agreement_reviews (space_id, agreement_id, id, author_id, outcome, note,"
                          " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
DB_QUERY(Q_REVIEW_NEXT, "UPDATE agreements SET next_review_on = ?3 WHERE space_id = ?1 AND id = ?2");
DB_QUERY(Q_REVIEW_LIST, "SELECT space_id, agreement_id, id, author_id, outcome, note, created_at"
                        " FROM agreement_reviews WHERE space_id = ?1 AND agreement_id = ?2"
                        " ORDER BY created_at DESC, id DESC LIMIT ?3");

/* ---- agreements ---- */

static void read_agreement(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_agreement *g = item;
	db_col_copy(st, 0, g->space_id, sizeof g->space_id);
	db_col_copy(st, 1, g->id, sizeof g->id);
	db_col_copy(st, 2, g->author_id, sizeof g->author_id);
	g->text = db_col_text(st, 3, a);
	g->review_every_days = (int)db_col_int(st, 4);
	db_col_copy(st, 5, g->next_review_on, sizeof g->next_review_on);
	db_col_copy(st, 6, g->status, sizeof g->status);
	db_col_copy(st, 7, g->repair_id, sizeof g->repair_id);
	g->created_at = db_col_int(st, 8);
	db_col_copy(st, 9, g->accepted_by, sizeof g->accepted_by);
	g->accepted_at = db_col_int(st, 10);
	g->discuss_note = db_col_text(st, 11, a);
	db_col_copy(st, 12, g->discussed_by, sizeof g->discussed_by);
	g->discussed_at = db_col_int(st, 13);
}

static enum store_status agreement_insert(struct store *s, const struct store_agreement *g)
{
	return db_write(db_of(s), &Q_AGREEMENT_INSERT,
	                DB_ARGS(db_text(g->space_id), db_text(g->id), db_text(g->author_id), db_text(g->text),
	                        db_int(g->review_every_days), db_text(g->next_review_on), db_text(g->status),
	                        db_text(g->repair_id), db_int(g->created_at)));
}

static enum store_status agreement_get(struct store *s, struct arena *ar, const char *id, const char *space_id,
                                       const char *user_id, struct store_agreement *g)
{
	return db_get(db_of(s), &Q_AGREEMENT_GET, ar, read_agreement, g,
	              DB_ARGS(db_text(id), db_text(space_id && *space_id ? space_id : user_id), db_text(user_id)));
}

static enum store_status agreement_list(struct store *s, struct arena *ar, const char *scope_id, int64_t before_time,
                                        const char *before_id, int limit, struct store_agreement **items, int *count)
{
	enum store_status r;
	*items = db_rows(
	    db_of(s), &Q_AGREEMENT_LIST, ar, sizeof **items, limit, read_agreement, count, &r,
	    DB_ARGS(db_text(scope_id), db_int(before_time), db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

struct move_ctx {
	const char *scope_id, *id, *from, *to, *next_review_on, *accepted_by;
	int64_t accepted_at;
};

static enum store_status agreement_move_tx(struct db *d, void *ctx)
{
	const struct move_ctx *c = ctx;
	enum store_status r = db_change(d, &Q_AGREEMENT_MOVE,
	                                DB_ARGS(db_text(c->scope_id), db_text(c->id), db_text(c->from), db_text(c->to),
	                                        db_text(c->next_review_on ? c->next_review_on : "")));
	if (r == STORE_OK && c->accepted_by && *c->accepted_by)
		r = db_write(
		    d, &Q_ANSWER_ACCEPT,
		    DB_ARGS(db_text(c->scope_id), db_text(c->id), db_text(c->accepted_by), db_int(c->accepted_at)));
	return r;
}

static enum store_status agreement_move(struct store *s, const char *scope_id, const char *id, const char *from,
                                        const char *to, const char *next_review_on, const char *accepted_by,
                                        int64_t accepted_at)
{
	assert(scope_id && id && from && to);
	struct move_ctx c = {scope_id, id, from, to, next_review_on, accepted_by, accepted_at};
	return tx_run(s, agreement_move_tx, &c);
}

static enum store_status agreement_discuss(struct store *s, const char *scope_id, const char *id, const char *by,
                                           const char *sealed_note, int64_t at)
{
	return db_write(db_of(s), &Q_ANSWER_DISCUSS,
	                DB_ARGS(db_text(scope_id), db_text(id), db_text(sealed_note), db_text(by), db_int(at)));
}

/* ---- reviews ---- */

struct review_ctx {
	const struct store_review *review;
	const char *next_review_on;
};

/*
 * The review, then its agreement's next date. An agreement that is gone (its
 * author left or deleted their account meanwhile) is not an error: the
 * review is kept, as it always was.
 */
static enum store_status review_insert_tx(struct db *d, void *ctx)
{
	const struct review_ctx *c = ctx;
	const struct store_review *rv = c->review;
	enum store_status r =
	    db_write(d, &Q_REVIEW_INSERT,
	             DB_ARGS(db_text(rv->space_id), db_text(rv->agreement_id), db_text(rv->id), db_text(rv->author_id),
	                     db_text(rv->outcome), db_text(rv->note), db_int(rv->created_at)));
	if (r != STORE_OK)
		return r;
	return db_write(d, &Q_REVIEW_NEXT,
	                DB_ARGS(db_text(rv->space_id), db_text(rv->agreement_id), db_text(c->next_review_on)));
}

static enum store_status review_insert(struct store *s, const struct store_review *rv, const char *next_review_on)
{
	assert(rv && next_review_on);
	struct review_ctx ctx = {.review = rv, .next_review_on = next_review_on};
	return tx_run(s, review_insert_tx, &ctx);
}

static void read_review(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_review *rv = item;
	db_col_copy(st, 0, rv->space_id, sizeof rv->space_id);
	db_col_copy(st, 1, rv->agreement_id, sizeof rv->agreement_id);
	db_col_copy(st, 2, rv->id, sizeof rv->id);
	db_col_copy(st, 3, rv->author_id, sizeof rv->author_id);
	db_col_copy(st, 4, rv->outcome, sizeof rv->outcome);
	rv->note = db_col_text(st, 5, a);
	rv->created_at = db_col_int(st, 6);
}

static enum store_status review_list(struct store *s, struct arena *ar, const char *scope_id, const char *agreement_id,
                                     int limit, struct store_review **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_REVIEW_LIST, ar, sizeof **items, limit, read_review, count, &r,
	                 DB_ARGS(db_text(scope_id), db_text(agreement_id), db_int(limit)));
	return r;
}

void store_agreement_init(struct store *s)
{
	s->agreement_insert = agreement_insert;
	s->agreement_get = agreement_get;
	s->agreement_list = agreement_list;
	s->agreement_move = agreement_move;
	s->agreement_discuss = agreement_discuss;
	s->review_insert = review_insert;
	s->review_list = review_list;
}
