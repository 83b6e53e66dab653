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
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyring.h"
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

/* The flash's kind, and what its sealed value is bound to: this session. */
#define FLASH_KIND "invite"

bool invite_flash_put(struct store *s, const struct viewer *v, const char *code, int64_t expires_at, struct arena *a,
                      struct problem *p)
{
	assert(viewer_sane(v) && code);
	if (!v->session_hash[0] || !v->space_id[0])
		return problem_from_store(p, STORE_ERROR);
	char *plain = arena_printf(a, "%" PRId64 " %s", expires_at, code);
	char *ad = arena_printf(a, "flash:" FLASH_KIND ":%s", v->session_hash);
	char *sealed = NULL;
	int64_t now = now_ms();
	enum store_status st = keyring_seal(s->keys, s, v->space_id, ad, plain, a, &sealed);
	if (st == STORE_OK)
		st = s->flash_put(s, v->session_hash, FLASH_KIND, v->space_id, sealed, now, now + INVITE_FLASH_MS);
	return st == STORE_OK || problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
}

bool invite_flash_take(struct store *s, const struct viewer *v, struct arena *a, char *code, size_t code_size,
                       int64_t *expires_at, bool *found, struct problem *p)
{
	assert(viewer_sane(v) && code && code_size > 0);
	*found = false;
	code[0] = 0;
	if (!v->session_hash[0] || !v->space_id[0])
		return true;
	char scope[ID_LEN + 1];
	char *sealed = NULL, *plain = NULL;
	enum store_status st = s->flash_take(s, a, v->session_hash, FLASH_KIND, now_ms(), scope, &sealed);
	if (st == STORE_NOT_FOUND)
		return true;
	if (st != STORE_OK)
		return problem_from_store(p, st);
	/* A code of a space the viewer has left since is not theirs to see any more. */
	if (strcmp(scope, v->space_id) != 0)
		return true;
	char *ad = arena_printf(a, "flash:" FLASH_KIND ":%s", v->session_hash);
	st = keyring_open_text(s->keys, s, ad, sealed, a, &plain);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	char *space = plain ? strchr(plain, ' ') : NULL;
	if (!space)
		return true;
	*expires_at = strtoll(plain, NULL, 10);
	snprintf(code, code_size, "%s", space + 1);
	*found = true;
	return true;
}
