/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * page.c - the list cursor, written and read (see page.h).
 */
#include "page.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

char *page_cursor(struct arena *a, int64_t time, const char *id)
{
	assert(time >= 0 && id);
	return arena_printf(a, "%lld.%s", (long long)time, id);
}

bool page_cursor_invalid(struct problem *p)
{
	return problem_invalid(p, "before", "This page cursor is not valid.");
}

bool page_after_or_time(const char *cursor, int64_t *time, char id[static ID_LEN + 1], struct problem *p)
{
	char *end = NULL;
	long long t = cursor ? strtoll(cursor, &end, 10) : 0;
	if (!cursor || end == cursor || *end || t <= 0)
		return page_after(cursor, time, id, p);
	*time = t;
	id[0] = '\0';
	return true;
}

bool page_after(const char *cursor, int64_t *time, char id[static ID_LEN + 1], struct problem *p)
{
	*time = 0;
	id[0] = '\0';
	if (!cursor)
		return true;
	char *end = NULL;
	long long t = strtoll(cursor, &end, 10);
	if (end == cursor || *end != '.' || t <= 0 || !id_valid(end + 1))
		return page_cursor_invalid(p);
	*time = t;
	memcpy(id, end + 1, ID_LEN + 1);
	return true;
}
