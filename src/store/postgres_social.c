/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres_social.c - the PostgreSQL backend for therapists (invites, links,
 * per-partner consent, therapist-visible check-ins, private notes, the
 * access log, visits, shared safety checks) and for the public articles with
 * their full-text search and comments (see store.h): the same behaviour as
 * sqlite_therapist.c and sqlite_articles.c. Notes arrive sealed; this file
 * only stores them. The tables are created by migration 5 in postgres.c,
 * which also drops a leaver's consent and an emptied space's therapist.
 *
 * Linking a therapist is one transaction, run again on a serialization
 * failure or deadlock. The invite is taken with one UPDATE ... RETURNING, so
 * two spaces racing for one code queue on its row and the second finds it
 * used; two partners linking the same space at once meet on the primary key
 * of space_therapists, and the loser answers LINK_ALREADY with its code left
 * unused.
 *
 * Search reads the generated column articles.search (title weighted A, body
 * B). What a person typed becomes quoted prefix terms here, the way
 * sqlite_articles.c builds its FTS5 query, so input can never add tsquery
 * operators; ts_rank weighs a title match five times a body match, as
 * bm25(articles_fts, 5.0, 1.0) does.
 *
 * Layout: the statements, then therapists and articles, in the order of
 * store.h.
 */
#include <string.h>

#include "postgres_internal.h"

enum {
	TINVITE_INSERT = PG_SOCIAL_BASE,
	LINK_EXISTS,
	TINVITE_TAKE,
	LINK_INSERT,
	CONSENT_UPSERT,
	UNLINK,
	UNLINK_CONSENTS,
	SPACE_THERAPIST,
	SPACE_MEMBERS,
	THERAPIST_SPACES,
	CHECKINS_THERAPIST,
	NOTE_INSERT,
	NOTE_LIST,
	ACCESS_INSERT,
	ACCESS_LIST,
	VISIT_GET,
	VISIT_SET,
	SAFETY_SHARED,
	ARTICLE_INSERT,
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
	SOCIAL_END
};

_Static_assert(SOCIAL_END <= PG_SLOTS, "social statements beyond PG_SLOTS");

/* At most this many spaces per therapist, as sqlite_therapist.c. */
#define THERAPIST_SPACES_MAX 1000
/* Search terms: as many as sqlite_articles.c takes, and the size of its query buffer. */
#define SEARCH_TERMS_MAX 16
#define SEARCH_QUERY_CAP 4096
/* PostgreSQL indexes no longer word (2047 bytes), so a longer term matches nothing. */
#define SEARCH_TERM_MAX 2047

#define ARTICLE_COLUMNS                                                                                            \
	"a.id, a.slug, a.author_id, a.title, a.body, a.summary, a.status, coalesce(a.published_at, 0), a.created_at," \
	" a.updated_at, a.views, (SELECT count(*) FROM article_comments k WHERE k.article_id = a.id"                 \
	" AND k.status = 'published')"

#define AT(slot) [(slot) - PG_SOCIAL_BASE]

