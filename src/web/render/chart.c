/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * chart.c - the trend chart as SVG (see chart.h). The chart is plain SVG with
 * a <title> and a <desc> that says the figures in words, so it needs no
 * script and reads aloud; standalone, its colours come from a small
 * stylesheet inside the SVG that follows the reader's light or dark theme.
 * Every text that comes from a person (names, titles) is escaped.
 *
 * Layout: the drawing is 640 units wide and scales with the page. It is laid
 * out for labels of 28 units, the size the stylesheets use on narrow screens
 * (the chart is about 300 px wide on a 360-px phone, so 28 units is about 13 px);
 * wider screens get 20 units, which only leaves more room. Two people are
 * told apart by more than colour: round markers on a solid line for one,
 * diamonds on a dashed line for the other, and a legend that names them.
 */
#include "chart.h"
#include "time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../domain/date.h"
#include "../../domain/questionnaire.h"
#include "../../template/template.h"

#define CHART_W 640.0
#define PLOT_H 220.0
#define LABEL 28.0       /* the label size the layout leaves room for */
#define LEGEND_ROW 40.0  /* one legend row per person */
#define MARKER 8.0       /* a marker's half size */
#define SIDE_BY_SIDE 8.0 /* how far equal values move apart, each way */

/* Where things go: the plot area, the value range, and the days it spans. */
struct layout {
	double left, top, w, h;
	double min, max;
	const char *start, *end;
	int span;
	enum lang lang;
};

static int escape_into(struct buf *out, const char *s)
{
	return html_escape(out, s, strlen(s));
}

int chart_words(const struct questionnaire *q, struct arena *a, struct chart_word **words)
{
	*words = NULL;
	if (!q || q->scoring != Q_SCORING_MEAN || !q->items[0].labels)
		return 0;
	for (size_t i = 1; i < q->count; i++)
		if (q->items[i].min != q->items[0].min || q->items[i].max != q->items[0].max || !q->items[i].labels)
			return 0;
	int n = q->items[0].max - q->items[0].min + 1;
	*words = arena_alloc(a, sizeof **words * (size_t)n);
	for (int v = 0; v < n; v++) {
		(*words)[v].value = q->items[0].min + v;
		(*words)[v].word = json_string_value(json_array_get(q->items[0].labels, (size_t)v));
	}
	return n;
}

bool chart_is_empty(const struct trend_series *mine, const struct trend_series *partner)
{
	return (!mine || mine->count == 0) && (!partner || partner->count == 0);
}

static double x_of(const struct layout *l, const char *date)
{
	return l->left + (l->span ? l->w * date_days_between(l->start, date) / l->span : l->w / 2);
}

static double y_of(const struct layout *l, double v)
{
	return l->top + l->h - l->h * (v - l->min) / (l->max - l->min);
}

/* Appends "%.1f" of each value in turn, each after its separator (buf_fixed1: no printf on the hot path). */
static int put_fixed(struct buf *out, const char *const *seps, const double *values, int n)
{
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = buf_puts(out, seps[i]);
		if (rc == 0)
			rc = buf_fixed1(out, values[i]);
	}
	return rc;
}

