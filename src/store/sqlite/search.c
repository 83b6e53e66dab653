/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite/search.c - how SQLite searches articles (see store_internal.h): the
 * FTS5 table articles_fts (title, body; kept by triggers on articles)
 * matched by quoted prefix terms, "word"* "other"*, which FTS5 joins by AND.
 * A term holds no double quote, so it stays one string. bm25 with the
 * weights 5.0 and 1.0 makes a title match count five times a body match; a
 * smaller bm25 is a better match, and NULL (a draft's date) sorts last when
 * descending.
 */
#include "../store_internal.h"

DB_QUERY(Q_SEARCH_FTS5, "SELECT " ARTICLE_COLUMNS " FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
                        " WHERE articles_fts MATCH ?1 AND (a.status = 'published' OR a.author_id = ?2)"
                        " ORDER BY bm25(articles_fts, 5.0, 1.0), a.published_at DESC, a.id DESC LIMIT ?3");

const struct search_dialect search_sqlite = {
    .query = &Q_SEARCH_FTS5,
    .term_open = "\"",
    .term_close = "\"*",
    .join = " ",
};
