/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * homework.c - API: homework from the couple's therapist (issue 13). The
 * therapist's side under /therapist/spaces/{id}/homework (give, list with
 * each consenting partner's status, remove); the partner's side under
 * /homework (their own list and status: done, not this week). The rules
 * are domain/homework.c's.
 */
#include "../app.h"
#include "../domain/homework.h"
#include "api.h"

/* null for an empty text, else the text. */
static json_t *text_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

/*
 * One assignment: {id, kind, ref, ref_title, text, due_on, for, status, created_at, href}
 * with status {PARTNER_ID: todo|done|not_this_week} for the partners the
 * reader may see; the therapist also gets notes {PARTNER_ID: text}, a partner
 * their own note and the therapist's name (from).
 */
static json_t *homework_json(const struct homework_view *hv, bool for_therapist)
{
	json_t *status = json_object(), *notes = json_object();
	for (int i = 0; i < hv->partners; i++) {
		if (!hv->shown[i])
			continue;
		json_object_set_new(status, hv->partner_ids[i], json_string(homework_status_name(hv->status[i])));
		if (hv->notes[i])
			json_object_set_new(notes, hv->partner_ids[i], json_string(hv->notes[i]));
	}
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:s}", "id", hv->h.id, "kind", hv->h.kind,
	                      "ref", text_or_null(hv->h.ref), "ref_title", text_or_null(hv->ref_title), "text",
	                      text_or_null(hv->h.text), "due_on", text_or_null(hv->h.due_on), "for",
	                      hv->h.for_id[0] ? hv->h.for_id : "both", "status", status, "created_at",
	                      api_time(hv->h.created_at), "href", hv->href);
	if (for_therapist) {
		json_object_set_new(o, "notes", notes);
	} else {
		json_decref(notes);
		json_object_set_new(o, "note",
		                    hv->partners > 0 && hv->notes[0] ? json_string(hv->notes[0]) : json_null());
		json_object_set_new(o, "from", json_pack("{s:s}", "display_name", hv->from_name ? hv->from_name : ""));
	}
	return o;
}

void api_therapist_homework_add(struct request *r)
{
	struct therapist_space ts;
	if (!api_therapist_space(r, &ts))
		return;
	json_t *body = api_body(r);
	if (!body)
		return;
	struct homework_input in = {0};
	bool present;
	struct problem p = {0};
	/* Fields of a wrong type are named with the others (homework_assign goes on collecting). */
	problem_begin(&p);
	(void)api_string(body, "kind", false, &in.kind, &present, &p);
	(void)api_string(body, "ref", true, &in.ref, &present, &p);
	(void)api_string(body, "text", true, &in.text, &present, &p);
	(void)api_string(body, "due_on", true, &in.due_on, &present, &p);
	(void)api_string(body, "for", false, &in.for_who, &present, &p);
	struct homework_view hv;
	if (homework_assign(r->app->store, &r->viewer, &ts, &in, r->arena, &hv, &p))
		reply_json(r, 201, homework_json(&hv, true));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_therapist_homework_list(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	struct homework_view *items;
	int count;
	if (!api_therapist_space(r, &ts))
		return;
	if (!homework_list_for_therapist(r->app->store, &r->viewer, &ts, r->arena, &items, &count, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, homework_json(&items[i], true));
	reply_json(r, 200, api_list(list, NULL));
}

void api_therapist_homework_delete(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	if (!api_therapist_space(r, &ts))
		return;
	if (homework_remove(r->app->store, &r->viewer, &ts, r->path_args[1], &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_homework_list(struct request *r)
{
	struct problem p = {0};
	struct homework_view *items;
	int count;
	if (!homework_list_mine(r->app->store, &r->viewer, r->arena, &items, &count, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, homework_json(&items[i], false));
	reply_json(r, 200, api_list(list, NULL));
}

static void homework_answer(struct request *r, enum homework_status status)
{
	json_t *body = NULL;
	const char *note = NULL;
	bool present;
	struct problem p = {0};
	/* "done" needs no body; "not this week" may carry a note. */
	if (status == HOMEWORK_NOT_THIS_WEEK && r->body.len > 0) {
		body = api_body(r);
		if (!body)
			return;
		if (!api_string(body, "note", true, &note, &present, &p)) {
			api_problem(r, &p);
			json_decref(body);
			return;
		}
	}
	struct homework_view hv;
	if (homework_set(r->app->store, &r->viewer, r->path_args[0], status, note, r->arena, &hv, &p))
		reply_json(r, 200, homework_json(&hv, false));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_homework_done(struct request *r)
{
	homework_answer(r, HOMEWORK_DONE);
}

void api_homework_not_this_week(struct request *r)
{
	homework_answer(r, HOMEWORK_NOT_THIS_WEEK);
}
