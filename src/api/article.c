/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * article.c - API: the public articles, their comments, and the Atom feed.
 */
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/article.h"
#include "../domain/homework.h"
#include "../domain/blog.h"
#include "../web/render/atom.h"
#include "api.h"

static json_t *article_item_json(const struct store_article *a)
{
	json_t *tags = json_array();
	for (int i = 0; i < a->tag_count; i++)
		json_array_append_new(tags, json_string(a->tags[i]));
	json_t *out =
	    json_pack("{s:s, s:s, s:s, s:o, s:I, s:i, s:s, s:o}", "slug", a->slug, "title", a->title, "summary",
	              a->summary, "published_at", a->published_at ? api_time(a->published_at) : json_null(), "views",
	              (json_int_t)a->views, "comments", a->comments, "status", a->status, "tags", tags);
	/* issue 16: the language it is written in, null when its author did not say */
	json_object_set_new(out, "language", a->language[0] ? json_string(a->language) : json_null());
	/* The byline: filled where one article is read (the list carries tags only). */
	if (a->author_name)
		json_object_set_new(
		    out, "author",
		    json_pack("{s:s, s:s}", "display_name", a->author_name, "bio", a->author_bio ? a->author_bio : ""));
	return out;
}

/*
 * The "tags" of a body: absent (*n = -1), or an array of at most
 * STORE_ARTICLE_TAGS_MAX + 1 strings kept (blog_tags_put refuses more).
 */
static bool api_tags(json_t *body, const char **tags, int *n, struct problem *p)
{
	json_t *arr = json_object_get(body, "tags");
	*n = -1;
	if (!arr)
		return true;
	if (!json_is_array(arr))
		return problem_invalid(p, "tags", "tags is a list of words.");
	*n = 0;
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t)
	{
		if (!json_is_string(t))
			return problem_invalid(p, "tags", "tags is a list of words.");
		if (*n <= STORE_ARTICLE_TAGS_MAX)
			tags[(*n)++] = json_string_value(t);
		else
			return problem_invalid(p, "tags", "An article can have at most 5 tags.");
	}
	return true;
}

void api_article_list(struct request *r)
{
	struct problem p = {0};
	int limit;
	const char *before;
	struct article_page page;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !article_list(r->app->store, request_viewer(r), request_query(r, "q"), request_query(r, "tag"), before,
	                  limit, r->arena, &page, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++)
		json_array_append_new(items, article_item_json(&page.items[i]));
	reply_json(r, 200, api_list(items, page.next_cursor));
}

static json_t *article_full_json(struct request *r, const struct store_article *a)
{
	char *html = article_html(a->body);
	json_t *out = article_item_json(a);
	json_object_set_new(out, "html", json_string(html ? html : ""));
	json_object_set_new(out, "body_markdown", json_string(a->body));
	json_object_set_new(out, "reading_minutes", json_integer(article_reading_minutes(a->body)));
	free(html);
	struct article_page recent;
	struct problem p = {0};
	json_t *list = json_array();
	if (article_recent(r->app->store, a->id, r->arena, &recent, &p)) /* without them on a failure */
		for (int i = 0; i < recent.count; i++)
			json_array_append_new(list, json_pack("{s:s, s:s}", "slug", recent.items[i].slug, "title",
			                                      recent.items[i].title));
	json_object_set_new(out, "recent", list);
	return out;
}

void api_article_get(struct request *r)
{
	struct store_article a;
	struct problem p = {0};
	if (!article_get(r->app->store, request_viewer(r), r->path_args[0], true, r->arena, &a, &p)) {
		api_problem(r, &p);
		return;
	}
	/* Issue 13: a partner signed in read it, so their homework to read it is done. */
	if (r->signed_in && article_is_published(&a) && !homework_article_opened(r->app->store, &r->viewer, a.slug, &p))
		p = (struct problem){0}; /* the reading matters more; the store logged and counted the failure */
	reply_json(r, 200, article_full_json(r, &a));
}

