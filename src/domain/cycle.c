/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cycle.c - our cycle's rules and actions (see cycle.h).
 *
 * Secrecy is decided here, as for repairs: the partner's side is never even
 * opened until both sides are submitted, so nothing of a draft or of a side
 * kept privately can reach the partner through any answer. Sides are sealed
 * under the scope's key with associated data naming the author and field
 * (not the scope: a leaver's side moves with them); edits name their id.
 *
 * Layout: the pure rules (state, validation, the suggestion), sealing, the
 * view, the actions, then what the therapist may read.
 */
#include "cycle.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../util/i18n.h"
#include "keyring.h"
#include "safety.h"
#include "text.h"
#include "therapist.h"
#include "visibility.h"

enum cycle_state cycle_state_of(bool with_partner, bool has_mine, bool mine_submitted, bool partner_submitted)
{
	assert(has_mine || !mine_submitted);
	if (!has_mine)
		return CYCLE_EMPTY;
	if (!mine_submitted)
		return CYCLE_DRAFT;
	if (!with_partner)
		return CYCLE_KEPT;
	return partner_submitted ? CYCLE_SHARED : CYCLE_WAITING;
}

const char *cycle_state_name(enum cycle_state st)
{
	static const char *const names[] = {"empty", "draft", "waiting", "kept", "shared"};
	assert((size_t)st < ARRAY_LEN(names));
	return names[st];
}

bool cycle_mine_editable(enum cycle_state st)
{
	return st == CYCLE_EMPTY || st == CYCLE_DRAFT;
}

bool cycle_shared_open(enum cycle_state st)
{
	return st == CYCLE_SHARED;
}

static void field_check(const char *text, const char *field, struct problem *p)
{
	if (text_blank(text))
		problem_add(p, field, "Write a few words here.");
	else if (!text_fits(text, CYCLE_FIELD_MAX))
		problem_add(p, field, "This can be at most 500 characters.");
}

bool cycle_side_validate(const struct cycle_side_input *in, struct problem *p)
{
	assert(in);
	bool began = problem_join(p); /* every invalid field at once, the API's type checks first */
	field_check(in->when_i_feel, "when_i_feel", p);
	field_check(in->i_tend_to, "i_tend_to", p);
	field_check(in->i_long_for, "i_long_for", p);
	return problem_close(p, began);
}

bool cycle_shared_validate(const char *text, struct problem *p)
{
	problem_begin(p);
	if (text_blank(text))
		problem_add(p, "text", "Write how you would name your cycle, in a sentence or two.");
	else if (!text_fits(text, CYCLE_SHARED_MAX))
		problem_add(p, "text", "This can be at most 4000 characters.");
	return problem_none(p);
}

/* Both moves in one sentence: the cycle, not either person, is what hurts. */
const struct cycle_words cycle_words_en = {
    N_("When %s feels %s, %s tends to %s; when %s feels %s, %s tends to %s. Each move sets off the other: this is "
       "our cycle, and we face it together. Underneath, %s longs for %s, and %s longs for %s."),
    N_("one of us"),
    N_("the other"),
};

char *cycle_suggestion_in(struct arena *a, const struct cycle_words *w, const char *my_name,
                          const struct store_cycle_side *mine, const char *partner_name,
                          const struct store_cycle_side *partner)
{
	assert(w && mine && partner);
	const char *me = my_name && *my_name ? my_name : w->me;
	const char *you = partner_name && *partner_name ? partner_name : w->other;
	return arena_printf(a, w->format, me, mine->when_i_feel, me, mine->i_tend_to, you, partner->when_i_feel, you,
	                    partner->i_tend_to, me, mine->i_long_for, you, partner->i_long_for);
}

char *cycle_suggestion(struct arena *a, const char *my_name, const struct store_cycle_side *mine,
                       const char *partner_name, const struct store_cycle_side *partner)
{
	return cycle_suggestion_in(a, &cycle_words_en, my_name, mine, partner_name, partner);
}

/* ---- sealing ---- */

static const char *const side_fields[] = {"when_i_feel", "i_tend_to", "i_long_for"};

static char **side_slot(struct store_cycle_side *side, size_t i)
{
	char **slots[] = {&side->when_i_feel, &side->i_tend_to, &side->i_long_for};
	return slots[i];
}

static bool side_crypt(struct store *s, struct store_cycle_side *side, bool sealing, struct arena *a, struct problem *p)
{
	for (size_t i = 0; i < ARRAY_LEN(side_fields); i++) {
		char *ad = arena_printf(a, "cycle:%s:%s", side->author_id, side_fields[i]);
		enum store_status st =
		    sealing ? keyring_seal(s->keys, s, side->space_id, ad, *side_slot(side, i), a, side_slot(side, i))
		            : keyring_open_text(s->keys, s, ad, *side_slot(side, i), a, side_slot(side, i));
		if (st != STORE_OK)
			return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	}
	return true;
}

static bool edit_crypt(struct store *s, struct store_cycle_edit *e, bool sealing, struct arena *a, struct problem *p)
{
	char *ad = arena_printf(a, "cycle_edit:%s:text", e->id);
	enum store_status st = sealing ? keyring_seal(s->keys, s, e->space_id, ad, e->text, a, &e->text)
	                               : keyring_open_text(s->keys, s, ad, e->text, a, &e->text);
	return st == STORE_OK || problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
}

/* ---- the view ---- */

static bool load_history(struct store *s, const char *scope, struct arena *a, struct cycle_view *out, struct problem *p)
{
	enum store_status st = s->cycle_edits(s, a, scope, CYCLE_HISTORY_MAX, &out->history, &out->history_count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	for (int i = 0; i < out->history_count; i++)
		if (!edit_crypt(s, &out->history[i], false, a, p))
			return false;
	return true;
}

bool cycle_load(struct store *s, const struct viewer *v, struct arena *a, struct cycle_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	memset(out, 0, sizeof *out);
	const char *scope = viewer_scope(v);
	struct store_cycle_side sides[2];
	int count = 0;
	enum store_status st = s->cycle_sides(s, a, scope, sides, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	const struct store_cycle_side *partner = NULL;
	for (int i = 0; i < count; i++) {
		if (strcmp(sides[i].author_id, v->user_id) == 0) {
			out->mine = sides[i];
			out->has_mine = true;
		} else if (v->partner_id[0] && strcmp(sides[i].author_id, v->partner_id) == 0) {
			partner = &sides[i];
		}
	}
	bool with_partner = v->partner_id[0] != 0;
	bool mine_submitted = out->has_mine && out->mine.submitted_at > 0;
	out->state = cycle_state_of(with_partner, out->has_mine, mine_submitted, partner && partner->submitted_at > 0);
	if (out->has_mine && !side_crypt(s, &out->mine, false, a, p))
		return false;
	if (with_partner && !mine_submitted) {
		enum safety_outcome check = SAFETY_NONE;
		if (!safety_check_latest(s, v, scope, SAFETY_MOMENT_CYCLE, &check, p))
			return false;
		out->check_needed = check == SAFETY_NONE;
		out->private_only = check == SAFETY_WORRYING;
	}
	if (!cycle_shared_open(out->state))
		return true;
	out->partner = *partner;
	out->revealed = true;
	if (!side_crypt(s, &out->partner, false, a, p) || !load_history(s, scope, a, out, p))
		return false;
	if (out->history_count > 0) {
		out->shared_text = out->history[0].text;
		out->shared_at = out->history[0].created_at;
		snprintf(out->shared_by, sizeof out->shared_by, "%s", out->history[0].author_id);
	} else {
		const char *me = v->display_name[0] ? v->display_name : v->username;
		out->shared_text = cycle_suggestion(a, me, &out->mine, v->partner_name, &out->partner);
		out->shared_suggested = true;
	}
	return true;
}

/* ---- the actions ---- */

static bool already_submitted(struct problem *p)
{
	return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL,
	                   "Your side is already shared and cannot change now.");
}

bool cycle_save_mine(struct store *s, const struct viewer *v, const struct cycle_side_input *in, struct arena *a,
                     struct cycle_view *out, struct problem *p)
{
	assert(viewer_sane(v) && in && out);
	if (!cycle_load(s, v, a, out, p))
		return false;
	if (!cycle_mine_editable(out->state))
		return already_submitted(p);
	if (!cycle_side_validate(in, p))
		return false;
	struct store_cycle_side side = {0};
	snprintf(side.space_id, sizeof side.space_id, "%s", viewer_scope(v));
	snprintf(side.author_id, sizeof side.author_id, "%s", v->user_id);
	side.when_i_feel = arena_strdup(a, in->when_i_feel);
	side.i_tend_to = arena_strdup(a, in->i_tend_to);
	side.i_long_for = arena_strdup(a, in->i_long_for);
	side.updated_at = now_ms();
	if (!side_crypt(s, &side, true, a, p))
		return false;
	enum store_status st = s->cycle_side_put(s, &side);
	if (st == STORE_CONFLICT)
		return already_submitted(p);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return cycle_load(s, v, a, out, p);
}

bool cycle_submit_mine(struct store *s, const struct viewer *v, struct arena *a, struct cycle_view *out,
                       struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!cycle_load(s, v, a, out, p))
		return false;
	if (!cycle_mine_editable(out->state))
		return already_submitted(p);
	if (!out->has_mine)
		return problem_invalid(p, "when_i_feel", "Write your side first, then share it.");
	/* Alone the side stays a draft: submitted now, it would open to whoever joins the space later. */
	if (!v->partner_id[0])
		return problem_set(p, OUTCOME_CONFLICT, "no_partner", NULL,
		                   "Sharing needs your partner in your space. Your side stays yours.");
	if (out->private_only)
		return problem_set(p, OUTCOME_CONFLICT, "private_only", NULL,
		                   "After your private check, your side stays with you. Nothing is shared.");
	enum store_status st = s->cycle_side_submit(s, viewer_scope(v), v->user_id, now_ms());
	if (st == STORE_CONFLICT)
		return already_submitted(p);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return cycle_load(s, v, a, out, p);
}

bool cycle_edit_shared(struct store *s, const struct viewer *v, const char *text, struct arena *a,
                       struct cycle_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!cycle_load(s, v, a, out, p))
		return false;
	if (!cycle_shared_open(out->state))
		return problem_set(p, OUTCOME_CONFLICT, "not_revealed", NULL,
		                   "The shared page opens once both of you have shared your side.");
	if (!cycle_shared_validate(text, p))
		return false;
	struct store_cycle_edit e = {0};
	id_new(e.id);
	snprintf(e.space_id, sizeof e.space_id, "%s", viewer_scope(v));
	snprintf(e.author_id, sizeof e.author_id, "%s", v->user_id);
	e.text = arena_strdup(a, text);
	e.created_at = now_ms();
	if (!edit_crypt(s, &e, true, a, p))
		return false;
	enum store_status st = s->cycle_edit_insert(s, &e);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return cycle_load(s, v, a, out, p);
}

