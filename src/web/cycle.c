/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cycle.c - pages (issue 14): our cycle and what we came through.
 *
 * /cycle is one page in the cycle's states: the private check first (with a
 * partner, before one's side is shared; the same check and partial as a
 * repair's), one's own side as a form while it is a draft, then both sides
 * and the shared text with its earlier versions. After a worrying check the
 * form saves but never shares, and the partner is told nothing. Every form
 * works without JavaScript and keeps what was typed when it is refused.
 */
#include <string.h>

#include "../app.h"
#include "../domain/came_through.h"
#include "../domain/content.h"
#include "../domain/cycle.h"
#include "../domain/safety.h"
#include "../domain/visibility.h"
#include "web.h"

/* The state in English, marked for translation: the caller says it with tr(). */
static const char *state_words(const struct cycle_view *v, bool solo)
{
	switch (v->state) {
	case CYCLE_SHARED:
		return N_("Both sides are open");
	case CYCLE_WAITING:
		return N_("Your side is shared; it opens with your partner's");
	case CYCLE_KEPT:
		return N_("Your side, kept for you");
	case CYCLE_DRAFT:
		return solo || v->private_only ? N_("Your side, kept privately") : N_("Your side is a draft");
	default:
		return N_("Not written yet");
	}
}

/* A side's three texts for the template (the form's values or a side's). */
static json_t *side_ctx(const char *feel, const char *tend, const char *longing)
{
	return json_pack("{s:s, s:s, s:s}", "when_i_feel", feel ? feel : "", "i_tend_to", tend ? tend : "",
	                 "i_long_for", longing ? longing : "");
}

static const char *name_of(const struct request *r, const char *author_id)
{
	if (strcmp(author_id, r->viewer.user_id) == 0)
		return tr(r->lang, "You");
	return r->viewer.partner_name[0] ? r->viewer.partner_name : tr(r->lang, "Your partner");
}

/* The suggested first wording (domain/cycle.h) in the reader's language: the domain makes it in English. */
static const char *suggestion_in(const struct request *r, const struct cycle_view *v)
{
	const struct cycle_words w = {tr(r->lang, cycle_words_en.format), tr(r->lang, cycle_words_en.me),
	                              tr(r->lang, cycle_words_en.other)};
	const char *me = r->viewer.display_name[0] ? r->viewer.display_name : r->viewer.username;
	return cycle_suggestion_in(r->arena, &w, me, &v->mine, r->viewer.partner_name, &v->partner);
}

/*
 * Renders /cycle. `draft` (the typed side) and `shared_text` (the typed
 * shared text) replace the stored ones when a form was refused.
 */
static void render_cycle(struct request *r, int status, const struct cycle_view *v, const struct problem *p,
                         const struct cycle_side_input *draft, const char *shared_text, bool force_check)
{
	bool solo = r->viewer.partner_id[0] == 0;
	bool editable = cycle_mine_editable(v->state);
	json_t *ctx = json_pack("{s:s, s:b, s:s, s:o}", "state", state_words(v, solo), "solo", solo, "partner_name",
	                        r->viewer.partner_name[0] ? r->viewer.partner_name : "your partner", "feelings",
	                        content_feelings(r->lang));
	/* hearth's own words in the reader's language: the state, and the partner without a name */
	json_object_set_new(ctx, "state", json_string(tr(r->lang, state_words(v, solo))));
	if (!r->viewer.partner_name[0])
		json_object_set_new(ctx, "partner_name", json_string(tr(r->lang, "your partner")));
	if (!solo && editable && (v->check_needed || force_check)) {
		json_object_set_new(ctx, "check", json_true());
		json_object_set_new(ctx, "check_action", json_string("/cycle/safety"));
		json_object_set_new(ctx, "check_heading",
		                    json_string(tr(r->lang, "Before you write, a private check")));
	} else if (editable) {
		const struct store_cycle_side *m = v->has_mine ? &v->mine : NULL;
		json_object_set_new(ctx, "form",
		                    draft ? side_ctx(draft->when_i_feel, draft->i_tend_to, draft->i_long_for)
		                    : m   ? side_ctx(m->when_i_feel, m->i_tend_to, m->i_long_for)
		                          : side_ctx(NULL, NULL, NULL));
		json_object_set_new(ctx, "private_only", json_boolean(v->private_only));
		json_object_set_new(ctx, "can_share", json_boolean(!solo && !v->private_only));
	} else if (v->has_mine) {
		json_object_set_new(ctx, "mine", side_ctx(v->mine.when_i_feel, v->mine.i_tend_to, v->mine.i_long_for));
	}
	json_object_set_new(ctx, "waiting", json_boolean(v->state == CYCLE_WAITING));
	if (v->revealed) {
		json_object_set_new(ctx, "partner",
		                    side_ctx(v->partner.when_i_feel, v->partner.i_tend_to, v->partner.i_long_for));
		json_t *shared = json_pack("{s:s, s:b}", "text", shared_text ? shared_text : v->shared_text,
		                           "suggested", v->shared_suggested);
		if (v->shared_suggested && !shared_text && r->lang != LANG_EN)
			json_object_set_new(shared, "text", json_string(suggestion_in(r, v)));
		if (!v->shared_suggested) {
			bool mine = strcmp(v->shared_by, r->viewer.user_id) == 0;
			json_object_set_new(
			    shared, "by",
			    json_string(mine ? tr_p(r->lang, "changed by", "you") : name_of(r, v->shared_by)));
			json_object_set_new(shared, "when", web_when(r, v->shared_at));
		}
		json_object_set_new(ctx, "shared", shared);
		json_t *history = json_array();
		for (int i = 1; i < v->history_count; i++)
			json_array_append_new(
			    history, json_pack("{s:s, s:o, s:s}", "by", name_of(r, v->history[i].author_id), "when",
			                       web_when(r, v->history[i].created_at), "text", v->history[i].text));
		json_object_set_new(ctx, "history", history);
	}
	if (request_query(r, "saved"))
		json_object_set_new(ctx, "saved", json_true());
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "cycle", tr(r->lang, "Our cycle"), ctx);
}

