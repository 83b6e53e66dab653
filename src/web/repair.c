/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair.c - pages: repairs (list, open, write my side, share, acknowledge).
 *
 * Writing one's side is a stepper (domain/repair_step.h): one step per
 * screen, each its own form that saves the draft and redirects to the next
 * or the previous step, so every step works without JavaScript. The partner
 * who did not open the repair takes the private safety check before the
 * first step, and everyone takes it again before "I have heard you"
 * (domain/safety.h); a worrying answer shows the resources, and the person
 * goes on privately only: nothing is shared or acknowledged from the page,
 * and the partner is told nothing.
 *
 * Layout: the list and opening, the context every screen shares, the
 * stepper, the sides once shared, then the handlers that save.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/content.h"
#include "../domain/date.h"
#include "../domain/repair.h"
#include "../domain/repair_after.h"
#include "../domain/repair_step.h"
#include "../domain/safety.h"
#include "render/time.h"
#include "web.h"

/* The state in English, marked for translation: the caller says it with tr(). */
static const char *state_words(const struct repair_view *v)
{
	if (v->repair.solo)
		return N_("A private reflection");
	switch (v->state) {
	case REPAIR_RESOLVED:
		return N_("Resolved: you have both acknowledged each other");
	case REPAIR_REVEALED:
		return N_("Both sides are open");
	default:
		break;
	}
	bool mine = v->has_mine && v->mine_side.submitted_at > 0;
	if (mine)
		return N_("Your side is shared; waiting for your partner");
	return v->partner_submitted ? N_("Your partner has shared their side; yours is still to write")
	                            : N_("Open: each of you writes your side");
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
		json_array_append_new(
		    items,
		    json_pack("{s:s, s:s, s:s, s:o, s:o?}", "id", v->repair.id, "title",
		              v->repair.title ? v->repair.title : tr(r->lang, "A repair (its title was deleted)"),
		              "state", tr(r->lang, state_words(v)), "when", web_when(r, v->repair.created_at),
		              "occurred_on",
		              v->repair.occurred_on[0] ? web_on(r, v->repair.occurred_on, false) : NULL));
	}
	web_render(r, 200, "repairs", tr(r->lang, "Repairs"),
	           json_pack("{s:o, s:s?}", "repairs", items, "next", page.next_cursor));
}

void web_repair_new_form(struct request *r)
{
	bool ready = request_query(r, "ready") != NULL;
	bool reflection = ready && request_query(r, "private") != NULL;
	web_render(r, 200, "repair_new", tr(r->lang, "Open a repair"),
	           json_pack("{s:b, s:o, s:b, s:b, s:s}", "ready", ready, "guide", content_repair_guide(r->lang),
	                     "solo", r->viewer.partner_id[0] == 0, "reflection", reflection, "check_action",
	                     "/repairs/safety"));
}

