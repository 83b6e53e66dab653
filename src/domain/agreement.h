/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * agreement.h - agreements a couple (or one person) makes, often after a
 * repair, with gentle reviews at an interval they choose. Nothing counts
 * failures: a review records how it went, and the next review date.
 *
 * Issue 14, agreements both want: in a couple's space an agreement is
 * proposed until the partner who did not write it says yes (or asks to talk
 * about it first); only then is it active and due for looks back. Alone, an
 * agreement is a personal intention, active at once. Either partner may
 * pause, resume or retire one: they are shared, not owned. The one table of
 * who may move an agreement where is agreement_step().
 */
#ifndef HEARTH_AGREEMENT_H
#define HEARTH_AGREEMENT_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

#define REVIEW_DAYS_DEFAULT 7

/*
 * An agreement is reviewed while active; a proposed one waits for the partner's yes; paused and retired ones
 * rest until made active again (the order is the API's words' order, not a ranking).
 */
enum agreement_status { AGREEMENT_ACTIVE, AGREEMENT_RETIRED, AGREEMENT_PROPOSED, AGREEMENT_PAUSED };
/* How a review says it went; nothing counts these. */
enum review_outcome { REVIEW_KEPT, REVIEW_PARTLY, REVIEW_NOT_YET };

/* "active" | "retired" | "proposed" | "paused", and "kept" | "partly" | "not_yet": false (*out untouched) for
 * anything else, NULL too. */
bool agreement_status_parse(const char *s, enum agreement_status *out) WARN_UNUSED;
const char *agreement_status_name(enum agreement_status st);
bool review_outcome_parse(const char *s, enum review_outcome *out) WARN_UNUSED;
const char *review_outcome_name(enum review_outcome o);

/* What a person may ask of an agreement (the API's accept, discuss and PATCH status). */
enum agreement_action {
	AGREEMENT_ACCEPT,
	AGREEMENT_DISCUSS,
	AGREEMENT_TO_ACTIVE,
	AGREEMENT_TO_PAUSED,
	AGREEMENT_TO_RETIRED
};

/* Who asks: the viewer wrote it (author), has no partner in the space (alone), the partner said yes once. */
struct agreement_asker {
	bool author, alone, ever_accepted;
};

/* Where an allowed action leads: the new status, whether it is the partner's yes, whether looks back restart. */
struct agreement_step {
	enum agreement_status to;
	bool accepts;  /* records the viewer's yes (accepted_by) */
	bool restarts; /* next_review_on counts again from today */
};

/*
 * The state machine, pure: true and *out filled when `who` may do `act` to an agreement in `from`; else false
 * with *p a conflict: "not_yours_to_accept" (the author answering their own proposal), "not_proposed" (an
 * answer to one that is not waiting for one), "not_active" (pausing one that is not being tried).
 */
bool agreement_step(enum agreement_status from, enum agreement_action act, const struct agreement_asker *who,
                    struct agreement_step *out, struct problem *p) WARN_UNUSED;

struct agreement_view {
	struct store_agreement agreement;
	enum agreement_status status; /* agreement.status, parsed (one that does not parse is retired) */
	bool due;                     /* a review is due today or earlier (and it is active) */
	bool mine;                    /* the viewer wrote it */
	bool alone;                   /* the viewer has no partner in the space: a personal intention */
	bool awaits_me;               /* proposed, and the viewer is the one to answer */
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
/* The partner's "Yes, I want to try this": active, looks back counted from today. */
bool agreement_accept(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                      struct agreement_view *out, struct problem *p) WARN_UNUSED;
/* The partner's "Let's talk about it" with a note (1..4000 characters, sealed): it stays proposed. */
bool agreement_discuss(struct store *s, const struct viewer *v, const char *id, const char *note, struct arena *a,
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
