/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * trends.c - series of daily means (see trends.h). Days are the space's
 * local days. The values are sealed in the store: each is opened here
 * before it is counted. The chart that draws them is presentation: web/render/chart.c.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/i18n.h"
#include "checkin.h"
#include "date.h"
#include "prompt.h"
#include "questionnaire.h"
#include "repair.h"
#include "trends.h"

static const struct {
	const char *name, *label;
	double min, max;
} checkin_metrics[TREND_CHECKIN_METRICS] = {
    [METRIC_MOOD] = {"mood", N_("Mood"), 1, 5},
    [METRIC_CONNECTION] = {"connection", N_("Connection"), 0, 10},
    [METRIC_SECURE] = {"secure", N_("Felt secure"), 0, 10},
};

bool trend_metric_parse(const char *s, enum trend_metric *out, const struct questionnaire **q)
{
	*q = NULL;
	for (size_t i = 0; s && i < ARRAY_LEN(checkin_metrics); i++) {
		if (strcmp(s, checkin_metrics[i].name) == 0) {
			*out = (enum trend_metric)i;
			return true;
		}
	}
	if (!(*q = questionnaire_by_id(s)))
		return false;
	*out = METRIC_QUESTIONNAIRE;
	return true;
}

const char *trend_metric_name(enum trend_metric m)
{
	assert((size_t)m < ARRAY_LEN(checkin_metrics));
	return checkin_metrics[m].name;
}

const char *trend_metric_label(enum trend_metric m)
{
	assert((size_t)m < ARRAY_LEN(checkin_metrics));
	return checkin_metrics[m].label;
}

double trend_metric_value(enum trend_metric m, int mood, int connection, int secure)
{
	assert(m != METRIC_QUESTIONNAIRE);
	return m == METRIC_MOOD ? mood : m == METRIC_CONNECTION ? connection : secure;
}

bool trend_range(const struct viewer *v, const char *from, const char *to, char from_out[11], char to_out[11],
                 struct problem *p)
{
	assert(v && from_out && to_out);
	char today[11];
	date_today(v, today);
	if (to && *to) {
		if (!date_valid(to))
			return problem_invalid(p, "to", "Give the date as YYYY-MM-DD.");
		snprintf(to_out, 11, "%s", to);
	} else {
		snprintf(to_out, 11, "%s", today);
	}
	if (from && *from) {
		if (!date_valid(from))
			return problem_invalid(p, "from", "Give the date as YYYY-MM-DD.");
		snprintf(from_out, 11, "%s", from);
	} else if (!date_add_days(to_out, -29, from_out)) {
		return problem_invalid(p, "to", "Give the date as YYYY-MM-DD.");
	}
	if (strcmp(from_out, to_out) > 0)
		return problem_invalid(p, "from", "The start date must not be after the end date.");
	char limit[11];
	if (date_add_days(from_out, 3660, limit) && strcmp(to_out, limit) > 0)
		return problem_invalid(p, "from", "Choose a period of at most ten years.");
	return true;
}

struct day_acc {
	char date[11];
	double sum;
	int n;
};

/* Adds a value to its local day's running mean (days arrive in order, oldest first). */
static void accumulate(struct day_acc *days, int *count, const char *date, double value)
{
	if (*count == 0 || strcmp(days[*count - 1].date, date) != 0) {
		memcpy(days[*count].date, date, 11); /* a date: ten characters and the end */
		days[*count].sum = 0;
		days[*count].n = 0;
		(*count)++;
	}
	days[*count - 1].sum += value;
	days[*count - 1].n++;
}

void trend_daily_means(const char *time_zone, const int64_t *times, const double *values, int n, const char *from,
                       const char *to, struct arena *a, struct trend_series *out)
{
	assert(n >= 0 && (n == 0 || (times && values)) && date_valid(from) && date_valid(to));
	char(*dates)[11] = arena_alloc(a, sizeof *dates * (size_t)(n ? n : 1));
	date_local_many(time_zone, times, n, dates);
	struct day_acc *days = arena_alloc(a, sizeof *days * (size_t)(n ? n : 1));
	int count = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(dates[i], from) >= 0 && strcmp(dates[i], to) <= 0)
			accumulate(days, &count, dates[i], values[i]);
	out->points = arena_alloc(a, sizeof *out->points * (size_t)(count ? count : 1));
	for (int i = 0; i < count; i++) {
		memcpy(out->points[i].date, days[i].date, 11);
		out->points[i].value = days[i].sum / days[i].n;
	}
	out->count = count;
}

