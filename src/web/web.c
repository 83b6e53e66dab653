/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * web.c - what every page shares (see web.h): the layout, CSRF tokens, the
 * session cookie, error pages and static files.
 */
#include "web.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/auth.h"
#include "../domain/home.h"
#include "../domain/session.h"
#include "../template/template.h"

#define PRE_COOKIE "hearth_pre"
/* The largest page drawn: an article with its 500 comments, or the whole printable export, fit well within it. */
#define WEB_PAGE_MAX (32 * 1024 * 1024)

const char *web_csrf_expected(struct request *r)
{
	if (r->signed_in && r->via_cookie) {
		char *t = arena_alloc(r->arena, TOKEN_HASH_LEN + 1);
		auth_csrf_for(r->session_token, t);
		return t;
	}
	const char *pre = request_cookie(r, PRE_COOKIE);
	return pre && strlen(pre) == TOKEN_TEXT_LEN ? pre : NULL;
}

const char *web_csrf_token(struct request *r)
{
	const char *t = web_csrf_expected(r);
	if (t)
		return t;
	char *fresh = arena_alloc(r->arena, TOKEN_TEXT_LEN + 1);
	auth_token_new(fresh);
	reply_cookie(r, PRE_COOKIE, fresh, -1);
	return fresh;
}

void web_set_session_cookie(struct request *r, const char *token, bool remember)
{
	/* Without "keep me signed in" the cookie has no Max-Age: it goes when the browser closes. */
	reply_cookie(r, "hearth_session", token, remember ? (long)(SESSION_REMEMBER_MS / 1000) : -1);
}

const char *web_local_path(const char *next, const char *fallback)
{
	/* Only a path on this server: "/x", never "//host" or "/\host", which browsers take as another site. */
	size_t n = next ? strlen(next) : 0;
	if (n == 0 || n > 512 || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return fallback;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)next[i];
		if (c <= 0x20 || c >= 0x7f || c == '\\')
			return fallback;
	}
	return next;
}

bool web_require_fresh(struct request *r, const char *back)
{
	if (session_is_fresh(&r->viewer))
		return true;
	struct buf url;
	buf_init(&url, 2048);
	const char *to = web_local_path(back, "/account");
	if (buf_puts(&url, "/reauth?next=") == 0 && url_escape(&url, to, strlen(to)) == 0)
		reply_redirect(r, arena_strdup(r->arena, url.data));
	else
		reply_redirect(r, "/reauth");
	buf_cleanup(&url);
	return false;
}

void web_clear_session_cookie(struct request *r)
{
	reply_cookie(r, "hearth_session", "", 0);
}

void web_login_client(struct request *r, struct login_client *c)
{
	memset(c, 0, sizeof *c);
	c->addr = r->client_addr;
	c->device_cookie = request_cookie(r, DEVICE_COOKIE_NAME);
}

void web_set_device_cookie(struct request *r, const struct login_client *c)
{
	if (c->device_cookie_out[0])
		reply_cookie(r, DEVICE_COOKIE_NAME, c->device_cookie_out, DEVICE_COOKIE_MAX_AGE_S);
}

void web_throttled(struct request *r, struct problem *p, const char *what)
{
	if (p->outcome != OUTCOME_THROTTLED)
		return;
	int minutes = (p->retry_after + 59) / 60;
	enum lang l = r->lang;
	const char *again = p->retry_after < 60 ? tr(l, "Please try again in less than a minute.")
	                    : minutes < 60
	                        ? arena_printf(r->arena,
	                                       tr_n(l, "Please try again in about a minute.",
	                                            "Please try again in about %d minutes.", (unsigned long)minutes),
	                                       minutes)
	                        : tr(l, "Please try again in about an hour.");
	p->message = arena_printf(r->arena, "%s %s", tr(l, what), again);
	char secs[24];
	snprintf(secs, sizeof secs, "%d", p->retry_after > 0 ? p->retry_after : 1);
	reply_header(r, "Retry-After", secs);
}

void web_add_paused(struct request *r, json_t *ctx, const struct problem *p, const char *heading, const char *hint)
{
	json_object_set_new(ctx, "paused", json_string(tr(r->lang, p->message)));
	json_object_set_new(ctx, "paused_heading", json_string(tr(r->lang, heading)));
	json_object_set_new(ctx, "paused_hint", json_string(tr(r->lang, hint)));
}