/* A marker: a circle for the viewer, a diamond for the partner; its <title> names whose it is. */
static int draw_marker(struct buf *out, bool partner, double x, double y, const char *name, const char *date,
                       double value, enum lang lang)
{
	/* "M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ" and "cx=\"%.1f\" cy=\"%.1f\"", without printf. */
	static const char *const diamond[] = {"<path class=\"partner dot\" d=\"M", " ", "L", " ", "L", " ", "L", " "};
	static const char *const circle[] = {"<circle class=\"me dot\" cx=\"", "\" cy=\""};
	int rc = partner ? put_fixed(out, diamond,
	                             (const double[]){x, y - MARKER - 1, x + MARKER + 1, y, x, y + MARKER + 1,
	                                              x - MARKER - 1, y},
	                             8)
	                 : put_fixed(out, circle, (const double[]){x, y}, 2);
	if (rc == 0)
		rc = buf_puts(out, partner ? "Z\">" : "\" r=\"7\">"); /* r is "%.0f" of MARKER - 1 */
	char day[TIME_WORDS_MAX];
	time_date_label(lang, date, false, day);
	if (rc == 0)
		rc = buf_puts(out, "<title>");
	if (rc == 0)
		rc = escape_into(out, name);
	if (rc == 0) /* ", %s: %.1f</title>" */
		rc =
		    buf_puts(out, ", ") || buf_puts(out, day) || buf_puts(out, ": ") || buf_fixed1(out, value) ? -1 : 0;
	if (rc == 0 && lang != LANG_EN) { /* the figure just written, as the language writes it */
		char *figure = out->data + out->len;
		while (figure > out->data && figure[-1] != ' ')
			figure--;
		lang_decimal(lang, figure);
	}
	if (rc == 0)
		rc = buf_puts(out, partner ? "</title></path>" : "</title></circle>");
	return rc;
}

/* One series: a line through its points, then a marker on each. xs and ys hold the positions. */
static int draw_series(struct buf *out, const struct trend_series *sr, bool partner, const char *name, const double *xs,
                       const double *ys, enum lang lang)
{
	if (!sr || sr->count == 0)
		return 0;
	int rc = buf_printf(out, "<polyline class=\"%s\" fill=\"none\" stroke-width=\"4\"%s points=\"",
	                    partner ? "partner" : "me", partner ? " stroke-dasharray=\"12 7\"" : "");
	for (int i = 0; i < sr->count && rc == 0; i++) /* "%s%.1f,%.1f" */
		rc = put_fixed(out, (const char *const[]){i ? " " : "", ","}, (const double[]){xs[i], ys[i]}, 2);
	if (rc == 0)
		rc = buf_puts(out, "\"/>");
	for (int i = 0; i < sr->count && rc == 0; i++)
		rc = draw_marker(out, partner, xs[i], ys[i], name, sr->points[i].date, sr->points[i].value, lang);
	return rc;
}

