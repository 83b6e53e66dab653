/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_cookie.c - libFuzzer target for params_parse_cookies (http/http.h),
 * fed the raw value of a Cookie request header.
 *
 * Invariants checked when the parser accepts the input:
 *   - count <= PARAMS_MAX;
 *   - every name is non-empty and NUL-terminated;
 *   - every value consists of printable ASCII only (0x21..0x7e, and none of
 *     ',', '"', '\\'), and value_len == strlen(value);
 *   - every name and value is a substring of the input (no bytes invented).
 *
 * Both callers (http/router.c, web/web.c) pass strlen() of the header, so the
 * parser never sees a NUL byte in production; the input is cut at its first
 * NUL the same way. Given a NUL, the parser accepts it inside a name, and
 * "\0=x" yields a name that is empty as a C string (fuzz/crashes/).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cookies(const struct params *p, const char *in, size_t n)
{
	if (p->count > PARAMS_MAX)
		abort();
	for (size_t i = 0; i < p->count; i++) {
		const struct param *it = &p->items[i];
		size_t nl = strlen(it->name);
		if (nl == 0 || nl > n)
			abort();
		if (!memmem(in, n, it->name, nl))
			abort();
		if (it->value_len != strlen(it->value))
			abort();
		for (size_t k = 0; k < it->value_len; k++) {
			unsigned char c = (unsigned char)it->value[k];
			if (c < 0x21 || c > 0x7e || c == ',' || c == '"' || c == '\\')
				abort();
		}
		if (it->value_len && !memmem(in, n, it->value, it->value_len))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct params p = {0};
	const uint8_t *nul = memchr(data, 0, size);
	if (nul)
		size = (size_t)(nul - data);
	char *copy = malloc(size ? size : 1);
	if (size)
		memcpy(copy, data, size);
	if (params_parse_cookies(a, copy, size, &p) == 0)
		check_cookies(&p, copy, size);
	else if (p.count > PARAMS_MAX)
		abort();
	free(copy);
	arena_free(a);
	return 0;
}
