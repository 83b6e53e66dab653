/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * article.c - pages: the public articles with search, comments and their
 * moderation, and the editor for those who write.
 */
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/article.h"
#include "web.h"

static json_t *article_card(const struct store_article *a)
{
	char when[40] = "";
	if (a->published_at)
		time_human(a->published_at, when);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:b}", "slug", a->slug, "title", a->title, "summary",
	                 a->summary, "when", when, "views", (json_int_t)a->views, "comments", a->comments, "draft",
	                 !article_is_published(a));
}

void web_articles(struct request *r)
{
	const char *q = request_query(r, "q");
	const char *before = request_query(r, "before");
	struct article_page page;
	struct problem p = {0};
	if (!article_list(r->app->store, request_viewer(r), q, before && *before ? before : NULL, 10, r->arena, &page,
	                  &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++)
		json_array_append_new(items, article_card(&page.items[i]));
	json_t *ctx =
	    json_pack("{s:o, s:s?, s:s, s:b, s:b, s:{s:s, s:s}}", "articles", items, "next", page.next_cursor, "q",
	              q ? q : "", "searching", q && *q, "can_write", article_can_write(request_viewer(r)), "meta",
	              "description", "Articles from the practice about building a secure relationship.", "canonical",
	              arena_printf(r->arena, "%s/articles", r->app->config.public_url));
	web_render(r, 200, "articles", q && *q ? "Search articles" : "Articles", ctx);
}

static void render_article(struct request *r, int status, const struct store_article *a, const struct problem *problem,
                           const char *typed)
{
	char *html = article_html(a->body);
	struct store_comment *comments = NULL;
	int count = 0;
	bool moderator = false;
	struct problem p = {0};
	if (!comment_list(r->app->store, request_viewer(r), a->slug, r->arena, &comments, &count, &moderator, &p)) {
		free(html);
		web_problem_page(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++) {
		char when[40];
		time_human(comments[i].created_at, when);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", comments[i].id, "author",
		                                      comments[i].author_name, "body", comments[i].body, "when", when,
		                                      "pending", !comment_is_published(&comments[i])));
	}
	struct article_page recent;
	json_t *recent_list = json_array();
	if (article_recent(r->app->store, a->id, r->arena, &recent, &p)) /* without them on a failure */
		for (int i = 0; i < recent.count; i++)
			json_array_append_new(recent_list, json_pack("{s:s, s:s}", "slug", recent.items[i].slug,
			                                             "title", recent.items[i].title));
	json_t *card = article_card(a);
	char *canonical = arena_printf(r->arena, "%s/articles/%s", r->app->config.public_url, a->slug);
	json_t *ctx =
	    json_pack("{s:o, s:s, s:i, s:o, s:o, s:b, s:b, s:s, s:b, s:{s:s, s:s, s:s, s:s}}", "article", card, "html",
	              html ? html : "", "minutes", article_reading_minutes(a->body), "comments", list, "recent",
	              recent_list, "moderator", moderator, "signed_in_reader", r->signed_in, "typed",
	              typed ? typed : "", "commented", request_query(r, "commented") != NULL, "meta", "description",
	              a->summary, "canonical", canonical, "og_type", "article", "og_title", a->title);
	free(html);
	if (problem)
		web_add_problem(ctx, problem);
	web_render(r, status, "article", a->title, ctx);
}

void web_article(struct request *r)
{
	struct store_article a;
	struct problem p = {0};
	if (!article_get(r->app->store, request_viewer(r), r->path_args[0], true, r->arena, &a, &p)) {
		web_problem_page(r, &p);
		return;
	}
	render_article(r, 200, &a, NULL, NULL);
}

