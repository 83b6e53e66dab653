/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite_articles.c - the SQLite backend for the public articles, their
 * full-text search (FTS5, ranked by bm25) and comments (see store.h).
 */
#include <string.h>

#include "sqlite_internal.h"

enum {
	ARTICLE_INSERT = SQ_ARTICLES_BASE,
	ARTICLE_UPDATE,
	ARTICLE_DELETE,
	ARTICLE_DELETE_COMMENTS,
	ARTICLE_BY_SLUG,
	ARTICLE_LIST,
	ARTICLE_SEARCH,
	ARTICLE_VIEW,
	COMMENT_INSERT,
	COMMENT_LIST,
	COMMENT_STATUS,
	COMMENT_DELETE,
};

#define ARTICLE_COLUMNS                                                                                            \
	"a.id, a.slug, a.author_id, a.title, a.body, a.summary, a.status, coalesce(a.published_at, 0), a.created_at," \
	" a.updated_at, a.views, (SELECT count(*) FROM article_comments k WHERE k.article_id = a.id"                 \
	" AND k.status = 'published')"

static void read_article(sqlite3_stmt *st, struct arena *ar, struct store_article *a)
{
	memset(a, 0, sizeof *a);
	sq_copy_col(st, 0, a->id, sizeof a->id);
	sq_copy_col(st, 1, a->slug, sizeof a->slug);
	sq_copy_col(st, 2, a->author_id, sizeof a->author_id);
	a->title = sq_col_text(st, 3, ar);
	a->body = sq_col_text(st, 4, ar);
	a->summary = sq_col_text(st, 5, ar);
	sq_copy_col(st, 6, a->status, sizeof a->status);
	a->published_at = sqlite3_column_int64(st, 7);
	a->created_at = sqlite3_column_int64(st, 8);
	a->updated_at = sqlite3_column_int64(st, 9);
	a->views = sqlite3_column_int64(st, 10);
	a->comments = sqlite3_column_int(st, 11);
}

static void bind_article(sqlite3_stmt *st, const struct store_article *a)
{
	sq_bind_text(st, 1, a->id);
	sq_bind_text(st, 2, a->slug);
	sq_bind_text(st, 3, a->author_id);
	sq_bind_text(st, 4, a->title);
	sq_bind_text(st, 5, a->body);
	sq_bind_text(st, 6, a->summary);
	sq_bind_text(st, 7, a->status);
	if (a->published_at)
		sqlite3_bind_int64(st, 8, a->published_at);
	else
		sqlite3_bind_null(st, 8);
	sqlite3_bind_int64(st, 9, a->created_at);
	sqlite3_bind_int64(st, 10, a->updated_at);
}

static enum store_status sq_article_insert(struct store *s, const struct store_article *a)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ARTICLE_INSERT,
	                           "INSERT INTO articles (id, slug, author_id, title, body, summary, status, published_at,"
	                           " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return STORE_ERROR;
	bind_article(st, a);
	return sq_run(c, st, "article_insert");
}

static enum store_status sq_article_update(struct store *s, const struct store_article *a)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ARTICLE_UPDATE,
	                           "UPDATE articles SET slug = ?2, title = ?4, body = ?5, summary = ?6, status = ?7,"
	                           " published_at = ?8, updated_at = ?10 WHERE id = ?1 AND author_id = ?3 AND ?9 = ?9");
	if (!st)
		return STORE_ERROR;
	bind_article(st, a);
	enum store_status r = sq_run(c, st, "article_update");
	return r == STORE_OK && sqlite3_changes(sq_db(c)) == 0 ? STORE_NOT_FOUND : r;
}

