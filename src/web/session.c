/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * session.c - pages: where one is signed in (on the account page), ending
 * one session or all others, changing the password, and typing the password
 * again before a dangerous action (the reauth page, which returns to where
 * the person was).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../domain/account.h"
#include "../domain/date.h"
#include "../domain/password.h"
#include "web.h"

#define HOUR_MS (3600LL * 1000)
/* The account page lists this many sessions; more than that is unusual enough to end them all. */
#define SESSIONS_SHOWN 50

static const char *form_or_empty(struct request *r, const char *name)
{
	const char *v = request_form(r, name);
	return v ? v : "";
}

/*
 * When a session was last used, to the hour only, in the reader's zone
 * ("Today, 07:00–08:00", "Thursday", "27 Nov"): enough to recognise a
 * session, no finer trace of when someone was here. Only the hour's start is
 * in the <time> element, so the page holds nothing finer either.
 */
static json_t *used_within(const struct request *r, int64_t ms)
{
	int64_t hour = ms / HOUR_MS * HOUR_MS;
	json_t *when = web_when(r, hour);
	const char *text = json_string_value(json_object_get(when, "text"));
	if (!strchr(text, ':'))
		return when; /* a weekday or a date: coarser than the hour already */
	struct local_time end;
	(void)date_local_time(viewer_time_zone(&r->viewer), hour + HOUR_MS, &end);
	char suffix[16];
	snprintf(suffix, sizeof suffix, "–%02d:00", end.hour);
	const char *html = json_string_value(json_object_get(when, "html"));
	const char *close = strstr(html, "</time>");
	json_t *out =
	    json_pack("{s:s, s:s}", "text", arena_printf(r->arena, "%s%s", text, suffix), "html",
	              close ? arena_printf(r->arena, "%.*s%s</time>", (int)(close - html), html, suffix) : html);
	json_decref(when);
	return out;
}

/*
 * A session's client in the reader's language. The domain keeps it in English
 * (domain/session.c, session_client_name): names that stay as they are
 * ("Firefox", "Android"), a few words marked there ("A Python script"), and
 * "X on Y" or "A browser on Y" around them.
 */
static const char *client_words(struct request *r, const char *client)
{
	static const char browser_on[] = "A browser on "; /* not translated: how the domain stores it */
	if (strncmp(client, browser_on, sizeof browser_on - 1) == 0)
		return arena_printf(r->arena, tr(r->lang, "A browser on %s"), client + sizeof browser_on - 1);
	const char *on = strstr(client, " on ");
	if (on)
		return arena_printf(r->arena, tr(r->lang, "%s on %s"),
		                    arena_strndup(r->arena, client, (size_t)(on - client)), on + 4);
	return tr(r->lang, client);
}

void web_sessions_context(struct request *r, json_t *ctx)
{
	struct problem p = {0};
	struct session_page page;
	json_t *items = json_array();
	bool others = false;
	if (session_list(r->app->store, &r->viewer, NULL, SESSIONS_SHOWN, r->arena, &page, &p)) {
		for (int i = 0; i < page.count; i++) {
			const struct store_session *ss = &page.items[i];
			bool current = strcmp(ss->id, r->viewer.session_id) == 0;
			others = others || !current;
			json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:o, s:b}", "id", ss->id, "client",
			                                       client_words(r, ss->client), "started",
			                                       web_when(r, ss->created_at), "last_used",
			                                       used_within(r, ss->last_seen_at), "current", current));
		}
	}
	json_object_set_new(ctx, "sessions", items);
	json_object_set_new(ctx, "has_others", json_boolean(others));
	json_object_set_new(ctx, "fresh", json_boolean(session_is_fresh(&r->viewer)));
}

void web_session_end(struct request *r)
{
	struct problem p = {0};
	bool was_current;
	if (!session_end(r->app->store, &r->viewer, r->path_args[0], &was_current, &p)) {
		web_problem_page(r, &p);
		return;
	}
	if (was_current) {
		web_clear_session_cookie(r);
		reply_redirect(r, "/");
		return;
	}
	reply_redirect(r, "/account?ended_one=1");
}

