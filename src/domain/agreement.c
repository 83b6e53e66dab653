/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * agreement.c - agreements and their reviews (see agreement.h). Nothing here
 * counts failures: a review records how it went, and the next review date.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/i18n.h"
#include "agreement.h"
#include "checkin.h"
#include "date.h"
#include "keyring.h"
#include "notice.h"
#include "page.h"
#include "prompt.h"
#include "repair.h"
#include "text.h"
#include "visibility.h"

static const char *const status_names[] = {[AGREEMENT_ACTIVE] = "active",
                                           [AGREEMENT_RETIRED] = "retired",
                                           [AGREEMENT_PROPOSED] = "proposed",
                                           [AGREEMENT_PAUSED] = "paused"};
static const char *const outcome_names[] = {
    [REVIEW_KEPT] = "kept", [REVIEW_PARTLY] = "partly", [REVIEW_NOT_YET] = "not_yet"};

bool agreement_status_parse(const char *s, enum agreement_status *out)
{
	int i = word_find(s, status_names, ARRAY_LEN(status_names));
	if (i < 0)
		return false;
	*out = (enum agreement_status)i;
	return true;
}

const char *agreement_status_name(enum agreement_status st)
{
	assert((size_t)st < ARRAY_LEN(status_names));
	return status_names[st];
}

bool review_outcome_parse(const char *s, enum review_outcome *out)
{
	int i = word_find(s, outcome_names, ARRAY_LEN(outcome_names));
	if (i < 0)
		return false;
	*out = (enum review_outcome)i;
	return true;
}

const char *review_outcome_name(enum review_outcome o)
{
	assert((size_t)o < ARRAY_LEN(outcome_names));
	return outcome_names[o];
}

bool agreement_step(enum agreement_status from, enum agreement_action act, const struct agreement_asker *who,
                    struct agreement_step *out, struct problem *p)
{
	assert(who && out && p);
	*out = (struct agreement_step){.to = from};
	switch (act) {
	case AGREEMENT_ACCEPT:
	case AGREEMENT_DISCUSS:
		if (from != AGREEMENT_PROPOSED)
			return problem_set(p, OUTCOME_CONFLICT, "not_proposed", NULL,
			                   "This agreement is not waiting for an answer.");
		if (who->author)
			return problem_set(p, OUTCOME_CONFLICT, "not_yours_to_accept", NULL,
			                   "You proposed this one: your partner is the one to answer it.");
		if (act == AGREEMENT_ACCEPT)
			*out = (struct agreement_step){.to = AGREEMENT_ACTIVE, .accepts = true, .restarts = true};
		return true;
	case AGREEMENT_TO_RETIRED: /* either partner, from anywhere: nobody is held to an agreement */
		out->to = AGREEMENT_RETIRED;
		return true;
	case AGREEMENT_TO_PAUSED:
		if (from != AGREEMENT_ACTIVE && from != AGREEMENT_PAUSED)
			return problem_set(p, OUTCOME_CONFLICT, "not_active", NULL,
			                   "Only an agreement you are trying can rest for a while.");
		out->to = AGREEMENT_PAUSED;
		return true;
	case AGREEMENT_TO_ACTIVE:
		break;
	}
	if (from == AGREEMENT_ACTIVE) {
		out->to = AGREEMENT_ACTIVE;
		return true;
	}
	/* Nobody else to ask, or both said yes once: it starts again, its looks back counted from today. */
	if (who->alone || from == AGREEMENT_PAUSED || (from == AGREEMENT_RETIRED && who->ever_accepted)) {
		*out = (struct agreement_step){.to = AGREEMENT_ACTIVE, .restarts = true};
		return true;
	}
	/* Never agreed by the partner: from the partner this is their yes; from the author, a question again. */
	if (!who->author) {
		*out = (struct agreement_step){.to = AGREEMENT_ACTIVE, .accepts = true, .restarts = true};
		return true;
	}
	if (from == AGREEMENT_PROPOSED)
		return problem_set(p, OUTCOME_CONFLICT, "not_yours_to_accept", NULL,
		                   "You proposed this one: it becomes active once your partner says yes.");
	out->to = AGREEMENT_PROPOSED;
	return true;
}

