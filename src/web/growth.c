/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * growth.c - pages: agreements and reviews, questionnaires, trends, the
 * timeline, the printable export and deleting an account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/growth.h"
#include "../domain/questionnaire.h"
#include "../domain/visibility.h"
#include "web.h"

static const char *outcome_words(const char *text)
{
	enum review_outcome o = REVIEW_NOT_YET;
	if (!review_outcome_parse(text, &o))
		o = REVIEW_NOT_YET;
	switch (o) {
	case REVIEW_KEPT:
		return "We kept it";
	case REVIEW_PARTLY:
		return "Partly";
	case REVIEW_NOT_YET:
		break;
	}
	return "Not yet";
}

static json_t *agreement_ctx(struct request *r, const struct agreement_view *g)
{
	json_t *reviews = json_array();
	for (int i = 0; i < g->review_count && i < 5; i++) {
		const struct store_review *rv = &g->reviews[i];
		char when[40];
		time_human(rv->created_at, when);
		json_array_append_new(reviews, json_pack("{s:s, s:s, s:s, s:s?}", "who",
		                                         strcmp(rv->author_id, r->viewer.user_id) == 0 ? "You"
		                                                                                      : r->viewer.partner_name,
		                                         "when", when, "outcome", outcome_words(rv->outcome), "note", rv->note));
	}
	const struct store_agreement *a = &g->agreement;
	return json_pack("{s:s, s:s, s:b, s:b, s:i, s:s, s:o, s:s}", "id", a->id, "text",
	                 a->text ? a->text : "(the words of an account that was deleted)", "active",
	                 g->status == AGREEMENT_ACTIVE, "due", g->due, "every", a->review_every_days, "next",
	                 a->next_review_on, "reviews", reviews, "by",
	                 strcmp(a->author_id, r->viewer.user_id) == 0 ? "You" : r->viewer.partner_name);
}

static void render_agreements(struct request *r, int status, const struct problem *p)
{
	struct agreement_page page;
	struct problem lp;
	const char *before = request_query(r, "before");
	if (!agreement_list(r->app->store, &r->viewer, before && *before ? before : NULL, 20, r->arena, &page, &lp)) {
		web_problem_page(r, &lp);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page.count; i++)
		json_array_append_new(items, agreement_ctx(r, &page.items[i]));
	const char *text = request_form(r, "text"), *every = request_form(r, "review_every_days");
	const char *repair = request_form(r, "repair_id") ? request_form(r, "repair_id") : request_query(r, "repair");
	json_t *ctx = json_pack("{s:o, s:s?, s:s, s:s, s:s, s:b}", "agreements", items, "next", page.next_cursor,
	                        "text", text ? text : "", "every", every ? every : "7", "repair_id",
	                        repair && id_valid(repair) ? repair : "", "reviewed", request_query(r, "reviewed") != NULL);
	if (p)
		web_add_problem(ctx, p);
	web_render(r, status, "agreements", "Agreements", ctx);
}

void web_agreements(struct request *r)
{
	render_agreements(r, 200, NULL);
}

