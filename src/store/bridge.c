/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * bridge.c - the store's list "to bring to our next session" (issue 13, see
 * store.h): each partner's items, each shared with the therapist and with the
 * partner separately, and the moment the therapist marked one talked about.
 * Texts arrive sealed and are read sealed; who may see what is the domain's
 * rule (domain/bridge.c), the filters here only narrow what is read. Every
 * statement is written once over db.h and runs on both backends; the shares
 * are SMALLINT 0/1 in both databases, written from ints.
 *
 * Layout: the statements, then the functions in the order of store.h.
 */
#include "store_internal.h"

#include <assert.h>

#define BRIDGE_COLUMNS                                                                                                 \
	"space_id, id, author_id, text, share_with_therapist, share_with_partner, talked_about_at, created_at,"        \
	" updated_at"

DB_QUERY(Q_BRIDGE_INSERT, "INSERT INTO bridge_items (" BRIDGE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?7)");
DB_QUERY(Q_BRIDGE_GET, "SELECT " BRIDGE_COLUMNS " FROM bridge_items WHERE space_id = ?1 AND id = ?2");
DB_QUERY(Q_BRIDGE_COUNT_OPEN, "SELECT count(*) FROM bridge_items"
                              " WHERE space_id = ?1 AND author_id = ?2 AND talked_about_at = 0");
DB_QUERY(Q_BRIDGE_UPDATE, "UPDATE bridge_items SET text = ?4, share_with_therapist = ?5, share_with_partner = ?6,"
                          " updated_at = ?7 WHERE space_id = ?1 AND id = ?2 AND author_id = ?3");
DB_QUERY(Q_BRIDGE_DELETE, "DELETE FROM bridge_items WHERE space_id = ?1 AND id = ?2 AND author_id = ?3");
/* ?4..?6 are 0/1 ints: a filter that is 0 lets every row through. */
DB_QUERY(Q_BRIDGE_LIST, "SELECT " BRIDGE_COLUMNS " FROM bridge_items WHERE space_id = ?1 AND author_id IN (?2, ?3)"
                        " AND (?4 = 0 OR share_with_partner <> 0) AND (?5 = 0 OR share_with_therapist <> 0)"
                        " AND (?6 = 0 OR talked_about_at = 0) ORDER BY created_at, id LIMIT ?7");
/* The first mark stays: a second one (another tab, a retry) changes nothing but still finds the item. */
DB_QUERY(Q_BRIDGE_TALKED, "UPDATE bridge_items SET talked_about_at ="
                          " CASE WHEN talked_about_at = 0 THEN ?5 ELSE talked_about_at END"
                          " WHERE space_id = ?1 AND id = ?2 AND author_id IN (?3, ?4) AND share_with_therapist <> 0");
DB_QUERY(Q_BRIDGE_BY_AUTHOR, "SELECT " BRIDGE_COLUMNS " FROM bridge_items WHERE author_id = ?1"
                             " ORDER BY created_at DESC, id DESC LIMIT ?2");
DB_QUERY(Q_BRIDGE_TALKED_BY_AUTHOR, "SELECT " BRIDGE_COLUMNS " FROM bridge_items WHERE author_id = ?1"
                                    " AND talked_about_at > 0 AND talked_about_at <= ?2"
                                    " ORDER BY talked_about_at DESC, id DESC LIMIT ?3");

static enum store_status bridge_insert(struct store *s, const struct store_bridge_item *it)
{
	return db_write(db_of(s), &Q_BRIDGE_INSERT,
	                DB_ARGS(db_text(it->space_id), db_text(it->id), db_text(it->author_id), db_text(it->text),
	                        db_int(it->share_with_therapist), db_int(it->share_with_partner),
	                        db_int(it->created_at)));
}

static void read_item(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_bridge_item *it = item;
	db_col_copy(st, 0, it->space_id, sizeof it->space_id);
	db_col_copy(st, 1, it->id, sizeof it->id);
	db_col_copy(st, 2, it->author_id, sizeof it->author_id);
	it->text = db_col_text(st, 3, a);
	it->share_with_therapist = db_col_int(st, 4) != 0;
	it->share_with_partner = db_col_int(st, 5) != 0;
	it->talked_about_at = db_col_int(st, 6);
	it->created_at = db_col_int(st, 7);
	it->updated_at = db_col_int(st, 8);
}

