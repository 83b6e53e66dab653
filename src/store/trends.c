/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * trends.c - the numbers behind trends: a person's check-in scores over a
 * time range, for both databases (see store.h and db.h). Only the numbers
 * are read; the sealed texts of a check-in never leave checkin.c.
 */
#include <string.h>

#include "db.h"
#include "store_internal.h"

/* The most points one range gives: the chart has no use for more, and the array stays bounded. */
#define POINTS_MAX 20000
#define STR_(x) #x
#define STR(x) STR_(x)

/*
 * All of the author's own check-ins (any scope), or only what they shared
 * in this space. Equal times come out by id on both databases (SQLite reads
 * them off its (author_id, created_at, id) index either way).
 */
DB_QUERY(Q_CHECKIN_POINTS, "SELECT created_at, mood, connection, secure FROM checkins WHERE author_id = ?1"
                           " AND (?3 = FALSE OR (space_id = ?2 AND visibility <> 'private'))"
                           " AND created_at >= ?4 AND created_at < ?5 ORDER BY created_at, id"
                           " LIMIT " STR(POINTS_MAX));

static enum store_status checkin_points(struct store *s, struct arena *ar, const char *author_id, const char *space_id,
                                        bool shared_only, int64_t from, int64_t to, struct store_point **items,
                                        int *count)
{
	int room = 256;
	*items = arena_alloc(ar, sizeof **items * (size_t)room);
	*count = 0;
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_CHECKIN_POINTS);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, author_id);
	db_bind_text(st, 2, space_id ? space_id : "");
	db_bind_bool(st, 3, shared_only);
	db_bind_int(st, 4, from);
	db_bind_int(st, 5, to);
	enum store_status r = STORE_NOT_FOUND;
	while (*count < POINTS_MAX && (r = db_step(st)) == STORE_OK) {
		if (*count == room) {
			/* Doubling in the arena: the old array is freed with it; POINTS_MAX bounds the total. */
			struct store_point *bigger = arena_alloc(ar, sizeof **items * (size_t)room * 2);
			memcpy(bigger, *items, sizeof **items * (size_t)room);
			*items = bigger;
			room *= 2;
		}
		struct store_point *pt = &(*items)[(*count)++];
		pt->at = db_col_int(st, 0);
		pt->mood = (int)db_col_int(st, 1);
		pt->connection = (int)db_col_int(st, 2);
		pt->secure = (int)db_col_int(st, 3);
	}
	db_done(st);
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

void store_trends_init(struct store *s)
{
	s->checkin_points = checkin_points;
}
