/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * article.c - articles and comments (see article.h).
 */
#include "article.h"

#include <assert.h>
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "auth.h"
#include "blog.h"
#include "checkin.h"
#include "page.h"
#include "text.h"
#include "../util/i18n.h"

char *article_html(const char *markdown)
{
	/* cmark 0.30 is safe by default: raw HTML is omitted and javascript:, vbscript:,
	 * file: and most data: links are dropped, unless CMARK_OPT_UNSAFE is given. */
	char *html = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
	if (!html)
		return NULL;
	/* The page's title is the only h1: Markdown headings move one level down (h6 stays). */
	for (char *p = html; (p = strstr(p, "<h")) != NULL; p += 2)
		if (p[2] >= '1' && p[2] <= '5' && (p[3] == '>' || p[3] == ' '))
			p[2]++;
	for (char *p = html; (p = strstr(p, "</h")) != NULL; p += 3)
		if (p[3] >= '1' && p[3] <= '5' && p[4] == '>')
			p[3]++;
	return html;
}

void article_slugify(const char *title, char *out, size_t n)
{
	size_t j = 0;
	bool dash = false;
	for (const char *c = title; *c && j + 1 < n && j < 80; c++) {
		char ch = *c;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			if (dash && j > 0 && j + 2 < n)
				out[j++] = '-';
			out[j++] = ch;
			dash = false;
		} else {
			dash = true;
		}
	}
	out[j] = '\0';
	if (j == 0)
		snprintf(out, n, "article");
}

char *article_summary(const char *markdown, struct arena *a)
{
	/* The text as readers see it: rendered (raw HTML already dropped), tags removed, entities read. */
	char *html = article_html(markdown);
	struct buf b;
	buf_init(&b, 4096); /* 200 characters of at most 4 bytes each, well within */
	bool space = false, in_tag = false, block = false;
	size_t chars = 0;
	static const struct {
		const char *entity, *text;
	} entities[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
	for (const char *c = html ? html : ""; *c && chars < 200; c++) {
		if (in_tag) {
			in_tag = *c != '>';
			if (!in_tag && block)
				space = b.len > 0;
			continue;
		}
		if (*c == '<') {
			/* Inline elements (em, strong, code, a) join their text to what is around them; blocks part it.
			 */
			in_tag = true;
			const char *t = c + 1 + (c[1] == '/');
			block = strncmp(t, "em", 2) != 0 && strncmp(t, "strong", 6) != 0 &&
			        strncmp(t, "code", 4) != 0 && strncmp(t, "a ", 2) != 0 && strncmp(t, "a>", 2) != 0;
			/* A heading ends as a sentence would, so it does not run into the text under it. */
			if (c[1] == '/' && t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && b.len > 0 &&
			    !strchr(".,;:!?", b.data[b.len - 1]) && buf_append(&b, ".", 1) < 0)
				break;
			continue;
		}
		if (*c == ' ' || *c == '\n' || *c == '\r' || *c == '\t') {
			space = b.len > 0;
			continue;
		}
		/* Never a space before punctuation a block or a line break left behind. */
		if (space && !strchr(".,;:!?)", *c) && buf_append(&b, " ", 1) < 0)
			break;
		space = false;
		bool done = false;
		for (size_t i = 0; i < ARRAY_LEN(entities) && !done; i++) {
			size_t n = strlen(entities[i].entity);
			if (strncmp(c, entities[i].entity, n) == 0) {
				done = buf_puts(&b, entities[i].text) == 0;
				c += n - 1;
				chars++;
			}
		}
		if (done)
			continue;
		if (buf_append(&b, c, 1) < 0)
			break;
		if (((unsigned char)*c & 0xC0) != 0x80)
			chars++;
	}
	free(html);
	/* Do not end in the middle of a multi-byte character. */
	while (b.len && b.data && !utf8_valid(b.data, b.len))
		b.len--;
	char *out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_cleanup(&b);
	return chars >= 200 ? arena_printf(a, "%s…", out) : out;
}

int article_reading_minutes(const char *markdown)
{
	int words = 0;
	bool in = false;
	for (const char *c = markdown; *c; c++) {
		bool ws = *c == ' ' || *c == '\n' || *c == '\t' || *c == '\r';
		if (!ws && !in)
			words++;
		in = !ws;
	}
	return words / 200 + 1;
}

static const char *const article_status_names[] = {[ARTICLE_DRAFT] = "draft", [ARTICLE_PUBLISHED] = "published"};
static const char *const comment_status_names[] = {[COMMENT_PENDING] = "pending", [COMMENT_PUBLISHED] = "published"};

const char *article_status_name(enum article_status st)
{
	assert((size_t)st < ARRAY_LEN(article_status_names));
	return article_status_names[st];
}

const char *comment_status_name(enum comment_status st)
{
	assert((size_t)st < ARRAY_LEN(comment_status_names));
	return comment_status_names[st];
}

bool article_is_published(const struct store_article *a)
{
	return word_find(a->status, article_status_names, ARRAY_LEN(article_status_names)) == ARTICLE_PUBLISHED;
}

bool comment_is_published(const struct store_comment *k)
{
	return word_find(k->status, comment_status_names, ARRAY_LEN(comment_status_names)) == COMMENT_PUBLISHED;
}

bool article_can_write(const struct viewer *v)
{
	return v && (viewer_role(v) == ROLE_THERAPIST || viewer_role(v) == ROLE_ADMIN);
}

bool article_may_manage(const struct viewer *v, const struct store_article *a)
{
	return v && (viewer_role(v) == ROLE_ADMIN || strcmp(v->user_id, a->author_id) == 0);
}

bool article_get(struct store *s, const struct viewer *v, const char *slug, bool count_view, struct arena *a,
                 struct store_article *out, struct problem *p)
{
	assert((!v || viewer_sane(v)) && out);
	if (!slug || strlen(slug) > 90)
		return problem_from_store(p, STORE_NOT_FOUND);
	enum store_status st = s->article_by_slug(s, a, slug, out);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	bool published = article_is_published(out);
	if (!published && !article_may_manage(v, out))
		return problem_from_store(p, STORE_NOT_FOUND);
	/* The author reading their own article is not a reader. */
	if (count_view && published && !(v && strcmp(v->user_id, out->author_id) == 0)) {
		/* A view is a count, nothing else: no cookie, no address, no time per reader. */
		st = s->article_view(s, out->id);
		if (st == STORE_OK)
			out->views++;
	}
	blog_article_fill(s, out, a);
	return true;
}

/* language: "", or one hearth speaks (the lang its page is marked with); NULL when unchanged. */
static bool check_text(const char *title, const char *body, const char *language, struct problem *p)
{
	problem_begin(p); /* every invalid field at once */
	if (title) {
		const char *t = title;
		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t)
			problem_add(p, "title", "Give the article a title.");
		else if (!text_fits(title, ARTICLE_TITLE_MAX))
			problem_add(p, "title", "A title can be at most 200 characters.");
	}
	if (!text_fits(body, ARTICLE_BODY_MAX))
		problem_add(p, "body_markdown", "An article can be at most 60,000 characters.");
	enum lang l;
	if (language && *language && !lang_parse(language, &l))
		problem_add(p, "language", "An article's language is en, es or de, or none.");
	return problem_none(p);
}

