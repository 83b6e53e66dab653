/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * trends.c - the numbers behind trends: one of a person's check-in scales
 * over a time range, sealed as they are kept (domain/trends.c opens them),
 * for both databases (see store.h and db.h). The texts of a check-in never
 * leave checkin.c.
 */
#include "store_internal.h"

/* The most points one range gives: the chart has no use for more, and the array stays bounded. */
#define POINTS_MAX 20000

/*
 * One scale (a statement each: a column is never chosen by text) of all of
 * the author's own check-ins (any scope), or only of what they shared in
 * this space. Equal times come out by id on both databases (SQLite reads
 * them off its (author_id, created_at, id) index either way).
 */
#define POINTS_QUERY(column)                                                                                           \
	"SELECT created_at, id, " column " FROM checkins WHERE author_id = ?1"                                         \
	" AND (?3 = FALSE OR (space_id = ?2 AND visibility <> 'private'))"                                             \
	" AND created_at >= ?4 AND created_at < ?5 ORDER BY created_at, id LIMIT ?6"
DB_QUERY(Q_POINTS_MOOD, POINTS_QUERY("mood"));
DB_QUERY(Q_POINTS_CONNECTION, POINTS_QUERY("connection"));
DB_QUERY(Q_POINTS_SECURE, POINTS_QUERY("secure"));

static void read_point(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_point *pt = item;
	pt->at = db_col_int(st, 0);
	db_col_copy(st, 1, pt->id, sizeof pt->id);
	db_col_copy(st, 2, pt->value, sizeof pt->value);
}

static enum store_status checkin_points(struct store *s, struct arena *ar, const char *author_id, const char *space_id,
                                        bool shared_only, enum store_scale scale, int64_t from, int64_t to,
                                        struct store_point **items, int *count)
{
	const struct db_query *q = scale == SCALE_MOOD         ? &Q_POINTS_MOOD
	                           : scale == SCALE_CONNECTION ? &Q_POINTS_CONNECTION
	                                                       : &Q_POINTS_SECURE;
	enum store_status r;
	*items = db_rows(db_of(s), q, ar, sizeof **items, POINTS_MAX, read_point, count, &r,
	                 DB_ARGS(db_text(author_id), db_text(space_id ? space_id : ""), db_bool(shared_only),
	                         db_int(from), db_int(to), db_int(POINTS_MAX)));
	return r;
}

void store_trends_init(struct store *s)
{
	s->checkin_points = checkin_points;
}
