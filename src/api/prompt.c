/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * prompt.c - API: today's prompt, answers, acknowledgements, skip, history.
 */
#include <string.h>

#include "../app.h"
#include "../domain/content.h"
#include "../domain/prompt.h"
#include "api.h"

json_t *api_prompt_json(const struct prompt_view *v, enum lang l)
{
	const struct prompt *q = content_prompt_in(v->prompt, l); /* the same question, in the reader's words */
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s?, s:b, s:s?, s:s?, s:s?, s:b}", "id", v->day.id, "date",
	                 v->day.date, "text", q->text, "category", q->category, "category_name", q->category_name,
	                 "depth", q->depth, "mine", v->mine, "partner_answered", v->partner_answered, "partner",
	                 v->partner, "partner_acknowledged_mine", v->ack_on_mine, "my_acknowledgement",
	                 v->ack_on_partner, "can_skip", v->can_skip);
}

void api_prompt_today(struct request *r)
{
	struct problem p = {0};
	struct prompt_view view;
	if (prompt_today(r->app->store, &r->viewer, r->arena, &view, &p))
		reply_json(r, 200, api_prompt_json(&view, r->lang));
	else
		api_problem(r, &p);
}

void api_prompt_skip(struct request *r)
{
	struct problem p = {0};
	struct prompt_view view;
	if (prompt_skip(r->app->store, &r->viewer, r->arena, &view, &p))
		reply_json(r, 200, api_prompt_json(&view, r->lang));
	else
		api_problem(r, &p);
}

void api_prompt_answer(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *text;
	bool present;
	struct problem p = {0};
	struct prompt_view view;
	if (api_string(body, "text", false, &text, &present, &p) &&
	    prompt_answer(r->app->store, &r->viewer, r->path_args[0], text ? text : "", r->arena, &view, &p))
		reply_json(r, 201, api_prompt_json(&view, r->lang));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_prompt_acknowledge(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *kind;
	bool present;
	struct problem p = {0};
	struct prompt_view view;
	if (api_string(body, "kind", false, &kind, &present, &p) &&
	    prompt_acknowledge(r->app->store, &r->viewer, r->path_args[0], kind, r->arena, &view, &p))
		reply_json(r, 201, api_prompt_json(&view, r->lang));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_prompt_history(struct request *r)
{
	struct problem p = {0};
	int limit;
	const char *before;
	struct prompt_history_page page;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !prompt_history(r->app->store, &r->viewer, before, limit, r->arena, &page, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++) {
		const struct prompt_history_entry *e = &page.items[i];
		json_array_append_new(items, json_pack("{s:s, s:s, s:s?, s:s?, s:i, s:s?, s:s?, s:s?, s:s?}", "id",
		                                       e->day_id, "date", e->date, "text",
		                                       e->prompt ? content_prompt_in(e->prompt, r->lang)->text : NULL,
		                                       "category", e->prompt ? e->prompt->category : NULL, "depth",
		                                       e->prompt ? e->prompt->depth : 0, "mine", e->mine, "partner",
		                                       e->partner, "partner_acknowledged_mine", e->ack_on_mine,
		                                       "my_acknowledgement", e->ack_on_partner));
	}
	reply_json(r, 200, api_list(items, page.next_cursor));
}
