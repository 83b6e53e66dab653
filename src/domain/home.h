/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * home.h - what waits for a person: the cards of the home page and of
 * GET /api/v1/home (issue 11), computed in one place from what the viewer may
 * see, and setting a card aside ("not now") until something new happens to it.
 */
#ifndef HEARTH_HOME_H
#define HEARTH_HOME_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

/* The kinds of API.md ("Home"); the ones this server makes now are marked in domain/home.c. */
enum home_kind {
	HOME_REPAIR_OPENED,
	HOME_REPAIR_YOUR_TURN,
	HOME_REPAIR_REVEALED,
	HOME_PROMPT_PARTNER_ANSWERED,
	HOME_PROMPT_UNANSWERED,
	HOME_AGREEMENT_PROPOSED,
	HOME_AGREEMENT_REVIEW_DUE,
	HOME_ACKNOWLEDGED,
	HOME_PARTNER_JOINED,
	HOME_PARTNER_LEFT,
	HOME_CONSENT_REQUESTED,
	HOME_HOMEWORK,
	HOME_SESSION_UPCOMING,
	HOME_PARTNER_BREAK,
	HOME_BREAK_OVER,
	HOME_REPAIR_STEP,     /* issue 14: the partner shared a step after the reveal that waits for me */
	HOME_CYCLE_YOUR_TURN, /* our cycle: the partner shared their side, mine waits */
	HOME_CYCLE_REVEALED,  /* our cycle: the partner's side opened both */
	HOME_CYCLE_RENAMED,   /* our cycle: the partner named it anew */
	HOME_KIND_COUNT,
};

/* "repair_opened", ... ; false (*out untouched) for anything else, NULL too. */
bool home_kind_parse(const char *s, enum home_kind *out) WARN_UNUSED;
const char *home_kind_name(enum home_kind k);

/* One card: what it is about, since when, and where its one button leads. */
struct home_card {
	enum home_kind kind;
	char id[ID_LEN + 1];
	int64_t since;
	const char *href;   /* a path on this server; static or arena-owned */
	const char *ref;    /* for HOME_ACKNOWLEDGED: "prompt" or "repair"; HOME_HOMEWORK: its kind; else "" */
	const char *name;   /* HOME_PARTNER_LEFT: who left, or NULL once gone; HOME_HOMEWORK: the therapist */
	const char *detail; /* HOME_AGREEMENT_PROPOSED, HOME_AGREEMENT_REVIEW_DUE: the agreement's text;
	                       HOME_HOMEWORK: what it names; else NULL */
	bool dismissed;     /* set aside and nothing newer since (only listed with include_dismissed) */
	int64_t at;         /* HOME_SESSION_UPCOMING: when the session is (name: the therapist's); else 0 */
	int64_t until;      /* HOME_PARTNER_BREAK, HOME_BREAK_OVER: when the taker said they would be back */
};

struct home_list {
	struct home_card *items; /* newest first */
	int count;
};

/* A therapist's home is their practice (web/home.c); the couple's cards are for members. */
bool home_is_practice(const struct viewer *v);

/*
 * The viewer's cards, newest first, in the arena; the ones set aside are left
 * out unless include_dismissed. A therapist has none. Reading today's
 * question may choose it (as GET /prompts/today does).
 */
bool home_cards(struct store *s, const struct viewer *v, bool include_dismissed, struct arena *a, struct home_list *out,
                struct problem *p) WARN_UNUSED;

/*
 * Sets the viewer's card (kind, id) aside until something newer happens to
 * it. 400 for an unknown kind (field "kind") or an id of the wrong shape
 * ("id"); 404 when no such card waits (set aside already is fine).
 */
bool home_dismiss(struct store *s, const struct viewer *v, const char *kind, const char *id, struct arena *a,
                  struct problem *p) WARN_UNUSED;

/* The viewer's own settings (the defaults when never changed). */
bool home_settings_get(struct store *s, const struct viewer *v, struct store_settings *out,
                       struct problem *p) WARN_UNUSED;
bool home_settings_set(struct store *s, const struct viewer *v, const struct store_settings *in,
                       struct problem *p) WARN_UNUSED;

#endif
