/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapy_session.h - the couple's therapy sessions (issue 13, "measures before
 * each session"): the next session's date the therapist sets and both
 * partners see; the questionnaire results a consenting partner marked
 * "therapist", with band and change; and the before-session summary of a
 * period (by default since the last session).
 *
 * The rules about dates are pure functions, unit-tested without a store:
 * reading the time a therapist types, which session became the previous one,
 * which one was the last, whether a session is in the coming week, and the
 * summary's period.
 */
#ifndef HEARTH_THERAPY_SESSION_H
#define HEARTH_THERAPY_SESSION_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"
#include "questionnaire.h"
#include "therapist.h"

#define SESSION_DAY_MS (24LL * 3600 * 1000)
/* The partners' home shows the session this long before it. */
#define SESSION_NOTICE_MS (7 * SESSION_DAY_MS)
/* How far ahead a next session may be set. */
#define SESSION_AHEAD_MAX_DAYS 366
/* The summary's period without a last session: this many days up to today. */
#define SUMMARY_DEFAULT_DAYS 14
/* The longest period a summary covers. */
#define SUMMARY_MAX_DAYS 366

/*
 * Reads the time a therapist typed for the next session: an ISO 8601 local
 * date-time "2026-12-03T17:00" (seconds allowed) in `zone`, or one with its
 * offset ("...17:00+01:00", "...16:00Z"). It must be after now and at most
 * SESSION_AHEAD_MAX_DAYS ahead. *at receives ms UTC; else 400 on field "at".
 */
bool therapy_session_parse_at(const char *text, const char *zone, int64_t now, int64_t *at,
                              struct problem *p) WARN_UNUSED;
/*
 * The previous session once the next one changes at `now`: the old next one
 * when it has taken place (old_next <= now), else the old previous one (a
 * session moved before it happened never took place). 0: none.
 */
int64_t therapy_session_roll(int64_t old_next, int64_t old_previous, int64_t now);
/* The last session that took place by now: next when it has passed, else previous; 0 for none. */
int64_t therapy_session_last(int64_t next, int64_t previous, int64_t now);
/* The next session still to come (0 when none or passed): what GET /me says. */
int64_t therapy_session_upcoming(int64_t next, int64_t now);
/* True when the session is still to come and at most SESSION_NOTICE_MS away: the home card's week. */
bool therapy_session_this_week(int64_t next, int64_t now);

/* The period of a summary: local dates, inclusive, and the instants that bound it. */
struct session_period {
	char from[11], to[11]; /* YYYY-MM-DD in the zone */
	int64_t from_at;       /* the first instant counted */
	int64_t to_at;         /* the first instant after the period */
	bool since_session;    /* from is the last session (the default with one) */
};

/*
 * The summary's period from the query's from and to (NULL or "": defaults):
 * from defaults to the last session (from that instant on), or without one
 * to SUMMARY_DEFAULT_DAYS before today; to defaults to today. Days are local
 * days in `zone`. 400 with every invalid field at once: a malformed date
 * ("from", "to"), from after to ("from"), more than SUMMARY_MAX_DAYS ("from").
 */
bool therapy_session_period(const char *from, const char *to, const char *zone, int64_t last_session, int64_t now,
                            struct session_period *out, struct problem *p) WARN_UNUSED;

/*
 * The viewer's space's session plan (all zero without a space or a
 * therapist); with its therapist's name opened into name (SEALED_NAME_SIZE)
 * when name is not NULL and there is a next session.
 */
bool therapy_session_of_space(struct store *s, const struct viewer *v, struct store_session_plan *plan, char *name,
                              struct problem *p) WARN_UNUSED;

/*
 * The linked therapist sets (at_text) or clears (at_text NULL) the next
 * session of ts; the session that took place moves to previous_at. *out
 * receives the plan as stored.
 */
bool therapy_session_set(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *at_text,
                         struct store_session_plan *out, struct problem *p) WARN_UNUSED;
/* The plan of a space the therapist opened (therapist_space_open). */
bool therapy_session_plan(struct store *s, const struct therapist_space *ts, struct store_session_plan *out,
                          struct problem *p) WARN_UNUSED;

/* A questionnaire result shared with the therapist, opened, with its band and change. */
struct therapist_qresult {
	struct store_qresponse response;
	const struct questionnaire *q;
	const struct q_band *band; /* NULL: no bands, or between two */
	struct q_change change;    /* against the author's previous result shared with the therapist */
};

/*
 * Questionnaire results of consenting partners marked "therapist", newest
 * first (then by id), created at or after from_at (0: any) and after the
 * cursor (before, before_id) in that order (before 0: from the newest;
 * before_id NULL or "": none of that millisecond), at most limit; *next the
 * cursor for the next page (domain/page.h, in the arena), NULL at the end.
 * The change is counted against the author's previous *shared* result only,
 * so a private score never shows through a difference. Logged unless
 * ts->one_visit.
 */
bool therapist_questionnaires(struct store *s, const struct viewer *v, const struct therapist_space *ts, int64_t before,
                              const char *before_id, int64_t from_at, int limit, struct arena *a,
                              struct therapist_qresult **items, int *count, const char **next,
                              struct problem *p) WARN_UNUSED;
/* One result as the API shows it: {id, questionnaire_id, author_id, score, subscales, band, change, created_at}. */
json_t *therapist_qresult_json(const struct therapist_qresult *r);

/*
 * The before-session summary of ts over the period, as GET
 * /api/v1/therapist/spaces/{id}/summary answers it (see summary_sections in
 * therapy_session.c for its parts). plan is the session plan the caller read
 * (therapy_session_plan) to find the period: its last and next sessions are
 * said from it, not read again. One access-log line.
 */
bool therapy_session_summary(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                             const struct session_period *period, const struct store_session_plan *plan,
                             struct arena *a, json_t **out, struct problem *p) WARN_UNUSED;

#endif