void web_add_problem(struct request *r, json_t *ctx, const struct problem *p)
{
	if (p->outcome != OUTCOME_INVALID || p->count < 2) {
		web_add_problems(r, ctx, p, 1);
		return;
	}
	/* Every invalid field at once: each as a problem of its own, in the order found. */
	struct problem each[PROBLEM_ITEMS_MAX];
	int n = p->count < PROBLEM_ITEMS_MAX ? p->count : PROBLEM_ITEMS_MAX;
	for (int i = 0; i < n; i++) {
		each[i] = (struct problem){.outcome = p->outcome, .code = p->code};
		each[i].field = p->items[i].field;
		each[i].message = p->items[i].message;
	}
	web_add_problems(r, ctx, each, n);
}

void web_add_problems(struct request *r, json_t *ctx, const struct problem *ps, int n)
{
	json_t *errors = json_object();
	json_t *summary = json_array();
	for (int i = 0; i < n; i++) {
		const struct problem *p = &ps[i];
		const char *field = p->field ? p->field : "form";
		/* The domain's messages are English (the API's); a page says them in the reader's language. */
		const char *message = tr(r->lang, p->message);
		json_object_set_new(errors, field, json_string(message));
		json_array_append_new(summary, json_pack("{s:s, s:s, s:b}", "field", field, "message", message,
		                                         "linked", p->field != NULL));
	}
	json_object_set_new(ctx, "errors", errors);
	json_object_set_new(ctx, "error_summary", summary);
}

/* Whether the signed-in viewer's Quick exit also signs them out (static/exit.js): read with the session. */
static bool quick_exit_signs_out(struct request *r)
{
	return r->signed_in && r->viewer.quick_exit_signs_out;
}

/*
 * The section of the navigation this page belongs to, for aria-current:
 * {SECTION: true}. Growth holds agreements, questionnaires, trends and the
 * timeline; a therapist's sections are their practice, couples and articles.
 */
static json_t *web_nav_current(const struct request *r)
{
	/* /bridge (issue 13): the list for the next session belongs to Growth. */
	static const struct {
		const char *prefix, *section;
	} sections[] = {
	    {"/dashboard", "home"},        {"/checkins", "checkin"},  {"/prompts", "question"},
	    {"/repairs", "repairs"},       {"/growth", "growth"},     {"/agreements", "growth"},
	    {"/questionnaires", "growth"}, {"/trends", "growth"},     {"/timeline", "growth"},
	    {"/therapist", "couples"},     {"/articles", "articles"}, {"/space", "space"},
	    {"/account", "account"},       {"/reminders", "account"}, {"/bridge", "growth"},
	    {"/decks", "question"},        {"/cycle", "repairs"},     {"/came-through", "growth"}, /* issue 14 */
	};
	json_t *nav = json_object();
	const char *path = r->path ? r->path : "";
	for (size_t i = 0; i < ARRAY_LEN(sections); i++) {
		size_t n = strlen(sections[i].prefix);
		if (strncmp(path, sections[i].prefix, n) == 0 && (path[n] == '\0' || path[n] == '/')) {
			json_object_set_new(nav, sections[i].section, json_true());
			break;
		}
	}
	return nav;
}

/*
 * What every page's head carries (issue 12): a description (the page's own,
 * else the site's), a canonical link from HEARTH_PUBLIC_URL for the public
 * pages, and the versioned URLs of the static files.
 */
static void layout_hygiene(struct request *r, int status, json_t *ctx, json_t *layout)
{
	json_t *meta = json_object_get(ctx, "meta");
	const char *description = json_string_value(json_object_get(meta, "description"));
	const char *canonical = json_string_value(json_object_get(meta, "canonical"));
	if (!description || !*description)
		description = "hearth: a private place where a couple practises a secure relationship, "
		              "between sessions and with their therapist if they choose.";
	if (!canonical && r->route && r->route->access == ACCESS_PUBLIC && status < 400 && r->method == HTTP_GET)
		canonical = arena_printf(r->arena, "%s%s", r->app->config.public_url, r->path);
	json_object_set_new(layout, "description", json_string(description));
	/* Private pages are kept out of search engines twice: robots.txt, and here. */
	json_object_set_new(layout, "noindex", json_boolean(!r->route || r->route->access != ACCESS_PUBLIC));
	if (canonical)
		json_object_set_new(layout, "canonical", json_string(canonical));
	json_object_set_new(layout, "assets",
	                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "style", web_asset_url(r, "style.css"), "exit",
	                              web_asset_url(r, "exit.js"), "favicon", web_asset_url(r, "favicon.svg"), "app",
	                              web_asset_url(r, "app.js"), "icon", web_asset_url(r, "icon-192.png")));
}