static enum store_status bridge_get(struct store *s, struct arena *a, const char *space_id, const char *id,
                                    struct store_bridge_item *out)
{
	return db_get(db_of(s), &Q_BRIDGE_GET, a, read_item, out, DB_ARGS(db_text(space_id), db_text(id)));
}

static enum store_status bridge_count_open(struct store *s, const char *space_id, const char *author_id, int *count)
{
	int64_t n = 0;
	enum store_status r = db_get(db_of(s), &Q_BRIDGE_COUNT_OPEN, NULL, db_read_int, &n,
	                             DB_ARGS(db_text(space_id), db_text(author_id)));
	*count = (int)n;
	return r == STORE_NOT_FOUND ? STORE_ERROR : r; /* an aggregate always has a row */
}

static enum store_status bridge_update(struct store *s, const struct store_bridge_item *it)
{
	return db_change(db_of(s), &Q_BRIDGE_UPDATE,
	                 DB_ARGS(db_text(it->space_id), db_text(it->id), db_text(it->author_id), db_text(it->text),
	                         db_int(it->share_with_therapist), db_int(it->share_with_partner),
	                         db_int(it->updated_at)));
}

static enum store_status bridge_delete(struct store *s, const char *space_id, const char *id, const char *author_id)
{
	return db_change(db_of(s), &Q_BRIDGE_DELETE, DB_ARGS(db_text(space_id), db_text(id), db_text(author_id)));
}

static enum store_status bridge_list(struct store *s, struct arena *a, const char *space_id,
                                     const struct store_bridge_filter *f, int limit, struct store_bridge_item **items,
                                     int *count)
{
	assert(f && limit > 0);
	enum store_status r;
	*items = db_rows(db_of(s), &Q_BRIDGE_LIST, a, sizeof **items, limit, read_item, count, &r,
	                 DB_ARGS(db_text(space_id), db_text(f->author_a ? f->author_a : ""),
	                         db_text(f->author_b ? f->author_b : ""), db_int(f->shared_with_partner),
	                         db_int(f->shared_with_therapist), db_int(f->open_only), db_int(limit)));
	return r;
}

static enum store_status bridge_mark_talked_about(struct store *s, const char *space_id, const char *id,
                                                  const char *author_a, const char *author_b, int64_t now)
{
	return db_change(db_of(s), &Q_BRIDGE_TALKED,
	                 DB_ARGS(db_text(space_id), db_text(id), db_text(author_a ? author_a : ""),
	                         db_text(author_b ? author_b : ""), db_int(now)));
}

static enum store_status bridge_by_author(struct store *s, struct arena *a, const char *author_id,
                                          bool talked_about_only, int64_t before, int limit,
                                          struct store_bridge_item **items, int *count)
{
	assert(limit > 0);
	enum store_status r;
	if (talked_about_only)
		*items = db_rows(db_of(s), &Q_BRIDGE_TALKED_BY_AUTHOR, a, sizeof **items, limit, read_item, count, &r,
		                 DB_ARGS(db_text(author_id), db_int(before), db_int(limit)));
	else
		*items = db_rows(db_of(s), &Q_BRIDGE_BY_AUTHOR, a, sizeof **items, limit, read_item, count, &r,
		                 DB_ARGS(db_text(author_id), db_int(limit)));
	return r;
}

void store_bridge_init(struct store *s)
{
	assert(s);
	s->bridge_insert = bridge_insert;
	s->bridge_get = bridge_get;
	s->bridge_count_open = bridge_count_open;
	s->bridge_update = bridge_update;
	s->bridge_delete = bridge_delete;
	s->bridge_list = bridge_list;
	s->bridge_mark_talked_about = bridge_mark_talked_about;
	s->bridge_by_author = bridge_by_author;
}
