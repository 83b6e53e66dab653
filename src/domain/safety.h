/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.h - the private safety check before a conflict exercise: is the
 * person afraid, or pressured to take part? What they answer is theirs; it
 * is never shown to the partner, and reaches the therapist only when they
 * choose to share it and consent to the therapist's access.
 */
#ifndef HEARTH_SAFETY_H
#define HEARTH_SAFETY_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

/* Records a private safety check (its answers sealed); never shown to the partner. */
bool safety_check_record(struct store *s, const struct viewer *v, bool afraid, bool pressured, bool share,
                         struct problem *p) WARN_UNUSED;
/* Opens a stored check's answers into afraid and pressured. */
bool safety_check_open(struct store *s, struct store_safety_check *c, struct problem *p) WARN_UNUSED;

#endif
