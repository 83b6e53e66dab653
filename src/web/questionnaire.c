/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.c - pages: the questionnaires, answering one, a result on
 * a page of its own ("3.3 of 5 - up from 2.5 on 27 Nov", each subscale by its
 * name, the band and whether the change is a real one), and the viewer's
 * results over time as a list and a chart. Where an instrument comes from and
 * its licence are kept in an "About this questionnaire" detail.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/date.h"
#include "../domain/questionnaire.h"
#include "../domain/visibility.h"
#include "render/chart.h"
#include "web.h"

void web_questionnaires(struct request *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < questionnaire_count(); i++) {
		const struct questionnaire *q = questionnaire_in(questionnaire_at(i), r->lang);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s?, s:i}", "id", q->id, "title", q->title,
		                                       "description", q->description, "every", q->interval_days));
	}
	web_render(r, 200, "questionnaires", tr(r->lang, "Questionnaires"),
	           json_pack("{s:o}", "questionnaires", items));
}

/* How many past results the pages list. */
#define RESULTS_SHOWN 12

static char *format(struct request *r, const struct questionnaire *q, double value)
{
	char text[32];
	questionnaire_format(q, value, text);
	lang_decimal(r->lang, text);
	return arena_strdup(r->arena, text);
}

/* An end of a range: "5", not "5.0", when it is a whole number. */
static char *format_end(struct request *r, const struct questionnaire *q, double value)
{
	return fabs(value - round(value)) < 1e-9 ? arena_printf(r->arena, "%.0f", value) : format(r, q, value);
}

/* A response's subscales as [{name, value, max}], in the instrument's order, by their names. */
static json_t *subscales_json(struct request *r, const struct questionnaire *q, const struct store_qresponse *row)
{
	json_t *subs = row->subscales ? json_loads(row->subscales, 0, NULL) : NULL;
	json_t *list = json_array();
	const char *key;
	json_t *name;
	json_object_foreach(q->subscale_names, key, name)
	{
		json_t *val = json_object_get(subs, key);
		if (!json_is_number(val))
			continue;
		double min, max;
		questionnaire_subscale_range(q, key, &min, &max);
		json_array_append_new(list,
		                      json_pack("{s:s, s:s, s:s}", "name", json_string_value(name), "value",
		                                format(r, q, json_number_value(val)), "max", format_end(r, q, max)));
	}
	json_decref(subs);
	return list;
}

/* "up from 2.5 on 27 Nov", "down from 3.8 on 2 Oct", "the same as on 27 Nov", or NULL for the first. */
static char *change_words(struct request *r, const struct questionnaire *q, const struct store_qresponse *row,
                          const struct store_qresponse *prev)
{
	if (!prev)
		return NULL;
	char *now = format(r, q, row->score), *then = format(r, q, prev->score);
	const char *day = web_day(r, prev->created_at);
	if (strcmp(now, then) == 0)
		return arena_printf(r->arena, tr(r->lang, "the same as on %s"), day);
	return arena_printf(
	    r->arena, row->score > prev->score ? tr(r->lang, "up from %s on %s") : tr(r->lang, "down from %s on %s"),
	    then, day);
}

/* Whether the change is larger than the instrument's reliable-change threshold, in words; NULL without one. */
static char *reliable_words(struct request *r, const struct questionnaire *q, const struct store_qresponse *row,
                            const struct store_qresponse *prev)
{
	struct q_change ch;
	questionnaire_change(q, row->score, prev, &ch);
	if (!ch.present || ch.reliable < 0)
		return NULL;
	char *threshold = format(r, q, q->reliable_change);
	if (ch.reliable)
		return arena_printf(r->arena,
		                    tr(r->lang,
		                       "This change is larger than %s points, the size this questionnaire counts as a "
		                       "real change rather than ordinary ups and downs."),
		                    threshold);
	return arena_printf(r->arena,
	                    tr(r->lang,
	                       "This change is within %s points: this questionnaire counts a change that small as "
	                       "ordinary ups and downs."),
	                    threshold);
}

