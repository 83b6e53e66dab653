/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * jsonw.c - JSON written straight into a buffer (see jsonw.h): the same bytes
 * as jansson's compact, ASCII-only output, without a tree in between.
 */
#include "jsonw.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), its code point in *cp; 0 when invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if (v < min || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return 0;
	*cp = v;
	return len;
}

static int put_u(struct buf *b, uint32_t unit)
{
	char e[8];
	snprintf(e, sizeof e, "\\u%04X", (unsigned)unit);
	return buf_append(b, e, 6);
}

int jsonw_strn(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	if (buf_append(b, "\"", 1) < 0)
		return -1;
	size_t run = 0; /* start of the pending run of bytes that need no escape */
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (i > run && buf_append(b, p + run, i - run) < 0)
			return -1;
		const char *two = NULL;
		switch (c) {
		case '"':
			two = "\\\"";
			break;
		case '\\':
			two = "\\\\";
			break;
		case '\b':
			two = "\\b";
			break;
		case '\f':
			two = "\\f";
			break;
		case '\n':
			two = "\\n";
			break;
		case '\r':
			two = "\\r";
			break;
		case '\t':
			two = "\\t";
			break;
		default:
			break;
		}
		if (two) {
			if (buf_append(b, two, 2) < 0)
				return -1;
			i++;
		} else if (c < 0x80) {
			if (put_u(b, c) < 0)
				return -1;
			i++;
		} else {
			uint32_t cp;
			size_t len = utf8_next(p + i, n - i, &cp);
			if (len == 0)
				return -1;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				if (put_u(b, 0xd800 | (cp >> 10)) < 0 || put_u(b, 0xdc00 | (cp & 0x3ff)) < 0)
					return -1;
			} else if (put_u(b, cp) < 0) {
				return -1;
			}
			i += len;
		}
		run = i;
	}
	if (n > run && buf_append(b, p + run, n - run) < 0)
		return -1;
	return buf_append(b, "\"", 1);
}

int jsonw_str(struct buf *b, const char *s)
{
	return s ? jsonw_strn(b, s, strlen(s)) : buf_append(b, "null", 4);
}

int jsonw_int(struct buf *b, long long v)
{
	/* Digits written backwards, not snprintf: a list writes several numbers an item (700 instructions each). */
	char t[24];
	size_t at = sizeof t;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		t[--at] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		t[--at] = '-';
	return buf_append(b, t + at, sizeof t - at);
}

int jsonw_raw(struct buf *b, const char *s)
{
	return buf_puts(b, s);
}
