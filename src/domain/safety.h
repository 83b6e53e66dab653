/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * safety.h - the private safety check before a conflict exercise: is the
 * person afraid, or pressured to take part? What they answer is theirs; it
 * is never shown to the partner, and reaches the therapist only when they
 * choose to share it and consent to the therapist's access.
 *
 * A check may belong to a repair and a moment of it: the partner who did not
 * open the repair takes one before writing their side (join), and each
 * partner takes one before "I have heard you" (heard). The pages read the
 * person's latest check of that moment: a worrying one means the person goes
 * on privately only (nothing is shared, nothing acknowledged), and the
 * partner is told nothing.
 */
#ifndef HEARTH_SAFETY_H
#define HEARTH_SAFETY_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

#define SAFETY_MOMENT_JOIN "join"
#define SAFETY_MOMENT_HEARD "heard"
/* Before writing one's side of our cycle (issue 14); its "repair" is the scope the cycle lives in. */
#define SAFETY_MOMENT_CYCLE "cycle"

enum safety_outcome {
	SAFETY_NONE,    /* no check taken at this moment */
	SAFETY_CLEAR,   /* neither afraid nor pressured */
	SAFETY_WORRYING /* afraid or pressured: go on privately only */
};

/* Records a private safety check (its answers sealed); never shown to the partner. */
bool safety_check_record(struct store *s, const struct viewer *v, bool afraid, bool pressured, bool share,
                         struct problem *p) WARN_UNUSED;
/* The same, for a repair (its id) at a moment (SAFETY_MOMENT_*); NULL for both: no repair. */
bool safety_check_record_for(struct store *s, const struct viewer *v, bool afraid, bool pressured, bool share,
                             const char *repair_id, const char *moment, struct problem *p) WARN_UNUSED;
/* The outcome of the viewer's own latest check for the repair at the moment (SAFETY_NONE when none). */
bool safety_check_latest(struct store *s, const struct viewer *v, const char *repair_id, const char *moment,
                         enum safety_outcome *out, struct problem *p) WARN_UNUSED;
/* Opens a stored check's answers into afraid and pressured. */
bool safety_check_open(struct store *s, struct store_safety_check *c, struct problem *p) WARN_UNUSED;

#endif
