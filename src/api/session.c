/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * session.c - API: the caller's sessions (list, end one), typing the
 * password again for a fresh session, and changing the password.
 * Logging in and out are in account.c.
 */
#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "../domain/password.h"
#include "api.h"

#define HOUR_MS (3600LL * 1000)

/*
 * A session as its owner sees it: when it started, when it was last used
 * to the hour only (no finer trace of anyone's activity), the coarse client,
 * and whether it is the one asking.
 */
static json_t *session_json(const struct store_session *ss, const struct viewer *v)
{
	int64_t used = ss->last_seen_at - ss->last_seen_at % HOUR_MS;
	return json_pack("{s:s, s:o, s:o, s:s, s:b}", "id", ss->id, "created_at", api_time(ss->created_at),
	                 "last_used_at", api_time(used), "client", ss->client, "current",
	                 strcmp(ss->id, v->session_id) == 0);
}

void api_session_list(struct request *r)
{
	int limit;
	const char *before;
	struct problem p = {0};
	struct session_page page;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !session_list(r->app->store, &r->viewer, before, limit, r->arena, &page, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++)
		json_array_append_new(items, session_json(&page.items[i], &r->viewer));
	reply_json(r, 200, api_list(items, page.next_cursor));
}

void api_session_end(struct request *r)
{
	struct problem p = {0};
	bool was_current;
	if (session_end(r->app->store, &r->viewer, r->path_args[0], &was_current, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_session_reauth(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	static const char *names[] = {"password"};
	const char *password;
	struct problem p = {0};
	if (api_required_strings(r, body, names, &password, 1)) {
		if (session_reauth(r->app->store, &r->viewer, password, &p))
			reply_empty(r, 204);
		else
			api_problem(r, &p);
	}
	json_decref(body);
}

void api_me_password(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	static const char *names[] = {"current", "new"};
	const char *v[2];
	struct problem p = {0};
	if (api_required_strings(r, body, names, v, 2)) {
		if (account_password_change(r->app->store, &r->viewer, v[0], v[1], &p))
			reply_empty(r, 204);
		else
			api_problem(r, &p);
	}
	json_decref(body);
}
