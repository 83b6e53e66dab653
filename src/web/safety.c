/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.c - pages: the private safety check before a repair, and the safety
 * page with resources for this person alone.
 */
#include "../app.h"
#include "../domain/content.h"
#include "../domain/safety.h"
#include "web.h"

/* The safety page: resources for this person alone. */
static void render_safety(struct request *r, int status, bool after_check)
{
	json_t *ctx = content_safety(r->lang);
	json_object_set_new(ctx, "after_check", json_boolean(after_check));
	json_object_set_new(ctx, "in_space", json_boolean(r->signed_in && r->viewer.space_id[0]));
	/* After a check: the way on, privately only (a repair's own page, or a private reflection). */
	const char *repair = request_query(r, "repair");
	if (after_check && repair && id_valid(repair))
		json_object_set_new(ctx, "continue_repair", json_string(repair));
	else if (after_check && request_query(r, "cycle")) /* issue 14: before our cycle */
		json_object_set_new(ctx, "continue_cycle", json_true());
	else if (after_check)
		json_object_set_new(ctx, "continue_reflection", json_true());
	web_render(r, status, "safety", tr(r->lang, "You deserve to be safe"), ctx);
}

void web_safety(struct request *r)
{
	bool after_check = r->signed_in && request_query(r, "checked") != NULL;
	render_safety(r, 200, after_check);
}

void web_repair_safety(struct request *r)
{
	bool afraid = request_form(r, "afraid") != NULL, pressured = request_form(r, "pressured") != NULL;
	bool share = request_form(r, "share_with_therapist") != NULL;
	struct problem p = {0};
	if (!safety_check_record(r->app->store, &r->viewer, afraid, pressured, share, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, afraid || pressured ? "/safety?checked=1" : "/repairs/new?ready=1");
}
