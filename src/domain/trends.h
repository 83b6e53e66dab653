/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * trends.h - the viewer's (and, where they may see it, the partner's)
 * check-in scales and questionnaire scores over time, as one value per
 * local day (web/render/chart.c draws them).
 */
#ifndef HEARTH_TRENDS_H
#define HEARTH_TRENDS_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

/* What a trend follows: one of a check-in's three scales, or a questionnaire's score. */
enum trend_metric { METRIC_MOOD, METRIC_CONNECTION, METRIC_SECURE, METRIC_QUESTIONNAIRE };
#define TREND_CHECKIN_METRICS 3 /* METRIC_MOOD .. METRIC_SECURE */

struct questionnaire;
/*
 * "mood", "connection", "secure", or a questionnaire's id (then *q is that
 * questionnaire, else NULL); false for anything else, NULL too.
 */
bool trend_metric_parse(const char *s, enum trend_metric *out, const struct questionnaire **q) WARN_UNUSED;
/* The word ("secure") and the label ("Felt secure") of a check-in metric. */
const char *trend_metric_name(enum trend_metric m);
const char *trend_metric_label(enum trend_metric m);
/* A check-in metric's value among a check-in's three scales. */
double trend_metric_value(enum trend_metric m, int mood, int connection, int secure);

/* Trends: one value per local day that has data (the day's mean), oldest first. */
struct trend_point {
	char date[11];
	double value;
};

struct trend_series {
	struct trend_point *points;
	int count;
	double min, max;   /* the metric's scale */
	const char *label; /* "Mood", "Connection", ... or the questionnaire title */
};

/*
 * The mean of the values of each local day in time_zone from..to (inclusive),
 * oldest first, into out->points and out->count; times (ms) oldest first.
 * The one rule for a trend's days, for the couple's trends and the
 * therapist's alike.
 */
void trend_daily_means(const char *time_zone, const int64_t *times, const double *values, int n, const char *from,
                       const char *to, struct arena *a, struct trend_series *out);
/* metric: mood | connection | secure | a questionnaire id; who: "me" or "partner"; dates inclusive. */
bool trend_series(struct store *s, const struct viewer *v, const char *metric, const char *who, const char *from,
                  const char *to, struct arena *a, struct trend_series *out, struct problem *p) WARN_UNUSED;
/* Parses and defaults (last 30 days) the from/to dates; 400 when bad or reversed. */
bool trend_range(const struct viewer *v, const char *from, const char *to, char from_out[11], char to_out[11],
                 struct problem *p) WARN_UNUSED;

#endif
