/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite_growth.c - the SQLite backend for agreements and their reviews,
 * questionnaire responses, the numbers behind trends, and deleting an
 * account with everything its owner wrote (see store.h).
 */
#include <string.h>

#include "sqlite_internal.h"

enum {
	AGREEMENT_INSERT = SQ_GROWTH_BASE,
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
};

#define AGREEMENT_COLUMNS                                                                                      \
	"space_id, id, author_id, text, review_every_days, next_review_on, status, coalesce(repair_id, ''),"     \
	" created_at"

static void read_agreement(sqlite3_stmt *st, struct arena *a, struct store_agreement *g)
{
	memset(g, 0, sizeof *g);
	sq_copy_col(st, 0, g->space_id, sizeof g->space_id);
	sq_copy_col(st, 1, g->id, sizeof g->id);
	sq_copy_col(st, 2, g->author_id, sizeof g->author_id);
	g->text = sq_col_text(st, 3, a);
	g->review_every_days = sqlite3_column_int(st, 4);
	sq_copy_col(st, 5, g->next_review_on, sizeof g->next_review_on);
	sq_copy_col(st, 6, g->status, sizeof g->status);
	sq_copy_col(st, 7, g->repair_id, sizeof g->repair_id);
	g->created_at = sqlite3_column_int64(st, 8);
}

static enum store_status sq_agreement_insert(struct store *s, const struct store_agreement *g)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, AGREEMENT_INSERT,
	                           "INSERT INTO agreements (space_id, id, author_id, text, review_every_days,"
	                           " next_review_on, status, repair_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	                           " nullif(?8, ''), ?9)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, g->space_id);
	sq_bind_text(st, 2, g->id);
	sq_bind_text(st, 3, g->author_id);
	sq_bind_text(st, 4, g->text);
	sqlite3_bind_int(st, 5, g->review_every_days);
	sq_bind_text(st, 6, g->next_review_on);
	sq_bind_text(st, 7, g->status);
	sq_bind_text(st, 8, g->repair_id);
	sqlite3_bind_int64(st, 9, g->created_at);
	return sq_run(c, st, "agreement_insert");
}

static enum store_status sq_agreement_get(struct store *s, struct arena *ar, const char *id, const char *space_id,
                                          const char *user_id, struct store_agreement *g)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, AGREEMENT_GET,
	                           "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE id = ?1 AND space_id IN (?2, ?3)"
	                           " ORDER BY space_id = ?3 DESC LIMIT 1");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, id);
	sq_bind_text(st, 2, space_id && *space_id ? space_id : user_id);
	sq_bind_text(st, 3, user_id);
	enum store_status r = sq_row(c, st, "agreement_get");
	if (r == STORE_OK) {
		read_agreement(st, ar, g);
		sqlite3_reset(st);
	}
	return r;
}

static enum store_status sq_agreement_list(struct store *s, struct arena *ar, const char *scope_id,
                                           int64_t before_time, const char *before_id, int limit,
                                           struct store_agreement **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, AGREEMENT_LIST,
	                           "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE space_id = ?1"
	                           " AND (?2 = 0 OR created_at < ?2 OR (created_at = ?2 AND id < ?3))"
	                           " ORDER BY created_at DESC, id DESC LIMIT ?4");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sqlite3_bind_int64(st, 2, before_time);
	sq_bind_text(st, 3, before_id ? before_id : "");
	sqlite3_bind_int(st, 4, limit);
	*items = arena_alloc(ar, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit)
		read_agreement(st, ar, &(*items)[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_agreement_set_status(struct store *s, const char *scope_id, const char *id,
                                                 const char *status)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, AGREEMENT_STATUS, "UPDATE agreements SET status = ?3 WHERE space_id = ?1 AND id = ?2");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sq_bind_text(st, 2, id);
	sq_bind_text(st, 3, status);
	enum store_status r = sq_run(c, st, "agreement_set_status");
	return r == STORE_OK && sqlite3_changes(sq_db(c)) == 0 ? STORE_NOT_FOUND : r;
}

