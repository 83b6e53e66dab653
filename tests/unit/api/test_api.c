/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_api.c - unit tests for src/api/api.c, the JSON edge of the API: the
 * nesting-depth pre-check, typed field access with its invalid problems, the
 * request body checks, the paging parameters, and api_status, the one map
 * of a domain outcome to an HTTP status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/http.h"
#include "util/util.h"

/* count opening brackets of open, then count closing ones of close (caller frees). */
static char *nest(int count, char open, char close)
{
	char *s = malloc((size_t)count * 2 + 1);
	assert_non_null(s);
	memset(s, open, (size_t)count);
	memset(s + count, close, (size_t)count);
	s[count * 2] = '\0';
	return s;
}

static json_t *parse(const char *text, size_t flags)
{
	json_error_t err;
	json_t *v = json_loads(text, flags, &err);
	if (!v)
		fail_msg("bad test JSON: %s", err.text);
	return v;
}

static void assert_problem(const struct problem *p, const char *field)
{
	assert_int_equal(p->outcome, OUTCOME_INVALID);
	assert_string_equal(p->code, "invalid_input");
	assert_non_null(p->field);
	assert_string_equal(p->field, field);
	assert_non_null(p->message);
}

/* --- depth --- */

static void depth_limit(void **state)
{
	(void)state;
	char *s = nest(64, '[', ']');
	assert_true(json_depth_ok(s, strlen(s), JSON_DEPTH_MAX));
	free(s);
	s = nest(65, '[', ']');
	assert_false(json_depth_ok(s, strlen(s), JSON_DEPTH_MAX));
	free(s);
	s = nest(65, '{', '}');
	assert_false(json_depth_ok(s, strlen(s), 64));
	free(s);
	assert_true(json_depth_ok("", 0, 64));
	assert_true(json_depth_ok("{}", 2, 1));
	assert_false(json_depth_ok("{\"a\":[]}", 8, 1));
	assert_true(json_depth_ok("{\"a\":[]}", 8, 2));
	/* siblings do not add up: depth is nesting, not a count */
	assert_true(json_depth_ok("[[],[],[],[]]", 13, 2));
	/* only n bytes are looked at */
	assert_true(json_depth_ok("[[[", 1, 1));
}