/* Numbers travel as text; the casts give every parameter its type. */
static const char *const statements[SOCIAL_END - PG_SOCIAL_BASE] = {
	AT(TINVITE_INSERT) = "INSERT INTO therapist_invites (code_hash, therapist_id, created_at, expires_at)"
	                     " VALUES ($1, $2, $3::bigint, $4::bigint)",
	AT(LINK_EXISTS) = "SELECT 1 FROM space_therapists WHERE space_id = $1",
	/* Finds and uses the code in one step: a racing link waits on the row, then finds it used. */
	AT(TINVITE_TAKE) = "UPDATE therapist_invites SET used_at = $2::bigint"
	                   " WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2::bigint"
	                   " RETURNING therapist_id",
	AT(LINK_INSERT) = "INSERT INTO space_therapists (space_id, therapist_id, linked_at)"
	                  " VALUES ($1, $2, $3::bigint)",
	AT(CONSENT_UPSERT) = "INSERT INTO therapist_consents (space_id, user_id, granted, updated_at)"
	                     " VALUES ($1, $2, $3::smallint, $4::bigint) ON CONFLICT (space_id, user_id)"
	                     " DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at",
	AT(UNLINK) = "DELETE FROM space_therapists WHERE space_id = $1",
	AT(UNLINK_CONSENTS) = "DELETE FROM therapist_consents WHERE space_id = $1",
	AT(SPACE_THERAPIST) = "SELECT t.therapist_id, u.display_name, t.linked_at FROM space_therapists t"
	                      " JOIN users u ON u.id = t.therapist_id WHERE t.space_id = $1",
	AT(SPACE_MEMBERS) = "SELECT m.user_id, u.display_name, coalesce(k.granted, 0) FROM space_members m"
	                    " JOIN users u ON u.id = m.user_id"
	                    " LEFT JOIN therapist_consents k ON k.space_id = m.space_id AND k.user_id = m.user_id"
	                    " WHERE m.space_id = $1 ORDER BY m.joined_at, m.user_id COLLATE \"C\" LIMIT 2",
	AT(THERAPIST_SPACES) = "SELECT space_id FROM space_therapists WHERE therapist_id = $1"
	                       " ORDER BY linked_at DESC, space_id LIMIT 1000",
	AT(CHECKINS_THERAPIST) =
		"SELECT space_id, id, author_id, created_at, updated_at, mood, connection, secure,"
		" appreciation, need, worry, visibility FROM checkins"
		" WHERE space_id = $1 AND author_id IN ($2::text, $3::text) AND visibility = 'therapist'"
		" AND ($4::bigint = 0 OR created_at < $4::bigint OR (created_at = $4::bigint AND id < $5))"
		" ORDER BY created_at DESC, id DESC LIMIT $6::integer",
	AT(NOTE_INSERT) = "INSERT INTO therapist_notes (space_id, id, therapist_id, text, created_at)"
	                  " VALUES ($1, $2, $3, $4, $5::bigint)",
	AT(NOTE_LIST) = "SELECT space_id, id, therapist_id, text, created_at FROM therapist_notes"
	                " WHERE space_id = $1 AND therapist_id = $2"
	                " AND ($3::bigint = 0 OR created_at < $3::bigint OR (created_at = $3::bigint AND id < $4))"
	                " ORDER BY created_at DESC, id DESC LIMIT $5::integer",
	AT(ACCESS_INSERT) = "INSERT INTO access_log (space_id, id, at, who_id, who_name, what)"
	                    " VALUES ($1, $2, $3::bigint, $4, $5, $6)",
	AT(ACCESS_LIST) = "SELECT id, at, who_id, who_name, what FROM access_log WHERE space_id = $1"
	                  " AND ($2::bigint = 0 OR at < $2::bigint OR (at = $2::bigint AND id < $3))"
	                  " ORDER BY at DESC, id DESC LIMIT $4::integer",
	AT(VISIT_GET) = "SELECT visited_at FROM therapist_visits WHERE space_id = $1 AND therapist_id = $2",
	AT(VISIT_SET) = "INSERT INTO therapist_visits (space_id, therapist_id, visited_at) VALUES ($1, $2, $3::bigint)"
	                " ON CONFLICT (space_id, therapist_id) DO UPDATE SET visited_at = excluded.visited_at",
	AT(SAFETY_SHARED) = "SELECT id, space_id, user_id, afraid, pressured, share_with_therapist, created_at"
	                    " FROM safety_checks WHERE space_id = $1 AND share_with_therapist <> 0"
	                    " ORDER BY created_at DESC, id DESC LIMIT $2::integer",
	AT(ARTICLE_INSERT) = "INSERT INTO articles (id, slug, author_id, title, body, summary, status, published_at,"
	                     " created_at, updated_at)"
	                     " VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8::bigint, 0), $9::bigint, $10::bigint)",
	AT(ARTICLE_UPDATE) = "UPDATE articles SET slug = $2, title = $4, body = $5, summary = $6, status = $7,"
	                     " published_at = nullif($8::bigint, 0), updated_at = $9::bigint"
	                     " WHERE id = $1 AND author_id = $3",
	AT(ARTICLE_DELETE) = "DELETE FROM articles WHERE id = $1",
	AT(ARTICLE_DELETE_COMMENTS) = "DELETE FROM article_comments WHERE article_id = $1",
	AT(ARTICLE_BY_SLUG) = "SELECT " ARTICLE_COLUMNS " FROM articles a WHERE a.slug = $1",
	AT(ARTICLE_LIST) = "SELECT " ARTICLE_COLUMNS " FROM articles a"
	                   " WHERE (a.status = 'published' OR a.author_id = $1)"
	                   " AND ($2::bigint = 0 OR coalesce(a.published_at, a.created_at) < $2::bigint OR"
	                   " (coalesce(a.published_at, a.created_at) = $2::bigint AND a.id < $3))"
	                   " ORDER BY coalesce(a.published_at, a.created_at) DESC, a.id DESC LIMIT $4::integer",
	/*
	 * $1 holds quoted prefix terms only (see search_query); the weights
	 * {D, C, B, A} make a title match count five times a body match. Equal
	 * ranks: newest first, drafts (no date) last, as SQLite sorts NULL.
	 */
	AT(ARTICLE_SEARCH) = "SELECT " ARTICLE_COLUMNS " FROM articles a, to_tsquery('simple', $1) q"
	                     " WHERE a.search @@ q AND (a.status = 'published' OR a.author_id = $2)"
	                     " ORDER BY ts_rank('{0.1, 0.2, 0.2, 1.0}', a.search, q) DESC,"
	                     " a.published_at DESC NULLS LAST, a.id DESC LIMIT $3::integer",
	AT(ARTICLE_VIEW) = "UPDATE articles SET views = views + 1 WHERE id = $1",
	AT(COMMENT_INSERT) = "INSERT INTO article_comments (article_id, id, author_id, body, status, created_at)"
	                     " VALUES ($1, $2, $3, $4, $5, $6::bigint)",
	AT(COMMENT_LIST) = "SELECT k.id, k.article_id, k.author_id, coalesce(u.display_name, ''), k.body, k.status,"
	                   " k.created_at FROM article_comments k LEFT JOIN users u ON u.id = k.author_id"
	                   " WHERE k.article_id = $1 AND ($2::integer <> 0 OR k.status = 'published')"
	                   " AND ($3::bigint = 0 OR k.created_at > $3::bigint"
	                   " OR (k.created_at = $3::bigint AND k.id > $4))"
	                   " ORDER BY k.created_at, k.id LIMIT $5::integer",
	AT(COMMENT_STATUS) = "UPDATE article_comments SET status = $3 WHERE article_id = $1 AND id = $2",
	AT(COMMENT_DELETE) = "DELETE FROM article_comments WHERE article_id = $1 AND id = $2",
};

