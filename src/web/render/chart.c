/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * chart.c - the trend chart as SVG (see chart.h). The chart is plain SVG with
 * a <title> and a <desc> that says the figures in words, so it needs no
 * script and reads aloud; standalone, its colours come from a small
 * stylesheet inside the SVG that follows the reader's light or dark theme.
 * Every text that comes from a person (names, titles) is escaped.
 */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../domain/date.h"
#include "../../template/template.h"

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
	buf_init(&tmp, 4096); /* one sentence with a display name and a few figures */
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

int chart_svg(struct buf *out, bool standalone, const char *title, const char *from, const char *to,
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
		rc = buf_puts(
		    out, "<style>.axis{stroke:#8a7f75}.grid{stroke:#d9cfc4}.label{fill:#5f564e;font:22px sans-serif}"
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
		rc = buf_printf(out, "<text class=\"label\" x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">%s</text>", x,
		                top + h + 28, anchors[i], ticks[i]);
	}
	if (rc == 0)
		rc = buf_printf(out, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>", left,
		                top + h, left + w, top + h);
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
		rc =
		    buf_printf(out,
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
