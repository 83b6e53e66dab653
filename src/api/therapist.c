/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapist.c - API: the couple's therapist (invites, link, consent, what the
 * therapist reads, notes) and the access log both partners read.
 */
#include "../app.h"
#include "../domain/auth.h"
#include "../domain/therapist.h"
#include "../domain/trends.h"
#include "api.h"

void api_therapist_invite(struct request *r)
{
	char code[INVITE_CODE_LEN + 1];
	int64_t expires;
	struct problem p = {0};
	if (therapist_invite(r->app->store, &r->viewer, code, &expires, &p))
		reply_json(r, 201, json_pack("{s:s, s:o}", "code", code, "expires_at", api_time(expires)));
	else
		api_problem(r, &p);
}

void api_therapist_link(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *code;
	bool present;
	struct problem p = {0};
	struct store_space_therapist t;
	if (api_string(body, "code", false, &code, &present, &p) &&
	    (present || problem_invalid(&p, "code", "This field is required.")) &&
	    therapist_link(r->app->store, &r->viewer, code, r->client_addr, &p) &&
	    therapist_of_space(r->app->store, &r->viewer, &t, &p))
		reply_json(r, 200,
		           json_pack("{s:s, s:s, s:b, s:s}", "id", t.therapist_id, "display_name", t.display_name,
		                     "my_consent", true, "consent_state", consent_state_name(CONSENT_GRANTED)));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_therapist_consent(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	bool grant = false, present;
	struct problem p = {0};
	if (api_bool(body, "grant", &grant, &present, &p) &&
	    (present || problem_invalid(&p, "grant", "This field is required (true or false).")) &&
	    therapist_consent(r->app->store, &r->viewer, grant, &p))
		reply_json(r, 200,
		           json_pack("{s:b, s:s}", "my_consent", grant, "consent_state",
		                     consent_state_name(grant ? CONSENT_GRANTED : CONSENT_DECLINED)));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_therapist_unlink(struct request *r)
{
	struct problem p = {0};
	if (therapist_unlink(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

static json_t *space_json(const struct therapist_space *ts)
{
	json_t *partners = json_array();
	for (int i = 0; i < ts->t.members; i++)
		json_array_append_new(partners,
		                      json_pack("{s:s, s:s, s:b, s:s}", "id", ts->t.member_ids[i], "display_name",
		                                ts->t.member_names[i], "consent", ts->t.consent[i], "consent_state",
		                                consent_state_name(ts->t.consent_state[i])));
	return json_pack("{s:s, s:o, s:i, s:o}", "id", ts->space_id, "partners", partners, "new_items", ts->new_items,
	                 "last_visit", ts->last_visit ? api_time(ts->last_visit) : json_null());
}

void api_therapist_spaces(struct request *r)
{
	struct therapist_space *items;
	int count;
	struct problem p = {0};
	if (!therapist_spaces(r->app->store, &r->viewer, r->arena, &items, &count, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, space_json(&items[i]));
	reply_json(r, 200, api_list(list, NULL));
}

bool api_therapist_space(struct request *r, struct therapist_space *ts)
{
	struct problem p = {0};
	if (therapist_space_open(r->app->store, &r->viewer, r->path_args[0], ts, &p))
		return true;
	api_problem(r, &p);
	return false;
}

void api_therapist_checkins(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	int limit;
	const char *before;
	struct store_checkin *items;
	int count;
	char *next;
	if (!api_therapist_space(r, &ts))
		return;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !therapist_checkins(r->app->store, &r->viewer, &ts, before, limit, r->arena, &items, &count, &next, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, api_checkin_json(&items[i]));
	reply_json(r, 200, api_list(list, next));
}

void api_therapist_repairs(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	json_t *items;
	if (!api_therapist_space(r, &ts))
		return;
	if (!therapist_repairs(r->app->store, &r->viewer, &ts, r->arena, &items, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_json(r, 200, api_list(items, NULL));
}

void api_therapist_trends(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	char from[11], to[11];
	json_t *series;
	if (!api_therapist_space(r, &ts))
		return;
	const char *metric = request_query(r, "metric") ? request_query(r, "metric") : "mood";
	if (!trend_range(&r->viewer, request_query(r, "from"), request_query(r, "to"), from, to, &p) ||
	    !therapist_trends(r->app->store, &r->viewer, &ts, metric, from, to, r->arena, &series, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_json(r, 200,
	           json_pack("{s:s, s:s, s:s, s:o}", "metric", metric, "from", from, "to", to, "partners", series));
}

void api_therapist_safety(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	json_t *items;
	if (!api_therapist_space(r, &ts))
		return;
	if (!therapist_safety(r->app->store, &r->viewer, &ts, r->arena, &items, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_json(r, 200, api_list(items, NULL));
}

static json_t *note_json(const struct store_note *n)
{
	return json_pack("{s:s, s:s?, s:o}", "id", n->id, "text", n->text, "created_at", api_time(n->created_at));
}

void api_therapist_note_add(struct request *r)
{
	struct therapist_space ts;
	if (!api_therapist_space(r, &ts))
		return;
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *text;
	bool present;
	struct problem p = {0};
	struct store_note n;
	if (api_string(body, "text", false, &text, &present, &p) &&
	    therapist_note_add(r->app->store, &r->viewer, &ts, text ? text : "", r->arena, &n, &p))
		reply_json(r, 201, note_json(&n));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_therapist_notes(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	int limit, count;
	const char *before;
	struct store_note *items;
	char *next;
	if (!api_therapist_space(r, &ts))
		return;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !therapist_notes(r->app->store, &r->viewer, &ts, before, limit, r->arena, &items, &count, &next, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, note_json(&items[i]));
	reply_json(r, 200, api_list(list, next));
}

void api_access_log(struct request *r)
{
	struct problem p = {0};
	int limit, count;
	const char *before;
	struct store_access *items;
	char *next;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !access_log_list(r->app->store, &r->viewer, before, limit, r->arena, &items, &count, &next, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, json_pack("{s:o, s:s, s:s}", "at", api_time(items[i].at), "who",
		                                      items[i].who_name, "what", items[i].what));
	reply_json(r, 200, api_list(list, next));
}
