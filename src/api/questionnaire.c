/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.c - API: the questionnaires, and the viewer's responses.
 */
#include "../app.h"
#include "../domain/page.h"
#include "../domain/questionnaire.h"
#include "api.h"

void api_questionnaire_list(struct request *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < questionnaire_count(); i++)
		json_array_append_new(items, questionnaire_json(questionnaire_in(questionnaire_at(i), r->lang)));
	reply_json(r, 200, api_list(items, NULL));
}

static const struct questionnaire *find_questionnaire(struct request *r)
{
	const struct questionnaire *q = questionnaire_in(questionnaire_by_id(r->path_args[0]), r->lang);
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

/*
 * A response as the API shows it: with its band (a label, or null) and its
 * change against the response before it (null for the first one).
 */
static json_t *api_qresponse_json(const struct questionnaire *q, const struct store_qresponse *r,
                                  const struct store_qresponse *prev)
{
	json_t *subs = r->subscales ? json_loads(r->subscales, 0, NULL) : NULL;
	const struct q_band *band = questionnaire_band(q, r->score);
	struct q_change ch;
	questionnaire_change(q, r->score, prev, &ch);
	json_t *change = json_null();
	if (ch.present)
		change = json_pack("{s:f, s:f, s:o, s:o}", "from_score", ch.from_score, "delta", ch.delta, "reliable",
		                   ch.reliable < 0 ? json_null() : json_boolean(ch.reliable), "from_at",
		                   api_time(ch.from_at));
	return json_pack("{s:s, s:s, s:f, s:o, s:s, s:o, s:s?, s:o}", "id", r->id, "questionnaire_id",
	                 r->questionnaire_id, "score", r->score, "subscales", subs ? subs : json_object(), "visibility",
	                 r->visibility, "created_at", api_time(r->created_at), "band", band ? band->label : NULL,
	                 "change", change);
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
	struct store_qresponse out, *prev;
	json_t *answers = json_object_get(body, "answers");
	if (!answers) {
		problem_invalid(&p, "answers", "This field is required.");
		api_problem(r, &p);
	} else if (api_string(body, "visibility", true, &visibility, &present, &p) &&
	           questionnaire_respond(r->app->store, &r->viewer, q, answers, visibility, r->arena, &out, &p) &&
	           questionnaire_previous(r->app->store, &r->viewer, q, out.created_at, out.id, r->arena, &prev, &p)) {
		reply_json(r, 201, api_qresponse_json(q, &out, prev));
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
	int64_t before_at;
	char before_id[ID_LEN + 1];
	if (!api_page_params(r, &limit, &before, &p) || !page_after_or_time(before, &before_at, before_id, &p)) {
		api_problem(r, &p);
		return;
	}
	/* One more than the page: the oldest shown needs the one before it for its change. */
	if (!questionnaire_mine(r->app->store, &r->viewer, q->id, before_at, before_id, limit + 1, r->arena, &rows,
	                        &count, &p)) {
		api_problem(r, &p);
		return;
	}
	int shown = count < limit ? count : limit;
	json_t *items = json_array();
	for (int i = 0; i < shown; i++)
		json_array_append_new(items, api_qresponse_json(q, &rows[i], i + 1 < count ? &rows[i + 1] : NULL));
	const char *next = count > limit ? page_cursor(r->arena, rows[limit - 1].created_at, rows[limit - 1].id) : NULL;
	reply_json(r, 200, api_list(items, next));
}
