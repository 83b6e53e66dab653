/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * visibility.c - the words of a visibility and back (see visibility.h).
 */
#include "visibility.h"

#include <assert.h>
#include <string.h>

#include "../store/store.h"

static const char *const names[] = {
    [VISIBILITY_PRIVATE] = "private",
    [VISIBILITY_PARTNER] = "partner",
    [VISIBILITY_THERAPIST] = "therapist",
};

bool visibility_parse(const char *s, enum visibility *out)
{
	int i = word_find(s, names, ARRAY_LEN(names));
	if (i < 0)
		return false;
	*out = (enum visibility)i;
	return true;
}

bool visibility_invalid(struct problem *p)
{
	return problem_add(p, "visibility", "Choose who will see this: private, partner or therapist.");
}

const char *visibility_name(enum visibility v)
{
	assert((size_t)v < ARRAY_LEN(names));
	return names[v];
}

const char *viewer_scope(const struct viewer *v)
{
	assert(viewer_sane(v));
	return v->space_id[0] ? v->space_id : v->user_id;
}

bool viewer_sane(const struct viewer *v)
{
	return v && id_valid(v->user_id) && (!v->space_id[0] || id_valid(v->space_id)) &&
	       (!v->partner_id[0] || (id_valid(v->partner_id) && strcmp(v->partner_id, v->user_id) != 0));
}
