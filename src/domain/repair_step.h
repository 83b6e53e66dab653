/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair_step.h - the steps in which a person writes their side of a repair,
 * in one table: the pages show one step per screen ("Step 2 of 6"), and a
 * step's form carries only that step's field, so saving a step overlays its
 * field on the stored draft and leaves the others as they are.
 *
 * The titles and the guidance of the writing steps are content (data/
 * repair-guide.json, found by the step's id); the order, the field each step
 * writes and its kind live here, and nowhere else.
 */
#ifndef HEARTH_REPAIR_STEP_H
#define HEARTH_REPAIR_STEP_H

#include <stdbool.h>
#include <stddef.h>

#include "repair.h"

enum repair_step_kind {
	REPAIR_STEP_FEELINGS, /* words from the feelings vocabulary */
	REPAIR_STEP_TEXT,     /* one free text */
	REPAIR_STEP_REVIEW    /* the whole side once more, then share it */
};

struct repair_step {
	const char *id; /* in URLs and forms; for writing steps also the field and the guide's step id */
	enum repair_step_kind kind;
	int rows;    /* a text step's textarea height */
	size_t text; /* a text step's field: its offset in struct repair_side_input */
};

#define REPAIR_STEP_COUNT 6
extern const struct repair_step repair_steps[REPAIR_STEP_COUNT];

/* The index of the step with this id, or -1 (also for NULL). */
int repair_step_find(const char *id);
/* The step a field of a side belongs to (a problem's field), or 0 (the first) for any other. */
int repair_step_of_field(const char *field);
/*
 * Copies into `into` what step i writes, taken from `from` (the form of that
 * step). Pointers are shared, not copied: `into` lives no longer than `from`.
 */
void repair_step_merge(int i, const struct repair_side_input *from, struct repair_side_input *into);

#endif