json_t *web_html_string(const char *html, size_t n)
{
	return utf8_valid(html, n) ? json_stringn_nocheck(html, n) : NULL;
}

void web_render(struct request *r, int status, const char *tpl, const char *title, json_t *ctx)
{
	assert(r && tpl && title && ctx);
	struct buf body, page;
	buf_init(&body, WEB_PAGE_MAX);
	buf_init(&page, WEB_PAGE_MAX);
	const char *csrf = web_csrf_token(r);
	json_object_set_new(ctx, "csrf", json_string(csrf));
	json_object_set_new(ctx, "signed_in", json_boolean(r->signed_in));
	if (r->signed_in) {
		json_object_set_new(ctx, "me",
		                    json_pack("{s:s, s:s, s:b}", "display_name", r->viewer.display_name, "id",
		                              r->viewer.user_id, "has_partner", r->viewer.partner_id[0] != 0));
		if (r->viewer.partner_id[0])
			json_object_set_new(ctx, "partner_name", json_string(r->viewer.partner_name));
	}
	bool signs_out = quick_exit_signs_out(r);
	json_object_set_new(ctx, "quick_exit_signs_out", json_boolean(signs_out));
	if (template_render(tpl, r->lang, ctx, &body) < 0) {
		fprintf(stderr, "{\"level\":\"error\",\"template\":\"%s\"}\n", tpl);
		reply_error(r, 500, "internal", "A page could not be drawn.", NULL);
		goto out;
	}
	json_t *layout = json_pack("{s:s, s:o, s:s, s:b, s:O?, s:O?, s:b}", "title", title, "body",
	                           web_html_string(body.data ? body.data : "", body.data ? body.len : 0),
	                           "quick_exit_url", r->app->config.quick_exit_url, "signed_in", r->signed_in, "csrf",
	                           json_object_get(ctx, "csrf"), "meta", json_object_get(ctx, "meta"), "therapist",
	                           r->signed_in && viewer_role(&r->viewer) == ROLE_THERAPIST);
	json_object_set_new(layout, "quick_exit_signs_out", json_boolean(signs_out));
	json_object_set_new(layout, "nav", web_nav_current(r));
	json_object_set_new(layout, "lang", json_string(lang_code(r->lang)));
	layout_hygiene(r, status, ctx, layout);
	int rc = template_render("layout", r->lang, layout, &page);
	json_decref(layout);
	if (rc < 0)
		reply_error(r, 500, "internal", "A page could not be drawn.", NULL);
	else
		reply_html(r, status, page.data, page.len);
out:
	json_decref(ctx);
	buf_cleanup(&body);
	buf_cleanup(&page);
}

void web_error_page(struct request *r, int status, const char *title, const char *message)
{
	web_render(r, status, "error", title, json_pack("{s:s, s:s}", "heading", title, "message", message));
}

void web_not_found(struct request *r)
{
	web_error_page(r, 404, tr(r->lang, "Not found"),
	               tr(r->lang, "There is nothing here. It may have been deleted, or it is not yours to see."));
}

int web_status(const struct request *r, enum outcome o)
{
	switch (o) {
	case OUTCOME_OK:
		return 200;
	case OUTCOME_INVALID:
		return 400;
	case OUTCOME_UNAUTHORIZED:
		return 401;
	case OUTCOME_FORBIDDEN:
		/* A page about someone else's item says no more than "not found" (see ACCESS_AUTHOR). */
		return r->route && r->route->access == ACCESS_AUTHOR ? 404 : 403;
	case OUTCOME_NOT_FOUND:
		return 404;
	case OUTCOME_CONFLICT:
		return 409;
	case OUTCOME_THROTTLED:
		return 429;
	case OUTCOME_BUSY:
		return 503;
	case OUTCOME_ERROR:
		break;
	}
	return 500;
}

void web_problem_page(struct request *r, const struct problem *p)
{
	if (p->retry_after > 0) { /* a busy or full store, or throttling: when to try again */
		char secs[24];
		snprintf(secs, sizeof secs, "%d", p->retry_after);
		reply_header(r, "Retry-After", secs);
	}
	int status = web_status(r, p->outcome);
	if (status == 404)
		web_not_found(r);
	else if (status >= 500)
		web_error_page(r, status, tr(r->lang, "Please try again"), tr(r->lang, p->message));
	else
		web_error_page(r, status, tr(r->lang, "That did not work"), tr(r->lang, p->message));
}
