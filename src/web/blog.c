/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * blog.c - pages: the bio on the Account page of those who write articles
 * (issue 12); it is shown under their name on each of their articles.
 */
#include "../app.h"
#include "../domain/article.h"
#include "../domain/blog.h"
#include "web.h"

void web_bio_account(struct request *r, json_t *ctx)
{
	char *bio;
	struct problem p;
	json_object_set_new(ctx, "bio_form", json_boolean(article_can_write(&r->viewer)));
	json_object_set_new(ctx, "bio_saved", json_boolean(request_query(r, "bio") != NULL));
	if (!json_object_get(ctx, "bio"))
		json_object_set_new(
		    ctx, "bio",
		    json_string(blog_bio_get(r->app->store, r->viewer.user_id, r->arena, &bio, &p) ? bio : ""));
}

void web_bio_save(struct request *r)
{
	struct problem p;
	const char *bio = request_form(r, "bio");
	if (blog_bio_set(r->app->store, r->viewer.user_id, bio ? bio : "", r->arena, &p)) {
		reply_redirect(r, "/account?bio=1#bio-heading");
		return;
	}
	if (p.outcome != OUTCOME_INVALID) {
		web_problem_page(r, &p);
		return;
	}
	/* The Account page again, with what was typed and the reason (web_bio_account keeps "bio"). */
	json_t *ctx = json_pack("{s:s}", "bio", bio ? bio : "");
	web_add_problem(r, ctx, &p);
	web_account_page(r, 400, ctx);
}
