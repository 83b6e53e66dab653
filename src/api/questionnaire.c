/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.c - API: the questionnaires, and the viewer's responses.
 */
#include <stdlib.h>

#include "../app.h"
#include "../domain/page.h"
#include "../domain/questionnaire.h"
#include "api.h"

void api_questionnaire_list(struct request *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < questionnaire_count(); i++)
		json_array_append_new(items, questionnaire_json(questionnaire_at(i)));
	reply_json(r, 200, api_list(items, NULL));
}

static const struct questionnaire *find_questionnaire(struct request *r)
{
	const struct questionnaire *q = questionnaire_by_id(r->path_args[0]);
	if (!q)
		reply_error(r, 404, "not_found", "There is no such questionnaire.", NULL);
	return q;
}

void api_questionnaire_get(struct request *r)
{
	const struct questionnaire *q = find_questionnaire(r);
	if (q)
		reply_json(r, 200, questionnaire_json(q));
}

static json_t *api_qresponse_json(const struct store_qresponse *q)
{
	json_t *subs = q->subscales ? json_loads(q->subscales, 0, NULL) : NULL;
	return json_pack("{s:s, s:s, s:f, s:o, s:s, s:o}", "id", q->id, "questionnaire_id", q->questionnaire_id,
	                 "score", q->score, "subscales", subs ? subs : json_object(), "visibility", q->visibility,
	                 "created_at", api_time(q->created_at));
}

void api_qresponse_create(struct request *r)
{
	const struct questionnaire *q = find_questionnaire(r);
	if (!q)
		return;
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *visibility;
	bool present;
	struct problem p = {0};
	struct store_qresponse out;
	json_t *answers = json_object_get(body, "answers");
	if (!answers) {
		problem_invalid(&p, "answers", "This field is required.");
		api_problem(r, &p);
	} else if (api_string(body, "visibility", true, &visibility, &present, &p) &&
	           questionnaire_respond(r->app->store, &r->viewer, q, answers, visibility, r->arena, &out, &p)) {
		reply_json(r, 201, api_qresponse_json(&out));
	} else {
		api_problem(r, &p);
	}
	json_decref(body);
}

void api_qresponse_list(struct request *r)
{
	const struct questionnaire *q = find_questionnaire(r);
	if (!q)
		return;
	struct problem p = {0};
	int limit, count;
	const char *before;
	struct store_qresponse *rows;
	int64_t next = 0;
	if (!api_page_params(r, &limit, &before, &p)) {
		api_problem(r, &p);
		return;
	}
	char *end = NULL;
	long long b = before ? strtoll(before, &end, 10) : 0;
	if (before && (*end || b <= 0)) {
		page_cursor_invalid(&p);
		api_problem(r, &p);
		return;
	}
	if (!questionnaire_mine(r->app->store, &r->viewer, q->id, b, limit, r->arena, &rows, &count, &next, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(items, api_qresponse_json(&rows[i]));
	reply_json(r, 200, api_list(items, next ? arena_printf(r->arena, "%lld", (long long)next) : NULL));
}