static enum store_status sq_review_insert(struct store *s, const struct store_review *rv, const char *next_review_on)
{
	CONN_OR_BUSY(s);
	enum store_status r = sq_tx_begin(c);
	if (r != STORE_OK)
		return r;
	sqlite3_stmt *st = sq_stmt(c, REVIEW_INSERT,
	                           "INSERT INTO agreement_reviews (space_id, agreement_id, id, author_id, outcome, note,"
	                           " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sq_bind_text(st, 1, rv->space_id);
	sq_bind_text(st, 2, rv->agreement_id);
	sq_bind_text(st, 3, rv->id);
	sq_bind_text(st, 4, rv->author_id);
	sq_bind_text(st, 5, rv->outcome);
	sq_bind_text(st, 6, rv->note);
	sqlite3_bind_int64(st, 7, rv->created_at);
	r = sq_run(c, st, "review_insert");
	if (r == STORE_OK) {
		st = sq_stmt(c, REVIEW_NEXT, "UPDATE agreements SET next_review_on = ?3 WHERE space_id = ?1 AND id = ?2");
		if (!st)
			return sq_tx_end(c, STORE_ERROR);
		sq_bind_text(st, 1, rv->space_id);
		sq_bind_text(st, 2, rv->agreement_id);
		sq_bind_text(st, 3, next_review_on);
		r = sq_run(c, st, "review_next");
	}
	return sq_tx_end(c, r);
}

static enum store_status sq_review_list(struct store *s, struct arena *ar, const char *scope_id,
                                        const char *agreement_id, int limit, struct store_review **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, REVIEW_LIST,
	                           "SELECT space_id, agreement_id, id, author_id, outcome, note, created_at"
	                           " FROM agreement_reviews WHERE space_id = ?1 AND agreement_id = ?2"
	                           " ORDER BY created_at DESC, id DESC LIMIT ?3");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sq_bind_text(st, 2, agreement_id);
	sqlite3_bind_int(st, 3, limit);
	*items = arena_alloc(ar, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit) {
		struct store_review *rv = &(*items)[(*count)++];
		memset(rv, 0, sizeof *rv);
		sq_copy_col(st, 0, rv->space_id, sizeof rv->space_id);
		sq_copy_col(st, 1, rv->agreement_id, sizeof rv->agreement_id);
		sq_copy_col(st, 2, rv->id, sizeof rv->id);
		sq_copy_col(st, 3, rv->author_id, sizeof rv->author_id);
		sq_copy_col(st, 4, rv->outcome, sizeof rv->outcome);
		rv->note = sq_col_text(st, 5, ar);
		rv->created_at = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_qresponse_insert(struct store *s, const struct store_qresponse *q)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, QRESPONSE_INSERT,
	                           "INSERT INTO questionnaire_responses (space_id, id, author_id, questionnaire_id,"
	                           " answers, score, subscales, visibility, created_at)"
	                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, q->space_id);
	sq_bind_text(st, 2, q->id);
	sq_bind_text(st, 3, q->author_id);
	sq_bind_text(st, 4, q->questionnaire_id);
	sq_bind_text(st, 5, q->answers);
	sqlite3_bind_double(st, 6, q->score);
	sq_bind_text(st, 7, q->subscales);
	sq_bind_text(st, 8, q->visibility);
	sqlite3_bind_int64(st, 9, q->created_at);
	return sq_run(c, st, "qresponse_insert");
}

