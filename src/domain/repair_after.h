/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair_after.h - the steps after a repair's reveal (issue 14, "a repair
 * that completes"): once both sides are open, each partner may take three
 * optional steps, in one small table:
 *
 *   heard      "What I heard you say, and what makes sense to me"; the other
 *              answers yes ("Yes, that's it") or not_quite, with a note.
 *   my_part    "My part": what I regret; the other answers accept, not_ready
 *              or still_need (which needs a note: what they still need).
 *   next_time  "Next time, I will...": one thing; its author may turn it into
 *              an agreement proposal for the repair (domain/agreement.c).
 *
 * Each step is a draft, for its author alone, until submitted; then the other
 * partner reads it. A draft of the partner's is never opened here, so it
 * cannot reach any answer. Either may stop at any step; nothing counts the
 * steps not taken. A solo repair (a private reflection) keeps the same steps
 * for its author once their side is finished, without answers.
 *
 * The rules of when an action may happen are one pure function,
 * repair_after_allowed, over the facts of the moment (unit-tested).
 */
#ifndef HEARTH_REPAIR_AFTER_H
#define HEARTH_REPAIR_AFTER_H

#include <stdbool.h>

#include "../store/store.h"
#include "agreement.h"
#include "problem.h"
#include "repair.h"

#define REPAIR_AFTER_TEXT_MAX 2000

enum repair_after_step { REPAIR_AFTER_HEARD, REPAIR_AFTER_MY_PART, REPAIR_AFTER_NEXT_TIME, REPAIR_AFTER_COUNT };

struct repair_after_def {
	const char *id;            /* heard, my_part, next_time: in URLs, forms and JSON */
	const char *title;         /* the step's heading for its author */
	const char *guidance;      /* the prompt under it: gentle, no blame words */
	const char *partner_title; /* the heading over the partner's step: a format with one %s, their name */
	int rows;                  /* the textarea's height */
	/* The other partner's answers (words, then what a page shows), `answer_count` of them; 0: none. */
	const char *const *answers;
	const char *const *answer_labels;
	int answer_count;
	const char *note_needed_for; /* the answer that needs a note, or NULL */
};

extern const struct repair_after_def repair_after_defs[REPAIR_AFTER_COUNT];

/* The step with this id, or -1 (also for NULL). */
int repair_after_find(const char *id);
/* Whether `answer` is one of the step's answers (false for a step without answers). */
bool repair_after_answer_valid(int step, const char *answer);
/* What a page shows for a step's answer word ("Yes, that's it"), or the word itself. */
const char *repair_after_answer_label(int step, const char *answer);

enum repair_after_action {
	REPAIR_AFTER_SAVE,    /* write or change my draft */
	REPAIR_AFTER_SUBMIT,  /* share my step with the partner (solo: finish it) */
	REPAIR_AFTER_ANSWER,  /* answer the partner's shared step */
	REPAIR_AFTER_PROPOSE, /* turn my shared next_time into an agreement proposal */
};

/* What the rules look at, for one step and one viewer. */
struct repair_after_facts {
	bool solo;              /* a private reflection: no partner, no answers */
	bool open;              /* shared: both sides are open; solo: the viewer's side is finished */
	bool mine_exists;       /* the viewer has a draft or a shared text of this step */
	bool mine_submitted;    /* ... and it is shared */
	bool partner_submitted; /* the partner shared this step */
	bool has_agreement;     /* my next_time became an agreement already */
};

/*
 * Whether the viewer may take the action on step now. When not, *p says why:
 * 409 not_revealed (the sides are not both open; solo: the side is not
 * finished), 409 already_submitted, 400 (field text) for sharing without a
 * draft, 404 for an answer to a step that has none, 409 not_submitted (no
 * shared step of the partner to answer; mine not shared yet for a proposal),
 * 409 already_proposed.
 */
bool repair_after_allowed(int step, enum repair_after_action act, const struct repair_after_facts *f,
                          struct problem *p) WARN_UNUSED;

/* A draft's text: 1..2000 characters, not only spaces (field "text"). */
bool repair_after_text_validate(const char *text, struct problem *p) WARN_UNUSED;
/* An answer: one of the step's words (field "answer"), a note of at most 2000 characters, needed for still_need. */
bool repair_after_answer_validate(int step, const char *answer, const char *note, struct problem *p) WARN_UNUSED;

/* One step as the viewer may see it: texts opened; the partner's only once shared. */
struct repair_after_entry {
	struct store_repair_after *mine;    /* the viewer's own (draft or shared), or NULL */
	struct store_repair_after *partner; /* the partner's shared one, or NULL: never a draft */
};

struct repair_after_view {
	struct repair_view repair;
	bool open; /* the steps may be taken now (see struct repair_after_facts) */
	struct repair_after_entry steps[REPAIR_AFTER_COUNT];
};

/* The facts for one step of a loaded view. */
struct repair_after_facts repair_after_facts_of(const struct repair_after_view *v, int step);

/* The repair and its steps; 404 for a repair the viewer may not see. */
bool repair_after_load(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                       struct repair_after_view *out, struct problem *p) WARN_UNUSED;
/* The steps of a repair already loaded as rv (copied into out->repair). */
bool repair_after_of(struct store *s, const struct viewer *v, const struct repair_view *rv, struct arena *a,
                     struct repair_after_view *out, struct problem *p) WARN_UNUSED;
/* The actions; each names its step by id (404 for another word) and reloads *out afterwards. */
bool repair_after_save(struct store *s, const struct viewer *v, const char *id, const char *step, const char *text,
                       struct arena *a, struct repair_after_view *out, struct problem *p) WARN_UNUSED;
bool repair_after_submit(struct store *s, const struct viewer *v, const char *id, const char *step, struct arena *a,
                         struct repair_after_view *out, struct problem *p) WARN_UNUSED;
bool repair_after_answer(struct store *s, const struct viewer *v, const char *id, const char *step, const char *answer,
                         const char *note, struct arena *a, struct repair_after_view *out,
                         struct problem *p) WARN_UNUSED;
/* My shared next_time as an agreement of the repair (agreement_create); *g is the new agreement. */
bool repair_after_propose(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                          struct repair_after_view *out, struct agreement_view *g, struct problem *p) WARN_UNUSED;

/* Shared steps in the viewer's scopes, newest first, texts opened (for the timeline). */
bool repair_after_recent(struct store *s, const struct viewer *v, int64_t before_time, const char *before_id, int limit,
                         struct arena *a, struct store_repair_after **rows, int *count, struct problem *p) WARN_UNUSED;

#endif