/* ---- the therapist ---- */

static json_t *edit_json(const struct store_cycle_edit *e)
{
	char at[32];
	time_rfc3339(e->created_at, at);
	return json_pack("{s:s, s:s, s:s?}", "author_id", e->author_id, "at", at, "text", e->text);
}

bool therapist_cycle(struct store *s, const struct viewer *v, const struct therapist_space *ts, struct arena *a,
                     json_t **out, struct problem *p)
{
	assert(viewer_sane(v) && ts && out);
	*out = NULL;
	struct store_cycle_side sides[2];
	int count = 0;
	enum store_status st = s->cycle_sides(s, a, ts->space_id, sides, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	json_t *shown = json_array();
	int submitted = 0;
	for (int i = 0; i < count; i++) {
		if (sides[i].submitted_at == 0)
			continue; /* a draft, or a side kept privately: never */
		submitted++;
		for (int m = 0; m < ts->t.members; m++) {
			if (strcmp(ts->t.member_ids[m], sides[i].author_id) != 0 || !ts->t.consent[m])
				continue;
			if (!side_crypt(s, &sides[i], false, a, p))
				goto fail;
			json_array_append_new(shown, json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "author_id",
			                                       sides[i].author_id, "name", ts->t.member_names[m],
			                                       "when_i_feel", sides[i].when_i_feel, "i_tend_to",
			                                       sides[i].i_tend_to, "i_long_for", sides[i].i_long_for));
		}
	}
	bool both = ts->t.members == 2 && ts->t.consent[0] && ts->t.consent[1] && submitted == 2;
	struct cycle_view view = {0};
	if (both && !load_history(s, ts->space_id, a, &view, p))
		goto fail;
	const char *what = both                         ? "viewed our cycle: both sides and the shared text"
	                   : json_array_size(shown) > 0 ? "viewed our cycle: the side of a consenting partner"
	                                                : "looked at our cycle and found nothing shared";
	/* A page that reads several parts writes its one line itself (therapist_log_visit). */
	if (!therapist_log_read(s, v, ts, what, p))
		goto fail;
	json_t *history = json_array();
	for (int i = 0; both && i < view.history_count; i++)
		json_array_append_new(history, edit_json(&view.history[i]));
	*out = json_pack("{s:o, s:o, s:o}", "sides", shown, "shared",
	                 both && view.history_count > 0 ? json_string(view.history[0].text) : json_null(), "history",
	                 history);
	return true;
fail:
	json_decref(shown);
	return false;
}
