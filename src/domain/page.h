/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * page.h - pages of a list, newest first. A page ends with a cursor,
 * "<ms>.<id>": the time and id of its last item, opaque to clients, which
 * send it back as ?before= for the next page (items strictly older come
 * next; the id orders items of the same millisecond). Written and read here
 * only.
 */
#ifndef HEARTH_PAGE_H
#define HEARTH_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/util.h"
#include "problem.h"

/* The cursor that continues after the item (time, id); arena text. */
char *page_cursor(struct arena *a, int64_t time, const char *id);
/*
 * Where a page starts: after the cursor a client sent back, or from the
 * newest (time 0, id "") when cursor is NULL. False with an invalid problem
 * on "before" when cursor is not one of ours.
 */
bool page_after(const char *cursor, int64_t *time, char id[static ID_LEN + 1], struct problem *p) WARN_UNUSED;
/*
 * page_after, also taking a bare time ("<ms>"): questionnaire results were
 * paged by time alone until 2026-12 (which skipped results made in the same
 * millisecond), and a client may still hold such a cursor across an upgrade.
 * It continues with the items strictly older; *id is "".
 */
bool page_after_or_time(const char *cursor, int64_t *time, char id[static ID_LEN + 1], struct problem *p) WARN_UNUSED;
/* The problem of a cursor that is not valid (for lists with a cursor of their own shape). Returns false. */
bool page_cursor_invalid(struct problem *p);

#endif