void web_cycle(struct request *r)
{
	struct cycle_view v;
	struct problem p = {0};
	if (!cycle_load(r->app->store, &r->viewer, r->arena, &v, &p)) {
		web_problem_page(r, &p);
		return;
	}
	render_cycle(r, 200, &v, NULL, NULL, NULL, request_query(r, "check") != NULL);
}

/* Saves my side (action save), and shares it (action share) unless the private check kept it private. */
void web_cycle_save(struct request *r)
{
	struct cycle_side_input in = {request_form(r, "when_i_feel"), request_form(r, "i_tend_to"),
	                              request_form(r, "i_long_for")};
	const char *action = request_form(r, "action");
	struct cycle_view v;
	struct problem p = {0};
	if (!cycle_save_mine(r->app->store, &r->viewer, &in, r->arena, &v, &p)) {
		struct problem lp = {0};
		if (outcome_is_fault(p.outcome) || !cycle_load(r->app->store, &r->viewer, r->arena, &v, &lp)) {
			web_problem_page(r, outcome_is_fault(p.outcome) ? &p : &lp);
			return;
		}
		render_cycle(r, web_status(r, p.outcome), &v, &p, cycle_mine_editable(v.state) ? &in : NULL, NULL,
		             false);
		return;
	}
	bool share = action && strcmp(action, "share") == 0 && r->viewer.partner_id[0] && !v.private_only;
	if (share && !cycle_submit_mine(r->app->store, &r->viewer, r->arena, &v, &p)) {
		if (outcome_is_fault(p.outcome)) {
			web_problem_page(r, &p);
			return;
		}
		render_cycle(r, web_status(r, p.outcome), &v, &p, NULL, NULL, false);
		return;
	}
	reply_redirect(r, share ? "/cycle" : "/cycle?saved=1");
}

void web_cycle_shared(struct request *r)
{
	const char *text = request_form(r, "text");
	struct cycle_view v;
	struct problem p = {0};
	if (cycle_edit_shared(r->app->store, &r->viewer, text, r->arena, &v, &p)) {
		reply_redirect(r, "/cycle?saved=1#shared-heading");
		return;
	}
	struct problem lp = {0};
	if (outcome_is_fault(p.outcome) || !cycle_load(r->app->store, &r->viewer, r->arena, &v, &lp)) {
		web_problem_page(r, outcome_is_fault(p.outcome) ? &p : &lp);
		return;
	}
	render_cycle(r, web_status(r, p.outcome), &v, &p, NULL, text ? text : "", false);
}

/*
 * The private check before writing one's side of the cycle: the same check as
 * a repair's, recorded for the cycle's scope at the moment "cycle". A worrying
 * answer leads to the resources, with a way back to go on privately only.
 */
void web_cycle_check(struct request *r)
{
	bool afraid = request_form(r, "afraid") != NULL, pressured = request_form(r, "pressured") != NULL;
	bool share = request_form(r, "share_with_therapist") != NULL;
	struct problem p = {0};
	if (!safety_check_record_for(r->app->store, &r->viewer, afraid, pressured, share, viewer_scope(&r->viewer),
	                             SAFETY_MOMENT_CYCLE, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, afraid || pressured ? "/safety?checked=1&cycle=1" : "/cycle");
}

void web_came_through(struct request *r)
{
	struct came_through_item *items;
	int count;
	struct problem p = {0};
	if (!came_through_list(r->app->store, &r->viewer, r->arena, &items, &count, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++) {
		const struct came_through_item *it = &items[i];
		json_t *words = json_array();
		for (int k = 0; k < it->word_count; k++)
			json_array_append_new(words, json_pack("{s:s, s:s}", "by", name_of(r, it->words[k].author_id),
			                                       "text", it->words[k].text));
		json_t *next = json_array();
		for (int k = 0; k < it->next_time_count; k++)
			json_array_append_new(next,
			                      json_pack("{s:s, s:s}", "by", name_of(r, it->next_time[k].author_id),
			                                "text", it->next_time[k].text));
		bool repair = it->kind == CAME_THROUGH_REPAIR;
		const char *text = it->text ? it->text
		                   : repair ? tr(r->lang, "A repair (its title was deleted)")
		                            : tr(r->lang, "An agreement (its words were deleted)");
		json_array_append_new(
		    list, json_pack("{s:b, s:s, s:s, s:o, s:o, s:o, s:s}", "repair", repair, "id", it->id, "text", text,
		                    "when", web_when(r, it->at), "words", words, "next_time", next, "href",
		                    repair ? arena_printf(r->arena, "/repairs/%s", it->id) : "/agreements"));
	}
	web_render(r, 200, "came_through", tr(r->lang, "What we came through"),
	           json_pack("{s:o, s:b}", "items", list, "solo", r->viewer.partner_id[0] == 0));
}
