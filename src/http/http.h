/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * http.h - the request and response as the handlers see them, independent of
 * libmicrohttpd: parsed parameters, headers, body, the signed-in viewer, and
 * the response being built. Parsers of untrusted input (query strings, form
 * bodies, cookies) live here too, so they can be unit-tested and fuzzed.
 *
 * Everything a request points to is allocated in its arena and freed when the
 * request completes.
 */
#ifndef HEARTH_HTTP_H
#define HEARTH_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../store/store.h"
#include "../util/i18n.h"
#include "../util/util.h"

#define BODY_MAX (64 * 1024)
#define HEADERS_MAX (16 * 1024)
#define PARAMS_MAX 256
#define RESPONSE_HEADERS_MAX 12

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OTHER };

struct param {
	const char *name;
	const char *value; /* NUL-terminated; may contain no NUL (rejected at parse) */
	size_t value_len;
};

struct params {
	struct param *items;
	size_t count;
	size_t alloc;
};

struct response {
	int status;
	const char *content_type;
	struct buf body;
	const char *header_names[RESPONSE_HEADERS_MAX];
	const char *header_values[RESPONSE_HEADERS_MAX];
	int header_count;
	bool set;
};

struct app;
struct route;

struct request {
	struct arena *arena;
	struct app *app;
	enum http_method method;
	const char *method_name;
	const char *path;
	struct params query;
	struct params headers;
	struct params form; /* a parsed application/x-www-form-urlencoded body */
	struct buf body;
	bool body_too_large;
	char client_addr[64]; /* the client's, after trusted proxies (http/proxy.h) */
	bool tls;             /* this connection is TLS */
	bool https;           /* the client reaches us over https (TLS here or HEARTH_PUBLIC_URL https:) */

	const struct route *route;
	const char *path_args[4];
	int path_arg_count;

	bool signed_in;
	bool via_cookie;        /* authenticated by cookie rather than bearer token */
	char session_token[64]; /* the raw token, for deriving the CSRF token */
	struct viewer viewer;
	/* The language of pages and content (util/i18n.h): the viewer's setting, else Accept-Language, else the
	 * server's. */
	enum lang lang;

	struct response resp;
};

/* Parameters */
/*
 * Parses "a=1&b=x+y%21" into params (appending). Returns 0, or -1 when the
 * input is malformed (bad percent escape, NUL byte, invalid UTF-8, too many
 * parameters). Names and values are decoded and NUL-terminated in the arena.
 */
int params_parse_urlencoded(struct arena *a, const char *s, size_t n, struct params *out) WARN_UNUSED;
/* Parses a Cookie header ("a=1; b=2") into params; -1 when malformed. */
int params_parse_cookies(struct arena *a, const char *s, size_t n, struct params *out) WARN_UNUSED;
/* The value of a hexadecimal digit (either case), or -1: for percent escapes. */
int http_hex_digit(char c);
void params_add(struct arena *a, struct params *p, const char *name, const char *value, size_t value_len);
/* The first value with this name (exact match), or NULL. */
const char *params_get(const struct params *p, const char *name);
/* Same, case-insensitive on the name (for headers). */
const char *params_get_nocase(const struct params *p, const char *name);

const char *request_header(const struct request *r, const char *name);
const char *request_query(const struct request *r, const char *name);
const char *request_form(const struct request *r, const char *name);
/*
 * Cookies by their plain name ("hearth_session"). Over https they go by
 * "__Host-" NAME, which a browser accepts only with Secure, Path=/ and no
 * Domain, so no other site or subdomain and no plain-http page can set one:
 * http_cookie_name gives the name for this request, request_cookie reads it,
 * reply_cookie sets it (Path=/, HttpOnly, SameSite=Lax, Secure over https;
 * max_age < 0: until the browser closes, 0: deleted).
 */
const char *http_cookie_name(struct request *r, const char *name);
const char *request_cookie(struct request *r, const char *name);
void reply_cookie(struct request *r, const char *name, const char *value, long max_age);
/* The signed-in viewer, or NULL for an anonymous request (public routes). */
const struct viewer *request_viewer(const struct request *r);

/* Responses: each sets r->resp; JSON and HTML bodies are copied. */
void reply_json(struct request *r, int status, json_t *body_stolen);
/*
 * A JSON answer the handler writes itself (util/jsonw.h) into the returned
 * buffer, capped at REPLY_JSON_CAP; when writing fails, the handler answers
 * again (reply_error), which starts a fresh body.
 */
#define REPLY_JSON_CAP (8u << 20)
struct buf *reply_json_begin(struct request *r, int status);
/*
 * A 200 answer already set becomes revalidatable: its ETag is a keyed hash
 * of its bytes (key: who reads it, so two readers never share one), sent
 * with "Cache-Control: private, no-cache"; when the request's If-None-Match
 * names it, the answer becomes a 304 without a body. Computed from the
 * answer itself, it changes with every change of what this reader reads.
 */
void reply_etag(struct request *r, const char *reader);
/*
 * The second half of reply_etag, for an answer whose ETag is known already
 * (a kept answer, http/cache.h): a 304 without a body when If-None-Match
 * names etag; ETag and Cache-Control set either way.
 */
void reply_revalidate(struct request *r, const char *etag, const char *cache_control);
/* The error shape of API.md; field may be NULL. */
void reply_error(struct request *r, int status, const char *code, const char *message, const char *field);
void reply_html(struct request *r, int status, const char *html, size_t len);
void reply_text(struct request *r, int status, const char *content_type, const char *data, size_t len);
void reply_redirect(struct request *r, const char *location);
void reply_empty(struct request *r, int status);
void reply_header(struct request *r, const char *name, const char *value);
/* A 503 or 500 in the error shape (API) or as a page, for a failed store call. */
void reply_store_failure(struct request *r, enum store_status st);

enum http_method http_method_parse(const char *s);
bool request_is_api(const struct request *r);
bool request_is_unsafe(const struct request *r);

#endif
