/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.c - recording the private safety check (see safety.h), and reading
 * back one's own latest check for a repair.
 */
#include "safety.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "keyring.h"
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
	assert(!moment || strcmp(moment, SAFETY_MOMENT_JOIN) == 0 || strcmp(moment, SAFETY_MOMENT_HEARD) == 0 ||
	       strcmp(moment, SAFETY_MOMENT_CYCLE) == 0);
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
	/* The answers are sealed; whether to share with the therapist stays clear: it decides who may read. */
	char ad[96];
	snprintf(ad, sizeof ad, "safety:%s:afraid", k.id);
	enum store_status st = keyring_seal_int(s->keys, s, k.scope_id, ad, afraid, k.sealed.afraid);
	snprintf(ad, sizeof ad, "safety:%s:pressured", k.id);
	if (st == STORE_OK)
		st = keyring_seal_int(s->keys, s, k.scope_id, ad, pressured, k.sealed.pressured);
	if (st == STORE_OK)
		st = s->safety_insert(s, &k);
	return st == STORE_OK || problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
}

bool safety_check_open(struct store *s, struct store_safety_check *c, struct problem *p)
{
	char ad[96];
	int64_t afraid = 0, pressured = 0;
	snprintf(ad, sizeof ad, "safety:%s:afraid", c->id);
	enum store_status st = keyring_open_int(s->keys, s, ad, c->sealed.afraid, &afraid);
	snprintf(ad, sizeof ad, "safety:%s:pressured", c->id);
	if (st == STORE_OK)
		st = keyring_open_int(s->keys, s, ad, c->sealed.pressured, &pressured);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	c->afraid = afraid != 0;
	c->pressured = pressured != 0;
	return true;
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
	if (!safety_check_open(s, &k, p))
		return false;
	*out = k.afraid || k.pressured ? SAFETY_WORRYING : SAFETY_CLEAR;
	return true;
}
