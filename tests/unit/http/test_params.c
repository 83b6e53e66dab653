/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_params.c - unit tests for the parsers of untrusted request text in
 * src/http/http.h: query strings and form bodies, Cookie headers, parameter
 * lookup and HTTP method names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "util/util.h"

static int setup_arena(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown_arena(void **state)
{
	arena_free(*state);
	return 0;
}

static int parse_form(void **state, const char *s, struct params *p)
{
	memset(p, 0, sizeof *p);
	return params_parse_urlencoded(*state, s, strlen(s), p);
}

static int parse_cookies(void **state, const char *s, struct params *p)
{
	memset(p, 0, sizeof *p);
	return params_parse_cookies(*state, s, strlen(s), p);
}

/* --- application/x-www-form-urlencoded --- */

static void urlencoded_basic(void **state)
{
	struct params p;
	assert_int_equal(parse_form(state, "a=1&b=x+y%21", &p), 0);
	assert_int_equal(p.count, 2);
	assert_string_equal(p.items[0].name, "a");
	assert_string_equal(p.items[0].value, "1");
	assert_int_equal(p.items[0].value_len, 1);
	assert_string_equal(p.items[1].name, "b");
	assert_string_equal(p.items[1].value, "x y!");
	assert_int_equal(p.items[1].value_len, 4);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_string_equal(params_get(&p, "b"), "x y!");
	assert_null(params_get(&p, "c"));
	assert_null(params_get(&p, "A")); /* exact match only */
}

static void urlencoded_decodes_names_and_utf8(void **state)
{
	struct params p;
	assert_int_equal(parse_form(state, "na%6De=%C3%A9t%C3%A9&x%2By=%2B%26%3D&lower=%3c%3E", &p), 0);
	assert_int_equal(p.count, 3);
	assert_string_equal(params_get(&p, "name"), "\xc3\xa9t\xc3\xa9");
	assert_int_equal(p.items[0].value_len, 5);
	assert_string_equal(params_get(&p, "x+y"), "+&=");
	assert_string_equal(params_get(&p, "lower"), "<>");
	/* only the first '=' splits name from value */
	assert_int_equal(parse_form(state, "eq=a=b", &p), 0);
	assert_string_equal(params_get(&p, "eq"), "a=b");
}

static void urlencoded_empty_and_missing_values(void **state)
{
	struct params p;
	assert_int_equal(parse_form(state, "", &p), 0);
	assert_int_equal(p.count, 0);
	assert_int_equal(parse_form(state, "a=&b&&c=3&", &p), 0);
	assert_int_equal(p.count, 3);
	assert_string_equal(params_get(&p, "a"), "");
	assert_int_equal(p.items[0].value_len, 0);
	assert_non_null(params_get(&p, "b"));
	assert_string_equal(params_get(&p, "b"), "");
	assert_string_equal(params_get(&p, "c"), "3");
	assert_int_equal(parse_form(state, "&&&", &p), 0);
	assert_int_equal(p.count, 0);
}

static void urlencoded_repeated_names_first_wins(void **state)
{
	struct params p;
	assert_int_equal(parse_form(state, "v=first&v=second&v=third", &p), 0);
	assert_int_equal(p.count, 3);
	assert_string_equal(params_get(&p, "v"), "first");
	assert_string_equal(p.items[2].value, "third");
}

static void urlencoded_appends(void **state)
{
	struct params p;
	assert_int_equal(parse_form(state, "a=1", &p), 0);
	assert_int_equal(params_parse_urlencoded(*state, "b=2", 3, &p), 0);
	assert_int_equal(p.count, 2);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_string_equal(params_get(&p, "b"), "2");
}

static void urlencoded_respects_length(void **state)
{
	struct params p;
	memset(&p, 0, sizeof p);
	const char *s = "a=12345&b=2";
	assert_int_equal(params_parse_urlencoded(*state, s, 4, &p), 0);
	assert_int_equal(p.count, 1);
	assert_string_equal(params_get(&p, "a"), "12");
	/* an escape cut off by the length is a bad escape */
	memset(&p, 0, sizeof p);
	assert_int_equal(params_parse_urlencoded(*state, "a=%41", 4, &p), -1);
}

static void urlencoded_bad_escapes(void **state)
{
	struct params p;
	assert_int_equal(parse_form(state, "a=%G1", &p), -1);
	assert_int_equal(parse_form(state, "a=%1G", &p), -1);
	assert_int_equal(parse_form(state, "a=%4", &p), -1);
	assert_int_equal(parse_form(state, "a=%", &p), -1);
	assert_int_equal(parse_form(state, "a=x%", &p), -1);
	assert_int_equal(parse_form(state, "a=%4&b=1", &p), -1);
	assert_int_equal(parse_form(state, "a=%%41", &p), -1);
	assert_int_equal(parse_form(state, "%zz=1", &p), -1);
	assert_int_equal(parse_form(state, "a%=1", &p), -1);
}

static void urlencoded_rejects_nul(void **state)
{
	struct params p;
	assert_int_equal(parse_form(state, "a=x%00y", &p), -1);
	assert_int_equal(parse_form(state, "a=%00", &p), -1);
	assert_int_equal(parse_form(state, "a%00b=1", &p), -1);
	/* a raw NUL byte inside the length as well */
	memset(&p, 0, sizeof p);
	assert_int_equal(params_parse_urlencoded(*state, "a=x\0y", 5, &p), -1);
}

static void urlencoded_rejects_invalid_utf8(void **state)
{
	struct params p;
	assert_int_equal(parse_form(state, "a=%FF", &p), -1);
	assert_int_equal(parse_form(state, "a=%C3", &p), -1);       /* truncated */
	assert_int_equal(parse_form(state, "a=%C0%AF", &p), -1);    /* overlong '/' */
	assert_int_equal(parse_form(state, "a=%ED%A0%80", &p), -1); /* surrogate */
	assert_int_equal(parse_form(state, "%FF=1", &p), -1);
	assert_int_equal(parse_form(state, "a=\xff", &p), -1);     /* raw, not escaped */
	assert_int_equal(parse_form(state, "a=%E2%82%AC", &p), 0); /* but € is fine */
	assert_string_equal(params_get(&p, "a"), "\xe2\x82\xac");
}

static void urlencoded_params_max(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < PARAMS_MAX; i++)
		assert_int_equal(buf_printf(&b, "%sp%d=%d", i ? "&" : "", i, i), 0);
	struct params p;
	assert_int_equal(parse_form(state, b.data, &p), 0);
	assert_int_equal(p.count, PARAMS_MAX);
	assert_string_equal(params_get(&p, "p0"), "0");
	assert_string_equal(params_get(&p, "p255"), "255");
	assert_int_equal(buf_puts(&b, "&one=more"), 0);
	assert_int_equal(parse_form(state, b.data, &p), -1);
	/* the cap counts what is already in the list */
	assert_int_equal(parse_form(state, "x=1", &p), 0);
	buf_cleanup(&b);
	buf_init(&b, 0);
	for (int i = 0; i < PARAMS_MAX; i++)
		assert_int_equal(buf_puts(&b, "&y=2"), 0);
	assert_int_equal(params_parse_urlencoded(*state, b.data, b.len, &p), -1);
	buf_cleanup(&b);
}