/* Slugs that are pages of their own under /articles/. */
static bool slug_reserved(const char *slug)
{
	return strcmp(slug, "new") == 0 || strcmp(slug, "tags") == 0;
}

bool article_create(struct store *s, const struct viewer *v, const char *title, const char *body, bool publish,
                    const char *const *tags, int n_tags, const char *language, struct arena *a,
                    struct store_article *out, struct problem *p)
{
	assert(viewer_sane(v) && title && body && out);
	if (!article_can_write(v))
		return problem_set(p, OUTCOME_FORBIDDEN, "forbidden", NULL,
		                   "Only therapists and admins write articles.");
	if (!check_text(title ? title : "", body ? body : "", language, p))
		return false;
	memset(out, 0, sizeof *out);
	snprintf(out->language, sizeof out->language, "%s", language ? language : "");
	if (!blog_tags_put(out, tags, n_tags, p))
		return false;
	id_new(out->id);
	snprintf(out->author_id, sizeof out->author_id, "%s", v->user_id);
	out->title = arena_strdup(a, title);
	out->body = arena_strdup(a, body ? body : "");
	out->summary = article_summary(out->body, a);
	snprintf(out->status, sizeof out->status, "%s",
	         article_status_name(publish ? ARTICLE_PUBLISHED : ARTICLE_DRAFT));
	out->created_at = out->updated_at = now_ms();
	out->published_at = publish ? out->created_at : 0;
	char base[88];
	article_slugify(title, base, sizeof base);
	for (int n = 1; n <= 100; n++) {
		if (n == 1 && !slug_reserved(base))
			snprintf(out->slug, sizeof out->slug, "%s", base);
		else
			snprintf(out->slug, sizeof out->slug, "%s-%d", base, n == 1 ? 2 : n);
		enum store_status st = s->article_insert(s, out);
		if (st == STORE_OK && out->tag_count)
			st = s->article_tags_set(s, out);
		if (st == STORE_OK) {
			blog_article_fill(s, out, a);
			return true;
		}
		if (st != STORE_CONFLICT)
			return problem_from_store(p, st);
	}
	return problem_set(p, OUTCOME_CONFLICT, "conflict", "title",
	                   "Too many articles have this title. Please choose another.");
}

