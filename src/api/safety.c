/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.c - API: the private safety check and the safety resources.
 */
#include "../app.h"
#include "../domain/content.h"
#include "../domain/safety.h"
#include "api.h"

void api_safety_resources(struct request *r)
{
	reply_json(r, 200, content_safety(r->lang));
}

void api_safety_check(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	bool afraid = false, pressured = false, share = false, has_a, has_p, has_s;
	struct problem p = {0};
	if (!api_bool(body, "afraid", &afraid, &has_a, &p) || !api_bool(body, "pressured", &pressured, &has_p, &p) ||
	    !api_bool(body, "share_with_therapist", &share, &has_s, &p)) {
		api_problem(r, &p);
	} else if (!has_a || !has_p) {
		problem_invalid(&p, has_a ? "pressured" : "afraid", "This field is required (true or false).");
		api_problem(r, &p);
	} else if (!safety_check_record(r->app->store, &r->viewer, afraid, pressured, share, &p)) {
		api_problem(r, &p);
	} else {
		json_t *out = content_safety(r->lang);
		json_object_set_new(out, "concern", json_boolean(afraid || pressured));
		reply_json(r, 201, out);
	}
	json_decref(body);
}