void web_repair_new(struct request *r)
{
	const char *title = request_form(r, "title");
	const char *occurred_on = request_form(r, "occurred_on");
	bool reflection = request_form(r, "reflection") != NULL;
	struct repair_view view;
	struct problem p = {0};
	if (repair_open_reflection(r->app->store, &r->viewer, title ? title : "", occurred_on, reflection, r->arena,
	                           &view, &p)) {
		reply_redirect(r, arena_printf(r->arena, "/repairs/%s", view.repair.id));
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *ctx = json_pack("{s:b, s:o, s:s, s:s, s:b, s:b}", "ready", true, "guide", content_repair_guide(r->lang),
	                        "title", title ? title : "", "occurred_on", occurred_on ? occurred_on : "", "solo",
	                        r->viewer.partner_id[0] == 0, "reflection", reflection);
	web_add_problem(r, ctx, &p);
	web_render(r, web_status(r, p.outcome), "repair_new", tr(r->lang, "Open a repair"), ctx);
}

/* ---- what every screen of a repair shows ---- */

static const char *title_of(const struct repair_view *v)
{
	return v->repair.title ? v->repair.title : N_("A repair (its title was deleted)");
}

/* The title for the reader: theirs as written, or the words for a deleted one in the reader's language. */
static const char *title_in(const struct request *r, const struct repair_view *v)
{
	return v->repair.title ? v->repair.title : tr(r->lang, title_of(v));
}

/* The repair's heading and state; the template adds the rest. */
static json_t *base_ctx(const struct request *r, const struct repair_view *v)
{
	return json_pack("{s:s, s:s, s:o?, s:s, s:b, s:o, s:s, s:s}", "id", v->repair.id, "title", title_of(v),
	                 "occurred_on", v->repair.occurred_on[0] ? web_on(r, v->repair.occurred_on, false) : NULL,
	                 "state", state_words(v), "solo", v->repair.solo, "guide", content_repair_guide(r->lang),
	                 "partner_name", r->viewer.partner_name[0] ? r->viewer.partner_name : "Your partner",
	                 "check_action", arena_printf(r->arena, "/repairs/%s/safety", v->repair.id));
}

/* base_ctx with hearth's own words in the reader's language: the state, a deleted title, a partner without a name. */
static json_t *page_ctx(const struct request *r, const struct repair_view *v)
{
	json_t *ctx = base_ctx(r, v);
	json_object_set_new(ctx, "title", json_string(title_in(r, v)));
	json_object_set_new(ctx, "state", json_string(tr(r->lang, state_words(v))));
	if (!r->viewer.partner_name[0])
		json_object_set_new(ctx, "partner_name", json_string(tr(r->lang, "Your partner")));
	return ctx;
}

/* Whether the viewer is the partner who joins a repair the other opened (and so takes the check first). */
static bool joins(const struct request *r, const struct repair_view *v)
{
	return !v->repair.solo && strcmp(v->repair.created_by, r->viewer.user_id) != 0;
}

static bool mine_submitted(const struct repair_view *v)
{
	return v->has_mine && v->mine_side.submitted_at > 0;
}

/* The viewer's latest check for this repair at a moment; false (and *p) on a store failure. */
static bool check_outcome(struct request *r, const struct repair_view *v, const char *moment, enum safety_outcome *out,
                          struct problem *p)
{
	return safety_check_latest(r->app->store, &r->viewer, v->repair.id, moment, out, p);
}

/* ---- the stepper ---- */

/* The guide's entry for a writing step (data/repair-guide.json), or NULL. */
static json_t *guide_step(json_t *guide, const char *id)
{
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(guide, "steps"), i, g)
	{
		if (json_is_string(json_object_get(g, "id")) &&
		    strcmp(json_string_value(json_object_get(g, "id")), id) == 0)
			return g;
	}
	return NULL;
}

static const char *guide_text(json_t *guide, const char *id, const char *key, const char *fallback)
{
	const char *t = json_string_value(json_object_get(guide_step(guide, id), key));
	return t ? t : fallback;
}

/* The feelings vocabulary as groups of chips, the chosen words ticked and named in the group's summary. */
static json_t *feeling_groups(const struct repair_side_input *in, enum lang l, struct arena *a)
{
	json_t *all = content_feelings(l); /* in->feelings are English: each word is ticked by its English one */
	json_t *groups = json_array();
	size_t i, k, n = 0;
	json_t *g, *w;
	json_array_foreach(json_object_get(all, "groups"), i, g)
	{
		json_t *words = json_array();
		char *chosen = NULL;
		json_array_foreach(json_object_get(g, "words"), k, w)
		{
			bool on = false;
			for (int c = 0; c < in->feelings_count && json_is_string(w); c++)
				on |= strcmp(content_feeling_word(in->feelings[c], l), json_string_value(w)) == 0;
			if (on)
				chosen = chosen ? arena_printf(a, "%s, %s", chosen, json_string_value(w))
				                : arena_strdup(a, json_string_value(w));
			char id[24];
			snprintf(id, sizeof id, "feeling-%zu", n++);
			json_array_append_new(words,
			                      json_pack("{s:O, s:b, s:s}", "word", w, "checked", on, "input_id", id));
		}
		json_array_append_new(groups, json_pack("{s:O, s:o, s:s?}", "name", json_object_get(g, "name"), "words",
		                                        words, "chosen", chosen));
	}
	json_decref(all);
	return groups;
}

static const char *input_text(const struct repair_side_input *in, int step)
{
	return *(const char *const *)(const void *)((const char *)in + repair_steps[step].text);
}

