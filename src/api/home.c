/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * home.c - API: what waits for the caller (GET /home, the same cards as the
 * home page, from domain/home.c) and setting a card aside (POST /home/dismiss).
 */
#include "../app.h"
#include "../domain/home.h"
#include "api.h"

/* 200 {items: [{kind, id, since, href}]}, newest first. */
void api_home(struct request *r)
{
	struct home_list l;
	struct problem p = {0};
	if (!home_cards(r->app->store, &r->viewer, false, r->arena, &l, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < l.count; i++) {
		const struct home_card *c = &l.items[i];
		json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:s}", "kind", home_kind_name(c->kind), "id",
		                                       c->id, "since", api_time(c->since), "href", c->href));
	}
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* {kind, id} → 204; 400 for an unknown kind or a malformed id, 404 when no such card waits. */
void api_home_dismiss(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *kind = NULL, *id = NULL;
	bool present;
	struct problem p = {0};
	/* a wrong type in either field is named with the other's (home_dismiss then checks both values) */
	problem_begin(&p);
	bool typed = api_string(body, "kind", false, &kind, &present, &p);
	typed = api_string(body, "id", false, &id, &present, &p) && typed;
	if (typed && home_dismiss(r->app->store, &r->viewer, kind, id, r->arena, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
	json_decref(body);
}