void web_article_comment(struct request *r)
{
	struct store_comment k;
	struct problem p = {0};
	const char *body = request_form(r, "body");
	if (comment_add(r->app->store, &r->viewer, r->path_args[0], body ? body : "", r->arena, &k, &p)) {
		reply_redirect(r,
		               arena_printf(r->arena, "/articles/%s?commented=%s#comments", r->path_args[0], k.status));
		return;
	}
	struct store_article a;
	struct problem again = {0};
	if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome) ||
	    !article_get(r->app->store, request_viewer(r), r->path_args[0], false, r->arena, &a, &again))
		web_problem_page(r, &p);
	else
		render_article(r, web_status(r, p.outcome), &a, &p, body);
}

void web_article_moderate(struct request *r)
{
	struct problem p = {0};
	const char *action = request_form(r, "action");
	bool ok = action && strcmp(action, "approve") == 0
	              ? comment_approve(r->app->store, &r->viewer, r->path_args[0], r->path_args[1], r->arena, &p)
	              : comment_remove(r->app->store, &r->viewer, r->path_args[0], r->path_args[1], r->arena, &p);
	if (ok)
		reply_redirect(r, arena_printf(r->arena, "/articles/%s#comments", r->path_args[0]));
	else
		web_problem_page(r, &p);
}

static void render_editor(struct request *r, int status, const char *slug, const char *title, const char *body,
                          bool published, const struct problem *p)
{
	json_t *ctx = json_pack("{s:s?, s:s, s:s, s:b, s:s}", "slug", slug, "title", title ? title : "", "body",
	                        body ? body : "", "published", published, "action",
	                        slug ? arena_printf(r->arena, "/articles/%s/edit", slug) : "/articles/new");
	if (p)
		web_add_problem(ctx, p);
	web_render(r, status, "article_edit", slug ? "Edit article" : "Write an article", ctx);
}

void web_article_new_form(struct request *r)
{
	if (!article_can_write(&r->viewer)) {
		web_error_page(r, 403, "Only for writers", "Only therapists and admins write articles.");
		return;
	}
	render_editor(r, 200, NULL, NULL, NULL, false, NULL);
}

void web_article_new(struct request *r)
{
	struct store_article a;
	struct problem p = {0};
	const char *title = request_form(r, "title"), *body = request_form(r, "body_markdown");
	bool publish = request_form(r, "publish") != NULL;
	if (article_create(r->app->store, &r->viewer, title ? title : "", body ? body : "", publish, r->arena, &a,
	                   &p)) {
		reply_redirect(r, arena_printf(r->arena, "/articles/%s", a.slug));
		return;
	}
	if (p.outcome == OUTCOME_FORBIDDEN || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_editor(r, web_status(r, p.outcome), NULL, title, body, publish, &p);
}

void web_article_edit_form(struct request *r)
{
	struct store_article a;
	struct problem p = {0};
	if (!article_get(r->app->store, &r->viewer, r->path_args[0], false, r->arena, &a, &p)) {
		web_problem_page(r, &p);
		return;
	}
	if (!article_can_write(&r->viewer) || !article_may_manage(&r->viewer, &a)) {
		web_error_page(r, 403, "Not yours to change", "Only the author or an admin can change this article.");
		return;
	}
	render_editor(r, 200, a.slug, a.title, a.body, article_is_published(&a), NULL);
}

void web_article_edit(struct request *r)
{
	struct store_article a;
	struct problem p = {0};
	const char *action = request_form(r, "action");
	if (action && strcmp(action, "delete") == 0) {
		if (article_remove(r->app->store, &r->viewer, r->path_args[0], r->arena, &p))
			reply_redirect(r, "/articles");
		else
			web_problem_page(r, &p);
		return;
	}
	const char *title = request_form(r, "title"), *body = request_form(r, "body_markdown");
	bool publish = request_form(r, "publish") != NULL;
	if (article_edit(r->app->store, &r->viewer, r->path_args[0], title ? title : "", body ? body : "",
	                 publish ? 1 : 0, r->arena, &a, &p)) {
		reply_redirect(r, arena_printf(r->arena, "/articles/%s", a.slug));
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || p.outcome == OUTCOME_FORBIDDEN || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_editor(r, web_status(r, p.outcome), r->path_args[0], title, body, publish, &p);
}