static void depth_mixed_objects_and_arrays(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(buf_puts(&b, "{\"k\":["), 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(buf_puts(&b, "]}"), 0);
	assert_true(json_depth_ok(b.data, b.len, 64));
	assert_false(json_depth_ok(b.data, b.len, 63));
	buf_cleanup(&b);
}

static void depth_ignores_strings(void **state)
{
	(void)state;
	char *deep = nest(100, '[', '{');
	char *text = xasprintf("{\"s\": \"%s\"}", deep);
	assert_true(json_depth_ok(text, strlen(text), 2));
	free(text);
	/* an escaped quote does not end the string */
	text = xasprintf("{\"s\": \"\\\"%s\"}", deep);
	assert_true(json_depth_ok(text, strlen(text), 2));
	free(text);
	/* an escaped backslash does: what follows the string counts again */
	char *real = nest(65, '[', ']');
	text = xasprintf("[\"\\\\\", %s]", real);
	assert_false(json_depth_ok(text, strlen(text), 64));
	free(text);
	/* brackets in keys are skipped too */
	text = xasprintf("{\"%s\": 1}", deep);
	assert_true(json_depth_ok(text, strlen(text), 1));
	free(text);
	/* a string cut off by the length, ending on a backslash */
	assert_true(json_depth_ok("[\"\\", 3, 1));
	free(real);
	free(deep);
}

/* --- typed fields --- */

static void string_field(void **state)
{
	(void)state;
	json_t *o = parse("{\"s\": \"hello \\u00e9\", \"n\": 3, \"b\": true, \"z\": null, \"a\": [], \"o\": {}}", 0);
	const char *out = "sentinel";
	bool present = false;
	struct problem p = {0};
	assert_true(api_string(o, "s", false, &out, &present, &p));
	assert_true(present);
	assert_string_equal(out, "hello \xc3\xa9");

	assert_true(api_string(o, "missing", false, &out, &present, &p));
	assert_false(present);
	assert_null(out);

	/* null is "clear" only where the field allows it */
	out = "sentinel";
	assert_true(api_string(o, "z", true, &out, &present, &p));
	assert_true(present);
	assert_null(out);
	assert_false(api_string(o, "z", false, &out, &present, &p));
	assert_problem(&p, "z");

	const char *wrong[] = {"n", "b", "a", "o"};
	for (size_t i = 0; i < ARRAY_LEN(wrong); i++) {
		memset(&p, 0, sizeof p);
		assert_false(api_string(o, wrong[i], true, &out, &present, &p));
		assert_true(present);
		assert_problem(&p, wrong[i]);
	}
	json_decref(o);
}

static void string_field_rejects_nul(void **state)
{
	(void)state;
	json_t *o = parse("{\"s\": \"a\\u0000b\", \"t\": \"\\u0000\"}", JSON_ALLOW_NUL);
	assert_int_equal(json_string_length(json_object_get(o, "s")), 3);
	const char *out = NULL;
	bool present = false;
	struct problem p = {0};
	assert_false(api_string(o, "s", false, &out, &present, &p));
	assert_problem(&p, "s");
	assert_null(out);
	memset(&p, 0, sizeof p);
	assert_false(api_string(o, "t", true, &out, &present, &p));
	assert_problem(&p, "t");
	json_decref(o);
}

static void int_field(void **state)
{
	(void)state;
	json_t *o = parse("{\"i\": 7, \"zero\": 0, \"neg\": -3, \"max\": 1000000, \"min\": -1000000,"
	                  " \"over\": 1000001, \"under\": -1000001, \"huge\": 9223372036854775807,"
	                  " \"huge_neg\": -9223372036854775808, \"big\": 4294967303,"
	                  " \"real\": 3.5, \"whole_real\": 3.0, \"str\": \"3\", \"t\": true, \"f\": false,"
	                  " \"z\": null, \"a\": [3], \"o\": {}}",
	                  0);
	int out = -42;
	bool present = false;
	struct problem p = {0};
	struct {
		const char *key;
		int want;
	} good[] = {{"i", 7}, {"zero", 0}, {"neg", -3}, {"max", 1000000}, {"min", -1000000}};
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		assert_true(api_int(o, good[i].key, &out, &present, &p));
		assert_true(present);
		assert_int_equal(out, good[i].want);
	}
	out = -42;
	assert_true(api_int(o, "missing", &out, &present, &p));
	assert_false(present);
	assert_int_equal(out, -42);

	/* 4294967303 would wrap to 7 in a plain cast to int */
	const char *bad[] = {"over", "under", "huge", "huge_neg", "big", "real", "whole_real",
	                     "str",  "t",     "f",    "z",        "a",   "o"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		memset(&p, 0, sizeof p);
		out = -42;
		if (api_int(o, bad[i], &out, &present, &p))
			fail_msg("api_int accepted \"%s\" as %d", bad[i], out);
		assert_true(present);
		assert_problem(&p, bad[i]);
		assert_int_equal(out, -42);
	}
	json_decref(o);
}

static void bool_field(void **state)
{
	(void)state;
	json_t *o = parse("{\"t\": true, \"f\": false, \"one\": 1, \"zero\": 0, \"s\": \"true\", \"z\": null}", 0);
	bool out = false, present = false;
	struct problem p = {0};
	assert_true(api_bool(o, "t", &out, &present, &p));
	assert_true(present);
	assert_true(out);
	assert_true(api_bool(o, "f", &out, &present, &p));
	assert_false(out);
	out = true;
	assert_true(api_bool(o, "missing", &out, &present, &p));
	assert_false(present);
	assert_true(out);
	const char *bad[] = {"one", "zero", "s", "z"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		memset(&p, 0, sizeof p);
		assert_false(api_bool(o, bad[i], &out, &present, &p));
		assert_problem(&p, bad[i]);
	}
	json_decref(o);
}

/* --- request body and query --- */

