/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * atom.h - the Atom 1.0 feed of the practice's articles (GET /articles.atom).
 */
#ifndef HEARTH_ATOM_H
#define HEARTH_ATOM_H

#include "../../store/store.h"
#include "../../util/i18n.h"
#include "../../util/util.h"

/*
 * Writes the feed of rows (newest first, as article_feed gives them, with
 * their bylines and tags) into out; base_url like "https://example.org", from
 * the configuration; l: the language of the feed's own words (its title);
 * tag: the feed of that tag alone (NULL: all). Each entry's
 * author is the article's author, each tag a category. Every text is escaped
 * for XML. Returns 0, or -1 when out's cap is reached.
 */
int atom_feed(struct buf *out, const char *base_url, enum lang l, const char *tag, const struct store_article *rows,
              int n) WARN_UNUSED;

#endif
