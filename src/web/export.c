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
	struct problem p;
	if (!web_require_fresh(r, "/account/export"))
		return; /* to the page that asks for the password, and back here */
	if (!export_build(r->app->store, &r->viewer, r->arena, &doc, &p)) {
		web_problem_page(r, &p);
		return;
	}
	/* a printed page is read later: whole dates in the reader's zone, never "today" */
	static const char *const lists[] = {"checkins", "repairs", "agreement_reviews", "questionnaire_responses"};
	size_t k;
	json_t *item;
	for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
		json_array_foreach(json_object_get(doc, lists[i]), k, item)
		{
			json_object_set_new(
			    item, "when",
			    web_when_stamp(r, json_string_value(json_object_get(item, "created_at")), true));
		}
	}
	json_array_foreach(json_object_get(doc, "prompt_answers"), k, item)
	{
		json_object_set_new(item, "on", web_on_full(json_string_value(json_object_get(item, "date"))));
	}
	json_t *account = json_object_get(doc, "account");
	if (account)
		json_object_set_new(account, "since",
		                    web_when_stamp(r, json_string_value(json_object_get(account, "created_at")), true));
	json_object_set_new(doc, "exported",
	                    web_when_stamp(r, json_string_value(json_object_get(doc, "exported_at")), true));
	web_render(r, 200, "export", "Everything you wrote", doc);
}
