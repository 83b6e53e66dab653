/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapy_session.c - pages (issue 13): the next session (the therapist sets
 * it on a couple's page; the partners read it on their space page and home),
 * the questionnaire results shared with the therapist (a section of the
 * couple's page: per instrument a chart and each partner's results, bands and
 * changes in words), and the printable before-session summary.
 *
 * The summary page follows the domain's section list (summary_sections in
 * domain/therapy_session.c): each section has a builder here (page_sections)
 * and a part of templates/therapist_summary.html; the homework and
 * "brought" sections (issue 13's homework and bridge) are filled like the others.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../domain/date.h"
#include "../domain/therapy_session.h"
#include "../domain/trends.h"
#include "render/chart.h"
#include "render/time.h"
#include "web.h"

/* ------------------------------------------------------------------ the next session */

void web_session_context(struct request *r, json_t *therapist)
{
	struct store_session_plan plan;
	struct problem p = {0};
	/* a failed read shows no date, as the rest of the space page does for the therapist */
	if (!therapy_session_of_space(r->app->store, &r->viewer, &plan, NULL, &p))
		return;
	int64_t next = therapy_session_upcoming(plan.next_at, now_ms());
	if (!next)
		return;
	char at[TIME_WORDS_MAX];
	time_words_appointment(r->lang, viewer_time_zone(&r->viewer), next, at);
	json_object_set_new(therapist, "next_session", json_string(at));
}

/* A time as <input type="datetime-local"> shows it, in the reader's zone: "2026-12-03T17:00". */
static const char *local_input(struct request *r, int64_t at)
{
	char day[11], clock[6];
	date_local_clock(viewer_time_zone(&r->viewer), at, day, clock);
	return arena_printf(r->arena, "%sT%s", day, clock);
}

/* ------------------------------------------------------------------ questionnaire results in words */

/* "3.4", or a sum as a whole number: as the instrument says its scores. */
static const char *score_text(struct request *r, const struct questionnaire *q, double v)
{
	char out[32];
	questionnaire_format(q, v, out);
	lang_decimal(r->lang, out);
	return arena_strdup(r->arena, out);
}

/* A change in words: "up 0.6 since 13 Nov: more than chance would give (a reliable change)". Never a judgement. */
static const char *change_text(struct request *r, const struct therapist_qresult *x)
{
	if (!x->change.present)
		return tr(r->lang, "The first result shared with you.");
	const char *since = web_day(r, x->change.from_at);
	const char *size = score_text(r, x->q, fabs(x->change.delta));
	/* TRANSLATORS: a change of a questionnaire's score: the size of the change, then a day */
	const char *base = x->change.delta > 0   ? arena_printf(r->arena, tr(r->lang, "Up %s since %s"), size, since)
	                   : x->change.delta < 0 ? arena_printf(r->arena, tr(r->lang, "Down %s since %s"), size, since)
	                                         : arena_printf(r->arena, tr(r->lang, "No change since %s"), since);
	if (x->change.reliable > 0)
		return arena_printf(r->arena, tr(r->lang, "%s: more than chance would give (a reliable change)."),
		                    base);
	if (x->change.reliable == 0)
		return arena_printf(r->arena, tr(r->lang, "%s: within what chance could give."), base);
	return arena_printf(r->arena, "%s.", base);
}

static json_t *result_json(struct request *r, const struct therapist_qresult *x)
{
	return json_pack("{s:o, s:s, s:s?, s:s}", "when", web_when(r, x->response.created_at), "score",
	                 score_text(r, x->q, x->response.score), "band", x->band ? x->band->label : NULL, "change",
	                 change_text(r, x));
}

/* The partner's index in ts, or -1. */
static int member_of(const struct therapist_space *ts, const char *user_id)
{
	for (int m = 0; m < ts->t.members; m++)
		if (strcmp(ts->t.member_ids[m], user_id) == 0)
			return m;
	return -1;
}

/* One series of a partner's scores on one instrument, a point per local day (oldest first). */
static void result_series(struct request *r, const struct therapist_space *ts, const struct questionnaire *q,
                          const struct therapist_qresult *items, int n, int member, const char *from, const char *to,
                          struct trend_series *out)
{
	int64_t *times = arena_alloc(r->arena, sizeof *times * (size_t)(n ? n : 1));
	double *values = arena_alloc(r->arena, sizeof *values * (size_t)(n ? n : 1));
	int k = 0;
	for (int i = n - 1; i >= 0; i--) /* newest first: oldest first for the days */
		if (items[i].q == q && strcmp(items[i].response.author_id, ts->t.member_ids[member]) == 0) {
			times[k] = items[i].response.created_at;
			values[k++] = items[i].response.score;
		}
	trend_daily_means(viewer_time_zone(&r->viewer), times, values, k, from, to, r->arena, out);
	out->min = q->score_min;
	out->max = q->score_max;
	out->label = q->title;
}

/* A chart of both partners' results on q from `from` to today; NULL when it could not be drawn. */
static const char *result_chart(struct request *r, const struct therapist_space *ts, const struct questionnaire *q,
                                const struct therapist_qresult *items, int n, const char *from, const char *to,
                                const char *id)
{
	struct trend_series series[2];
	const char *names[2] = {NULL, NULL};
	int shown = 0;
	for (int m = 0; m < ts->t.members && shown < 2; m++) {
		if (!ts->t.consent[m])
			continue;
		result_series(r, ts, q, items, n, m, from, to, &series[shown]);
		names[shown++] = ts->t.member_names[m];
	}
	if (chart_is_empty(shown > 0 ? &series[0] : NULL, shown > 1 ? &series[1] : NULL))
		return NULL;
	struct chart_word *words;
	int word_count = chart_words(q, r->arena, &words);
	struct buf out;
	buf_init(&out, 1024 * 1024);
	/* TRANSLATORS: a chart's title: the questionnaire, its first day and its last day */
	struct chart c = {.title = arena_printf(r->arena, tr(r->lang, "%s, %s to %s"), q->title, from, to),
	                  .from = from,
	                  .to = to,
	                  .lang = r->lang,
	                  .mine = shown > 0 ? &series[0] : NULL,
	                  .mine_name = names[0],
	                  .partner = shown > 1 ? &series[1] : NULL,
	                  .partner_name = names[1],
	                  .words = words,
	                  .word_count = word_count,
	                  .id = id};
	int rc = chart_draw(&out, &c);
	const char *html = rc == 0 ? arena_strdup(r->arena, out.data) : NULL;
	buf_cleanup(&out);
	return html;
}

/*
 * The instruments with results in items, each {title, chart, partners:
 * [{name, results}]}: a chart of both partners over time and each partner's
 * results with band and change in words.
 */
static json_t *instruments_json(struct request *r, const struct therapist_space *ts,
                                const struct therapist_qresult *items, int n, const char *from, const char *to,
                                bool charts)
{
	json_t *list = json_array();
	for (size_t qi = 0; qi < questionnaire_count(); qi++) {
		const struct questionnaire *q = questionnaire_at(qi);
		json_t *partners = json_array();
		bool any = false;
		for (int m = 0; m < ts->t.members; m++) {
			json_t *results = json_array();
			for (int i = 0; i < n; i++)
				if (items[i].q == q && member_of(ts, items[i].response.author_id) == m)
					json_array_append_new(results, result_json(r, &items[i]));
			if (json_array_size(results) == 0) {
				json_decref(results);
				continue;
			}
			any = true;
			json_array_append_new(
			    partners, json_pack("{s:s, s:o}", "name", ts->t.member_names[m], "results", results));
		}
		if (!any) {
			json_decref(partners);
			continue;
		}
		const char *chart =
		    charts ? result_chart(r, ts, q, items, n, from, to, arena_printf(r->arena, "results-%zu", qi))
		           : NULL;
		json_array_append_new(
		    list, json_pack("{s:s, s:s?, s:o}", "title", q->title, "chart", chart, "partners", partners));
	}
	return list;
}

bool web_therapist_space_sessions(struct request *r, const struct therapist_space *ts, json_t *ctx, struct problem *p)
{
	struct therapist_qresult *items;
	int count;
	const char *next;
	struct store_session_plan plan;
	if (!therapist_questionnaires(r->app->store, &r->viewer, ts, 0, NULL, 0, 100, r->arena, &items, &count, &next,
	                              p) ||
	    !therapy_session_plan(r->app->store, ts, &plan, p))
		return false;
	char today[11], from[11];
	date_local(viewer_time_zone(&r->viewer), now_ms(), today);
	if (!date_add_days(today, -364, from))
		snprintf(from, sizeof from, "%s", today);
	json_object_set_new(ctx, "instruments", instruments_json(r, ts, items, count, from, today, true));
	int64_t upcoming = therapy_session_upcoming(plan.next_at, now_ms());
	const char *typed = request_form(r, "at");
	json_t *session = json_pack("{s:s, s:s}", "value",
	                            typed      ? typed
	                            : upcoming ? local_input(r, upcoming)
	                                       : "",
	                            "zone", viewer_time_zone(&r->viewer));
	if (upcoming) {
		char at[TIME_WORDS_MAX];
		time_words_appointment(r->lang, viewer_time_zone(&r->viewer), upcoming, at);
		json_object_set_new(session, "next", json_string(at));
	}
	json_object_set_new(ctx, "session", session);
	return true;
}

void web_therapist_next_session(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	struct store_session_plan plan;
	if (!web_therapist_space_open(r, &ts))
		return;
	const char *clear = request_form(r, "clear");
	const char *at = request_form(r, "at");
	bool clearing = clear && strcmp(clear, "1") == 0;
	if (therapy_session_set(r->app->store, &r->viewer, &ts, clearing ? NULL : at ? at : "", &plan, &p))
		reply_redirect(r, arena_printf(r->arena, "/therapist/spaces/%s?session=%s#session-heading", ts.space_id,
		                               clearing ? "cleared" : "set"));
	else if (outcome_is_fault(p.outcome) || p.outcome == OUTCOME_NOT_FOUND)
		web_problem_page(r, &p);
	else
		web_therapist_space_render(r, web_status(r, p.outcome), &ts, &p, NULL);
}

/* ------------------------------------------------------------------ the before-session summary */

/* A mean in words: "3.4 of 5", or that nothing was shared. */
static const char *mean_text(struct request *r, json_t *metric, double max)
{
	json_t *mean = json_object_get(metric, "mean");
	if (!json_is_number(mean))
		return tr(r->lang, "nothing shared in this period");
	char figure[32];
	snprintf(figure, sizeof figure, "%.1f", round(json_number_value(mean) * 10) / 10);
	lang_decimal(r->lang, figure);
	/* TRANSLATORS: a mean of a scale: "3.4 of 5" (the first number as the language writes it) */
	return arena_printf(r->arena, tr(r->lang, "%s of %.0f"), figure, max);
}

/* The summary's check-ins of one partner for the page: the three means and a small chart of "felt secure". */
static json_t *page_checkins(struct request *r, json_t *partner, const struct session_period *period, size_t index)
{
	json_t *ck = json_object_get(partner, "checkins");
	static const struct {
		const char *key, *label;
		double max;
	} scales[] = {{"mood", N_("Mood"), 5}, {"connection", N_("Connection"), 10}, {"secure", N_("Felt secure"), 10}};
	json_t *rows = json_array();
	for (size_t i = 0; i < sizeof scales / sizeof *scales; i++)
		json_array_append_new(rows, json_pack("{s:s, s:s}", "label", tr(r->lang, scales[i].label), "mean",
		                                      mean_text(r, json_object_get(ck, scales[i].key), scales[i].max)));
	json_t *secure = json_object_get(json_object_get(ck, "secure"), "series");
	struct trend_series days = {.min = 0, .max = 10, .label = tr(r->lang, "Felt secure")};
	days.count = (int)json_array_size(secure);
	days.points = arena_alloc(r->arena, sizeof *days.points * (size_t)(days.count ? days.count : 1));
	for (int i = 0; i < days.count; i++) {
		json_t *pt = json_array_get(secure, (size_t)i);
		snprintf(days.points[i].date, 11, "%s", json_string_value(json_object_get(pt, "date")));
		days.points[i].value = json_number_value(json_object_get(pt, "value"));
	}
	const char *chart = NULL;
	if (days.count) {
		struct buf out;
		buf_init(&out, 1024 * 1024);
		const char *name = json_string_value(json_object_get(partner, "display_name"));
		struct chart c = {/* TRANSLATORS: a chart's title: a partner's name, the first day and the last day */
		                  .title = arena_printf(r->arena, tr(r->lang, "Felt secure, %s, %s to %s"), name,
		                                        period->from, period->to),
		                  .from = period->from,
		                  .to = period->to,
		                  .lang = r->lang,
		                  .mine = &days,
		                  .mine_name = name,
		                  .id = arena_printf(r->arena, "secure-%zu", index)};
		if (chart_draw(&out, &c) == 0)
			chart = arena_strdup(r->arena, out.data);
		buf_cleanup(&out);
	}
	return json_pack("{s:o, s:s?}", "rows", rows, "chart", chart);
}

/* An RFC 3339 UTC time of the domain's JSON back in ms (0 when it is not one). */
static int64_t stamp_ms(const char *stamp)
{
	struct tm tm = {0};
	const char *end = stamp ? strptime(stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	return end && !*end ? (int64_t)timegm(&tm) * 1000 : 0;
}

/* The summary's questionnaire results of one partner for the page, in words. */
static json_t *page_questionnaires(struct request *r, json_t *partner)
{
	json_t *list = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(partner, "questionnaires"), i, x)
	{
		const struct questionnaire *q =
		    questionnaire_by_id(json_string_value(json_object_get(x, "questionnaire_id")));
		if (!q)
			continue;
		struct therapist_qresult one = {.q = q};
		one.response.score = json_number_value(json_object_get(x, "score"));
		json_t *ch = json_object_get(x, "change");
		if (json_is_object(ch)) {
			one.change.present = true;
			one.change.delta = json_number_value(json_object_get(ch, "delta"));
			json_t *rel = json_object_get(ch, "reliable");
			one.change.reliable = json_is_null(rel) ? -1 : json_is_true(rel);
			one.change.from_at = stamp_ms(json_string_value(json_object_get(ch, "from_at")));
		}
		const char *band = json_string_value(json_object_get(x, "band"));
		json_array_append_new(
		    list,
		    json_pack("{s:s, s:o, s:s, s:s?, s:s}", "title", q->title, "when",
		              web_when_stamp(r, json_string_value(json_object_get(x, "created_at")), true), "score",
		              score_text(r, q, one.response.score), "band", band, "change", change_text(r, &one)));
	}
	return list;
}

/* The partner's homework with its status in words (issue 13). */
static json_t *page_homework(struct request *r, json_t *one)
{
	static const struct {
		const char *status, *words;
	} words[] = {{"todo", N_("not yet")}, {"done", N_("done")}, {"not_this_week", N_("not this week")}};
	json_t *out = json_array();
	size_t i;
	json_t *hw;
	json_array_foreach(json_object_get(one, "homework"), i, hw)
	{
		const char *st = json_string_value(json_object_get(hw, "status"));
		const char *said = st ? st : "";
		for (size_t k = 0; k < sizeof words / sizeof *words; k++)
			if (st && strcmp(st, words[k].status) == 0)
				said = tr(r->lang, words[k].words);
		json_t *item = json_deep_copy(hw);
		json_object_set_new(item, "status_words", json_string(said));
		json_array_append_new(out, item);
	}
	return out;
}

void web_therapist_summary(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	struct store_session_plan plan;
	struct session_period period;
	json_t *sum = NULL;
	if (!therapist_space_open(r->app->store, &r->viewer, r->path_args[0], &ts, &p) ||
	    !therapy_session_plan(r->app->store, &ts, &plan, &p)) {
		web_problem_page(r, &p);
		return;
	}
	int64_t now = now_ms(), last = therapy_session_last(plan.next_at, plan.previous_at, now);
	const char *from = request_query(r, "from"), *to = request_query(r, "to");
	/* a date field keeps only a date: a browser sends nothing else, and an input holds nothing else */
	json_t *ctx = json_pack("{s:s, s:s, s:s}", "id", ts.space_id, "from_value",
	                        from && date_valid(from) ? from : "", "to_value", to && date_valid(to) ? to : "");
	int status = 200;
	if (!therapy_session_period(from, to, viewer_time_zone(&r->viewer), last, now, &period, &p)) {
		/* a period that cannot be read: the default one, with the problem next to the fields */
		web_add_problem(r, ctx, &p);
		status = web_status(r, p.outcome);
		p = (struct problem){0};
		if (!therapy_session_period(NULL, NULL, viewer_time_zone(&r->viewer), last, now, &period, &p)) {
			json_decref(ctx);
			web_problem_page(r, &p);
			return;
		}
	}
	if (!therapy_session_summary(r->app->store, &r->viewer, &ts, &period, &plan, r->arena, &sum, &p)) {
		json_decref(ctx);
		web_problem_page(r, &p);
		return;
	}
	json_t *partners = json_array();
	const char *names = NULL; /* "Alex and Sam" */
	size_t i;
	json_t *one;
	json_array_foreach(json_object_get(sum, "partners"), i, one)
	{
		const char *name = json_string_value(json_object_get(one, "display_name"));
		names = names ? arena_printf(r->arena, tr(r->lang, "%s and %s"), names, name) : name;
		json_t *page =
		    json_pack("{s:s, s:b}", "name", name, "consent", json_is_true(json_object_get(one, "consent")));
		if (json_is_true(json_object_get(one, "consent"))) {
			/* THE PAGE'S SECTIONS per partner, as the domain's summary_sections */
			json_object_set_new(page, "checkins", page_checkins(r, one, &period, i));
			json_object_set_new(page, "questionnaires", page_questionnaires(r, one));
			json_object_set_new(page, "homework", page_homework(r, one));
			json_object_set(page, "brought", json_object_get(one, "brought"));
		}
		json_array_append_new(partners, page);
	}
	json_t *repairs = json_object_get(sum, "repairs");
	web_repair_states_in_words(r, repairs);
	json_object_set(ctx, "repairs", repairs ? repairs : json_array());
	json_object_set_new(ctx, "partners", partners);
	json_object_set_new(ctx, "from", web_on_full(r, period.from));
	json_object_set_new(ctx, "to", web_on_full(r, period.to));
	json_object_set_new(ctx, "since_session", json_boolean(period.since_session));
	int64_t next = therapy_session_upcoming(plan.next_at, now);
	if (last)
		json_object_set_new(ctx, "last_session", web_when_full(r, last));
	if (next) {
		char at[TIME_WORDS_MAX];
		time_words_appointment(r->lang, viewer_time_zone(&r->viewer), next, at);
		json_object_set_new(ctx, "next_session", json_string(at));
	}
	const char *title = tr(r->lang, "Before your session");
	json_object_set_new(ctx, "names", json_string(names ? names : tr(r->lang, "the couple")));
	json_decref(sum);
	web_render(r, status, "therapist_summary", title, ctx);
}
