/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * agreement.c - API: agreements and their reviews; the partner's answer to a
 * proposed one (issue 14: accept, discuss).
 */
#include "../app.h"
#include "../domain/agreement.h"
#include "api.h"

static json_t *api_review_json(const struct store_review *rv)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o}", "id", rv->id, "agreement_id", rv->agreement_id, "author_id",
	                 rv->author_id, "outcome", rv->outcome, "note", rv->note, "created_at",
	                 api_time(rv->created_at));
}

static json_t *api_agreement_json(const struct agreement_view *g)
{
	json_t *reviews = json_array();
	for (int i = 0; i < g->review_count; i++)
		json_array_append_new(reviews, api_review_json(&g->reviews[i]));
	const struct store_agreement *a = &g->agreement;
	json_t *out =
	    json_pack("{s:s, s:s?, s:s, s:i, s:s, s:s, s:s?, s:o, s:b, s:o}", "id", a->id, "text", a->text, "status",
	              a->status, "review_every_days", a->review_every_days, "next_review_on", a->next_review_on,
	              "author_id", a->author_id, "repair_id", a->repair_id[0] ? a->repair_id : NULL, "created_at",
	              api_time(a->created_at), "review_due", g->due, "reviews", reviews);
	/* Issue 14: the partner's yes, and their "let's talk about it" (shown to both). */
	json_object_set_new(out, "accepted_by", a->accepted_by[0] ? json_string(a->accepted_by) : json_null());
	json_object_set_new(out, "accepted_at", a->accepted_by[0] ? api_time(a->accepted_at) : json_null());
	json_object_set_new(out, "discussion",
	                    a->discuss_note && a->discussed_by[0]
	                        ? json_pack("{s:s, s:s, s:o}", "note", a->discuss_note, "author_id", a->discussed_by,
	                                    "created_at", api_time(a->discussed_at))
	                        : json_null());
	return out;
}

void api_agreement_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *text, *repair_id;
	int days = 0;
	bool present;
	struct problem p = {0};
	struct agreement_view view;
	if (api_string(body, "text", false, &text, &present, &p) &&
	    api_int(body, "review_every_days", &days, &present, &p) &&
	    (!present || days != 0 || problem_invalid(&p, "review_every_days", "Review every 1 to 90 days.")) &&
	    api_string(body, "repair_id", true, &repair_id, &present, &p) &&
	    agreement_create(r->app->store, &r->viewer, text ? text : "", days, repair_id, r->arena, &view, &p))
		reply_json(r, 201, api_agreement_json(&view));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_agreement_list(struct request *r)
{
	struct problem p = {0};
	int limit;
	const char *before;
	struct agreement_page page;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !agreement_list(r->app->store, &r->viewer, before, limit, r->arena, &page, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++)
		json_array_append_new(items, api_agreement_json(&page.items[i]));
	reply_json(r, 200, api_list(items, page.next_cursor));
}

void api_agreement_get(struct request *r)
{
	struct problem p = {0};
	struct agreement_view view;
	if (agreement_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p))
		reply_json(r, 200, api_agreement_json(&view));
	else
		api_problem(r, &p);
}

void api_agreement_patch(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *status;
	bool present;
	struct problem p = {0};
	struct agreement_view view;
	if (api_string(body, "status", false, &status, &present, &p) &&
	    agreement_set_status(r->app->store, &r->viewer, r->path_args[0], status, r->arena, &view, &p))
		reply_json(r, 200, api_agreement_json(&view));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_review_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *outcome, *note;
	bool present;
	struct problem p = {0};
	struct store_review rv;
	if (api_string(body, "outcome", false, &outcome, &present, &p) &&
	    api_string(body, "note", true, &note, &present, &p) &&
	    agreement_review(r->app->store, &r->viewer, r->path_args[0], outcome, note, r->arena, &rv, &p))
		reply_json(r, 201, api_review_json(&rv));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_agreement_accept(struct request *r)
{
	struct problem p = {0};
	struct agreement_view view;
	if (agreement_accept(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p))
		reply_json(r, 200, api_agreement_json(&view));
	else
		api_problem(r, &p);
}

void api_agreement_discuss(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *note;
	bool present;
	struct problem p = {0};
	struct agreement_view view;
	if (api_string(body, "note", false, &note, &present, &p) &&
	    agreement_discuss(r->app->store, &r->viewer, r->path_args[0], note ? note : "", r->arena, &view, &p))
		reply_json(r, 200, api_agreement_json(&view));
	else
		api_problem(r, &p);
	json_decref(body);
}
