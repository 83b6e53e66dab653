/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * home.c - what the home page reads and writes in the store (issue 11): the
 * events that may wait for a person in their space, the cards they set aside,
 * and their own settings.
 *
 * The events are one UNION ALL over other features' tables, each part naming
 * its kind: it reads ids and times only, never a text, so nothing sealed is
 * opened here. Which events become cards (and which dismissal hides which)
 * is decided once, in domain/home.c. Departures are written by the leave rule
 * in space.c, inside its own transaction.
 */
#include "store_internal.h"

/*
 * ?1 the viewer, ?2 their space, ?3 their partner ("" when none), ?4 the
 * oldest moment an acknowledgement or a join is still news. Columns: kind,
 * id, ref, who, since. Only rows of the viewer's own space are read, and of
 * those only the ones about the viewer or written for both.
 */
#define VIEWER_JOINED "(SELECT j.joined_at FROM space_members j WHERE j.user_id = ?1)"
#define PARTNER_SIDE " JOIN repair_sides p ON p.space_id = r.space_id AND p.repair_id = r.id AND p.author_id = ?3"
#define MY_SIDE " JOIN repair_sides m ON m.space_id = r.space_id AND m.repair_id = r.id AND m.author_id = ?1"
#define SHARED_REPAIR " WHERE r.space_id = ?2 AND r.solo = 0"

/* The partner opened a repair and nobody has written a side yet (a draft of mine counts as begun). */
#define EV_REPAIR_OPENED                                                                                               \
	"SELECT 'repair_opened', r.id, '', '', r.created_at FROM repairs r" SHARED_REPAIR " AND r.created_by = ?3"     \
	" AND NOT EXISTS (SELECT 1 FROM repair_sides s WHERE s.space_id = ?2 AND s.repair_id = r.id"                   \
	" AND (s.author_id = ?1 OR s.submitted_at IS NOT NULL))"
/* The partner shared their side; mine is not shared yet. */
#define EV_REPAIR_YOUR_TURN                                                                                            \
	"SELECT 'repair_your_turn', r.id, '', '', p.submitted_at FROM repairs r" PARTNER_SIDE SHARED_REPAIR            \
	" AND p.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM repair_sides m WHERE m.space_id = ?2"           \
	" AND m.repair_id = r.id AND m.author_id = ?1 AND m.submitted_at IS NOT NULL)"
/* Both sides are open to both; I have not said "I have heard you" yet. */
#define EV_REPAIR_REVEALED                                                                                             \
	"SELECT 'repair_revealed', r.id, '', '',"                                                                      \
	" CASE WHEN p.submitted_at > m.submitted_at THEN p.submitted_at ELSE m.submitted_at END"                       \
	" FROM repairs r" PARTNER_SIDE MY_SIDE SHARED_REPAIR                                                           \
	" AND p.submitted_at IS NOT NULL AND m.submitted_at IS NOT NULL AND m.acknowledged_at IS NULL"
/* The partner said "I have heard you" to my side. */
#define EV_REPAIR_HEARD                                                                                                \
	"SELECT 'acknowledged', r.id, 'repair', '', p.acknowledged_at FROM repairs r" PARTNER_SIDE SHARED_REPAIR       \
	" AND p.acknowledged_at IS NOT NULL AND p.acknowledged_at > ?4"
/*
 * Issue 14: the partner shared a step after the reveal that waits for me: heard or my_part not answered
 * yet, or a next_time lately (newer than mine, if I shared mine). ref: the first such step (the
 * step names sort in their order). Only rows the partner submitted: never a draft.
 */
#define EV_REPAIR_STEP                                                                                                 \
	"SELECT 'repair_step', r.id, min(a.step), '', max(a.submitted_at) FROM repairs r"                              \
	" JOIN repair_after_steps a ON a.space_id = r.space_id AND a.repair_id = r.id AND a.author_id = "              \
	"?3" SHARED_REPAIR " AND a.submitted_at IS NOT NULL AND ((a.step <> 'next_time' AND a.answered_at IS NULL)"    \
	" OR (a.step = 'next_time' AND a.submitted_at > ?4 AND NOT EXISTS (SELECT 1 FROM repair_after_steps m"         \
	" WHERE m.space_id = ?2 AND m.repair_id = r.id AND m.author_id = ?1 AND m.step = 'next_time'"                  \
	" AND m.submitted_at > a.submitted_at))) GROUP BY r.id"
