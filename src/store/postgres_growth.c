/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres_growth.c - the PostgreSQL backend for agreements and their
 * reviews, questionnaire responses, the numbers behind trends, and deleting
 * an account with everything its owner wrote (see store.h): the same
 * behaviour as sqlite_growth.c. Texts arrive sealed; this file only stores
 * them. The tables are created by migration 4 in postgres.c, which also
 * moves these rows when someone leaves a space.
 *
 * The two writes that span tables (a review, which moves its agreement's
 * next review date, and deleting an account) are one transaction each, run
 * again on a serialization failure or deadlock like the rest of the backend.
 *
 * Layout: the statements, then agreements, reviews, questionnaire responses,
 * trend points and accounts, in the order of store.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "postgres_internal.h"

/*
 * Deleting an account: everything its owner wrote goes. Texts they wrote
 * into items that stay with the partner (a repair title, an agreement) are
 * emptied; the partner's own words stay. The owner's data key is deleted
 * too, so any copy of their sealed texts left in a backup cannot be read.
 * The same steps in the same order as sqlite_growth.c.
 */
static const char *const delete_steps[] = {
	"DELETE FROM checkins WHERE author_id = $1",
	"DELETE FROM repair_sides WHERE author_id = $1",
	"DELETE FROM repair_sides WHERE space_id = $1",
	"DELETE FROM repairs WHERE space_id = $1",
	"UPDATE repairs SET title = '' WHERE created_by = $1",
	"DELETE FROM prompt_answers WHERE author_id = $1 OR space_id = $1",
	"DELETE FROM prompt_acks WHERE from_id = $1 OR answer_author = $1 OR space_id = $1",
	"DELETE FROM prompt_days WHERE space_id = $1",
	"DELETE FROM prompt_seen WHERE space_id = $1",
	"DELETE FROM prompt_skips WHERE user_id = $1 OR space_id = $1",
	"DELETE FROM agreement_reviews WHERE author_id = $1 OR space_id = $1",
	"DELETE FROM agreements WHERE space_id = $1",
	"UPDATE agreements SET text = '' WHERE author_id = $1",
	"DELETE FROM questionnaire_responses WHERE author_id = $1",
	"DELETE FROM safety_checks WHERE user_id = $1",
	"DELETE FROM sessions WHERE user_id = $1",
	"DELETE FROM invites WHERE created_by = $1",
	"DELETE FROM data_keys WHERE scope_id = $1",
	"DELETE FROM therapist_consents WHERE user_id = $1",
	"DELETE FROM therapist_invites WHERE therapist_id = $1",
	"DELETE FROM therapist_notes WHERE therapist_id = $1",
	"DELETE FROM therapist_visits WHERE therapist_id = $1",
	"DELETE FROM space_therapists WHERE therapist_id = $1",
	"DELETE FROM article_comments WHERE author_id = $1",
	"DELETE FROM article_comments WHERE article_id IN (SELECT id FROM articles WHERE author_id = $1)",
	"DELETE FROM articles WHERE author_id = $1",
	"DELETE FROM space_members WHERE user_id = $1",
	"DELETE FROM users WHERE id = $1",
};

enum {
	AGREEMENT_INSERT = PG_GROWTH_BASE,
	AGREEMENT_GET,
	AGREEMENT_LIST,
	AGREEMENT_STATUS,
	REVIEW_INSERT,
	REVIEW_NEXT,
	REVIEW_LIST,
	QRESPONSE_INSERT,
	QRESPONSE_LIST,
	CHECKIN_POINTS,
	USER_BY_ID,
	DELETE_STEP_FIRST, /* one slot per entry of delete_steps */
	GROWTH_END = DELETE_STEP_FIRST + (int)ARRAY_LEN(delete_steps)
};

_Static_assert(GROWTH_END <= PG_SOCIAL_BASE, "growth statements overlap the social slots");

