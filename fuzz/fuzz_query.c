/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_query.c - libFuzzer target for params_parse_urlencoded (http/http.h)
 * as it parses a query string: the input is the raw bytes after the '?'.
 *
 * Invariants checked when the parser accepts the input:
 *   - count <= PARAMS_MAX;
 *   - every name and value is NUL-terminated, valid UTF-8 without NUL;
 *   - value_len == strlen(value);
 *   - params_get finds a value for every parsed name (the first one).
 * A rejected input (-1) is fine; a crash or sanitizer report is not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_params(const struct params *p)
{
	if (p->count > PARAMS_MAX)
		abort();
	for (size_t i = 0; i < p->count; i++) {
		const struct param *it = &p->items[i];
		if (!it->name || !it->value)
			abort();
		if (!utf8_valid(it->name, strlen(it->name)))
			abort();
		if (!utf8_valid(it->value, it->value_len))
			abort();
		if (it->value_len != strlen(it->value))
			abort();
		if (!params_get(p, it->name))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct params p = {0};
	/* A heap copy of exactly size bytes, so ASan sees any read past the end. */
	char *copy = malloc(size ? size : 1);
	if (size)
		memcpy(copy, data, size);
	if (params_parse_urlencoded(a, copy, size, &p) == 0)
		check_params(&p);
	else if (p.count > PARAMS_MAX)
		abort();
	free(copy);
	arena_free(a);
	return 0;
}