bool trend_series(struct store *s, const struct viewer *v, const char *metric, const char *who, const char *from,
                  const char *to, struct arena *a, struct trend_series *out, struct problem *p)
{
	assert(viewer_sane(v) && date_valid(from) && date_valid(to) && out);
	memset(out, 0, sizeof *out);
	bool partner = who && strcmp(who, "partner") == 0;
	if (who && !partner && strcmp(who, "me") != 0)
		return problem_invalid(p, "author", "author is me or partner.");
	const struct questionnaire *q;
	enum trend_metric m;
	if (!trend_metric_parse(metric, &m, &q))
		return problem_invalid(p, "metric", "metric is mood, connection, secure or a questionnaire id.");
	if (q) {
		/* The range the score can take: a sum's is wider than one item's. */
		out->min = q->score_min, out->max = q->score_max, out->label = q->title;
	} else {
		out->min = checkin_metrics[m].min, out->max = checkin_metrics[m].max,
		out->label = checkin_metrics[m].label;
	}
	const char *author = partner ? v->partner_id : v->user_id;
	if (partner && !author[0])
		return true; /* no partner: nothing of theirs to draw */
	/* Widened by a day each side to cover every time zone. */
	int64_t lo = date_utc_ms(from, -1), hi = date_utc_ms(to, 2);
	int n = 0;
	int64_t *times = NULL;
	double *values = NULL;
	if (!q) {
		struct store_point *pts;
		enum store_status st = s->checkin_points(s, a, author, v->space_id, partner, lo, hi, &pts, &n);
		if (st != STORE_OK)
			return problem_from_store(p, st);
		times = arena_alloc(a, sizeof *times * (size_t)(n ? n : 1));
		values = arena_alloc(a, sizeof *values * (size_t)(n ? n : 1));
		/* Each check-in's scales are opened here, after the store: the database holds none in clear. */
		int kept = 0;
		for (int i = 0; i < n; i++) {
			/* The partner's point only when this item of theirs is shared (per-item visibility). */
			if (partner && strlen(pts[i].item_visibility) == CHECKIN_ITEMS &&
			    pts[i].item_visibility[m] != 'p' && pts[i].item_visibility[m] != 't')
				continue;
			int mood, connection, secure;
			if (!checkin_open_point(s, pts[i].id, pts[i].scales, &mood, &connection, &secure, p))
				return false;
			times[kept] = pts[i].at;
			values[kept++] = trend_metric_value(m, mood, connection, secure);
		}
		n = kept;
	} else {
		struct store_qresponse *rows;
		if (partner) {
			enum store_status st =
			    s->qresponse_list(s, a, v->space_id, author, q->id, true, lo, hi, NULL, 5000, &rows, &n);
			if (st != STORE_OK)
				return problem_from_store(p, st);
			for (int i = 0; i < n; i++)
				if (!questionnaire_open(s, &rows[i], false, a, p))
					return false;
		} else {
			if (!questionnaire_mine(s, v, q->id, hi, NULL, 5000, a, &rows, &n, p))
				return false;
			while (n > 0 && rows[n - 1].created_at < lo)
				n--; /* newest first: drop those before the period */
		}
		times = arena_alloc(a, sizeof *times * (size_t)(n ? n : 1));
		values = arena_alloc(a, sizeof *values * (size_t)(n ? n : 1));
		for (int i = 0; i < n; i++) { /* newest first: reverse into time order */
			times[i] = rows[n - 1 - i].created_at;
			values[i] = rows[n - 1 - i].score;
		}
	}
	trend_daily_means(v->time_zone, times, values, n, from, to, a, out);
	return true;
}