/* Runs one of this file's statements (see pg_exec). */
static enum store_status run(struct conn *c, int slot, const struct pg_params *p, PGresult **out, const char *what)
{
	return pg_exec(c, slot, statements[slot - PG_SOCIAL_BASE], p, out, what);
}

/* Runs a statement that changes rows; STORE_NOT_FOUND when it changed none. */
static enum store_status run_change(struct conn *c, int slot, const struct pg_params *p, const char *what)
{
	PGresult *res = NULL;
	enum store_status r = run(c, slot, p, &res, what);
	if (r == STORE_OK && pg_changed_rows(res) == 0)
		r = STORE_NOT_FOUND;
	PQclear(res);
	return r;
}

/* SQLite's LIMIT takes a negative number as "no limit", and the callers then keep nothing: here 0. */
static int limit_rows(int limit)
{
	return limit > 0 ? limit : 0;
}

/* An arena array for up to limit rows (one at least, as the SQLite backend allocates). */
#define ALLOC_ROWS(ar, items, limit) \
	(*(items) = arena_alloc((ar), sizeof **(items) * (size_t)((limit) > 0 ? (limit) : 1)))

#define CONN_OR_BUSY(s)                \
	struct conn *c = pg_conn(s);   \
	if (!c)                        \
		return STORE_BUSY

/* ---- therapist invites, links, consent ---- */

static enum store_status pg_tinvite_insert(struct store *s, const char *code_hash, const char *therapist_id,
                                           int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, code_hash);
	pg_param_text(&p, therapist_id);
	pg_param_int(&p, now);
	pg_param_int(&p, expires_at);
	return run(c, TINVITE_INSERT, &p, NULL, "tinvite_insert");
}

