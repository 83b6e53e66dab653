/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapist.h - the couple's therapist: invites, linking, per-partner
 * consent, what a therapist may read (only items a consenting partner marked
 * "therapist"), private notes, and the access log both partners read.
 * Every therapist read of a couple's data is written to the access log.
 */
#ifndef HEARTH_THERAPIST_H
#define HEARTH_THERAPIST_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

/* The word of API.md for a partner's consent: "undecided", "granted" or "declined". */
const char *consent_state_name(enum consent_state c);
/* The viewer's own consent to their space's therapist (undecided when t does not list them). */
enum consent_state consent_state_of(const struct store_space_therapist *t, const char *user_id);
/* The display name of the partner user_id in t (t's own text), or "" when t does not list them. */
const char *therapist_member_name(const struct store_space_therapist *t, const char *user_id);

bool therapist_invite(struct store *s, const struct viewer *v, char *code, int64_t *expires_at,
                      struct problem *p) WARN_UNUSED;
bool therapist_link(struct store *s, const struct viewer *v, const char *code, const char *client_addr,
                    struct problem *p) WARN_UNUSED;
bool therapist_consent(struct store *s, const struct viewer *v, bool grant, struct problem *p) WARN_UNUSED;
bool therapist_unlink(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;
/* The viewer's space's therapist; false with 404 when none. */
bool therapist_of_space(struct store *s, const struct viewer *v, struct store_space_therapist *t,
                        struct problem *p) WARN_UNUSED;

/* A linked space as its therapist sees it. */
struct therapist_space {
	char space_id[ID_LEN + 1];
	struct store_space_therapist t;
	int new_items; /* therapist-visible check-ins of consenting partners since the last visit */
	int64_t last_visit;
	/*
	 * Set by a page that reads several parts at once: the reads below then log
	 * nothing, and the page writes the one line of its visit with
	 * therapist_log_visit. Cleared by therapist_space_open: each API read logs itself.
	 */
	bool one_visit;
};

/* What a page showed the therapist on one visit, for its one access-log line. */
struct therapist_visit {
	bool checkins;    /* the check-ins shared with the therapist */
	bool repairs;     /* the list of repairs (titles and states) */
	int safety_count; /* shared safety checks shown; none are never named */
	bool cycle;       /* issue 14: something of the couple's cycle was shown (never named otherwise) */
	bool homework;    /* the homework and each consenting partner's status (issue 13) */
	bool bridge;      /* issue 13: items shared for the next session were shown (never named when none) */
	/* issue 13: the shared questionnaire results, named only when some were shown */
	bool questionnaires;
};

/*
 * Writes the one access-log line of a page visit, naming what was looked at
 * ("viewed the check-ins shared with the therapist, the list of repairs and
 * 2 shared safety checks"); safety checks only when some were shown.
 * A failure refuses the visit.
 */
bool therapist_log_visit(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                         const struct therapist_visit *seen, struct arena *a, struct problem *p) WARN_UNUSED;

/*
 * Issue 13: writes one access-log line saying `what` (a fixed phrase naming
 * the kind of data, shorter than store_access.what) for a read made in other
 * files (domain/homework.c, bridge.c, cycle.c, therapy_session.c), unless ts->one_visit (the
 * page's visit line says it). A failure refuses the read.
 */
bool therapist_log_read(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *what,
                        struct problem *p) WARN_UNUSED;

bool therapist_spaces(struct store *s, const struct viewer *v, struct arena *a, struct therapist_space **items,
                      int *count, struct problem *p) WARN_UNUSED;
/* 404 unless the viewer is the therapist linked to this space. */
bool therapist_space_open(struct store *s, const struct viewer *v, const char *space_id, struct therapist_space *out,
                          struct problem *p) WARN_UNUSED;
/* Check-ins of consenting partners marked for the therapist; logged. */
bool therapist_checkins(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *cursor,
                        int limit, struct arena *a, struct store_checkin **items, int *count, char **next,
                        struct problem *p) WARN_UNUSED;
/* The space's repairs: titles and states only; logged. */
bool therapist_repairs(struct store *s, const struct viewer *v, const struct therapist_space *ts, struct arena *a,
                       json_t **items, struct problem *p) WARN_UNUSED;
/* Daily means of a metric from therapist-marked check-ins, per consenting partner; logged. */
bool therapist_trends(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *metric,
                      const char *from, const char *to, struct arena *a, json_t **series,
                      struct problem *p) WARN_UNUSED;
/*
 * Safety checks a partner chose to share with the therapist (and still
 * consents to); logged, as "viewed N safety checks ..." or, when there were
 * none, as a look that found none.
 */
bool therapist_safety(struct store *s, const struct viewer *v, const struct therapist_space *ts, struct arena *a,
                      json_t **items, struct problem *p) WARN_UNUSED;
bool therapist_note_add(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *text,
                        struct arena *a, struct store_note *out, struct problem *p) WARN_UNUSED;
bool therapist_notes(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *cursor,
                     int limit, struct arena *a, struct store_note **items, int *count, char **next,
                     struct problem *p) WARN_UNUSED;
/* The viewer's space's access log; 404 without a space. */
bool access_log_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                     struct store_access **items, int *count, char **next, struct problem *p) WARN_UNUSED;

#endif
