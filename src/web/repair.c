/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair.c - pages: repairs (list, open, write my side, share, acknowledge).
 */
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/content.h"
#include "../domain/repair.h"
#include "web.h"

static const char *state_words(const struct repair_view *v)
{
	if (v->repair.solo)
		return "A private reflection";
	switch (v->state) {
	case REPAIR_RESOLVED:
		return "Resolved: you have both acknowledged each other";
	case REPAIR_REVEALED:
		return "Both sides are open";
	default:
		break;
	}
	bool mine = v->has_mine && v->mine_side.submitted_at > 0;
	if (mine)
		return "Your side is shared; waiting for your partner";
	return v->partner_submitted ? "Your partner has shared their side; yours is still to write"
	                            : "Open: each of you writes your side";
}

void web_repair_list(struct request *r)
{
	struct repair_page page;
	struct problem p = {0};
	const char *before = request_query(r, "before");
	if (!repair_list(r->app->store, &r->viewer, before && *before ? before : NULL, 20, r->arena, &page, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++) {
		const struct repair_view *v = &page.items[i];
		char when[40];
		time_human(v->repair.created_at, when);
		json_array_append_new(items,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s?}", "id", v->repair.id, "title",
		                                v->repair.title ? v->repair.title : "A repair (its title was deleted)",
		                                "state", state_words(v), "when", when, "occurred_on",
		                                v->repair.occurred_on[0] ? v->repair.occurred_on : NULL));
	}
	web_render(r, 200, "repairs", "Repairs", json_pack("{s:o, s:s?}", "repairs", items, "next", page.next_cursor));
}

void web_repair_new_form(struct request *r)
{
	bool ready = request_query(r, "ready") != NULL;
	web_render(r, 200, "repair_new", "Open a repair",
	           json_pack("{s:b, s:o, s:b}", "ready", ready, "guide", content_repair_guide(), "solo",
	                     r->viewer.partner_id[0] == 0));
}

void web_repair_new(struct request *r)
{
	const char *title = request_form(r, "title");
	const char *occurred_on = request_form(r, "occurred_on");
	struct repair_view view;
	struct problem p = {0};
	if (repair_open(r->app->store, &r->viewer, title ? title : "", occurred_on, r->arena, &view, &p)) {
		reply_redirect(r, arena_printf(r->arena, "/repairs/%s", view.repair.id));
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *ctx = json_pack("{s:b, s:o, s:s, s:s, s:b}", "ready", true, "guide", content_repair_guide(), "title",
	                        title ? title : "", "occurred_on", occurred_on ? occurred_on : "", "solo",
	                        r->viewer.partner_id[0] == 0);
	web_add_problem(ctx, &p);
	web_render(r, web_status(r, p.outcome), "repair_new", "Open a repair", ctx);
}

/* One side for the page: feelings as a list of words, texts as they are. */
static json_t *side_ctx(const struct store_repair_side *side, const char *who)
{
	json_t *feelings = repair_side_feelings(side);
	return json_pack("{s:s, s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:b}", "who", who, "feelings", feelings,
	                 "perspective", side->perspective, "touched", side->touched, "my_part", side->my_part,
	                 "next_time", side->next_time, "note", side->ack_note, "acknowledged",
	                 side->acknowledged_at > 0);
}

/* The feelings vocabulary with the chosen words ticked. */
static json_t *feeling_groups(json_t *chosen)
{
	json_t *all = content_feelings();
	json_t *groups = json_array();
	size_t i, k, n = 0;
	json_t *g, *w;
	json_array_foreach(json_object_get(all, "groups"), i, g)
	{
		json_t *words = json_array();
		json_array_foreach(json_object_get(g, "words"), k, w)
		{
			bool on = false;
			size_t c;
			json_t *x;
			json_array_foreach(chosen, c, x)
			{
				on |= json_is_string(x) && strcmp(json_string_value(x), json_string_value(w)) == 0;
			}
			char id[24];
			snprintf(id, sizeof id, "feeling-%zu", n++);
			json_array_append_new(words,
			                      json_pack("{s:O, s:b, s:s}", "word", w, "checked", on, "input_id", id));
		}
		json_array_append_new(groups,
		                      json_pack("{s:O, s:o}", "name", json_object_get(g, "name"), "words", words));
	}
	json_decref(all);
	return groups;
}

/* Renders a repair, with the draft form filled from `draft` (or the stored side). */
static void render_repair(struct request *r, int status, const struct repair_view *v, const struct problem *p,
                          json_t *draft)
{
	bool mine_submitted = v->has_mine && v->mine_side.submitted_at > 0;
	json_t *mine = v->has_mine ? side_ctx(&v->mine_side, "You") : NULL;
	if (!draft)
		draft = mine ? json_deep_copy(mine) : json_pack("{s:[]}", "feelings");
	json_object_set_new(draft, "groups", feeling_groups(json_object_get(draft, "feelings")));
	json_t *ctx =
	    json_pack("{s:s, s:s, s:s?, s:s, s:b, s:b, s:b, s:b, s:b, s:o, s:o, s:o?, s:o?, s:b, s:b}", "id",
	              v->repair.id, "title", v->repair.title ? v->repair.title : "A repair (its title was deleted)",
	              "occurred_on", v->repair.occurred_on[0] ? v->repair.occurred_on : NULL, "state", state_words(v),
	              "solo", v->repair.solo, "writing", !mine_submitted, "waiting",
	              mine_submitted && v->state == REPAIR_OPEN && !v->repair.solo, "revealed", v->state != REPAIR_OPEN,
	              "resolved", v->state == REPAIR_RESOLVED, "guide", content_repair_guide(), "draft", draft, "mine",
	              mine, "partner", v->revealed ? side_ctx(&v->partner_side, r->viewer.partner_name) : NULL,
	              "can_acknowledge", v->state == REPAIR_REVEALED && v->mine_side.acknowledged_at == 0,
	              "partner_submitted", v->partner_submitted);
	if (p)
		web_add_problem(ctx, p);
	web_render(r, status, "repair", v->repair.title ? v->repair.title : "A repair", ctx);
}

void web_repair_show(struct request *r)
{
	struct repair_view view;
	struct problem p = {0};
	if (!repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p)) {
		web_problem_page(r, &p);
		return;
	}
	render_repair(r, 200, &view, NULL, NULL);
}

