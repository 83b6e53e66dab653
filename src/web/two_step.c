/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * two_step.c - pages of two-step login (issue 10, part B): its section on the
 * Account page, the page that sets it up (an introduction, then the QR code
 * and the first code) or turns it off, the recovery codes shown once, and the
 * code page of a login.
 *
 * GET /account/two-step shows whichever of the three states the person is
 * in; each form posts and then redirects there or to the Account page, except
 * the confirmation, whose answer is the recovery codes themselves (they are
 * shown once and never stored, so they cannot be fetched again by a redirect).
 */
#include <sodium.h>
#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "../domain/session.h"
#include "../domain/two_step.h"
#include "render/qr.h"
#include "web.h"

#define QR_SVG_MAX (256 * 1024)

void web_two_step_account(struct request *r, json_t *ctx)
{
	struct two_step_status st;
	struct problem p = {0};
	if (!two_step_status(r->app->store, r->viewer.user_id, &st, &p))
		return; /* no section rather than a wrong state; the rest of the page still helps */
	json_object_set_new(ctx, "two_step", json_pack("{s:b}", "on", st.state == TWO_STEP_ON));
	const char *q = request_query(r, "two_step");
	if (q && strcmp(q, "on") == 0)
		json_object_set_new(ctx, "two_step_notice", json_string(tr(r->lang, "Two-step login is on.")));
	else if (q && strcmp(q, "off") == 0)
		json_object_set_new(ctx, "two_step_notice", json_string(tr(r->lang, "Two-step login is off.")));
}

/* The secret in groups of four, as apps that take a typed key show it. */
static char *secret_groups(struct request *r, const char *secret)
{
	size_t n = strlen(secret);
	char *out = arena_alloc(r->arena, n + n / 4 + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && i % 4 == 0)
			out[j++] = ' ';
		out[j++] = secret[i];
	}
	out[j] = '\0';
	return out;
}

/* The page of two-step login when it is on: how many recovery codes are left, in words. */
static json_t *on_context(struct request *r, int left)
{
	const char *words =
	    left > 0
	        ? arena_printf(r->arena,
	                       tr_n(r->lang, "You have one unused recovery code, for when your phone is not to hand.",
	                            "You have %d unused recovery codes, for when your phone is not to hand.",
	                            (unsigned long)left),
	                       left)
	        : "";
	return json_pack("{s:b, s:i, s:s}", "on", 1, "recovery_left", left, "recovery_text", words);
}

/* The setup page for a pending setup, with a problem of the last try (or NULL) and what was typed. */
static void render_setup(struct request *r, int status, const struct problem *shown, const char *otp)
{
	struct problem p = {0};
	struct two_step_setup setup;
	if (!two_step_pending(r->app->store, &r->viewer, r->arena, &setup, &p)) {
		web_problem_page(r, &p);
		return;
	}
	struct buf svg;
	buf_init(&svg, QR_SVG_MAX);
	if (qr_svg(&svg, setup.otpauth_uri, tr(r->lang, "QR code to add hearth to your authenticator app")) < 0) {
		web_error_page(r, 500, tr(r->lang, "Please try again"), tr(r->lang, "The QR code could not be drawn."));
		goto out;
	}
	json_t *ctx = json_pack("{s:b, s:s, s:s, s:s}", "setup", 1, "qr", svg.data, "secret_groups",
	                        secret_groups(r, setup.secret), "otp", otp ? otp : "");
	if (shown)
		web_add_problem(r, ctx, shown);
	web_render(r, status, "two_step", tr(r->lang, "Two-step login"), ctx);
out:
	sodium_memzero(setup.secret, sizeof setup.secret);
	buf_cleanup(&svg);
}

void web_two_step(struct request *r)
{
	struct two_step_status st;
	struct problem p = {0};
	if (!two_step_status(r->app->store, r->viewer.user_id, &st, &p)) {
		web_problem_page(r, &p);
		return;
	}
	if (st.state == TWO_STEP_PENDING)
		render_setup(r, 200, NULL, NULL);
	else if (st.state == TWO_STEP_ON)
		web_render(r, 200, "two_step", tr(r->lang, "Two-step login"), on_context(r, st.recovery_left));
	else
		web_render(r, 200, "two_step", tr(r->lang, "Two-step login"), json_pack("{s:b}", "off", 1));
}

void web_two_step_begin(struct request *r)
{
	struct problem p = {0};
	struct two_step_setup setup;
	bool ok = two_step_begin(r->app->store, &r->viewer, r->arena, &setup, &p);
	sodium_memzero(setup.secret, sizeof setup.secret);
	if (ok || p.outcome == OUTCOME_CONFLICT) /* on already: the page says so */
		reply_redirect(r, "/account/two-step");
	else
		web_problem_page(r, &p);
}