static bool open_text(struct store *s, const char *ad, char **text, struct arena *a, struct problem *p)
{
	enum store_status st = keyring_open_text(s->keys, s, ad, *text, a, text);
	return st == STORE_OK || problem_from_store(p, st);
}

static bool build_view(struct store *s, const struct viewer *v, struct store_agreement *g, struct arena *a,
                       struct agreement_view *out, struct problem *p)
{
	memset(out, 0, sizeof *out);
	out->agreement = *g;
	if (!open_text(s, arena_printf(a, "agreement:%s:text", g->id), &out->agreement.text, a, p))
		return false;
	char today[11];
	date_today(v, today);
	if (!agreement_status_parse(g->status, &out->status))
		out->status = AGREEMENT_RETIRED;
	out->due = out->status == AGREEMENT_ACTIVE && strcmp(g->next_review_on, today) <= 0;
	out->mine = strcmp(g->author_id, v->user_id) == 0;
	/* Alone in the space, or one of the viewer's own from before it: a personal intention. */
	out->alone = !v->partner_id[0] || strcmp(g->space_id, v->user_id) == 0;
	out->awaits_me = out->status == AGREEMENT_PROPOSED && !out->mine;
	if (!open_text(s, arena_printf(a, "agreement:%s:discuss_note", g->id), &out->agreement.discuss_note, a, p))
		return false;
	enum store_status st = s->review_list(s, a, g->space_id, g->id, 20, &out->reviews, &out->review_count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	for (int i = 0; i < out->review_count; i++) {
		struct store_review *rv = &out->reviews[i];
		if (!open_text(s, arena_printf(a, "review:%s:note", rv->id), &rv->note, a, p))
			return false;
		st = keyring_open_field(s->keys, s, arena_printf(a, "review:%s:outcome", rv->id), rv->outcome,
		                        sizeof rv->outcome);
		if (st != STORE_OK)
			return problem_from_store(p, st);
	}
	return true;
}

bool agreement_create(struct store *s, const struct viewer *v, const char *text, int review_every_days,
                      const char *repair_id, struct arena *a, struct agreement_view *out, struct problem *p)
{
	assert(viewer_sane(v) && text && out);
	problem_begin(p); /* every invalid field at once */
	if (text_blank(text))
		problem_add(p, "text", "Write what you agree on, in a sentence or two.");
	else if (!text_fits(text, TEXT_MAX_CHARS))
		problem_add(p, "text", "Please keep this to 4000 characters or fewer.");
	if (review_every_days == 0)
		review_every_days = REVIEW_DAYS_DEFAULT;
	if (review_every_days < 1 || review_every_days > 90)
		problem_add(p, "review_every_days", "Review every 1 to 90 days.");
	if (!problem_none(p))
		return false;
	if (repair_id && *repair_id) {
		struct repair_view rv;
		struct problem rp = {0};
		if (!repair_load(s, v, repair_id, a, &rv, &rp)) {
			if (outcome_is_fault(rp.outcome))
				return problem_set(p, rp.outcome, rp.code, NULL, rp.message);
			return problem_invalid(p, "repair_id", "There is no such repair of yours.");
		}
		if (rv.state == REPAIR_OPEN)
			return problem_set(p, OUTCOME_CONFLICT, "not_revealed", "repair_id",
			                   "An agreement can come from a repair once both sides are shared.");
	}
	struct store_agreement g = {0};
	id_new(g.id);
	snprintf(g.space_id, sizeof g.space_id, "%s", viewer_scope(v));
	snprintf(g.author_id, sizeof g.author_id, "%s", v->user_id);
	/* With a partner it is a proposal until they say yes; alone, a personal intention, active at once. */
	snprintf(g.status, sizeof g.status, "%s",
	         agreement_status_name(v->partner_id[0] ? AGREEMENT_PROPOSED : AGREEMENT_ACTIVE));
	snprintf(g.repair_id, sizeof g.repair_id, "%s", repair_id ? repair_id : "");
	g.review_every_days = review_every_days;
	char today[11];
	date_today(v, today);
	if (!date_add_days(today, review_every_days, g.next_review_on))
		return problem_set(p, OUTCOME_ERROR, "internal", NULL, "The date could not be worked out.");
	g.created_at = now_ms();
	enum store_status st =
	    keyring_seal(s->keys, s, g.space_id, arena_printf(a, "agreement:%s:text", g.id), text, a, &g.text);
	if (st == STORE_OK)
		st = s->agreement_insert(s, &g);
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	if (v->partner_id[0]) /* issue 15: a proposal waits for the partner, who may ask to hear of it */
		notice_partner_did(s, v, NOTICE_AGREEMENT, g.id);
	return agreement_load(s, v, g.id, a, out, p);
}

bool agreement_load(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                    struct agreement_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!id_valid(id))
		return problem_from_store(p, STORE_NOT_FOUND);
	struct store_agreement g;
	enum store_status st = s->agreement_get(s, a, id, v->space_id, v->user_id, &g);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return build_view(s, v, &g, a, out, p);
}

