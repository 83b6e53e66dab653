/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * account.c - API: accounts, sessions, /me, and deleting an account.
 */
#include <sodium.h>
#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "../domain/therapist.h"
#include "api.h"

static json_t *me_json(struct store *s, const struct viewer *v)
{
	json_t *space = json_null();
	if (v->space_id[0]) {
		json_t *partner = v->partner_id[0]
		                      ? json_pack("{s:s, s:s}", "id", v->partner_id, "display_name", v->partner_name)
		                      : json_null();
		json_t *therapist = json_null();
		struct store_space_therapist t;
		struct problem p;
		if (therapist_of_space(s, v, &t, &p)) {
			bool mine = false;
			for (int i = 0; i < t.members; i++)
				if (strcmp(t.member_ids[i], v->user_id) == 0)
					mine = t.consent[i];
			therapist = json_pack("{s:s, s:s, s:b}", "id", t.therapist_id, "display_name", t.display_name,
			                      "my_consent", mine);
		}
		space = json_pack("{s:s, s:o, s:o}", "id", v->space_id, "partner", partner, "therapist", therapist);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", v->user_id, "username", v->username, "display_name",
	                 v->display_name, "role", v->role, "space", space);
}

void api_account_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	static const char *names[] = {"username", "password", "display_name"};
	const char *v[3];
	struct problem p;
	struct store_user u;
	if (api_required_strings(r, body, names, v, 3)) {
		if (account_create(r->app->store, v[0], v[1], v[2], ROLE_MEMBER, &u, &p))
			reply_json(r, 201,
			           json_pack("{s:s, s:s, s:s, s:s}", "id", u.id, "username", u.username, "display_name",
			                     u.display_name, "role", u.role));
		else
			api_problem(r, &p);
	}
	json_decref(body);
}

void api_session_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	static const char *names[] = {"username", "password"};
	const char *v[2];
	struct problem p;
	struct store_user u;
	char token[TOKEN_TEXT_LEN + 1];
	if (!api_required_strings(r, body, names, v, 2))
		goto out;
	if (!account_login(r->app->store, v[0], v[1], r->client_addr, token, &u, &p)) {
		api_problem(r, &p);
		goto out;
	}
	struct viewer viewer;
	char hash[TOKEN_HASH_LEN + 1];
	auth_token_hash(token, TOKEN_TEXT_LEN, hash);
	enum store_status st = account_viewer(r->app->store, hash, now_ms(), SESSION_LIFETIME_MS, &viewer);
	if (st != STORE_OK) {
		reply_store_failure(r, st);
		goto out;
	}
	reply_json(r, 201, json_pack("{s:s, s:o}", "token", token, "user", me_json(r->app->store, &viewer)));
out:
	sodium_memzero(token, sizeof token);
	json_decref(body);
}

void api_session_delete(struct request *r)
{
	struct problem p;
	if (account_logout(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_session_delete_all(struct request *r)
{
	struct problem p;
	if (account_logout_everywhere(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_me(struct request *r)
{
	reply_json(r, 200, me_json(r->app->store, &r->viewer));
}

void api_me_delete(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *password;
	bool present;
	struct problem p;
	if (api_string(body, "password", false, &password, &present, &p) &&
	    account_delete(r->app->store, &r->viewer, password, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
	json_decref(body);
}
