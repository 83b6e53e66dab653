/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair_step.c - the table of the steps of writing one's side (see
 * repair_step.h).
 */
#include "repair_step.h"

#include <assert.h>
#include <string.h>

#define TEXT(name) offsetof(struct repair_side_input, name)

const struct repair_step repair_steps[REPAIR_STEP_COUNT] = {
    {"feelings", REPAIR_STEP_FEELINGS, 0, 0},
    {"perspective", REPAIR_STEP_TEXT, 7, TEXT(perspective)},
    {"touched", REPAIR_STEP_TEXT, 6, TEXT(touched)},
    {"my_part", REPAIR_STEP_TEXT, 6, TEXT(my_part)},
    {"next_time", REPAIR_STEP_TEXT, 5, TEXT(next_time)},
    {"review", REPAIR_STEP_REVIEW, 0, 0},
};

int repair_step_find(const char *id)
{
	for (int i = 0; id && i < REPAIR_STEP_COUNT; i++)
		if (strcmp(repair_steps[i].id, id) == 0)
			return i;
	return -1;
}

int repair_step_of_field(const char *field)
{
	int i = repair_step_find(field);
	return i >= 0 && repair_steps[i].kind != REPAIR_STEP_REVIEW ? i : 0;
}

void repair_step_merge(int i, const struct repair_side_input *from, struct repair_side_input *into)
{
	assert(i >= 0 && i < REPAIR_STEP_COUNT && from && into);
	const struct repair_step *st = &repair_steps[i];
	if (st->kind == REPAIR_STEP_FEELINGS) {
		memcpy(into->feelings, from->feelings, sizeof into->feelings);
		into->feelings_count = from->feelings_count;
	} else if (st->kind == REPAIR_STEP_TEXT) {
		const char *const *src = (const char *const *)(const void *)((const char *)from + st->text);
		*(const char **)(void *)((char *)into + st->text) = *src;
	}
}
