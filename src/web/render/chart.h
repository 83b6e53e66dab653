/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * chart.h - the trend chart, drawn on the server as SVG so it needs no
 * script: for the trends page, the dashboard and a questionnaire's results
 * (inline), and for GET /api/v1/trends.svg (a document of its own).
 */
#ifndef HEARTH_CHART_H
#define HEARTH_CHART_H

#include <stdbool.h>

#include "../../domain/trends.h"
#include "../../util/i18n.h"
#include "../../util/util.h"

/* A word on the value axis: a questionnaire's "Very true" at 5. */
struct chart_word {
	double value;
	const char *word;
};

/* What one chart shows. Series may be NULL (left out); names are escaped. */
struct chart {
	bool standalone;       /* a whole SVG document with its own light/dark stylesheet */
	const char *title;     /* the <title> */
	const char *from, *to; /* the period asked for, YYYY-MM-DD, inclusive */
	const struct trend_series *mine, *partner;
	const char *mine_name, *partner_name;
	const struct chart_word *words; /* the scale's words on the value axis, or NULL: numbers */
	int word_count;
	const char *empty; /* the sentence shown when no series has a point (NULL: a general one) */
	const char *id;    /* the prefix of the SVG's ids (a-z, 0-9, -), unique on its page; NULL: "chart" */
	enum lang lang;    /* the language of its words and dates (issue 16); 0 is English */
};

/*
 * Draws c as SVG into out: a line and markers per series (yours round, your
 * partner's diamond on a dashed line, and a legend that names both; equal
 * values on a day are drawn side by side), human dates on the time axis
 * from the first point (or c->from, when there is data from its start) to
 * c->to, the scale on the value axis, a <title> and a <desc> that says the
 * figures in words. With no point at all, a sentence replaces the chart.
 * Returns 0, or -1 when out's cap is reached.
 */
int chart_draw(struct buf *out, const struct chart *c) WARN_UNUSED;

/* chart_draw with numbers on the value axis and the general empty sentence. */
int chart_svg(struct buf *out, bool standalone, const char *title, const char *from, const char *to,
              const struct trend_series *mine, const char *mine_name, const struct trend_series *partner,
              const char *partner_name) WARN_UNUSED;

struct questionnaire;
/*
 * The scale's words for a questionnaire's chart: its items' labels when they
 * all share one scale and the score is their mean; else none (0, *words
 * NULL: numbers). The array lives in the arena.
 */
int chart_words(const struct questionnaire *q, struct arena *a, struct chart_word **words);

/* True when neither series (either may be NULL) has a point. */
bool chart_is_empty(const struct trend_series *mine, const struct trend_series *partner);

#endif
