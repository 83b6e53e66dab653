/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_form.c - libFuzzer target for an application/x-www-form-urlencoded
 * body: params_parse_urlencoded into a hand-built struct request's form,
 * then the lookups the page handlers make (request_form of "csrf", "mood",
 * "connection", "secure", "appreciation", "need", "worry", "visibility",
 * "username", "display_name", "password", "code"), and the check-in form
 * mapping the pages use followed by checkin_validate (domain/checkin.h).
 *
 * Invariants: the same as fuzz_query (count <= PARAMS_MAX; names and values
 * valid UTF-8 without NUL; value_len == strlen(value)); every value found by
 * request_form is one of the parsed values, and the first with that name;
 * checkin_validate never crashes and, when it fails, names a field.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/checkin.h"
#include "http/http.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const form_fields[] = {
    "csrf",  "mood",       "connection", "secure",       "appreciation", "need",
    "worry", "visibility", "username",   "display_name", "password",     "code",
};

static void check_form(const struct request *r)
{
	const struct params *p = &r->form;
	if (p->count > PARAMS_MAX)
		abort();
	for (size_t i = 0; i < p->count; i++) {
		const struct param *it = &p->items[i];
		if (!utf8_valid(it->name, strlen(it->name)) || !utf8_valid(it->value, it->value_len) ||
		    it->value_len != strlen(it->value))
			abort();
	}
	for (size_t f = 0; f < ARRAY_LEN(form_fields); f++) {
		const char *v = request_form(r, form_fields[f]);
		const char *want = NULL;
		for (size_t i = 0; i < p->count && !want; i++)
			if (strcmp(p->items[i].name, form_fields[f]) == 0)
				want = p->items[i].value;
		if (v != want)
			abort();
	}
}

/* The pages' strict whole number: decimal digits with an optional sign, in range. */
static bool form_int(const char *s, int *out)
{
	if (!s || !*s)
		return false;
	char *end = NULL;
	long v = strtol(s, &end, 10);
	if (*end || v < -1000 || v > 1000)
		return false;
	*out = (int)v;
	return true;
}

/* Mirrors the check-in form mapping of web/checkins.c, then validates it. */
static void validate_checkin(const struct request *r)
{
	struct checkin_input in = {0};
	struct problem pr = {0};
	static const char *const numbers[] = {"mood", "connection", "secure"};
	int *targets[] = {&in.mood, &in.connection, &in.secure};
	bool *has[] = {&in.has_mood, &in.has_connection, &in.has_secure};
	for (int i = 0; i < 3; i++) {
		const char *v = request_form(r, numbers[i]);
		if (v && *v && !form_int(v, targets[i]))
			return;
		*has[i] = v && *v;
	}
	in.appreciation = request_form(r, "appreciation");
	in.need = request_form(r, "need");
	in.worry = request_form(r, "worry");
	in.has_appreciation = in.has_need = in.has_worry = true;
	in.visibility = request_form(r, "visibility");
	in.has_visibility = in.visibility != NULL;
	for (int partial = 0; partial < 2; partial++)
		if (!checkin_validate(&in, partial, &pr) && (!pr.field || pr.outcome != OUTCOME_INVALID))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request r;
	memset(&r, 0, sizeof r);
	r.arena = arena_new();
	r.method = HTTP_POST;
	r.method_name = "POST";
	r.path = "/checkins/new";
	char *copy = malloc(size ? size : 1);
	if (size)
		memcpy(copy, data, size);
	if (params_parse_urlencoded(r.arena, copy, size, &r.form) == 0) {
		check_form(&r);
		validate_checkin(&r);
	} else if (r.form.count > PARAMS_MAX) {
		abort();
	}
	free(copy);
	arena_free(r.arena);
	return 0;
}
