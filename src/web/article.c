/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * article.c - pages: the public articles with search, comments and their
 * moderation, and the editor for those who write.
 */
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/article.h"
#include "../domain/homework.h"
#include "../domain/blog.h"
#include "render/time.h"
#include "web.h"

/* "1,234 views": form is one of tr_n's forms by the reader's language, its number as the language writes it. */
static const char *count_words(struct request *r, int64_t n, const char *form)
{
	char number[COUNT_TEXT_MAX];
	count_text(r->lang, n, number);
	return arena_printf(r->arena, form, number);
}

static json_t *article_card(struct request *r, const struct store_article *a)
{
	json_t *tags = json_array();
	for (int i = 0; i < a->tag_count; i++)
		json_array_append_new(tags, json_string(a->tags[i]));
	json_t *card = json_pack(
	    "{s:s, s:s, s:s, s:o?, s:I, s:i, s:b, s:s, s:s, s:o}", "slug", a->slug, "title", a->title, "summary",
	    a->summary, "when", a->published_at ? web_when(r, a->published_at) : NULL, "views", (json_int_t)a->views,
	    "comments", a->comments, "draft", !article_is_published(a), "views_text",
	    count_words(r, a->views, tr_n(r->lang, "%s view", "%s views", (unsigned long)a->views)), "comments_text",
	    count_words(r, a->comments, tr_n(r->lang, "%s comment", "%s comments", (unsigned long)a->comments)), "tags",
	    tags);
	/* issue 16: the language it is written in marks its words (lang), whatever the page's language */
	if (card && a->language[0])
		json_object_set_new(card, "language", json_string(a->language));
	return card;
}

void web_articles(struct request *r)
{
	const char *q = request_query(r, "q");
	const char *before = request_query(r, "before");
	const char *tag = request_query(r, "tag");
	if (tag && !*tag)
		tag = NULL;
	struct article_page page;
	struct problem p = {0};
	if (!article_list(r->app->store, request_viewer(r), q, tag, before && *before ? before : NULL, 10, r->arena,
	                  &page, &p)) {
		if (p.outcome == OUTCOME_INVALID)
			web_not_found(r); /* a tag that cannot exist */
		else
			web_problem_page(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++)
		json_array_append_new(items, article_card(r, &page.items[i]));
	enum lang l = r->lang;
	const char *title = q && *q ? tr(l, "Search articles")
	                    : tag   ? arena_printf(r->arena, tr(l, "Articles about %s"), tag)
	                            : tr(l, "Articles");
	const char *description =
	    tag ? arena_printf(r->arena,
	                       tr(l, "Articles from the practice tagged \"%s\", about building a secure relationship."),
	                       tag)
	        : tr(l, "Articles from the practice about building a secure relationship.");
	json_t *ctx = json_pack("{s:o, s:s?, s:s, s:b, s:b, s:s?, s:s, s:{s:s, s:s}}", "articles", items, "next",
	                        page.next_cursor, "q", q ? q : "", "searching", q && *q, "can_write",
	                        article_can_write(request_viewer(r)), "tag", tag, "heading", title, "meta",
	                        "description", description, "canonical",
	                        tag ? arena_printf(r->arena, "%s/articles?tag=%s", r->app->config.public_url, tag)
	                            : arena_printf(r->arena, "%s/articles", r->app->config.public_url));
	web_render(r, 200, "articles", title, ctx);
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
		/* Only the name its writer chose: never their account's, which could tie them to a couple. */
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:o, s:b}", "id", comments[i].id, "author",
		                    comments[i].author_name[0] ? comments[i].author_name : tr(r->lang, "A reader"),
		                    "body", comments[i].body, "when", web_when(r, comments[i].created_at), "pending",
		                    !comment_is_published(&comments[i])));
	}
	struct article_page recent;
	json_t *recent_list = json_array();
	if (article_recent(r->app->store, a->id, r->arena, &recent, &p)) /* without them on a failure */
		for (int i = 0; i < recent.count; i++)
			json_array_append_new(recent_list, json_pack("{s:s, s:s}", "slug", recent.items[i].slug,
			                                             "title", recent.items[i].title));
	json_t *card = article_card(r, a);
	char *canonical = arena_printf(r->arena, "%s/articles/%s", r->app->config.public_url, a->slug);
	char initials[64] = "";
	if (r->signed_in)
		blog_initials(r->viewer.display_name, initials, sizeof initials);
	json_t *ctx =
	    json_pack("{s:o, s:s, s:i, s:o, s:o, s:b, s:b, s:s, s:b, s:{s:s, s:s, s:s, s:s}}", "article", card, "html",
	              html ? html : "", "minutes", article_reading_minutes(a->body), "comments", list, "recent",
	              recent_list, "moderator", moderator, "signed_in_reader", r->signed_in, "typed",
	              typed ? typed : "", "commented", request_query(r, "commented") != NULL, "meta", "description",
	              a->summary, "canonical", canonical, "og_type", "article", "og_title", a->title);
	json_object_set_new(ctx, "byline",
	                    json_pack("{s:s, s:s}", "name", a->author_name ? a->author_name : "", "bio",
	                              a->author_bio ? a->author_bio : ""));
	/* The name field keeps what was typed; a first visit offers the initials, never the account's name. */
	const char *typed_name = request_form(r, "name");
	json_object_set_new(ctx, "comment_name", json_string(typed_name ? typed_name : initials));
	free(html);
	if (problem)
		web_add_problem(r, ctx, problem);
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
	/* Issue 13: a partner signed in opened it, so their homework to read it is done. */
	if (r->signed_in && article_is_published(&a) && !homework_article_opened(r->app->store, &r->viewer, a.slug, &p))
		p = (struct problem){0}; /* the reading matters more; the store logged and counted the failure */
	render_article(r, 200, &a, NULL, NULL);
}