/* The whole side, step by step, for the review: what each says, and a link to change it. */
static json_t *review_items(const struct repair_side_input *in, json_t *guide, const char *repair_id, enum lang l)
{
	json_t *items = json_array();
	for (int i = 0; i < REPAIR_STEP_COUNT; i++) {
		const struct repair_step *st = &repair_steps[i];
		if (st->kind == REPAIR_STEP_REVIEW)
			continue;
		json_t *item = json_pack("{s:s, s:s, s:s}", "title", guide_text(guide, st->id, "title", st->id), "id",
		                         repair_id, "step", st->id);
		if (st->kind == REPAIR_STEP_FEELINGS) {
			json_t *words = json_array();
			for (int c = 0; c < in->feelings_count; c++)
				json_array_append_new(words, json_string(content_feeling_word(in->feelings[c], l)));
			json_object_set_new(item, "feelings", words);
			if (in->feelings_count == 0)
				json_object_set_new(item, "empty", json_string(tr(l, "None chosen yet")));
		} else {
			const char *t = input_text(in, i);
			if (t && *t)
				json_object_set_new(item, "text", json_string(t));
			else
				json_object_set_new(item, "empty", json_string(tr(l, "Nothing written yet")));
		}
		json_array_append_new(items, item);
	}
	return items;
}

/* "Draft saved at 20:14": the time in the reader's own zone (labelled when it is UTC), the day when not today. */
static json_t *saved_ctx(const struct request *r, int64_t at)
{
	const char *tz = time_zone_valid(viewer_time_zone(&r->viewer)) ? viewer_time_zone(&r->viewer) : "UTC";
	char day[11], clock[6], today[11], today_clock[6], iso[32];
	date_local_clock(tz, at, day, clock);
	date_local_clock(tz, now_ms(), today, today_clock);
	time_rfc3339(at, iso);
	char words[TIME_WORDS_MAX] = "";
	if (strcmp(day, today) != 0)
		time_date_label(r->lang, day, false, words);
	return json_pack("{s:s, s:s, s:s?, s:b}", "datetime", iso, "clock", clock, "day", words[0] ? words : NULL,
	                 "utc", strcmp(tz, "UTC") == 0);
}

/*
 * Renders writing step `i` with `draft` (the stored side, or what the form
 * sent when saving it failed) and the problem, if any.
 */
static void render_step(struct request *r, int status, const struct repair_view *v, int i,
                        const struct repair_side_input *draft, const struct problem *p, bool private_only)
{
	assert(i >= 0 && i < REPAIR_STEP_COUNT);
	const struct repair_step *st = &repair_steps[i];
	json_t *ctx = page_ctx(r, v);
	json_t *guide = json_object_get(ctx, "guide");
	const char *step_title = st->kind == REPAIR_STEP_REVIEW ? tr(r->lang, "Read it through")
	                                                        : guide_text(guide, st->id, "title", st->id);
	json_t *step =
	    json_pack("{s:s, s:i, s:i, s:s, s:s, s:b, s:b, s:b, s:b, s:i}", "name", st->id, "number", i + 1, "count",
	              REPAIR_STEP_COUNT, "title", step_title, "guidance", guide_text(guide, st->id, "guidance", ""),
	              "first", i == 0, "is_feelings", st->kind == REPAIR_STEP_FEELINGS, "is_text",
	              st->kind == REPAIR_STEP_TEXT, "is_review", st->kind == REPAIR_STEP_REVIEW, "rows", st->rows);
	if (st->kind == REPAIR_STEP_TEXT) {
		const char *t = input_text(draft, i);
		json_object_set_new(step, "value", json_string(t ? t : ""));
		json_object_set_new(step, "optional", json_boolean(strcmp(st->id, "perspective") != 0));
		if (p && p->field && strcmp(p->field, st->id) == 0)
			json_object_set_new(step, "error", json_string(tr(r->lang, p->message)));
	}
	json_object_set_new(ctx, "step", step);
	json_t *progress = json_array();
	for (int k = 0; k < REPAIR_STEP_COUNT; k++)
		json_array_append_new(progress, json_pack("{s:s}", "class",
		                                          k < i    ? "before"
		                                          : k == i ? "current"
		                                                   : "after"));
	json_object_set_new(ctx, "progress", progress);
	if (st->kind == REPAIR_STEP_FEELINGS)
		json_object_set_new(ctx, "groups", feeling_groups(draft, r->lang, r->arena));
	if (st->kind == REPAIR_STEP_REVIEW)
		json_object_set_new(ctx, "review_items", review_items(draft, guide, v->repair.id, r->lang));
	if (v->has_mine)
		json_object_set_new(ctx, "saved", saved_ctx(r, v->mine_side.updated_at));
	json_object_set_new(ctx, "private_only", json_boolean(private_only));
	json_object_set_new(ctx, "partner_submitted", json_boolean(v->partner_submitted));
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "repair_step",
	           arena_printf(r->arena, tr(r->lang, "%s · step %d of %d"), title_in(r, v), i + 1, REPAIR_STEP_COUNT),
	           ctx);
}