bool article_edit(struct store *s, const struct viewer *v, const char *slug, const char *title, const char *body,
                  int publish, const char *const *tags, int n_tags, const char *language, struct arena *a,
                  struct store_article *out, struct problem *p)
{
	assert(viewer_sane(v) && out && publish >= -1 && publish <= 1);
	if (!article_get(s, v, slug, false, a, out, p))
		return false;
	if (!article_may_manage(v, out))
		return problem_set(p, OUTCOME_FORBIDDEN, "forbidden", NULL,
		                   "Only the author or an admin can change this article.");
	if (!check_text(title, body, language, p))
		return false;
	if (n_tags >= 0 && !blog_tags_put(out, tags, n_tags, p))
		return false;
	if (language)
		snprintf(out->language, sizeof out->language, "%s", language);
	if (title)
		out->title = arena_strdup(a, title);
	if (body) {
		out->body = arena_strdup(a, body);
		out->summary = article_summary(out->body, a);
	}
	if (publish == 1 && !article_is_published(out)) {
		snprintf(out->status, sizeof out->status, "%s", article_status_name(ARTICLE_PUBLISHED));
		out->published_at = now_ms();
	} else if (publish == 0) {
		snprintf(out->status, sizeof out->status, "%s", article_status_name(ARTICLE_DRAFT));
		out->published_at = 0;
	}
	out->updated_at = now_ms();
	/* The slug stays: links people shared keep working. The store matches the author, so an admin edits as them. */
	enum store_status st = s->article_update(s, out);
	if (st == STORE_OK && n_tags >= 0)
		st = s->article_tags_set(s, out);
	return st == STORE_OK || problem_from_store(p, st);
}

bool article_remove(struct store *s, const struct viewer *v, const char *slug, struct arena *a, struct problem *p)
{
	assert(viewer_sane(v));
	struct store_article art;
	if (!article_get(s, v, slug, false, a, &art, p))
		return false;
	if (!article_may_manage(v, &art))
		return problem_set(p, OUTCOME_FORBIDDEN, "forbidden", NULL,
		                   "Only the author or an admin can delete this article.");
	enum store_status st = s->article_delete(s, art.id);
	return st == STORE_OK || problem_from_store(p, st);
}

bool article_list_own(struct store *s, const struct viewer *v, int limit, struct arena *a, struct store_article **items,
                      int *count, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && items && count);
	*count = 0;
	if (!article_can_write(v))
		return true; /* only writers have articles */
	enum store_status st = s->article_list_own(s, a, v->user_id, limit, items, count);
	return st == STORE_OK || problem_from_store(p, st);
}