#define AGREEMENT_COLUMNS                                                                                      \
	"space_id, id, author_id, text, review_every_days, next_review_on, status, coalesce(repair_id, ''),"     \
	" created_at"
#define QRESPONSE_COLUMNS                                                                                      \
	"space_id, id, author_id, questionnaire_id, answers, score, subscales, visibility, created_at"

#define AT(slot) [(slot) - PG_GROWTH_BASE]

/* Numbers travel as text; the casts give every parameter its type. */
static const char *const statements[DELETE_STEP_FIRST - PG_GROWTH_BASE] = {
	AT(AGREEMENT_INSERT) = "INSERT INTO agreements (space_id, id, author_id, text, review_every_days,"
	                       " next_review_on, status, repair_id, created_at)"
	                       " VALUES ($1, $2, $3, $4, $5::integer, $6, $7, nullif($8, ''), $9::bigint)",
	/* The viewer's own scope first: after leaving, their copy is the one they mean. */
	AT(AGREEMENT_GET) = "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE id = $1 AND space_id IN ($2, $3)"
	                    " ORDER BY space_id = $3 DESC LIMIT 1",
	AT(AGREEMENT_LIST) = "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE space_id = $1"
	                     " AND ($2::bigint = 0 OR created_at < $2::bigint OR (created_at = $2::bigint AND id < $3))"
	                     " ORDER BY created_at DESC, id DESC LIMIT $4::integer",
	AT(AGREEMENT_STATUS) = "UPDATE agreements SET status = $3 WHERE space_id = $1 AND id = $2",
	AT(REVIEW_INSERT) = "INSERT INTO agreement_reviews (space_id, agreement_id, id, author_id, outcome, note,"
	                    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::bigint)",
	AT(REVIEW_NEXT) = "UPDATE agreements SET next_review_on = $3 WHERE space_id = $1 AND id = $2",
	AT(REVIEW_LIST) = "SELECT space_id, agreement_id, id, author_id, outcome, note, created_at"
	                  " FROM agreement_reviews WHERE space_id = $1 AND agreement_id = $2"
	                  " ORDER BY created_at DESC, id DESC LIMIT $3::integer",
	AT(QRESPONSE_INSERT) = "INSERT INTO questionnaire_responses (" QRESPONSE_COLUMNS ")"
	                       " VALUES ($1, $2, $3, $4, $5, $6::double precision, $7, $8, $9::bigint)",
	AT(QRESPONSE_LIST) = "SELECT " QRESPONSE_COLUMNS " FROM questionnaire_responses WHERE space_id = $1"
	                     " AND ($2::text = '' OR author_id = $2::text)"
	                     " AND ($3::text = '' OR questionnaire_id = $3::text)"
	                     " AND ($4::integer = 0 OR visibility <> 'private')"
	                     " AND created_at >= $5::bigint AND created_at < $6::bigint"
	                     " ORDER BY created_at DESC, id DESC LIMIT $7::integer",
	/*
	 * All of the author's own (any scope), or only what they shared in this
	 * space. Equal times come out by id, as SQLite reads them off its
	 * (author_id, created_at, id) index.
	 */
	AT(CHECKIN_POINTS) = "SELECT created_at, mood, connection, secure FROM checkins WHERE author_id = $1"
	                     " AND ($3::integer = 0 OR (space_id = $2 AND visibility <> 'private'))"
	                     " AND created_at >= $4::bigint AND created_at < $5::bigint"
	                     " ORDER BY created_at, id LIMIT 20000",
	AT(USER_BY_ID) = "SELECT id, username, display_name, password_hash, role, created_at FROM users WHERE id = $1",
};

/* Runs one of this file's statements (see pg_exec). */
static enum store_status run(struct conn *c, int slot, const struct pg_params *p, PGresult **out, const char *what)
{
	const char *sql = slot >= DELETE_STEP_FIRST ? delete_steps[slot - DELETE_STEP_FIRST]
	                                            : statements[slot - PG_GROWTH_BASE];
	return pg_exec(c, slot, sql, p, out, what);
}

