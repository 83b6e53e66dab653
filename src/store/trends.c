/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * trends.c - the numbers behind trends: a person's check-in scales over a
 * time range, sealed as they are kept (domain/trends.c opens them), for both
 * databases (see store.h and db.h). The texts of a check-in never leave
 * checkin.c.
 */
#include "store_internal.h"

/* The most points one range gives: the chart has no use for more, and the array stays bounded. */
#define POINTS_MAX 20000

/*
 * All of the author's own check-ins (any scope), or only what they shared
 * in this space: each one's scales, sealed. Equal times come out by id on
 * both databases (SQLite reads them off its (author_id, created_at, id)
 * index either way).
 */
DB_QUERY(Q_CHECKIN_POINTS, "SELECT created_at, id, scales, item_visibility FROM checkins WHERE author_id = ?1"
                           " AND (?3 = FALSE OR (space_id = ?2 AND visibility <> 'private'))"
                           " AND created_at >= ?4 AND created_at < ?5 ORDER BY created_at, id LIMIT ?6");

static void read_point(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_point *pt = item;
	pt->at = db_col_int(st, 0);
	db_col_copy(st, 1, pt->id, sizeof pt->id);
	db_col_copy(st, 2, pt->scales, sizeof pt->scales);
	db_col_copy(st, 3, pt->item_visibility, sizeof pt->item_visibility);
}

static enum store_status checkin_points(struct store *s, struct arena *ar, const char *author_id, const char *space_id,
                                        bool shared_only, int64_t from, int64_t to, struct store_point **items,
                                        int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_CHECKIN_POINTS, ar, sizeof **items, POINTS_MAX, read_point, count, &r,
	                 DB_ARGS(db_text(author_id), db_text(space_id ? space_id : ""), db_bool(shared_only),
	                         db_int(from), db_int(to), db_int(POINTS_MAX)));
	return r;
}

void store_trends_init(struct store *s)
{
	s->checkin_points = checkin_points;
}
