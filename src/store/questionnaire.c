/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.c - questionnaire responses, for both databases (see store.h
 * and db.h). The answers, the score and the subscale means arrive sealed
 * (domain/keyring.h); trends open the scores they draw.
 */
#include "store_internal.h"

#define QRESPONSE_COLUMNS "space_id, id, author_id, questionnaire_id, answers, score, subscales, visibility, created_at"

DB_QUERY(Q_QRESPONSE_INSERT, "INSERT INTO questionnaire_responses (" QRESPONSE_COLUMNS ")"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
/* Empty author or questionnaire switches that filter off; shared_only hides private responses. */
DB_QUERY(Q_QRESPONSE_LIST, "SELECT " QRESPONSE_COLUMNS " FROM questionnaire_responses WHERE space_id = ?1"
                           " AND (?2 = '' OR author_id = ?2) AND (?3 = '' OR questionnaire_id = ?3)"
                           " AND (?4 = FALSE OR visibility <> 'private') AND created_at >= ?5"
                           " AND (created_at < ?6 OR (created_at = ?6 AND id < ?7))"
                           " ORDER BY created_at DESC, id DESC LIMIT ?8");

/*
 * Issue 13: what the therapist may read, of the authors named (consenting
 * partners); ?4 0: no cursor, else before (?4, ?5) in the list's order.
 */
DB_QUERY(Q_QRESPONSE_THERAPIST, "SELECT " QRESPONSE_COLUMNS " FROM questionnaire_responses WHERE space_id = ?1"
                                " AND author_id IN (?2, ?3) AND visibility = 'therapist'"
                                " AND (?4 = 0 OR created_at < ?4 OR (created_at = ?4 AND id < ?5))"
                                " ORDER BY created_at DESC, id DESC LIMIT ?6");

DB_QUERY(Q_QRESPONSE_GET, "SELECT " QRESPONSE_COLUMNS " FROM questionnaire_responses"
                          " WHERE (space_id = ?1 OR space_id = ?2) AND author_id = ?3 AND id = ?4");

static enum store_status qresponse_insert(struct store *s, const struct store_qresponse *q)
{
	return db_write(db_of(s), &Q_QRESPONSE_INSERT,
	                DB_ARGS(db_text(q->space_id), db_text(q->id), db_text(q->author_id),
	                        db_text(q->questionnaire_id), db_text(q->answers), db_text(q->sealed.score),
	                        db_text(q->subscales), db_text(q->visibility), db_int(q->created_at)));
}

static void read_qresponse(const struct db_stmt *st, struct arena *ar, void *item)
{
	struct store_qresponse *q = item;
	db_col_copy(st, 0, q->space_id, sizeof q->space_id);
	db_col_copy(st, 1, q->id, sizeof q->id);
	db_col_copy(st, 2, q->author_id, sizeof q->author_id);
	db_col_copy(st, 3, q->questionnaire_id, sizeof q->questionnaire_id);
	q->answers = db_col_text(st, 4, ar);
	db_col_copy(st, 5, q->sealed.score, sizeof q->sealed.score);
	q->subscales = db_col_text(st, 6, ar);
	db_col_copy(st, 7, q->visibility, sizeof q->visibility);
	q->created_at = db_col_int(st, 8);
}

static enum store_status qresponse_list(struct store *s, struct arena *ar, const char *scope_id, const char *author_id,
                                        const char *questionnaire_id, bool shared_only, int64_t from, int64_t to,
                                        const char *to_id, int limit, struct store_qresponse **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_QRESPONSE_LIST, ar, sizeof **items, limit, read_qresponse, count, &r,
	                 DB_ARGS(db_text(scope_id), db_text(author_id ? author_id : ""),
	                         db_text(questionnaire_id ? questionnaire_id : ""), db_bool(shared_only), db_int(from),
	                         db_int(to), db_text(to_id ? to_id : ""), db_int(limit)));
	return r;
}

static enum store_status qresponse_get(struct store *s, struct arena *ar, const char *scope_id,
                                       const char *own_scope_id, const char *author_id, const char *id,
                                       struct store_qresponse *out)
{
	return db_get(db_of(s), &Q_QRESPONSE_GET, ar, read_qresponse, out,
	              DB_ARGS(db_text(scope_id), db_text(own_scope_id), db_text(author_id), db_text(id)));
}

static enum store_status qresponse_list_therapist(struct store *s, struct arena *ar, const char *space_id,
                                                  const char *author_a, const char *author_b, int64_t before_time,
                                                  const char *before_id, int limit, struct store_qresponse **items,
                                                  int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_QRESPONSE_THERAPIST, ar, sizeof **items, limit, read_qresponse, count, &r,
	                 DB_ARGS(db_text(space_id), db_text(author_a), db_text(author_b), db_int(before_time),
	                         db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

void store_questionnaire_init(struct store *s)
{
	s->qresponse_list_therapist = qresponse_list_therapist;
	s->qresponse_get = qresponse_get;
	s->qresponse_insert = qresponse_insert;
	s->qresponse_list = qresponse_list;
}