/* Runs a statement expected to give one row: STORE_OK with *out set, STORE_NOT_FOUND, or a failure. */
static enum store_status run_row(struct conn *c, int slot, const struct pg_params *p, PGresult **out,
                                 const char *what)
{
	enum store_status r = run(c, slot, p, out, what);
	if (r == STORE_OK && PQntuples(*out) == 0) {
		PQclear(*out);
		*out = NULL;
		r = STORE_NOT_FOUND;
	}
	return r;
}

/* SQLite's LIMIT takes a negative number as "no limit", and the callers then keep nothing: here 0. */
static int limit_rows(int limit)
{
	return limit > 0 ? limit : 0;
}

#define CONN_OR_BUSY(s)                \
	struct conn *c = pg_conn(s);   \
	if (!c)                        \
		return STORE_BUSY

/* ---- agreements ---- */

static void read_agreement(PGresult *res, int row, struct arena *a, struct store_agreement *g)
{
	memset(g, 0, sizeof *g);
	pg_copy_col(res, row, 0, g->space_id, sizeof g->space_id);
	pg_copy_col(res, row, 1, g->id, sizeof g->id);
	pg_copy_col(res, row, 2, g->author_id, sizeof g->author_id);
	g->text = pg_col_text(res, row, 3, a);
	g->review_every_days = (int)pg_col_int(res, row, 4);
	pg_copy_col(res, row, 5, g->next_review_on, sizeof g->next_review_on);
	pg_copy_col(res, row, 6, g->status, sizeof g->status);
	pg_copy_col(res, row, 7, g->repair_id, sizeof g->repair_id);
	g->created_at = pg_col_int(res, row, 8);
}

static enum store_status pg_agreement_insert(struct store *s, const struct store_agreement *g)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, g->space_id);
	pg_param_text(&p, g->id);
	pg_param_text(&p, g->author_id);
	pg_param_text(&p, g->text);
	pg_param_int(&p, g->review_every_days);
	pg_param_text(&p, g->next_review_on);
	pg_param_text(&p, g->status);
	pg_param_text(&p, g->repair_id);
	pg_param_int(&p, g->created_at);
	return run(c, AGREEMENT_INSERT, &p, NULL, "agreement_insert");
}

static enum store_status pg_agreement_get(struct store *s, struct arena *ar, const char *id, const char *space_id,
                                          const char *user_id, struct store_agreement *g)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, id);
	pg_param_text(&p, space_id && *space_id ? space_id : user_id);
	pg_param_text(&p, user_id);
	PGresult *res = NULL;
	enum store_status r = run_row(c, AGREEMENT_GET, &p, &res, "agreement_get");
	if (r == STORE_OK)
		read_agreement(res, 0, ar, g);
	PQclear(res);
	return r;
}

static enum store_status pg_agreement_list(struct store *s, struct arena *ar, const char *scope_id,
                                           int64_t before_time, const char *before_id, int limit,
                                           struct store_agreement **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	pg_param_int(&p, before_time);
	pg_param_text(&p, before_id ? before_id : "");
	pg_param_int(&p, limit_rows(limit));
	*items = arena_alloc(ar, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, AGREEMENT_LIST, &p, &res, "agreement_list");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++)
			read_agreement(res, i, ar, &(*items)[(*count)++]);
	}
	PQclear(res);
	return r;
}

static enum store_status pg_agreement_set_status(struct store *s, const char *scope_id, const char *id,
                                                 const char *status)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	pg_param_text(&p, id);
	pg_param_text(&p, status);
	PGresult *res = NULL;
	enum store_status r = run(c, AGREEMENT_STATUS, &p, &res, "agreement_set_status");
	if (r == STORE_OK && pg_changed_rows(res) == 0)
		r = STORE_NOT_FOUND;
	PQclear(res);
	return r;
}

