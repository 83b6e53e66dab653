/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * bridge.c - API: a bridge between sessions (issue 13). A partner's list "to
 * bring to our next session" (/bridge) and the therapist's view of what the
 * consenting partners shared with them (/therapist/spaces/{id}/bridge).
 * JSON in, typed input to domain/bridge.c, JSON out; the rules live there.
 */
#include <string.h>

#include "../app.h"
#include "../domain/bridge.h"
#include "api.h"

/* One's own item, as its author sees it. */
static json_t *own_json(const struct store_bridge_item *it)
{
	return json_pack("{s:s, s:s, s:s?, s:b, s:b, s:b, s:o, s:o, s:o}", "id", it->id, "author", "me", "text",
	                 it->text, "share_with_therapist", it->share_with_therapist, "share_with_partner",
	                 it->share_with_partner, "talked_about", it->talked_about_at > 0, "talked_about_at",
	                 it->talked_about_at ? api_time(it->talked_about_at) : json_null(), "created_at",
	                 api_time(it->created_at), "updated_at", api_time(it->updated_at));
}

/* The partner's item shared with the caller: never whether it is shared with the therapist too. */
static json_t *partner_json(const struct store_bridge_item *it)
{
	return json_pack("{s:s, s:s, s:s?, s:b, s:o}", "id", it->id, "author", "partner", "text", it->text,
	                 "talked_about", false, "created_at", api_time(it->created_at));
}

/* The body's fields, every mistyped or invalid one at once; false after replying. */
static bool read_input(struct request *r, json_t *body, bool creating, struct bridge_input *in)
{
	struct problem p = {0};
	*in = (struct bridge_input){0};
	problem_begin(&p);
	(void)!api_string(body, "text", false, &in->text, &in->has_text, &p);
	(void)!api_bool(body, "share_with_therapist", &in->share_with_therapist, &in->has_share_with_therapist, &p);
	(void)!api_bool(body, "share_with_partner", &in->share_with_partner, &in->has_share_with_partner, &p);
	(void)!bridge_input_check(in, creating, &p);
	if (problem_none(&p))
		return true;
	api_problem(r, &p);
	return false;
}

void api_bridge_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct bridge_input in;
	struct store_bridge_item it;
	struct problem p = {0};
	if (read_input(r, body, true, &in)) {
		if (bridge_create(r->app->store, &r->viewer, &in, r->arena, &it, &p))
			reply_json(r, 201, own_json(&it));
		else
			api_problem(r, &p);
	}
	json_decref(body);
}

void api_bridge_list(struct request *r)
{
	struct bridge_lists l;
	struct problem p = {0};
	if (!bridge_lists(r->app->store, &r->viewer, r->arena, &l, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *mine = json_array(), *theirs = json_array();
	for (int i = 0; i < l.mine_count; i++)
		json_array_append_new(mine, own_json(&l.mine[i]));
	for (int i = 0; i < l.partner_count; i++)
		json_array_append_new(theirs, partner_json(&l.partner[i]));
	reply_json(r, 200, json_pack("{s:o, s:o}", "items", mine, "partner_items", theirs));
}

void api_bridge_patch(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct bridge_input in;
	struct store_bridge_item it;
	struct problem p = {0};
	if (read_input(r, body, false, &in)) {
		if (bridge_update(r->app->store, &r->viewer, r->path_args[0], &in, r->arena, &it, &p))
			reply_json(r, 200, own_json(&it));
		else
			api_problem(r, &p);
	}
	json_decref(body);
}

void api_bridge_delete(struct request *r)
{
	struct problem p = {0};
	if (bridge_delete(r->app->store, &r->viewer, r->path_args[0], &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

/* An item as the therapist sees it: whose, and whether it was talked about. */
static json_t *therapist_json(const struct therapist_space *ts, const struct store_bridge_item *it)
{
	return json_pack("{s:s, s:s, s:s, s:s?, s:b, s:o, s:o}", "id", it->id, "author_id", it->author_id,
	                 "display_name", therapist_member_name(&ts->t, it->author_id), "text", it->text, "talked_about",
	                 it->talked_about_at > 0, "talked_about_at",
	                 it->talked_about_at ? api_time(it->talked_about_at) : json_null(), "created_at",
	                 api_time(it->created_at));
}

void api_therapist_bridge(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	if (!api_therapist_space(r, &ts))
		return;
	const char *state = request_query(r, "state");
	if (state && strcmp(state, "open") != 0 && strcmp(state, "all") != 0) {
		problem_invalid(&p, "state", "state is open (the default) or all.");
		api_problem(r, &p);
		return;
	}
	struct store_bridge_item *items;
	int count;
	if (!bridge_list_for_therapist(r->app->store, &r->viewer, &ts, state && strcmp(state, "all") == 0, r->arena,
	                               &items, &count, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, therapist_json(&ts, &items[i]));
	reply_json(r, 200, api_list(list, NULL));
}

void api_therapist_bridge_talked_about(struct request *r)
{
	struct therapist_space ts;
	struct store_bridge_item it;
	struct problem p = {0};
	if (!api_therapist_space(r, &ts))
		return;
	if (bridge_talked_about(r->app->store, &r->viewer, &ts, r->path_args[1], r->arena, &it, &p))
		reply_json(r, 200, therapist_json(&ts, &it));
	else
		api_problem(r, &p);
}
