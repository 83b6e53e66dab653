/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * bridge.h - a bridge between sessions (issue 13): each partner keeps a
 * private list "to bring to our next session". An item can be shared with the
 * couple's therapist and, separately, with the partner. The therapist sees the
 * items shared with them of a partner who consents now (consent is per partner
 * and revocable, as for every therapist read: domain/therapist.h) and marks
 * them talked about; such an item leaves every list but stays in its author's
 * timeline and export. The lists need a space (they are the couple's); an
 * item goes along with its author when they leave.
 *
 * The texts returned are opened (plain), in the caller's arena.
 */
#ifndef HEARTH_BRIDGE_H
#define HEARTH_BRIDGE_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"
#include "therapist.h"

/* The longest item: 1000 characters (code points). */
#define BRIDGE_TEXT_MAX 1000
/* The most open items one person keeps on the list: a list, not a diary. */
#define BRIDGE_OPEN_MAX 100
/* The most items a therapist's list holds (open ones, or with ?state=all the talked-about ones too). */
#define BRIDGE_THERAPIST_MAX 200

/* What a person sends to add or change an item; has_* false: not sent (a change keeps the value). */
struct bridge_input {
	const char *text;
	bool has_text;
	bool share_with_therapist, has_share_with_therapist;
	bool share_with_partner, has_share_with_partner;
};

/*
 * The rule for an item's fields: the text is required to add one (creating),
 * not blank and at most BRIDGE_TEXT_MAX characters of UTF-8 when sent. Every
 * invalid field at once (problem_begin, unless *p collects already: then its
 * faults join the caller's); false when any.
 */
bool bridge_input_check(const struct bridge_input *in, bool creating, struct problem *p) WARN_UNUSED;

/* Whether the therapist of t may see the item now: shared with them, and its author consents. */
bool bridge_therapist_may_see(const struct store_bridge_item *it, const struct store_space_therapist *t);

/* Whether v sees the item as their partner's: in v's space, by v's partner, shared with the partner. */
bool bridge_partner_may_see(const struct store_bridge_item *it, const struct viewer *v);

/* The viewer's list: their own open items and, apart, the partner's open items shared with them. */
struct bridge_lists {
	struct store_bridge_item *mine;
	int mine_count;
	struct store_bridge_item *partner;
	int partner_count;
};

/* Adds an item to the viewer's list; 404 without a space, 409 bridge_full past BRIDGE_OPEN_MAX open items. */
bool bridge_create(struct store *s, const struct viewer *v, const struct bridge_input *in, struct arena *a,
                   struct store_bridge_item *out, struct problem *p) WARN_UNUSED;
/* Both lists, oldest first; 404 without a space. */
bool bridge_lists(struct store *s, const struct viewer *v, struct arena *a, struct bridge_lists *out,
                  struct problem *p) WARN_UNUSED;
/* Changes the viewer's own item (text, shares); anyone else's, or none: 404. */
bool bridge_update(struct store *s, const struct viewer *v, const char *id, const struct bridge_input *in,
                   struct arena *a, struct store_bridge_item *out, struct problem *p) WARN_UNUSED;
/* Deletes the viewer's own item; anyone else's, or none: 404. */
bool bridge_delete(struct store *s, const struct viewer *v, const char *id, struct problem *p) WARN_UNUSED;

/*
 * The items of the space ts that its therapist may see: shared with the
 * therapist by a partner who consents now, open ones only unless
 * with_talked_about, oldest first, at most BRIDGE_THERAPIST_MAX. Logged as a
 * therapist read (therapist_log_read) unless ts->one_visit, when the page's
 * visit line names it (struct therapist_visit.bridge). For the before-session
 * summary too.
 */
bool bridge_list_for_therapist(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                               bool with_talked_about, struct arena *a, struct store_bridge_item **items, int *count,
                               struct problem *p) WARN_UNUSED;
/*
 * The therapist marks an item talked about (a second mark keeps the first
 * time); *out is the item afterwards. An item not shared with the therapist,
 * or of a partner who does not consent, is not found (404).
 */
bool bridge_talked_about(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *item_id,
                         struct arena *a, struct store_bridge_item *out, struct problem *p) WARN_UNUSED;

/*
 * Everything the viewer wrote on the list, in any scope, newest first
 * (talked_about_only: those talked about at `before` or earlier, the latest
 * talk first; for the timeline), at most limit. For the export and the timeline.
 */
bool bridge_written_by(struct store *s, const struct viewer *v, bool talked_about_only, int64_t before, int limit,
                       struct arena *a, struct store_bridge_item **items, int *count, struct problem *p) WARN_UNUSED;

#endif
