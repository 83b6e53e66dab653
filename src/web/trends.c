/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * trends.c - pages: the trends page and the dashboard's chart.
 */
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/date.h"
#include "../domain/questionnaire.h"
#include "../domain/trends.h"
#include "render/chart.h"
#include "web.h"

char *web_chart_html(struct request *r, const char *metric, const char *from, const char *to, bool with_partner,
                     struct problem *p)
{
	struct trend_series mine, theirs;
	if (!trend_series(r->app->store, &r->viewer, metric, "me", from, to, r->arena, &mine, p))
		return NULL;
	bool partner = with_partner && r->viewer.partner_id[0] != 0;
	if (partner && !trend_series(r->app->store, &r->viewer, metric, "partner", from, to, r->arena, &theirs, p))
		return NULL;
	enum trend_metric m;
	const struct questionnaire *q = NULL;
	if (!trend_metric_parse(metric, &m, &q))
		q = NULL;
	if (chart_is_empty(&mine, partner ? &theirs : NULL)) {
		/* A sentence instead of an empty frame. */
		const char *empty = q ? (partner ? tr(r->lang, "No results in this period yet from either of you.")
		                                 : tr(r->lang, "No results in this period yet."))
		                      : (partner ? tr(r->lang, "No check-ins in this period yet from either of you.")
		                                 : tr(r->lang, "No check-ins in this period yet."));
		return arena_printf(r->arena, "<p class=\"chart-empty\">%s</p>", empty);
	}
	struct chart_word *words;
	int word_count = chart_words(q, r->arena, &words);
	struct buf out;
	buf_init(&out, 1024 * 1024);
	struct chart c = {.title =
	                      arena_printf(r->arena, tr(r->lang, "%s, %s to %s"), tr(r->lang, mine.label), from, to),
	                  .from = from,
	                  .to = to,
	                  .lang = r->lang,
	                  .mine = &mine,
	                  .mine_name = tr(r->lang, "You"),
	                  .partner = partner ? &theirs : NULL,
	                  .partner_name = r->viewer.partner_name,
	                  .words = words,
	                  .word_count = word_count};
	int rc = chart_draw(&out, &c);
	char *html = rc == 0 ? arena_strdup(r->arena, out.data) : NULL;
	buf_cleanup(&out);
	if (!html)
		problem_set(p, OUTCOME_ERROR, "internal", NULL, "The chart could not be drawn.");
	return html;
}

char *web_dashboard_chart(struct request *r)
{
	char from[11], to[11];
	struct problem p = {0};
	if (!trend_range(&r->viewer, NULL, NULL, from, to, &p))
		return NULL;
	return web_chart_html(r, "mood", from, to, true, &p);
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
	struct problem p = {0};
	if (!date_add_days(today, -(days - 1), from)) {
		web_error_page(r, 500, tr(r->lang, "Please try again"),
		               tr(r->lang, "The dates could not be worked out."));
		return;
	}
	char *svg = web_chart_html(r, metric, from, today, true, &p);
	if (!svg) {
		web_problem_page(r, &p);
		return;
	}
	json_t *metrics = json_array();
	for (int i = 0; i < TREND_CHECKIN_METRICS; i++) {
		const char *name = trend_metric_name((enum trend_metric)i);
		json_array_append_new(metrics, json_pack("{s:s, s:s, s:b}", "value", name, "label",
		                                         tr(r->lang, trend_metric_label((enum trend_metric)i)),
		                                         "selected", strcmp(metric, name) == 0));
	}
	for (size_t i = 0; i < questionnaire_count(); i++)
		json_array_append_new(metrics, json_pack("{s:s, s:s, s:b}", "value", questionnaire_at(i)->id, "label",
		                                         questionnaire_in(questionnaire_at(i), r->lang)->title,
		                                         "selected", strcmp(metric, questionnaire_at(i)->id) == 0));
	json_t *periods = json_array();
	static const int choices[] = {7, 30, 90, 365};
	for (size_t i = 0; i < ARRAY_LEN(choices); i++)
		json_array_append_new(
		    periods,
		    json_pack("{s:i, s:s, s:b}", "value", choices[i], "label",
		              choices[i] == 365 ? tr(r->lang, "the last year")
		                                : arena_printf(r->arena, tr(r->lang, "the last %d days"), choices[i]),
		              "selected", days == choices[i]));
	web_render(r, 200, "trends", tr(r->lang, "Trends"),
	           json_pack("{s:s, s:o, s:o}", "chart", svg, "metrics", metrics, "periods", periods));
}