/* The side as the form sent it. */
static void input_from_form(struct request *r, struct repair_side_input *in, json_t *draft)
{
	memset(in, 0, sizeof *in);
	json_t *words = json_array();
	for (size_t i = 0; i < r->form.count; i++) {
		if (strcmp(r->form.items[i].name, "feelings") == 0 && in->feelings_count < REPAIR_FEELINGS_MAX) {
			in->feelings[in->feelings_count++] = r->form.items[i].value;
			json_array_append_new(words, json_string(r->form.items[i].value));
		}
	}
	in->perspective = request_form(r, "perspective");
	in->touched = request_form(r, "touched");
	in->my_part = request_form(r, "my_part");
	in->next_time = request_form(r, "next_time");
	json_object_set_new(draft, "feelings", words);
	static const char *const texts[] = {"perspective", "touched", "my_part", "next_time"};
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		json_object_set_new(draft, texts[i],
		                    json_string(request_form(r, texts[i]) ? request_form(r, texts[i]) : ""));
}

void web_repair_save(struct request *r)
{
	struct repair_view view;
	struct problem p = {0};
	struct repair_side_input in;
	json_t *draft = json_object();
	input_from_form(r, &in, draft);
	const char *action = request_form(r, "action");
	bool share = action && strcmp(action, "submit") == 0;
	bool ok = repair_save_side(r->app->store, &r->viewer, r->path_args[0], &in, r->arena, &view, &p);
	if (ok && share)
		ok = repair_submit(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p);
	if (ok) {
		json_decref(draft);
		reply_redirect(r, arena_printf(r->arena, "/repairs/%s%s", view.repair.id, share ? "" : "?saved=1"));
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome) ||
	    !repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &(struct problem){0})) {
		json_decref(draft);
		web_problem_page(r, &p);
		return;
	}
	render_repair(r, web_status(r, p.outcome), &view, &p, draft);
}

void web_repair_acknowledge(struct request *r)
{
	struct repair_view view;
	struct problem p = {0};
	if (repair_acknowledge(r->app->store, &r->viewer, r->path_args[0], request_form(r, "note"), r->arena, &view,
	                       &p)) {
		reply_redirect(r, arena_printf(r->arena, "/repairs/%s", view.repair.id));
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome) ||
	    !repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &(struct problem){0})) {
		web_problem_page(r, &p);
		return;
	}
	render_repair(r, web_status(r, p.outcome), &view, &p, NULL);
}
