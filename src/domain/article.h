/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * article.h - the practice's public blog: articles written in Markdown by
 * therapists and admins (rendered with cmark, raw HTML and unsafe links
 * removed), drafts, unique slugs, search, view counts without tracking, and
 * comments that wait for the author's approval. The Atom feed of them is
 * presentation: web/render/atom.c.
 */
#ifndef HEARTH_ARTICLE_H
#define HEARTH_ARTICLE_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

#define ARTICLE_TITLE_MAX 200
#define ARTICLE_BODY_MAX 60000
#define COMMENT_MAX 2000

/* Markdown to safe HTML (caller frees); NULL on out-of-memory. */
char *article_html(const char *markdown);
/* A URL slug from a title: lower-case ASCII letters, digits and dashes (never empty). */
void article_slugify(const char *title, char *out, size_t n);
/* A plain-text summary of at most about 200 characters (arena). */
char *article_summary(const char *markdown, struct arena *a);
/* Minutes to read, at least 1. */
int article_reading_minutes(const char *markdown);

/* Drafts are their author's (and an admin's) alone; comments wait for the article's author. */
enum article_status { ARTICLE_DRAFT, ARTICLE_PUBLISHED };
enum comment_status { COMMENT_PENDING, COMMENT_PUBLISHED };

const char *article_status_name(enum article_status st);
const char *comment_status_name(enum comment_status st);
/* True when the stored status says published; anything else is kept from readers. */
bool article_is_published(const struct store_article *a);
bool comment_is_published(const struct store_comment *k);

/* True for therapists and admins: who writes articles at all. */
bool article_can_write(const struct viewer *v);
/* True for the article's author and for admins: who changes, deletes and moderates it. v may be NULL. */
bool article_may_manage(const struct viewer *v, const struct store_article *a);

/*
 * v may be NULL (anonymous). Drafts are found only by their author or an admin; others get 404.
 * A view is counted for anyone but the author. out gets its tags and byline (blog_article_fill).
 */
bool article_get(struct store *s, const struct viewer *v, const char *slug, bool count_view, struct arena *a,
                 struct store_article *out, struct problem *p) WARN_UNUSED;
/*
 * tags[0..n_tags): the article's tags (blog.h says which are valid); language:
 * the one it is written in ("en", "es", "de"), "" or NULL when not said (issue 16).
 */
bool article_create(struct store *s, const struct viewer *v, const char *title, const char *body, bool publish,
                    const char *const *tags, int n_tags, const char *language, struct arena *a,
                    struct store_article *out, struct problem *p) WARN_UNUSED;
/*
 * title/body NULL: unchanged; publish: -1 unchanged, 0 back to draft, 1 publish; n_tags -1: tags unchanged;
 * language NULL: unchanged, "": not said.
 */
bool article_edit(struct store *s, const struct viewer *v, const char *slug, const char *title, const char *body,
                  int publish, const char *const *tags, int n_tags, const char *language, struct arena *a,
                  struct store_article *out, struct problem *p) WARN_UNUSED;
bool article_remove(struct store *s, const struct viewer *v, const char *slug, struct arena *a,
                    struct problem *p) WARN_UNUSED;

struct article_page {
	struct store_article *items;
	int count;
	char *next_cursor;
};

/* Published articles (and the viewer's own drafts when they write); q: search; tag (may be NULL): only those. */
bool article_list(struct store *s, const struct viewer *v, const char *q, const char *tag, const char *cursor,
                  int limit, struct arena *a, struct article_page *out, struct problem *p) WARN_UNUSED;

/* The viewer's own articles (drafts too), newest first, each with its comments awaiting moderation (`pending`). */
bool article_list_own(struct store *s, const struct viewer *v, int limit, struct arena *a, struct store_article **items,
                      int *count, struct problem *p) WARN_UNUSED;

#define ARTICLE_RECENT_MAX 5
/* The newest published articles but the one with except_id (may be NULL): at most ARTICLE_RECENT_MAX. */
bool article_recent(struct store *s, const char *except_id, struct arena *a, struct article_page *out,
                    struct problem *p) WARN_UNUSED;

/* name: what the comment shows (NULL or blank: the commenter's initials; blog_comment_name). */
bool comment_add(struct store *s, const struct viewer *v, const char *slug, const char *name, const char *body,
                 struct arena *a, struct store_comment *out, struct problem *p) WARN_UNUSED;
/* Published comments, and pending ones too for the article's author or an admin. */
bool comment_list(struct store *s, const struct viewer *v, const char *slug, struct arena *a,
                  struct store_comment **items, int *count, bool *moderator, struct problem *p) WARN_UNUSED;
bool comment_approve(struct store *s, const struct viewer *v, const char *slug, const char *id, struct arena *a,
                     struct problem *p) WARN_UNUSED;
bool comment_remove(struct store *s, const struct viewer *v, const char *slug, const char *id, struct arena *a,
                    struct problem *p) WARN_UNUSED;

#define ARTICLE_FEED_MAX 20
/*
 * The newest published articles (with tag only those; tag may be NULL), newest first, at most max, each
 * with its tags and (when bylines) byline: what the feed (ARTICLE_FEED_MAX) and the sitemap show.
 */
bool article_feed(struct store *s, const char *tag, int max, bool bylines, struct arena *a,
                  struct store_article **items, int *count, struct problem *p) WARN_UNUSED;

#endif