/* The state machine's answer to act on the loaded agreement, asked by the viewer the view was built for. */
static bool step_of(const struct agreement_view *view, enum agreement_action act, struct agreement_step *out,
                    struct problem *p)
{
	struct agreement_asker who = {
	    .author = view->mine, .alone = view->alone, .ever_accepted = view->agreement.accepted_by[0]};
	return agreement_step(view->status, act, &who, out, p);
}

/* Checks act against the state machine and moves the loaded agreement in view; reloads it into view. */
static bool agreement_apply(struct store *s, const struct viewer *v, enum agreement_action act, struct arena *a,
                            struct agreement_view *view, struct problem *p)
{
	const struct store_agreement *g = &view->agreement;
	struct agreement_step step;
	if (!step_of(view, act, &step, p))
		return false;
	char today[11], next[11] = "";
	date_today(v, today);
	if (step.restarts && !date_add_days(today, g->review_every_days, next))
		return problem_set(p, OUTCOME_ERROR, "internal", NULL, "The date could not be worked out.");
	enum store_status st = s->agreement_move(s, g->space_id, g->id, g->status, agreement_status_name(step.to), next,
	                                         step.accepts ? v->user_id : "", now_ms());
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_CONFLICT, "conflict", NULL,
		                   "This agreement changed just now. Have a look at it again.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return agreement_load(s, v, g->id, a, view, p);
}

bool agreement_set_status(struct store *s, const struct viewer *v, const char *id, const char *status, struct arena *a,
                          struct agreement_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	enum agreement_status parsed;
	if (!agreement_status_parse(status, &parsed) || parsed == AGREEMENT_PROPOSED)
		return problem_invalid(p, "status", "status is active, paused or retired.");
	if (!agreement_load(s, v, id, a, out, p))
		return false;
	enum agreement_action act = parsed == AGREEMENT_ACTIVE   ? AGREEMENT_TO_ACTIVE
	                            : parsed == AGREEMENT_PAUSED ? AGREEMENT_TO_PAUSED
	                                                         : AGREEMENT_TO_RETIRED;
	return agreement_apply(s, v, act, a, out, p);
}

bool agreement_accept(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                      struct agreement_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	return agreement_load(s, v, id, a, out, p) && agreement_apply(s, v, AGREEMENT_ACCEPT, a, out, p);
}

bool agreement_discuss(struct store *s, const struct viewer *v, const char *id, const char *note, struct arena *a,
                       struct agreement_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (text_blank(note))
		return problem_invalid(p, "note", "Write a line about what you would like to talk about.");
	if (!text_fits(note, TEXT_MAX_CHARS))
		return problem_invalid(p, "note", "Please keep the note to 4000 characters or fewer.");
	if (!agreement_load(s, v, id, a, out, p))
		return false;
	const struct store_agreement *g = &out->agreement;
	struct agreement_step step;
	if (!step_of(out, AGREEMENT_DISCUSS, &step, p))
		return false;
	char *sealed = NULL;
	enum store_status st = keyring_seal(s->keys, s, g->space_id,
	                                    arena_printf(a, "agreement:%s:discuss_note", g->id), note, a, &sealed);
	if (st == STORE_OK)
		st = s->agreement_discuss(s, g->space_id, g->id, v->user_id, sealed, now_ms());
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	return agreement_load(s, v, id, a, out, p);
}

