/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.h - check-ins: validation of what a person sends, who may see a
 * check-in, and the actions (create, read, list, edit, delete) with the store.
 */
#ifndef HEARTH_CHECKIN_H
#define HEARTH_CHECKIN_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"
#include "text.h"
#include "visibility.h"

/* The items of a check-in, each with its own visibility (CHECKIN_ITEMS of them, store.h). */
enum checkin_item { ITEM_MOOD, ITEM_CONNECTION, ITEM_SECURE, ITEM_APPRECIATION, ITEM_NEED, ITEM_WORRY };
/* "mood", "connection", "secure", "appreciation", "need", "worry" (static). */
const char *checkin_item_name(enum checkin_item i);
/* The field an item's visibility is named by in a problem: "visibility.mood", ... (static). */
const char *checkin_item_field(enum checkin_item i);

/*
 * A create or an edit as sent; has_* says which fields were present. The
 * visibility is either one word for every item (visibility) or one per item
 * (has_items: item_visibility[i], NULL where a key was missing: the author's
 * default then).
 */
struct checkin_input {
	bool has_mood, has_connection, has_secure, has_appreciation, has_need, has_worry, has_visibility;
	int mood, connection, secure;
	const char *appreciation, *need, *worry; /* NULL clears the text */
	const char *visibility;                  /* as sent: checkin_validate parses it */
	bool has_items;
	const char *item_visibility[CHECKIN_ITEMS];
	/* Filled by the actions, not by callers: the author's default for missing keys. */
	enum visibility author_default;
};

/*
 * Validates ranges, lengths and required fields (all but texts when
 * !partial), every invalid field at once. An item's bad visibility is named
 * "visibility.ITEM".
 */
bool checkin_validate(const struct checkin_input *in, bool partial, struct problem *p) WARN_UNUSED;
/* True when v may read c: the author always; the partner when some item is shared in their space. */
bool checkin_visible(const struct store_checkin *c, const struct viewer *v);
/* Copies the present fields of a validated input onto c. */
void checkin_apply(struct store_checkin *c, const struct checkin_input *in, struct arena *a);

/* The visibility of one item of a stored check-in (every item the row's own when it has no per-item letters). */
enum visibility checkin_item_visibility(const struct store_checkin *c, enum checkin_item i);
/* Sets every item's visibility: c->visibility becomes the widest, item_visibility "" when all agree. */
void checkin_set_items(struct store_checkin *c, const enum visibility items[CHECKIN_ITEMS]);
/* The row's one word when every item agrees, else "mixed" (static). */
const char *checkin_visibility_summary(const struct store_checkin *c);
/*
 * Hides from a reader what they may not see, item by item: for the partner
 * the items marked private, for the therapist (for_therapist) those not
 * marked therapist. Hidden numbers read 0 with c->hidden[i] set; hidden
 * texts are NULL. The author's own check-in is left whole.
 */
void checkin_redact(struct store_checkin *c, const struct viewer *v, bool for_therapist);

/*
 * The partner answers a shared appreciation with a supportive reply (kind as
 * the daily question's: thank_you, i_hear_you, me_too, hug). 404 when the
 * viewer may not see the check-in, 403 on one's own, 409 nothing_to_acknowledge
 * when its appreciation is empty or not shared. A new reply replaces the last.
 */
bool checkin_acknowledge(struct store *s, const struct viewer *v, const char *id, const char *kind, struct arena *a,
                         struct problem *p) WARN_UNUSED;
/* The partner's reply to a check-in: *kind (static) NULL when there is none. */
bool checkin_ack_of(struct store *s, const struct store_checkin *c, const char **kind, int64_t *at,
                    struct problem *p) WARN_UNUSED;

/* The viewer's default visibility for new check-in items: private unless they chose another. */
bool checkin_default_get(struct store *s, const struct viewer *v, enum visibility *out, struct problem *p) WARN_UNUSED;
bool checkin_default_set(struct store *s, const struct viewer *v, const char *visibility,
                         struct problem *p) WARN_UNUSED;

/* The actions. Each returns true, or false with *p filled in. */
/* Stores a complete check-in as it is (scales and texts sealed on the way); for creation and bulk loads. */
bool checkin_store(struct store *s, const struct store_checkin *c, struct arena *a, struct problem *p) WARN_UNUSED;
bool checkin_create(struct store *s, const struct viewer *v, const struct checkin_input *in, struct arena *a,
                    struct store_checkin *out, struct problem *p) WARN_UNUSED;
bool checkin_read(struct store *s, const struct viewer *v, const char *id, struct arena *a, struct store_checkin *out,
                  struct problem *p) WARN_UNUSED;
/* Reads a check-in the viewer wrote: 404 when invisible, 403 when only visible. */
bool checkin_read_own(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                      struct store_checkin *out, struct problem *p) WARN_UNUSED;
bool checkin_edit(struct store *s, const struct viewer *v, const char *id, const struct checkin_input *in,
                  struct arena *a, struct store_checkin *out, struct problem *p) WARN_UNUSED;
bool checkin_remove(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                    struct problem *p) WARN_UNUSED;

enum checkin_author { AUTHOR_ME, AUTHOR_PARTNER, AUTHOR_ALL };

/* A page of a list; next_cursor is NULL on the last page. */
struct checkin_page {
	struct store_checkin *items;
	int count;
	char *next_cursor;
};

bool checkin_author_parse(const char *s, enum checkin_author *out);
bool checkin_list(struct store *s, const struct viewer *v, enum checkin_author who, const char *cursor, int limit,
                  struct arena *a, struct checkin_page *out, struct problem *p) WARN_UNUSED;

/*
 * Opens what is sealed of a stored check-in (domain/keyring.h): the scales
 * into mood, connection and secure, and the texts in place.
 */
bool checkin_open(struct store *s, struct store_checkin *c, struct arena *a, struct problem *p) WARN_UNUSED;
/*
 * Reads the scales as they are sealed, "MOOD CONNECTION SECURE": three whole
 * numbers of 0..10 (at most 3 digits) with one space between and nothing
 * else; false for anything else.
 */
bool checkin_scales_read(const char *text, int *mood, int *connection, int *secure) WARN_UNUSED;
/* Opens the scales of check-in checkin_id as the store keeps them (a check-in's sealed.scales, or a point's). */
bool checkin_open_point(struct store *s, const char *checkin_id, const char *sealed, int *mood, int *connection,
                        int *secure, struct problem *p) WARN_UNUSED;

#endif
