/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * timeline.c - pages: the timeline of what the viewer may see.
 */
#include <string.h>

#include "../app.h"
#include "../domain/timeline.h"
#include "web.h"

void web_timeline(struct request *r)
{
	const char *before = request_query(r, "before");
	json_t *items;
	char *next = NULL;
	struct problem p = {0};
	if (!timeline_build(r->app->store, &r->viewer, before && *before ? before : NULL, 40, r->lang, r->arena, &items,
	                    &next, &p)) {
		web_problem_page(r, &p);
		return;
	}
	static const struct {
		const char *type, *word, *link;
	} kinds[] = {{"checkin", "Check-in", NULL},
	             {"repair", "Repair", "/repairs/"},
	             {"agreement", "Agreement", NULL},
	             {"review", "Review of an agreement", NULL},
	             {"questionnaire", "Questionnaire", NULL},
	             {"prompt", "Daily question", NULL},
	             {"bridge", "Talked about in a session", NULL},   /* issue 13 */
	             {"repair_step", "A step after a repair", NULL}}; /* issue 14: its link is made below */
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *type = json_string_value(json_object_get(it, "type"));
		const char *who = json_string_value(json_object_get(it, "who"));
		for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
			if (strcmp(kinds[k].type, type) != 0)
				continue;
			json_object_set_new(it, "kind", json_string(kinds[k].word));
			if (kinds[k].link)
				json_object_set_new(
				    it, "href",
				    json_string(arena_printf(r->arena, "%s%s", kinds[k].link,
				                             json_string_value(json_object_get(it, "id")))));
		}
		if (strcmp(type, "repair_step") == 0)
			json_object_set_new(
			    it, "href",
			    json_string(arena_printf(r->arena, "/repairs/%s/steps/%s",
			                             json_string_value(json_object_get(it, "repair_id")),
			                             json_string_value(json_object_get(it, "step")))));
		/* Issue 14: an agreement's state in words (the API keeps the word itself). */
		static const char *const agreement_words[][2] = {{"proposed", "waiting for a yes"},
		                                                 {"active", "being tried"},
		                                                 {"paused", "resting for now"},
		                                                 {"retired", "retired"}};
		const char *state = json_string_value(json_object_get(it, "state"));
		for (size_t k = 0; state && strcmp(type, "agreement") == 0 && k < ARRAY_LEN(agreement_words); k++) {
			if (strcmp(state, agreement_words[k][0]) == 0) {
				json_object_set_new(it, "state", json_string(agreement_words[k][1])); /* frees state */
				break;
			}
		}
		json_object_set_new(it, "by",
		                    json_string(strcmp(who, "me") == 0     ? "You"
		                                : strcmp(who, "both") == 0 ? "Both of you"
		                                                           : r->viewer.partner_name));
		json_object_set_new(it, "when", web_when_stamp(r, json_string_value(json_object_get(it, "at")), false));
	}
	web_render(r, 200, "timeline", "Timeline", json_pack("{s:o, s:s?}", "items", items, "next", next));
}