void web_agreement_create(struct request *r)
{
	struct agreement_view view;
	struct problem p;
	const char *every = request_form(r, "review_every_days");
	char *end = NULL;
	long days = every && *every ? strtol(every, &end, 10) : 7;
	if (every && *every && (*end || days < 1 || days > 90)) {
		problem_invalid(&p, "review_every_days", "Review every 1 to 90 days.");
		render_agreements(r, web_status(r, p.outcome), &p);
		return;
	}
	const char *text = request_form(r, "text");
	if (agreement_create(r->app->store, &r->viewer, text ? text : "", (int)days, request_form(r, "repair_id"),
	                     r->arena, &view, &p)) {
		reply_redirect(r, "/agreements");
		return;
	}
	if (outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_agreements(r, web_status(r, p.outcome), &p);
}

void web_agreement_review(struct request *r)
{
	struct store_review rv;
	struct problem p;
	if (agreement_review(r->app->store, &r->viewer, r->path_args[0], request_form(r, "outcome"),
	                     request_form(r, "note"), r->arena, &rv, &p)) {
		reply_redirect(r, "/agreements?reviewed=1");
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	/* The page holds one review form per agreement: the summary links to this one's. */
	p.field = arena_printf(r->arena, "outcome-%s", id_valid(r->path_args[0]) ? r->path_args[0] : "");
	render_agreements(r, web_status(r, p.outcome), &p);
}

void web_agreement_status(struct request *r)
{
	struct agreement_view view;
	struct problem p;
	if (agreement_set_status(r->app->store, &r->viewer, r->path_args[0], request_form(r, "status"), r->arena, &view,
	                         &p))
		reply_redirect(r, "/agreements");
	else if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_agreements(r, web_status(r, p.outcome), &p);
}

void web_questionnaires(struct request *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < questionnaire_count(); i++) {
		const struct questionnaire *q = questionnaire_at(i);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s?, s:i}", "id", q->id, "title", q->title,
		                                       "description", q->description, "every", q->interval_days));
	}
	web_render(r, 200, "questionnaires", "Questionnaires", json_pack("{s:o}", "questionnaires", items));
}

static void render_questionnaire(struct request *r, int status, const struct questionnaire *q,
                                 const struct problem *p, const struct store_qresponse *just)
{
	json_t *items = json_array();
	for (size_t i = 0; i < q->count; i++) {
		const struct q_item *it = &q->items[i];
		const char *typed = request_form(r, it->id);
		json_t *choices = json_array();
		for (int v = it->min; v <= it->max; v++) {
			char value[8];
			snprintf(value, sizeof value, "%d", v);
			json_t *label = it->labels ? json_array_get(it->labels, (size_t)(v - it->min)) : NULL;
			json_array_append_new(choices, json_pack("{s:s, s:s, s:b, s:s}", "value", value, "label",
			                                         label ? json_string_value(label) : value, "checked",
			                                         typed && strcmp(typed, value) == 0, "input_id",
			                                         arena_printf(r->arena, "%s-%d", it->id, v - it->min)));
		}
		json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:o}", "id", it->id, "text", it->text, "number",
		                                       (int)i + 1, "choices", choices));
	}
	/* My results over time, newest first. */
	struct store_qresponse *rows;
	int count = 0;
	int64_t next;
	struct problem lp;
	json_t *results = json_array();
	if (questionnaire_mine(r->app->store, &r->viewer, q->id, 0, 12, r->arena, &rows, &count, &next, &lp)) {
		for (int i = 0; i < count; i++) {
			char when[40];
			time_human(rows[i].created_at, when);
			json_t *subs = rows[i].subscales ? json_loads(rows[i].subscales, 0, NULL) : NULL;
			json_t *sublist = json_array();
			const char *name;
			json_t *val;
			json_object_foreach(subs, name, val) {
				json_array_append_new(sublist, json_pack("{s:s, s:s}", "name", name, "value",
				                                         arena_printf(r->arena, "%.1f", json_real_value(val))));
			}
			json_decref(subs);
			json_array_append_new(results, json_pack("{s:s, s:s, s:o}", "when", when, "score",
			                                         arena_printf(r->arena, "%.1f", rows[i].score), "subscales",
			                                         sublist));
		}
	}
	/* The choice as sent stays checked; with none sent, private is. */
	const char *typed_vis = request_form(r, "visibility");
	enum visibility vis = VISIBILITY_PRIVATE;
	bool known = visibility_parse(typed_vis, &vis);
	json_t *ctx = json_pack(
	    "{s:s, s:s, s:s?, s:s, s:s, s:o, s:o, s:b, s:b, s:b, s:s?}", "id", q->id, "title", q->title, "description",
	    q->description, "citation", q->citation, "licence", q->licence, "items", items, "results", results,
	    "vis_private", !typed_vis || (known && vis == VISIBILITY_PRIVATE), "vis_partner",
	    known && vis == VISIBILITY_PARTNER, "vis_therapist", known && vis == VISIBILITY_THERAPIST, "just_score",
	    just ? arena_printf(r->arena, "%.1f", just->score) : NULL);
	if (p)
		web_add_problem(ctx, p);
	web_render(r, status, "questionnaire", q->title, ctx);
}

