/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair.c - repair rules and actions (see repair.h).
 *
 * Secrecy is decided here: a side that is not the viewer's is never even
 * decrypted until both sides are submitted, so nothing of a draft or an
 * unrevealed side can reach the partner through any answer.
 */
#include "repair.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkin.h"
#include "content.h"
#include "keyring.h"
#include "notice.h"
#include "page.h"
#include "text.h"
#include "visibility.h"

enum repair_state repair_state_of(bool solo, bool mine_submitted, bool partner_submitted, bool mine_acknowledged,
                                  bool partner_acknowledged)
{
	if (solo || !mine_submitted || !partner_submitted)
		return REPAIR_OPEN;
	return mine_acknowledged && partner_acknowledged ? REPAIR_RESOLVED : REPAIR_REVEALED;
}

bool repair_solo_visible(const struct store_repair *r, const struct viewer *v)
{
	assert(r && viewer_sane(v));
	return !r->solo || strcmp(r->created_by, v->user_id) == 0 || strcmp(r->space_id, v->user_id) == 0;
}

const char *repair_state_name(enum repair_state st)
{
	return st == REPAIR_RESOLVED ? "resolved" : st == REPAIR_REVEALED ? "revealed" : "open";
}

bool repair_title_validate(const char *title, const char *occurred_on, struct problem *p)
{
	problem_begin(p); /* every invalid field at once */
	if (text_blank(title))
		problem_add(p, "title", "Give the repair a short title, a few words.");
	else if (!text_fits(title, REPAIR_TITLE_MAX))
		problem_add(p, "title", "A title can be at most 200 characters.");
	if (occurred_on && *occurred_on && !date_valid(occurred_on))
		problem_add(p, "occurred_on", "Give the date as YYYY-MM-DD, or leave it empty.");
	return problem_none(p);
}

bool repair_side_validate(const struct repair_side_input *in, bool complete, struct problem *p)
{
	assert(in && in->feelings_count >= 0 && in->feelings_count <= REPAIR_FEELINGS_MAX);
	problem_begin(p); /* every invalid field at once; a field keeps its first fault */
	for (int i = 0; i < in->feelings_count; i++) {
		if (!content_feeling_valid(in->feelings[i]))
			problem_add(p, "feelings", "Choose feelings from the list (GET /api/v1/feelings).");
		for (int j = 0; j < i; j++)
			if (strcmp(in->feelings[i], in->feelings[j]) == 0)
				problem_add(p, "feelings", "Each feeling can be chosen once.");
	}
	(void)!text_ok(in->perspective, "perspective", p);
	(void)!text_ok(in->touched, "touched", p);
	(void)!text_ok(in->my_part, "my_part", p);
	(void)!text_ok(in->next_time, "next_time", p);
	if (complete && in->feelings_count == 0)
		problem_add(p, "feelings", "Choose at least one feeling before you share your side.");
	if (complete && text_blank(in->perspective))
		problem_add(p, "perspective", "Write your perspective before you share your side.");
	return problem_none(p);
}

/* Seals or opens one text of a repair; AD binds it to the repair, the author and the field. */
static bool seal(struct store *s, const char *scope, const char *ad, char **text, struct arena *a, struct problem *p)
{
	enum store_status st = keyring_seal(s->keys, s, scope, ad, *text, a, text);
	return st == STORE_OK || problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
}

static bool unseal(struct store *s, const char *ad, char **text, struct arena *a, struct problem *p)
{
	enum store_status st = keyring_open_text(s->keys, s, ad, *text, a, text);
	return st == STORE_OK || problem_from_store(p, st);
}

static const char *const side_fields[] = {"feelings", "perspective", "touched", "my_part", "next_time", "ack_note"};

static char **side_slot(struct store_repair_side *side, int i)
{
	char **slots[] = {&side->feelings, &side->perspective, &side->touched,
	                  &side->my_part,  &side->next_time,   &side->ack_note};
	return slots[i];
}

static bool side_crypt(struct store *s, struct store_repair_side *side, bool sealing, struct arena *a,
                       struct problem *p)
{
	for (size_t i = 0; i < ARRAY_LEN(side_fields); i++) {
		char *ad = arena_printf(a, "repair:%s:%s:%s", side->repair_id, side->author_id, side_fields[i]);
		bool ok = sealing ? seal(s, side->space_id, ad, side_slot(side, (int)i), a, p)
		                  : unseal(s, ad, side_slot(side, (int)i), a, p);
		if (!ok)
			return false;
	}
	return true;
}

