/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * break.c - API: a break with a promise to return (issue 14). POST /breaks
 * starts the caller's, GET /breaks/current answers the caller's running break
 * or else their partner's, DELETE /breaks/current ends the caller's own. No
 * route lets anyone end, change or hurry someone else's break.
 */
#include "../app.h"
#include "../domain/break.h"
#include "api.h"

/* {id, until, note, mine, who, started_at}: the note is written for the partner, so both read it. */
static json_t *break_json(const struct break_view *b)
{
	return json_pack("{s:s, s:o, s:s?, s:b, s:s, s:o}", "id", b->b.id, "until", api_time(b->b.until_at), "note",
	                 b->b.note, "mine", b->mine, "who", b->who ? b->who : "", "started_at",
	                 api_time(b->b.started_at));
}

/* {minutes 20..1440, note?} → 201; 409 break_running while one of the caller's runs. */
void api_break_start(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *note = NULL;
	int minutes = 0;
	bool present;
	struct problem p = {0};
	struct break_view view;
	/* a wrong type in either field is named with the other's fault */
	problem_begin(&p);
	(void)!api_int(body, "minutes", &minutes, &present, &p);
	(void)!api_string(body, "note", true, &note, &present, &p);
	if (break_input_check(minutes, note, &p) &&
	    break_start(r->app->store, &r->viewer, minutes, note, r->arena, &view, &p))
		reply_json(r, 201, break_json(&view));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_break_current(struct request *r)
{
	struct problem p = {0};
	struct break_view view;
	if (break_current(r->app->store, &r->viewer, r->arena, &view, &p))
		reply_json(r, 200, break_json(&view));
	else
		api_problem(r, &p);
}

/* Ends the caller's own break (also one whose time has come); 404 when they have none. */
void api_break_end(struct request *r)
{
	struct problem p = {0};
	if (break_end(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}