static enum store_status consent_upsert(struct conn *c, const char *space_id, const char *user_id, bool granted,
                                        int64_t now)
{
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, user_id);
	pg_param_int(&p, granted ? 1 : 0);
	pg_param_int(&p, now);
	return run(c, CONSENT_UPSERT, &p, NULL, "consent_upsert");
}

/* Rolls back a link that did not happen and answers STORE_OK with *result saying why (as SQLite). */
static enum store_status link_refused(struct conn *c, enum link_result why, enum link_result *result)
{
	*result = why;
	return pg_tx_end(c, STORE_CONFLICT) == STORE_CONFLICT ? STORE_OK : STORE_BUSY;
}

/* One attempt at linking (see the file header for what runs concurrently). */
static enum store_status therapist_link_once(struct conn *c, const char *space_id, const char *code_hash,
                                             const char *linker_id, int64_t now, enum link_result *result)
{
	*result = LINK_NO_CODE;
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	struct pg_params e = {0};
	pg_param_text(&e, space_id);
	PGresult *res = NULL;
	r = run(c, LINK_EXISTS, &e, &res, "link_exists");
	bool linked = r == STORE_OK && PQntuples(res) > 0;
	PQclear(res);
	if (r != STORE_OK)
		return pg_tx_end(c, r);
	if (linked)
		return link_refused(c, LINK_ALREADY, result);
	struct pg_params t = {0};
	pg_param_text(&t, code_hash);
	pg_param_int(&t, now);
	char therapist[ID_LEN + 1] = "";
	r = run(c, TINVITE_TAKE, &t, &res, "tinvite_take");
	if (r == STORE_OK && PQntuples(res) > 0)
		pg_copy_col(res, 0, 0, therapist, sizeof therapist);
	PQclear(res);
	if (r != STORE_OK)
		return pg_tx_end(c, r);
	if (!therapist[0])
		return link_refused(c, LINK_NO_CODE, result);
	struct pg_params l = {0};
	pg_param_text(&l, space_id);
	pg_param_text(&l, therapist);
	pg_param_int(&l, now);
	r = run(c, LINK_INSERT, &l, NULL, "link_insert");
	if (r == STORE_CONFLICT) /* the partner linked this space meanwhile; the code stays unused */
		return link_refused(c, LINK_ALREADY, result);
	if (r == STORE_OK)
		r = consent_upsert(c, space_id, linker_id, true, now);
	r = pg_tx_end(c, r);
	if (r == STORE_OK)
		*result = LINK_OK;
	return r;
}

static enum store_status pg_therapist_link(struct store *s, const char *space_id, const char *code_hash,
                                           const char *linker_id, int64_t now, enum link_result *result)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = therapist_link_once(c, space_id, code_hash, linker_id, now, result);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

/* One attempt: the link and every consent go; nothing changes when there was no link (as SQLite). */
static enum store_status therapist_unlink_once(struct conn *c, const char *space_id)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	r = run_change(c, UNLINK, &p, "unlink");
	if (r == STORE_OK)
		r = run(c, UNLINK_CONSENTS, &p, NULL, "unlink_consents");
	return pg_tx_end(c, r);
}

static enum store_status pg_therapist_unlink(struct store *s, const char *space_id)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = therapist_unlink_once(c, space_id);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status pg_consent_set(struct store *s, const char *space_id, const char *user_id, bool granted,
                                        int64_t now)
{
	CONN_OR_BUSY(s);
	return consent_upsert(c, space_id, user_id, granted, now);
}

