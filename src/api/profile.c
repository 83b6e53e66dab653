/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * profile.c - API: PATCH /me, what a person changes about themselves (their
 * display name, their time zone; domain/profile.h). Answers as GET /me.
 *
 * Fields the API does not know are ignored, as everywhere in this API. Every
 * invalid field is named at once in `errors`, the first also in `error`.
 */
#include <string.h>

#include "../app.h"
#include "../domain/profile.h"
#include "api.h"

/* The error shape with all the problems of a request (API.md, Additions: Errors). */
static void reply_problems(struct request *r, const struct problem *ps, int n)
{
	if (n == 1 && ps[0].outcome != OUTCOME_INVALID) {
		api_problem(r, &ps[0]);
		return;
	}
	json_t *errors = json_array();
	for (int i = 0; i < n; i++) {
		json_t *e = json_pack("{s:s, s:s}", "code", ps[i].code, "message", ps[i].message);
		if (ps[i].field)
			json_object_set_new(e, "field", json_string(ps[i].field));
		json_array_append_new(errors, e);
	}
	json_t *first = json_deep_copy(json_array_get(errors, 0));
	reply_json(r, api_status(ps[0].outcome), json_pack("{s:o, s:o}", "error", first, "errors", errors));
}

void api_me_patch(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct profile_input in;
	struct problem ps[PROFILE_FIELDS];
	int n = 0;
	memset(&in, 0, sizeof in);
	for (int f = 0; f < PROFILE_FIELDS; f++) {
		const char *name = profile_field_name((enum profile_field)f), *value = NULL;
		bool present = false;
		/* a wrong type is a problem of its own field; the others are still checked */
		if (!api_string(body, name, f == PROFILE_TIME_ZONE, &value, &present, &ps[n]))
			n++;
		else if (present)
			in.values[f] = value ? value : ""; /* time_zone: null, like "", is "my space's" */
	}
	struct viewer v = r->viewer;
	if (n > 0) /* the fields of the right type are checked too: every problem at once */
		(void)profile_check(&in, ps, &n);
	else if (profile_update(r->app->store, &v, &in, ps, &n))
		n = 0;
	if (n == 0)
		reply_json(r, 200, api_me_json(r->app->store, &v));
	else
		reply_problems(r, ps, n);
	json_decref(body);
}
