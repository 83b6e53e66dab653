/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair_after.c - pages: the steps after a repair's reveal (issue 14; the
 * rules are domain/repair_after.h). One step per screen, like the writing
 * stepper (web/repair.c): /repairs/ID/steps/STEP shows the viewer's own
 * text of the step (a form while it is a draft), and the partner's, once
 * shared, with the answers they may give. Every form works without
 * JavaScript and keeps what was typed when it is refused.
 *
 * The private safety check guards these steps as it guards "I have heard
 * you": the person's latest check of that moment (domain/safety.h) decides.
 * Without one, the screen asks it first; after a worrying one, the person
 * may write and keep drafts, and read what the partner shared, but nothing
 * is shared or answered from the page, and the partner is told nothing.
 * A solo repair (a private reflection) asks no check: nobody else reads it.
 *
 * Layout: the screen, then the handlers that save.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/repair_after.h"
#include "../domain/safety.h"
#include "web.h"

static const char *title_of(const struct request *r, const struct repair_after_view *v)
{
	return v->repair.repair.title ? v->repair.repair.title : tr(r->lang, "A repair (its title was deleted)");
}

static const char *partner_name(const struct request *r)
{
	return r->viewer.partner_name[0] ? r->viewer.partner_name : tr(r->lang, "Your partner");
}

/* The safety check's outcome for the steps: clear for a solo repair, else the latest check before "heard". */
static bool check_of(struct request *r, const struct repair_after_view *v, enum safety_outcome *out, struct problem *p)
{
	*out = SAFETY_CLEAR;
	if (v->repair.repair.solo)
		return true;
	return safety_check_latest(r->app->store, &r->viewer, v->repair.repair.id, SAFETY_MOMENT_HEARD, out, p);
}

/* An answer for a template: {label, note?, when}. */
static json_t *answer_ctx(const struct request *r, int k, const struct store_repair_after *row)
{
	if (!row || row->answered_at == 0 || !row->answer)
		return NULL;
	return json_pack("{s:s, s:s?, s:o}", "label", tr(r->lang, repair_after_answer_label(k, row->answer)), "note",
	                 row->answer_note, "when", web_when(r, row->answered_at));
}

/* The answer choices for the partner's step k; `chosen` ticks one (what was sent, or the answer given). */
static json_t *choices_ctx(enum lang l, int k, const char *chosen)
{
	const struct repair_after_def *d = &repair_after_defs[k];
	json_t *list = json_array();
	for (int i = 0; i < d->answer_count; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "value", d->answers[i], "label",
		                                      tr(l, d->answer_labels[i]), "input_id", d->answers[i], "checked",
		                                      chosen && strcmp(chosen, d->answers[i]) == 0));
	return list;
}

/* What a refused form sent, to show again. */
struct kept {
	const char *text;          /* the draft's text */
	const char *answer, *note; /* an answer to the partner's step */
};

/*
 * Renders step k of the view. `check` forces the private check first (asked
 * for again); `kept` is what a refused form sent; p its problem.
 */
