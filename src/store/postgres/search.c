/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres/search.c - how PostgreSQL searches articles (see
 * store_internal.h): the generated column articles.search (title weighted A,
 * body B; punctuation becomes space first, so words split as FTS5 splits
 * them) matched by a tsquery of quoted prefix terms joined by AND, 'word':*
 * & 'other':*. A term holds no quote or backslash, so nothing typed becomes
 * an operator. ts_rank with the weights {D, C, B, A} = {0.1, 0.2, 0.2, 1.0}
 * makes a title match count five times a body match, as bm25(articles_fts,
 * 5.0, 1.0) does on SQLite; equal ranks sort as SQLite sorts them.
 */
#include "../store_internal.h"

DB_QUERY(Q_SEARCH_TSQUERY, "SELECT " ARTICLE_COLUMNS " FROM articles a, to_tsquery('simple', ?1) q"
                           " WHERE a.search @@ q AND (a.status = 'published' OR a.author_id = ?2)"
                           " ORDER BY ts_rank('{0.1, 0.2, 0.2, 1.0}', a.search, q) DESC,"
                           " a.published_at DESC NULLS LAST, a.id DESC LIMIT ?3");

const struct search_dialect search_postgres = {
    .query = &Q_SEARCH_TSQUERY,
    .term_open = "'",
    .term_close = "':*",
    .join = " & ",
};