void web_questionnaire(struct request *r)
{
	const struct questionnaire *q = questionnaire_by_id(r->path_args[0]);
	if (!q) {
		web_not_found(r);
		return;
	}
	struct store_qresponse *latest = NULL;
	int count = 0;
	int64_t next;
	struct problem p;
	if (request_query(r, "done") &&
	    !questionnaire_mine(r->app->store, &r->viewer, q->id, 0, 1, r->arena, &latest, &count, &next, &p))
		count = 0;
	render_questionnaire(r, 200, q, NULL, count ? latest : NULL);
}

void web_questionnaire_respond(struct request *r)
{
	const struct questionnaire *q = questionnaire_by_id(r->path_args[0]);
	if (!q) {
		web_not_found(r);
		return;
	}
	json_t *answers = json_object();
	for (size_t i = 0; i < q->count; i++) {
		const char *v = request_form(r, q->items[i].id);
		char *end = NULL;
		long n = v ? strtol(v, &end, 10) : 0;
		if (v && *v && !*end)
			json_object_set_new(answers, q->items[i].id, json_integer(n));
	}
	struct store_qresponse out;
	struct problem p;
	bool ok = questionnaire_respond(r->app->store, &r->viewer, q, answers, request_form(r, "visibility"), r->arena,
	                                &out, &p);
	json_decref(answers);
	if (ok)
		reply_redirect(r, arena_printf(r->arena, "/questionnaires/%s?done=1", q->id));
	else if (outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_questionnaire(r, web_status(r, p.outcome), q, &p, NULL);
}

/* The chart of one metric for the viewer and, where they may see it, the partner. */
static char *chart_html(struct request *r, const char *metric, const char *from, const char *to, struct problem *p)
{
	struct trend_series mine, theirs;
	if (!trend_series(r->app->store, &r->viewer, metric, "me", from, to, r->arena, &mine, p))
		return NULL;
	bool partner = r->viewer.partner_id[0] != 0;
	if (partner && !trend_series(r->app->store, &r->viewer, metric, "partner", from, to, r->arena, &theirs, p))
		return NULL;
	struct buf out;
	buf_init(&out, 1024 * 1024);
	char *title = arena_printf(r->arena, "%s, %s to %s", mine.label, from, to);
	int rc = trend_svg(&out, false, title, from, to, &mine, "You", partner ? &theirs : NULL, r->viewer.partner_name);
	char *html = rc == 0 ? arena_strdup(r->arena, out.data) : NULL;
	buf_cleanup(&out);
	if (!html)
		problem_set(p, OUTCOME_ERROR, "internal", NULL, "The chart could not be drawn.");
	return html;
}

char *web_dashboard_chart(struct request *r)
{
	char from[11], to[11];
	struct problem p;
	if (!trend_range(&r->viewer, NULL, NULL, from, to, &p))
		return NULL;
	return chart_html(r, "mood", from, to, &p);
}

void web_trends(struct request *r)
{
	const char *metric = request_query(r, "metric");
	if (!metric || !*metric)
		metric = "mood";
	const char *period = request_query(r, "period");
	int days = period ? atoi(period) : 30;
	if (days != 7 && days != 30 && days != 90 && days != 365)
		days = 30;
	char today[11], from[11];
	date_today(&r->viewer, today);
	struct problem p;
	if (!date_add_days(today, -(days - 1), from)) {
		web_error_page(r, 500, "Please try again", "The dates could not be worked out.");
		return;
	}
	char *svg = chart_html(r, metric, from, today, &p);
	if (!svg) {
		web_problem_page(r, &p);
		return;
	}
	json_t *metrics = json_array();
	for (int i = 0; i < TREND_CHECKIN_METRICS; i++) {
		const char *name = trend_metric_name((enum trend_metric)i);
		json_array_append_new(metrics, json_pack("{s:s, s:s, s:b}", "value", name, "label",
		                                         trend_metric_label((enum trend_metric)i), "selected",
		                                         strcmp(metric, name) == 0));
	}
	for (size_t i = 0; i < questionnaire_count(); i++)
		json_array_append_new(metrics, json_pack("{s:s, s:s, s:b}", "value", questionnaire_at(i)->id, "label",
		                                         questionnaire_at(i)->title, "selected",
		                                         strcmp(metric, questionnaire_at(i)->id) == 0));
	json_t *periods = json_array();
	static const int choices[] = {7, 30, 90, 365};
	for (size_t i = 0; i < ARRAY_LEN(choices); i++)
		json_array_append_new(periods, json_pack("{s:i, s:s, s:b}", "value", choices[i], "label",
		                                         choices[i] == 365 ? "the last year"
		                                                           : arena_printf(r->arena, "the last %d days", choices[i]),
		                                         "selected", days == choices[i]));
	web_render(r, 200, "trends", "Trends",
	           json_pack("{s:s, s:o, s:o}", "chart", svg, "metrics", metrics, "periods", periods));
}

void web_timeline(struct request *r)
{
	const char *before = request_query(r, "before");
	json_t *items;
	char *next = NULL;
	struct problem p;
	if (!timeline_build(r->app->store, &r->viewer, before && *before ? before : NULL, 40, r->arena, &items, &next,
	                    &p)) {
		web_problem_page(r, &p);
		return;
	}
	static const struct {
		const char *type, *word, *link;
	} kinds[] = {{"checkin", "Check-in", NULL},           {"repair", "Repair", "/repairs/"},
	             {"agreement", "Agreement", NULL},        {"review", "Review of an agreement", NULL},
	             {"questionnaire", "Questionnaire", NULL}, {"prompt", "Daily question", NULL}};
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *type = json_string_value(json_object_get(it, "type"));
		const char *who = json_string_value(json_object_get(it, "who"));
		for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
			if (strcmp(kinds[k].type, type) != 0)
				continue;
			json_object_set_new(it, "kind", json_string(kinds[k].word));
			if (kinds[k].link)
				json_object_set_new(it, "href", json_string(arena_printf(r->arena, "%s%s", kinds[k].link,
				                                                         json_string_value(json_object_get(it, "id")))));
		}
		json_object_set_new(it, "by", json_string(strcmp(who, "me") == 0        ? "You"
		                                          : strcmp(who, "both") == 0 ? "Both of you"
		                                                                     : r->viewer.partner_name));
		json_object_set_new(it, "when", json_string(json_string_value(json_object_get(it, "at"))));
	}
	web_render(r, 200, "timeline", "Timeline",
	           json_pack("{s:o, s:s?}", "items", items, "next", next));
}

void web_export(struct request *r)
{
	json_t *doc;
	struct problem p;
	if (!export_build(r->app->store, &r->viewer, r->arena, &doc, &p)) {
		web_problem_page(r, &p);
		return;
	}
	web_render(r, 200, "export", "Everything you wrote", doc);
}

void web_account_delete_form(struct request *r)
{
	web_render(r, 200, "account_delete", "Delete your account", json_object());
}

void web_account_delete(struct request *r)
{
	struct problem p;
	if (account_delete(r->app->store, &r->viewer, request_form(r, "password"), &p)) {
		web_clear_session_cookie(r);
		reply_redirect(r, "/?deleted=1");
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *ctx = json_object();
	web_add_problem(ctx, &p);
	web_render(r, web_status(r, p.outcome), "account_delete", "Delete your account", ctx);
}
