/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_chart.c - unit tests for web/render/chart.c: chart_svg output for
 * empty, single, many and two series, standalone and inline, checked with a
 * small XML well-formedness checker, and hostile names and titles escaped;
 * the layout: the window from the first point, equal values of both side by
 * side, a sentence for an empty chart, the scale's words, human dates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "util/util.h"
#include "web/render/chart.h"

/* --- a small XML well-formedness checker --- */

static bool name_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' || c == ':' ||
	       (!first && (isdigit((unsigned char)c) || c == '-' || c == '.'));
}

/* Length of a valid entity at s ('&'), or 0. */
static size_t entity_len(const char *s)
{
	static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (strncmp(s, named[i], strlen(named[i])) == 0)
			return strlen(named[i]);
	if (s[1] != '#')
		return 0;
	size_t i = 2;
	bool hex = s[2] == 'x';
	if (hex)
		i++;
	size_t start = i;
	while (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))
		i++;
	return i > start && s[i] == ';' ? i + 1 : 0;
}

/*
 * Checks that `s` is one well-formed XML element: balanced, properly nested
 * tags; every attribute quoted, no duplicates... (only the shapes trend_svg
 * may produce); no raw '<' or '&' in text or attribute values except as
 * entities. On failure, *why says what and *at where.
 */
static bool xml_well_formed(const char *s, const char **why, size_t *at)
{
	char stack[64][32];
	int depth = 0, roots = 0;
	size_t i = 0;
#define BAD(msg)                                                                                                       \
	do {                                                                                                           \
		*why = (msg);                                                                                          \
		*at = i;                                                                                               \
		return false;                                                                                          \
	} while (0)
	while (s[i]) {
		if (s[i] == '&') {
			size_t n = entity_len(s + i);
			if (!n)
				BAD("raw '&' in text");
			i += n;
			continue;
		}
		if (s[i] != '<') {
			if (depth == 0 && !isspace((unsigned char)s[i]))
				BAD("text outside the root element");
			i++;
			continue;
		}
		i++;
		bool closing = s[i] == '/';
		if (closing)
			i++;
		if (!name_char(s[i], true))
			BAD("'<' not followed by a tag name");
		char name[32];
		size_t n = 0;
		while (name_char(s[i], n == 0) && n < sizeof name - 1)
			name[n++] = s[i++];
		name[n] = '\0';
		if (closing) {
			while (isspace((unsigned char)s[i]))
				i++;
			if (s[i] != '>')
				BAD("closing tag not ended by '>'");
			i++;
			if (depth == 0 || strcmp(stack[depth - 1], name) != 0)
				BAD("closing tag does not match the open one");
			depth--;
			continue;
		}
		char attrs[32][32];
		int nattrs = 0;
		bool self_closing = false;
		for (;;) {
			bool space = false;
			while (isspace((unsigned char)s[i])) {
				i++;
				space = true;
			}
			if (s[i] == '>') {
				i++;
				break;
			}
			if (s[i] == '/' && s[i + 1] == '>') {
				i += 2;
				self_closing = true;
				break;
			}
			if (!space)
				BAD("attribute not separated by a space");
			if (!name_char(s[i], true))
				BAD("bad attribute name");
			char an[32];
			size_t k = 0;
			while (name_char(s[i], k == 0) && k < sizeof an - 1)
				an[k++] = s[i++];
			an[k] = '\0';
			for (int j = 0; j < nattrs; j++)
				if (strcmp(attrs[j], an) == 0)
					BAD("attribute given twice");
			if (nattrs < 32)
				snprintf(attrs[nattrs++], sizeof attrs[0], "%s", an);
			if (s[i] != '=')
				BAD("attribute without '='");
			i++;
			char q = s[i];
			if (q != '"' && q != '\'')
				BAD("attribute value not quoted");
			i++;
			while (s[i] && s[i] != q) {
				if (s[i] == '<')
					BAD("raw '<' in an attribute value");
				if (s[i] == '&') {
					size_t e = entity_len(s + i);
					if (!e)
						BAD("raw '&' in an attribute value");
					i += e;
				} else {
					i++;
				}
			}
			if (!s[i])
				BAD("unterminated attribute value");
			i++;
		}
		if (depth == 0)
			roots++;
		if (roots > 1)
			BAD("more than one root element");
		if (!self_closing) {
			if (depth == 64)
				BAD("too deep");
			snprintf(stack[depth++], sizeof stack[0], "%s", name);
		}
	}
	if (depth != 0) {
		*why = "unclosed element";
		*at = i;
		return false;
	}
	if (roots != 1) {
		*why = "no root element";
		*at = i;
		return false;
	}
	return true;
#undef BAD
}

