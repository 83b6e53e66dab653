/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * trends.c - API: trends as JSON series and as an SVG chart.
 */
#include <string.h>

#include "../app.h"
#include "../domain/trends.h"
#include "../web/render/chart.h"
#include "api.h"

/* Reads metric, author, from, to and the series they name; false after replying. */
static bool trend_read(struct request *r, const char **metric, const char **author, char from[11], char to[11],
                       struct trend_series *series)
{
	struct problem p = {0};
	*metric = request_query(r, "metric");
	*author = request_query(r, "author");
	if (!*metric) {
		problem_invalid(&p, "metric", "metric is mood, connection, secure or a questionnaire id.");
		api_problem(r, &p);
		return false;
	}
	if (!*author)
		*author = "me";
	if (!trend_range(&r->viewer, request_query(r, "from"), request_query(r, "to"), from, to, &p) ||
	    !trend_series(r->app->store, &r->viewer, *metric, *author, from, to, r->arena, series, &p)) {
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
	if (!trend_read(r, &metric, &author, from, to, &series))
		return;
	json_t *points = json_array();
	for (int i = 0; i < series.count; i++)
		json_array_append_new(
		    points, json_pack("{s:s, s:f}", "date", series.points[i].date, "value", series.points[i].value));
	reply_json(r, 200,
	           json_pack("{s:s, s:s, s:s, s:s, s:o}", "metric", metric, "author", author, "from", from, "to", to,
	                     "series", points));
}

void api_trends_svg(struct request *r)
{
	const char *metric, *author;
	char from[11], to[11];
	struct trend_series series;
	if (!trend_read(r, &metric, &author, from, to, &series))
		return;
	bool partner = strcmp(author, "partner") == 0;
	struct buf out;
	buf_init(&out, 1024 * 1024);
	const char *name = partner ? (r->viewer.partner_name[0] ? r->viewer.partner_name : "Partner") : "Me";
	enum trend_metric m;
	const struct questionnaire *q = NULL;
	if (!trend_metric_parse(metric, &m, &q))
		q = NULL;
	struct chart c = {.standalone = true,
	                  .title = series.label,
	                  .from = from,
	                  .to = to,
	                  .mine = partner ? NULL : &series,
	                  .partner = partner ? &series : NULL,
	                  .mine_name = name,
	                  .partner_name = name,
	                  .empty = q ? "No results in this period yet." : "No check-ins in this period yet."};
	struct chart_word *words;
	c.word_count = chart_words(q, r->arena, &words);
	c.words = words;
	if (chart_draw(&out, &c) < 0)
		reply_error(r, 500, "internal", "The chart could not be drawn.", NULL);
	else
		reply_text(r, 200, "image/svg+xml; charset=utf-8", out.data, out.len);
	buf_cleanup(&out);
}
