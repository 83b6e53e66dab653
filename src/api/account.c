/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * account.c - API: accounts, sessions, /me, and deleting an account.
 */
#include <sodium.h>
#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "../domain/blog.h"
#include "../domain/checkin.h"
#include "../domain/date.h"
#include "../domain/therapist.h"
#include "../domain/therapy_session.h"
#include "../domain/two_step.h"
#include "../domain/home.h"
#include "api.h"

/* Who is logging in or signing up: the client's address and the device cookie it sent, if any. */
static void api_login_client(struct request *r, struct login_client *c)
{
	memset(c, 0, sizeof *c);
	c->addr = r->client_addr;
	c->device_cookie = request_cookie(r, DEVICE_COOKIE_NAME);
}

/* The person's bio (issue 12), "" when none or when it cannot be read now (as the therapist below). */
static json_t *me_bio(struct request *r, const struct viewer *v)
{
	char *bio;
	struct problem ignored;
	return json_string(blog_bio_get(r->app->store, v->user_id, r->arena, &bio, &ignored) ? bio : "");
}

json_t *api_me_json(struct request *r, const struct viewer *v)
{
	struct store *s = r->app->store;
	json_t *space = json_null();
	if (v->space_id[0]) {
		json_t *partner = v->partner_id[0]
		                      ? json_pack("{s:s, s:s}", "id", v->partner_id, "display_name", v->partner_name)
		                      : json_null();
		json_t *therapist = json_null();
		struct store_space_therapist t;
		struct problem p = {0};
		if (therapist_of_space(s, v, &t, &p)) {
			enum consent_state mine = consent_state_of(&t, v->user_id);
			therapist =
			    json_pack("{s:s, s:s, s:b, s:s}", "id", t.therapist_id, "display_name", t.display_name,
			              "my_consent", mine == CONSENT_GRANTED, "consent_state", consent_state_name(mine));
		}
		space = json_pack("{s:s, s:o, s:o}", "id", v->space_id, "partner", partner, "therapist", therapist);
		/* issue 13: the next session, null when none or passed; a failed read leaves it null as above */
		struct store_session_plan plan;
		int64_t next = therapy_session_of_space(s, v, &plan, NULL, &p)
		                   ? therapy_session_upcoming(plan.next_at, now_ms())
		                   : 0;
		json_object_set_new(space, "next_session_at", next ? api_time(next) : json_null());
	}
	struct two_step_status two_step = {0};
	struct problem ignored = {0};
	/* as for the therapist above, a failed read leaves the field at its default */
	if (!two_step_status(s, v->user_id, &two_step, &ignored))
		two_step.state = TWO_STEP_OFF;
	json_t *me =
	    json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}", "id", v->user_id, "username", v->username, "display_name",
	              v->display_name, "role", v->role, "space", space, "two_step", two_step.state == TWO_STEP_ON);
	json_object_set_new(me, "time_zone", json_string(viewer_time_zone(v))); /* issue 12 */
	/* issue 11: "Sign me out on Quick exit", set on the account page; read with the session (store.h) */
	json_object_set_new(me, "quick_exit_signs_out", json_boolean(v->quick_exit_signs_out));
	json_object_set_new(me, "bio", me_bio(r, v));
	/* issue 16: the language chosen (null: as the browser asks) and the one this answer's content is in */
	json_object_set_new(me, "language", v->language[0] ? json_string(v->language) : json_null());
	json_object_set_new(me, "content_language", json_string(lang_code(r->lang)));
	/* issue 11: who sees a new check-in's items unless the check-in says otherwise */
	enum visibility vis = VISIBILITY_PRIVATE;
	if (!checkin_default_get(s, v, &vis, &ignored))
		vis = VISIBILITY_PRIVATE;
	json_object_set_new(me, "checkin_default_visibility", json_string(visibility_name(vis)));
	return me;
}

void api_account_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	static const char *names[] = {"username", "password", "display_name"};
	const char *v[3];
	struct problem p = {0};
	struct store_user u;
	struct login_client client;
	api_login_client(r, &client);
	if (api_required_strings(r, body, names, v, 3)) {
		if (account_signup(r->app->store, &client, r->app->config.signup_limit, v[0], v[1], v[2], &u, &p))
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
	const char *v[2], *otp = NULL;
	bool has_otp;
	struct problem p = {0};
	struct store_user u;
	char token[TOKEN_TEXT_LEN + 1] = "";
	bool remember = false, remember_given;
	if (!api_required_strings(r, body, names, v, 2))
		goto out;
	/* Without `remember`, an API token; with it, the lifetimes of a browser session (domain/session.h). */
	if (!api_bool(body, "remember", &remember, &remember_given, &p)) {
		api_problem(r, &p);
		goto out;
	}
	enum session_kind kind = !remember_given ? SESSION_TOKEN : remember ? SESSION_REMEMBERED : SESSION_SHORT;
	struct login_client client;
	api_login_client(r, &client);
	/* otp: the second step, for people with two-step login on (two_step.h) */
	if (!api_string(body, "otp", true, &otp, &has_otp, &p) ||
	    !account_login(r->app->store, v[0], v[1], otp, &client, kind, request_header(r, "User-Agent"), token, &u,
	                   &p)) {
		api_problem(r, &p);
		goto out;
	}
	/* A client that keeps cookies is remembered as a browser is (domain/throttle.h). */
	if (client.device_cookie_out[0])
		reply_cookie(r, DEVICE_COOKIE_NAME, client.device_cookie_out, DEVICE_COOKIE_MAX_AGE_S);
	struct viewer viewer;
	char hash[TOKEN_HASH_LEN + 1];
	auth_token_hash(token, TOKEN_TEXT_LEN, hash);
	enum store_status st = account_viewer(r->app->store, hash, now_ms(), SESSION_IDLE_MAX_MS, &viewer);
	if (st != STORE_OK) {
		reply_store_failure(r, st);
		goto out;
	}
	reply_json(r, 201, json_pack("{s:s, s:o}", "token", token, "user", api_me_json(r, &viewer)));
out:
	sodium_memzero(token, sizeof token);
	json_decref(body);
}

void api_session_delete(struct request *r)
{
	struct problem p = {0};
	if (account_logout(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_session_delete_all(struct request *r)
{
	struct problem p = {0};
	if (account_logout_everywhere(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_me(struct request *r)
{
	reply_json(r, 200, api_me_json(r, &r->viewer));
}

void api_me_delete(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *password;
	bool present;
	struct problem p = {0};
	if (api_string(body, "password", false, &password, &present, &p) &&
	    account_delete(r->app->store, &r->viewer, password, &p)) {
		app_forget_plaintext(r->app);
		reply_empty(r, 204);
	} else
		api_problem(r, &p);
	json_decref(body);
}
