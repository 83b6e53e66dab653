/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * blog.h - what issue 12 adds to the public blog, beside article.h: tags
 * (0..5 per article, a-z 0-9 and dashes, 1..32 each), the byline (the
 * author's display name and their short bio, sealed at rest), and the name a
 * commenter chooses to show (default: the initials of their display name;
 * the account's display name is shown only when they type it).
 */
#ifndef HEARTH_BLOG_H
#define HEARTH_BLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "../store/store.h"
#include "problem.h"

#define BLOG_BIO_MAX 500
#define COMMENT_NAME_MAX 40

/* True for a tag of 1..STORE_TAG_MAX characters of a-z, 0-9 and '-'. */
bool blog_tag_valid(const char *tag);
/*
 * Puts tags[0..n) into a->tags (duplicates once), or fills *p (field "tags")
 * when there are more than STORE_ARTICLE_TAGS_MAX or one is not a valid tag.
 */
bool blog_tags_put(struct store_article *a, const char *const *tags, int n, struct problem *p) WARN_UNUSED;
/*
 * What a person typed into the page's tag field ("Couples, repair listening")
 * as tags: split at commas and spaces, ASCII upper case lowered; at most
 * max + 1 kept, so blog_tags_put can refuse too many. Returns the count;
 * the strings are arena copies in out.
 */
int blog_tags_split(const char *text, struct arena *a, const char **out, int max);

/* The initials of a display name: the first character of each of its first three words ("Alex Partner": "AP"). */
void blog_initials(const char *display_name, char *out, size_t n);
/*
 * The name a comment shows: `typed` trimmed (1..COMMENT_NAME_MAX characters),
 * or the viewer's initials when typed is NULL or blank. False with *p (field
 * "name") when it is too long or not UTF-8.
 */
bool blog_comment_name(const struct viewer *v, const char *typed, char *out, size_t n, struct problem *p) WARN_UNUSED;

/* Fills a's tags, author_name and author_bio (empty on a failure to read them: the byline is not worth a 500). */
void blog_article_fill(struct store *s, struct store_article *a, struct arena *ar);
/* Fills only the tags of each of items[0..n). */
void blog_articles_tags(struct store *s, struct store_article *items, int n, struct arena *ar);

/* The person's bio ("" when none), opened from its seal. */
bool blog_bio_get(struct store *s, const char *user_id, struct arena *a, char **bio, struct problem *p) WARN_UNUSED;
/* Why a bio cannot be kept (for a person), or NULL when it can: 0..BLOG_BIO_MAX characters. */
const char *blog_bio_check(const char *bio);
/*
 * Seals a checked bio into *sealed (arena-owned; "" for a blank bio), for
 * struct store_profile's bio. False with a problem when it cannot be sealed.
 */
bool blog_bio_seal(struct store *s, const char *user_id, const char *bio, struct arena *a, const char **sealed,
                   struct problem *p) WARN_UNUSED;
/* Checks (blog_bio_check, field "bio"), seals and stores the bio. */
bool blog_bio_set(struct store *s, const char *user_id, const char *bio, struct arena *a,
                  struct problem *p) WARN_UNUSED;

/* Tags of published articles, alphabetical, at most 200. */
bool blog_tag_list(struct store *s, struct arena *a, struct store_tag **items, int *count,
                   struct problem *p) WARN_UNUSED;

#endif
