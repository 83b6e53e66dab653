/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * bridge.c - see bridge.h. Who sees an item is decided here, in the two
 * rules bridge_therapist_may_see and bridge_partner_may_see; the store's
 * filters only narrow what is read, and every item read is checked again by
 * its rule before it is opened, so an item not shared never leaves this file.
 * Texts are sealed for the item's scope with associated data binding the row
 * and the column ("bridge:ID:text").
 */
#include "bridge.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "keyring.h"
#include "text.h"
#include "visibility.h" /* viewer_sane */

bool bridge_input_check(const struct bridge_input *in, bool creating, struct problem *p)
{
	assert(in && p);
	bool began = problem_join(p); /* the API's type checks come first */
	if (!in->has_text || !in->text) {
		if (creating)
			problem_add(p, "text", "Write what you would like to bring first.");
	} else if (!text_fits(in->text, BRIDGE_TEXT_MAX)) {
		problem_add(p, "text", "Please keep this to 1000 characters or fewer (and valid text).");
	} else if (text_blank(in->text)) {
		problem_add(p, "text", "Write what you would like to bring first.");
	}
	return problem_close(p, began);
}

bool bridge_therapist_may_see(const struct store_bridge_item *it, const struct store_space_therapist *t)
{
	assert(it && t);
	if (!it->share_with_therapist)
		return false;
	for (int i = 0; i < t->members; i++)
		if (strcmp(t->member_ids[i], it->author_id) == 0)
			return t->consent[i];
	return false; /* not (or no longer) a partner of the space */
}

bool bridge_partner_may_see(const struct store_bridge_item *it, const struct viewer *v)
{
	assert(it && v);
	return it->share_with_partner && v->space_id[0] && v->partner_id[0] && strcmp(it->space_id, v->space_id) == 0 &&
	       strcmp(it->author_id, v->partner_id) == 0;
}

static const char *text_ad(struct arena *a, const char *id)
{
	return arena_printf(a, "bridge:%s:text", id);
}

/* Opens the sealed text of each item in place. */
static bool open_all(struct store *s, struct store_bridge_item *items, int n, struct arena *a, struct problem *p)
{
	for (int i = 0; i < n; i++) {
		enum store_status st =
		    keyring_open_text(s->keys, s, text_ad(a, items[i].id), items[i].text, a, &items[i].text);
		if (st != STORE_OK)
			return problem_from_store(p, st);
	}
	return true;
}

static bool need_space(const struct viewer *v, struct problem *p)
{
	if (v->space_id[0])
		return true;
	return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
	                   "The list for your next session is kept in a space: create or join one first.");
}

/* The viewer's own item in their space, text still sealed; 404 for anything else. */
static bool own_item(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                     struct store_bridge_item *out, struct problem *p)
{
	if (!need_space(v, p))
		return false;
	if (!id_valid(id))
		return problem_from_store(p, STORE_NOT_FOUND);
	enum store_status st = s->bridge_get(s, a, v->space_id, id, out);
	if (st == STORE_OK && strcmp(out->author_id, v->user_id) != 0)
		st = STORE_NOT_FOUND; /* the partner's: as if it did not exist */
	return st == STORE_OK || problem_from_store(p, st);
}

/* Seals text into it->text for its scope. */
static bool seal_text(struct store *s, struct store_bridge_item *it, const char *text, struct arena *a,
                      struct problem *p)
{
	enum store_status st = keyring_seal(s->keys, s, it->space_id, text_ad(a, it->id), text, a, &it->text);
	return st == STORE_OK || problem_from_store(p, st);
}

bool bridge_create(struct store *s, const struct viewer *v, const struct bridge_input *in, struct arena *a,
                   struct store_bridge_item *out, struct problem *p)
{
	assert(viewer_sane(v) && in && out);
	if (!need_space(v, p) || !bridge_input_check(in, true, p))
		return false;
	int open = 0;
	enum store_status st = s->bridge_count_open(s, v->space_id, v->user_id, &open);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (open >= BRIDGE_OPEN_MAX)
		return problem_set(p, OUTCOME_CONFLICT, "bridge_full", NULL,
		                   "Your list already holds 100 things. Perhaps some of them can wait, or be put "
		                   "together, before you add another.");
	memset(out, 0, sizeof *out);
	id_new(out->id);
	snprintf(out->space_id, sizeof out->space_id, "%s", v->space_id);
	snprintf(out->author_id, sizeof out->author_id, "%s", v->user_id);
	out->share_with_therapist = in->has_share_with_therapist && in->share_with_therapist;
	out->share_with_partner = in->has_share_with_partner && in->share_with_partner;
	out->created_at = out->updated_at = now_ms();
	struct store_bridge_item sealed = *out;
	if (!seal_text(s, &sealed, in->text, a, p))
		return false;
	st = s->bridge_insert(s, &sealed);
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	out->text = arena_strdup(a, in->text);
	return true;
}