/*
 * The partner answered my answer to a daily question, or my check-in's
 * appreciation: both live in prompt_acks, a check-in's under its id (store/checkin.c).
 */
#define EV_ANSWER_ACKNOWLEDGED                                                                                         \
	"SELECT 'acknowledged', a.day_id, CASE WHEN EXISTS (SELECT 1 FROM checkins c WHERE c.space_id = a.space_id"    \
	" AND c.id = a.day_id AND c.author_id = ?1) THEN 'checkin' ELSE 'prompt' END, '', a.created_at"                \
	" FROM prompt_acks a"                                                                                          \
	" WHERE a.space_id = ?2 AND a.answer_author = ?1 AND a.from_id = ?3 AND a.created_at > ?4"
/* The partner joined after me, lately. */
#define EV_PARTNER_JOINED                                                                                              \
	"SELECT 'partner_joined', m.user_id, '', '', m.joined_at FROM space_members m"                                 \
	" WHERE m.space_id = ?2 AND m.user_id = ?3 AND m.joined_at > ?4 AND m.joined_at > " VIEWER_JOINED
/* A partner left while I was in the space. */
#define EV_PARTNER_LEFT                                                                                                \
	"SELECT 'partner_left', d.id, '', d.user_id, d.left_at FROM space_departures d"                                \
	" WHERE d.space_id = ?2 AND d.user_id <> ?1 AND d.left_at >= " VIEWER_JOINED
/* The space's therapist waits for my answer (no consent row: not decided yet). */
#define EV_CONSENT_REQUESTED                                                                                           \
	"SELECT 'consent_requested', t.therapist_id, '', '', t.linked_at FROM space_therapists t"                      \
	" WHERE t.space_id = ?2 AND NOT EXISTS (SELECT 1 FROM therapist_consents c"                                    \
	" WHERE c.space_id = ?2 AND c.user_id = ?1)"
/*
 * Our cycle (issue 14): the partner shared their side and mine is not shared yet; the partner's
 * side opened both (mine was shared first), lately; the partner named the cycle anew (the latest
 * version of the shared text is theirs), lately. Submitted sides and kept versions only.
 */
#define EV_CYCLE_YOUR_TURN                                                                                             \
	"SELECT 'cycle_your_turn', p.space_id, '', '', p.submitted_at FROM cycle_sides p"                              \
	" WHERE p.space_id = ?2 AND p.author_id = ?3 AND p.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1"          \
	" FROM cycle_sides m WHERE m.space_id = ?2 AND m.author_id = ?1 AND m.submitted_at IS NOT NULL)"
#define EV_CYCLE_REVEALED                                                                                              \
	"SELECT 'cycle_revealed', p.space_id, '', '', p.submitted_at FROM cycle_sides p JOIN cycle_sides m"            \
	" ON m.space_id = p.space_id AND m.author_id = ?1 WHERE p.space_id = ?2 AND p.author_id = ?3"                  \
	" AND m.submitted_at IS NOT NULL AND p.submitted_at > m.submitted_at AND p.submitted_at > ?4"
#define EV_CYCLE_RENAMED                                                                                               \
	"SELECT 'cycle_renamed', e.id, '', '', e.created_at FROM cycle_edits e WHERE e.space_id = ?2"                  \
	" AND e.author_id = ?3 AND e.created_at > ?4 AND NOT EXISTS (SELECT 1 FROM cycle_edits n"                      \
	" WHERE n.space_id = ?2 AND n.created_at > e.created_at)"

/*
 * Sorted once, outside the union: with the ORDER BY on the compound itself
 * SQLite merged sorted parts, opening a sorter for each of them (seven
 * temporary B-trees for a handful of rows, where this way there are two).
 */
