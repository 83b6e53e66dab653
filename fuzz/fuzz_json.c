/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_json.c - libFuzzer target for the JSON request mapping of the API,
 * in the order api_body (api/api.c) applies it: json_depth_ok, then
 * json_loadb with JSON_REJECT_DUPLICATES (only when the depth is ok), then,
 * for an object, api_checkin_input and checkin_validate (domain/checkin.h),
 * both as a create (partial = false) and as an edit (partial = true).
 *
 * Invariants: nothing crashes or trips a sanitizer; when api_checkin_input
 * succeeds, every present text (appreciation, need, worry, visibility) is
 * NULL (only for a JSON null where allowed) or a string whose strlen equals
 * its JSON length (no NUL inside) and which is valid UTF-8; visibility,
 * when present, is never NULL; a failure always names a field with a 400.
 * And, on the raw input first: utf8_valid (which passes ASCII a word at a
 * time) agrees with jansson's own check, NUL bytes aside.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "api/api.h"
#include "domain/checkin.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	return 0;
}

static void check_text(json_t *body, const char *key, bool present, const char *s, bool nullable)
{
	if (!present) {
		if (json_object_get(body, key))
			abort();
		return;
	}
	json_t *v = json_object_get(body, key);
	if (!v)
		abort();
	if (!s) {
		if (!nullable || !json_is_null(v))
			abort();
		return;
	}
	if (!json_is_string(v) || strlen(s) != json_string_length(v) || !utf8_valid(s, strlen(s)))
		abort();
}

static void check_problem(const struct problem *p)
{
	if (p->outcome != OUTCOME_INVALID || !p->field || !p->message || !p->code)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	json_t *as_string = json_stringn(text, size);
	if (utf8_valid(text, size) != (as_string && !memchr(text, 0, size)))
		abort();
	json_decref(as_string);
	if (size > BODY_MAX)
		return 0; /* the server answers 413 before any parsing */
	if (!json_depth_ok(text, size, JSON_DEPTH_MAX))
		return 0;
	json_error_t err;
	json_t *body = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);
	if (!body)
		return 0;
	if (json_is_object(body)) {
		struct checkin_input in;
		struct problem p;
		memset(&p, 0, sizeof p);
		if (api_checkin_input(body, &in, &p)) {
			check_text(body, "appreciation", in.has_appreciation, in.appreciation, true);
			check_text(body, "need", in.has_need, in.need, true);
			check_text(body, "worry", in.has_worry, in.worry, true);
			/* visibility is one word for every item, or an object of one word per item (issue 11) */
			if (json_is_object(json_object_get(body, "visibility"))) {
				if (!in.has_items || in.visibility)
					abort();
			} else {
				check_text(body, "visibility", in.has_visibility, in.visibility, false);
				if (in.has_visibility && !in.visibility)
					abort();
			}
			for (int partial = 0; partial < 2; partial++) {
				memset(&p, 0, sizeof p);
				if (!checkin_validate(&in, partial, &p))
					check_problem(&p);
			}
		} else {
			check_problem(&p);
		}
	}
	json_decref(body);
	return 0;
}