/* What the numbers mean: the range, the answer words at both ends, reversed statements, what higher means. */
static char *anchors_words(struct request *r, const struct questionnaire *q)
{
	const struct q_item *first = &q->items[0];
	char *out = arena_printf(r->arena,
	                         q->scoring == Q_SCORING_SUM
	                             ? tr(r->lang, "Scores go from %s to %s, the sum of your answers.")
	                             : tr(r->lang, "Scores go from %s to %s, the average of your answers."),
	                         format_end(r, q, q->score_min), format_end(r, q, q->score_max));
	if (first->labels)
		out = arena_printf(
		    r->arena, "%s %s", out,
		    arena_printf(r->arena, tr(r->lang, "Each statement is answered from %d, “%s”, to %d, “%s”."),
		                 first->min, json_string_value(json_array_get(first->labels, 0)), first->max,
		                 json_string_value(json_array_get(first->labels, (size_t)(first->max - first->min)))));
	bool reversed = false;
	for (size_t i = 0; i < q->count; i++)
		reversed |= q->items[i].reverse;
	if (reversed)
		out = arena_printf(r->arena, "%s %s", out,
		                   tr(r->lang, "Statements worded the other way round count in reverse."));
	if (q->higher_means)
		out = arena_printf(r->arena, "%s %s", out, q->higher_means);
	return out;
}

/* What the "About this questionnaire" detail shows. */
static void add_about(struct request *r, const struct questionnaire *q, json_t *ctx)
{
	json_t *bands = json_array();
	for (size_t i = 0; i < q->band_count; i++)
		json_array_append_new(bands, json_pack("{s:s, s:s, s:s}", "label", q->bands[i].label, "min",
		                                       format_end(r, q, q->bands[i].min), "max",
		                                       format_end(r, q, q->bands[i].max)));
	json_object_set_new(ctx, "about",
	                    json_pack("{s:s?, s:s, s:s, s:s, s:o, s:s?}", "description", q->description, "citation",
	                              q->citation, "licence", q->licence, "anchors", anchors_words(r, q), "bands",
	                              bands, "reliable_change",
	                              q->reliable_change > 0 ? format(r, q, q->reliable_change) : NULL));
}

/*
 * The viewer's results over time: a list, newest first, each linking to its
 * own page, and a chart of the last year.
 */
static void add_history(struct request *r, const struct questionnaire *q, json_t *ctx)
{
	struct store_qresponse *rows;
	int count = 0;
	struct problem p = {0};
	json_t *results = json_array();
	if (questionnaire_mine(r->app->store, &r->viewer, q->id, 0, NULL, RESULTS_SHOWN, r->arena, &rows, &count, &p)) {
		for (int i = 0; i < count; i++) {
			json_t *subs = subscales_json(r, q, &rows[i]);
			json_array_append_new(
			    results,
			    json_pack("{s:s, s:s, s:s, s:s, s:o}", "when", web_day(r, rows[i].created_at), "href",
			              arena_printf(r->arena, "/questionnaires/%s?result=%s", q->id, rows[i].id),
			              "score", format(r, q, rows[i].score), "max", format_end(r, q, q->score_max),
			              "subscales", subs));
		}
	}
	json_object_set_new(ctx, "results", results);
	char today[11], from[11];
	date_today(&r->viewer, today);
	char *chart =
	    count && date_add_days(today, -364, from) ? web_chart_html(r, q->id, from, today, false, &p) : NULL;
	if (chart)
		json_object_set_new(ctx, "chart", web_html_string(chart, strlen(chart)));
}

/* The message on one item when the answers were refused item by item, in the reader's language; else NULL. */
static const char *item_error(struct request *r, const struct problem *p, const char *item_id)
{
	for (int i = 0; p && p->outcome == OUTCOME_INVALID && i < p->count && i < PROBLEM_ITEMS_MAX; i++)
		if (p->items[i].field && strcmp(p->items[i].field, item_id) == 0)
			return tr(r->lang, p->items[i].message);
	return NULL;
}

