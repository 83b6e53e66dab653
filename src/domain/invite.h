/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * invite.h - the invite codes of a couple's space as its members see them:
 * the pending ones (unused, unexpired; their times, never the code) and
 * revoking one. Making a code is space_invite (account.h); a join or a leave
 * voids every pending code of the space (store: space_join, space_leave).
 */
#ifndef HEARTH_INVITE_H
#define HEARTH_INVITE_H

#include "../store/store.h"
#include "problem.h"

/*
 * The viewer's space's pending codes, newest first, `limit` (1..100) after
 * the cursor (NULL: from the newest); *next is the cursor of the next page or
 * NULL. 404 without a space. Items and *next live in a.
 */
bool invite_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                 struct store_invite **items, int *count, char **next, struct problem *p) WARN_UNUSED;

/* Revokes one unused code of the viewer's space: it stops working at once. 404 for anything else. */
bool invite_revoke(struct store *s, const struct viewer *v, const char *id, struct problem *p) WARN_UNUSED;

/*
 * A new code kept for the page that follows the POST (POST-redirect-GET):
 * sealed with the space's key in the viewer's session for a minute, never in
 * a URL. invite_flash_take gives it back once (false with *found unset when
 * there is none: expired, taken already, another session's).
 */
#define INVITE_FLASH_MS (60 * 1000)
bool invite_flash_put(struct store *s, const struct viewer *v, const char *code, int64_t expires_at, struct arena *a,
                      struct problem *p) WARN_UNUSED;
bool invite_flash_take(struct store *s, const struct viewer *v, struct arena *a, char *code, size_t code_size,
                       int64_t *expires_at, bool *found, struct problem *p) WARN_UNUSED;

#endif
