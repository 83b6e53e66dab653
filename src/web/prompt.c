/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * prompt.c - pages: today's question (answer, acknowledge, ask for another)
 * and the history of questions answered.
 */
#include <string.h>

#include "../app.h"
#include "../domain/content.h"
#include "../domain/prompt.h"
#include "web.h"

/* Each acknowledgement as a button says it, and as its receiver reads it. */
static const struct {
	const char *label, *said;
} acks[PROMPT_ACK_COUNT] = {
    [ACK_THANK_YOU] = {N_("Thank you"), N_("thanked you")},
    [ACK_I_HEAR_YOU] = {N_("I hear you"), N_("heard you")},
    [ACK_ME_TOO] = {N_("Me too"), N_("said: me too")},
    [ACK_HUG] = {N_("A hug"), N_("sent you a hug")},
};

static const char *ack_said(enum lang l, const char *kind)
{
	enum prompt_ack k;
	return prompt_ack_parse(kind, &k) ? tr(l, acks[k].said) : NULL;
}

static const char *ack_label(enum lang l, const char *kind)
{
	enum prompt_ack k;
	return prompt_ack_parse(kind, &k) ? tr(l, acks[k].label) : NULL;
}

static void render_today(struct request *r, int status, const struct prompt_view *v, const struct problem *p,
                         const char *typed)
{
	struct prompt_view said = *v; /* issue 16: the same question in the reader's words */
	said.prompt = content_prompt_in(v->prompt, r->lang);
	v = &said;
	json_t *buttons = json_array();
	enum prompt_ack chosen;
	bool has_chosen = prompt_ack_parse(v->ack_on_partner, &chosen);
	for (size_t i = 0; i < ARRAY_LEN(acks); i++)
		json_array_append_new(buttons, json_pack("{s:s, s:s, s:b}", "kind", prompt_ack_name((enum prompt_ack)i),
		                                         "label", tr(r->lang, acks[i].label), "chosen",
		                                         has_chosen && chosen == (enum prompt_ack)i));
	json_t *ctx = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:b, s:b, s:s?, s:s?, s:o, s:s, s:b}", "id", v->day.id, "date",
	    v->day.date, "text", v->prompt->text, "category", v->prompt->category_name, "mine", v->mine, "partner",
	    v->partner, "partner_answered", v->partner_answered, "has_partner", v->has_partner, "can_skip", v->can_skip,
	    "ack_on_mine", ack_said(r->lang, v->ack_on_mine), "ack_on_partner", ack_label(r->lang, v->ack_on_partner),
	    "ack_buttons", buttons, "typed", typed ? typed : "", "asked_again", request_query(r, "another") != NULL);
	json_object_set_new(ctx, "on", web_on(r, v->day.date, true));
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "prompt", tr(r->lang, "Today's question"), ctx);
}

void web_prompt_today(struct request *r)
{
	struct prompt_view v;
	struct problem p = {0};
	if (!prompt_today(r->app->store, &r->viewer, r->arena, &v, &p)) {
		web_problem_page(r, &p);
		return;
	}
	render_today(r, 200, &v, NULL, NULL);
}

/* After a failed action: today's page again with the message. */
static void prompt_failed(struct request *r, const struct problem *p, const char *typed)
{
	struct prompt_view v;
	struct problem again = {0};
	if (p->outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p->outcome) ||
	    !prompt_today(r->app->store, &r->viewer, r->arena, &v, &again)) {
		web_problem_page(r, p);
		return;
	}
	render_today(r, web_status(r, p->outcome), &v, p, typed);
}

void web_prompt_answer(struct request *r)
{
	struct prompt_view v;
	struct problem p = {0};
	const char *text = request_form(r, "text");
	if (prompt_answer(r->app->store, &r->viewer, r->path_args[0], text ? text : "", r->arena, &v, &p)) {
		reply_redirect(r, "/prompts");
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND) {
		/* The question was replaced while this person wrote (a skip): keep their words. */
		problem_set(&p, OUTCOME_CONFLICT, "conflict", "text",
		            "Today's question changed while you were writing. Your words are still here, for the new "
		            "question or to keep for yourself.");
	}
	prompt_failed(r, &p, text);
}

void web_prompt_acknowledge(struct request *r)
{
	struct prompt_view v;
	struct problem p = {0};
	if (prompt_acknowledge(r->app->store, &r->viewer, r->path_args[0], request_form(r, "kind"), r->arena, &v, &p))
		reply_redirect(r, "/prompts");
	else
		prompt_failed(r, &p, NULL);
}

void web_prompt_skip(struct request *r)
{
	struct prompt_view v;
	struct problem p = {0};
	if (prompt_skip(r->app->store, &r->viewer, r->arena, &v, &p))
		reply_redirect(r, "/prompts?another=1");
	else
		prompt_failed(r, &p, NULL);
}

void web_prompt_history(struct request *r)
{
	struct prompt_history_page page;
	struct problem p = {0};
	const char *before = request_query(r, "before");
	if (!prompt_history(r->app->store, &r->viewer, before && *before ? before : NULL, 20, r->arena, &page, &p)) {
		web_problem_page(r, &p);
		return;
	}
	for (int i = 0; i < page.count; i++) /* issue 16: each question in the reader's words */
		page.items[i].prompt = content_prompt_in(page.items[i].prompt, r->lang);
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++) {
		const struct prompt_history_entry *e = &page.items[i];
		json_array_append_new(items, json_pack("{s:s, s:o, s:s?, s:s?, s:s?, s:s?, s:s?}", "date", e->date,
		                                       "on", web_on(r, e->date, true), "text",
		                                       e->prompt ? e->prompt->text : NULL, "mine", e->mine, "partner",
		                                       e->partner, "ack_on_mine", ack_said(r->lang, e->ack_on_mine),
		                                       "ack_on_partner", ack_label(r->lang, e->ack_on_partner)));
	}
	web_render(r, 200, "prompt_history", tr(r->lang, "Questions we answered"),
	           json_pack("{s:o, s:s?, s:b}", "days", items, "next", page.next_cursor, "has_partner",
	                     r->viewer.partner_id[0] != 0));
}