DB_QUERY(Q_HOME_EVENTS,
         "SELECT * FROM (" EV_REPAIR_OPENED " UNION ALL " EV_REPAIR_YOUR_TURN " UNION ALL " EV_REPAIR_REVEALED
         " UNION ALL " EV_REPAIR_HEARD " UNION ALL " EV_ANSWER_ACKNOWLEDGED " UNION ALL " EV_PARTNER_JOINED
         " UNION ALL " EV_PARTNER_LEFT " UNION ALL " EV_CONSENT_REQUESTED " UNION ALL " EV_REPAIR_STEP
         " UNION ALL " EV_CYCLE_YOUR_TURN " UNION ALL " EV_CYCLE_REVEALED " UNION ALL " EV_CYCLE_RENAMED
         ") AS events ORDER BY 5 DESC LIMIT ?5");
DB_QUERY(Q_HOME_DISMISSALS, "SELECT kind, item_id, since FROM home_dismissals WHERE user_id = ?1"
                            " ORDER BY since DESC LIMIT ?2");
DB_QUERY(Q_HOME_DISMISS, "INSERT INTO home_dismissals (user_id, kind, item_id, since) VALUES (?1, ?2, ?3, ?4)"
                         " ON CONFLICT (user_id, kind, item_id) DO UPDATE SET since = excluded.since");
DB_QUERY(Q_SETTINGS_GET, "SELECT quick_exit_signs_out FROM user_settings WHERE user_id = ?1");
DB_QUERY(Q_SETTINGS_SET, "INSERT INTO user_settings (user_id, quick_exit_signs_out) VALUES (?1, ?2)"
                         " ON CONFLICT (user_id) DO UPDATE SET quick_exit_signs_out = excluded.quick_exit_signs_out");

static void read_event(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_home_event *e = item;
	db_col_copy(st, 0, e->kind, sizeof e->kind);
	db_col_copy(st, 1, e->id, sizeof e->id);
	db_col_copy(st, 2, e->ref, sizeof e->ref);
	db_col_copy(st, 3, e->who, sizeof e->who);
	e->since = db_col_int(st, 4);
}

static enum store_status home_events(struct store *s, struct arena *a, const char *user_id, const char *space_id,
                                     const char *partner_id, int64_t recent, struct store_home_event **items,
                                     int *count)
{
	enum store_status r;
	*items = db_rows(
	    db_of(s), &Q_HOME_EVENTS, a, sizeof **items, HOME_EVENTS_MAX, read_event, count, &r,
	    DB_ARGS(db_text(user_id), db_text(space_id), db_text(partner_id), db_int(recent), db_int(HOME_EVENTS_MAX)));
	return r;
}

static void read_dismissal(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_home_dismissal *d = item;
	db_col_copy(st, 0, d->kind, sizeof d->kind);
	db_col_copy(st, 1, d->id, sizeof d->id);
	d->since = db_col_int(st, 2);
}

static enum store_status home_dismissals(struct store *s, struct arena *a, const char *user_id,
                                         struct store_home_dismissal **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_HOME_DISMISSALS, a, sizeof **items, HOME_DISMISSALS_MAX, read_dismissal, count,
	                 &r, DB_ARGS(db_text(user_id), db_int(HOME_DISMISSALS_MAX)));
	return r;
}

static enum store_status home_dismiss(struct store *s, const char *user_id, const char *kind, const char *item_id,
                                      int64_t since)
{
	return db_write(db_of(s), &Q_HOME_DISMISS,
	                DB_ARGS(db_text(user_id), db_text(kind), db_text(item_id), db_int(since)));
}

static void read_settings(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_settings *o = item;
	o->quick_exit_signs_out = db_col_int(st, 0) != 0;
}

static enum store_status settings_get(struct store *s, const char *user_id, struct store_settings *out)
{
	*out = (struct store_settings){0};
	enum store_status r = db_get(db_of(s), &Q_SETTINGS_GET, NULL, read_settings, out, DB_ARGS(db_text(user_id)));
	return r == STORE_NOT_FOUND ? STORE_OK : r; /* never changed: the defaults */
}

static enum store_status settings_set(struct store *s, const char *user_id, const struct store_settings *in)
{
	return db_write(db_of(s), &Q_SETTINGS_SET, DB_ARGS(db_text(user_id), db_int(in->quick_exit_signs_out ? 1 : 0)));
}

void store_home_init(struct store *s)
{
	s->home_events = home_events;
	s->home_dismissals = home_dismissals;
	s->home_dismiss = home_dismiss;
	s->settings_get = settings_get;
	s->settings_set = settings_set;
}
