/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * profile.c - API: PATCH /me, what a person changes about themselves (their
 * display name, their time zone, their bio, their language; domain/profile.h).
 * Answers as GET /me.
 *
 * Fields the API does not know are ignored, as everywhere in this API. Every
 * invalid field is named at once in `errors`, the first also in `error`.
 */
#include <string.h>

#include "../app.h"
#include "../app/router.h"
#include "../domain/profile.h"
#include "api.h"

void api_me_patch(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	/* every invalid field at once, in one problem, so api_problem says them all (API.md, Additions: Errors) */
	struct problem all;
	problem_begin(&all);
	struct profile_input in;
	memset(&in, 0, sizeof in);
	for (int f = 0; f < PROFILE_FIELDS; f++) {
		const char *name = profile_field_name((enum profile_field)f), *value = NULL;
		bool present = false;
		/* a wrong type is a problem of its own field; the others are still checked */
		/* time_zone: null, like "", is "my space's"; language: null, like "", is "as my browser asks" */
		bool nullable = f == PROFILE_TIME_ZONE || f == PROFILE_LANGUAGE;
		if (api_string(body, name, nullable, &value, &present, &all) && present)
			in.values[f] = value ? value : "";
	}
	struct problem ps[PROFILE_FIELDS];
	int n = 0;
	struct viewer v = r->viewer;
	if (problem_none(&all) && profile_update(r->app->store, &v, &in, ps, &n)) {
		r->viewer = v;
		router_choose_language(r); /* the answer is in the language just chosen */
		reply_json(r, 200, api_me_json(r, &v));
		goto out;
	}
	if (!problem_none(&all)) /* the fields of the right type are checked too */
		(void)profile_check(&in, ps, &n);
	if (n == 1 && ps[0].outcome != OUTCOME_INVALID) { /* a store fault, alone */
		api_problem(r, &ps[0]);
		goto out;
	}
	for (int i = 0; i < n; i++)
		problem_add(&all, ps[i].field, ps[i].message);
	api_problem(r, &all);
out:
	json_decref(body);
}