static enum store_status sq_article_delete(struct store *s, const char *id)
{
	CONN_OR_BUSY(s);
	enum store_status r = sq_tx_begin(c);
	if (r != STORE_OK)
		return r;
	sqlite3_stmt *st = sq_stmt(c, ARTICLE_DELETE_COMMENTS, "DELETE FROM article_comments WHERE article_id = ?1");
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sq_bind_text(st, 1, id);
	r = sq_run(c, st, "article_delete_comments");
	if (r == STORE_OK) {
		st = sq_stmt(c, ARTICLE_DELETE, "DELETE FROM articles WHERE id = ?1");
		if (!st)
			return sq_tx_end(c, STORE_ERROR);
		sq_bind_text(st, 1, id);
		r = sq_run(c, st, "article_delete");
		if (r == STORE_OK && sqlite3_changes(sq_db(c)) == 0)
			r = STORE_NOT_FOUND;
	}
	return sq_tx_end(c, r);
}

static enum store_status sq_article_by_slug(struct store *s, struct arena *ar, const char *slug,
                                            struct store_article *a)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ARTICLE_BY_SLUG, "SELECT " ARTICLE_COLUMNS " FROM articles a WHERE a.slug = ?1");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, slug);
	enum store_status r = sq_row(c, st, "article_by_slug");
	if (r == STORE_OK) {
		read_article(st, ar, a);
		sqlite3_reset(st);
	}
	return r;
}

