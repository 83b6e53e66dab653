/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapy_session.c - the next therapy session of a space (issue 13,
 * migration 22), for both databases. The times live on the therapist's link
 * (space_therapists), so unlinking, which deletes that row, clears them. Which
 * time becomes the previous session is the domain's rule
 * (domain/therapy_session.c); this file only reads and writes the three times,
 * the write conditional on the next session it was computed from.
 */
#include "store_internal.h"

DB_QUERY(Q_PLAN_GET, "SELECT therapist_id, next_session_at, previous_session_at, session_set_at"
                     " FROM space_therapists WHERE space_id = ?1");
DB_QUERY(Q_PLAN_SET, "UPDATE space_therapists SET next_session_at = ?3, previous_session_at = ?4,"
                     " session_set_at = ?5 WHERE space_id = ?1 AND therapist_id = ?2"
                     " AND COALESCE(next_session_at, 0) = ?6");

static void read_plan(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_session_plan *o = item;
	db_col_copy(st, 0, o->therapist_id, sizeof o->therapist_id);
	o->next_at = db_col_null(st, 1) ? 0 : db_col_int(st, 1);
	o->previous_at = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
	o->set_at = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
}

static enum store_status session_plan_get(struct store *s, const char *space_id, struct store_session_plan *out)
{
	*out = (struct store_session_plan){0};
	return db_get(db_of(s), &Q_PLAN_GET, NULL, read_plan, out, DB_ARGS(db_text(space_id)));
}

static enum store_status session_plan_set(struct store *s, const char *space_id, int64_t expected_next,
                                          const struct store_session_plan *in)
{
	return db_change(db_of(s), &Q_PLAN_SET,
	                 DB_ARGS(db_text(space_id), db_text(in->therapist_id),
	                         db_int_or_null(in->next_at, !in->next_at),
	                         db_int_or_null(in->previous_at, !in->previous_at),
	                         db_int_or_null(in->set_at, !in->set_at), db_int(expected_next)));
}

void store_therapy_session_init(struct store *s)
{
	s->session_plan_get = session_plan_get;
	s->session_plan_set = session_plan_set;
}