static void request_init(struct request *r, const char *content_type, const char *body, size_t n)
{
	memset(r, 0, sizeof *r);
	r->arena = arena_new();
	r->path = "/api/v1/test";
	r->method = HTTP_POST;
	buf_init(&r->body, BODY_MAX);
	buf_init(&r->resp.body, 0);
	if (content_type)
		params_add(r->arena, &r->headers, "Content-Type", content_type, strlen(content_type));
	if (body)
		assert_int_equal(buf_append(&r->body, body, n), 0);
}

static void request_cleanup(struct request *r)
{
	buf_cleanup(&r->body);
	buf_cleanup(&r->resp.body);
	arena_free(r->arena);
}

/* Runs api_body; returns the status it replied with (0 when it returned an object). */
static int body_status(const char *content_type, const char *body, size_t n, char *code, size_t code_len)
{
	struct request r;
	request_init(&r, content_type, body, n);
	json_t *v = api_body(&r);
	int status = 0;
	if (v) {
		assert_true(json_is_object(v));
		assert_false(r.resp.set);
		json_decref(v);
	} else {
		assert_true(r.resp.set);
		status = r.resp.status;
		json_t *err = parse(r.resp.body.data, 0);
		const char *c = json_string_value(json_object_get(json_object_get(err, "error"), "code"));
		assert_non_null(c);
		snprintf(code, code_len, "%s", c);
		json_decref(err);
	}
	request_cleanup(&r);
	return status;
}

static void body_checks(void **state)
{
	(void)state;
	char code[64] = "";
	const char *ok = "{\"a\": 1}";
	assert_int_equal(body_status("application/json", ok, strlen(ok), code, sizeof code), 0);
	assert_int_equal(body_status("application/json; charset=utf-8", ok, strlen(ok), code, sizeof code), 0);
	assert_int_equal(body_status("Application/JSON", ok, strlen(ok), code, sizeof code), 0);

	assert_int_equal(body_status(NULL, ok, strlen(ok), code, sizeof code), 415);
	assert_string_equal(code, "unsupported_media_type");
	assert_int_equal(body_status("text/plain", ok, strlen(ok), code, sizeof code), 415);
	assert_int_equal(body_status("application/jsonp", ok, strlen(ok), code, sizeof code), 415);
	assert_int_equal(body_status("application/x-www-form-urlencoded", "a=1", 3, code, sizeof code), 415);

	const char *bad[] = {"",
	                     "{",
	                     "{\"a\": }",
	                     "[1, 2]",
	                     "\"text\"",
	                     "3",
	                     "null",
	                     "{\"a\": 1, \"a\": 2}",
	                     "{\"s\": \"a\\u0000b\"}",
	                     "{\"a\": 1} x"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		code[0] = '\0';
		if (body_status("application/json", bad[i], strlen(bad[i]), code, sizeof code) != 400)
			fail_msg("body accepted: %s", bad[i]);
		assert_string_equal(code, "invalid_json");
	}
	/* invalid UTF-8 in a string */
	assert_int_equal(body_status("application/json", "{\"s\": \"\xff\"}", 9, code, sizeof code), 400);

	/* nesting: 64 levels inside the body object parse, 65 are refused before parsing */
	for (int depth = 63; depth <= 64; depth++) {
		char *inner = nest(depth, '[', ']');
		char *text = xasprintf("{\"a\": %s}", inner);
		int want = depth == 63 ? 0 : 400;
		assert_int_equal(body_status("application/json", text, strlen(text), code, sizeof code), want);
		free(text);
		free(inner);
	}
}

static int page_params(const char *query, int *limit, const char **before, struct problem *p)
{
	struct request r;
	request_init(&r, NULL, NULL, 0);
	if (query)
		assert_int_equal(params_parse_urlencoded(r.arena, query, strlen(query), &r.query), 0);
	bool ok = api_page_params(&r, limit, before, p);
	static char saved[128];
	if (ok && *before) {
		snprintf(saved, sizeof saved, "%s", *before);
		*before = saved;
	}
	request_cleanup(&r);
	return ok;
}