static void assert_xml(const char *svg)
{
	const char *why = NULL;
	size_t at = 0;
	if (!xml_well_formed(svg, &why, &at))
		fail_msg("not well-formed XML: %s at offset %zu: ...%.60s...\n%s", why, at,
		         svg + (at > 20 ? at - 20 : 0), svg);
}

static void checker_catches_problems(void **state)
{
	(void)state;
	const char *why;
	size_t at;
	assert_true(xml_well_formed("<svg a=\"1\"><title>x &amp; y</title><g/></svg>", &why, &at));
	assert_false(xml_well_formed("<svg><title>x & y</title></svg>", &why, &at));
	assert_false(xml_well_formed("<svg><title>a < b</title></svg>", &why, &at));
	assert_false(xml_well_formed("<svg><g></svg>", &why, &at));
	assert_false(xml_well_formed("<svg><g></h></svg>", &why, &at));
	assert_false(xml_well_formed("<svg a=1></svg>", &why, &at));
	assert_false(xml_well_formed("<svg a=\"<\"></svg>", &why, &at));
	assert_false(xml_well_formed("<svg a=\"1\"a=\"2\"></svg>", &why, &at));
	assert_false(xml_well_formed("<svg a=\"1\" a=\"2\"></svg>", &why, &at));
	assert_false(xml_well_formed("<svg></svg><svg></svg>", &why, &at));
	assert_false(xml_well_formed("<svg>", &why, &at));
}

static struct trend_series series_of(const char *label, double min, double max, int n, const char *first_date,
                                     int step_days, struct trend_point *storage)
{
	struct trend_series s = {.points = storage, .count = n, .min = min, .max = max, .label = label};
	for (int i = 0; i < n; i++) {
		assert_true(date_add_days(first_date, i * step_days, storage[i].date));
		storage[i].value = min + fmod(i * 1.37, max - min);
	}
	return s;
}

