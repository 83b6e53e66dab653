/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * invite.c - pending invite codes: listing and revoking (see invite.h).
 *
 * Only members of the space reach its codes: the space is always the
 * viewer's own, so someone else's code, a used one, a revoked one and an id
 * that was never made all get the same 404.
 */
#include "invite.h"

#include <assert.h>

#include "page.h"
#include "visibility.h"

static bool no_space(struct problem *p)
{
	return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You are not in a space.");
}

bool invite_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                 struct store_invite **items, int *count, char **next, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && limit <= 100);
	*next = NULL;
	*count = 0;
	if (!v->space_id[0])
		return no_space(p);
	int64_t bt = 0;
	char bid[ID_LEN + 1] = "";
	if (!page_after(cursor, &bt, bid, p))
		return false;
	int n = 0;
	enum store_status st = s->invite_list(s, a, v->space_id, now_ms(), bt, bid, limit + 1, items, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*count = n < limit ? n : limit;
	if (n > limit)
		*next = page_cursor(a, (*items)[limit - 1].created_at, (*items)[limit - 1].id);
	return true;
}

bool invite_revoke(struct store *s, const struct viewer *v, const char *id, struct problem *p)
{
	assert(viewer_sane(v));
	if (!v->space_id[0])
		return no_space(p);
	if (!id || !id_valid(id))
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "There is no such invite code.");
	enum store_status st = s->invite_revoke(s, v->space_id, id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
		                   "That invite code is no longer waiting: it was used or revoked already.");
	return st == STORE_OK || problem_from_store(p, st);
}
