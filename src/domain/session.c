/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * session.c - sessions as their owner sees them (see session.h): starting
 * one of a kind, the coarse client name, freshness and reauth, the list and
 * ending sessions.
 */
#include "session.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "page.h"
#include "password.h"
#include "../util/i18n.h"

/* A User-Agent token and the words it stands for; the first one found wins, so specific ones come first. */
struct ua_word {
	const char *token;
	const char *name;
};

static const struct ua_word browsers[] = {
    {"Edg/", "Edge"},
    {"EdgA/", "Edge"},
    {"EdgiOS/", "Edge"},
    {"OPR/", "Opera"},
    {"SamsungBrowser/", "Samsung Internet"}, /* not translated: a product name */
    {"Firefox/", "Firefox"},
    {"FxiOS/", "Firefox"},
    {"CriOS/", "Chrome"},
    {"Chromium/", "Chromium"},
    {"HeadlessChrome/", "Chromium"},
    {"Chrome/", "Chrome"},
    {"Version/", "Safari"}, /* Safari names its version so; other WebKit browsers were matched above */
};

/* The names of systems (not translated: names), by a token of the User-Agent. */
static const struct ua_word systems[] = {
    {"Android", "Android"}, {"iPhone", "iPhone"},   {"iPad", "iPad"},      {"CrOS", "ChromeOS"}, /* not translated */
    {"Windows", "Windows"}, {"Macintosh", "macOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
};

/* Programs rather than browsers, recognised by how their User-Agent starts. */
static const struct ua_word programs[] = {
    {"curl/", "curl"},
    {"Wget/", "Wget"},
    {"python-requests/", N_("A Python script")},
    {"Python-urllib/", N_("A Python script")},
    {"python-httpx/", N_("A Python script")},
    {"node", N_("A Node.js script")}, /* node's fetch sends "node"; node-fetch "node-fetch/..." */
    {"undici", N_("A Node.js script")},
    {"axios/", N_("A Node.js script")},
    {"okhttp/", N_("An Android app")},
};

static const char *ua_find(const char *ua, const struct ua_word *words, size_t n, bool prefix)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(words[i].token);
		if (prefix ? strncmp(ua, words[i].token, len) == 0 : strstr(ua, words[i].token) != NULL)
			return words[i].name;
	}
	return NULL;
}

void session_client_name(const char *user_agent, char *out, size_t n)
{
	assert(out && n > 0);
	const char *ua = user_agent ? user_agent : "";
	const char *program = ua_find(ua, programs, ARRAY_LEN(programs), true);
	const char *browser = program ? NULL : ua_find(ua, browsers, ARRAY_LEN(browsers), false);
	const char *system = program ? NULL : ua_find(ua, systems, ARRAY_LEN(systems), false);
	if (browser && strcmp(browser, "Safari") == 0 && !strstr(ua, "Safari/"))
		browser = NULL; /* "Version/" without Safari: an app's web view, not Safari */
	if (program)
		snprintf(out, n, "%s", program);
	else if (browser && system)
		snprintf(out, n, "%s on %s", browser, system); /* not translated here: web/session.c does */
	else if (browser)
		snprintf(out, n, "%s", browser);
	else if (system)
		snprintf(out, n, "A browser on %s", system); /* not translated here: web/session.c does */
	else
		snprintf(out, n, "%s", N_("An unknown device")); /* stored in English; web/session.c translates it */
}

bool session_start(struct store *s, const char *user_id, enum session_kind kind, const char *user_agent, char *token,
                   struct problem *p)
{
	struct store_session ss = {0};
	int64_t now = now_ms();
	id_new(ss.id);
	snprintf(ss.user_id, sizeof ss.user_id, "%s", user_id);
	session_client_name(user_agent, ss.client, sizeof ss.client);
	ss.created_at = ss.last_seen_at = ss.auth_at = now;
	switch (kind) {
	case SESSION_TOKEN:
		ss.idle_ms = SESSION_TOKEN_IDLE_MS;
		ss.expires_at = now + SESSION_TOKEN_MAX_MS;
		break;
	case SESSION_SHORT:
		ss.idle_ms = SESSION_SHORT_IDLE_MS;
		ss.expires_at = now + SESSION_REMEMBER_MS;
		break;
	case SESSION_REMEMBERED:
		ss.idle_ms = SESSION_REMEMBER_MS;
		ss.expires_at = now + SESSION_REMEMBER_MS;
		break;
	}
	auth_token_new(token);
	auth_token_hash(token, TOKEN_TEXT_LEN, ss.token_hash);
	enum store_status st = s->session_insert(s, &ss);
	if (st != STORE_OK) {
		sodium_memzero(token, TOKEN_TEXT_LEN + 1);
		return problem_from_store(p, st);
	}
	return true;
}

int64_t session_fresh_ms(void)
{
	/* Tests shorten the window to see a session go stale; nothing can make it longer. */
	const char *env = getenv("HEARTH_FRESH_MS");
	if (env && *env) {
		char *end = NULL;
		long long v = strtoll(env, &end, 10);
		if (end && !*end && v >= 0 && v < SESSION_FRESH_MS)
			return v;
	}
	return SESSION_FRESH_MS;
}

bool session_is_fresh(const struct viewer *v)
{
	assert(v);
	int64_t age = now_ms() - v->session_auth_at;
	return v->session_auth_at > 0 && age >= 0 && age < session_fresh_ms();
}

bool session_require_fresh(const struct viewer *v, struct problem *p)
{
	if (session_is_fresh(v))
		return true;
	return problem_set(p, OUTCOME_FORBIDDEN, "reauth_required", NULL,
	                   "For your safety, this needs your password typed in the last 10 minutes. Please type it "
	                   "again first.");
}

bool session_reauth(struct store *s, struct viewer *v, const char *password, struct problem *p)
{
	if (!account_password_check(s, v, password, "password", p))
		return false;
	int64_t now = now_ms();
	enum store_status st = s->session_reauth(s, v->session_hash, now);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	v->session_auth_at = now;
	return true;
}

bool session_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                  struct session_page *out, struct problem *p)
{
	assert(limit > 0);
	int64_t before_time;
	char before_id[ID_LEN + 1];
	if (!page_after(cursor, &before_time, before_id, p))
		return false;
	memset(out, 0, sizeof *out);
	/* One more than asked, to know whether a next page exists. */
	enum store_status st =
	    s->session_list(s, a, v->user_id, now_ms(), before_time, before_id, limit + 1, &out->items, &out->count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (out->count > limit) {
		out->count = limit;
		const struct store_session *last = &out->items[limit - 1];
		out->next_cursor = page_cursor(a, last->created_at, last->id);
	}
	return true;
}

bool session_end(struct store *s, const struct viewer *v, const char *id, bool *was_current, struct problem *p)
{
	*was_current = false;
	if (!id || !id_valid(id))
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "There is no such session.");
	enum store_status st = s->session_end(s, v->user_id, id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "There is no such session.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*was_current = strcmp(id, v->session_id) == 0;
	return true;
}

bool session_end_others(struct store *s, const struct viewer *v, struct problem *p)
{
	assert(v->session_hash[0]);
	enum store_status st = s->session_end_others(s, v->user_id, v->session_hash);
	return st == STORE_OK || problem_from_store(p, st);
}
