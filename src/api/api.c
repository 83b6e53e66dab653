/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * api.c - mapping untrusted JSON onto typed values, and the answers shared by
 * every endpoint (see api.h), and the API's own description (GET /openapi.json).
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../app.h"
#include "../util/embedded.h"

bool json_depth_ok(const char *s, size_t n, int max)
{
	int depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (c == '{' || c == '[') {
			if (++depth > max)
				return false;
		} else if (c == '}' || c == ']')
			depth--;
	}
	return true;
}

json_t *api_body(struct request *r)
{
	const char *ct = request_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		reply_error(r, 415, "unsupported_media_type", "Send the body as application/json.", NULL);
		return NULL;
	}
	const char *data = r->body.data ? r->body.data : "";
	if (!json_depth_ok(data, r->body.len, JSON_DEPTH_MAX)) {
		reply_error(r, 400, "invalid_json", "The JSON is nested too deeply (at most 64 levels).", NULL);
		return NULL;
	}
	json_error_t err;
	json_t *v = json_loadb(data, r->body.len, JSON_REJECT_DUPLICATES, &err);
	if (!v) {
		char *msg = arena_printf(r->arena, "The body is not valid JSON: %s.", err.text);
		reply_error(r, 400, "invalid_json", msg, NULL);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		reply_error(r, 400, "invalid_json", "The body must be a JSON object.", NULL);
		return NULL;
	}
	return v;
}

bool api_string(json_t *obj, const char *key, bool nullable, const char **out, bool *present, struct problem *p)
{
	json_t *v = json_object_get(obj, key);
	*present = v != NULL;
	*out = NULL;
	if (!v || (nullable && json_is_null(v)))
		return true;
	if (!json_is_string(v))
		return problem_add(p, key, "This field must be a string.");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return problem_add(p, key, "This text must not contain NUL characters.");
	*out = json_string_value(v);
	return true;
}

bool api_int(json_t *obj, const char *key, int *out, bool *present, struct problem *p)
{
	json_t *v = json_object_get(obj, key);
	*present = v != NULL;
	if (!v)
		return true;
	if (!json_is_integer(v))
		return problem_add(p, key, "This field must be a whole number.");
	json_int_t i = json_integer_value(v);
	if (i < -1000000 || i > 1000000)
		return problem_add(p, key, "This number is out of range.");
	*out = (int)i;
	return true;
}

bool api_string_list(json_t *obj, const char *key, const char *message, const char **out, int max, int *count,
                     struct problem *p)
{
	json_t *list = json_object_get(obj, key);
	*count = -1;
	if (!list)
		return true;
	if (!json_is_array(list) || json_array_size(list) > (size_t)max)
		return problem_add(p, key, message);
	size_t i;
	json_t *w;
	json_array_foreach(list, i, w)
	{
		if (!json_is_string(w))
			return problem_add(p, key, message);
		out[i] = json_string_value(w);
	}
	*count = (int)json_array_size(list);
	return true;
}

bool api_bool(json_t *obj, const char *key, bool *out, bool *present, struct problem *p)
{
	json_t *v = json_object_get(obj, key);
	*present = v != NULL;
	if (!v)
		return true;
	if (!json_is_boolean(v))
		return problem_add(p, key, "This field must be true or false.");
	*out = json_is_true(v);
	return true;
}

bool api_page_params(struct request *r, int *limit, const char **before, struct problem *p)
{
	*limit = 20;
	*before = request_query(r, "before");
	if (*before && !**before)
		*before = NULL;
	const char *l = request_query(r, "limit");
	if (l) {
		char *end = NULL;
		long v = strtol(l, &end, 10);
		if (!*l || *end || v < 1 || v > 100)
			return problem_invalid(p, "limit", "limit must be a whole number from 1 to 100.");
		*limit = (int)v;
	}
	return true;
}

int api_status(enum outcome o)
{
	switch (o) {
	case OUTCOME_OK:
		return 200;
	case OUTCOME_INVALID:
		return 400;
	case OUTCOME_UNAUTHORIZED:
		return 401;
	case OUTCOME_FORBIDDEN:
		return 403; /* only where the caller may see the thing (API.md) */
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

bool api_required_strings(struct request *r, json_t *body, const char **names, const char **values, int n)
{
	struct problem p = {0};
	problem_begin(&p); /* every missing or mistyped field at once */
	for (int i = 0; i < n; i++) {
		bool present;
		if (api_string(body, names[i], false, &values[i], &present, &p) && !present)
			problem_add(&p, names[i], "This field is required.");
	}
	if (problem_none(&p))
		return true;
	api_problem(r, &p);
	return false;
}

void api_problem(struct request *r, const struct problem *p)
{
	if (p->retry_after > 0) {
		char secs[24];
		snprintf(secs, sizeof secs, "%d", p->retry_after);
		reply_header(r, "Retry-After", secs);
	}
	if (p->outcome != OUTCOME_INVALID || p->count < 2) {
		reply_error(r, api_status(p->outcome), p->code, p->message, p->field);
		return;
	}
	/* Several invalid fields: the first in error, all of them in errors (API.md, Additions). */
	json_t *errors = json_array();
	for (int i = 0; i < p->count && i < PROBLEM_ITEMS_MAX; i++) {
		json_t *e = json_pack("{s:s, s:s}", "code", p->code, "message", p->items[i].message);
		if (p->items[i].field)
			json_object_set_new(e, "field", json_string(p->items[i].field));
		json_array_append_new(errors, e);
	}
	json_t *first = json_deep_copy(json_array_get(errors, 0));
	reply_json(r, api_status(p->outcome), json_pack("{s:o, s:o}", "error", first, "errors", errors));
}

json_t *api_time(int64_t ms)
{
	char s[32];
	time_rfc3339(ms, s);
	return json_string(s);
}

json_t *api_list(json_t *items, const char *next)
{
	return json_pack("{s:o, s:o}", "items", items, "next", next ? json_string(next) : json_null());
}

void api_health(struct request *r)
{
	enum store_status st = r->app->store->ping(r->app->store);
	if (st != STORE_OK) {
		reply_error(r, 503, "unavailable", "The store is unreachable.", NULL);
		return;
	}
	reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

void api_openapi(struct request *r)
{
	/* docs/openapi.yaml as JSON, converted when the binary is built (tools/openapi-json.py): the
	 * same for everyone and for the life of the binary, so any cache may keep it a day. */
	const struct embedded_file *f = embedded_find("openapi.json");
	if (!f) {
		reply_error(r, 404, "not_found", "This build has no API description.", NULL);
		return;
	}
	reply_text(r, 200, "application/json; charset=utf-8", (const char *)f->data, f->len);
	reply_header(r, "Cache-Control", "public, max-age=86400");
}