static enum store_status sq_qresponse_list(struct store *s, struct arena *ar, const char *scope_id,
                                           const char *author_id, const char *questionnaire_id, bool shared_only,
                                           int64_t from, int64_t to, int limit, struct store_qresponse **items,
                                           int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, QRESPONSE_LIST,
	                           "SELECT space_id, id, author_id, questionnaire_id, answers, score, subscales, visibility,"
	                           " created_at FROM questionnaire_responses WHERE space_id = ?1"
	                           " AND (?2 = '' OR author_id = ?2) AND (?3 = '' OR questionnaire_id = ?3)"
	                           " AND (?4 = 0 OR visibility <> 'private') AND created_at >= ?5 AND created_at < ?6"
	                           " ORDER BY created_at DESC, id DESC LIMIT ?7");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sq_bind_text(st, 2, author_id ? author_id : "");
	sq_bind_text(st, 3, questionnaire_id ? questionnaire_id : "");
	sqlite3_bind_int(st, 4, shared_only);
	sqlite3_bind_int64(st, 5, from);
	sqlite3_bind_int64(st, 6, to);
	sqlite3_bind_int(st, 7, limit);
	*items = arena_alloc(ar, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit) {
		struct store_qresponse *q = &(*items)[(*count)++];
		memset(q, 0, sizeof *q);
		sq_copy_col(st, 0, q->space_id, sizeof q->space_id);
		sq_copy_col(st, 1, q->id, sizeof q->id);
		sq_copy_col(st, 2, q->author_id, sizeof q->author_id);
		sq_copy_col(st, 3, q->questionnaire_id, sizeof q->questionnaire_id);
		q->answers = sq_col_text(st, 4, ar);
		q->score = sqlite3_column_double(st, 5);
		q->subscales = sq_col_text(st, 6, ar);
		sq_copy_col(st, 7, q->visibility, sizeof q->visibility);
		q->created_at = sqlite3_column_int64(st, 8);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_checkin_points(struct store *s, struct arena *ar, const char *author_id,
                                           const char *space_id, bool shared_only, int64_t from, int64_t to,
                                           struct store_point **items, int *count)
{
	CONN_OR_BUSY(s);
	/* All of the author's own (any scope), or only what they shared in this space. */
	sqlite3_stmt *st = sq_stmt(c, CHECKIN_POINTS,
	                           "SELECT created_at, mood, connection, secure FROM checkins WHERE author_id = ?1"
	                           " AND (?3 = 0 OR (space_id = ?2 AND visibility <> 'private'))"
	                           " AND created_at >= ?4 AND created_at < ?5 ORDER BY created_at LIMIT 20000");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, author_id);
	sq_bind_text(st, 2, space_id ? space_id : "");
	sqlite3_bind_int(st, 3, shared_only);
	sqlite3_bind_int64(st, 4, from);
	sqlite3_bind_int64(st, 5, to);
	int alloc = 256, rc;
	*count = 0;
	*items = arena_alloc(ar, sizeof **items * (size_t)alloc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == alloc) {
			struct store_point *bigger = arena_alloc(ar, sizeof **items * (size_t)alloc * 2);
			memcpy(bigger, *items, sizeof **items * (size_t)alloc);
			*items = bigger;
			alloc *= 2;
		}
		struct store_point *pt = &(*items)[(*count)++];
		pt->at = sqlite3_column_int64(st, 0);
		pt->mood = sqlite3_column_int(st, 1);
		pt->connection = sqlite3_column_int(st, 2);
		pt->secure = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

/*
 * Deleting an account: everything its owner wrote goes. Texts they wrote
 * into items that stay with the partner (a repair title, an agreement) are
 * emptied; the partner's own words stay. The owner's data key is deleted
 * too, so any copy of their sealed texts left in a backup cannot be read.
 */
static const char *const delete_steps[] = {
	"DELETE FROM checkins WHERE author_id = ?1",
	"DELETE FROM repair_sides WHERE author_id = ?1",
	"DELETE FROM repair_sides WHERE space_id = ?1",
	"DELETE FROM repairs WHERE space_id = ?1",
	"UPDATE repairs SET title = '' WHERE created_by = ?1",
	"DELETE FROM prompt_answers WHERE author_id = ?1 OR space_id = ?1",
	"DELETE FROM prompt_acks WHERE from_id = ?1 OR answer_author = ?1 OR space_id = ?1",
	"DELETE FROM prompt_days WHERE space_id = ?1",
	"DELETE FROM prompt_seen WHERE space_id = ?1",
	"DELETE FROM prompt_skips WHERE user_id = ?1 OR space_id = ?1",
	"DELETE FROM agreement_reviews WHERE author_id = ?1 OR space_id = ?1",
	"DELETE FROM agreements WHERE space_id = ?1",
	"UPDATE agreements SET text = '' WHERE author_id = ?1",
	"DELETE FROM questionnaire_responses WHERE author_id = ?1",
	"DELETE FROM safety_checks WHERE user_id = ?1",
	"DELETE FROM sessions WHERE user_id = ?1",
	"DELETE FROM invites WHERE created_by = ?1",
	"DELETE FROM data_keys WHERE scope_id = ?1",
	"DELETE FROM therapist_consents WHERE user_id = ?1",
	"DELETE FROM therapist_invites WHERE therapist_id = ?1",
	"DELETE FROM therapist_notes WHERE therapist_id = ?1",
	"DELETE FROM therapist_visits WHERE therapist_id = ?1",
	"DELETE FROM space_therapists WHERE therapist_id = ?1",
	"DELETE FROM article_comments WHERE author_id = ?1",
	"DELETE FROM article_comments WHERE article_id IN (SELECT id FROM articles WHERE author_id = ?1)",
	"DELETE FROM articles WHERE author_id = ?1",
	"DELETE FROM space_members WHERE user_id = ?1",
	"DELETE FROM users WHERE id = ?1",
};

static enum store_status sq_user_delete(struct store *s, const char *user_id)
{
	CONN_OR_BUSY(s);
	enum store_status r = sq_tx_begin(c);
	for (size_t i = 0; i < sizeof delete_steps / sizeof delete_steps[0] && r == STORE_OK; i++) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(sq_db(c), delete_steps[i], -1, &st, NULL) != SQLITE_OK) {
			sqlite3_finalize(st);
			r = STORE_ERROR;
			break;
		}
		sq_bind_text(st, 1, user_id);
		r = sq_run(c, st, "user_delete");
		sqlite3_finalize(st);
	}
	return r == STORE_BUSY && sqlite3_get_autocommit(sq_db(c)) ? r : sq_tx_end(c, r);
}

