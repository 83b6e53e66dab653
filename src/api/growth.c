/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * growth.c - API: agreements and reviews, questionnaires and responses,
 * trends (JSON and SVG), the timeline, export and account deletion.
 */
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/growth.h"
#include "../domain/questionnaire.h"
#include "api.h"

static json_t *api_review_json(const struct store_review *rv)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o}", "id", rv->id, "agreement_id", rv->agreement_id, "author_id",
	                 rv->author_id, "outcome", rv->outcome, "note", rv->note, "created_at", api_time(rv->created_at));
}

static json_t *api_agreement_json(const struct agreement_view *g)
{
	json_t *reviews = json_array();
	for (int i = 0; i < g->review_count; i++)
		json_array_append_new(reviews, api_review_json(&g->reviews[i]));
	const struct store_agreement *a = &g->agreement;
	return json_pack("{s:s, s:s?, s:s, s:i, s:s, s:s, s:s?, s:o, s:b, s:o}", "id", a->id, "text", a->text, "status",
	                 a->status, "review_every_days", a->review_every_days, "next_review_on", a->next_review_on,
	                 "author_id", a->author_id, "repair_id", a->repair_id[0] ? a->repair_id : NULL, "created_at",
	                 api_time(a->created_at), "review_due", g->due, "reviews", reviews);
}

void api_agreement_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *text, *repair_id;
	int days = 0;
	bool present;
	struct problem p;
	struct agreement_view view;
	if (api_string(body, "text", false, &text, &present, &p) &&
	    api_int(body, "review_every_days", &days, &present, &p) &&
	    (!present || days != 0 || problem_invalid(&p, "review_every_days", "Review every 1 to 90 days.")) &&
	    api_string(body, "repair_id", true, &repair_id, &present, &p) &&
	    agreement_create(r->app->store, &r->viewer, text ? text : "", days, repair_id, r->arena, &view, &p))
		reply_json(r, 201, api_agreement_json(&view));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_agreement_list(struct request *r)
{
	struct problem p;
	int limit;
	const char *before;
	struct agreement_page page;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !agreement_list(r->app->store, &r->viewer, before, limit, r->arena, &page, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++)
		json_array_append_new(items, api_agreement_json(&page.items[i]));
	reply_json(r, 200, api_list(items, page.next_cursor));
}

void api_agreement_get(struct request *r)
{
	struct problem p;
	struct agreement_view view;
	if (agreement_load(r->app->store, &r->viewer, r->path_args[0], r->arena, &view, &p))
		reply_json(r, 200, api_agreement_json(&view));
	else
		api_problem(r, &p);
}

void api_agreement_patch(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *status;
	bool present;
	struct problem p;
	struct agreement_view view;
	if (api_string(body, "status", false, &status, &present, &p) &&
	    agreement_set_status(r->app->store, &r->viewer, r->path_args[0], status, r->arena, &view, &p))
		reply_json(r, 200, api_agreement_json(&view));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_review_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *outcome, *note;
	bool present;
	struct problem p;
	struct store_review rv;
	if (api_string(body, "outcome", false, &outcome, &present, &p) &&
	    api_string(body, "note", true, &note, &present, &p) &&
	    agreement_review(r->app->store, &r->viewer, r->path_args[0], outcome, note, r->arena, &rv, &p))
		reply_json(r, 201, api_review_json(&rv));
	else
		api_problem(r, &p);
	json_decref(body);
}

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
	return json_pack("{s:s, s:s, s:f, s:o, s:s, s:o}", "id", q->id, "questionnaire_id", q->questionnaire_id, "score",
	                 q->score, "subscales", subs ? subs : json_object(), "visibility", q->visibility, "created_at",
	                 api_time(q->created_at));
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
	struct problem p;
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
	struct problem p;
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
		problem_invalid(&p, "before", "This page cursor is not valid.");
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

/* Reads metric, author, from, to; false after replying. */
static bool trend_params(struct request *r, const char **metric, const char **author, char from[11], char to[11])
{
	struct problem p;
	*metric = request_query(r, "metric");
	*author = request_query(r, "author");
	if (!*metric) {
		problem_invalid(&p, "metric", "metric is mood, connection, secure or a questionnaire id.");
		api_problem(r, &p);
		return false;
	}
	if (!*author)
		*author = "me";
	if (!trend_range(&r->viewer, request_query(r, "from"), request_query(r, "to"), from, to, &p)) {
		api_problem(r, &p);
		return false;
	}
	return true;
}

void api_trends(struct request *r)
{
	const char *metric, *author;
	char from[11], to[11];
	struct trend_series series;
	struct problem p;
	if (!trend_params(r, &metric, &author, from, to))
		return;
	if (!trend_series(r->app->store, &r->viewer, metric, author, from, to, r->arena, &series, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *points = json_array();
	for (int i = 0; i < series.count; i++)
		json_array_append_new(points, json_pack("{s:s, s:f}", "date", series.points[i].date, "value",
		                                        series.points[i].value));
	reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:o}", "metric", metric, "author", author, "from", from, "to",
	                             to, "series", points));
}

void api_trends_svg(struct request *r)
{
	const char *metric, *author;
	char from[11], to[11];
	struct trend_series series;
	struct problem p;
	if (!trend_params(r, &metric, &author, from, to))
		return;
	if (!trend_series(r->app->store, &r->viewer, metric, author, from, to, r->arena, &series, &p)) {
		api_problem(r, &p);
		return;
	}
	bool partner = strcmp(author, "partner") == 0;
	struct buf out;
	buf_init(&out, 1024 * 1024);
	const char *name = partner ? (r->viewer.partner_name[0] ? r->viewer.partner_name : "Partner") : "Me";
	if (trend_svg(&out, true, series.label, from, to, partner ? NULL : &series, name, partner ? &series : NULL, name) < 0)
		reply_error(r, 500, "internal", "The chart could not be drawn.", NULL);
	else
		reply_text(r, 200, "image/svg+xml; charset=utf-8", out.data, out.len);
	buf_cleanup(&out);
}

void api_timeline(struct request *r)
{
	struct problem p;
	int limit;
	const char *before;
	json_t *items;
	char *next = NULL;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !timeline_build(r->app->store, &r->viewer, before, limit, r->arena, &items, &next, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_json(r, 200, api_list(items, next));
}

void api_export(struct request *r)
{
	json_t *doc;
	struct problem p;
	if (!export_build(r->app->store, &r->viewer, r->arena, &doc, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_header(r, "Content-Disposition", "attachment; filename=\"hearth-export.json\"");
	reply_json(r, 200, doc);
}

void api_me_delete(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *password;
	bool present;
	struct problem p;
	if (api_string(body, "password", false, &password, &present, &p) &&
	    account_delete(r->app->store, &r->viewer, password, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
	json_decref(body);
}
