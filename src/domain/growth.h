/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * growth.h - commitment to growth: agreements with gentle reviews, trends
 * over time (series and server-drawn SVG charts), the timeline, the export
 * of everything a person wrote, and deleting an account.
 */
#ifndef HEARTH_GROWTH_H
#define HEARTH_GROWTH_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

#define REVIEW_DAYS_DEFAULT 7

/* date + days (YYYY-MM-DD); false for a bad date. */
bool date_add_days(const char *date, int days, char out[11]);
/* Today in the viewer's space time zone. */
void date_today(const struct viewer *v, char out[11]);

/* An agreement is reviewed while active; retired ones rest until made active again. */
enum agreement_status { AGREEMENT_ACTIVE, AGREEMENT_RETIRED };
/* How a review says it went; nothing counts these. */
enum review_outcome { REVIEW_KEPT, REVIEW_PARTLY, REVIEW_NOT_YET };

/* "active" | "retired", and "kept" | "partly" | "not_yet": false (*out untouched) for anything else, NULL too. */
bool agreement_status_parse(const char *s, enum agreement_status *out) WARN_UNUSED;
const char *agreement_status_name(enum agreement_status st);
bool review_outcome_parse(const char *s, enum review_outcome *out) WARN_UNUSED;
const char *review_outcome_name(enum review_outcome o);

struct agreement_view {
	struct store_agreement agreement;
	enum agreement_status status;   /* agreement.status, parsed (one that does not parse is retired) */
	bool due;                       /* a review is due today or earlier (and it is active) */
	struct store_review *reviews;   /* newest first, notes opened */
	int review_count;
};

bool agreement_create(struct store *s, const struct viewer *v, const char *text, int review_every_days,
                      const char *repair_id, struct arena *a, struct agreement_view *out,
                      struct problem *p) WARN_UNUSED;
bool agreement_load(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                    struct agreement_view *out, struct problem *p) WARN_UNUSED;
bool agreement_set_status(struct store *s, const struct viewer *v, const char *id, const char *status,
                          struct arena *a, struct agreement_view *out, struct problem *p) WARN_UNUSED;
bool agreement_review(struct store *s, const struct viewer *v, const char *id, const char *outcome, const char *note,
                      struct arena *a, struct store_review *out, struct problem *p) WARN_UNUSED;

struct agreement_page {
	struct agreement_view *items;
	int count;
	char *next_cursor;
};

bool agreement_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                    struct agreement_page *out, struct problem *p) WARN_UNUSED;

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
	double min, max;      /* the metric's scale */
	const char *label;    /* "Mood", "Connection", ... or the questionnaire title */
};

/* metric: mood | connection | secure | a questionnaire id; who: "me" or "partner"; dates inclusive. */
bool trend_series(struct store *s, const struct viewer *v, const char *metric, const char *who, const char *from,
                  const char *to, struct arena *a, struct trend_series *out, struct problem *p) WARN_UNUSED;
/* Parses and defaults (last 30 days) the from/to dates; 400 when bad or reversed. */
bool trend_range(const struct viewer *v, const char *from, const char *to, char from_out[11], char to_out[11],
                 struct problem *p) WARN_UNUSED;

/*
 * Draws a line chart as SVG: a line per series (NULL or empty series are left
 * out), dated x axis from..to, the metric's scale on y, with <title> and <desc>
 * for screen readers. Colours follow the light and dark themes.
 */
/* standalone: a whole SVG document with its own stylesheet; else for inlining in a page (site CSS colours it). */
int trend_svg(struct buf *out, bool standalone, const char *title, const char *from, const char *to,
              const struct trend_series *mine, const char *mine_name, const struct trend_series *partner,
              const char *partner_name) WARN_UNUSED;

/* The timeline: what the viewer may see, newest first, after the cursor (NULL = from now); *next or NULL. */
bool timeline_build(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                    json_t **items, char **next, struct problem *p) WARN_UNUSED;

/* Everything the viewer wrote, as one versioned document (docs/export-format.md). */
bool export_build(struct store *s, const struct viewer *v, struct arena *a, json_t **doc,
                  struct problem *p) WARN_UNUSED;

/* Deletes the account after checking the password; leaves the space first. */
bool account_delete(struct store *s, const struct viewer *v, const char *password, struct problem *p) WARN_UNUSED;

#endif
