/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cycle.c - API (issue 14): our cycle (GET /cycle, PUT /cycle/mine, POST
 * /cycle/mine/submit, PUT /cycle/shared), the therapist's read of it (GET
 * /therapist/spaces/{id}/cycle), and what we came through (GET /came-through).
 */
#include <string.h>

#include "../app.h"
#include "../domain/came_through.h"
#include "../domain/cycle.h"
#include "../domain/therapist.h"
#include "api.h"

static json_t *side_json(const struct store_cycle_side *side)
{
	return json_pack("{s:s?, s:s?, s:s?, s:b, s:o, s:o}", "when_i_feel", side->when_i_feel, "i_tend_to",
	                 side->i_tend_to, "i_long_for", side->i_long_for, "submitted", side->submitted_at > 0,
	                 "submitted_at", side->submitted_at ? api_time(side->submitted_at) : json_null(), "updated_at",
	                 api_time(side->updated_at));
}

static json_t *cycle_json(const struct cycle_view *v)
{
	json_t *shared = json_null(), *history = json_array();
	if (v->revealed) {
		shared = json_pack("{s:s, s:b, s:o, s:s?}", "text", v->shared_text, "suggested", v->shared_suggested,
		                   "updated_at", v->shared_suggested ? json_null() : api_time(v->shared_at),
		                   "updated_by", v->shared_suggested ? NULL : v->shared_by);
		for (int i = 0; i < v->history_count; i++) {
			const struct store_cycle_edit *e = &v->history[i];
			json_array_append_new(history, json_pack("{s:s, s:o, s:s?}", "author_id", e->author_id, "at",
			                                         api_time(e->created_at), "text", e->text));
		}
	}
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "state", cycle_state_name(v->state), "mine",
	                 v->has_mine ? side_json(&v->mine) : json_null(), "partner",
	                 v->revealed ? side_json(&v->partner) : json_null(), "shared", shared, "history", history,
	                 "private_only", v->private_only);
}

void api_cycle_get(struct request *r)
{
	struct problem p = {0};
	struct cycle_view view;
	if (cycle_load(r->app->store, &r->viewer, r->arena, &view, &p))
		reply_json(r, 200, cycle_json(&view));
	else
		api_problem(r, &p);
}

void api_cycle_put_mine(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct cycle_side_input in = {0};
	struct problem p = {0};
	struct cycle_view view;
	bool present;
	/* Each field's type first, all at once; then the domain's rules, all at once. */
	problem_begin(&p);
	(void)!api_string(body, "when_i_feel", true, &in.when_i_feel, &present, &p);
	(void)!api_string(body, "i_tend_to", true, &in.i_tend_to, &present, &p);
	(void)!api_string(body, "i_long_for", true, &in.i_long_for, &present, &p);
	if (cycle_side_validate(&in, &p) && cycle_save_mine(r->app->store, &r->viewer, &in, r->arena, &view, &p))
		reply_json(r, 200, cycle_json(&view));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_cycle_submit(struct request *r)
{
	struct problem p = {0};
	struct cycle_view view;
	if (cycle_submit_mine(r->app->store, &r->viewer, r->arena, &view, &p))
		reply_json(r, 200, cycle_json(&view));
	else
		api_problem(r, &p);
}

void api_cycle_put_shared(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *text = NULL;
	bool present;
	struct problem p = {0};
	struct cycle_view view;
	if (api_string(body, "text", true, &text, &present, &p) &&
	    cycle_edit_shared(r->app->store, &r->viewer, text, r->arena, &view, &p))
		reply_json(r, 200, cycle_json(&view));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_therapist_cycle(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	json_t *out;
	if (!api_therapist_space(r, &ts))
		return;
	if (therapist_cycle(r->app->store, &r->viewer, &ts, r->arena, &out, &p))
		reply_json(r, 200, out);
	else
		api_problem(r, &p);
}

void api_came_through(struct request *r)
{
	struct problem p = {0};
	struct came_through_item *items;
	int count;
	if (!came_through_list(r->app->store, &r->viewer, r->arena, &items, &count, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++) {
		const struct came_through_item *it = &items[i];
		json_t *words = json_array();
		for (int k = 0; k < it->word_count; k++)
			json_array_append_new(words, json_pack("{s:s, s:s}", "author_id", it->words[k].author_id,
			                                       "text", it->words[k].text));
		json_t *next = json_array();
		for (int k = 0; k < it->next_time_count; k++)
			json_array_append_new(next, json_pack("{s:s, s:s}", "author_id", it->next_time[k].author_id,
			                                      "text", it->next_time[k].text));
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:o, s:o, s:o}", "kind",
		                                      came_through_kind_name(it->kind), "id", it->id, "text", it->text,
		                                      "at", api_time(it->at), "words", words, "next_time", next));
	}
	reply_json(r, 200, api_list(list, NULL));
}