/* Turns what a person typed into an FTS5 query of quoted terms (no operators from input). */
static char *fts_query(struct arena *ar, const char *q)
{
	struct buf b;
	buf_init(&b, 4096);
	const char *p = q;
	int terms = 0;
	while (*p && terms < 16) {
		while (*p && !((unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		               (*p >= 'A' && *p <= 'Z')))
			p++;
		const char *start = p;
		while ((unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		       (*p >= 'A' && *p <= 'Z'))
			p++;
		if (p > start) {
			size_t n = (size_t)(p - start) > 64 ? 64 : (size_t)(p - start); /* the cap keeps the quoting whole */
			while (n && !utf8_valid(start, n))
				n--;
			if ((terms++ && buf_puts(&b, " ") < 0) || buf_puts(&b, "\"") < 0 || buf_append(&b, start, n) < 0 ||
			    buf_puts(&b, "\"*") < 0)
				break;
		}
	}
	char *out = arena_strdup(ar, b.data ? b.data : "");
	buf_cleanup(&b);
	return out;
}

static enum store_status sq_article_list(struct store *s, struct arena *ar, const char *q, const char *author_id,
                                         int64_t before_time, const char *before_id, int limit,
                                         struct store_article **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st;
	*items = arena_alloc(ar, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	if (q && *q) {
		char *match = fts_query(ar, q);
		if (!*match)
			return STORE_OK;
		st = sq_stmt(c, ARTICLE_SEARCH,
		             "SELECT " ARTICLE_COLUMNS " FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
		             " WHERE articles_fts MATCH ?1 AND (a.status = 'published' OR a.author_id = ?2)"
		             " ORDER BY bm25(articles_fts, 5.0, 1.0), a.published_at DESC LIMIT ?3");
		if (!st)
			return STORE_ERROR;
		sq_bind_text(st, 1, match);
		sq_bind_text(st, 2, author_id ? author_id : "");
		sqlite3_bind_int(st, 3, limit);
	} else {
		st = sq_stmt(c, ARTICLE_LIST,
		             "SELECT " ARTICLE_COLUMNS " FROM articles a WHERE (a.status = 'published' OR a.author_id = ?1)"
		             " AND (?2 = 0 OR coalesce(a.published_at, a.created_at) < ?2 OR"
		             " (coalesce(a.published_at, a.created_at) = ?2 AND a.id < ?3))"
		             " ORDER BY coalesce(a.published_at, a.created_at) DESC, a.id DESC LIMIT ?4");
		if (!st)
			return STORE_ERROR;
		sq_bind_text(st, 1, author_id ? author_id : "");
		sqlite3_bind_int64(st, 2, before_time);
		sq_bind_text(st, 3, before_id ? before_id : "");
		sqlite3_bind_int(st, 4, limit);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit)
		read_article(st, ar, &(*items)[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_article_view(struct store *s, const char *id)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ARTICLE_VIEW, "UPDATE articles SET views = views + 1 WHERE id = ?1");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, id);
	return sq_run(c, st, "article_view");
}

static enum store_status sq_comment_insert(struct store *s, const struct store_comment *k)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, COMMENT_INSERT,
	                           "INSERT INTO article_comments (article_id, id, author_id, body, status, created_at)"
	                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, k->article_id);
	sq_bind_text(st, 2, k->id);
	sq_bind_text(st, 3, k->author_id);
	sq_bind_text(st, 4, k->body);
	sq_bind_text(st, 5, k->status);
	sqlite3_bind_int64(st, 6, k->created_at);
	return sq_run(c, st, "comment_insert");
}

static enum store_status sq_comment_list(struct store *s, struct arena *ar, const char *article_id,
                                         bool include_pending, int64_t after_time, const char *after_id, int limit,
                                         struct store_comment **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, COMMENT_LIST,
	                           "SELECT k.id, k.article_id, k.author_id, coalesce(u.display_name, ''), k.body, k.status,"
	                           " k.created_at FROM article_comments k LEFT JOIN users u ON u.id = k.author_id"
	                           " WHERE k.article_id = ?1 AND (?2 <> 0 OR k.status = 'published')"
	                           " AND (?3 = 0 OR k.created_at > ?3 OR (k.created_at = ?3 AND k.id > ?4))"
	                           " ORDER BY k.created_at, k.id LIMIT ?5");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, article_id);
	sqlite3_bind_int(st, 2, include_pending);
	sqlite3_bind_int64(st, 3, after_time);
	sq_bind_text(st, 4, after_id ? after_id : "");
	sqlite3_bind_int(st, 5, limit);
	*items = arena_alloc(ar, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit) {
		struct store_comment *k = &(*items)[(*count)++];
		memset(k, 0, sizeof *k);
		sq_copy_col(st, 0, k->id, sizeof k->id);
		sq_copy_col(st, 1, k->article_id, sizeof k->article_id);
		sq_copy_col(st, 2, k->author_id, sizeof k->author_id);
		sq_copy_col(st, 3, k->author_name, sizeof k->author_name);
		k->body = sq_col_text(st, 4, ar);
		sq_copy_col(st, 5, k->status, sizeof k->status);
		k->created_at = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_comment_set_status(struct store *s, const char *article_id, const char *id,
                                               const char *status)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, COMMENT_STATUS,
	                           "UPDATE article_comments SET status = ?3 WHERE article_id = ?1 AND id = ?2");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, article_id);
	sq_bind_text(st, 2, id);
	sq_bind_text(st, 3, status);
	enum store_status r = sq_run(c, st, "comment_set_status");
	return r == STORE_OK && sqlite3_changes(sq_db(c)) == 0 ? STORE_NOT_FOUND : r;
}

static enum store_status sq_comment_delete(struct store *s, const char *article_id, const char *id)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, COMMENT_DELETE, "DELETE FROM article_comments WHERE article_id = ?1 AND id = ?2");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, article_id);
	sq_bind_text(st, 2, id);
	enum store_status r = sq_run(c, st, "comment_delete");
	return r == STORE_OK && sqlite3_changes(sq_db(c)) == 0 ? STORE_NOT_FOUND : r;
}

void sq_articles_init(struct store *s)
{
	s->article_insert = sq_article_insert;
	s->article_update = sq_article_update;
	s->article_delete = sq_article_delete;
	s->article_by_slug = sq_article_by_slug;
	s->article_list = sq_article_list;
	s->article_view = sq_article_view;
	s->comment_insert = sq_comment_insert;
	s->comment_list = sq_comment_list;
	s->comment_set_status = sq_comment_set_status;
	s->comment_delete = sq_comment_delete;
}