void web_two_step_confirm(struct request *r)
{
	const char *otp = request_form(r, "otp");
	struct problem p = {0};
	char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_LEN + 1];
	if (!two_step_confirm(r->app->store, &r->viewer, otp, codes, &p)) {
		if (p.retry_after > 0) {
			char secs[24];
			snprintf(secs, sizeof secs, "%d", p.retry_after);
			reply_header(r, "Retry-After", secs);
		}
		if (p.outcome == OUTCOME_INVALID || p.outcome == OUTCOME_THROTTLED)
			render_setup(r, web_status(r, p.outcome), &p, otp);
		else if (p.outcome == OUTCOME_CONFLICT)
			reply_redirect(r,
			               "/account/two-step"); /* nothing pending, or on already: the page shows which */
		else
			web_problem_page(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
		json_array_append_new(list, json_string(codes[i]));
	sodium_memzero(codes, sizeof codes);
	web_render(r, 200, "two_step_codes", tr(r->lang, "Your recovery codes"), json_pack("{s:o}", "codes", list));
}

void web_two_step_off(struct request *r)
{
	struct problem p = {0};
	const char *password = request_form(r, "password") ? request_form(r, "password") : "";
	/* The password typed on this form is the password typed again: a stale session is fresh with it. */
	bool fresh = session_is_fresh(&r->viewer) || session_reauth(r->app->store, &r->viewer, password, &p);
	if (fresh && two_step_disable(r->app->store, &r->viewer, password, &p)) {
		reply_redirect(r, "/account?two_step=off");
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND) {
		reply_redirect(r, "/account/two-step"); /* it was off already */
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	if (p.retry_after > 0) {
		char secs[24];
		snprintf(secs, sizeof secs, "%d", p.retry_after);
		reply_header(r, "Retry-After", secs);
	}
	struct two_step_status st = {.state = TWO_STEP_ON};
	struct problem ignored = {0};
	if (!two_step_status(r->app->store, r->viewer.user_id, &st, &ignored))
		st.recovery_left = 0;
	json_t *ctx = on_context(r, st.recovery_left);
	web_add_problem(r, ctx, &p);
	web_render(r, web_status(r, p.outcome), "two_step", tr(r->lang, "Two-step login"), ctx);
}

/* ---- logging in ---- */

static void render_code_page(struct request *r, int status, const char *ticket, const struct problem *shown)
{
	/* "Keep me signed in" travels from the password page through this one. */
	json_t *ctx = json_pack("{s:s, s:b}", "ticket", ticket, "remember", request_form(r, "remember") != NULL);
	if (shown) {
		web_add_problem(r, ctx, shown);
		if (shown->retry_after > 0) {
			char secs[24];
			snprintf(secs, sizeof secs, "%d", shown->retry_after);
			reply_header(r, "Retry-After", secs);
		}
	}
	web_render(r, status, "login_code", tr(r->lang, "Log in"), ctx);
}

void web_login_second_step(struct request *r, const char *user_id)
{
	struct problem p = {0};
	char ticket[TOKEN_TEXT_LEN + 1];
	if (!two_step_ticket_new(r->app->store, user_id, ticket, &p)) {
		web_problem_page(r, &p);
		return;
	}
	render_code_page(r, 200, ticket, NULL);
	sodium_memzero(ticket, sizeof ticket);
}

void web_login_code_form(struct request *r)
{
	/* The code page exists only as the answer to a password (it carries the ticket): the login form again. */
	web_login_form(r);
}

void web_login_code(struct request *r)
{
	const char *ticket = request_form(r, "ticket");
	const char *otp = request_form(r, "otp");
	struct problem p = {0};
	struct store_user u;
	char token[TOKEN_TEXT_LEN + 1] = "";
	bool remember = request_form(r, "remember") != NULL;
	struct login_client client;
	web_login_client(r, &client);
	if (account_login_ticket(r->app->store, ticket ? ticket : "", otp ? otp : "", &client,
	                         remember ? SESSION_REMEMBERED : SESSION_SHORT, request_header(r, "User-Agent"), token,
	                         &u, &p)) {
		/* A new session id at every login; an old cookie's session ends. */
		struct problem ignored = {0};
		if (r->signed_in && !account_logout(r->app->store, &r->viewer, &ignored))
			(void)ignored; /* the old session still expires on its own */
		web_set_session_cookie(r, token, remember);
		web_set_device_cookie(r, &client);
		sodium_memzero(token, sizeof token);
		reply_redirect(r, "/dashboard");
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
	} else if (p.outcome == OUTCOME_NOT_FOUND) {
		/* the ticket is gone: from the start, with the reason */
		json_t *ctx = json_object();
		web_add_problem(r, ctx, &p);
		web_render(r, 401, "login", tr(r->lang, "Log in"), ctx);
	} else {
		render_code_page(r, web_status(r, p.outcome), ticket, &p);
	}
}