/* Renders and checks; returns the SVG (caller frees). */
static char *render(bool standalone, const char *title, const char *from, const char *to,
                    const struct trend_series *mine, const char *mine_name, const struct trend_series *partner,
                    const char *partner_name)
{
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(chart_svg(&out, standalone, title, from, to, mine, mine_name, partner, partner_name), 0);
	char *svg = buf_steal(&out);
	assert_non_null(svg);
	assert_xml(svg);
	assert_non_null(strstr(svg, "<svg "));
	assert_non_null(strstr(svg, "role=\"img\""));
	assert_non_null(strstr(svg, "<title id=\"chart-title\">"));
	assert_non_null(strstr(svg, "<desc id=\"chart-desc\">"));
	assert_non_null(strstr(svg, "aria-labelledby=\"chart-title chart-desc\""));
	assert_true((strstr(svg, "<style>") != NULL) == standalone);
	assert_null(strstr(svg, "nan"));
	assert_null(strstr(svg, "inf"));
	buf_cleanup(&out);
	return svg;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void svg_empty_one_many_both(void **state)
{
	(void)state;
	struct trend_point a[400], b[400];
	for (int sa = 0; sa < 2; sa++) {
		bool standalone = sa == 1;
		/* empty series */
		struct trend_series empty = series_of("Mood", 1, 5, 0, "2026-10-28", 1, a);
		char *svg = render(standalone, "Mood, 2026-10-28 to 2026-11-26", "2026-10-28", "2026-11-26", &empty,
		                   "You", NULL, NULL);
		assert_null(strstr(svg, "<polyline"));
		assert_null(strstr(svg, "<circle"));
		assert_non_null(strstr(svg, "No data for You"));
		free(svg);
		/* neither series */
		svg = render(standalone, "Nothing", "2026-10-28", "2026-11-26", NULL, "You", NULL, "Sam");
		assert_null(strstr(svg, "<polyline"));
		free(svg);
		/* one point */
		struct trend_series one = series_of("Mood", 1, 5, 1, "2026-11-20", 1, a);
		svg = render(standalone, "Mood", "2026-10-28", "2026-11-26", &one, "You", NULL, NULL);
		assert_int_equal(count_of(svg, "<polyline"), 1);
		assert_int_equal(count_of(svg, "<circle"), 1);
		free(svg);
		/* one day only (from == to) */
		svg = render(standalone, "Mood", "2026-11-20", "2026-11-20", &one, "You", NULL, NULL);
		assert_int_equal(count_of(svg, "<circle"), 1);
		free(svg);
		/* many points: a year of connection scores */
		struct trend_series many = series_of("Connection", 0, 10, 365, "2025-11-27", 1, a);
		svg = render(standalone, "Connection, the last year", "2025-11-27", "2026-11-26", &many, "You", NULL,
		             NULL);
		assert_int_equal(count_of(svg, "<circle"), 365);
		free(svg);
		/* both series, on a questionnaire scale, partner with fewer days */
		struct trend_series mine = series_of("Security check", 1, 5, 30, "2026-10-28", 1, a);
		struct trend_series theirs = series_of("Security check", 1, 5, 10, "2026-10-28", 3, b);
		svg = render(standalone, "Security check", "2026-10-28", "2026-11-26", &mine, "You", &theirs, "Sam");
		assert_int_equal(count_of(svg, "<polyline"), 2);
		/* yours round, the partner's diamonds: a marker per day with data, told apart by shape */
		assert_int_equal(count_of(svg, "<circle"), 30);
		assert_int_equal(count_of(svg, "<path class=\"partner dot\" d=\"M"), 10 + 1); /* and the legend's */
		assert_non_null(strstr(svg, "class=\"partner\""));
		assert_non_null(strstr(svg, "class=\"me\""));
		free(svg);
		/* partner only */
		svg = render(standalone, "Security check", "2026-10-28", "2026-11-26", NULL, "You", &theirs, "Sam");
		assert_int_equal(count_of(svg, "<polyline"), 1);
		free(svg);
		/* both empty */
		struct trend_series e1 = series_of("Mood", 1, 5, 0, "2026-10-28", 1, a);
		struct trend_series e2 = series_of("Mood", 1, 5, 0, "2026-10-28", 1, b);
		svg = render(standalone, "Mood", "2026-10-28", "2026-11-26", &e1, "You", &e2, "Sam");
		assert_non_null(strstr(svg, "No data for Sam"));
		free(svg);
	}
}

static void svg_hostile_names(void **state)
{
	(void)state;
	static const char hostile[] = "<script>&\"";
	static const char escaped[] = "&lt;script&gt;&amp;&quot;";
	struct trend_point a[20], b[20];
	struct trend_series mine = series_of("Mood", 1, 5, 5, "2026-11-01", 2, a);
	struct trend_series theirs = series_of("Mood", 1, 5, 3, "2026-11-02", 3, b);
	struct trend_series empty = series_of("Mood", 1, 5, 0, "2026-11-02", 3, b);
	for (int sa = 0; sa < 2; sa++) {
		char *svg = render(sa == 1, "Title <b>&amp; \"quoted\" 'single'</b> & more", "2026-10-28", "2026-11-26",
		                   &mine, hostile, &theirs, "Sam's </desc><script>alert(1)</script> & co");
		assert_null(strstr(svg, "<script"));
		assert_null(strstr(svg, "<b>"));
		/* in the legend and in the description */
		assert_true(count_of(svg, escaped) >= 2);
		assert_non_null(strstr(svg, "&lt;b&gt;&amp;amp; &quot;quoted&quot;"));
		free(svg);
		/*
		 * the hostile name with no data is named in the description, escaped
		 * (the title and both sentences; an empty chart has no legend: a
		 * sentence replaces it)
		 */
		svg = render(sa == 1, hostile, "2026-10-28", "2026-11-26", &empty, hostile, &empty, hostile);
		assert_null(strstr(svg, "<script"));
		assert_true(count_of(svg, escaped) >= 3);
		free(svg);
	}
}

/* The first number after `key` in s, or NAN. */
static double number_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);
	return p ? strtod(p + strlen(key), NULL) : NAN;
}

