/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * trends.c - series of daily means and the SVG line chart (see trends.h).
 * Days are the space's local days. The chart is plain SVG with a <title> and
 * a <desc> that says the figures in words, so it needs no script and reads
 * aloud; its colours come from a small stylesheet inside the SVG that
 * follows the reader's light or dark theme.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../template/template.h"
#include "checkin.h"
#include "date.h"
#include "trends.h"
#include "prompt.h"
#include "questionnaire.h"
#include "repair.h"

static const struct {
	const char *name, *label;
	double min, max;
} checkin_metrics[TREND_CHECKIN_METRICS] = {
    [METRIC_MOOD] = {"mood", "Mood", 1, 5},
    [METRIC_CONNECTION] = {"connection", "Connection", 0, 10},
    [METRIC_SECURE] = {"secure", "Felt secure", 0, 10},
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
		snprintf(days[*count].date, 11, "%s", date);
		days[*count].sum = 0;
		days[*count].n = 0;
		(*count)++;
	}
	days[*count - 1].sum += value;
	days[*count - 1].n++;
}

bool trend_series(struct store *s, const struct viewer *v, const char *metric, const char *who, const char *from,
                  const char *to, struct arena *a, struct trend_series *out, struct problem *p)
{
	memset(out, 0, sizeof *out);
	bool partner = who && strcmp(who, "partner") == 0;
	if (who && !partner && strcmp(who, "me") != 0)
		return problem_invalid(p, "author", "author is me or partner.");
	const struct questionnaire *q;
	enum trend_metric m;
	if (!trend_metric_parse(metric, &m, &q))
		return problem_invalid(p, "metric", "metric is mood, connection, secure or a questionnaire id.");
	if (q) {
		out->min = q->items[0].min, out->max = q->items[0].max, out->label = q->title;
		for (size_t i = 1; i < q->count; i++) {
			out->min = fmin(out->min, q->items[i].min);
			out->max = fmax(out->max, q->items[i].max);
		}
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
		for (int i = 0; i < n; i++) {
			times[i] = pts[i].at;
			values[i] = trend_metric_value(m, pts[i].mood, pts[i].connection, pts[i].secure);
		}
	} else {
		struct store_qresponse *rows;
		if (partner) {
			enum store_status st = s->qresponse_list(s, a, v->space_id, author, q->id, true, lo, hi, 5000, &rows, &n);
			if (st != STORE_OK)
				return problem_from_store(p, st);
		} else {
			int64_t next;
			if (!questionnaire_mine(s, v, q->id, hi, 5000, a, &rows, &n, &next, p))
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
	char(*dates)[11] = arena_alloc(a, sizeof *dates * (size_t)(n ? n : 1));
	date_local_many(v->time_zone, times, n, dates);
	struct day_acc *days = arena_alloc(a, sizeof *days * (size_t)(n ? n : 1));
	int count = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(dates[i], from) >= 0 && strcmp(dates[i], to) <= 0)
			accumulate(days, &count, dates[i], values[i]);
	out->points = arena_alloc(a, sizeof *out->points * (size_t)(count ? count : 1));
	for (int i = 0; i < count; i++) {
		snprintf(out->points[i].date, 11, "%s", days[i].date);
		out->points[i].value = days[i].sum / days[i].n;
	}
	out->count = count;
	return true;
}

static int escape_into(struct buf *out, const char *s)
{
	return html_escape(out, s, strlen(s));
}

/* One series as a polyline (and dots, so single days show). */
static int draw_series(struct buf *out, const struct trend_series *sr, const char *cls, const char *from, int span,
                       double x0, double w, double y0, double h, double min, double max)
{
	if (!sr || sr->count == 0)
		return 0;
	int rc = buf_printf(out, "<polyline class=\"%s\" fill=\"none\" stroke-width=\"4\" points=\"", cls);
	for (int i = 0; i < sr->count && rc == 0; i++) {
		double x = x0 + (span ? w * date_days_between(from, sr->points[i].date) / span : w / 2);
		double y = y0 + h - h * (sr->points[i].value - min) / (max - min);
		rc = buf_printf(out, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	if (rc == 0)
		rc = buf_puts(out, "\"/>");
	for (int i = 0; i < sr->count && rc == 0; i++) {
		double x = x0 + (span ? w * date_days_between(from, sr->points[i].date) / span : w / 2);
		double y = y0 + h - h * (sr->points[i].value - min) / (max - min);
		rc = buf_printf(out, "<circle class=\"%s dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/>", cls, x, y);
	}
	return rc;
}

static int describe(struct buf *out, const struct trend_series *sr, const char *name)
{
	struct buf tmp;
	buf_init(&tmp, 0);
	int rc;
	if (!sr || sr->count == 0) {
		rc = buf_printf(&tmp, " No data for %s in this period.", name);
		if (rc == 0)
			rc = escape_into(out, tmp.data);
		buf_cleanup(&tmp);
		return rc;
	}
	double sum = 0, lo = sr->points[0].value, hi = lo;
	for (int i = 0; i < sr->count; i++) {
		sum += sr->points[i].value;
		lo = fmin(lo, sr->points[i].value);
		hi = fmax(hi, sr->points[i].value);
	}
	rc = buf_printf(&tmp, " %s: %d days with data, average %.1f, lowest %.1f, highest %.1f; latest %.1f on %s.",
	                    name, sr->count, sum / sr->count, lo, hi, sr->points[sr->count - 1].value,
	                    sr->points[sr->count - 1].date);
	if (rc == 0)
		rc = escape_into(out, tmp.data);
	buf_cleanup(&tmp);
	return rc;
}

int trend_svg(struct buf *out, bool standalone, const char *title, const char *from, const char *to,
              const struct trend_series *mine, const char *mine_name, const struct trend_series *partner,
              const char *partner_name)
{
	const double W = 640, H = 330, left = 56, right = 24, top = 20, bottom = 86;
	const double w = W - left - right, h = H - top - bottom;
	const struct trend_series *scale = mine ? mine : partner;
	double min = scale ? scale->min : 0, max = scale ? scale->max : 10;
	if (!(max > min))
		max = min + 1; /* a scale of one value still draws, never divides by zero */
	int span = date_days_between(from, to);
	int rc = buf_printf(out,
	                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\""
	                    " aria-labelledby=\"chart-title chart-desc\" class=\"chart\">",
	                    W, H);
	if (rc == 0 && standalone)
		rc = buf_puts(out, "<style>.axis{stroke:#8a7f75}.grid{stroke:#d9cfc4}.label{fill:#5f564e;font:22px sans-serif}"
		                   ".me{stroke:#8a3b12}.me.dot{fill:#8a3b12}.partner{stroke:#1a5fb4}.partner.dot{fill:#1a5fb4}"
		                   "@media (prefers-color-scheme: dark){.label{fill:#c9bdb0}.grid{stroke:#4a423a}"
		                   ".me{stroke:#f0a571}.me.dot{fill:#f0a571}.partner{stroke:#8cb8ff}.partner.dot{fill:#8cb8ff}}"
		                   "</style>");
	if (rc == 0)
		rc = buf_puts(out, "<title id=\"chart-title\">");
	if (rc == 0)
		rc = escape_into(out, title);
	if (rc == 0)
		rc = buf_printf(out, "</title><desc id=\"chart-desc\">From %s to %s.", from, to);
	if (rc == 0 && mine)
		rc = describe(out, mine, mine_name);
	if (rc == 0 && partner)
		rc = describe(out, partner, partner_name);
	if (rc == 0)
		rc = buf_puts(out, "</desc>");
	/* y grid and labels: the scale's whole numbers (at most 11 lines) */
	int step = (max - min) > 10 ? (int)ceil((max - min) / 10) : 1;
	for (double yv = min; yv <= max + 1e-9 && rc == 0; yv += step) {
		double y = top + h - h * (yv - min) / (max - min);
		rc = buf_printf(out,
		                "<line class=\"grid\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>"
		                "<text class=\"label\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%g</text>",
		                left, y, left + w, y, left - 8, y + 8, yv);
	}
	/* x axis: the first, middle and last dates */
	char mid[11];
	if (!date_add_days(from, span / 2, mid))
		snprintf(mid, sizeof mid, "%s", from);
	const char *ticks[3] = {from, mid, to};
	const char *anchors[3] = {"start", "middle", "end"};
	for (int i = 0; i < 3 && rc == 0; i++) {
		double x = left + (span ? w * date_days_between(from, ticks[i]) / span : w / 2);
		rc = buf_printf(out, "<text class=\"label\" x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">%s</text>", x, top + h + 28,
		                anchors[i], ticks[i]);
	}
	if (rc == 0)
		rc = buf_printf(out, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>", left, top + h,
		                left + w, top + h);
	if (rc == 0)
		rc = draw_series(out, mine, "me", from, span, left, w, top, h, min, max);
	if (rc == 0)
		rc = draw_series(out, partner, "partner", from, span, left, w, top, h, min, max);
	/* legend */
	double lx = left;
	const struct trend_series *list[2] = {mine, partner};
	const char *names[2] = {mine_name, partner_name}, *cls[2] = {"me", "partner"};
	for (int i = 0; i < 2 && rc == 0; i++) {
		if (!list[i])
			continue;
		rc = buf_printf(out,
		                "<line class=\"%s\" stroke-width=\"5\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>"
		                "<text class=\"label\" x=\"%.0f\" y=\"%.0f\">",
		                cls[i], lx, H - 16, lx + 28, H - 16, lx + 36, H - 8);
		if (rc == 0)
			rc = escape_into(out, names[i]);
		if (rc == 0)
			rc = buf_puts(out, "</text>");
		lx += 280;
	}
	return rc == 0 ? buf_puts(out, "</svg>") : rc;
}