static enum store_status pg_space_therapist(struct store *s, const char *space_id, struct store_space_therapist *t)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	PGresult *res = NULL;
	enum store_status r = run(c, SPACE_THERAPIST, &p, &res, "space_therapist");
	if (r == STORE_OK && PQntuples(res) == 0)
		r = STORE_NOT_FOUND;
	if (r == STORE_OK) {
		memset(t, 0, sizeof *t);
		pg_copy_col(res, 0, 0, t->therapist_id, sizeof t->therapist_id);
		pg_copy_col(res, 0, 1, t->display_name, sizeof t->display_name);
		t->linked_at = pg_col_int(res, 0, 2);
	}
	PQclear(res);
	if (r != STORE_OK)
		return r;
	res = NULL;
	r = run(c, SPACE_MEMBERS, &p, &res, "space_members");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && t->members < 2; i++) {
			pg_copy_col(res, i, 0, t->member_ids[t->members], ID_LEN + 1);
			pg_copy_col(res, i, 1, t->member_names[t->members], DISPLAY_NAME_MAX_BYTES + 1);
			t->consent[t->members] = pg_col_int(res, i, 2) != 0;
			t->members++;
		}
	}
	PQclear(res);
	return r;
}

static enum store_status pg_therapist_spaces(struct store *s, struct arena *a, const char *therapist_id,
                                             char (**space_ids)[ID_LEN + 1], int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, therapist_id);
	*space_ids = arena_alloc(a, sizeof **space_ids * THERAPIST_SPACES_MAX);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, THERAPIST_SPACES, &p, &res, "therapist_spaces");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < THERAPIST_SPACES_MAX; i++)
			pg_copy_col(res, i, 0, (*space_ids)[(*count)++], ID_LEN + 1);
	}
	PQclear(res);
	return r;
}

/* ---- what the therapist sees ---- */

static enum store_status pg_checkin_list_therapist(struct store *s, struct arena *a, const char *space_id,
                                                   const char *author_a, const char *author_b, int64_t before_time,
                                                   const char *before_id, int limit, struct store_checkin **items,
                                                   int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, author_a ? author_a : "");
	pg_param_text(&p, author_b ? author_b : "");
	pg_param_int(&p, before_time);
	pg_param_text(&p, before_id ? before_id : "");
	pg_param_int(&p, limit_rows(limit));
	ALLOC_ROWS(a, items, limit);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, CHECKINS_THERAPIST, &p, &res, "checkin_list_therapist");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++) {
			struct store_checkin *ci = &(*items)[(*count)++];
			memset(ci, 0, sizeof *ci);
			pg_copy_col(res, i, 0, ci->space_id, sizeof ci->space_id);
			pg_copy_col(res, i, 1, ci->id, sizeof ci->id);
			pg_copy_col(res, i, 2, ci->author_id, sizeof ci->author_id);
			ci->created_at = pg_col_int(res, i, 3);
			ci->updated_at = pg_col_int(res, i, 4);
			ci->mood = (int)pg_col_int(res, i, 5);
			ci->connection = (int)pg_col_int(res, i, 6);
			ci->secure = (int)pg_col_int(res, i, 7);
			ci->appreciation = pg_col_text(res, i, 8, a);
			ci->need = pg_col_text(res, i, 9, a);
			ci->worry = pg_col_text(res, i, 10, a);
			pg_copy_col(res, i, 11, ci->visibility, sizeof ci->visibility);
		}
	}
	PQclear(res);
	return r;
}

static enum store_status pg_note_insert(struct store *s, const struct store_note *n)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, n->space_id);
	pg_param_text(&p, n->id);
	pg_param_text(&p, n->therapist_id);
	pg_param_text(&p, n->text);
	pg_param_int(&p, n->created_at);
	return run(c, NOTE_INSERT, &p, NULL, "note_insert");
}

static enum store_status pg_note_list(struct store *s, struct arena *a, const char *space_id,
                                      const char *therapist_id, int64_t before_time, const char *before_id, int limit,
                                      struct store_note **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, therapist_id);
	pg_param_int(&p, before_time);
	pg_param_text(&p, before_id ? before_id : "");
	pg_param_int(&p, limit_rows(limit));
	ALLOC_ROWS(a, items, limit);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, NOTE_LIST, &p, &res, "note_list");
	if (r == STORE_OK) {
		int rows = PQntuples(res);
		for (int i = 0; i < rows && *count < limit; i++) {
			struct store_note *n = &(*items)[(*count)++];
			memset(n, 0, sizeof *n);
			pg_copy_col(res, i, 0, n->space_id, sizeof n->space_id);
			pg_copy_col(res, i, 1, n->id, sizeof n->id);
			pg_copy_col(res, i, 2, n->therapist_id, sizeof n->therapist_id);
			n->text = pg_col_text(res, i, 3, a);
			n->created_at = pg_col_int(res, i, 4);
		}
	}
	PQclear(res);
	return r;
}

