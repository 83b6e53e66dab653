/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * response.c - building the response of a request (see http.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "http.h"

static void reset(struct request *r, int status, const char *content_type)
{
	buf_cleanup(&r->resp.body);
	buf_init(&r->resp.body, 0);
	r->resp.status = status;
	r->resp.content_type = content_type;
	r->resp.set = true;
}

static void set_body(struct request *r, const char *data, size_t len)
{
	if (buf_append(&r->resp.body, data, len) < 0)
		r->resp.status = 500;
}

void reply_json(struct request *r, int status, json_t *body)
{
	reset(r, status, "application/json; charset=utf-8");
	char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(body);
	if (!text) {
		r->resp.status = 500;
		set_body(r, "{\"error\":{\"code\":\"internal\",\"message\":\"Something went wrong.\"}}", 62);
		return;
	}
	set_body(r, text, strlen(text));
	free(text);
}

struct buf *reply_json_begin(struct request *r, int status)
{
	reset(r, status, "application/json; charset=utf-8");
	buf_init(&r->resp.body, REPLY_JSON_CAP);
	/* A page of check-ins is 5-20 KB: start there instead of doubling up from 256 bytes. */
	r->resp.body.alloc = 16384;
	r->resp.body.data = xmalloc(r->resp.body.alloc);
	r->resp.body.data[0] = '\0';
	return &r->resp.body;
}

/* Whether an If-None-Match value names etag (any of its list, weak or not), or is "*". */
static bool etag_listed(const char *inm, const char *etag)
{
	while (*inm == ' ' || *inm == '\t')
		inm++;
	return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
}

void reply_etag(struct request *r, const char *reader)
{
	if (r->resp.status != 200 || !reader || !*reader)
		return;
	unsigned char key[crypto_generichash_KEYBYTES], h[16];
	crypto_generichash(key, sizeof key, (const unsigned char *)reader, strlen(reader), NULL, 0);
	crypto_generichash(h, sizeof h, (const unsigned char *)(r->resp.body.data ? r->resp.body.data : ""),
	                   r->resp.body.len, key, sizeof key);
	char etag[2 + 2 * sizeof h + 1];
	etag[0] = '"';
	sodium_bin2hex(etag + 1, 2 * sizeof h + 1, h, sizeof h);
	etag[1 + 2 * sizeof h] = '"';
	etag[2 + 2 * sizeof h] = '\0';
	reply_revalidate(r, etag, "private, no-cache");
}

void reply_revalidate(struct request *r, const char *etag, const char *cache_control)
{
	const char *inm = request_header(r, "If-None-Match");
	if (inm && etag_listed(inm, etag))
		reply_empty(r, 304);
	reply_header(r, "ETag", etag);
	reply_header(r, "Cache-Control", cache_control);
}

void reply_error(struct request *r, int status, const char *code, const char *message, const char *field)
{
	json_t *err = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (field)
		json_object_set_new(err, "field", json_string(field));
	json_t *body = json_pack("{s:o}", "error", err);
	/* API.md, Additions: every invalid_input also lists its faults, here the one. */
	if (strcmp(code, "invalid_input") == 0)
		json_object_set_new(body, "errors", json_pack("[O]", err));
	reply_json(r, status, body);
}

void reply_html(struct request *r, int status, const char *html, size_t len)
{
	reset(r, status, "text/html; charset=utf-8");
	set_body(r, html, len);
}

void reply_text(struct request *r, int status, const char *content_type, const char *data, size_t len)
{
	reset(r, status, content_type);
	set_body(r, data, len);
}

void reply_redirect(struct request *r, const char *location)
{
	reset(r, 303, "text/plain; charset=utf-8");
	reply_header(r, "Location", location);
	set_body(r, "See other\n", 10);
}

void reply_empty(struct request *r, int status)
{
	reset(r, status, NULL);
}

void reply_header(struct request *r, const char *name, const char *value)
{
	if (r->resp.header_count >= RESPONSE_HEADERS_MAX)
		return;
	r->resp.header_names[r->resp.header_count] = arena_strdup(r->arena, name);
	r->resp.header_values[r->resp.header_count] = arena_strdup(r->arena, value);
	r->resp.header_count++;
}

const char *http_cookie_name(struct request *r, const char *name)
{
	return r->https ? arena_printf(r->arena, "__Host-%s", name) : name;
}

void reply_cookie(struct request *r, const char *name, const char *value, long max_age)
{
	char age[40] = "";
	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	reply_header(r, "Set-Cookie",
	             arena_printf(r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", http_cookie_name(r, name),
	                          value, age, r->https ? "; Secure" : ""));
}

void reply_store_failure(struct request *r, enum store_status st)
{
	if (st == STORE_BUSY) {
		reply_header(r, "Retry-After", "2");
		reply_error(
		    r, 503, "unavailable",
		    "hearth cannot reach its storage right now. Nothing was saved; please try again in a moment.",
		    NULL);
	} else {
		reply_error(r, 500, "internal", "Something went wrong on our side. Nothing was changed.", NULL);
	}
	if (!request_is_api(r)) {
		const char *msg = st == STORE_BUSY
		                      ? "<!doctype html><html lang=\"en\"><title>Busy - hearth</title>"
		                        "<p>hearth is busy right now. Please go back and try again in a moment; "
		                        "nothing was lost.</p></html>"
		                      : "<!doctype html><html lang=\"en\"><title>Error - hearth</title>"
		                        "<p>Something went wrong on our side. Please go back and try again.</p></html>";
		int status = r->resp.status;
		reply_html(r, status, msg, strlen(msg));
	}
}