bool article_list(struct store *s, const struct viewer *v, const char *q, const char *tag, const char *cursor,
                  int limit, struct arena *a, struct article_page *out, struct problem *p)
{
	assert((!v || viewer_sane(v)) && limit > 0 && out);
	int64_t bt = 0;
	char bid[ID_LEN + 1] = "";
	memset(out, 0, sizeof *out);
	if (!page_after(cursor, &bt, bid, p))
		return false;
	if (q && (!utf8_valid(q, strlen(q)) || strlen(q) > 200))
		return problem_invalid(p, "q", "Search for at most 200 characters.");
	if (tag && *tag && !blog_tag_valid(tag))
		return problem_invalid(p, "tag", "A tag is 1 to 32 of lower-case letters, digits and dashes.");
	const char *own = article_can_write(v) ? v->user_id : NULL;
	struct store_article *rows;
	int n = 0;
	bool searching = q && *q;
	enum store_status st = tag && *tag && !searching
	                           ? s->article_list_tagged(s, a, tag, own, bt, bid, limit + 1, &rows, &n)
	                           : s->article_list(s, a, q, own, bt, bid, limit + 1, &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	blog_articles_tags(s, rows, n, a);
	if (searching && tag && *tag) { /* a search within a tag: the ranked hits that carry it */
		int kept = 0;
		for (int i = 0; i < n; i++)
			for (int j = 0; j < rows[i].tag_count; j++)
				if (strcmp(rows[i].tags[j], tag) == 0) {
					rows[kept++] = rows[i];
					break;
				}
		n = kept;
	}
	out->items = rows;
	out->count = n < limit ? n : limit;
	if (n > limit && !(q && *q)) {
		const struct store_article *last = &rows[limit - 1];
		out->next_cursor = page_cursor(a, last->published_at ? last->published_at : last->created_at, last->id);
	}
	return true;
}

bool article_recent(struct store *s, const char *except_id, struct arena *a, struct article_page *out,
                    struct problem *p)
{
	/* One more than shown, so the list stays full when the article at hand is among the newest. */
	if (!article_list(s, NULL, NULL, NULL, NULL, ARTICLE_RECENT_MAX + 1, a, out, p))
		return false;
	int kept = 0;
	for (int i = 0; i < out->count && kept < ARTICLE_RECENT_MAX; i++)
		if (!except_id || strcmp(out->items[i].id, except_id) != 0)
			out->items[kept++] = out->items[i];
	out->count = kept;
	out->next_cursor = NULL;
	return true;
}

bool comment_add(struct store *s, const struct viewer *v, const char *slug, const char *name, const char *body,
                 struct arena *a, struct store_comment *out, struct problem *p)
{
	assert(viewer_sane(v) && body && out);
	struct store_article art;
	if (!article_get(s, v, slug, false, a, &art, p))
		return false;
	if (text_blank(body))
		return problem_invalid(p, "body", "Write your comment first.");
	if (!text_fits(body, COMMENT_MAX))
		return problem_invalid(p, "body", "A comment can be at most 2000 characters.");
	memset(out, 0, sizeof *out);
	/* Never the account's display name unless they typed it: the name shown is public. */
	if (!blog_comment_name(v, name, out->author_name, sizeof out->author_name, p))
		return false;
	id_new(out->id);
	snprintf(out->article_id, sizeof out->article_id, "%s", art.id);
	snprintf(out->author_id, sizeof out->author_id, "%s", v->user_id);
	out->body = arena_strdup(a, body);
	/* The author's own comment needs nobody's approval. */
	bool own = strcmp(art.author_id, v->user_id) == 0;
	snprintf(out->status, sizeof out->status, "%s", comment_status_name(own ? COMMENT_PUBLISHED : COMMENT_PENDING));
	out->created_at = now_ms();
	enum store_status st = s->comment_insert(s, out);
	return st == STORE_OK || problem_from_store(p, st);
}

bool comment_list(struct store *s, const struct viewer *v, const char *slug, struct arena *a,
                  struct store_comment **items, int *count, bool *moderator, struct problem *p)
{
	assert((!v || viewer_sane(v)) && items && count && moderator);
	struct store_article art;
	if (!article_get(s, v, slug, false, a, &art, p))
		return false;
	*moderator = article_may_manage(v, &art);
	/* Each comment carries the name its writer chose to show (issue 12), in clear: not the sealed account name. */
	enum store_status st = s->comment_list(s, a, art.id, *moderator, 0, NULL, 500, items, count);
	return st == STORE_OK || problem_from_store(p, st);
}

static bool moderate(struct store *s, const struct viewer *v, const char *slug, const char *id, bool approve,
                     struct arena *a, struct problem *p)
{
	struct store_article art;
	if (!article_get(s, v, slug, false, a, &art, p))
		return false;
	if (!article_may_manage(v, &art))
		return problem_set(p, OUTCOME_FORBIDDEN, "forbidden", NULL,
		                   "Only the article's author or an admin moderates its comments.");
	if (!id_valid(id))
		return problem_from_store(p, STORE_NOT_FOUND);
	enum store_status st = approve ? s->comment_set_status(s, art.id, id, comment_status_name(COMMENT_PUBLISHED))
	                               : s->comment_delete(s, art.id, id);
	return st == STORE_OK || problem_from_store(p, st);
}

bool comment_approve(struct store *s, const struct viewer *v, const char *slug, const char *id, struct arena *a,
                     struct problem *p)
{
	return moderate(s, v, slug, id, true, a, p);
}

bool comment_remove(struct store *s, const struct viewer *v, const char *slug, const char *id, struct arena *a,
                    struct problem *p)
{
	return moderate(s, v, slug, id, false, a, p);
}

bool article_feed(struct store *s, const char *tag, int max, bool bylines, struct arena *a,
                  struct store_article **items, int *count, struct problem *p)
{
	if (tag && *tag && !blog_tag_valid(tag))
		return problem_invalid(p, "tag", "A tag is 1 to 32 of lower-case letters, digits and dashes.");
	enum store_status st = tag && *tag ? s->article_list_tagged(s, a, tag, NULL, 0, NULL, max, items, count)
	                                   : s->article_list(s, a, NULL, NULL, 0, NULL, max, items, count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	struct store_article *rows = *items;
	for (int i = 0; i < *count && bylines; i++) {
		/* A feed is mostly one or two writers: each byline is read and opened once. */
		int same = 0;
		while (same < i && strcmp(rows[same].author_id, rows[i].author_id) != 0)
			same++;
		if (same == i) {
			blog_article_fill(s, &rows[i], a);
			continue;
		}
		blog_articles_tags(s, &rows[i], 1, a);
		rows[i].author_name = rows[same].author_name;
		rows[i].author_bio = rows[same].author_bio;
	}
	return true;
}
