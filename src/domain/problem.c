/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * problem.c - the one translation of a store failure into a problem (see
 * problem.h), so every feature says "busy" and "not found" in the same words.
 */
#include "problem.h"

#include <assert.h>
#include <string.h>

bool problem_from_store(struct problem *p, enum store_status st)
{
	assert(st != STORE_OK);
	if (st == STORE_BUSY) {
		problem_set(
		    p, OUTCOME_BUSY, "unavailable", NULL,
		    "hearth cannot reach its storage right now. Nothing was saved; please try again in a moment.");
		p->retry_after = 2;
		return false;
	}
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "There is nothing here.");
	return problem_set(p, OUTCOME_ERROR, "internal", NULL,
	                   "Something went wrong on our side. Nothing was changed.");
}

bool problem_add(struct problem *p, const char *field, const char *message)
{
	if (!p->collecting)
		return problem_invalid(p, field, message);
	if (p->outcome != OUTCOME_INVALID || p->count < 1 || p->count > PROBLEM_ITEMS_MAX) {
		problem_invalid(p, field, message);
		p->collecting = true;
		return false;
	}
	for (int i = 0; i < p->count; i++)
		if (field && p->items[i].field && strcmp(p->items[i].field, field) == 0)
			return false;
	if (p->count < PROBLEM_ITEMS_MAX)
		p->items[p->count++] = (struct problem_item){field, message};
	return false;
}
