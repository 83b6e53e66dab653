/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair.c - API: repairs (open, my side, submit, acknowledge, list) and the
 * feelings vocabulary a side chooses from.
 */
#include <string.h>

#include "../app.h"
#include "../domain/content.h"
#include "../domain/repair.h"
#include "../domain/repair_after.h"
#include "api.h"

static json_t *side_json(const struct store_repair_side *side, enum lang l)
{
	char sub[32] = "", ack[32] = "";
	if (side->submitted_at)
		time_rfc3339(side->submitted_at, sub);
	if (side->acknowledged_at)
		time_rfc3339(side->acknowledged_at, ack);
	json_t *feelings = content_feelings_say(repair_side_feelings(side), l); /* stored in English */
	return json_pack("{s:o, s:s?, s:s?, s:s?, s:s?, s:b, s:s?, s:s?, s:s?}", "feelings", feelings, "perspective",
	                 side->perspective, "touched", side->touched, "my_part", side->my_part, "next_time",
	                 side->next_time, "submitted", side->submitted_at > 0, "submitted_at",
	                 side->submitted_at ? sub : NULL, "acknowledged_at", side->acknowledged_at ? ack : NULL, "note",
	                 side->ack_note);
}

json_t *api_repair_json(const struct repair_view *v, enum lang l)
{
	char at[32];
	time_rfc3339(v->repair.created_at, at);
	return json_pack("{s:s, s:s?, s:s?, s:s, s:b, s:s, s:s, s:o, s:b, s:b, s:o}", "id", v->repair.id, "title",
	                 v->repair.title, "occurred_on", v->repair.occurred_on[0] ? v->repair.occurred_on : NULL,
	                 "state", repair_state_name(v->state), "solo", v->repair.solo, "created_at", at, "created_by",
	                 v->repair.created_by, "mine", v->has_mine ? side_json(&v->mine_side, l) : json_null(),
	                 "partner_submitted", v->partner_submitted, "partner_acknowledged", v->partner_acknowledged,
	                 "partner", v->revealed ? side_json(&v->partner_side, l) : json_null());
}

void api_repair_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *title, *occurred_on;
	bool has_title, has_date;
	struct problem p = {0};
	struct repair_view view;
	if (!api_string(body, "title", false, &title, &has_title, &p) ||
	    !api_string(body, "occurred_on", true, &occurred_on, &has_date, &p) ||
	    !repair_open(r->app->store, &r->viewer, title ? title : "", occurred_on, r->arena, &view, &p))
		api_problem(r, &p);
	else
		reply_json(r, 201, api_repair_json(&view, r->lang));
	json_decref(body);
}

void api_repair_list(struct request *r)
{
	struct problem p = {0};
	int limit;
	const char *before;
	struct repair_page page;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !repair_list(r->app->store, &r->viewer, before, limit, r->arena, &page, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++) {
		const struct repair_view *v = &page.items[i];
		char at[32];
		time_rfc3339(v->repair.created_at, at);
		json_array_append_new(items,
		                      json_pack("{s:s, s:s?, s:s?, s:s, s:b, s:s, s:b, s:b}", "id", v->repair.id,
		                                "title", v->repair.title, "occurred_on",
		                                v->repair.occurred_on[0] ? v->repair.occurred_on : NULL, "state",
		                                repair_state_name(v->state), "solo", v->repair.solo, "created_at", at,
		                                "mine_submitted", v->has_mine && v->mine_side.submitted_at > 0,
		                                "partner_submitted", v->partner_submitted));
	}
	reply_json(r, 200, api_list(items, page.next_cursor));
}

void api_repair_get(struct request *r)
{
	struct problem p = {0};
	struct repair_after_view view;
	if (repair_after_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p)) {
		json_t *body = api_repair_json(&view.repair, r->lang);
		json_object_set_new(body, "steps", api_repair_after_json(&view)); /* issue 14 */
		reply_json(r, 200, body);
	} else {
		api_problem(r, &p);
	}
}

/* Maps {feelings:[...], perspective, touched, my_part, next_time} onto an input. */
bool api_repair_side_input(json_t *body, enum lang l, struct repair_side_input *in, struct problem *p)
{
	memset(in, 0, sizeof *in);
	json_t *f = json_object_get(body, "feelings");
	if (f && !json_is_null(f)) {
		if (!json_is_array(f))
			return problem_invalid(p, "feelings", "feelings is a list of words.");
		if (json_array_size(f) > REPAIR_FEELINGS_MAX)
			return problem_invalid(p, "feelings", "Choose at most 24 feelings.");
		size_t i;
		json_t *w;
		json_array_foreach(f, i, w)
		{
			if (!json_is_string(w))
				return problem_invalid(p, "feelings", "feelings is a list of words.");
			/* stored as the English word whatever the language it was chosen in; an unknown one is refused
			 * later */
			const char *english = content_feeling_english(json_string_value(w), l);
			in->feelings[in->feelings_count++] = english ? english : json_string_value(w);
		}
	}
	bool present;
	return api_string(body, "perspective", true, &in->perspective, &present, p) &&
	       api_string(body, "touched", true, &in->touched, &present, p) &&
	       api_string(body, "my_part", true, &in->my_part, &present, p) &&
	       api_string(body, "next_time", true, &in->next_time, &present, p);
}

void api_repair_put_mine(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct repair_side_input in;
	struct problem p = {0};
	struct repair_view view;
	if (api_repair_side_input(body, r->lang, &in, &p) &&
	    repair_save_side(r->app->store, &r->viewer, r->path_args[0], &in, r->arena, &view, &p))
		reply_json(r, 200, api_repair_json(&view, r->lang));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_repair_submit(struct request *r)
{
	struct problem p = {0};
	struct repair_view view;
	if (repair_submit(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p))
		reply_json(r, 200, api_repair_json(&view, r->lang));
	else
		api_problem(r, &p);
}

void api_repair_acknowledge(struct request *r)
{
	/* The body is optional: {} or {"note": "..."}. */
	json_t *body = r->body.len ? api_body(r) : json_object();
	if (!body)
		return;
	const char *note;
	bool present;
	struct problem p = {0};
	struct repair_view view;
	if (api_string(body, "note", true, &note, &present, &p) &&
	    repair_acknowledge(r->app->store, &r->viewer, r->path_args[0], note, r->arena, &view, &p))
		reply_json(r, 200, api_repair_json(&view, r->lang));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_feelings(struct request *r)
{
	reply_json(r, 200, content_feelings(r->lang));
}