/* The private check before the joining partner writes. */
static void render_join_check(struct request *r, const struct repair_view *v)
{
	json_t *ctx = page_ctx(r, v);
	json_object_set_new(ctx, "check", json_true());
	web_render(r, 200, "repair_step", title_in(r, v), ctx);
}

/* ---- the sides, once mine is shared ---- */

/*
 * One side for the page; `heard_by` (the other person's name, "You" or NULL)
 * and `ack` (the other person's side, which holds their acknowledgement of
 * this one) put the acknowledgement note under the side it answers.
 */
static json_t *side_ctx(const struct store_repair_side *side, const char *who, const char *key,
                        const struct store_repair_side *ack, const char *heard_by, enum lang l, struct arena *a)
{
	json_t *feelings = content_feelings_say(repair_side_feelings(side), l);
	json_t *heard = NULL;
	if (ack && heard_by && ack->acknowledged_at > 0)
		heard = json_pack("{s:s, s:s, s:s?}", "by", heard_by, "words",
		                  strcmp(key, "mine") == 0 ? arena_printf(a, tr(l, "%s has heard you."), heard_by)
		                                           : arena_printf(a, tr(l, "You have heard %s."), who),
		                  "note", ack->ack_note);
	return json_pack("{s:s, s:s, s:o, s:s?, s:s?, s:s?, s:s?, s:o?}", "who", who, "key", key, "feelings", feelings,
	                 "perspective", side->perspective, "touched", side->touched, "my_part", side->my_part,
	                 "next_time", side->next_time, "heard", heard);
}

/* The shared side(s); `note` keeps what was typed for an acknowledgement that failed. */
static void render_sides(struct request *r, int status, const struct repair_view *v, const struct problem *p,
                         const char *note, bool force_check)
{
	json_t *ctx = page_ctx(r, v);
	const char *partner = json_string_value(json_object_get(ctx, "partner_name"));
	if (v->has_mine)
		json_object_set_new(ctx, "mine",
		                    side_ctx(&v->mine_side, tr(r->lang, "You"), "mine",
		                             v->revealed ? &v->partner_side : NULL, partner, r->lang, r->arena));
	if (v->revealed)
		json_object_set_new(ctx, "partner",
		                    side_ctx(&v->partner_side, partner, "partner", &v->mine_side, tr(r->lang, "You"),
		                             r->lang, r->arena));
	json_object_set_new(ctx, "waiting",
	                    json_boolean(mine_submitted(v) && v->state == REPAIR_OPEN && !v->repair.solo));
	json_object_set_new(ctx, "revealed", json_boolean(v->state != REPAIR_OPEN));
	json_object_set_new(ctx, "resolved", json_boolean(v->state == REPAIR_RESOLVED));
	if (v->state == REPAIR_REVEALED && v->mine_side.acknowledged_at == 0) {
		enum safety_outcome heard = SAFETY_NONE;
		struct problem cp = {0};
		if (!check_outcome(r, v, SAFETY_MOMENT_HEARD, &heard, &cp)) {
			json_decref(ctx);
			web_problem_page(r, &cp);
			return;
		}
		const char *key = force_check || heard == SAFETY_NONE ? "ack_check"
		                  : heard == SAFETY_WORRYING          ? "ack_private"
		                                                      : "can_acknowledge";
		json_object_set_new(ctx, key, json_true());
		json_object_set_new(ctx, "check_heading",
		                    json_string(tr(r->lang, "Before you answer, a private check")));
	}
	json_object_set_new(ctx, "note", json_string(note ? note : ""));
	/* Issue 14: once both sides are open (a reflection: once finished), the steps after, as places to go. */
	if (v->state != REPAIR_OPEN || (v->repair.solo && mine_submitted(v))) {
		json_t *after = json_array();
		for (int k = 0; k < REPAIR_AFTER_COUNT; k++)
			json_array_append_new(after,
			                      json_pack("{s:s, s:s, s:i}", "step", repair_after_defs[k].id, "title",
			                                tr(r->lang, repair_after_defs[k].title), "number", k + 1));
		json_object_set_new(ctx, "after_steps", after);
	}
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "repair", title_in(r, v), ctx);
}

