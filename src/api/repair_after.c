/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair_after.c - API: the steps after a repair's reveal (issue 14):
 * PUT /repairs/{id}/steps/STEP (a draft), POST .../STEP/submit, and the
 * answers to the partner's heard and my_part. Each answers 200 with the
 * repair as GET /repairs/{id} shows it, `steps` included.
 */
#include <string.h>

#include "../app.h"
#include "../domain/repair_after.h"
#include "api.h"

/* An answer to a step: {answer, note, answered_at}, or null. */
static json_t *answer_json(const struct store_repair_after *row)
{
	if (!row || row->answered_at == 0 || !row->answer)
		return json_null();
	return json_pack("{s:s, s:s?, s:o}", "answer", row->answer, "note", row->answer_note, "answered_at",
	                 api_time(row->answered_at));
}

json_t *api_repair_after_json(const struct repair_after_view *v)
{
	json_t *steps = json_object();
	for (int k = 0; k < REPAIR_AFTER_COUNT; k++) {
		const struct store_repair_after *mine = v->steps[k].mine, *partner = v->steps[k].partner;
		json_t *m = json_null(), *t = json_null();
		if (mine)
			m = json_pack("{s:s, s:b, s:o, s:o, s:o, s:s?}", "text", mine->text, "submitted",
			              mine->submitted_at > 0, "submitted_at",
			              mine->submitted_at ? api_time(mine->submitted_at) : json_null(), "updated_at",
			              api_time(mine->updated_at), "answer", answer_json(mine), "agreement_id",
			              mine->agreement_id[0] ? mine->agreement_id : NULL);
		if (partner)
			t = json_pack("{s:s, s:o}", "text", partner->text, "submitted_at",
			              api_time(partner->submitted_at));
		json_object_set_new(
		    steps, repair_after_defs[k].id,
		    json_pack("{s:o, s:o, s:o}", "mine", m, "partner", t, "answer", answer_json(partner)));
	}
	return steps;
}

/* The repair with its steps, as GET /repairs/{id} answers. */
static void reply_repair(struct request *r, const struct repair_after_view *v)
{
	json_t *body = api_repair_json(&v->repair, r->lang);
	json_object_set_new(body, "steps", api_repair_after_json(v));
	reply_json(r, 200, body);
}

void api_repair_after_put(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *text;
	bool present;
	struct problem p = {0};
	struct repair_after_view view;
	if (api_string(body, "text", true, &text, &present, &p) &&
	    repair_after_save(r->app->store, &r->viewer, r->path_args[0], r->path_args[1], text, r->arena, &view, &p))
		reply_repair(r, &view);
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_repair_after_submit(struct request *r)
{
	struct problem p = {0};
	struct repair_after_view view;
	if (repair_after_submit(r->app->store, &r->viewer, r->path_args[0], r->path_args[1], r->arena, &view, &p))
		reply_repair(r, &view);
	else
		api_problem(r, &p);
}

/* {answer, note?} for the step the route names. */
static void answer(struct request *r, const char *step)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *word, *note;
	bool present;
	struct problem p = {0};
	struct repair_after_view view;
	/* Each field's type and the domain's rules for the answer, all at once; then the domain. */
	problem_begin(&p);
	(void)!api_string(body, "answer", true, &word, &present, &p);
	(void)!api_string(body, "note", true, &note, &present, &p);
	if (repair_after_answer_validate(repair_after_find(step), word, note, &p) &&
	    repair_after_answer(r->app->store, &r->viewer, r->path_args[0], step, word, note, r->arena, &view, &p))
		reply_repair(r, &view);
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_repair_after_answer_heard(struct request *r)
{
	answer(r, "heard");
}

void api_repair_after_answer_my_part(struct request *r)
{
	answer(r, "my_part");
}
