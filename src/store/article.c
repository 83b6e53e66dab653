/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * article.c - the store's public articles and their comments (see store.h),
 * every statement written once over db.h. Articles are not sealed: they are
 * public once published; a commenter's name is read as it is kept, sealed.
 * Full-text search is the one part that differs per backend: this file
 * splits what a person typed into terms and writes them in the backend's
 * syntax (store_internal.h); sqlite/search.c and postgres/search.c hold the
 * ranked statements.
 *
 * Layout: the statements, the search terms, then the functions in the order
 * of store.h.
 */
#include "store_internal.h"

#include <assert.h>
#include <stdio.h>

/* At most this many terms are searched; the rest of the input is ignored. */
#define SEARCH_TERMS_MAX 16
/* A longer term is cut at a character boundary and then matches as a prefix. */
#define SEARCH_TERM_MAX_BYTES 64

DB_QUERY(Q_ARTICLE_INSERT, "INSERT INTO articles (id, slug, author_id, title, body, summary, status, published_at,"
                           " created_at, updated_at, language) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
/* Only the author's own article changes; the new slug may conflict. */
DB_QUERY(Q_ARTICLE_UPDATE, "UPDATE articles SET slug = ?2, title = ?4, body = ?5, summary = ?6, status = ?7,"
                           " published_at = ?8, updated_at = ?9, language = ?10 WHERE id = ?1 AND author_id = ?3");
DB_QUERY(Q_ARTICLE_DELETE, "DELETE FROM articles WHERE id = ?1");
DB_QUERY(Q_ARTICLE_DELETE_COMMENTS, "DELETE FROM article_comments WHERE article_id = ?1");
DB_QUERY(Q_ARTICLE_BY_SLUG, "SELECT " ARTICLE_COLUMNS " FROM articles a WHERE a.slug = ?1");
/* Drafts (no published_at) sort by when they were created. */
DB_QUERY(Q_ARTICLE_LIST, "SELECT " ARTICLE_COLUMNS " FROM articles a"
                         " WHERE (a.status = 'published' OR a.author_id = ?1)"
                         " AND (?2 = 0 OR COALESCE(a.published_at, a.created_at) < ?2"
                         " OR (COALESCE(a.published_at, a.created_at) = ?2 AND a.id < ?3))"
                         " ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC LIMIT ?4");
DB_QUERY(Q_ARTICLE_LIST_OWN,
         "SELECT " ARTICLE_COLUMNS ", (SELECT count(*) FROM article_comments k"
         " WHERE k.article_id = a.id AND k.status = 'pending') FROM articles a WHERE a.author_id = ?1"
         " ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC LIMIT ?2");
DB_QUERY(Q_ARTICLE_VIEW, "UPDATE articles SET views = views + 1 WHERE id = ?1");
DB_QUERY(Q_COMMENT_INSERT, "INSERT INTO article_comments (article_id, id, author_id, body, status, created_at, name)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
/* The name shown is the one the writer chose (issue 12), never the account's. */
DB_QUERY(Q_COMMENT_LIST, "SELECT k.id, k.article_id, k.author_id, k.name, k.body, k.status,"
                         " k.created_at FROM article_comments k"
                         " WHERE k.article_id = ?1 AND (?2 OR k.status = 'published')"
                         " AND (?3 = 0 OR k.created_at > ?3 OR (k.created_at = ?3 AND k.id > ?4))"
                         " ORDER BY k.created_at, k.id LIMIT ?5");
DB_QUERY(Q_COMMENT_STATUS, "UPDATE article_comments SET status = ?3 WHERE article_id = ?1 AND id = ?2");
DB_QUERY(Q_COMMENT_DELETE, "DELETE FROM article_comments WHERE article_id = ?1 AND id = ?2");
/* Issue 12: tags and the bio of a byline. */
DB_QUERY(Q_ARTICLE_LIST_TAGGED, "SELECT " ARTICLE_COLUMNS " FROM articles a"
                                " JOIN article_tags t ON t.article_id = a.id AND t.tag = ?1"
                                " WHERE (a.status = 'published' OR a.author_id = ?2)"
                                " AND (?3 = 0 OR COALESCE(a.published_at, a.created_at) < ?3"
                                " OR (COALESCE(a.published_at, a.created_at) = ?3 AND a.id < ?4))"
                                " ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC LIMIT ?5");
DB_QUERY(Q_TAGS_OF, "SELECT tag FROM article_tags WHERE article_id = ?1 ORDER BY tag LIMIT ?2");
DB_QUERY(Q_TAGS_CLEAR, "DELETE FROM article_tags WHERE article_id = ?1");
DB_QUERY(Q_TAG_ADD, "INSERT INTO article_tags (article_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
DB_QUERY(Q_TAG_LIST, "SELECT t.tag, count(*) FROM article_tags t JOIN articles a ON a.id = t.article_id"
                     " WHERE a.status = 'published' GROUP BY t.tag ORDER BY t.tag LIMIT ?1");
DB_QUERY(Q_BIO_GET, "SELECT bio FROM profiles WHERE user_id = ?1");

/* ---- search terms ---- */

/* A byte of a term: an ASCII letter or digit, or any byte of a non-ASCII character. */
static bool word_byte(unsigned char ch)
{
	return ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/*
 * What a person typed, as the backend's match text (allocated in a). The
 * terms are the runs of word bytes, at most SEARCH_TERMS_MAX, each cut to
 * SEARCH_TERM_MAX_BYTES at a character boundary, each between the dialect's
 * term_open and term_close and joined by its join. A term holds no quote,
 * backslash or operator character, so it cannot change the query. NULL when
 * there is no term, or a term is not UTF-8: nothing could match (the edge
 * lets no such text through).
 */
static const char *search_match(struct arena *a, const struct search_dialect *sd, const char *q)
{
	const char *match = "";
	int terms = 0;
	for (const char *p = q; *p && terms < SEARCH_TERMS_MAX;) {
		while (*p && !word_byte((unsigned char)*p))
			p++;
		const char *start = p;
		while (word_byte((unsigned char)*p))
			p++;
		if (p == start)
			continue;
		int n = (int)(p - start);
		if (n > SEARCH_TERM_MAX_BYTES) {
			n = SEARCH_TERM_MAX_BYTES;
			while (n && ((unsigned char)start[n] & 0xC0) == 0x80)
				n--;
		}
		if (n == 0 || !utf8_valid(start, (size_t)n))
			return NULL;
		match = arena_printf(a, "%s%s%s%.*s%s", match, terms++ ? sd->join : "", sd->term_open, n, start,
		                     sd->term_close);
	}
	return terms ? match : NULL;
}

/* ---- articles ---- */

static void read_article(const struct db_stmt *st, struct arena *ar, void *item)
{
	struct store_article *a = item;
	db_col_copy(st, 0, a->id, sizeof a->id);
	db_col_copy(st, 1, a->slug, sizeof a->slug);
	db_col_copy(st, 2, a->author_id, sizeof a->author_id);
	a->title = db_col_text(st, 3, ar);
	a->body = db_col_text(st, 4, ar);
	a->summary = db_col_text(st, 5, ar);
	db_col_copy(st, 6, a->status, sizeof a->status);
	a->published_at = db_col_int(st, 7);
	a->created_at = db_col_int(st, 8);
	a->updated_at = db_col_int(st, 9);
	a->views = db_col_int(st, 10);
	a->comments = (int)db_col_int(st, 11);
	db_col_copy(st, 12, a->language, sizeof a->language);
}

/* published_at is NULL while a draft. */
static enum store_status article_insert(struct store *s, const struct store_article *a)
{
	return db_write(db_of(s), &Q_ARTICLE_INSERT,
	                DB_ARGS(db_text(a->id), db_text(a->slug), db_text(a->author_id), db_text(a->title),
	                        db_text(a->body), db_text(a->summary), db_text(a->status),
	                        db_int_or_null(a->published_at, a->published_at == 0), db_int(a->created_at),
	                        db_int(a->updated_at), db_text(a->language)));
}

static enum store_status article_update(struct store *s, const struct store_article *a)
{
	return db_change(db_of(s), &Q_ARTICLE_UPDATE,
	                 DB_ARGS(db_text(a->id), db_text(a->slug), db_text(a->author_id), db_text(a->title),
	                         db_text(a->body), db_text(a->summary), db_text(a->status),
	                         db_int_or_null(a->published_at, a->published_at == 0), db_int(a->updated_at),
	                         db_text(a->language)));
}

/* The comments, then the article, together; nothing changes when there is no such article. */
static enum store_status delete_tx(struct db *d, void *ctx)
{
	enum store_status r = db_write(d, &Q_ARTICLE_DELETE_COMMENTS, DB_ARGS(db_text(ctx)));
	if (r == STORE_OK)
		r = db_write(d, &Q_TAGS_CLEAR, DB_ARGS(db_text(ctx)));
	return r == STORE_OK ? db_change(d, &Q_ARTICLE_DELETE, DB_ARGS(db_text(ctx))) : r;
}

static enum store_status article_delete(struct store *s, const char *id)
{
	return tx_run(s, delete_tx, (void *)id);
}

static enum store_status article_by_slug(struct store *s, struct arena *ar, const char *slug, struct store_article *a)
{
	return db_get(db_of(s), &Q_ARTICLE_BY_SLUG, ar, read_article, a, DB_ARGS(db_text(slug)));
}

static enum store_status article_list(struct store *s, struct arena *ar, const char *q, const char *author_id,
                                      int64_t before_time, const char *before_id, int limit,
                                      struct store_article **items, int *count)
{
	struct db *d = db_of(s);
	enum store_status r;
	if (q && *q) {
		/* The ranked search of this database; a text in which nothing can match gives no rows. */
		const struct search_dialect *sd = d && db_kind(d) == DB_SQLITE ? &search_sqlite : &search_postgres;
		const char *match = search_match(ar, sd, q);
		*items = db_rows(d, sd->query, ar, sizeof **items, match ? limit : 0, read_article, count, &r,
		                 DB_ARGS(db_text(match), db_text(author_id ? author_id : ""), db_int(limit)));
	} else {
		*items = db_rows(d, &Q_ARTICLE_LIST, ar, sizeof **items, limit, read_article, count, &r,
		                 DB_ARGS(db_text(author_id ? author_id : ""), db_int(before_time),
		                         db_text(before_id ? before_id : ""), db_int(limit)));
	}
	return r;
}

static void read_own_article(const struct db_stmt *st, struct arena *ar, void *item)
{
	read_article(st, ar, item);
	((struct store_article *)item)->pending = (int)db_col_int(st, 13);
}

static enum store_status article_list_own(struct store *s, struct arena *ar, const char *author_id, int limit,
                                          struct store_article **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_ARTICLE_LIST_OWN, ar, sizeof **items, limit, read_own_article, count, &r,
	                 DB_ARGS(db_text(author_id), db_int(limit)));
	return r;
}

static enum store_status article_view(struct store *s, const char *id)
{
	return db_write(db_of(s), &Q_ARTICLE_VIEW, DB_ARGS(db_text(id)));
}

/* ---- comments ---- */

static enum store_status comment_insert(struct store *s, const struct store_comment *k)
{
	return db_write(db_of(s), &Q_COMMENT_INSERT,
	                DB_ARGS(db_text(k->article_id), db_text(k->id), db_text(k->author_id), db_text(k->body),
	                        db_text(k->status), db_int(k->created_at), db_text(k->author_name)));
}

static void read_comment(const struct db_stmt *st, struct arena *ar, void *item)
{
	struct store_comment *k = item;
	db_col_copy(st, 0, k->id, sizeof k->id);
	db_col_copy(st, 1, k->article_id, sizeof k->article_id);
	db_col_copy(st, 2, k->author_id, sizeof k->author_id);
	db_col_copy(st, 3, k->author_name, sizeof k->author_name);
	k->body = db_col_text(st, 4, ar);
	db_col_copy(st, 5, k->status, sizeof k->status);
	k->created_at = db_col_int(st, 6);
}

static enum store_status comment_list(struct store *s, struct arena *ar, const char *article_id, bool include_pending,
                                      int64_t after_time, const char *after_id, int limit, struct store_comment **items,
                                      int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_COMMENT_LIST, ar, sizeof **items, limit, read_comment, count, &r,
	                 DB_ARGS(db_text(article_id), db_bool(include_pending), db_int(after_time),
	                         db_text(after_id ? after_id : ""), db_int(limit)));
	return r;
}

static enum store_status comment_set_status(struct store *s, const char *article_id, const char *id, const char *status)
{
	return db_change(db_of(s), &Q_COMMENT_STATUS, DB_ARGS(db_text(article_id), db_text(id), db_text(status)));
}

static enum store_status comment_delete(struct store *s, const char *article_id, const char *id)
{
	return db_change(db_of(s), &Q_COMMENT_DELETE, DB_ARGS(db_text(article_id), db_text(id)));
}

/* ---- tags and bios (issue 12) ---- */

static enum store_status article_list_tagged(struct store *s, struct arena *ar, const char *tag, const char *author_id,
                                             int64_t before_time, const char *before_id, int limit,
                                             struct store_article **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_ARTICLE_LIST_TAGGED, ar, sizeof **items, limit, read_article, count, &r,
	                 DB_ARGS(db_text(tag), db_text(author_id ? author_id : ""), db_int(before_time),
	                         db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

static void read_tag_name(const struct db_stmt *st, struct arena *ar, void *item)
{
	(void)ar;
	struct store_tag *t = item;
	db_col_copy(st, 0, t->tag, sizeof t->tag);
}

static enum store_status article_tags_get(struct store *s, struct arena *ar, struct store_article *a)
{
	enum store_status r;
	int n = 0;
	struct store_tag *rows = db_rows(db_of(s), &Q_TAGS_OF, ar, sizeof *rows, STORE_ARTICLE_TAGS_MAX, read_tag_name,
	                                 &n, &r, DB_ARGS(db_text(a->id), db_int(STORE_ARTICLE_TAGS_MAX)));
	a->tag_count = r == STORE_OK ? n : 0;
	for (int i = 0; i < a->tag_count; i++)
		snprintf(a->tags[i], sizeof a->tags[i], "%s", rows[i].tag);
	return r;
}

/* All tags go, then the article's are written: one transaction. */
static enum store_status tags_set_tx(struct db *d, void *ctx)
{
	const struct store_article *a = ctx;
	enum store_status r = db_write(d, &Q_TAGS_CLEAR, DB_ARGS(db_text(a->id)));
	for (int i = 0; i < a->tag_count && r == STORE_OK; i++)
		r = db_write(d, &Q_TAG_ADD, DB_ARGS(db_text(a->id), db_text(a->tags[i])));
	return r;
}

static enum store_status article_tags_set(struct store *s, const struct store_article *a)
{
	assert(a->tag_count >= 0 && a->tag_count <= STORE_ARTICLE_TAGS_MAX);
	return tx_run(s, tags_set_tx, (void *)a);
}

static void read_tag(const struct db_stmt *st, struct arena *ar, void *item)
{
	read_tag_name(st, ar, item);
	((struct store_tag *)item)->articles = (int)db_col_int(st, 1);
}

static enum store_status tag_list(struct store *s, struct arena *ar, int limit, struct store_tag **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_TAG_LIST, ar, sizeof **items, limit, read_tag, count, &r, DB_ARGS(db_int(limit)));
	return r;
}

static void read_bio(const struct db_stmt *st, struct arena *ar, void *item)
{
	*(char **)item = db_col_text(st, 0, ar);
}

static enum store_status profile_bio_get(struct store *s, struct arena *ar, const char *user_id, char **bio)
{
	return db_get(db_of(s), &Q_BIO_GET, ar, read_bio, bio, DB_ARGS(db_text(user_id)));
}

void store_article_init(struct store *s)
{
	assert(s);
	s->article_insert = article_insert;
	s->article_update = article_update;
	s->article_delete = article_delete;
	s->article_by_slug = article_by_slug;
	s->article_list = article_list;
	s->article_list_own = article_list_own;
	s->article_view = article_view;
	s->comment_insert = comment_insert;
	s->comment_list = comment_list;
	s->comment_set_status = comment_set_status;
	s->comment_delete = comment_delete;
	s->article_list_tagged = article_list_tagged;
	s->article_tags_get = article_tags_get;
	s->article_tags_set = article_tags_set;
	s->tag_list = tag_list;
	s->profile_bio_get = profile_bio_get;
}