static void svg_window_fits_the_data(void **state)
{
	(void)state;
	struct trend_point a[10];
	/* five days of data in a 30-day period: the time axis starts at the first point */
	struct trend_series mine = series_of("Mood", 1, 5, 5, "2026-11-22", 1, a);
	char *svg = render(false, "Mood", "2026-10-28", "2026-11-26", &mine, "You", NULL, NULL);
	assert_non_null(strstr(svg, ">22 Nov</text>"));
	assert_non_null(strstr(svg, ">26 Nov</text>"));
	assert_null(strstr(svg, ">28 Oct</text>")); /* the period's start is no tick */
	assert_non_null(strstr(svg, "From 28 Oct to 26 Nov 2026 (2026-10-28 to 2026-11-26)."));
	double first = number_after(svg, "<circle class=\"me dot\" cx=\"");
	double line = number_after(svg, "<line class=\"axis\" x1=\"");
	assert_true(fabs(first - line) < 0.5);         /* the first point on the left edge */
	assert_null(strstr(svg, "2026-11-22</text>")); /* dates on the axis are human */
	free(svg);
	/* data from the period's start: the period it is */
	struct trend_series full = series_of("Mood", 1, 5, 3, "2026-10-28", 7, a);
	svg = render(false, "Mood", "2026-10-28", "2026-11-26", &full, "You", NULL, NULL);
	assert_non_null(strstr(svg, ">28 Oct</text>"));
	free(svg);
	/* across a new year the ticks carry the year */
	struct trend_series year = series_of("Mood", 1, 5, 3, "2025-12-20", 7, a);
	svg = render(false, "Mood", "2025-12-20", "2026-01-10", &year, "You", NULL, NULL);
	assert_non_null(strstr(svg, ">20 Dec 2025</text>"));
	assert_non_null(strstr(svg, ">10 Jan 2026</text>"));
	free(svg);
}

static void svg_equal_values_both_visible(void **state)
{
	(void)state;
	struct trend_point a[1] = {{"2026-11-26", 3}}, b[1] = {{"2026-11-26", 3}};
	struct trend_series mine = {.points = a, .count = 1, .min = 1, .max = 5, .label = "Mood"};
	struct trend_series theirs = {.points = b, .count = 1, .min = 1, .max = 5, .label = "Mood"};
	for (int sa = 0; sa < 2; sa++) {
		char *svg = render(sa == 1, "Mood", "2026-11-20", "2026-11-26", &mine, "You", &theirs, "Sam");
		double me = number_after(svg, "<circle class=\"me dot\" cx=\"");
		double partner = number_after(svg, "<path class=\"partner dot\" d=\"M");
		assert_false(isnan(me) || isnan(partner));
		/* side by side: further apart than a marker is wide */
		assert_true(fabs(me - partner) >= 14);
		/* each marker says whose it is */
		assert_non_null(strstr(svg, "<title>You, 26 Nov: 3.0</title>"));
		assert_non_null(strstr(svg, "<title>Sam, 26 Nov: 3.0</title>"));
		/* told apart by more than colour: a dashed line and a legend naming both */
		assert_non_null(strstr(svg, "stroke-dasharray"));
		assert_non_null(strstr(svg, ">You</text>"));
		assert_non_null(strstr(svg, ">Sam</text>"));
		free(svg);
	}
	/* different values on the same day stay where they are */
	b[0].value = 5;
	char *svg = render(false, "Mood", "2026-11-20", "2026-11-26", &mine, "You", &theirs, "Sam");
	assert_true(fabs(number_after(svg, "<circle class=\"me dot\" cx=\"") -
	                 number_after(svg, "<path class=\"partner dot\" d=\"M")) < 0.5);
	free(svg);
}

static void svg_empty_says_so(void **state)
{
	(void)state;
	struct trend_point a[1];
	struct trend_series empty = series_of("Mood", 1, 5, 0, "2026-10-28", 1, a);
	char *svg = render(false, "Mood", "2026-10-28", "2026-11-26", &empty, "You", &empty, "Sam");
	assert_non_null(strstr(svg, ">Nothing to show for this period yet.</text>"));
	assert_null(strstr(svg, "class=\"axis\""));
	assert_null(strstr(svg, "class=\"grid\""));
	free(svg);
	struct chart c = {.title = "Security check",
	                  .from = "2026-10-28",
	                  .to = "2026-11-26",
	                  .mine = &empty,
	                  .mine_name = "You",
	                  .empty = "No results in this period yet."};
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(chart_draw(&out, &c), 0);
	assert_non_null(strstr(out.data, ">No results in this period yet.</text>"));
	assert_xml(out.data);
	buf_cleanup(&out);
	assert_true(chart_is_empty(&empty, NULL));
	assert_true(chart_is_empty(NULL, NULL));
}