static int describe(struct buf *out, enum lang l, const struct trend_series *sr, const char *name)
{
	struct buf tmp;
	buf_init(&tmp, 4096); /* one sentence with a display name and a few figures */
	int rc;
	if (!sr || sr->count == 0) {
		rc = buf_puts(&tmp, " ");
		if (rc == 0)
			rc = buf_printf(&tmp, tr(l, "No data for %s in this period."), name);
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
	char latest[TIME_WORDS_MAX];
	time_date_label(l, sr->points[sr->count - 1].date, false, latest);
	char figures[4][32]; /* the average, lowest, highest and latest, as the language writes them */
	const double values[4] = {sum / sr->count, lo, hi, sr->points[sr->count - 1].value};
	for (int i = 0; i < 4; i++) {
		snprintf(figures[i], sizeof figures[i], "%.1f", values[i]);
		lang_decimal(l, figures[i]);
	}
	/* TRANSLATORS: the count may be 1 too: word it so that any number reads well ("days with data: %d"). */
	const char *fmt = tr(l, "%s: %d days with data, average %s, lowest %s, highest %s; latest %s on %s.");
	rc = buf_puts(&tmp, " ");
	if (rc == 0)
		rc = buf_printf(&tmp, fmt, name, sr->count, figures[0], figures[1], figures[2], figures[3], latest);
	if (rc == 0)
		rc = escape_into(out, tmp.data);
	buf_cleanup(&tmp);
	return rc;
}

/* The value axis: the scale's words above their lines, or numbers to the left, never crowded. */
static int draw_value_axis(struct buf *out, const struct chart *c, const struct layout *l)
{
	int rc = 0;
	if (c->word_count > 0) {
		for (int i = 0; i < c->word_count && rc == 0; i++) {
			double y = y_of(l, c->words[i].value);
			rc = buf_printf(out, "<line class=\"grid\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>",
			                l->left, y, l->left + l->w, y);
			/* More than seven words would crowd: then only the two ends are named. */
			if (rc == 0 && (c->word_count <= 7 || i == 0 || i == c->word_count - 1)) {
				rc = buf_printf(out, "<text class=\"label halo\" x=\"%.0f\" y=\"%.1f\">", l->left + 4,
				                y - 8);
				if (rc == 0)
					rc = escape_into(out, c->words[i].word);
				if (rc == 0)
					rc = buf_puts(out, "</text>");
			}
		}
		return rc;
	}
	/*
	 * A step of 1, 2, 5, 10, 20 ... that keeps the numbers at least 1.4 labels apart. Each value
	 * is a whole multiple of it, so "%.0f" writes it as "%g" did below a million (in full above),
	 * and buf_printf writes that itself, not through vsnprintf: 45,000 instructions of a stale
	 * dashboard (bench/README.md).
	 */
	double step = 1;
	for (int k = 0; k < 12 && l->h * step / (l->max - l->min) < LABEL * 1.4; k++)
		step *= (k % 3 == 1) ? 2.5 : 2;
	for (double yv = ceil(l->min / step) * step; yv <= l->max + 1e-9 && rc == 0; yv += step) {
		double y = y_of(l, yv);
		rc = buf_printf(out,
		                "<line class=\"grid\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>"
		                "<text class=\"label\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>",
		                l->left, y, l->left + l->w, y, l->left - 10, y + LABEL / 3, yv);
	}
	return rc;
}

/* The time axis: up to four human dates (three when the years differ, as they then carry the year). */
static int draw_time_axis(struct buf *out, const struct layout *l)
{
	bool years = strncmp(l->start, l->end, 4) != 0;
	int ticks = l->span == 0 ? 1 : l->span + 1 < (years ? 3 : 4) ? l->span + 1 : (years ? 3 : 4);
	int rc = 0;
	for (int i = 0; i < ticks && rc == 0; i++) {
		char date[11], label[TIME_WORDS_MAX];
		int day = ticks == 1 ? 0 : (int)lround((double)i * l->span / (ticks - 1));
		if (!date_add_days(l->start, day, date))
			snprintf(date, sizeof date, "%s", l->start);
		time_date_label(l->lang, date, years, label);
		const char *anchor = ticks == 1 ? "middle" : i == 0 ? "start" : i == ticks - 1 ? "end" : "middle";
		rc = buf_printf(out, "<text class=\"label\" x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">%s</text>",
		                x_of(l, date), l->top + l->h + LABEL + 10, anchor, label);
	}
	if (rc == 0)
		rc = buf_printf(out, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>", l->left,
		                l->top + l->h, l->left + l->w, l->top + l->h);
	return rc;
}

/* One legend row: the person's marker on a piece of their line, and their name. */
static int draw_legend_row(struct buf *out, bool partner, const char *name, double x, double y)
{
	double cx = x + 22;
	int rc =
	    buf_printf(out, "<line class=\"%s\" stroke-width=\"4\"%s x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>",
	               partner ? "partner" : "me", partner ? " stroke-dasharray=\"8 5\"" : "", x, y, x + 44, y);
	/* Drawn as paths, so that the chart's circles stay one per day with data. */
	if (rc == 0 && partner)
		rc = buf_printf(out, "<path class=\"partner dot\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"/>",
		                cx, y - MARKER - 1, cx + MARKER + 1, y, cx, y + MARKER + 1, cx - MARKER - 1, y);
	else if (rc == 0)
		rc = buf_printf(out, "<path class=\"me dot\" d=\"M%.1f %.1fa7 7 0 1 0 14 0a7 7 0 1 0 -14 0Z\"/>",
		                cx - 7, y);
	if (rc == 0)
		rc = buf_printf(out, "<text class=\"label\" x=\"%.0f\" y=\"%.0f\">", x + 56, y + LABEL / 3);
	if (rc == 0)
		rc = escape_into(out, name);
	return rc == 0 ? buf_puts(out, "</text>") : rc;
}

/* The positions of a series' points, in the arena-free way: into xs and ys (count entries). */
static void place(const struct layout *l, const struct trend_series *sr, double *xs, double *ys)
{
	for (int i = 0; sr && i < sr->count; i++) {
		xs[i] = x_of(l, sr->points[i].date);
		ys[i] = y_of(l, sr->points[i].value);
	}
}

/*
 * Equal (or nearly equal) values of both on the same day would hide one
 * marker behind the other: they move apart sideways, yours left.
 */
static void separate(const struct trend_series *a, double *ax, const double *ay, const struct trend_series *b,
                     double *bx, const double *by)
{
	for (int i = 0, k = 0; i < a->count && k < b->count;) {
		int cmp = strcmp(a->points[i].date, b->points[k].date);
		if (cmp == 0 && fabs(ay[i] - by[k]) < 2 * MARKER) {
			ax[i] -= SIDE_BY_SIDE;
			bx[k] += SIDE_BY_SIDE;
		}
		i += cmp <= 0;
		k += cmp >= 0;
	}
}

static int draw_plot(struct buf *out, const struct chart *c, const struct layout *l)
{
	int n = (c->mine ? c->mine->count : 0), m = (c->partner ? c->partner->count : 0);
	double *mx = xcalloc((size_t)n + 1, sizeof *mx), *my = xcalloc((size_t)n + 1, sizeof *my);
	double *px = xcalloc((size_t)m + 1, sizeof *px), *py = xcalloc((size_t)m + 1, sizeof *py);
	place(l, c->mine, mx, my);
	place(l, c->partner, px, py);
	if (n && m)
		separate(c->mine, mx, my, c->partner, px, py);
	int rc = draw_series(out, c->mine, false, c->mine_name, mx, my, c->lang);
	if (rc == 0)
		rc = draw_series(out, c->partner, true, c->partner_name, px, py, c->lang);
	free(mx);
	free(my);
	free(px);
	free(py);
	return rc;
}

/* The first day with data in either series, or NULL. */
static const char *first_day(const struct trend_series *a, const struct trend_series *b)
{
	const char *first = a && a->count ? a->points[0].date : NULL;
	if (b && b->count && (!first || strcmp(b->points[0].date, first) < 0))
		first = b->points[0].date;
	return first;
}

static int draw_header(struct buf *out, const struct chart *c, double height)
{
	/* issue 13: several charts on one page each name their own title and description */
	const char *id = c->id && *c->id ? c->id : "chart";
	int rc = buf_printf(out,
	                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\""
	                    " aria-labelledby=\"%s-title %s-desc\" class=\"chart\">",
	                    CHART_W, height, id, id);
	if (rc == 0 && c->standalone)
		rc = buf_puts(out, "<style>.axis{stroke:#8a7f75}.grid{stroke:#d9cfc4}"
		                   ".label{fill:#5f564e;font:20px sans-serif}"
		                   ".halo{stroke:#fff;stroke-width:6px;stroke-linejoin:round;paint-order:stroke}"
		                   ".me{stroke:#8a3b12}.me.dot{fill:#8a3b12;stroke:none}"
		                   ".partner{stroke:#1a5fb4}.partner.dot{fill:#1a5fb4;stroke:none}"
		                   "@media (max-width:480px){.label{font-size:28px}}"
		                   "@media (prefers-color-scheme: dark){.label{fill:#c9bdb0}.grid{stroke:#4a423a}"
		                   ".halo{stroke:#27231f}.me{stroke:#f0a571}.me.dot{fill:#f0a571}"
		                   ".partner{stroke:#8cb8ff}.partner.dot{fill:#8cb8ff}}</style>");
	if (rc == 0)
		rc = buf_printf(out, "<title id=\"%s-title\">", id);
	if (rc == 0)
		rc = escape_into(out, c->title);
	char from[TIME_WORDS_MAX], to[TIME_WORDS_MAX];
	time_date_label(c->lang, c->from, strncmp(c->from, c->to, 4) != 0, from);
	time_date_label(c->lang, c->to, true, to);
	if (rc == 0)
		rc = buf_printf(out, "</title><desc id=\"%s-desc\">", id);
	if (rc == 0)
		rc = buf_printf(out, tr(c->lang, "From %s to %s (%s to %s)."), from, to, c->from, c->to);
	if (rc == 0 && c->mine)
		rc = describe(out, c->lang, c->mine, c->mine_name);
	if (rc == 0 && c->partner)
		rc = describe(out, c->lang, c->partner, c->partner_name);
	return rc == 0 ? buf_puts(out, "</desc>") : rc;
}

int chart_draw(struct buf *out, const struct chart *c)
{
	const struct trend_series *scale = c->mine ? c->mine : c->partner;
	struct layout l = {
	    .min = scale ? scale->min : 0, .max = scale ? scale->max : 10, .end = c->to, .lang = c->lang};
	if (!(l.max > l.min))
		l.max = l.min + 1; /* a scale of one value still draws, never divides by zero */
	l.left = c->word_count > 0 ? 16 : 56;
	l.top = c->word_count > 0 ? LABEL + 20 : 20;
	l.w = CHART_W - l.left - 24;
	l.h = PLOT_H;
	/* The window fits the data: from the first point when the data starts later than the period. */
	const char *first = first_day(c->mine, c->partner);
	l.start = first && strcmp(first, c->from) > 0 && strcmp(first, c->to) <= 0 ? first : c->from;
	l.span = date_days_between(l.start, l.end);
	int rows = (c->mine && c->mine->count) + (c->partner && c->partner->count);
	double height = l.top + l.h + LABEL + 30 + rows * LEGEND_ROW;
	if (chart_is_empty(c->mine, c->partner))
		height = 120;
	int rc = draw_header(out, c, height);
	if (rc == 0 && chart_is_empty(c->mine, c->partner)) {
		/* A sentence instead of an empty frame. */
		rc = buf_printf(out, "<text class=\"label\" x=\"%.0f\" y=\"66\" text-anchor=\"middle\">", CHART_W / 2);
		if (rc == 0)
			rc =
			    escape_into(out, c->empty ? c->empty : tr(c->lang, "Nothing to show for this period yet."));
		if (rc == 0)
			rc = buf_puts(out, "</text>");
		return rc == 0 ? buf_puts(out, "</svg>") : rc;
	}
	if (rc == 0)
		rc = draw_value_axis(out, c, &l);
	if (rc == 0)
		rc = draw_time_axis(out, &l);
	if (rc == 0)
		rc = draw_plot(out, c, &l);
	double y = l.top + l.h + LABEL + 30 + LEGEND_ROW / 2;
	/* A legend row for each person with a point: nobody is named for a line that is not there. */
	if (rc == 0 && c->mine && c->mine->count) {
		rc = draw_legend_row(out, false, c->mine_name, l.left, y);
		y += LEGEND_ROW;
	}
	if (rc == 0 && c->partner && c->partner->count)
		rc = draw_legend_row(out, true, c->partner_name, l.left, y);
	return rc == 0 ? buf_puts(out, "</svg>") : rc;
}

int chart_svg(struct buf *out, bool standalone, const char *title, const char *from, const char *to,
              const struct trend_series *mine, const char *mine_name, const struct trend_series *partner,
              const char *partner_name)
{
	struct chart c = {.standalone = standalone,
	                  .title = title,
	                  .from = from,
	                  .to = to,
	                  .mine = mine,
	                  .partner = partner,
	                  .mine_name = mine_name,
	                  .partner_name = partner_name};
	return chart_draw(out, &c);
}
