/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * search.h - full-text search of articles, the one part of the article store
 * that differs per backend: SQLite's FTS5 table ranked by bm25
 * (sqlite/search.c), PostgreSQL's generated tsvector ranked by ts_rank
 * (postgres/search.c). article.c splits what a person typed into terms, the
 * same way for both; each backend writes them in its own query syntax as
 * quoted prefix terms that must all match. A term holds only ASCII letters
 * and digits and non-ASCII characters (no quote, backslash or operator), so
 * nothing typed can become query syntax. Not for use outside src/store/.
 */
#ifndef HEARTH_STORE_SEARCH_H
#define HEARTH_STORE_SEARCH_H

#include "db.h"

/* The columns of every article row, in the order article.c reads them ("a" is articles). */
#define ARTICLE_COLUMNS                                                                                                \
	"a.id, a.slug, a.author_id, a.title, a.body, a.summary, a.status, COALESCE(a.published_at, 0), a.created_at,"  \
	" a.updated_at, a.views, (SELECT count(*) FROM article_comments k WHERE k.article_id = a.id"                   \
	" AND k.status = 'published')"

/*
 * How one backend searches: `query` takes the match text as ?1, author_id as
 * ?2 (their drafts are found too, others' are not) and the row limit as ?3,
 * and gives rows of ARTICLE_COLUMNS whose title or body holds every term (as
 * a word or a word's beginning, case folded), best first: a title match
 * counts five times a body match; equal ranks newest first, drafts last,
 * then by id. The match text is each term between term_open and term_close,
 * joined by `join`.
 */
struct search_dialect {
	const struct db_query *query;
	const char *term_open, *term_close, *join;
};

extern const struct search_dialect search_sqlite;   /* sqlite/search.c */
extern const struct search_dialect search_postgres; /* postgres/search.c */

#endif