static enum store_status pg_access_insert(struct store *s, const char *space_id, const struct store_access *e)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, e->id);
	pg_param_int(&p, e->at);
	pg_param_text(&p, e->who_id);
	pg_param_text(&p, e->who_name);
	pg_param_text(&p, e->what);
	return run(c, ACCESS_INSERT, &p, NULL, "access_insert");
}

static enum store_status pg_access_list(struct store *s, struct arena *a, const char *space_id, int64_t before_time,
                                        const char *before_id, int limit, struct store_access **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_int(&p, before_time);
	pg_param_text(&p, before_id ? before_id : "");
	pg_param_int(&p, limit_rows(limit));
	ALLOC_ROWS(a, items, limit);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, ACCESS_LIST, &p, &res, "access_list");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++) {
			struct store_access *e = &(*items)[(*count)++];
			memset(e, 0, sizeof *e);
			pg_copy_col(res, i, 0, e->id, sizeof e->id);
			e->at = pg_col_int(res, i, 1);
			pg_copy_col(res, i, 2, e->who_id, sizeof e->who_id);
			pg_copy_col(res, i, 3, e->who_name, sizeof e->who_name);
			pg_copy_col(res, i, 4, e->what, sizeof e->what);
		}
	}
	PQclear(res);
	return r;
}

static enum store_status pg_visit_get(struct store *s, const char *space_id, const char *therapist_id, int64_t *at)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, therapist_id);
	PGresult *res = NULL;
	enum store_status r = run(c, VISIT_GET, &p, &res, "visit_get");
	*at = r == STORE_OK && PQntuples(res) > 0 ? pg_col_int(res, 0, 0) : 0;
	PQclear(res);
	return r;
}

static enum store_status pg_visit_set(struct store *s, const char *space_id, const char *therapist_id, int64_t now)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, therapist_id);
	pg_param_int(&p, now);
	return run(c, VISIT_SET, &p, NULL, "visit_set");
}

static enum store_status pg_safety_shared(struct store *s, struct arena *a, const char *space_id, int limit,
                                          struct store_safety_check **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_int(&p, limit_rows(limit));
	ALLOC_ROWS(a, items, limit);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, SAFETY_SHARED, &p, &res, "safety_shared");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++) {
			struct store_safety_check *k = &(*items)[(*count)++];
			memset(k, 0, sizeof *k);
			pg_copy_col(res, i, 0, k->id, sizeof k->id);
			pg_copy_col(res, i, 1, k->scope_id, sizeof k->scope_id);
			pg_copy_col(res, i, 2, k->user_id, sizeof k->user_id);
			k->afraid = pg_col_int(res, i, 3) != 0;
			k->pressured = pg_col_int(res, i, 4) != 0;
			k->share_with_therapist = true;
			k->created_at = pg_col_int(res, i, 6);
		}
	}
	PQclear(res);
	return r;
}

/* ---- articles ---- */

static void read_article(PGresult *res, int row, struct arena *ar, struct store_article *a)
{
	memset(a, 0, sizeof *a);
	pg_copy_col(res, row, 0, a->id, sizeof a->id);
	pg_copy_col(res, row, 1, a->slug, sizeof a->slug);
	pg_copy_col(res, row, 2, a->author_id, sizeof a->author_id);
	a->title = pg_col_text(res, row, 3, ar);
	a->body = pg_col_text(res, row, 4, ar);
	a->summary = pg_col_text(res, row, 5, ar);
	pg_copy_col(res, row, 6, a->status, sizeof a->status);
	a->published_at = pg_col_int(res, row, 7);
	a->created_at = pg_col_int(res, row, 8);
	a->updated_at = pg_col_int(res, row, 9);
	a->views = pg_col_int(res, row, 10);
	a->comments = (int)pg_col_int(res, row, 11);
}

