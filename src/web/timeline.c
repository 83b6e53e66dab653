/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * timeline.c - pages: the timeline of what the viewer may see.
 */
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/timeline.h"
#include "web.h"

/*
 * A check-in's figures in the reader's words. The domain writes them in
 * English, as the API gives them ("mood 3/5, connection 7/10, felt secure
 * 6/10", only those the viewer may see; "a check-in with words only"): a page
 * says each part again through the catalogue. A text it cannot read stays.
 */
static const char *checkin_words(struct request *r, const char *text)
{
	if (!text)
		return NULL;
	if (strcmp(text, "a check-in with words only") == 0)
		return tr(r->lang, "a check-in with words only");
	int mood = -1, connection = -1, secure = -1, end = 0;
	const char *s = text;
	if (sscanf(s, "mood %d/5%n", &mood, &end) == 1 && end > 0)
		s += end;
	if (*s == ',' && s[1] == ' ')
		s += 2;
	end = 0;
	if (sscanf(s, "connection %d/10%n", &connection, &end) == 1 && end > 0)
		s += end;
	if (*s == ',' && s[1] == ' ')
		s += 2;
	end = 0;
	if (sscanf(s, "felt secure %d/10%n", &secure, &end) == 1 && end > 0)
		s += end;
	if (*s || (mood < 0 && connection < 0 && secure < 0))
		return text;
	const char *out = "";
	if (mood >= 0)
		out = arena_printf(r->arena, tr(r->lang, "mood %d/5"), mood);
	if (connection >= 0)
		out = arena_printf(r->arena, "%s%s%s", out, *out ? ", " : "",
		                   arena_printf(r->arena, tr(r->lang, "connection %d/10"), connection));
	if (secure >= 0)
		out = arena_printf(r->arena, "%s%s%s", out, *out ? ", " : "",
		                   arena_printf(r->arena, tr(r->lang, "felt secure %d/10"), secure));
	return out;
}

/* A repair's state and a look-back's outcome in words (the API keeps the codes). */
static const char *state_words(enum lang l, const char *type, const char *state)
{
	return strcmp(type, "repair") == 0 ? web_repair_state_words(l, state) : state;
}

static const char *outcome_words(enum lang l, const char *outcome)
{
	if (strcmp(outcome, "kept") == 0)
		return tr_p(l, "agreement look-back", "kept");
	if (strcmp(outcome, "partly") == 0)
		return tr_p(l, "agreement look-back", "partly");
	if (strcmp(outcome, "not_yet") == 0)
		return tr_p(l, "agreement look-back", "not yet");
	return outcome;
}

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
	} kinds[] = {{"checkin", N_("Check-in"), NULL},
	             {"repair", N_("Repair"), "/repairs/"},
	             {"agreement", N_("Agreement"), NULL},
	             {"review", N_("Review of an agreement"), NULL},
	             {"questionnaire", N_("Questionnaire"), NULL},
	             {"prompt", N_("Daily question"), NULL},
	             {"bridge", N_("Talked about in a session"), NULL},   /* issue 13 */
	             {"repair_step", N_("A step after a repair"), NULL}}; /* issue 14: its link is made below */
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *type = json_string_value(json_object_get(it, "type"));
		const char *who = json_string_value(json_object_get(it, "who"));
		for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
			if (strcmp(kinds[k].type, type) != 0)
				continue;
			json_object_set_new(it, "kind", json_string(tr(r->lang, kinds[k].word)));
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
		static const char *const agreement_words[][2] = {{"proposed", N_("waiting for a yes")},
		                                                 {"active", N_("being tried")},
		                                                 {"paused", N_("resting for now")},
		                                                 {"retired", N_("retired")}};
		const char *state = json_string_value(json_object_get(it, "state"));
		for (size_t k = 0; state && strcmp(type, "agreement") == 0 && k < ARRAY_LEN(agreement_words); k++) {
			if (strcmp(state, agreement_words[k][0]) == 0) {
				json_object_set_new(it, "state",
				                    json_string(tr(r->lang, agreement_words[k][1]))); /* frees state */
				break;
			}
		}
		if (state && strcmp(type, "repair") == 0)
			json_object_set_new(it, "state",
			                    json_string(state_words(r->lang, type, state))); /* frees state */
		const char *outcome = json_string_value(json_object_get(it, "outcome"));
		if (outcome)
			json_object_set_new(it, "outcome", json_string(outcome_words(r->lang, outcome)));
		const char *text = json_string_value(json_object_get(it, "text"));
		if (text && strcmp(type, "checkin") == 0)
			json_object_set_new(it, "text", json_string(checkin_words(r, text))); /* frees text */
		json_object_set_new(it, "by",
		                    json_string(strcmp(who, "me") == 0     ? tr(r->lang, "You")
		                                : strcmp(who, "both") == 0 ? tr(r->lang, "Both of you")
		                                                           : r->viewer.partner_name));
		json_object_set_new(it, "when", web_when_stamp(r, json_string_value(json_object_get(it, "at")), false));
	}
	web_render(r, 200, "timeline", tr(r->lang, "Timeline"), json_pack("{s:o, s:s?}", "items", items, "next", next));
}