/* Fills a view from a stored repair: opens the title and the viewer's side; the partner's only if revealed. */
static bool build_view(struct store *s, const struct viewer *v, struct store_repair *r, struct arena *a,
                       struct repair_view *out, struct problem *p)
{
	memset(out, 0, sizeof *out);
	out->repair = *r;
	char *ad = arena_printf(a, "repair:%s:title", r->id);
	if (!unseal(s, ad, &out->repair.title, a, p))
		return false;
	struct store_repair_side sides[2];
	int count = 0;
	enum store_status st = s->repair_sides(s, a, r->space_id, r->id, sides, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	struct store_repair_side *partner = NULL;
	for (int i = 0; i < count; i++) {
		if (strcmp(sides[i].author_id, v->user_id) == 0) {
			out->mine_side = sides[i];
			out->has_mine = true;
		} else if (!r->solo) {
			partner = &sides[i];
		}
	}
	out->partner_submitted = partner && partner->submitted_at > 0;
	out->partner_acknowledged = partner && partner->acknowledged_at > 0;
	bool mine_submitted = out->has_mine && out->mine_side.submitted_at > 0;
	out->state = repair_state_of(r->solo, mine_submitted, out->partner_submitted,
	                             out->has_mine && out->mine_side.acknowledged_at > 0, out->partner_acknowledged);
	if (out->has_mine && !side_crypt(s, &out->mine_side, false, a, p))
		return false;
	if (out->state != REPAIR_OPEN && partner) {
		out->partner_side = *partner;
		out->revealed = true;
		if (!side_crypt(s, &out->partner_side, false, a, p))
			return false;
	}
	return true;
}

bool repair_open(struct store *s, const struct viewer *v, const char *title, const char *occurred_on, struct arena *a,
                 struct repair_view *out, struct problem *p)
{
	return repair_open_reflection(s, v, title, occurred_on, false, a, out, p);
}

bool repair_open_reflection(struct store *s, const struct viewer *v, const char *title, const char *occurred_on,
                            bool reflection, struct arena *a, struct repair_view *out, struct problem *p)
{
	assert(viewer_sane(v) && title && out);
	if (!repair_title_validate(title, occurred_on, p))
		return false;
	struct store_repair r = {0};
	id_new(r.id);
	snprintf(r.space_id, sizeof r.space_id, "%s", viewer_scope(v));
	snprintf(r.created_by, sizeof r.created_by, "%s", v->user_id);
	snprintf(r.occurred_on, sizeof r.occurred_on, "%s", occurred_on ? occurred_on : "");
	r.created_at = now_ms();
	r.solo = reflection || !v->partner_id[0];
	r.title = arena_strdup(a, title);
	char *ad = arena_printf(a, "repair:%s:title", r.id);
	if (!seal(s, r.space_id, ad, &r.title, a, p))
		return false;
	enum store_status st = s->repair_insert(s, &r);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!r.solo)
		notice_partner_did(s, v, NOTICE_REPAIR, r.id); /* issue 15 */
	return repair_load(s, v, r.id, a, out, p);
}

bool repair_load(struct store *s, const struct viewer *v, const char *id, struct arena *a, struct repair_view *out,
                 struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!id_valid(id))
		return problem_from_store(p, STORE_NOT_FOUND);
	struct store_repair r;
	enum store_status st = s->repair_get(s, a, id, v->space_id, v->user_id, &r);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!repair_solo_visible(&r, v))
		return problem_from_store(p, STORE_NOT_FOUND);
	return build_view(s, v, &r, a, out, p);
}

static char *feelings_json(const struct repair_side_input *in)
{
	json_t *arr = json_array();
	for (int i = 0; i < in->feelings_count; i++)
		json_array_append_new(arr, json_string(in->feelings[i]));
	char *text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return text;
}

bool repair_save_side(struct store *s, const struct viewer *v, const char *id, const struct repair_side_input *in,
                      struct arena *a, struct repair_view *out, struct problem *p)
{
	assert(viewer_sane(v) && in && out);
	if (!repair_load(s, v, id, a, out, p))
		return false;
	if (out->has_mine && out->mine_side.submitted_at > 0)
		return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL,
		                   "Your side is already shared and cannot change now.");
	if (!repair_side_validate(in, false, p))
		return false;
	struct store_repair_side side = {0};
	snprintf(side.repair_id, sizeof side.repair_id, "%s", out->repair.id);
	snprintf(side.space_id, sizeof side.space_id, "%s", out->repair.space_id);
	snprintf(side.author_id, sizeof side.author_id, "%s", v->user_id);
	char *f = feelings_json(in);
	side.feelings = arena_strdup(a, f);
	free(f);
	side.perspective = in->perspective ? arena_strdup(a, in->perspective) : NULL;
	side.touched = in->touched ? arena_strdup(a, in->touched) : NULL;
	side.my_part = in->my_part ? arena_strdup(a, in->my_part) : NULL;
	side.next_time = in->next_time ? arena_strdup(a, in->next_time) : NULL;
	side.updated_at = now_ms();
	if (!side_crypt(s, &side, true, a, p))
		return false;
	enum store_status st = s->repair_side_put(s, &side);
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL,
		                   "Your side is already shared and cannot change now.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return repair_load(s, v, id, a, out, p);
}