static enum store_status sq_user_by_id(struct store *s, const char *id, struct store_user *u)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, USER_BY_ID,
	                           "SELECT id, username, display_name, password_hash, role, created_at FROM users"
	                           " WHERE id = ?1");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, id);
	enum store_status r = sq_row(c, st, "user_by_id");
	if (r == STORE_OK) {
		memset(u, 0, sizeof *u);
		sq_copy_col(st, 0, u->id, sizeof u->id);
		sq_copy_col(st, 1, u->username, sizeof u->username);
		sq_copy_col(st, 2, u->display_name, sizeof u->display_name);
		sq_copy_col(st, 3, u->password_hash, sizeof u->password_hash);
		sq_copy_col(st, 4, u->role, sizeof u->role);
		u->created_at = sqlite3_column_int64(st, 5);
		sqlite3_reset(st);
	}
	return r;
}

void sq_growth_init(struct store *s)
{
	s->agreement_insert = sq_agreement_insert;
	s->agreement_get = sq_agreement_get;
	s->agreement_list = sq_agreement_list;
	s->agreement_set_status = sq_agreement_set_status;
	s->review_insert = sq_review_insert;
	s->review_list = sq_review_list;
	s->qresponse_insert = sq_qresponse_insert;
	s->qresponse_list = sq_qresponse_list;
	s->checkin_points = sq_checkin_points;
	s->user_delete = sq_user_delete;
	s->user_by_id = sq_user_by_id;
}