static void render(struct request *r, int status, const struct repair_after_view *v, int k, bool check,
                   const struct kept *kept, const struct problem *p)
{
	assert(k >= 0 && k < REPAIR_AFTER_COUNT);
	const struct repair_after_def *d = &repair_after_defs[k];
	const struct repair_after_entry *e = &v->steps[k];
	enum safety_outcome safety;
	struct problem cp = {0};
	if (!check_of(r, v, &safety, &cp)) {
		web_problem_page(r, &cp);
		return;
	}
	const char *id = v->repair.repair.id;
	const char *name = partner_name(r);
	json_t *ctx = json_pack("{s:s, s:s, s:b, s:s}", "id", id, "title", title_of(r, v), "solo",
	                        v->repair.repair.solo, "partner_name", name);
	if ((check && !v->repair.repair.solo) || safety == SAFETY_NONE) {
		json_object_set_new(ctx, "check", json_true());
		json_object_set_new(ctx, "check_heading",
		                    json_string(tr(r->lang, "Before you go on, a private check")));
		json_object_set_new(ctx, "check_action",
		                    json_string(arena_printf(r->arena, "/repairs/%s/safety?next=%s", id, d->id)));
		web_render(r, 200, "repair_after", title_of(r, v), ctx);
		return;
	}
	bool private_only = safety == SAFETY_WORRYING;
	json_t *progress = json_array();
	for (int i = 0; i < REPAIR_AFTER_COUNT; i++)
		json_array_append_new(progress, json_pack("{s:s}", "class",
		                                          i < k    ? "before"
		                                          : i == k ? "current"
		                                                   : "after"));
	json_t *step =
	    json_pack("{s:s, s:i, s:i, s:s, s:s, s:i, s:b}", "name", d->id, "number", k + 1, "count",
	              REPAIR_AFTER_COUNT, "title", tr(r->lang, d->title), "guidance", tr(r->lang, d->guidance), "rows",
	              d->rows, "is_next_time", k == REPAIR_AFTER_NEXT_TIME);
	if (k > 0)
		json_object_set_new(step, "back", json_string(repair_after_defs[k - 1].id));
	if (k + 1 < REPAIR_AFTER_COUNT) {
		json_object_set_new(step, "next", json_string(repair_after_defs[k + 1].id));
		json_object_set_new(step, "next_title", json_string(tr(r->lang, repair_after_defs[k + 1].title)));
	}
	json_object_set_new(ctx, "step", step);
	json_object_set_new(ctx, "progress", progress);
	json_object_set_new(ctx, "private_only", json_boolean(private_only));
	if (e->mine && e->mine->submitted_at > 0) {
		json_t *mine =
		    json_pack("{s:s, s:o}", "text", e->mine->text, "when", web_when(r, e->mine->submitted_at));
		json_t *ans = answer_ctx(r, k, e->mine);
		if (ans)
			json_object_set_new(mine, "answer", ans);
		if (e->mine->agreement_id[0])
			json_object_set_new(mine, "agreement", json_true());
		else if (k == REPAIR_AFTER_NEXT_TIME && !v->repair.repair.solo && !private_only)
			json_object_set_new(mine, "can_propose", json_true());
		json_object_set_new(ctx, "shared", mine);
	} else {
		const char *text = kept && kept->text ? kept->text : e->mine ? e->mine->text : "";
		json_t *draft = json_pack("{s:s}", "value", text);
		if (e->mine)
			json_object_set_new(draft, "saved", web_when(r, e->mine->updated_at));
		if (p && p->field && strcmp(p->field, "text") == 0)
			json_object_set_new(draft, "error", json_string(tr(r->lang, p->message)));
		json_object_set_new(ctx, "draft", draft);
	}
	if (e->partner) {
		const char *chosen = kept && kept->answer ? kept->answer : e->partner->answer;
		json_t *theirs = json_pack("{s:s, s:s, s:o, s:b}", "heading",
		                           arena_printf(r->arena, tr(r->lang, d->partner_title), name), "text",
		                           e->partner->text, "when", web_when(r, e->partner->submitted_at),
		                           "can_answer", d->answer_count > 0 && !private_only);
		json_t *ans = answer_ctx(r, k, e->partner);
		if (ans)
			json_object_set_new(theirs, "answer", ans);
		if (d->answer_count > 0) {
			json_object_set_new(theirs, "choices", choices_ctx(r->lang, k, chosen));
			const char *note = kept && kept->note ? kept->note : e->partner->answer_note;
			json_object_set_new(theirs, "note", json_string(note ? note : ""));
			if (d->note_needed_for)
				json_object_set_new(
				    theirs, "note_hint",
				    json_string(tr(r->lang, "If you choose “What I still need is…”, write it here.")));
		}
		json_object_set_new(ctx, "partner", theirs);
	}
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "repair_after",
	           arena_printf(r->arena, tr(r->lang, "%s · step %d of %d"), title_of(r, v), k + 1, REPAIR_AFTER_COUNT),
	           ctx);
}

/* Loads the repair and the step of the path; false after answering with a page (404, or back to the repair). */
static bool load(struct request *r, struct repair_after_view *v, int *k)
{
	struct problem p = {0};
	if (!repair_after_load(r->app->store, &r->viewer, r->path_args[0], r->arena, v, &p)) {
		web_problem_page(r, &p);
		return false;
	}
	*k = repair_after_find(r->path_args[1]);
	if (*k < 0) {
		web_problem_page(r, &(struct problem){.outcome = OUTCOME_NOT_FOUND,
		                                      .code = "not_found",
		                                      .message = N_("There is no such step.")});
		return false;
	}
	if (!v->open) {
		reply_redirect(r, arena_printf(r->arena, "/repairs/%s", v->repair.repair.id));
		return false;
	}
	return true;
}

