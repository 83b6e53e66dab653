/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_jsonw.c - libFuzzer target for util/jsonw.h, the JSON writer of the
 * hot answers, against jansson, the writer it replaces there.
 *
 * Invariants: for any bytes, jsonw_strn fails exactly when jansson refuses
 * them as a string (not UTF-8), and otherwise writes byte for byte what
 * json_dumps(JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY) writes; a
 * cap that is too small fails without writing past it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/jsonw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;
	buf_init(&b, 0);
	int rc = jsonw_strn(&b, (const char *)data, size);
	json_t *s = json_stringn((const char *)data, size);
	if ((rc == 0) != (s != NULL))
		abort();
	if (s) {
		char *want = json_dumps(s, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
		if (!want || strlen(want) != b.len || memcmp(want, b.data, b.len) != 0)
			abort();
		/* Any smaller cap must fail, and never hold more than the cap. */
		struct buf small;
		buf_init(&small, b.len - 1);
		if (jsonw_strn(&small, (const char *)data, size) == 0 || small.len > b.len - 1)
			abort();
		buf_cleanup(&small);
		free(want);
		json_decref(s);
	}
	buf_cleanup(&b);
	return 0;
}