/* ---- reviews ---- */

/* One attempt: the review, then the agreement's next date (an agreement that is gone is not an error, as SQLite). */
static enum store_status review_insert_once(struct conn *c, const struct store_review *rv,
                                            const char *next_review_on)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	struct pg_params p = {0};
	pg_param_text(&p, rv->space_id);
	pg_param_text(&p, rv->agreement_id);
	pg_param_text(&p, rv->id);
	pg_param_text(&p, rv->author_id);
	pg_param_text(&p, rv->outcome);
	pg_param_text(&p, rv->note);
	pg_param_int(&p, rv->created_at);
	r = run(c, REVIEW_INSERT, &p, NULL, "review_insert");
	if (r == STORE_OK) {
		struct pg_params n = {0};
		pg_param_text(&n, rv->space_id);
		pg_param_text(&n, rv->agreement_id);
		pg_param_text(&n, next_review_on);
		r = run(c, REVIEW_NEXT, &n, NULL, "review_next");
	}
	return pg_tx_end(c, r);
}

static enum store_status pg_review_insert(struct store *s, const struct store_review *rv, const char *next_review_on)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = review_insert_once(c, rv, next_review_on);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status pg_review_list(struct store *s, struct arena *ar, const char *scope_id,
                                        const char *agreement_id, int limit, struct store_review **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	pg_param_text(&p, agreement_id);
	pg_param_int(&p, limit_rows(limit));
	*items = arena_alloc(ar, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, REVIEW_LIST, &p, &res, "review_list");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++) {
			struct store_review *rv = &(*items)[(*count)++];
			memset(rv, 0, sizeof *rv);
			pg_copy_col(res, i, 0, rv->space_id, sizeof rv->space_id);
			pg_copy_col(res, i, 1, rv->agreement_id, sizeof rv->agreement_id);
			pg_copy_col(res, i, 2, rv->id, sizeof rv->id);
			pg_copy_col(res, i, 3, rv->author_id, sizeof rv->author_id);
			pg_copy_col(res, i, 4, rv->outcome, sizeof rv->outcome);
			rv->note = pg_col_text(res, i, 5, ar);
			rv->created_at = pg_col_int(res, i, 6);
		}
	}
	PQclear(res);
	return r;
}

/* ---- questionnaire responses ---- */

static enum store_status pg_qresponse_insert(struct store *s, const struct store_qresponse *q)
{
	CONN_OR_BUSY(s);
	/* SQLite binds NaN as NULL, which the NOT NULL score refuses as a constraint failure: the same answer here. */
	if (isnan(q->score))
		return STORE_CONFLICT;
	struct pg_params p = {0};
	pg_param_text(&p, q->space_id);
	pg_param_text(&p, q->id);
	pg_param_text(&p, q->author_id);
	pg_param_text(&p, q->questionnaire_id);
	pg_param_text(&p, q->answers);
	pg_param_double(&p, q->score);
	pg_param_text(&p, q->subscales);
	pg_param_text(&p, q->visibility);
	pg_param_int(&p, q->created_at);
	return run(c, QRESPONSE_INSERT, &p, NULL, "qresponse_insert");
}

