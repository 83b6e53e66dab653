/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.c - recording the private safety check (see safety.h).
 */
#include "safety.h"

#include <assert.h>
#include <stdio.h>

#include "visibility.h"

bool safety_check_record(struct store *s, const struct viewer *v, bool afraid, bool pressured, bool share,
                         struct problem *p)
{
	assert(viewer_sane(v));
	struct store_safety_check k = {0};
	id_new(k.id);
	snprintf(k.scope_id, sizeof k.scope_id, "%s", viewer_scope(v));
	snprintf(k.user_id, sizeof k.user_id, "%s", v->user_id);
	k.afraid = afraid;
	k.pressured = pressured;
	k.share_with_therapist = share;
	k.created_at = now_ms();
	enum store_status st = s->safety_insert(s, &k);
	return st == STORE_OK || problem_from_store(p, st);
}