void web_repair_show(struct request *r)
{
	struct repair_view view;
	struct problem p = {0};
	if (!repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p)) {
		web_problem_page(r, &p);
		return;
	}
	const char *step = request_query(r, "step");
	bool check = step && strcmp(step, "check") == 0;
	if (mine_submitted(&view)) {
		render_sides(r, 200, &view, NULL, NULL, check);
		return;
	}
	enum safety_outcome join = SAFETY_CLEAR;
	if (joins(r, &view) && !check_outcome(r, &view, SAFETY_MOMENT_JOIN, &join, &p)) {
		web_problem_page(r, &p);
		return;
	}
	if (joins(r, &view) && (check || join == SAFETY_NONE)) {
		render_join_check(r, &view);
		return;
	}
	struct repair_side_input in = {0};
	if (view.has_mine)
		repair_side_input_read(&view.mine_side, r->arena, &in);
	int i = repair_step_find(step);
	render_step(r, 200, &view, i < 0 ? 0 : i, &in, NULL, join == SAFETY_WORRYING);
}

/* ---- saving ---- */

/* The side as the form sent it (only the fields it holds). */
static void input_from_form(struct request *r, struct repair_side_input *in)
{
	memset(in, 0, sizeof *in);
	for (size_t i = 0; i < r->form.count; i++) {
		if (strcmp(r->form.items[i].name, "feelings") == 0 && in->feelings_count < REPAIR_FEELINGS_MAX) {
			const char *english = content_feeling_english(r->form.items[i].value, r->lang); /* stored so */
			in->feelings[in->feelings_count++] = english ? english : r->form.items[i].value;
		}
	}
	in->perspective = request_form(r, "perspective");
	in->touched = request_form(r, "touched");
	in->my_part = request_form(r, "my_part");
	in->next_time = request_form(r, "next_time");
}

/* After a failed save or share: the page for the problem, or the step its field belongs to, with what was typed. */
static void save_failed(struct request *r, struct repair_view *view, const struct problem *p, int step,
                        const struct repair_side_input *draft, bool private_only)
{
	if (p->outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p->outcome) ||
	    !repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, view, &(struct problem){0})) {
		web_problem_page(r, p);
		return;
	}
	if (mine_submitted(view)) {
		render_sides(r, web_status(r, p->outcome), view, p, NULL, false);
		return;
	}
	if (step < 0 || repair_steps[step].kind == REPAIR_STEP_REVIEW || p->field)
		step = repair_step_of_field(p->field);
	render_step(r, web_status(r, p->outcome), view, step, draft, p, private_only);
}

/*
 * One step's form (with `step`), or the whole side at once (without: the
 * older one-page form, still accepted). action: next, back, save, or share
 * (also "submit"). Saving overlays the step's field on the stored draft.
 */
void web_repair_save(struct request *r)
{
	struct repair_view view;
	struct problem p = {0};
	if (!repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p)) {
		web_problem_page(r, &p);
		return;
	}
	const char *action = request_form(r, "action");
	action = action ? action : "save";
	int step = repair_step_find(request_form(r, "step"));
	struct repair_side_input form, draft = {0};
	input_from_form(r, &form);
	if (step < 0) {
		draft = form;
	} else {
		if (view.has_mine)
			repair_side_input_read(&view.mine_side, r->arena, &draft);
		repair_step_merge(step, &form, &draft);
	}
	enum safety_outcome join = SAFETY_CLEAR;
	if (!mine_submitted(&view) && joins(r, &view) && !check_outcome(r, &view, SAFETY_MOMENT_JOIN, &join, &p)) {
		web_problem_page(r, &p);
		return;
	}
	bool private_only = join == SAFETY_WORRYING;
	bool share = !private_only && (strcmp(action, "share") == 0 || strcmp(action, "submit") == 0);
	if (!repair_save_side(r->app->store, &r->viewer, view.repair.id, &draft, r->arena, &view, &p) ||
	    (share && !repair_submit(r->app->store, &r->viewer, view.repair.id, r->arena, &view, &p))) {
		save_failed(r, &view, &p, step, &draft, private_only);
		return;
	}
	const char *to;
	if (share)
		to = "";
	else if (step < 0)
		to = "?saved=1";
	else if (strcmp(action, "next") == 0 && step + 1 < REPAIR_STEP_COUNT)
		to = arena_printf(r->arena, "?step=%s", repair_steps[step + 1].id);
	else if (strcmp(action, "back") == 0 && step > 0)
		to = arena_printf(r->arena, "?step=%s", repair_steps[step - 1].id);
	else
		to = arena_printf(r->arena, "?step=%s&saved=1", repair_steps[step].id);
	reply_redirect(r, arena_printf(r->arena, "/repairs/%s%s", view.repair.id, to));
}

