/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * router.c - the one place where a request meets its route: path matching,
 * method check (405), authentication from bearer token or session cookie,
 * the route's access rule (401 or a redirect to log in), the CSRF check for
 * cookie-authenticated changes, form body parsing for pages, and then the
 * handler. Handlers can therefore rely on r->viewer being set for every
 * route but ACCESS_PUBLIC ones, and on CSRF having been checked. A member's
 * GET of a route in cached_handlers may be answered from the cache of
 * rendered answers instead (http/cache.h), after all of the above: the
 * session is still read on every request, so a logout or an ended session
 * ends the very next one, cached or not.
 */
#include "router.h"

#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "../http/cache.h"
#include "../domain/auth.h"
#include "../domain/keyring.h"
#include "../domain/session.h"
#include "../util/memo.h"
#include "../web/web.h"

/* Last use is written at most this often; each session's own idle limit is hours or days (domain/session.h). */
#define SESSION_TOUCH_MS (10LL * 60 * 1000)

/* Matches path against pattern, capturing {} segments; true on a match. */
static bool match(struct request *r, const char *pattern, const char *path)
{
	int args = 0;
	const char *captured[4];
	while (*pattern && *path) {
		if (pattern[0] == '{' && pattern[1] == '}') {
			const char *end = strchr(path, '/');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			if (n == 0 || args == 4)
				return false;
			captured[args++] = arena_strndup(r->arena, path, n);
			path += n;
			pattern += 2;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++, path++;
	}
	if (*pattern || *path)
		return false;
	for (int i = 0; i < args; i++)
		r->path_args[i] = captured[i];
	r->path_arg_count = args;
	return true;
}

/*
 * A refusal before any handler runs, in the shape of the route's kind: the
 * error JSON of API.md under /api/, else a page (the not-found page for 404).
 * The one place that decides what a refusal looks like.
 */
static void refuse(struct request *r, int status, const char *code, const char *api_message, const char *page_title,
                   const char *page_message)
{
	if (request_is_api(r))
		reply_error(r, status, code, api_message, NULL);
	else if (status == 404)
		web_not_found(r);
	else /* the page's words are marked N_() where refuse is called */
		web_error_page(r, status, tr(r->lang, page_title), tr(r->lang, page_message));
}

/* Looks up the session named by the bearer token or the cookie. */
static void authenticate(struct request *r)
{
	const char *token = NULL;
	const char *authz = request_header(r, "Authorization");
	if (authz && request_is_api(r)) {
		if (strncasecmp(authz, "Bearer ", 7) == 0)
			token = authz + 7;
		else
			return;
	} else {
		token = request_cookie(r, "hearth_session");
		r->via_cookie = token != NULL;
	}
	if (!token || strlen(token) != TOKEN_TEXT_LEN) {
		r->via_cookie = false;
		return;
	}
	char hash[TOKEN_HASH_LEN + 1];
	auth_token_hash(token, TOKEN_TEXT_LEN, hash);
	int64_t now = now_ms();
	enum store_status st = account_viewer(r->app->store, hash, now, SESSION_IDLE_MAX_MS, &r->viewer);
	if (st != STORE_OK) {
		r->via_cookie = false;
		return;
	}
	r->signed_in = true;
	snprintf(r->session_token, sizeof r->session_token, "%s", token);
	if (now - r->viewer.session_last_seen > SESSION_TOUCH_MS) {
		/* Sliding idle expiry; a failed touch only shortens the session. */
		enum store_status touched = r->app->store->session_touch(r->app->store, hash, now);
		(void)touched;
	}
}

void router_choose_language(struct request *r)
{
	if (r->signed_in && lang_parse(r->viewer.language, &r->lang))
		return;
	r->lang = lang_from_accept(request_header(r, "Accept-Language"), r->app->config.default_lang);
}

/* True when the request proves it came from our own page or client. */
static bool csrf_ok(struct request *r)
{
	if (!request_is_unsafe(r))
		return true;
	if (request_is_api(r)) {
		if (!r->via_cookie)
			return true; /* bearer tokens are not sent by browsers on their own */
		const char *given = request_header(r, "X-CSRF-Token");
		char want[TOKEN_HASH_LEN + 1];
		auth_csrf_for(r->session_token, want);
		return given && auth_equal(given, want);
	}
	const char *given = request_form(r, "csrf");
	const char *want = web_csrf_expected(r);
	return given && want && *want && auth_equal(given, want);
}

/*
 * Whether this request's answer may come from, and go to, the cache. Only a
 * GET (a HEAD is answered by the handler), only a route that opted in, and
 * only for a member:
 *  - not anonymous: the opted-in routes are a person's own, and nothing of a
 *    public page is costly enough to be worth a key;
 *  - not a therapist: what they read depends on each partner's consent and
 *    on the spaces they are linked to, not on one space's counter, and each
 *    of their reads must write the access log the partners read; serving it
 *    from memory would skip that.
 */
static bool cache_applies(const struct request *r, const struct route *rt)
{
	if (!r->app->cache || r->method != HTTP_GET || !r->signed_in || viewer_role(&r->viewer) != ROLE_MEMBER)
		return false;
	for (const route_handler *h = cached_handlers; *h; h++)
		if (*h == rt->handler)
			return true;
	return false;
}

/* A kept answer under key into r (with a 304 when If-None-Match names its ETag); false on a miss. */
static bool cache_serve(struct request *r, const char *key, size_t key_len)
{
	struct cache_answer got;
	buf_cleanup(&r->resp.body);
	buf_init(&r->resp.body, REPLY_JSON_CAP);
	if (!cache_get(r->app->cache, key, key_len, r->arena, &r->resp.body, &got))
		return false;
	r->resp.status = got.status;
	r->resp.content_type = got.content_type[0] ? got.content_type : NULL;
	r->resp.set = true;
	if (got.etag[0])
		reply_revalidate(r, got.etag, got.cache_control[0] ? got.cache_control : "private, no-cache");
	else if (got.cache_control[0])
		reply_header(r, "Cache-Control", got.cache_control);
	return true;
}

/*
 * Keeps r's answer under key when it is a 200 whose only headers are the
 * ones a kept answer carries (ETag, Cache-Control): one that sets a cookie,
 * redirects or says anything else is particular to this request.
 */
static void cache_keep(struct request *r, const char *key, size_t key_len)
{
	if (r->resp.status != 200)
		return;
	const char *etag = NULL, *control = NULL;
	for (int i = 0; i < r->resp.header_count; i++) {
		if (strcasecmp(r->resp.header_names[i], "ETag") == 0)
			etag = r->resp.header_values[i];
		else if (strcasecmp(r->resp.header_names[i], "Cache-Control") == 0)
			control = r->resp.header_values[i];
		else
			return;
	}
	struct cache_answer keep = {
	    .status = 200,
	    .content_type = r->resp.content_type,
	    .etag = etag,
	    .cache_control = control,
	    .body = r->resp.body.data ? r->resp.body.data : "",
	    .body_len = r->resp.body.len,
	};
	cache_put(r->app->cache, key, key_len, &keep);
}

void app_forget_plaintext(struct app *app)
{
	keyring_forget(app->keys);
	memo_clear(app->cache);
}

bool router_hashes(struct request *r)
{
	enum http_method method = r->method == HTTP_HEAD ? HTTP_GET : r->method;
	const struct route *rt = routes;
	while (rt->pattern && !(rt->method == method && match(r, rt->pattern, r->path)))
		rt++;
	for (const route_handler *h = hashing_handlers; rt->pattern && *h; h++)
		if (*h == rt->handler)
			return true;
	return false;
}

void router_dispatch(struct request *r)
{
	bool path_known = false;
	const struct route *found = NULL;
	enum http_method method = r->method == HTTP_HEAD ? HTTP_GET : r->method;
	for (const struct route *rt = routes; rt->pattern; rt++) {
		if (!match(r, rt->pattern, r->path))
			continue;
		path_known = true;
		if (rt->method == method) {
			found = rt;
			break;
		}
	}
	if (!found) {
		router_choose_language(r); /* the browser's: nobody is known yet */
		/* not translated: the API's messages (the page's are N_) */
		if (!path_known)
			refuse(r, 404, "not_found", "There is nothing here.", NULL, NULL);
		else /* not translated: the API's message */
			refuse(r, 405, "method_not_allowed", "This method is not allowed here.", N_("Not allowed"),
			       N_("This page cannot be used that way."));
		return;
	}
	r->route = found;
	authenticate(r);
	router_choose_language(r);
	if (found->access != ACCESS_PUBLIC && found->access != ACCESS_TOKEN && !r->signed_in) {
		if (request_is_api(r)) /* not translated: the API's message */
			refuse(r, 401, "unauthenticated", "Please sign in first.", NULL, NULL);
		else
			reply_redirect(r, "/login"); /* a page sends the person to log in instead */
		return;
	}
	if (!request_is_api(r) && request_is_unsafe(r)) {
		const char *ct = request_header(r, "Content-Type");
		if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0 ||
		    params_parse_urlencoded(r->arena, r->body.data ? r->body.data : "", r->body.len, &r->form) < 0) {
			/* not translated: the API's message (the page's are N_) */
			refuse(r, 400, "invalid_input", "The form could not be read.", N_("That did not work"),
			       N_("The form could not be read. Please go back and try again."));
			return;
		}
	}
	if (found->access != ACCESS_TOKEN && !csrf_ok(r)) {
		/* not translated: the API's message (the page's are N_) */
		refuse(r, 403, "forbidden", "This change needs the X-CSRF-Token header when signed in with a cookie.",
		       N_("Please try again"),
		       N_("This form had expired. Please go back, reload the page and send it again."));
		return;
	}
	char key[CACHE_KEY_MAX];
	size_t key_len = cache_applies(r, found) ? cache_key(r, !request_is_api(r), now_ms(), key, sizeof key) : 0;
	if (key_len && cache_serve(r, key, key_len))
		return;
	found->handler(r);
	if (!r->resp.set) /* a handler that forgot to answer: the same JSON either way, as before */
		reply_error(r, 500, "internal", "Something went wrong on our side.", NULL); /* not translated: JSON */
	else if (method == HTTP_GET)
		web_compress_public(r);
	if (key_len && r->resp.set)
		cache_keep(r, key, key_len);
}
