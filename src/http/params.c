/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * params.c - parsers for query strings, form bodies and cookies (see http.h).
 * All three take untrusted bytes with a length and never read past it.
 */
#include "http.h"

#include <string.h>
#include <strings.h>

void params_add(struct arena *a, struct params *p, const char *name, const char *value, size_t value_len)
{
	if (p->count == p->alloc) {
		size_t alloc = p->alloc ? p->alloc * 2 : 16;
		struct param *items = arena_alloc(a, alloc * sizeof *items);
		if (p->count)
			memcpy(items, p->items, p->count * sizeof *items);
		p->items = items;
		p->alloc = alloc;
	}
	p->items[p->count++] = (struct param){name, value, value_len};
}

int http_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX and '+' into a new arena string; -1 on a bad escape, NUL or bad UTF-8. */
static int decode(struct arena *a, const char *s, size_t n, char **out, size_t *out_len)
{
	char *d = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (n - i < 3)
				return -1;
			int hi = http_hex_digit(s[i + 1]), lo = http_hex_digit(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		d[j++] = c;
	}
	d[j] = '\0';
	if (!utf8_valid(d, j))
		return -1;
	*out = d;
	*out_len = j;
	return 0;
}

int params_parse_urlencoded(struct arena *a, const char *s, size_t n, struct params *out)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		if (end > i) {
			const char *eq = memchr(s + i, '=', end - i);
			size_t name_len = eq ? (size_t)(eq - (s + i)) : end - i;
			char *name, *value;
			size_t nl, vl;
			if (decode(a, s + i, name_len, &name, &nl) < 0)
				return -1;
			if (eq) {
				if (decode(a, eq + 1, (size_t)(s + end - eq - 1), &value, &vl) < 0)
					return -1;
			} else {
				value = arena_strdup(a, "");
				vl = 0;
			}
			if (out->count >= PARAMS_MAX)
				return -1;
			params_add(a, out, name, value, vl);
		}
		i = end + 1;
	}
	return 0;
}

int params_parse_cookies(struct arena *a, const char *s, size_t n, struct params *out)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		size_t end = i;
		while (end < n && s[end] != ';')
			end++;
		size_t stop = end;
		while (stop > i && (s[stop - 1] == ' ' || s[stop - 1] == '\t'))
			stop--;
		if (stop > i) {
			const char *eq = memchr(s + i, '=', stop - i);
			if (!eq)
				return -1;
			const char *v = eq + 1;
			size_t vl = (size_t)(s + stop - v);
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
				v++, vl -= 2;
			size_t nl = (size_t)(eq - (s + i));
			for (size_t k = 0; k < nl; k++)
				if ((unsigned char)s[i + k] < 0x21 || (unsigned char)s[i + k] > 0x7e)
					return -1;
			for (size_t k = 0; k < vl; k++)
				if ((unsigned char)v[k] < 0x21 || (unsigned char)v[k] > 0x7e || v[k] == ',' ||
				    v[k] == '"' || v[k] == '\\')
					return -1;
			if (nl == 0 || out->count >= PARAMS_MAX)
				return -1;
			params_add(a, out, arena_strndup(a, s + i, nl), arena_strndup(a, v, vl), vl);
		}
		i = end + 1;
	}
	return 0;
}

const char *params_get(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->count; i++)
		if (strcmp(p->items[i].name, name) == 0)
			return p->items[i].value;
	return NULL;
}

const char *params_get_nocase(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->count; i++)
		if (strcasecmp(p->items[i].name, name) == 0)
			return p->items[i].value;
	return NULL;
}

const char *request_header(const struct request *r, const char *name)
{
	return params_get_nocase(&r->headers, name);
}

const char *request_cookie(struct request *r, const char *name)
{
	const char *cookies = request_header(r, "Cookie");
	struct params jar = {0};
	if (!cookies || params_parse_cookies(r->arena, cookies, strlen(cookies), &jar) < 0)
		return NULL;
	return params_get(&jar, http_cookie_name(r, name));
}

const char *request_query(const struct request *r, const char *name)
{
	return params_get(&r->query, name);
}

const char *request_form(const struct request *r, const char *name)
{
	return params_get(&r->form, name);
}

enum http_method http_method_parse(const char *s)
{
	static const struct {
		const char *name;
		enum http_method m;
	} methods[] = {{"GET", HTTP_GET}, {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
	               {"PUT", HTTP_PUT}, {"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE}};
	for (size_t i = 0; i < ARRAY_LEN(methods); i++)
		if (strcmp(s, methods[i].name) == 0)
			return methods[i].m;
	return HTTP_OTHER;
}

const struct viewer *request_viewer(const struct request *r)
{
	return r->signed_in ? &r->viewer : NULL;
}

bool request_is_api(const struct request *r)
{
	return strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/healthz") == 0;
}

bool request_is_unsafe(const struct request *r)
{
	return r->method != HTTP_GET && r->method != HTTP_HEAD;
}
