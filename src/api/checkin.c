/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.c - API: check-ins (create, list, get, edit, delete).
 */
#include "../app.h"
#include "../domain/checkin.h"
#include "api.h"

json_t *api_checkin_json(const struct store_checkin *c)
{
	char at[32];
	time_rfc3339(c->created_at, at);
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s?, s:s?, s:s?, s:s}", "id", c->id, "author_id",
	                 c->author_id, "created_at", at, "mood", c->mood, "connection", c->connection, "secure",
	                 c->secure, "appreciation", c->appreciation, "need", c->need, "worry", c->worry, "visibility",
	                 c->visibility);
}

/* Maps a JSON body onto a check-in input; false with a problem on a wrong type. */
bool api_checkin_input(json_t *body, struct checkin_input *in, struct problem *p)
{
	*in = (struct checkin_input){0};
	problem_begin(p); /* every mistyped field at once */
	(void)!api_int(body, "mood", &in->mood, &in->has_mood, p);
	(void)!api_int(body, "connection", &in->connection, &in->has_connection, p);
	(void)!api_int(body, "secure", &in->secure, &in->has_secure, p);
	(void)!api_string(body, "appreciation", true, &in->appreciation, &in->has_appreciation, p);
	(void)!api_string(body, "need", true, &in->need, &in->has_need, p);
	(void)!api_string(body, "worry", true, &in->worry, &in->has_worry, p);
	(void)!api_string(body, "visibility", false, &in->visibility, &in->has_visibility, p);
	return problem_none(p);
}

void api_checkin_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct checkin_input in;
	struct store_checkin c;
	struct problem p = {0};
	if (api_checkin_input(body, &in, &p) && checkin_create(r->app->store, &r->viewer, &in, r->arena, &c, &p))
		reply_json(r, 201, api_checkin_json(&c));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_checkin_list(struct request *r)
{
	struct problem p = {0};
	int limit;
	const char *before;
	enum checkin_author who;
	struct checkin_page page;
	if (!checkin_author_parse(request_query(r, "author"), &who)) {
		problem_invalid(&p, "author", "author is me, partner or all.");
		api_problem(r, &p);
		return;
	}
	if (!api_page_params(r, &limit, &before, &p) ||
	    !checkin_list(r->app->store, &r->viewer, who, before, limit, r->arena, &page, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++)
		json_array_append_new(items, api_checkin_json(&page.items[i]));
	reply_json(r, 200, api_list(items, page.next_cursor));
}

void api_checkin_get(struct request *r)
{
	struct store_checkin c;
	struct problem p = {0};
	if (checkin_read(r->app->store, &r->viewer, r->path_args[0], r->arena, &c, &p))
		reply_json(r, 200, api_checkin_json(&c));
	else
		api_problem(r, &p);
}

void api_checkin_patch(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct checkin_input in;
	struct store_checkin c;
	struct problem p = {0};
	if (api_checkin_input(body, &in, &p) &&
	    checkin_edit(r->app->store, &r->viewer, r->path_args[0], &in, r->arena, &c, &p))
		reply_json(r, 200, api_checkin_json(&c));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_checkin_delete(struct request *r)
{
	struct problem p = {0};
	if (checkin_remove(r->app->store, &r->viewer, r->path_args[0], r->arena, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}
