/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * agreement.c - pages: agreements, their reviews and their status; the
 * partner's answer to a proposed one, "Yes, I want to try this" or "Let's
 * talk about it" (issue 14). Alone, an agreement is worded as the person's
 * own intention. A look back asks how it went for me, never a grade of the
 * partner.
 */
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/agreement.h"
#include "web.h"

/* The look back's outcome in English, marked for translation: the caller says it with tr(). */
static const char *outcome_words(const char *text)
{
	enum review_outcome o = REVIEW_NOT_YET;
	if (!review_outcome_parse(text, &o))
		o = REVIEW_NOT_YET;
	switch (o) {
	case REVIEW_KEPT:
		return N_("Kept to it");
	case REVIEW_PARTLY:
		return N_("Partly");
	case REVIEW_NOT_YET:
		break;
	}
	return N_("Not yet");
}

/* The typed note of a "let's talk about it" that came back with an error, for its agreement's form. */
struct discuss_draft {
	const char *id, *note, *error;
};

static json_t *agreement_ctx(struct request *r, const struct agreement_view *g, const struct discuss_draft *draft)
{
	json_t *reviews = json_array();
	const char *you = tr(r->lang, "You");
	for (int i = 0; i < g->review_count && i < 5; i++) {
		const struct store_review *rv = &g->reviews[i];
		json_array_append_new(
		    reviews, json_pack("{s:s, s:o, s:s, s:s?}", "who",
		                       strcmp(rv->author_id, r->viewer.user_id) == 0 ? you : r->viewer.partner_name,
		                       "when", web_when(r, rv->created_at), "outcome",
		                       tr(r->lang, outcome_words(rv->outcome)), "note", rv->note));
	}
	const struct store_agreement *a = &g->agreement;
	const char *partner = r->viewer.partner_name[0] ? r->viewer.partner_name : tr(r->lang, "Your partner");
	/* "next look back: Sunday": the review date in words, from the reader's today */
	json_t *ctx =
	    json_pack("{s:s, s:s, s:b, s:b, s:i, s:o, s:o, s:s}", "id", a->id, "text",
	              a->text ? a->text : tr(r->lang, "(the words of an account that was deleted)"), "active",
	              g->status == AGREEMENT_ACTIVE, "due", g->due, "every", a->review_every_days, "next_look",
	              web_on(r, a->next_review_on, false), "reviews", reviews, "by", g->mine ? you : partner);
	json_object_set_new(ctx, "by_me", json_boolean(g->mine));
	json_object_set_new(
	    ctx, "every_words",
	    json_string(arena_printf(
	        r->arena, tr_n(r->lang, "every %d day", "every %d days", (unsigned long)a->review_every_days),
	        a->review_every_days)));
	json_object_set_new(ctx, "intention", json_boolean(g->alone && g->mine));
	json_object_set_new(ctx, "proposed", json_boolean(g->status == AGREEMENT_PROPOSED));
	json_object_set_new(ctx, "paused", json_boolean(g->status == AGREEMENT_PAUSED));
	json_object_set_new(ctx, "retired", json_boolean(g->status == AGREEMENT_RETIRED));
	json_object_set_new(ctx, "awaits_me", json_boolean(g->awaits_me));
	json_object_set_new(ctx, "waiting", json_boolean(g->status == AGREEMENT_PROPOSED && g->mine));
	json_object_set_new(ctx, "partner", json_string(partner));
	/* A retired one the partner never said yes to: its author asks again rather than makes it active. */
	json_object_set_new(ctx, "ask_again", json_boolean(g->mine && !g->alone && !a->accepted_by[0]));
	if (a->discuss_note && a->discussed_by[0])
		json_object_set_new(ctx, "discussion",
		                    json_pack("{s:s, s:b, s:s, s:o}", "who",
		                              strcmp(a->discussed_by, r->viewer.user_id) == 0 ? you : partner, "mine",
		                              strcmp(a->discussed_by, r->viewer.user_id) == 0, "note", a->discuss_note,
		                              "when", web_when(r, a->discussed_at)));
	bool drafted = draft && draft->id && strcmp(draft->id, a->id) == 0;
	json_object_set_new(ctx, "draft", json_string(drafted && draft->note ? draft->note : ""));
	if (drafted && draft->error)
		json_object_set_new(ctx, "discuss_error", json_string(tr(r->lang, draft->error)));
	return ctx;
}