/*
 * The private check for a repair: before the joining partner writes, or
 * before "I have heard you". A worrying answer leads to the resources, with
 * a way back to go on privately; the partner is told nothing either way.
 */
void web_repair_check(struct request *r)
{
	struct repair_view view;
	struct problem p = {0};
	if (!repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p)) {
		web_problem_page(r, &p);
		return;
	}
	const char *moment = NULL;
	/* Issue 14: the same check guards the steps after the reveal, also once acknowledged (`next` is the step). */
	int next = repair_after_find(request_query(r, "next"));
	if ((view.state == REPAIR_REVEALED && view.mine_side.acknowledged_at == 0) ||
	    (view.state != REPAIR_OPEN && next >= 0))
		moment = SAFETY_MOMENT_HEARD;
	else if (view.state == REPAIR_OPEN && !mine_submitted(&view) && joins(r, &view))
		moment = SAFETY_MOMENT_JOIN;
	const char *back = next >= 0 && moment ? arena_printf(r->arena, "/repairs/%s/steps/%s", view.repair.id,
	                                                      repair_after_defs[next].id)
	                                       : arena_printf(r->arena, "/repairs/%s", view.repair.id);
	if (!moment) {
		reply_redirect(r, back);
		return;
	}
	bool afraid = request_form(r, "afraid") != NULL, pressured = request_form(r, "pressured") != NULL;
	bool share = request_form(r, "share_with_therapist") != NULL;
	if (!safety_check_record_for(r->app->store, &r->viewer, afraid, pressured, share, view.repair.id, moment, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, afraid || pressured ? arena_printf(r->arena, "/safety?checked=1&repair=%s", view.repair.id)
	                                      : back);
}

void web_repair_acknowledge(struct request *r)
{
	struct repair_view view;
	struct problem p = {0};
	if (!repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p)) {
		web_problem_page(r, &p);
		return;
	}
	/* From the page, "I have heard you" follows a check that was not worrying; else back to the repair. */
	enum safety_outcome heard = SAFETY_CLEAR;
	if (view.state == REPAIR_REVEALED && view.mine_side.acknowledged_at == 0 &&
	    !check_outcome(r, &view, SAFETY_MOMENT_HEARD, &heard, &p)) {
		web_problem_page(r, &p);
		return;
	}
	const char *note = request_form(r, "note");
	if (heard == SAFETY_CLEAR &&
	    repair_acknowledge(r->app->store, &r->viewer, view.repair.id, note, r->arena, &view, &p)) {
		reply_redirect(r, arena_printf(r->arena, "/repairs/%s", view.repair.id));
		return;
	}
	if (heard != SAFETY_CLEAR) {
		reply_redirect(r, arena_printf(r->arena, "/repairs/%s", view.repair.id));
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome) ||
	    !repair_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &(struct problem){0})) {
		web_problem_page(r, &p);
		return;
	}
	render_sides(r, web_status(r, p.outcome), &view, &p, note, false);
}

const char *web_repair_state_words(enum lang l, const char *state)
{
	if (!state)
		return "";
	if (strcmp(state, "open") == 0)
		return tr_p(l, "repair state", "open");
	if (strcmp(state, "revealed") == 0)
		return tr_p(l, "repair state", "revealed");
	if (strcmp(state, "resolved") == 0)
		return tr_p(l, "repair state", "resolved");
	return state;
}

void web_repair_states_in_words(struct request *r, json_t *repairs)
{
	size_t i;
	json_t *one;
	json_array_foreach(repairs, i, one)
	{
		const char *state = json_string_value(json_object_get(one, "state"));
		json_object_set_new(one, "state_words", json_string(web_repair_state_words(r->lang, state)));
	}
}
