/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * export.c - pages: the printable export of everything the viewer wrote
 * (after the password was typed in the last 10 minutes).
 */
#include "../app.h"
#include "../domain/export.h"
#include "web.h"

void web_export(struct request *r)
{
	json_t *doc;
	struct problem p = {0};
	if (!web_require_fresh(r, "/account/export"))
		return; /* to the page that asks for the password, and back here */
	if (!export_build(r->app->store, &r->viewer, r->arena, &doc, &p)) {
		web_problem_page(r, &p);
		return;
	}
	/* Objects as lists the template can walk: questionnaire answers and subscales. */
	json_t *resp;
	size_t i;
	json_array_foreach(json_object_get(doc, "questionnaire_responses"), i, resp)
	{
		json_t *answers = json_array(), *subscales = json_array();
		const char *key;
		json_t *val;
		json_object_foreach(json_object_get(resp, "answers"), key, val)
		{
			json_array_append_new(answers, json_pack("{s:s, s:O}", "item", key, "value", val));
		}
		json_object_foreach(json_object_get(resp, "subscales"), key, val)
		{
			json_array_append_new(subscales, json_pack("{s:s, s:O}", "name", key, "value", val));
		}
		json_object_set_new(resp, "answer_list", answers);
		json_object_set_new(resp, "subscale_list", subscales);
	}
	web_render(r, 200, "export", "Everything you wrote", doc);
}
