/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cycle.h - "our cycle" (issue 14): each partner privately writes "when I
 * feel..., I tend to..., what I long for is..."; a side is a draft until
 * submitted, and the partner's side opens only once both are submitted, as
 * with repairs. Then the couple shares one text that names the cycle as what
 * they face together, editable by both, every edit kept (who, when, what).
 * Without a partner the page is one's own side only, private, with no shared
 * part. A worrying private safety check before writing (moment "cycle")
 * keeps the person's side with them: it cannot be submitted, so it is never
 * revealed, and the partner is told nothing.
 */
#ifndef HEARTH_CYCLE_H
#define HEARTH_CYCLE_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

#define CYCLE_FIELD_MAX 500
#define CYCLE_SHARED_MAX 4000
#define CYCLE_HISTORY_MAX 50

enum cycle_state {
	CYCLE_EMPTY,   /* nothing written yet */
	CYCLE_DRAFT,   /* my side is a draft */
	CYCLE_WAITING, /* mine is submitted, the partner's is not (as far as I may know) */
	CYCLE_KEPT,    /* alone (after leaving): mine was submitted, and is kept for myself */
	CYCLE_SHARED   /* both submitted: both sides open, the shared text editable */
};

/* The state follows from the sides alone (it is never stored). */
enum cycle_state cycle_state_of(bool with_partner, bool has_mine, bool mine_submitted, bool partner_submitted);
const char *cycle_state_name(enum cycle_state st);
/* Whether my side may still change (a draft, or nothing yet). */
bool cycle_mine_editable(enum cycle_state st);
/* Whether the partner's side is open to me and the shared text may be read and edited. */
bool cycle_shared_open(enum cycle_state st);

struct cycle_side_input {
	const char *when_i_feel, *i_tend_to, *i_long_for;
};

/* Each of the three: 1..CYCLE_FIELD_MAX characters of UTF-8; every invalid field at once. */
bool cycle_side_validate(const struct cycle_side_input *in, struct problem *p) WARN_UNUSED;
/* The shared text: 1..CYCLE_SHARED_MAX characters. */
bool cycle_shared_validate(const char *text, struct problem *p) WARN_UNUSED;

/*
 * The gentle first wording of the shared text, built from both sides (texts
 * opened) and the names: the cycle as the couple's common opponent. The
 * result is in the arena; the names fall back to "one of us" and "the other".
 */
char *cycle_suggestion(struct arena *a, const char *my_name, const struct store_cycle_side *mine,
                       const char *partner_name, const struct store_cycle_side *partner);

/*
 * The words of that wording: a format of twelve %s (me, my feeling, me, my
 * move, the other, their feeling, the other, their move, me, my longing, the
 * other, their longing) and the names for one without a name.
 */
struct cycle_words {
	const char *format, *me, *other;
};
/* The English words, marked for translation: a page gives cycle_suggestion_in their translation. */
extern const struct cycle_words cycle_words_en;
/* cycle_suggestion in the given words (cycle_words_en, or their translation). */
char *cycle_suggestion_in(struct arena *a, const struct cycle_words *w, const char *my_name,
                          const struct store_cycle_side *mine, const char *partner_name,
                          const struct store_cycle_side *partner);

/* The cycle as one person may see it: texts opened, the partner's side only once both are submitted. */
struct cycle_view {
	enum cycle_state state;
	bool has_mine;
	struct store_cycle_side mine;
	bool revealed; /* partner is filled in */
	struct store_cycle_side partner;
	/* Once revealed: the newest edit, or the suggestion (suggested, no author) before any. */
	char *shared_text;
	bool shared_suggested;
	int64_t shared_at;
	char shared_by[ID_LEN + 1];
	struct store_cycle_edit *history; /* newest first, texts opened */
	int history_count;
	bool check_needed; /* with a partner, before submitting: no private check taken yet */
	bool private_only; /* the latest private check was worrying: the side stays with its writer */
};

bool cycle_load(struct store *s, const struct viewer *v, struct arena *a, struct cycle_view *out,
                struct problem *p) WARN_UNUSED;
/* Saves my draft; 409 already_submitted once submitted; 400 with every invalid field. */
bool cycle_save_mine(struct store *s, const struct viewer *v, const struct cycle_side_input *in, struct arena *a,
                     struct cycle_view *out, struct problem *p) WARN_UNUSED;
/*
 * Submits my draft; 409 already_submitted, 409 private_only after a worrying check, 409 no_partner
 * alone (a side written alone never opens to a partner who joins later); 400 without a draft.
 */
bool cycle_submit_mine(struct store *s, const struct viewer *v, struct arena *a, struct cycle_view *out,
                       struct problem *p) WARN_UNUSED;
/* A new version of the shared text; 409 not_revealed before both sides are submitted (always, alone). */
bool cycle_edit_shared(struct store *s, const struct viewer *v, const char *text, struct arena *a,
                       struct cycle_view *out, struct problem *p) WARN_UNUSED;

struct therapist_space;
/*
 * The cycle as the couple's therapist may see it, logged as one access-log
 * line: each partner's submitted side only while that partner consents; the
 * shared text and its history only while both consent (and both submitted).
 * A draft never. *out is {sides:[...], shared, history}; the caller owns it.
 * With ts->one_visit nothing is logged: the page logs its visit as a whole.
 */
bool therapist_cycle(struct store *s, const struct viewer *v, const struct therapist_space *ts, struct arena *a,
                     json_t **out, struct problem *p) WARN_UNUSED;

#endif
