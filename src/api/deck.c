/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * deck.c - API (issue 15): the conversation decks, public content anyone may read
 * (GET /decks, GET /decks/{id}), and "Ask this tomorrow" (POST /prompts/tomorrow),
 * which makes one of their questions tomorrow's daily question for the caller's scope.
 */
#include <string.h>

#include "../app.h"
#include "../domain/content.h"
#include "../domain/prompt.h"
#include "api.h"

void api_deck_list(struct request *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < content_deck_count(); i++) {
		const struct deck *d = content_deck_in(content_deck(i), r->lang);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I}", "id", d->id, "title", d->title,
		                                       "description", d->description, "count", (json_int_t)d->count));
	}
	/* The whole set at once: a handful of decks, never paged (next is always null). */
	reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

void api_deck_get(struct request *r)
{
	const struct deck *d = content_deck_in(content_deck_by_id(r->path_args[0]), r->lang);
	if (!d) {
		reply_error(r, 404, "not_found", "There is no such deck.", NULL);
		return;
	}
	json_t *questions = json_array();
	for (size_t i = 0; i < d->count; i++)
		json_array_append_new(questions,
		                      json_pack("{s:s, s:s}", "id", d->questions[i].id, "text", d->questions[i].text));
	reply_json(r, 200,
	           json_pack("{s:s, s:s, s:s, s:o}", "id", d->id, "title", d->title, "description", d->description,
	                     "questions", questions));
}

void api_prompt_tomorrow(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *question_id = NULL;
	bool present;
	struct problem p = {0};
	struct prompt_tomorrow t;
	if (api_string(body, "question_id", false, &question_id, &present, &p) &&
	    prompt_tomorrow(r->app->store, &r->viewer, question_id, &t, &p))
		reply_json(r, 200,
		           json_pack("{s:s, s:s, s:s, s:s, s:s}", "date", t.date, "question_id", t.question->id, "text",
		                     content_prompt_in(t.question, r->lang)->text, "category", t.deck->id,
		                     "category_name", content_deck_in(t.deck, r->lang)->title));
	else
		api_problem(r, &p);
	json_decref(body);
}