static void render_agreements_with(struct request *r, int status, const struct problem *p,
                                   const struct discuss_draft *draft)
{
	struct agreement_page page;
	struct problem lp = {0};
	const char *before = request_query(r, "before");
	if (!agreement_list(r->app->store, &r->viewer, before && *before ? before : NULL, 20, r->arena, &page, &lp)) {
		web_problem_page(r, &lp);
		return;
	}
	json_t *items = json_array();
	bool answer_waits = false; /* a partner's proposal waits for the viewer: answering it is the page's next step */
	for (int i = 0; i < page.count; i++) {
		json_array_append_new(items, agreement_ctx(r, &page.items[i], draft));
		answer_waits = answer_waits || page.items[i].awaits_me;
	}
	const char *text = request_form(r, "text"), *every = request_form(r, "review_every_days");
	const char *repair = request_form(r, "repair_id") ? request_form(r, "repair_id") : request_query(r, "repair");
	json_t *ctx =
	    json_pack("{s:o, s:s?, s:s, s:s, s:s, s:b}", "agreements", items, "next", page.next_cursor, "text",
	              text ? text : "", "every", every ? every : "7", "repair_id",
	              repair && id_valid(repair) ? repair : "", "reviewed", request_query(r, "reviewed") != NULL);
	json_object_set_new(ctx, "alone", json_boolean(!r->viewer.partner_id[0]));
	json_object_set_new(ctx, "answer_waits", json_boolean(answer_waits));
	json_object_set_new(ctx, "partner", json_string(r->viewer.partner_name));
	json_object_set_new(ctx, "accepted", json_boolean(request_query(r, "accepted") != NULL));
	json_object_set_new(ctx, "discussed", json_boolean(request_query(r, "discussed") != NULL));
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "agreements", tr(r->lang, "Agreements"), ctx);
}

static void render_agreements(struct request *r, int status, const struct problem *p)
{
	render_agreements_with(r, status, p, NULL);
}

void web_agreements(struct request *r)
{
	render_agreements(r, 200, NULL);
}

void web_agreement_create(struct request *r)
{
	struct agreement_view view;
	struct problem p = {0};
	const char *every = request_form(r, "review_every_days");
	char *end = NULL;
	long days = every && *every ? strtol(every, &end, 10) : 7;
	if (every && *every && (*end || days < 1 || days > 90)) {
		problem_invalid(&p, "review_every_days", "Review every 1 to 90 days.");
		render_agreements(r, web_status(r, p.outcome), &p);
		return;
	}
	const char *text = request_form(r, "text");
	if (agreement_create(r->app->store, &r->viewer, text ? text : "", (int)days, request_form(r, "repair_id"),
	                     r->arena, &view, &p)) {
		reply_redirect(r, "/agreements");
		return;
	}
	if (outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_agreements(r, web_status(r, p.outcome), &p);
}

void web_agreement_review(struct request *r)
{
	struct store_review rv;
	struct problem p = {0};
	if (agreement_review(r->app->store, &r->viewer, r->path_args[0], request_form(r, "outcome"),
	                     request_form(r, "note"), r->arena, &rv, &p)) {
		reply_redirect(r, "/agreements?reviewed=1");
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	/* The page holds one review form per agreement: the summary links to this one's fields. */
	const char *id = id_valid(r->path_args[0]) ? r->path_args[0] : "";
	for (int i = 0; i < p.count && i < PROBLEM_ITEMS_MAX; i++)
		if (p.items[i].field)
			p.items[i].field = arena_printf(r->arena, "%s-%s", p.items[i].field, id);
	p.field = arena_printf(r->arena, "outcome-%s", id);
	render_agreements(r, web_status(r, p.outcome), &p);
}

void web_agreement_status(struct request *r)
{
	struct agreement_view view;
	struct problem p = {0};
	if (agreement_set_status(r->app->store, &r->viewer, r->path_args[0], request_form(r, "status"), r->arena, &view,
	                         &p))
		reply_redirect(r, "/agreements");
	else if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_agreements(r, web_status(r, p.outcome), &p);
}

void web_agreement_accept(struct request *r)
{
	struct agreement_view view;
	struct problem p = {0};
	if (agreement_accept(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p))
		reply_redirect(r, "/agreements?accepted=1");
	else if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_agreements(r, web_status(r, p.outcome), &p);
}

void web_agreement_discuss(struct request *r)
{
	struct agreement_view view;
	struct problem p = {0};
	const char *note = request_form(r, "note");
	if (agreement_discuss(r->app->store, &r->viewer, r->path_args[0], note ? note : "", r->arena, &view, &p)) {
		reply_redirect(r, "/agreements?discussed=1");
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	/* The page holds one note form per proposal: the error sits by this one's field, which keeps what was typed. */
	const char *id = id_valid(r->path_args[0]) ? r->path_args[0] : "";
	struct discuss_draft draft = {.id = id, .note = note, .error = p.field ? p.message : NULL};
	if (p.field) {
		p.field = arena_printf(r->arena, "discuss-%s", id);
		p.items[0].field = p.field;
	}
	render_agreements_with(r, web_status(r, p.outcome), &p, &draft);
}