/* --- Cookie header --- */

static void cookies_basic(void **state)
{
	struct params p;
	assert_int_equal(parse_cookies(state, "a=1; b=2", &p), 0);
	assert_int_equal(p.count, 2);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_string_equal(params_get(&p, "b"), "2");
	assert_int_equal(p.items[1].value_len, 1);
	assert_int_equal(parse_cookies(state, "hearth_session=abc-DEF_123", &p), 0);
	assert_string_equal(params_get(&p, "hearth_session"), "abc-DEF_123");
	assert_int_equal(parse_cookies(state, "", &p), 0);
	assert_int_equal(p.count, 0);
}

static void cookies_spaces_and_separators(void **state)
{
	struct params p;
	assert_int_equal(parse_cookies(state, "  a=1 ;\tb=2;c=3 ; ;", &p), 0);
	assert_int_equal(p.count, 3);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_string_equal(params_get(&p, "b"), "2");
	assert_string_equal(params_get(&p, "c"), "3");
	assert_int_equal(parse_cookies(state, "e=; f=x", &p), 0);
	assert_string_equal(params_get(&p, "e"), "");
	assert_string_equal(params_get(&p, "f"), "x");
	/* '=' inside a value belongs to the value */
	assert_int_equal(parse_cookies(state, "g=a=b", &p), 0);
	assert_string_equal(params_get(&p, "g"), "a=b");
}

static void cookies_quoted_values(void **state)
{
	struct params p;
	assert_int_equal(parse_cookies(state, "q=\"quoted\"; r=\"\"", &p), 0);
	assert_string_equal(params_get(&p, "q"), "quoted");
	assert_int_equal(p.items[0].value_len, 6);
	assert_string_equal(params_get(&p, "r"), "");
	assert_int_equal(parse_cookies(state, "q=\"open", &p), -1);
	assert_int_equal(parse_cookies(state, "q=\"", &p), -1);
	assert_int_equal(parse_cookies(state, "q=\"a\"b\"", &p), -1);
}

