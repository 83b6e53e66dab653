/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * break.h - a break with a promise to return (issue 14): the ground rule "if
 * you need a break, say so, and say when you will come back", as a tool.
 *
 * A person takes a break of 20 minutes to 24 hours, with an optional note for
 * their partner (sealed at rest). One runs at a time per person: a second one
 * while the first runs is a conflict (`break_running`); the taker may end it
 * early, nobody else can end or change it. The partner sees it running (who,
 * until when, the note) and nothing once it is over; the taker is asked
 * "Ready to come back?" once its time has come, until they end it. Alone,
 * it is a personal pause. Ending deletes it: no history of breaks is kept.
 */
#ifndef HEARTH_BREAK_H
#define HEARTH_BREAK_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"
#include "problem.h"

#define BREAK_MINUTES_MIN 20
#define BREAK_MINUTES_MAX 1440
/* The note is a free text like any other (TEXT_MAX_CHARS), but a few words are what it is for. */
#define BREAK_NOTE_MAX_CHARS 500

/* True for a whole number of minutes a break may last: 20 to 1440 (24 hours). */
bool break_minutes_valid(int minutes);
/* True when the break's time has come at `now` (its taker said they would be back by then). */
bool break_is_over(const struct store_break *b, int64_t now);

/*
 * The choices a page offers, resolved at the moment of choosing in the
 * taker's zone: "20", "30", "60", "120" (minutes), "evening" (today at 19:00,
 * offered while more than two hours away, so it never comes before
 * "2 hours") and "morning" (the next 09:00 at least 20 minutes
 * away: tomorrow's, or today's before 08:40). Every one resolves to minutes in
 * 20..1440, so the clocks changing overnight are counted (23 or 25 hours).
 */
#define BREAK_CHOICES_MAX 6
struct break_choice {
	const char *key; /* static */
	int minutes;
	bool tomorrow; /* "morning": the 09:00 of the next local day, not today's */
};
/* The choices offered at `now` in zone, into out; returns how many. */
int break_choices(const char *zone, int64_t now, struct break_choice out[BREAK_CHOICES_MAX]);
/* The minutes of the choice `key` at `now` in zone; false when it is unknown or not offered now. */
bool break_choice_minutes(const char *key, const char *zone, int64_t now, int *minutes) WARN_UNUSED;

/* A break as a viewer sees it. */
struct break_view {
	struct store_break b; /* note open */
	bool mine;            /* the viewer's own (else the partner's) */
	bool over;            /* its time has come (only ever the viewer's own) */
	const char *who;      /* the taker's display name (static or the viewer's) */
};

/*
 * The rules of a break's fields (minutes 20..1440, a note of at most
 * BREAK_NOTE_MAX_CHARS), every invalid field at once, joining a collection
 * the caller began (problem_join).
 */
bool break_input_check(int minutes, const char *note, struct problem *p) WARN_UNUSED;
/*
 * Starts the viewer's break: minutes 20..1440 and a note of at most
 * BREAK_NOTE_MAX_CHARS (NULL or blank: none), every invalid field at once.
 * A break of theirs that still runs: OUTCOME_CONFLICT, code "break_running".
 * A break of theirs that is over but not ended is replaced.
 */
bool break_start(struct store *s, const struct viewer *v, int minutes, const char *note, struct arena *a,
                 struct break_view *out, struct problem *p) WARN_UNUSED;
/*
 * The running break the viewer may see: their own first, else their
 * partner's (while they share a space); OUTCOME_NOT_FOUND when neither runs.
 */
bool break_current(struct store *s, const struct viewer *v, struct arena *a, struct break_view *out,
                   struct problem *p) WARN_UNUSED;
/* The viewer's own break, running or over; OUTCOME_NOT_FOUND when they have none. */
bool break_mine(struct store *s, const struct viewer *v, struct arena *a, struct break_view *out,
                struct problem *p) WARN_UNUSED;
/* The partner's running break; OUTCOME_NOT_FOUND when there is none (or no partner). */
bool break_partner(struct store *s, const struct viewer *v, struct arena *a, struct break_view *out,
                   struct problem *p) WARN_UNUSED;
/* Ends the viewer's own break, running or over; OUTCOME_NOT_FOUND when they have none. */
bool break_end(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;

#endif