static enum store_status pg_article_insert(struct store *s, const struct store_article *a)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, a->id);
	pg_param_text(&p, a->slug);
	pg_param_text(&p, a->author_id);
	pg_param_text(&p, a->title);
	pg_param_text(&p, a->body);
	pg_param_text(&p, a->summary);
	pg_param_text(&p, a->status);
	pg_param_int(&p, a->published_at);
	pg_param_int(&p, a->created_at);
	pg_param_int(&p, a->updated_at);
	return run(c, ARTICLE_INSERT, &p, NULL, "article_insert");
}

/* Only the author's own article changes; STORE_CONFLICT when the new slug is taken. */
static enum store_status pg_article_update(struct store *s, const struct store_article *a)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, a->id);
	pg_param_text(&p, a->slug);
	pg_param_text(&p, a->author_id);
	pg_param_text(&p, a->title);
	pg_param_text(&p, a->body);
	pg_param_text(&p, a->summary);
	pg_param_text(&p, a->status);
	pg_param_int(&p, a->published_at);
	pg_param_int(&p, a->updated_at);
	return run_change(c, ARTICLE_UPDATE, &p, "article_update");
}

/* One attempt: the comments, then the article; nothing changes when there is no such article (as SQLite). */
static enum store_status article_delete_once(struct conn *c, const char *id)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	struct pg_params p = {0};
	pg_param_text(&p, id);
	r = run(c, ARTICLE_DELETE_COMMENTS, &p, NULL, "article_delete_comments");
	if (r == STORE_OK)
		r = run_change(c, ARTICLE_DELETE, &p, "article_delete");
	return pg_tx_end(c, r);
}

static enum store_status pg_article_delete(struct store *s, const char *id)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = article_delete_once(c, id);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status pg_article_by_slug(struct store *s, struct arena *ar, const char *slug,
                                            struct store_article *a)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, slug);
	PGresult *res = NULL;
	enum store_status r = run(c, ARTICLE_BY_SLUG, &p, &res, "article_by_slug");
	if (r == STORE_OK && PQntuples(res) == 0)
		r = STORE_NOT_FOUND;
	if (r == STORE_OK)
		read_article(res, 0, ar, a);
	PQclear(res);
	return r;
}

static bool word_byte(unsigned char ch)
{
	return ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/*
 * Turns what a person typed into a tsquery of quoted prefix terms joined by
 * AND ('word':* & 'other':*), taking words as sqlite_articles.c does: runs
 * of ASCII letters and digits and of non-ASCII bytes, at most
 * SEARCH_TERMS_MAX of them. A term holds no quote or backslash, so nothing
 * typed can become an operator. Returns "" when there is no term, and NULL
 * when a term can never match (not UTF-8, or longer than PostgreSQL
 * indexes). The text lives in ar.
 */
static char *search_query(struct arena *ar, const char *q)
{
	struct buf b;
	buf_init(&b, SEARCH_QUERY_CAP);
	const char *p = q;
	int terms = 0;
	bool never = false;
	while (*p && terms < SEARCH_TERMS_MAX && !never) {
		while (*p && !word_byte((unsigned char)*p))
			p++;
		const char *start = p;
		while (word_byte((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - start);
		if (n == 0)
			continue;
		if (n >= SEARCH_TERM_MAX || !utf8_valid(start, n)) {
			never = true;
			break;
		}
		size_t before = b.len;
		if ((terms && buf_puts(&b, " & ") < 0) || buf_puts(&b, "'") < 0 || buf_append(&b, start, n) < 0 ||
		    buf_puts(&b, "':*") < 0) {
			b.len = before; /* past the cap: the terms so far, each whole */
			if (b.data)
				b.data[before] = '\0';
			break;
		}
		terms++;
	}
	char *out = never ? NULL : arena_strdup(ar, b.data ? b.data : "");
	buf_cleanup(&b);
	return out;
}

static enum store_status pg_article_list(struct store *s, struct arena *ar, const char *q, const char *author_id,
                                         int64_t before_time, const char *before_id, int limit,
                                         struct store_article **items, int *count)
{
	CONN_OR_BUSY(s);
	ALLOC_ROWS(ar, items, limit);
	*count = 0;
	struct pg_params p = {0};
	int slot = ARTICLE_LIST;
	if (q && *q) {
		char *match = search_query(ar, q);
		if (!match || !*match)
			return STORE_OK;
		slot = ARTICLE_SEARCH;
		pg_param_text(&p, match);
		pg_param_text(&p, author_id ? author_id : "");
	} else {
		pg_param_text(&p, author_id ? author_id : "");
		pg_param_int(&p, before_time);
		pg_param_text(&p, before_id ? before_id : "");
	}
	pg_param_int(&p, limit_rows(limit));
	PGresult *res = NULL;
	enum store_status r = run(c, slot, &p, &res, "article_list");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++)
			read_article(res, i, ar, &(*items)[(*count)++]);
	}
	PQclear(res);
	return r;
}

static enum store_status pg_article_view(struct store *s, const char *id)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, id);
	return run(c, ARTICLE_VIEW, &p, NULL, "article_view");
}