static void cookies_malformed(void **state)
{
	struct params p;
	assert_int_equal(parse_cookies(state, "a=1; novalue; b=2", &p), -1);
	assert_int_equal(parse_cookies(state, "novalue", &p), -1);
	assert_int_equal(parse_cookies(state, "=1", &p), -1);
	assert_int_equal(parse_cookies(state, "a=x\x01y", &p), -1);
	assert_int_equal(parse_cookies(state, "a=x\ny", &p), -1);
	assert_int_equal(parse_cookies(state, "a=x\x7fy", &p), -1);
	assert_int_equal(parse_cookies(state, "a=x y", &p), -1);
	assert_int_equal(parse_cookies(state, "a=x,y", &p), -1);
	assert_int_equal(parse_cookies(state, "a=x\\y", &p), -1);
	assert_int_equal(parse_cookies(state, "a=\xc3\xa9", &p), -1);
	memset(&p, 0, sizeof p);
	assert_int_equal(params_parse_cookies(*state, "a=x\0y", 5, &p), -1);
}

static void cookies_params_max(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < PARAMS_MAX; i++)
		assert_int_equal(buf_printf(&b, "c%d=%d; ", i, i), 0);
	struct params p;
	assert_int_equal(parse_cookies(state, b.data, &p), 0);
	assert_int_equal(p.count, PARAMS_MAX);
	assert_int_equal(buf_puts(&b, "extra=1"), 0);
	assert_int_equal(parse_cookies(state, b.data, &p), -1);
	buf_cleanup(&b);
}

/* --- lookup and methods --- */

static void get_nocase(void **state)
{
	struct params p;
	memset(&p, 0, sizeof p);
	params_add(*state, &p, "Content-Type", "application/json", 16);
	params_add(*state, &p, "content-type", "text/plain", 10);
	params_add(*state, &p, "X-Other", "1", 1);
	assert_string_equal(params_get_nocase(&p, "content-type"), "application/json");
	assert_string_equal(params_get_nocase(&p, "CONTENT-TYPE"), "application/json");
	assert_string_equal(params_get(&p, "content-type"), "text/plain");
	assert_string_equal(params_get_nocase(&p, "x-other"), "1");
	assert_null(params_get_nocase(&p, "content-typ"));
	assert_null(params_get_nocase(&p, "Content-Type-X"));
}

static void params_add_grows(void **state)
{
	struct params p;
	memset(&p, 0, sizeof p);
	char *names[100];
	for (int i = 0; i < 100; i++) {
		names[i] = arena_printf(*state, "n%d", i);
		params_add(*state, &p, names[i], names[i], strlen(names[i]));
	}
	assert_int_equal(p.count, 100);
	for (int i = 0; i < 100; i++)
		assert_string_equal(params_get(&p, names[i]), names[i]);
}

static void method_parse(void **state)
{
	(void)state;
	assert_int_equal(http_method_parse("GET"), HTTP_GET);
	assert_int_equal(http_method_parse("HEAD"), HTTP_HEAD);
	assert_int_equal(http_method_parse("POST"), HTTP_POST);
	assert_int_equal(http_method_parse("PUT"), HTTP_PUT);
	assert_int_equal(http_method_parse("PATCH"), HTTP_PATCH);
	assert_int_equal(http_method_parse("DELETE"), HTTP_DELETE);
	assert_int_equal(http_method_parse("get"), HTTP_OTHER); /* methods are case-sensitive */
	assert_int_equal(http_method_parse("OPTIONS"), HTTP_OTHER);
	assert_int_equal(http_method_parse("GETX"), HTTP_OTHER);
	assert_int_equal(http_method_parse(""), HTTP_OTHER);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_arena, teardown_arena)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(urlencoded_basic),
	    T(urlencoded_decodes_names_and_utf8),
	    T(urlencoded_empty_and_missing_values),
	    T(urlencoded_repeated_names_first_wins),
	    T(urlencoded_appends),
	    T(urlencoded_respects_length),
	    T(urlencoded_bad_escapes),
	    T(urlencoded_rejects_nul),
	    T(urlencoded_rejects_invalid_utf8),
	    T(urlencoded_params_max),
	    T(cookies_basic),
	    T(cookies_spaces_and_separators),
	    T(cookies_quoted_values),
	    T(cookies_malformed),
	    T(cookies_params_max),
	    T(get_nocase),
	    T(params_add_grows),
	    T(method_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