static void paging_parameters(void **state)
{
	(void)state;
	int limit = 0;
	const char *before = "x";
	struct problem p = {0};
	assert_true(page_params(NULL, &limit, &before, &p));
	assert_int_equal(limit, 20);
	assert_null(before);
	assert_true(page_params("limit=1&before=abc", &limit, &before, &p));
	assert_int_equal(limit, 1);
	assert_string_equal(before, "abc");
	assert_true(page_params("limit=100&before=", &limit, &before, &p));
	assert_int_equal(limit, 100);
	assert_null(before);
	const char *bad[] = {
	    "limit=0",  "limit=101", "limit=-1", "limit=", "limit=5x", "limit=abc", "limit=99999999999999999999",
	    "limit=1.5"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		memset(&p, 0, sizeof p);
		if (page_params(bad[i], &limit, &before, &p))
			fail_msg("accepted %s", bad[i]);
		assert_problem(&p, "limit");
	}
}

static void list_shape(void **state)
{
	(void)state;
	json_t *l = api_list(json_array(), "123.abc");
	assert_true(json_is_array(json_object_get(l, "items")));
	assert_string_equal(json_string_value(json_object_get(l, "next")), "123.abc");
	json_decref(l);
	l = api_list(json_pack("[i]", 1), NULL);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 1);
	assert_true(json_is_null(json_object_get(l, "next")));
	json_decref(l);
}

/* --- api_status: the one map of an outcome to the API's status (API.md) --- */

static void outcome_statuses(void **state)
{
	(void)state;
	static const struct {
		enum outcome o;
		int status;
	} want[] = {
	    {OUTCOME_OK, 200},        {OUTCOME_INVALID, 400},   {OUTCOME_UNAUTHORIZED, 401},
	    {OUTCOME_FORBIDDEN, 403}, {OUTCOME_NOT_FOUND, 404}, {OUTCOME_CONFLICT, 409},
	    {OUTCOME_THROTTLED, 429}, {OUTCOME_BUSY, 503},      {OUTCOME_ERROR, 500},
	};
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		assert_int_equal(api_status(want[i].o), want[i].status);
	/* an outcome beyond the enum (a broken value) is our fault, never a success */
	assert_int_equal(api_status((enum outcome)99), 500);
}

/* api_problem answers the error shape with the mapped status, and Retry-After when the problem has one. */
static void problem_reply(void **state)
{
	(void)state;
	struct request r;
	request_init(&r, NULL, NULL, 0);
	struct problem p;
	problem_set(&p, OUTCOME_THROTTLED, "rate_limited", NULL, "Too many attempts.");
	p.retry_after = 42;
	api_problem(&r, &p);
	assert_int_equal(r.resp.status, 429);
	assert_int_equal(r.resp.header_count, 1);
	assert_string_equal(r.resp.header_names[0], "Retry-After");
	assert_string_equal(r.resp.header_values[0], "42");
	json_t *doc = parse(r.resp.body.data, 0);
	json_t *err = json_object_get(doc, "error");
	assert_string_equal(json_string_value(json_object_get(err, "code")), "rate_limited");
	assert_string_equal(json_string_value(json_object_get(err, "message")), "Too many attempts.");
	assert_null(json_object_get(err, "field"));
	json_decref(doc);
	request_cleanup(&r);

	request_init(&r, NULL, NULL, 0);
	problem_invalid(&p, "mood", "Mood is a whole number from 1 to 5.");
	api_problem(&r, &p);
	assert_int_equal(r.resp.status, 400);
	assert_int_equal(r.resp.header_count, 0);
	doc = parse(r.resp.body.data, 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "error"), "field")), "mood");
	json_decref(doc);
	request_cleanup(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(depth_limit),
	    cmocka_unit_test(depth_mixed_objects_and_arrays),
	    cmocka_unit_test(depth_ignores_strings),
	    cmocka_unit_test(string_field),
	    cmocka_unit_test(string_field_rejects_nul),
	    cmocka_unit_test(int_field),
	    cmocka_unit_test(bool_field),
	    cmocka_unit_test(body_checks),
	    cmocka_unit_test(paging_parameters),
	    cmocka_unit_test(list_shape),
	    cmocka_unit_test(outcome_statuses),
	    cmocka_unit_test(problem_reply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
