/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * deck.c - pages (issue 15): the conversation decks, public content anyone may
 * browse (/decks, one card per theme; /decks/{id}, one card per question), and
 * "Ask this tomorrow", a form button on each question for a signed-in member
 * that makes it tomorrow's daily question for both partners.
 *
 * A deck page is the same for everybody but for those buttons and the mark on
 * the question already chosen for tomorrow; the service worker (web/app.c)
 * keeps only the copy it fetched without a session.
 */
#include <string.h>

#include "../app.h"
#include "../domain/auth.h"
#include "../domain/content.h"
#include "../domain/prompt.h"
#include "web.h"

void web_deck_list(struct request *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < content_deck_count(); i++) {
		const struct deck *d = content_deck_in(content_deck(i), r->lang);
		json_array_append_new(
		    items, json_pack("{s:s, s:s, s:s}", "id", d->id, "title", d->title, "description", d->description));
	}
	json_t *meta =
	    json_pack("{s:s}", "description",
	              tr(r->lang, "Conversation decks: warm, open questions for walks, drives and evenings together."));
	web_render(r, 200, "decks", tr(r->lang, "Questions to talk about"),
	           json_pack("{s:o, s:o}", "decks", items, "meta", meta));
}

/* May this person ask for tomorrow's question? A member or an admin; a therapist has no daily question. */
static bool can_ask(const struct request *r)
{
	return r->signed_in && viewer_role(&r->viewer) != ROLE_THERAPIST;
}

static void render_deck(struct request *r, int status, const struct deck *d, const struct problem *failed)
{
	char chosen[16] = "";
	struct problem p = {0};
	if (can_ask(r) && !prompt_tomorrow_chosen(r->app->store, &r->viewer, chosen, &p)) {
		web_problem_page(r, &p);
		return;
	}
	d = content_deck_in(d, r->lang); /* issue 16: the deck and its questions in the reader's words */
	const struct prompt *tomorrow = chosen[0] ? content_prompt_in(content_prompt_by_id(chosen), r->lang) : NULL;
	json_t *questions = json_array();
	for (size_t i = 0; i < d->count; i++) {
		const struct prompt *q = &d->questions[i];
		json_array_append_new(
		    questions, json_pack("{s:s, s:s, s:b}", "id", q->id, "text", q->text, "chosen", tomorrow == q));
	}
	json_t *ctx =
	    json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:s?}", "id", d->id, "title", d->title, "description",
	              d->description, "questions", questions, "can_ask", can_ask(r), "asked",
	              tomorrow && request_query(r, "asked") != NULL, "tomorrow", tomorrow ? tomorrow->text : NULL);
	json_object_set_new(ctx, "meta", json_pack("{s:s}", "description", d->description));
	if (failed)
		web_add_problem(r, ctx, failed);
	web_render(r, status, "deck", d->title, ctx);
}

void web_deck(struct request *r)
{
	const struct deck *d = content_deck_by_id(r->path_args[0]);
	if (!d) {
		web_not_found(r);
		return;
	}
	render_deck(r, 200, d, NULL);
}

void web_prompt_tomorrow(struct request *r)
{
	const char *question_id = request_form(r, "question_id");
	struct prompt_tomorrow t;
	struct problem p = {0};
	if (prompt_tomorrow(r->app->store, &r->viewer, question_id, &t, &p)) {
		reply_redirect(r, arena_printf(r->arena, "/decks/%s?asked=1#q-%s", t.deck->id, t.question->id));
		return;
	}
	const struct deck *d = content_deck_of(question_id);
	if (!d || outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	render_deck(r, web_status(r, p.outcome), d, &p);
}