bool bridge_lists(struct store *s, const struct viewer *v, struct arena *a, struct bridge_lists *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	memset(out, 0, sizeof *out);
	if (!need_space(v, p))
		return false;
	struct store_bridge_filter mine = {.author_a = v->user_id, .author_b = "", .open_only = true};
	enum store_status st = s->bridge_list(s, a, v->space_id, &mine, BRIDGE_OPEN_MAX, &out->mine, &out->mine_count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (v->partner_id[0]) {
		struct store_bridge_filter theirs = {
		    .author_a = v->partner_id, .author_b = "", .shared_with_partner = true, .open_only = true};
		struct store_bridge_item *rows;
		int n = 0;
		st = s->bridge_list(s, a, v->space_id, &theirs, BRIDGE_OPEN_MAX, &rows, &n);
		if (st != STORE_OK)
			return problem_from_store(p, st);
		out->partner = rows;
		for (int i = 0; i < n; i++) /* the one rule decides, whatever the filter read */
			if (bridge_partner_may_see(&rows[i], v))
				out->partner[out->partner_count++] = rows[i];
	}
	return open_all(s, out->mine, out->mine_count, a, p) && open_all(s, out->partner, out->partner_count, a, p);
}

bool bridge_update(struct store *s, const struct viewer *v, const char *id, const struct bridge_input *in,
                   struct arena *a, struct store_bridge_item *out, struct problem *p)
{
	assert(viewer_sane(v) && in && out);
	/* Whose it is first: someone else's item answers 404 whatever was sent. */
	if (!own_item(s, v, id, a, out, p) || !bridge_input_check(in, false, p))
		return false;
	if (in->has_share_with_therapist)
		out->share_with_therapist = in->share_with_therapist;
	if (in->has_share_with_partner)
		out->share_with_partner = in->share_with_partner;
	out->updated_at = now_ms();
	if (in->has_text && in->text && !seal_text(s, out, in->text, a, p))
		return false;
	enum store_status st = s->bridge_update(s, out);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return open_all(s, out, 1, a, p);
}

bool bridge_delete(struct store *s, const struct viewer *v, const char *id, struct problem *p)
{
	assert(viewer_sane(v));
	if (!need_space(v, p))
		return false;
	if (!id_valid(id))
		return problem_from_store(p, STORE_NOT_FOUND);
	enum store_status st = s->bridge_delete(s, v->space_id, id, v->user_id);
	return st == STORE_OK || problem_from_store(p, st);
}

/* The consenting partners' ids ("" for none), for the store's filter. */
static void consenting(const struct store_space_therapist *t, const char *ids[2])
{
	ids[0] = ids[1] = "";
	int n = 0;
	for (int i = 0; i < t->members && n < 2; i++)
		if (t->consent[i])
			ids[n++] = t->member_ids[i];
}

bool bridge_list_for_therapist(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                               bool with_talked_about, struct arena *a, struct store_bridge_item **items, int *count,
                               struct problem *p)
{
	assert(viewer_sane(v) && ts && items && count);
	*items = NULL;
	*count = 0;
	if (!therapist_log_read(s, v, ts,
	                        with_talked_about ? "viewed the list for the next session, with what was talked about"
	                                          : "viewed the list for the next session",
	                        p))
		return false;
	const char *who[2];
	consenting(&ts->t, who);
	if (!who[0][0])
		return true; /* nobody consents: nothing is read at all */
	struct store_bridge_filter f = {
	    .author_a = who[0], .author_b = who[1], .shared_with_therapist = true, .open_only = !with_talked_about};
	struct store_bridge_item *rows;
	int n = 0;
	enum store_status st = s->bridge_list(s, a, ts->space_id, &f, BRIDGE_THERAPIST_MAX, &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (bridge_therapist_may_see(&rows[i], &ts->t))
			rows[kept++] = rows[i];
	if (!open_all(s, rows, kept, a, p))
		return false;
	*items = rows;
	*count = kept;
	return true;
}

bool bridge_talked_about(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *item_id,
                         struct arena *a, struct store_bridge_item *out, struct problem *p)
{
	assert(viewer_sane(v) && ts && out);
	if (!id_valid(item_id))
		return problem_from_store(p, STORE_NOT_FOUND);
	enum store_status st = s->bridge_get(s, a, ts->space_id, item_id, out);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!bridge_therapist_may_see(out, &ts->t))
		return problem_from_store(p, STORE_NOT_FOUND);
	const char *who[2];
	consenting(&ts->t, who);
	/* The store checks the share and the authors again: a change since the read above is not marked. */
	st = s->bridge_mark_talked_about(s, ts->space_id, item_id, who[0], who[1], now_ms());
	if (st == STORE_OK)
		st = s->bridge_get(s, a, ts->space_id, item_id, out);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!therapist_log_read(s, v, ts, "marked an item of the list for the next session talked about", p))
		return false;
	return open_all(s, out, 1, a, p);
}

bool bridge_written_by(struct store *s, const struct viewer *v, bool talked_about_only, int64_t before, int limit,
                       struct arena *a, struct store_bridge_item **items, int *count, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && items && count);
	enum store_status st = s->bridge_by_author(s, a, v->user_id, talked_about_only, before, limit, items, count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return open_all(s, *items, *count, a, p);
}
