/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.c - pages: the questionnaires, answering one, and the
 * viewer's results over time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/questionnaire.h"
#include "../domain/visibility.h"
#include "web.h"

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

/* The message on one item when the answers were refused item by item, else NULL. */
static const char *item_error(const struct problem *p, const char *item_id)
{
	for (int i = 0; p && p->outcome == OUTCOME_INVALID && i < p->count && i < PROBLEM_ITEMS_MAX; i++)
		if (p->items[i].field && strcmp(p->items[i].field, item_id) == 0)
			return p->items[i].message;
	return NULL;
}

static void render_questionnaire(struct request *r, int status, const struct questionnaire *q, const struct problem *p,
                                 const struct store_qresponse *just)
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
			json_array_append_new(choices,
			                      json_pack("{s:s, s:s, s:s, s:b, s:s, s:b}", "value", value, "name",
			                                it->id, "label", label ? json_string_value(label) : value,
			                                "checked", typed && strcmp(typed, value) == 0, "input_id",
			                                arena_printf(r->arena, "%s-%d", it->id, v - it->min), "invalid",
			                                item_error(p, it->id) != NULL));
		}
		json_array_append_new(items,
		                      json_pack("{s:s, s:s, s:i, s:o, s:s?}", "id", it->id, "text", it->text, "number",
		                                (int)i + 1, "choices", choices, "error", item_error(p, it->id)));
	}
	/* My results over time, newest first. */
	struct store_qresponse *rows;
	int count = 0;
	int64_t next;
	struct problem lp = {0};
	json_t *results = json_array();
	if (questionnaire_mine(r->app->store, &r->viewer, q->id, 0, 12, r->arena, &rows, &count, &next, &lp)) {
		for (int i = 0; i < count; i++) {
			char when[40];
			time_human(rows[i].created_at, when);
			json_t *subs = rows[i].subscales ? json_loads(rows[i].subscales, 0, NULL) : NULL;
			json_t *sublist = json_array();
			const char *name;
			json_t *val;
			json_object_foreach(subs, name, val)
			{
				json_array_append_new(sublist,
				                      json_pack("{s:s, s:s}", "name", name, "value",
				                                arena_printf(r->arena, "%.1f", json_real_value(val))));
			}
			json_decref(subs);
			json_array_append_new(results, json_pack("{s:s, s:s, s:o}", "when", when, "score",
			                                         arena_printf(r->arena, "%.1f", rows[i].score),
			                                         "subscales", sublist));
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
	if (p) {
		/* The summary names each item by its number and words, so its links say where they lead. */
		struct problem named = *p;
		for (int i = 0; i < named.count && i < PROBLEM_ITEMS_MAX; i++)
			for (size_t k = 0; named.items[i].field && k < q->count; k++)
				if (strcmp(named.items[i].field, q->items[k].id) == 0)
					named.items[i].message = arena_printf(r->arena, "%zu. “%s” %s", k + 1,
					                                      q->items[k].text, named.items[i].message);
		web_add_problem(ctx, &named);
	}
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
	struct problem p = {0};
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
	struct problem p = {0};
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