/* ---- comments ---- */

static enum store_status pg_comment_insert(struct store *s, const struct store_comment *k)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, k->article_id);
	pg_param_text(&p, k->id);
	pg_param_text(&p, k->author_id);
	pg_param_text(&p, k->body);
	pg_param_text(&p, k->status);
	pg_param_int(&p, k->created_at);
	return run(c, COMMENT_INSERT, &p, NULL, "comment_insert");
}

static enum store_status pg_comment_list(struct store *s, struct arena *ar, const char *article_id,
                                         bool include_pending, int64_t after_time, const char *after_id, int limit,
                                         struct store_comment **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, article_id);
	pg_param_int(&p, include_pending ? 1 : 0);
	pg_param_int(&p, after_time);
	pg_param_text(&p, after_id ? after_id : "");
	pg_param_int(&p, limit_rows(limit));
	ALLOC_ROWS(ar, items, limit);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, COMMENT_LIST, &p, &res, "comment_list");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++) {
			struct store_comment *k = &(*items)[(*count)++];
			memset(k, 0, sizeof *k);
			pg_copy_col(res, i, 0, k->id, sizeof k->id);
			pg_copy_col(res, i, 1, k->article_id, sizeof k->article_id);
			pg_copy_col(res, i, 2, k->author_id, sizeof k->author_id);
			pg_copy_col(res, i, 3, k->author_name, sizeof k->author_name);
			k->body = pg_col_text(res, i, 4, ar);
			pg_copy_col(res, i, 5, k->status, sizeof k->status);
			k->created_at = pg_col_int(res, i, 6);
		}
	}
	PQclear(res);
	return r;
}

static enum store_status pg_comment_set_status(struct store *s, const char *article_id, const char *id,
                                               const char *status)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, article_id);
	pg_param_text(&p, id);
	pg_param_text(&p, status);
	return run_change(c, COMMENT_STATUS, &p, "comment_set_status");
}

static enum store_status pg_comment_delete(struct store *s, const char *article_id, const char *id)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, article_id);
	pg_param_text(&p, id);
	return run_change(c, COMMENT_DELETE, &p, "comment_delete");
}

void pg_social_init(struct store *s)
{
	s->tinvite_insert = pg_tinvite_insert;
	s->therapist_link = pg_therapist_link;
	s->therapist_unlink = pg_therapist_unlink;
	s->consent_set = pg_consent_set;
	s->space_therapist = pg_space_therapist;
	s->therapist_spaces = pg_therapist_spaces;
	s->checkin_list_therapist = pg_checkin_list_therapist;
	s->note_insert = pg_note_insert;
	s->note_list = pg_note_list;
	s->access_insert = pg_access_insert;
	s->access_list = pg_access_list;
	s->visit_get = pg_visit_get;
	s->visit_set = pg_visit_set;
	s->safety_shared = pg_safety_shared;
	s->article_insert = pg_article_insert;
	s->article_update = pg_article_update;
	s->article_delete = pg_article_delete;
	s->article_by_slug = pg_article_by_slug;
	s->article_list = pg_article_list;
	s->article_view = pg_article_view;
	s->comment_insert = pg_comment_insert;
	s->comment_list = pg_comment_list;
	s->comment_set_status = pg_comment_set_status;
	s->comment_delete = pg_comment_delete;
}