void web_repair_after_show(struct request *r)
{
	struct repair_after_view v;
	int k;
	if (!load(r, &v, &k))
		return;
	render(r, 200, &v, k, request_query(r, "check") != NULL, NULL, NULL);
}

/* After a refused form: the page for our faults and unknown things, else the step again with what was typed. */
static void refused(struct request *r, struct repair_after_view *v, int k, const struct kept *kept,
                    const struct problem *p)
{
	if (p->outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p->outcome) ||
	    !repair_after_load(r->app->store, &r->viewer, r->path_args[0], r->arena, v, &(struct problem){0})) {
		web_problem_page(r, p);
		return;
	}
	render(r, web_status(r, p->outcome), v, k, false, kept, p);
}

/*
 * The viewer's own step: action save (keep the draft), share (solo: keep it
 * as finished), or next/back (save what was written, if anything, and move).
 * After a worrying check nothing is shared: share saves the draft only.
 */
void web_repair_after_save(struct request *r)
{
	struct repair_after_view v;
	int k;
	if (!load(r, &v, &k))
		return;
	const char *id = v.repair.repair.id, *step = repair_after_defs[k].id;
	const char *action = request_form(r, "action") ? request_form(r, "action") : "save";
	const char *text = request_form(r, "text");
	struct kept kept = {.text = text};
	struct problem p = {0};
	enum safety_outcome safety;
	if (!check_of(r, &v, &safety, &p)) {
		web_problem_page(r, &p);
		return;
	}
	bool move = strcmp(action, "next") == 0 || strcmp(action, "back") == 0;
	bool shared = v.steps[k].mine && v.steps[k].mine->submitted_at > 0;
	bool write = !shared && !(move && (!text || text_blank(text)));
	bool share = strcmp(action, "share") == 0 && safety == SAFETY_CLEAR;
	if ((write && !repair_after_save(r->app->store, &r->viewer, id, step, text, r->arena, &v, &p)) ||
	    (share && !repair_after_submit(r->app->store, &r->viewer, id, step, r->arena, &v, &p))) {
		refused(r, &v, k, &kept, &p);
		return;
	}
	const char *to;
	if (strcmp(action, "next") == 0 && k + 1 < REPAIR_AFTER_COUNT)
		to = arena_printf(r->arena, "/repairs/%s/steps/%s", id, repair_after_defs[k + 1].id);
	else if (strcmp(action, "back") == 0 && k > 0)
		to = arena_printf(r->arena, "/repairs/%s/steps/%s", id, repair_after_defs[k - 1].id);
	else
		to = arena_printf(r->arena, "/repairs/%s/steps/%s%s", id, step, share ? "" : "?saved=1");
	reply_redirect(r, to);
}

/* The answer to the partner's shared step; after a worrying check, back to the step without answering. */
void web_repair_after_answer(struct request *r)
{
	struct repair_after_view v;
	int k;
	if (!load(r, &v, &k))
		return;
	const char *id = v.repair.repair.id, *step = repair_after_defs[k].id;
	struct kept kept = {.answer = request_form(r, "answer"), .note = request_form(r, "note")};
	struct problem p = {0};
	enum safety_outcome safety;
	if (!check_of(r, &v, &safety, &p)) {
		web_problem_page(r, &p);
		return;
	}
	if (safety == SAFETY_CLEAR &&
	    !repair_after_answer(r->app->store, &r->viewer, id, step, kept.answer, kept.note, r->arena, &v, &p)) {
		refused(r, &v, k, &kept, &p);
		return;
	}
	reply_redirect(r, arena_printf(r->arena, "/repairs/%s/steps/%s", id, step));
}

/* My shared next_time as an agreement proposal of the repair; then the agreements, where it waits. */
void web_repair_after_propose(struct request *r)
{
	struct repair_after_view v;
	int k;
	if (!load(r, &v, &k))
		return;
	struct problem p = {0};
	enum safety_outcome safety;
	if (!check_of(r, &v, &safety, &p)) {
		web_problem_page(r, &p);
		return;
	}
	struct agreement_view g;
	if (safety != SAFETY_CLEAR) {
		reply_redirect(
		    r, arena_printf(r->arena, "/repairs/%s/steps/%s", v.repair.repair.id, repair_after_defs[k].id));
		return;
	}
	if (!repair_after_propose(r->app->store, &r->viewer, v.repair.repair.id, r->arena, &v, &g, &p)) {
		refused(r, &v, k, NULL, &p);
		return;
	}
	reply_redirect(r, "/agreements");
}
