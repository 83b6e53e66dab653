/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * agreement.h - agreements a couple (or one person) makes, often after a
 * repair, with gentle reviews at an interval they choose. Nothing counts
 * failures: a review records how it went, and the next review date.
 */
#ifndef HEARTH_AGREEMENT_H
#define HEARTH_AGREEMENT_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

#define REVIEW_DAYS_DEFAULT 7

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
	enum agreement_status status; /* agreement.status, parsed (one that does not parse is retired) */
	bool due;                     /* a review is due today or earlier (and it is active) */
	struct store_review *reviews; /* newest first, notes opened */
	int review_count;
};

bool agreement_create(struct store *s, const struct viewer *v, const char *text, int review_every_days,
                      const char *repair_id, struct arena *a, struct agreement_view *out,
                      struct problem *p) WARN_UNUSED;
bool agreement_load(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                    struct agreement_view *out, struct problem *p) WARN_UNUSED;
bool agreement_set_status(struct store *s, const struct viewer *v, const char *id, const char *status, struct arena *a,
                          struct agreement_view *out, struct problem *p) WARN_UNUSED;
bool agreement_review(struct store *s, const struct viewer *v, const char *id, const char *outcome, const char *note,
                      struct arena *a, struct store_review *out, struct problem *p) WARN_UNUSED;

struct agreement_page {
	struct agreement_view *items;
	int count;
	char *next_cursor;
};

bool agreement_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                    struct agreement_page *out, struct problem *p) WARN_UNUSED;

#endif
