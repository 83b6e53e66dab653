/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * space.c - API: the couple's space (create, invite, join, leave) and its
 * pending invite codes (list, revoke).
 */
#include "../app.h"
#include "../domain/account.h"
#include "../domain/invite.h"
#include "api.h"

void api_space_create(struct request *r)
{
	/* The body is optional: {} or {"time_zone": "Europe/Berlin"}. */
	json_t *body = r->body.len ? api_body(r) : json_object();
	if (!body)
		return;
	char id[ID_LEN + 1];
	const char *tz;
	bool present;
	struct problem p = {0};
	if (api_string(body, "time_zone", true, &tz, &present, &p) &&
	    space_create(r->app->store, &r->viewer, tz, id, &p))
		reply_json(r, 201, json_pack("{s:s}", "id", id));
	else
		api_problem(r, &p);
	json_decref(body);
}

/* 201 {code, expires_at, id}: the id (an addition to API.md) names the code for revoking it. */
void api_space_invite(struct request *r)
{
	char code[INVITE_CODE_LEN + 1], id[ID_LEN + 1], at[32];
	int64_t expires;
	struct problem p = {0};
	if (!space_invite(r->app->store, &r->viewer, code, id, &expires, &p)) {
		api_problem(r, &p);
		return;
	}
	time_rfc3339(expires, at);
	reply_json(r, 201, json_pack("{s:s, s:s, s:s}", "code", code, "expires_at", at, "id", id));
}

/* The pending codes of the caller's space: {id, created_at, expires_at}, never the code. */
void api_invite_list(struct request *r)
{
	struct problem p = {0};
	int limit, count;
	const char *before;
	struct store_invite *items;
	char *next;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !invite_list(r->app->store, &r->viewer, before, limit, r->arena, &items, &count, &next, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, json_pack("{s:s, s:o, s:o}", "id", items[i].id, "created_at",
		                                      api_time(items[i].created_at), "expires_at",
		                                      api_time(items[i].expires_at)));
	reply_json(r, 200, api_list(list, next));
}

void api_invite_revoke(struct request *r)
{
	struct problem p = {0};
	if (invite_revoke(r->app->store, &r->viewer, r->path_args[0], &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_space_join(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	static const char *names[] = {"code"};
	const char *code;
	char id[ID_LEN + 1];
	struct problem p = {0};
	if (api_required_strings(r, body, names, &code, 1)) {
		if (space_join(r->app->store, &r->viewer, code, r->client_addr, id, &p))
			reply_json(r, 200, json_pack("{s:s}", "id", id));
		else
			api_problem(r, &p);
	}
	json_decref(body);
}

void api_space_leave(struct request *r)
{
	struct problem p = {0};
	if (space_leave(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}
