/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.c - recording the private safety check (see safety.h), and reading
 * back one's own latest check for a repair.
 */
#include "safety.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "visibility.h"

bool safety_check_record(struct store *s, const struct viewer *v, bool afraid, bool pressured, bool share,
                         struct problem *p)
{
	return safety_check_record_for(s, v, afraid, pressured, share, NULL, NULL, p);
}

bool safety_check_record_for(struct store *s, const struct viewer *v, bool afraid, bool pressured, bool share,
                             const char *repair_id, const char *moment, struct problem *p)
{
	assert(viewer_sane(v));
	assert(!moment || strcmp(moment, SAFETY_MOMENT_JOIN) == 0 || strcmp(moment, SAFETY_MOMENT_HEARD) == 0);
	struct store_safety_check k = {0};
	id_new(k.id);
	snprintf(k.scope_id, sizeof k.scope_id, "%s", viewer_scope(v));
	snprintf(k.user_id, sizeof k.user_id, "%s", v->user_id);
	snprintf(k.repair_id, sizeof k.repair_id, "%s", repair_id ? repair_id : "");
	snprintf(k.moment, sizeof k.moment, "%s", moment ? moment : "");
	k.afraid = afraid;
	k.pressured = pressured;
	k.share_with_therapist = share;
	k.created_at = now_ms();
	enum store_status st = s->safety_insert(s, &k);
	return st == STORE_OK || problem_from_store(p, st);
}

bool safety_check_latest(struct store *s, const struct viewer *v, const char *repair_id, const char *moment,
                         enum safety_outcome *out, struct problem *p)
{
	assert(viewer_sane(v) && repair_id && moment && out);
	struct store_safety_check k;
	enum store_status st = s->safety_latest(s, viewer_scope(v), v->user_id, repair_id, moment, &k);
	*out = SAFETY_NONE;
	if (st == STORE_NOT_FOUND)
		return true;
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*out = k.afraid || k.pressured ? SAFETY_WORRYING : SAFETY_CLEAR;
	return true;
}