void web_article_comment(struct request *r)
{
	struct store_comment k;
	struct problem p = {0};
	const char *body = request_form(r, "body");
	if (comment_add(r->app->store, &r->viewer, r->path_args[0], request_form(r, "name"), body ? body : "", r->arena,
	                &k, &p)) {
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

/* The editor; its language choice (issue 16) is "not said" or a language. */
static void render_editor(struct request *r, int status, const char *slug, const char *title, const char *body,
                          bool published, const char *tags, const char *language, const struct problem *p)
{
	json_t *ctx = json_pack("{s:s?, s:s, s:s, s:b, s:s, s:s, s:o}", "slug", slug, "title", title ? title : "",
	                        "body", body ? body : "", "published", published, "action",
	                        slug ? arena_printf(r->arena, "/articles/%s/edit", slug) : "/articles/new", "tags",
	                        tags ? tags : "", "languages", web_language_choices(tr(r->lang, "Not said"), language));
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "article_edit", slug ? tr(r->lang, "Edit article") : tr(r->lang, "Write an article"),
	           ctx);
}

void web_article_new_form(struct request *r)
{
	if (!article_can_write(&r->viewer)) {
		web_error_page(r, 403, tr(r->lang, "Only for writers"),
		               tr(r->lang, "Only therapists and admins write articles."));
		return;
	}
	/* a new article is most likely in the language its author reads hearth in */
	render_editor(r, 200, NULL, NULL, NULL, false, NULL, lang_code(r->lang), NULL);
}

void web_article_new(struct request *r)
{
	struct store_article a;
	struct problem p = {0};
	const char *title = request_form(r, "title"), *body = request_form(r, "body_markdown");
	const char *tag_text = request_form(r, "tags");
	const char *tags[STORE_ARTICLE_TAGS_MAX + 1];
	int n_tags = blog_tags_split(tag_text, r->arena, tags, STORE_ARTICLE_TAGS_MAX);
	bool publish = request_form(r, "publish") != NULL;
	if (article_create(r->app->store, &r->viewer, title ? title : "", body ? body : "", publish, tags, n_tags,
	                   request_form(r, "language"), r->arena, &a, &p)) {
		reply_redirect(r, arena_printf(r->arena, "/articles/%s", a.slug));
		return;
	}
	if (p.outcome == OUTCOME_FORBIDDEN || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_editor(r, web_status(r, p.outcome), NULL, title, body, publish, tag_text,
		              request_form(r, "language"), &p);
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
		web_error_page(r, 403, tr(r->lang, "Not yours to change"),
		               tr(r->lang, "Only the author or an admin can change this article."));
		return;
	}
	const char *tag_text = "";
	for (int i = 0; i < a.tag_count; i++)
		tag_text = arena_printf(r->arena, "%s%s%s", tag_text, i ? ", " : "", a.tags[i]);
	render_editor(r, 200, a.slug, a.title, a.body, article_is_published(&a), tag_text, a.language, NULL);
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
	const char *tag_text = request_form(r, "tags");
	const char *tags[STORE_ARTICLE_TAGS_MAX + 1];
	int n_tags = blog_tags_split(tag_text, r->arena, tags, STORE_ARTICLE_TAGS_MAX);
	bool publish = request_form(r, "publish") != NULL;
	if (article_edit(r->app->store, &r->viewer, r->path_args[0], title ? title : "", body ? body : "",
	                 publish ? 1 : 0, tags, n_tags, request_form(r, "language"), r->arena, &a, &p)) {
		reply_redirect(r, arena_printf(r->arena, "/articles/%s", a.slug));
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || p.outcome == OUTCOME_FORBIDDEN || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_editor(r, web_status(r, p.outcome), r->path_args[0], title, body, publish, tag_text,
		              request_form(r, "language"), &p);
}

/* /articles/tags: every tag of a published article, each a link to its articles. */
void web_tags(struct request *r)
{
	struct store_tag *tags;
	int n = 0;
	struct problem p;
	if (!blog_tag_list(r->app->store, r->arena, &tags, &n, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s}", "tag", tags[i].tag, "count",
		                                       count_words(r, tags[i].articles,
		                                                   tr_n(r->lang, "%s article", "%s articles",
		                                                        (unsigned long)tags[i].articles))));
	json_t *ctx =
	    json_pack("{s:o, s:{s:s, s:s}}", "tags", items, "meta", "description",
	              tr(r->lang, "The topics of the practice's articles about building a secure relationship."),
	              "canonical", arena_printf(r->arena, "%s/articles/tags", r->app->config.public_url));
	web_render(r, 200, "tags", tr(r->lang, "Topics"), ctx);
}