bool agreement_review(struct store *s, const struct viewer *v, const char *id, const char *outcome, const char *note,
                      struct arena *a, struct store_review *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	enum review_outcome how;
	problem_begin(p); /* every invalid field at once */
	if (!review_outcome_parse(outcome, &how))
		problem_add(p, "outcome", "outcome is kept, partly or not_yet.");
	if (!text_fits(note, TEXT_MAX_CHARS))
		problem_add(p, "note", "Please keep the note to 4000 characters or fewer.");
	if (!problem_none(p))
		return false;
	struct agreement_view view;
	if (!agreement_load(s, v, id, a, &view, p))
		return false;
	/* A look back asks how it went for me, while we are trying it: never before a yes, never while resting. */
	if (view.status != AGREEMENT_ACTIVE)
		return problem_set(p, OUTCOME_CONFLICT, "conflict", NULL,
		                   view.status == AGREEMENT_PROPOSED
		                       ? "This agreement is still a proposal. Looks back start once you both said yes."
		                       : N_("This agreement is resting. Make it active again to look back at it."));
	memset(out, 0, sizeof *out);
	id_new(out->id);
	snprintf(out->agreement_id, sizeof out->agreement_id, "%s", view.agreement.id);
	snprintf(out->space_id, sizeof out->space_id, "%s", view.agreement.space_id);
	snprintf(out->author_id, sizeof out->author_id, "%s", v->user_id);
	snprintf(out->outcome, sizeof out->outcome, "%s", review_outcome_name(how));
	out->created_at = now_ms();
	char *sealed = NULL;
	enum store_status st = STORE_OK;
	if (!text_blank(note))
		st = keyring_seal(s->keys, s, out->space_id, arena_printf(a, "review:%s:note", out->id), note, a,
		                  &sealed);
	char today[11], next[11];
	date_today(v, today);
	if (!date_add_days(today, view.agreement.review_every_days, next))
		next[0] = '\0';
	struct store_review stored = *out;
	stored.note = sealed;
	if (st == STORE_OK)
		st = keyring_seal_field(s->keys, s, out->space_id, arena_printf(a, "review:%s:outcome", out->id),
		                        out->outcome, stored.outcome, sizeof stored.outcome);
	if (st == STORE_OK)
		st = s->review_insert(s, &stored, next);
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	out->note = text_blank(note) ? NULL : arena_strdup(a, note);
	return true;
}

bool agreement_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                    struct agreement_page *out, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && out);
	int64_t before_time = 0;
	char before_id[ID_LEN + 1] = "";
	if (!page_after(cursor, &before_time, before_id, p))
		return false;
	/* The space's agreements and, while in a space, the person's own from before it (merged, newest first). */
	struct store_agreement *rows, *own = NULL;
	int count = 0, own_count = 0;
	enum store_status st =
	    s->agreement_list(s, a, viewer_scope(v), before_time, before_id, limit + 1, &rows, &count);
	if (st == STORE_OK && v->space_id[0])
		st = s->agreement_list(s, a, v->user_id, before_time, before_id, limit + 1, &own, &own_count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (own_count) {
		struct store_agreement *merged = arena_alloc(a, sizeof *merged * (size_t)(count + own_count));
		int i = 0, k = 0, n = 0;
		while (i < count || k < own_count) {
			bool take_own =
			    k < own_count &&
			    (i >= count || own[k].created_at > rows[i].created_at ||
			     (own[k].created_at == rows[i].created_at && strcmp(own[k].id, rows[i].id) > 0));
			merged[n++] = take_own ? own[k++] : rows[i++];
		}
		rows = merged;
		count = n;
	}
	memset(out, 0, sizeof *out);
	out->items = arena_alloc(a, sizeof *out->items * (size_t)(count ? count : 1));
	for (int i = 0; i < count && i < limit; i++) {
		if (!build_view(s, v, &rows[i], a, &out->items[out->count], p))
			return false;
		out->count++;
	}
	if (count > limit) {
		const struct store_agreement *last = &rows[limit - 1];
		out->next_cursor = page_cursor(a, last->created_at, last->id);
	}
	return true;
}