void api_article_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *title, *markdown, *language;
	bool publish = false, present;
	struct problem p = {0};
	struct store_article a;
	const char *tags[STORE_ARTICLE_TAGS_MAX + 1];
	int n_tags;
	if (api_string(body, "title", false, &title, &present, &p) &&
	    api_string(body, "body_markdown", false, &markdown, &present, &p) &&
	    api_string(body, "language", true, &language, &present, &p) &&
	    api_bool(body, "publish", &publish, &present, &p) && api_tags(body, tags, &n_tags, &p) &&
	    article_create(r->app->store, &r->viewer, title ? title : "", markdown ? markdown : "", publish, tags,
	                   n_tags < 0 ? 0 : n_tags, language, r->arena, &a, &p))
		reply_json(r, 201, article_full_json(r, &a));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_article_patch(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *title, *markdown, *language;
	bool publish = false, has_title, has_body, has_publish, has_language;
	struct problem p = {0};
	struct store_article a;
	const char *tags[STORE_ARTICLE_TAGS_MAX + 1];
	int n_tags;
	if (api_string(body, "title", false, &title, &has_title, &p) &&
	    api_string(body, "body_markdown", false, &markdown, &has_body, &p) &&
	    api_string(body, "language", true, &language, &has_language, &p) &&
	    api_bool(body, "publish", &publish, &has_publish, &p) && api_tags(body, tags, &n_tags, &p) &&
	    article_edit(r->app->store, &r->viewer, r->path_args[0], title, markdown, has_publish ? publish : -1, tags,
	                 n_tags, has_language ? (language ? language : "") : NULL, r->arena, &a, &p))
		reply_json(r, 200, article_full_json(r, &a));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_article_delete(struct request *r)
{
	struct problem p = {0};
	if (article_remove(r->app->store, &r->viewer, r->path_args[0], r->arena, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

static json_t *comment_json(const struct store_comment *k)
{
	/* "author" and "name" are both the name its writer chose to show; never the account's own. */
	const char *name = k->author_name[0] ? k->author_name : "A reader";
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", k->id, "author", name, "name", name, "body", k->body,
	                 "status", k->status, "created_at", api_time(k->created_at));
}

void api_comment_list(struct request *r)
{
	struct store_comment *items;
	int count;
	bool moderator;
	struct problem p = {0};
	if (!comment_list(r->app->store, request_viewer(r), r->path_args[0], r->arena, &items, &count, &moderator,
	                  &p)) {
		api_problem(r, &p);
		return;
	}
	/* Published comments; the article's author (or an admin) adds ?include=pending to moderate. */
	const char *include = request_query(r, "include");
	bool pending = moderator && include && strcmp(include, "pending") == 0;
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		if (pending || comment_is_published(&items[i]))
			json_array_append_new(list, comment_json(&items[i]));
	reply_json(r, 200, api_list(list, NULL));
}

void api_comment_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *text, *name;
	bool present;
	struct problem p = {0};
	struct store_comment k;
	if (api_string(body, "body", false, &text, &present, &p) &&
	    api_string(body, "name", true, &name, &present, &p) &&
	    comment_add(r->app->store, &r->viewer, r->path_args[0], name, text ? text : "", r->arena, &k, &p))
		reply_json(r, 201, json_pack("{s:s, s:s, s:s}", "id", k.id, "status", k.status, "name", k.author_name));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_comment_approve(struct request *r)
{
	struct problem p = {0};
	if (comment_approve(r->app->store, &r->viewer, r->path_args[0], r->path_args[1], r->arena, &p))
		reply_json(r, 200, json_pack("{s:s, s:s}", "id", r->path_args[1], "status", "published"));
	else
		api_problem(r, &p);
}

void api_comment_delete(struct request *r)
{
	struct problem p = {0};
	if (comment_remove(r->app->store, &r->viewer, r->path_args[0], r->path_args[1], r->arena, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_atom(struct request *r)
{
	struct buf out;
	buf_init(&out, 8 * 1024 * 1024);
	struct store_article *rows;
	int n = 0;
	struct problem p = {0};
	/* Any failure, of the store or of the buffer's cap, is answered as busy (as ever). */
	const char *tag = request_query(r, "tag");
	if (!article_feed(r->app->store, tag, ARTICLE_FEED_MAX, true, r->arena, &rows, &n, &p)) {
		if (p.outcome == OUTCOME_INVALID)
			api_problem(r, &p);
		else
			reply_store_failure(r, STORE_BUSY);
	} else if (atom_feed(&out, r->app->config.public_url, r->app->config.default_lang, tag && *tag ? tag : NULL,
	                     rows, n) < 0)
		reply_store_failure(r, STORE_BUSY);
	else
		reply_text(r, 200, "application/atom+xml; charset=utf-8", out.data, out.len);
	buf_cleanup(&out);
}

/* GET /api/v1/tags: the tags of published articles, alphabetical, with how many carry each. */
void api_tag_list(struct request *r)
{
	struct store_tag *tags;
	int n = 0;
	struct problem p;
	if (!blog_tag_list(r->app->store, r->arena, &tags, &n, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:i}", "tag", tags[i].tag, "articles", tags[i].articles));
	reply_json(r, 200, api_list(items, NULL));
}
