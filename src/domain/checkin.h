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

/* A create or an edit as sent; has_* says which fields were present. */
struct checkin_input {
	bool has_mood, has_connection, has_secure, has_appreciation, has_need, has_worry, has_visibility;
	int mood, connection, secure;
	const char *appreciation, *need, *worry; /* NULL clears the text */
	const char *visibility;                  /* as sent: checkin_validate parses it */
};

/* Validates ranges, lengths and required fields (all but texts when !partial). */
bool checkin_validate(const struct checkin_input *in, bool partial, struct problem *p) WARN_UNUSED;
/* True when v may read c: the author always; the partner when shared in their space. */
bool checkin_visible(const struct store_checkin *c, const struct viewer *v);
/* Copies the present fields of a validated input onto c. */
void checkin_apply(struct store_checkin *c, const struct checkin_input *in, struct arena *a);

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
/* Opens the scales of check-in checkin_id as the store keeps them (a check-in's sealed.scales, or a point's). */
bool checkin_open_point(struct store *s, const char *checkin_id, const char *sealed, int *mood, int *connection,
                        int *secure, struct problem *p) WARN_UNUSED;

#endif