void web_sessions_end_others(struct request *r)
{
	struct problem p = {0};
	if (!session_end_others(r->app->store, &r->viewer, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/account?others=1");
}

/* ---- changing the password ---- */

static void password_page(struct request *r, int status, const struct problem *ps, int n)
{
	json_t *ctx = json_pack("{s:s}", "username", r->viewer.username);
	if (n > 0)
		web_add_problems(r, ctx, ps, n);
	web_render(r, status, "password", tr(r->lang, "Change your password"), ctx);
}

void web_password_form(struct request *r)
{
	password_page(r, 200, NULL, 0);
}

void web_password_change(struct request *r)
{
	const char *current = form_or_empty(r, "current");
	const char *fresh = form_or_empty(r, "new");
	const char *again = form_or_empty(r, "new_again");
	/* Everything wrong with the form at once, before any password is checked. */
	struct problem ps[3];
	int n = 0;
	if (!*current)
		problem_invalid(&ps[n++], "current", "Type your current password.");
	if (!password_acceptable(r->viewer.username, r->viewer.display_name, fresh, strlen(fresh), "new", &ps[n]))
		n++;
	else if (strcmp(fresh, again) != 0)
		problem_invalid(&ps[n++], "new_again", "The two new passwords are not the same. Please type it again.");
	if (n > 0) {
		password_page(r, 400, ps, n);
		return;
	}
	/* The current password typed here is the password typed again: a stale session is fresh with it. */
	struct problem p = {0};
	bool ok = (session_is_fresh(&r->viewer) || session_reauth(r->app->store, &r->viewer, current, &p)) &&
	          account_password_change(r->app->store, &r->viewer, current, fresh, &p);
	if (ok) {
		reply_redirect(r, "/account?password=1");
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	if (p.field && strcmp(p.field, "password") == 0)
		p.field = "current"; /* the reauth names the field it checks "password" */
	if (p.retry_after > 0) {
		char secs[24];
		snprintf(secs, sizeof secs, "%d", p.retry_after);
		reply_header(r, "Retry-After", secs);
	}
	password_page(r, web_status(r, p.outcome), &p, 1);
}

/* ---- the password again, before a dangerous action ---- */

/*
 * Why the password is asked for, by what the person is about to do (from
 * where they will return to): a whole sentence for each, so that every
 * language can build it its own way.
 */
static const char *reauth_reason(enum lang l, const char *next)
{
	if (strcmp(next, "/account/export") == 0 || strcmp(next, "/api/v1/me/export") == 0)
		return tr(l,
		          "For your safety, hearth asks for your password again before showing everything you wrote, "
		          "in case someone else has your phone or computer.");
	if (strcmp(next, "/account/delete") == 0)
		return tr(l,
		          "For your safety, hearth asks for your password again before deleting your account, in case "
		          "someone else has your phone or computer.");
	if (strcmp(next, "/account/password") == 0)
		return tr(l,
		          "For your safety, hearth asks for your password again before changing your password, in case "
		          "someone else has your phone or computer.");
	return tr(l, "For your safety, hearth asks for your password again before this step, in case someone else has "
	             "your phone or computer.");
}

static void reauth_page(struct request *r, int status, const char *next, const struct problem *p)
{
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:I}", "username", r->viewer.username, "next", next, "reason",
	                        reauth_reason(r->lang, next), "minutes", (json_int_t)(SESSION_FRESH_MS / 60000));
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "reauth", tr(r->lang, "Please confirm it is you"), ctx);
}

void web_reauth_form(struct request *r)
{
	reauth_page(r, 200, web_local_path(request_query(r, "next"), "/account"), NULL);
}

void web_reauth(struct request *r)
{
	const char *next = web_local_path(request_form(r, "next"), "/account");
	struct problem p = {0};
	if (session_reauth(r->app->store, &r->viewer, form_or_empty(r, "password"), &p)) {
		reply_redirect(r, next);
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
	reauth_page(r, web_status(r, p.outcome), next, &p);
}