static enum store_status pg_qresponse_list(struct store *s, struct arena *ar, const char *scope_id,
                                           const char *author_id, const char *questionnaire_id, bool shared_only,
                                           int64_t from, int64_t to, int limit, struct store_qresponse **items,
                                           int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	pg_param_text(&p, author_id ? author_id : "");
	pg_param_text(&p, questionnaire_id ? questionnaire_id : "");
	pg_param_int(&p, shared_only);
	pg_param_int(&p, from);
	pg_param_int(&p, to);
	pg_param_int(&p, limit_rows(limit));
	*items = arena_alloc(ar, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, QRESPONSE_LIST, &p, &res, "qresponse_list");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++) {
			struct store_qresponse *q = &(*items)[(*count)++];
			memset(q, 0, sizeof *q);
			pg_copy_col(res, i, 0, q->space_id, sizeof q->space_id);
			pg_copy_col(res, i, 1, q->id, sizeof q->id);
			pg_copy_col(res, i, 2, q->author_id, sizeof q->author_id);
			pg_copy_col(res, i, 3, q->questionnaire_id, sizeof q->questionnaire_id);
			q->answers = pg_col_text(res, i, 4, ar);
			/* PostgreSQL writes the shortest text that reads back as the same double. */
			q->score = PQgetisnull(res, i, 5) ? 0.0 : strtod(PQgetvalue(res, i, 5), NULL);
			q->subscales = pg_col_text(res, i, 6, ar);
			pg_copy_col(res, i, 7, q->visibility, sizeof q->visibility);
			q->created_at = pg_col_int(res, i, 8);
		}
	}
	PQclear(res);
	return r;
}

/* ---- trend points ---- */

static enum store_status pg_checkin_points(struct store *s, struct arena *ar, const char *author_id,
                                           const char *space_id, bool shared_only, int64_t from, int64_t to,
                                           struct store_point **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, author_id);
	pg_param_text(&p, space_id ? space_id : "");
	pg_param_int(&p, shared_only);
	pg_param_int(&p, from);
	pg_param_int(&p, to);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, CHECKIN_POINTS, &p, &res, "checkin_points");
	int n = r == STORE_OK ? PQntuples(res) : 0;
	*items = arena_alloc(ar, sizeof **items * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++) {
		struct store_point *pt = &(*items)[(*count)++];
		pt->at = pg_col_int(res, i, 0);
		pt->mood = (int)pg_col_int(res, i, 1);
		pt->connection = (int)pg_col_int(res, i, 2);
		pt->secure = (int)pg_col_int(res, i, 3);
	}
	PQclear(res);
	return r;
}

/* ---- accounts ---- */

static enum store_status user_delete_once(struct conn *c, const char *user_id)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	for (int i = 0; i < (int)ARRAY_LEN(delete_steps) && r == STORE_OK; i++) {
		struct pg_params p = {0};
		pg_param_text(&p, user_id);
		r = run(c, DELETE_STEP_FIRST + i, &p, NULL, "user_delete");
	}
	return pg_tx_end(c, r);
}

static enum store_status pg_user_delete(struct store *s, const char *user_id)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = user_delete_once(c, user_id);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status pg_user_by_id(struct store *s, const char *id, struct store_user *u)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, id);
	PGresult *res = NULL;
	enum store_status r = run_row(c, USER_BY_ID, &p, &res, "user_by_id");
	if (r == STORE_OK) {
		memset(u, 0, sizeof *u);
		pg_copy_col(res, 0, 0, u->id, sizeof u->id);
		pg_copy_col(res, 0, 1, u->username, sizeof u->username);
		pg_copy_col(res, 0, 2, u->display_name, sizeof u->display_name);
		pg_copy_col(res, 0, 3, u->password_hash, sizeof u->password_hash);
		pg_copy_col(res, 0, 4, u->role, sizeof u->role);
		u->created_at = pg_col_int(res, 0, 5);
	}
	PQclear(res);
	return r;
}

void pg_growth_init(struct store *s)
{
	s->agreement_insert = pg_agreement_insert;
	s->agreement_get = pg_agreement_get;
	s->agreement_list = pg_agreement_list;
	s->agreement_set_status = pg_agreement_set_status;
	s->review_insert = pg_review_insert;
	s->review_list = pg_review_list;
	s->qresponse_insert = pg_qresponse_insert;
	s->qresponse_list = pg_qresponse_list;
	s->checkin_points = pg_checkin_points;
	s->user_delete = pg_user_delete;
	s->user_by_id = pg_user_by_id;
}