/* Issue 16: in German the dates, the figures and the description are German ("3,5", "26. Nov."). */
static void svg_in_the_readers_language(void **state)
{
	(void)state;
	struct trend_point a[2] = {{"2026-11-25", 3.5}, {"2026-11-26", 4}};
	struct trend_series mine = {.points = a, .count = 2, .min = 1, .max = 5, .label = "Mood"};
	struct chart c = {.title = "Stimmung",
	                  .from = "2026-11-20",
	                  .to = "2026-11-26",
	                  .mine = &mine,
	                  .mine_name = "Du",
	                  .lang = LANG_DE};
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(chart_draw(&out, &c), 0);
	assert_xml(out.data);
	assert_non_null(strstr(out.data, ": 3,5</title>"));
	assert_null(strstr(out.data, ": 3.5</title>"));
	assert_non_null(strstr(out.data, "3,8")); /* the average in the description */
	/* coordinates stay as SVG wants them, with points */
	assert_non_null(strstr(out.data, "cx=\""));
	assert_null(strstr(out.data, "cx=\"0,"));
	buf_cleanup(&out);
}

static void svg_scale_words(void **state)
{
	(void)state;
	struct trend_point a[3];
	struct trend_series mine = series_of("Security check", 1, 5, 3, "2026-11-20", 2, a);
	static const struct chart_word words[] = {
	    {1, "Not at all true"}, {2, "Rarely true"}, {3, "Sometimes true"}, {4, "Often true"}, {5, "Very <true>"}};
	struct chart c = {.title = "Security check",
	                  .from = "2026-10-28",
	                  .to = "2026-11-26",
	                  .mine = &mine,
	                  .mine_name = "You",
	                  .words = words,
	                  .word_count = 5};
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(chart_draw(&out, &c), 0);
	assert_xml(out.data);
	assert_non_null(strstr(out.data, ">Not at all true</text>"));
	assert_non_null(strstr(out.data, ">Very &lt;true&gt;</text>"));
	assert_int_equal(count_of(out.data, "class=\"grid\""), 5);
	buf_cleanup(&out);
}

/* The numbers beside the grid: whole multiples of the step, written in full, each once. */
static void svg_grid_numbers(void **state)
{
	(void)state;
	struct trend_point a[10];
	struct trend_series mood = series_of("Mood", 1, 5, 5, "2026-11-22", 1, a);
	char *svg = render(false, "Mood", "2026-11-22", "2026-11-26", &mood, "You", NULL, NULL);
	for (int v = 1; v <= 5; v++) {
		char label[48];
		snprintf(label, sizeof label, "text-anchor=\"end\">%d</text>", v);
		assert_int_equal(count_of(svg, label), 1);
	}
	free(svg);
	/* A wide scale and one past a million: a step above 1, and never "1e+06" as %g wrote it. */
	const double ranges[][2] = {{0, 100}, {0, 2000000}, {-40, 40}};
	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
		struct trend_series wide = series_of("Score", ranges[r][0], ranges[r][1], 5, "2026-11-22", 1, a);
		svg = render(false, "Score", "2026-11-22", "2026-11-26", &wide, "You", NULL, NULL);
		int labels = 0;
		double previous = -1e300, step = 0;
		/* each grid line, then its number (the last date on the time axis is anchored at its end too) */
		for (const char *p = strstr(svg, "<line class=\"grid\""); p;
		     p = strstr(p + 1, "<line class=\"grid\"")) {
			const char *digits = strstr(p, "text-anchor=\"end\">");
			assert_non_null(digits);
			digits += strlen("text-anchor=\"end\">");
			char *end;
			double v = strtod(digits, &end);
			assert_ptr_equal(end, strstr(digits, "</text>")); /* the whole text is the number */
			for (const char *c = digits; c < end; c++)
				assert_true((*c >= '0' && *c <= '9') || (c == digits && *c == '-'));
			assert_true(v > previous);
			if (labels == 1)
				step = v - previous;
			else if (labels > 1)
				assert_true(fabs(v - previous - step) < 1e-9); /* evenly spaced */
			previous = v;
			labels++;
		}
		assert_true(labels >= 2);
		assert_true(step >= 1);
		assert_null(strstr(svg, "-0</text>"));
		free(svg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(checker_catches_problems),
	    cmocka_unit_test(svg_empty_one_many_both),
	    cmocka_unit_test(svg_hostile_names),
	    cmocka_unit_test(svg_window_fits_the_data),
	    cmocka_unit_test(svg_equal_values_both_visible),
	    cmocka_unit_test(svg_empty_says_so),
	    cmocka_unit_test(svg_scale_words),
	    cmocka_unit_test(svg_grid_numbers),
	    cmocka_unit_test(svg_in_the_readers_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