json_t *repair_side_feelings(const struct store_repair_side *side)
{
	json_t *feelings = side->feelings ? json_loads(side->feelings, 0, NULL) : NULL;
	if (!json_is_array(feelings)) {
		json_decref(feelings);
		feelings = json_array();
	}
	return feelings;
}

void repair_side_input_read(const struct store_repair_side *side, struct arena *a, struct repair_side_input *in)
{
	memset(in, 0, sizeof *in);
	json_t *arr = repair_side_feelings(side);
	size_t i;
	json_t *w;
	json_array_foreach(arr, i, w)
	{
		if (in->feelings_count < REPAIR_FEELINGS_MAX && json_is_string(w))
			in->feelings[in->feelings_count++] = arena_strdup(a, json_string_value(w));
	}
	json_decref(arr);
	in->perspective = side->perspective;
	in->touched = side->touched;
	in->my_part = side->my_part;
	in->next_time = side->next_time;
}

bool repair_submit(struct store *s, const struct viewer *v, const char *id, struct arena *a, struct repair_view *out,
                   struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!repair_load(s, v, id, a, out, p))
		return false;
	if (out->has_mine && out->mine_side.submitted_at > 0)
		return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL, "Your side is already shared.");
	struct repair_side_input in;
	if (!out->has_mine)
		return problem_invalid(p, "feelings", "Write your side first, then share it.");
	repair_side_input_read(&out->mine_side, a, &in);
	if (!repair_side_validate(&in, true, p))
		return false;
	enum store_status st = s->repair_side_submit(s, out->repair.space_id, out->repair.id, v->user_id, now_ms());
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL, "Your side is already shared.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!out->repair.solo) /* issue 15: shared, so the partner may hear of it */
		notice_partner_did(s, v, NOTICE_REPAIR, arena_printf(a, "side:%s", out->repair.id));
	return repair_load(s, v, id, a, out, p);
}

bool repair_acknowledge(struct store *s, const struct viewer *v, const char *id, const char *note, struct arena *a,
                        struct repair_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!repair_load(s, v, id, a, out, p))
		return false;
	if (out->state == REPAIR_OPEN)
		return problem_set(p, OUTCOME_CONFLICT, "not_revealed", NULL,
		                   "You can acknowledge your partner's side once both sides are shared.");
	if (out->mine_side.acknowledged_at > 0)
		return problem_set(p, OUTCOME_CONFLICT, "already_acknowledged", NULL,
		                   "You have already acknowledged this side.");
	if (!text_ok(note, "note", p))
		return false;
	char *sealed = note && !text_blank(note) ? arena_strdup(a, note) : NULL;
	char *ad = arena_printf(a, "repair:%s:%s:ack_note", out->repair.id, v->user_id);
	if (!seal(s, out->repair.space_id, ad, &sealed, a, p))
		return false;
	enum store_status st =
	    s->repair_side_acknowledge(s, out->repair.space_id, out->repair.id, v->user_id, sealed, now_ms());
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "already_acknowledged", NULL,
		                   "You have already acknowledged this side.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return repair_load(s, v, id, a, out, p);
}

bool repair_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                 struct repair_page *out, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && out);
	int64_t before_time = 0;
	char before_id[ID_LEN + 1] = "";
	if (!page_after(cursor, &before_time, before_id, p))
		return false;
	struct store_repair *rows;
	int count = 0;
	enum store_status st =
	    s->repair_list(s, a, v->space_id, v->user_id, before_time, before_id, limit + 1, &rows, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	memset(out, 0, sizeof *out);
	out->items = arena_alloc(a, sizeof *out->items * (size_t)(count ? count : 1));
	for (int i = 0; i < count && i < limit; i++) {
		if (!repair_solo_visible(&rows[i], v))
			continue;
		if (!build_view(s, v, &rows[i], a, &out->items[out->count], p))
			return false;
		out->count++;
	}
	if (count > limit) {
		const struct store_repair *last = &rows[limit - 1];
		out->next_cursor = page_cursor(a, last->created_at, last->id);
	}
	return true;
}
