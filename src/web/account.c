/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * account.c - pages: sign up, log in ("keep me signed in" or not), log out,
 * the account page (its sessions part is in session.c), logging out
 * everywhere, and deleting the account.
 */
#include <sodium.h>
#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "web.h"

static const char *form_or_empty(struct request *r, const char *name)
{
	const char *v = request_form(r, name);
	return v ? v : "";
}

void web_signup_form(struct request *r)
{
	if (r->signed_in) {
		reply_redirect(r, "/dashboard");
		return;
	}
	web_render(r, 200, "signup", tr(r->lang, "Sign up"), json_object());
}

/* Starts a session for a verified user and goes to the dashboard. */
static void start_session(struct request *r, const char *token, bool remember, const struct login_client *client)
{
	web_set_session_cookie(r, token, remember);
	web_set_device_cookie(r, client);
	reply_redirect(r, "/dashboard");
}

void web_signup(struct request *r)
{
	const char *username = form_or_empty(r, "username");
	const char *display_name = form_or_empty(r, "display_name");
	const char *password = form_or_empty(r, "password");
	struct problem p = {0};
	struct store_user u;
	char token[TOKEN_TEXT_LEN + 1] = "";
	struct login_client client;
	web_login_client(r, &client);
	if (account_signup(r->app->store, &client, r->app->config.signup_limit, username, password, display_name, &u,
	                   &p) &&
	    account_login(r->app->store, username, password, NULL, &client, SESSION_SHORT,
	                  request_header(r, "User-Agent"), token, &u, &p)) {
		start_session(r, token, false, &client);
		sodium_memzero(token, sizeof token);
		return;
	}
	web_throttled(r, &p, N_("Many accounts were made from your network in the last hour."));
	json_t *ctx = json_pack("{s:s, s:s}", "username", username, "display_name", display_name);
	if (p.outcome == OUTCOME_THROTTLED)
		web_add_paused(
		    r, ctx, &p, N_("Signing up is paused for a while"),
		    N_("This keeps anyone from making accounts in bulk. Your username and name are kept below."));
	else
		web_add_problem(r, ctx, &p);
	web_render(r, web_status(r, p.outcome), "signup", tr(r->lang, "Sign up"), ctx);
}

void web_login_form(struct request *r)
{
	if (r->signed_in) {
		reply_redirect(r, "/dashboard");
		return;
	}
	web_render(r, 200, "login", tr(r->lang, "Log in"),
	           json_pack("{s:b}", "ended", request_query(r, "ended") != NULL));
}

void web_login(struct request *r)
{
	const char *username = form_or_empty(r, "username");
	const char *password = form_or_empty(r, "password");
	/* "Keep me signed in": 30 days; without it, the browser session and 12 hours unused (domain/session.h). */
	bool remember = request_form(r, "remember") != NULL;
	struct problem p = {0};
	struct store_user u;
	char token[TOKEN_TEXT_LEN + 1] = "";
	struct login_client client;
	web_login_client(r, &client);
	if (account_login(r->app->store, username, password, NULL, &client,
	                  remember ? SESSION_REMEMBERED : SESSION_SHORT, request_header(r, "User-Agent"), token, &u,
	                  &p)) {
		/* A new session id at every login; an old cookie's session ends. */
		struct problem ignored = {0};
		if (r->signed_in && !account_logout(r->app->store, &r->viewer, &ignored))
			(void)ignored; /* the old session still expires on its own */
		start_session(r, token, remember, &client);
		sodium_memzero(token, sizeof token);
		return;
	}
	if (p.outcome == OUTCOME_UNAUTHORIZED && strcmp(p.code, "second_factor_required") == 0) {
		web_login_second_step(r, u.id); /* the password matched: on to the code page */
		return;
	}
	if (p.outcome == OUTCOME_UNAUTHORIZED)
		p.field = "password";
	web_throttled(r, &p, N_("There have been too many tries to log in."));
	json_t *ctx = json_pack("{s:s, s:b}", "username", username, "remember", remember);
	if (p.outcome == OUTCOME_THROTTLED)
		web_add_paused(r, ctx, &p, N_("Logging in is paused for a while"),
		               N_("This keeps your account safe from someone guessing its password. A browser you "
		                  "have logged in with before can still log in now."));
	else
		web_add_problem(r, ctx, &p);
	web_render(r, web_status(r, p.outcome), "login", tr(r->lang, "Log in"), ctx);
}

void web_logout(struct request *r)
{
	struct problem p = {0};
	if (r->signed_in && !account_logout(r->app->store, &r->viewer, &p)) {
		web_problem_page(r, &p);
		return;
	}
	web_clear_session_cookie(r);
	reply_redirect(r, "/");
}

void web_account_page(struct request *r, int status, json_t *ctx)
{
	json_t *flags = json_pack("{s:s, s:b, s:b, s:b, s:b}", "username", r->viewer.username, "ended",
	                          request_query(r, "ended") != NULL, "ended_one", request_query(r, "ended_one") != NULL,
	                          "others_ended", request_query(r, "others") != NULL, "password_changed",
	                          request_query(r, "password") != NULL);
	json_object_update_missing(ctx, flags);
	json_decref(flags);
	web_sessions_context(r, ctx);
	web_two_step_account(r, ctx);
	web_checkin_account(r, ctx); /* issue 11 */
	json_object_set_new(ctx, "quick_exit_saved", json_boolean(request_query(r, "quick_exit") != NULL));
	web_profile_context(r, ctx);
	web_bio_account(r, ctx);
	web_render(r, status, "account", tr(r->lang, "Your account"), ctx);
}

void web_account(struct request *r)
{
	web_account_page(r, 200, json_object());
}

void web_logout_everywhere(struct request *r)
{
	struct problem p = {0};
	if (!account_logout_everywhere(r->app->store, &r->viewer, &p)) {
		web_problem_page(r, &p);
		return;
	}
	web_clear_session_cookie(r);
	reply_redirect(r, "/login?ended=1");
}

void web_account_delete_form(struct request *r)
{
	web_render(r, 200, "account_delete", tr(r->lang, "Delete your account"), json_object());
}

void web_account_delete(struct request *r)
{
	struct problem p = {0};
	const char *password = request_form(r, "password");
	/* The password typed on this form is the password typed again: a stale session is fresh with it. */
	bool fresh = session_is_fresh(&r->viewer) || session_reauth(r->app->store, &r->viewer, password, &p);
	if (fresh && account_delete(r->app->store, &r->viewer, password, &p)) {
		app_forget_plaintext(r->app);
		web_clear_session_cookie(r);
		reply_redirect(r, "/?deleted=1");
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *ctx = json_object();
	web_add_problem(r, ctx, &p);
	web_render(r, web_status(r, p.outcome), "account_delete", tr(r->lang, "Delete your account"), ctx);
}
