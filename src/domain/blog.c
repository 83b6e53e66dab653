/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * blog.c - tags, bylines, bios and the names comments show (see blog.h).
 *
 * A public page must never link a commenter to a couple or to a therapist's
 * client list, so a comment shows only the name its writer chose: initials
 * unless they type something else. The bio is a text people write, so it is
 * sealed at rest like every other (scope: the person).
 */
#include "blog.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "keyring.h"
#include "text.h"

bool blog_tag_valid(const char *tag)
{
	size_t n = tag ? strlen(tag) : 0;
	if (n == 0 || n > STORE_TAG_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((tag[i] >= 'a' && tag[i] <= 'z') || (tag[i] >= '0' && tag[i] <= '9') || tag[i] == '-'))
			return false;
	return true;
}

bool blog_tags_put(struct store_article *a, const char *const *tags, int n, struct problem *p)
{
	assert(a && n >= 0 && (n == 0 || tags));
	int kept = 0;
	for (int i = 0; i < n; i++) {
		if (!blog_tag_valid(tags[i]))
			return problem_invalid(
			    p, "tags", "A tag is 1 to 32 of lower-case letters, digits and dashes (like \"repair\").");
		bool seen = false;
		for (int j = 0; j < kept && !seen; j++)
			seen = strcmp(a->tags[j], tags[i]) == 0;
		if (seen)
			continue;
		if (kept == STORE_ARTICLE_TAGS_MAX)
			return problem_invalid(p, "tags", "An article can have at most 5 tags.");
		snprintf(a->tags[kept++], sizeof a->tags[0], "%s", tags[i]);
	}
	a->tag_count = kept;
	return true;
}

int blog_tags_split(const char *text, struct arena *a, const char **out, int max)
{
	int n = 0;
	for (const char *c = text ? text : ""; *c && n <= max;) {
		while (*c == ',' || *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
			c++;
		const char *start = c;
		while (*c && *c != ',' && *c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
			c++;
		if (c == start)
			continue;
		char *tag = arena_strndup(a, start, (size_t)(c - start));
		for (char *t = tag; *t; t++)
			if (*t >= 'A' && *t <= 'Z')
				*t = (char)(*t - 'A' + 'a');
		out[n++] = tag;
	}
	return n;
}

void blog_initials(const char *display_name, char *out, size_t n)
{
	assert(out && n > 0);
	size_t j = 0;
	int words = 0;
	bool start = true;
	for (const unsigned char *c = (const unsigned char *)(display_name ? display_name : ""); *c && words < 3; c++) {
		if (*c == ' ' || *c == '\t' || *c == '-' || *c == '.') {
			start = true;
			continue;
		}
		if (!start)
			continue;
		start = false;
		/* The whole first character, however many bytes it takes. */
		size_t len = *c < 0x80 ? 1 : *c >= 0xF0 ? 4 : *c >= 0xE0 ? 3 : 2;
		if (strnlen((const char *)c, len) < len || j + len + 1 > n)
			break;
		memcpy(out + j, c, len);
		if (len == 1 && out[j] >= 'a' && out[j] <= 'z')
			out[j] = (char)(out[j] - 'a' + 'A');
		j += len;
		c += len - 1;
		words++;
	}
	out[j] = '\0';
	if (j == 0 || !utf8_valid(out, j))
		snprintf(out, n, "A reader");
}

bool blog_comment_name(const struct viewer *v, const char *typed, char *out, size_t n, struct problem *p)
{
	assert(v && out && n > 4 * COMMENT_NAME_MAX);
	if (!typed || text_blank(typed)) {
		blog_initials(v->display_name, out, n);
		return true;
	}
	while (*typed == ' ' || *typed == '\t')
		typed++;
	size_t len = strlen(typed);
	while (len &&
	       (typed[len - 1] == ' ' || typed[len - 1] == '\t' || typed[len - 1] == '\n' || typed[len - 1] == '\r'))
		len--;
	if (len >= n || !utf8_valid(typed, len))
		return problem_invalid(p, "name", "A name can be at most 40 characters.");
	memcpy(out, typed, len);
	out[len] = '\0';
	if (!text_fits(out, COMMENT_NAME_MAX) || strpbrk(out, "\n\r"))
		return problem_invalid(p, "name", "A name can be at most 40 characters, on one line.");
	return true;
}

void blog_articles_tags(struct store *s, struct store_article *items, int n, struct arena *ar)
{
	for (int i = 0; i < n; i++)
		if (s->article_tags_get(s, ar, &items[i]) != STORE_OK)
			items[i].tag_count = 0;
}

void blog_article_fill(struct store *s, struct store_article *a, struct arena *ar)
{
	blog_articles_tags(s, a, 1, ar);
	a->author_name = "";
	a->author_bio = "";
	struct store_user u;
	struct problem p;
	/* The display name is sealed in the store (issue 10): opened here for the byline. */
	if (s->user_by_id(s, a->author_id, &u) == STORE_OK && account_name_open(s, a->author_id, u.display_name, &p))
		a->author_name = arena_strdup(ar, u.display_name);
	char *bio;
	if (blog_bio_get(s, a->author_id, ar, &bio, &p))
		a->author_bio = bio;
}

static char *bio_ad(struct arena *a, const char *user_id)
{
	return arena_printf(a, "profile:%s:bio", user_id);
}

bool blog_bio_get(struct store *s, const char *user_id, struct arena *a, char **bio, struct problem *p)
{
	char *sealed = NULL;
	*bio = "";
	enum store_status st = s->profile_bio_get(s, a, user_id, &sealed);
	if (st == STORE_NOT_FOUND || (st == STORE_OK && (!sealed || !*sealed)))
		return true;
	if (st != STORE_OK)
		return problem_from_store(p, st);
	st = keyring_open_text(s->keys, s, bio_ad(a, user_id), sealed, a, bio);
	return st == STORE_OK || problem_from_store(p, st);
}

const char *blog_bio_check(const char *bio)
{
	return bio && text_fits(bio, BLOG_BIO_MAX) ? NULL : "A bio can be at most 500 characters.";
}

bool blog_bio_seal(struct store *s, const char *user_id, const char *bio, struct arena *a, const char **sealed,
                   struct problem *p)
{
	*sealed = "";
	if (text_blank(bio))
		return true;
	char *text;
	enum store_status st = keyring_seal(s->keys, s, user_id, bio_ad(a, user_id), bio, a, &text);
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	*sealed = text;
	return true;
}

bool blog_bio_set(struct store *s, const char *user_id, const char *bio, struct arena *a, struct problem *p)
{
	const char *msg = blog_bio_check(bio);
	if (msg)
		return problem_invalid(p, "bio", msg);
	struct store_profile change = {.bio_at = now_ms()};
	if (!blog_bio_seal(s, user_id, bio, a, &change.bio, p))
		return false;
	enum store_status st = s->user_profile_set(s, user_id, &change);
	return st == STORE_OK || problem_from_store(p, st);
}

bool blog_tag_list(struct store *s, struct arena *a, struct store_tag **items, int *count, struct problem *p)
{
	enum store_status st = s->tag_list(s, a, 200, items, count);
	return st == STORE_OK || problem_from_store(p, st);
}
