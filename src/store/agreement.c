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
 * Layout: the statements, then agreements, then reviews, in the order of
 * store.h.
 */
#include "store_internal.h"

#include <assert.h>

#define AGREEMENT_COLUMNS                                                                                              \
	"space_id, id, author_id, text, review_every_days, next_review_on, status, COALESCE(repair_id, ''),"           \
	" created_at"

DB_QUERY(Q_AGREEMENT_INSERT, "INSERT INTO agreements (space_id, id, author_id, text, review_every_days,"
                             " next_review_on, status, repair_id, created_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, ''), ?9)");
/* The viewer's own scope first: after leaving, their copy is the one they mean. */
DB_QUERY(Q_AGREEMENT_GET, "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE id = ?1 AND space_id IN (?2, ?3)"
                          " ORDER BY space_id = ?3 DESC LIMIT 1");
DB_QUERY(Q_AGREEMENT_LIST, "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE space_id = ?1"
                           " AND (?2 = 0 OR created_at < ?2 OR (created_at = ?2 AND id < ?3))"
                           " ORDER BY created_at DESC, id DESC LIMIT ?4");
DB_QUERY(Q_AGREEMENT_STATUS, "UPDATE agreements SET status = ?3 WHERE space_id = ?1 AND id = ?2");
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

static enum store_status agreement_set_status(struct store *s, const char *scope_id, const char *id, const char *status)
{
	return db_change(db_of(s), &Q_AGREEMENT_STATUS, DB_ARGS(db_text(scope_id), db_text(id), db_text(status)));
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
	s->agreement_set_status = agreement_set_status;
	s->review_insert = review_insert;
	s->review_list = review_list;
}
