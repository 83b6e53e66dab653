/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapy_session.c - API (issue 13): the questionnaire results shared with
 * the therapist, the next session's date, and the before-session summary.
 * GET /me's space.next_session_at is written in api/account.c.
 */
#include <stdlib.h>

#include "../app.h"
#include "../domain/date.h"
#include "../domain/page.h"
#include "../domain/therapy_session.h"
#include "api.h"

void api_therapist_questionnaires(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	int limit, count;
	const char *before, *next;
	struct therapist_qresult *items;
	int64_t before_at;
	char before_id[ID_LEN + 1];
	if (!api_therapist_space(r, &ts))
		return;
	if (!api_page_params(r, &limit, &before, &p) || !page_after_or_time(before, &before_at, before_id, &p)) {
		api_problem(r, &p);
		return;
	}
	if (!therapist_questionnaires(r->app->store, &r->viewer, &ts, before_at, before_id, 0, limit, r->arena, &items,
	                              &count, &next, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(list, therapist_qresult_json(&items[i]));
	reply_json(r, 200, api_list(list, next));
}

static json_t *plan_json(const struct store_session_plan *plan)
{
	return json_pack("{s:o, s:o}", "next_session_at", plan->next_at ? api_time(plan->next_at) : json_null(),
	                 "previous_session_at", plan->previous_at ? api_time(plan->previous_at) : json_null());
}

void api_therapist_next_session(struct request *r)
{
	struct therapist_space ts;
	if (!api_therapist_space(r, &ts))
		return;
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *at;
	bool present;
	struct problem p = {0};
	struct store_session_plan plan;
	if (api_string(body, "at", true, &at, &present, &p) &&
	    (present || problem_invalid(&p, "at", "This field is required (a date and time, or null to clear it).")) &&
	    therapy_session_set(r->app->store, &r->viewer, &ts, at, &plan, &p))
		reply_json(r, 200, plan_json(&plan));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_therapist_summary(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	struct store_session_plan plan;
	struct session_period period;
	json_t *out;
	if (!api_therapist_space(r, &ts))
		return;
	int64_t now = now_ms();
	if (!therapy_session_plan(r->app->store, &ts, &plan, &p) ||
	    !therapy_session_period(request_query(r, "from"), request_query(r, "to"), viewer_time_zone(&r->viewer),
	                            therapy_session_last(plan.next_at, plan.previous_at, now), now, &period, &p) ||
	    !therapy_session_summary(r->app->store, &r->viewer, &ts, &period, &plan, r->arena, &out, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_json(r, 200, out);
}
