/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * quiet.h - a person's quiet hours (issue 15): a window of their own wall
 * clock, such as 22:00 to 07:30 (one that crosses midnight), in which
 * nothing is sent to them. A reminder or notice that falls due inside it is
 * held and sent once when the window ends; a calendar feed is not touched
 * (the person's calendar app has its own quiet rules). Off by default; only
 * the person sets theirs.
 */
#ifndef HEARTH_QUIET_H
#define HEARTH_QUIET_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"
#include "../util/util.h"
#include "problem.h"

/* A window of the wall clock: [from, to) in minutes after midnight; from > to crosses midnight. */
struct quiet_hours {
	bool set;
	int from, to;
};

/*
 * The instant (ms) the window that `at` falls in ends, in time zone `zone`
 * (UTC for an unknown one); 0 when `at` is outside it or q is not set. An
 * end the change to summer time skips is the first moment after the jump;
 * in the hour shown twice when clocks go back, the end is the showing after
 * `at`. Pure: the unit tests' arithmetic.
 */
int64_t quiet_end(const char *zone, const struct quiet_hours *q, int64_t at);

/* The viewer's quiet hours (out->set false: none). */
bool quiet_get(struct store *s, const struct viewer *v, struct quiet_hours *out, struct problem *p) WARN_UNUSED;
/*
 * Sets the viewer's quiet hours from "HH:MM" texts: every invalid field at
 * once (400, fields "from" and "to", joining a collection the caller began:
 * problem_join), and from must differ from to.
 */
bool quiet_set(struct store *s, const struct viewer *v, const char *from, const char *to, struct quiet_hours *out,
               struct problem *p) WARN_UNUSED;
/* Turns them off; 404 when they were off. */
bool quiet_remove(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;
/*
 * When a message to user_id due at `now` may go: 0 at once, else the end of
 * their quiet window (in their own zone, else their space's). -1 when the
 * store failed (the message waits for its next claim).
 */
int64_t quiet_hold_until(struct store *s, const char *user_id, int64_t now);
/*
 * For a sender that claimed message `id` of user_id's: in their quiet hours
 * it is held until they end with `hold` (its outbox's: s->outbox_hold or
 * s->push_outbox_hold), not counted as an attempt. 0: not quiet, send it
 * now; 1: held (or the window could not be read, and the claim's lease
 * runs out first); -1: the hold could not be written.
 */
int quiet_hold(struct store *s, const char *user_id, const char *id, int64_t now,
               enum store_status (*hold)(struct store *s, const char *id, int64_t until));

#endif
