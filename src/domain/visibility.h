/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * visibility.h - who may read an item besides its author: nobody (private),
 * the partner, or the partner and the therapist while the author consents.
 * The words live only in SQL and JSON; inside the program a visibility is
 * this enum, read from text by the one parser here. Also the one rule for an
 * item's scope: the space it belongs to.
 */
#ifndef HEARTH_VISIBILITY_H
#define HEARTH_VISIBILITY_H

#include <stdbool.h>

#include "../util/util.h"
#include "problem.h"

enum visibility { VISIBILITY_PRIVATE, VISIBILITY_PARTNER, VISIBILITY_THERAPIST };

/* "private", "partner" or "therapist" into *out; false (and *out untouched) for anything else, NULL too. */
bool visibility_parse(const char *s, enum visibility *out) WARN_UNUSED;
/* Adds (problem_add) the problem of a visibility that does not parse, on the field "visibility". Returns false. */
bool visibility_invalid(struct problem *p);
/* The word for a visibility, as stored and as the API writes it (static). */
const char *visibility_name(enum visibility v);

struct viewer;
/*
 * Where the viewer's items are kept: their space, or their own scope (their
 * user id) while they are in none. Every couple-owned row carries it as its
 * space_id; a partner reads only rows of the space they share.
 */
const char *viewer_scope(const struct viewer *v);
/*
 * For assert() only: v is a signed-in viewer as the router gives it, with a
 * valid user id, and a space and partner id that are empty or valid ids of
 * somebody else. The domain's actions state it at entry.
 */
bool viewer_sane(const struct viewer *v);

#endif