static void render_questionnaire(struct request *r, int status, const struct questionnaire *q, const struct problem *p)
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
			                                item_error(r, p, it->id) != NULL));
		}
		json_array_append_new(items,
		                      json_pack("{s:s, s:s, s:i, s:o, s:s?}", "id", it->id, "text", it->text, "number",
		                                (int)i + 1, "choices", choices, "error", item_error(r, p, it->id)));
	}
	/* The choice as sent stays checked; with none sent, private is. */
	const char *typed_vis = request_form(r, "visibility");
	enum visibility vis = VISIBILITY_PRIVATE;
	bool known = visibility_parse(typed_vis, &vis);
	json_t *ctx = json_pack(
	    "{s:s, s:s, s:s?, s:s?, s:o, s:b, s:b, s:b}", "id", q->id, "title", q->title, "description", q->description,
	    "note", q->note, "items", items, "vis_private", !typed_vis || (known && vis == VISIBILITY_PRIVATE),
	    "vis_partner", known && vis == VISIBILITY_PARTNER, "vis_therapist", known && vis == VISIBILITY_THERAPIST);
	add_history(r, q, ctx);
	add_about(r, q, ctx);
	if (p) {
		/* The summary names each item by its number and words, so its links say where they lead. */
		struct problem named = *p;
		for (int i = 0; i < named.count && i < PROBLEM_ITEMS_MAX; i++)
			for (size_t k = 0; named.items[i].field && k < q->count; k++)
				if (strcmp(named.items[i].field, q->items[k].id) == 0)
					named.items[i].message =
					    arena_printf(r->arena, tr(r->lang, "%zu. “%s” %s"), k + 1, q->items[k].text,
					                 tr(r->lang, named.items[i].message));
		web_add_problem(r, ctx, &named);
	}
	web_render(r, status, "questionnaire", q->title, ctx);
}

/* One result on a page of its own; saved: it was just made (the notice says so). */
static void render_result(struct request *r, const struct questionnaire *q, const struct store_qresponse *row,
                          const struct store_qresponse *prev, bool saved)
{
	const struct q_band *band = questionnaire_band(q, row->score);
	json_t *ctx = json_pack("{s:s, s:s, s:s?, s:b, s:o, s:s, s:s, s:s?, s:s?, s:o, s:s?}", "id", q->id, "title",
	                        q->title, "note", q->note, "saved", saved, "when", web_when(r, row->created_at),
	                        "score", format(r, q, row->score), "max", format_end(r, q, q->score_max), "change",
	                        change_words(r, q, row, prev), "reliable", reliable_words(r, q, row, prev), "subscales",
	                        subscales_json(r, q, row), "anchors", anchors_words(r, q));
	if (band)
		json_object_set_new(ctx, "band",
		                    json_pack("{s:s, s:s, s:s}", "label", band->label, "min",
		                              format_end(r, q, band->min), "max", format_end(r, q, band->max)));
	add_history(r, q, ctx);
	add_about(r, q, ctx);
	web_render(r, 200, "questionnaire_result", arena_printf(r->arena, tr(r->lang, "%s: your result"), q->title),
	           ctx);
}

void web_questionnaire(struct request *r)
{
	const struct questionnaire *q = questionnaire_in(questionnaire_by_id(r->path_args[0]), r->lang);
	if (!q) {
		web_not_found(r);
		return;
	}
	struct problem p = {0};
	struct store_qresponse *row = NULL, *prev = NULL;
	const char *id = request_query(r, "result");
	bool saved = request_query(r, "done") != NULL;
	if (saved && !id) {
		/* Just saved: the newest result is the one. */
		int count = 0;
		if (!questionnaire_mine(r->app->store, &r->viewer, q->id, 0, NULL, 2, r->arena, &row, &count, &p)) {
			web_problem_page(r, &p);
			return;
		}
		prev = count > 1 ? &row[1] : NULL;
		if (!count)
			row = NULL;
	} else if (id && !questionnaire_result(r->app->store, &r->viewer, q, id, r->arena, &row, &prev, &p)) {
		web_problem_page(r, &p);
		return;
	}
	if (id && !row) {
		web_not_found(r);
		return;
	}
	if (row)
		render_result(r, q, row, prev, saved);
	else
		render_questionnaire(r, 200, q, NULL);
}

void web_questionnaire_respond(struct request *r)
{
	const struct questionnaire *q = questionnaire_in(questionnaire_by_id(r->path_args[0]), r->lang);
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
		render_questionnaire(r, web_status(r, p.outcome), q, &p);
}
