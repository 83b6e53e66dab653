/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * notice.c - what quiet hours and notices of the partner's activity keep in
 * the store (issue 15): a person's quiet window, their notice settings, the
 * log of things already noticed (ids only), and the two outbox steps they
 * add to both outboxes (email and push): queueing a notice, coalesced, and
 * holding a message until a quiet window ends.
 *
 * A notice is queued inside one transaction: the log row (the same thing is
 * noticed once, ever), then, in each outbox the person chose, unless an
 * unsent notice of the same kind waits there already (it covers this one
 * too), a row due now (one per device in the push outbox), or an hour after
 * the last one of its kind went out. Its occurrence is its due time, so the
 * outboxes' uniqueness also keeps two servers from queueing the same one.
 */
#include "store_internal.h"

DB_QUERY(Q_QUIET_GET, "SELECT COALESCE(q.from_minute, -1), COALESCE(q.to_minute, -1), COALESCE(u.time_zone, ''),"
                      " COALESCE(sp.time_zone, '') FROM users u LEFT JOIN quiet_hours q ON q.user_id = u.id"
                      " LEFT JOIN space_members m ON m.user_id = u.id LEFT JOIN spaces sp ON sp.id = m.space_id"
                      " WHERE u.id = ?1");
DB_QUERY(Q_QUIET_PUT, "INSERT INTO quiet_hours (user_id, from_minute, to_minute, updated_at) VALUES (?1, ?2, ?3, ?4)"
                      " ON CONFLICT (user_id) DO UPDATE SET from_minute = excluded.from_minute,"
                      " to_minute = excluded.to_minute, updated_at = excluded.updated_at");
DB_QUERY(Q_QUIET_DELETE, "DELETE FROM quiet_hours WHERE user_id = ?1");
DB_QUERY(Q_NOTICE_GET, "SELECT kinds, named, channels, updated_at FROM notice_settings WHERE user_id = ?1");
DB_QUERY(Q_NOTICE_PUT,
         "INSERT INTO notice_settings (user_id, kinds, named, channels, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
         " ON CONFLICT (user_id) DO UPDATE SET kinds = excluded.kinds, named = excluded.named,"
         " channels = excluded.channels, updated_at = excluded.updated_at");
DB_QUERY(Q_NOTICE_DELETE, "DELETE FROM notice_settings WHERE user_id = ?1");
/* The person's partner: the other member of their space, and their sealed name. */
DB_QUERY(Q_NOTICE_PARTNER, "SELECT u.id, u.display_name FROM space_members m"
                           " JOIN space_members o ON o.space_id = m.space_id AND o.user_id <> m.user_id"
                           " JOIN users u ON u.id = o.user_id WHERE m.user_id = ?1 ORDER BY o.joined_at LIMIT 1");
DB_QUERY(Q_NOTICE_LOG, "INSERT INTO notice_log (user_id, item, at) VALUES (?1, ?2, ?3)"
                       " ON CONFLICT (user_id, item) DO NOTHING");
/*
 * The latest notice of a kind queued for the person (by when it was queued: a
 * held one's due time moves): its due time, when it was sent (0: not yet), and
 * its lease (not 0: a sender holds it now).
 */
DB_QUERY(Q_NOTICE_LAST, "SELECT due_at, COALESCE(sent_at, 0), lease_until FROM outbox WHERE user_id = ?1 AND kind = ?2"
                        " ORDER BY created_at DESC, due_at DESC LIMIT 1");
DB_QUERY(Q_NOTICE_ADD, "INSERT INTO outbox (id, user_id, kind, occurrence, due_at, created_at)"
                       " VALUES (?1, ?2, ?3, ?4, ?4, ?5) ON CONFLICT (user_id, kind, occurrence) DO NOTHING");
/*
 * The same for the push outbox, where one notice is a row per device: the
 * latest sent of the kind, how many still wait (not held by a sender, not
 * given up on), and how many a sender holds now.
 */
DB_QUERY(Q_NOTICE_PUSH_LAST, "SELECT COALESCE(MAX(sent_at), 0), COALESCE(SUM(CASE WHEN sent_at IS NULL AND due_at < ?3"
                             " AND lease_until = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN sent_at IS NULL"
                             " AND lease_until <> 0 THEN 1 ELSE 0 END), 0) FROM push_outbox WHERE user_id = ?1"
                             " AND kind = ?2");
DB_QUERY(Q_NOTICE_PUSH_DEVICES, "SELECT id FROM push_subscriptions WHERE user_id = ?1 ORDER BY id LIMIT ?2");
DB_QUERY(Q_NOTICE_PUSH_ADD,
         "INSERT INTO push_outbox (id, subscription_id, user_id, kind, occurrence, due_at, created_at)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6) ON CONFLICT (subscription_id, kind, occurrence) DO NOTHING");
/* A held message goes back to waiting: the claim that found it quiet does not count as an attempt. */
DB_QUERY(Q_OUTBOX_HOLD, "UPDATE outbox SET due_at = ?2, lease_until = 0, attempts = attempts - 1 WHERE id = ?1");
DB_QUERY(Q_PUSH_OUTBOX_HOLD,
         "UPDATE push_outbox SET due_at = ?2, lease_until = 0, attempts = attempts - 1 WHERE id = ?1");

static void read_quiet(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_quiet *q = item;
	q->from_minute = (int)db_col_int(st, 0);
	q->to_minute = (int)db_col_int(st, 1);
	q->set = q->from_minute >= 0 && q->to_minute >= 0;
	db_col_copy(st, 2, q->own_zone, sizeof q->own_zone);
	db_col_copy(st, 3, q->space_zone, sizeof q->space_zone);
}

static enum store_status quiet_get(struct store *s, const char *user_id, struct store_quiet *out)
{
	*out = (struct store_quiet){0};
	return db_get(db_of(s), &Q_QUIET_GET, NULL, read_quiet, out, DB_ARGS(db_text(user_id)));
}

static enum store_status quiet_put(struct store *s, const char *user_id, int from_minute, int to_minute, int64_t at)
{
	return db_write(db_of(s), &Q_QUIET_PUT,
	                DB_ARGS(db_text(user_id), db_int(from_minute), db_int(to_minute), db_int(at)));
}

static enum store_status quiet_delete(struct store *s, const char *user_id)
{
	return db_change(db_of(s), &Q_QUIET_DELETE, DB_ARGS(db_text(user_id)));
}

static void read_notice(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_notice *n = item;
	n->kinds = (int)db_col_int(st, 0);
	n->named = db_col_int(st, 1) != 0;
	db_col_copy(st, 2, n->channels, sizeof n->channels);
	n->updated_at = db_col_int(st, 3);
}

static enum store_status notice_get(struct store *s, const char *user_id, struct store_notice *out)
{
	return db_get(db_of(s), &Q_NOTICE_GET, NULL, read_notice, out, DB_ARGS(db_text(user_id)));
}

static enum store_status notice_put(struct store *s, const char *user_id, const struct store_notice *in)
{
	return db_write(db_of(s), &Q_NOTICE_PUT,
	                DB_ARGS(db_text(user_id), db_int(in->kinds), db_int(in->named), db_text(in->channels),
	                        db_int(in->updated_at)));
}

static enum store_status notice_delete(struct store *s, const char *user_id)
{
	return db_change(db_of(s), &Q_NOTICE_DELETE, DB_ARGS(db_text(user_id)));
}

static void read_partner(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_notice_partner *p = item;
	db_col_copy(st, 0, p->id, sizeof p->id);
	db_col_copy(st, 1, p->name, sizeof p->name);
}

static enum store_status notice_partner(struct store *s, const char *user_id, struct store_notice_partner *out)
{
	return db_get(db_of(s), &Q_NOTICE_PARTNER, NULL, read_partner, out, DB_ARGS(db_text(user_id)));
}

struct notice_queue_ctx {
	const char *id, *user_id, *kind, *item;
	int64_t now, gap_ms;
	bool by_email, by_push;
	bool queued;
};

static void read_last(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	int64_t *last = item;
	for (int i = 0; i < 3; i++)
		last[i] = db_col_int(st, i);
}

/* The email outbox's part of queueing a notice (the log row is written). */
static enum store_status notice_email_tx(struct db *d, struct notice_queue_ctx *c)
{
	int64_t last[3] = {0, 0, 0}; /* due_at, sent_at (0: not sent yet), lease_until (not 0: being sent) */
	enum store_status r =
	    db_get(d, &Q_NOTICE_LAST, NULL, read_last, last, DB_ARGS(db_text(c->user_id), db_text(c->kind)));
	if (r != STORE_OK && r != STORE_NOT_FOUND)
		return r;
	int64_t due = c->now;
	bool sending = r == STORE_OK && !last[1] && last[2];
	/*
	 * One waits to be sent: it tells of this too. Not one the sender gave up
	 * on (due never again), nor one a sender holds: that one may have gone out
	 * already, before this happened, so this one waits an hour from now.
	 */
	if (r == STORE_OK && !last[1] && !sending && last[0] < INT64_MAX / 4)
		return STORE_OK;
	int64_t went = sending ? c->now : last[1];
	if (r == STORE_OK && went + c->gap_ms > due)
		due = went + c->gap_ms;
	r = db_write(d, &Q_NOTICE_ADD,
	             DB_ARGS(db_text(c->id), db_text(c->user_id), db_text(c->kind), db_int(due), db_int(c->now)));
	c->queued = c->queued || r == STORE_OK;
	return r;
}

/* The push outbox's part: the same rules, one row for each of the person's devices. */
static enum store_status notice_push_tx(struct db *d, struct notice_queue_ctx *c)
{
	int64_t last[3] = {0, 0, 0}; /* the latest sent_at (0: none), how many wait, how many are being sent */
	enum store_status r = db_get(d, &Q_NOTICE_PUSH_LAST, NULL, read_last, last,
	                             DB_ARGS(db_text(c->user_id), db_text(c->kind), db_int(INT64_MAX / 4)));
	if (r != STORE_OK)
		return r;
	if (last[1] > 0)
		return STORE_OK;                       /* one waits to be sent: it tells of this too */
	int64_t went = last[2] > 0 ? c->now : last[0]; /* one being sent goes out about now */
	int64_t due = went && went + c->gap_ms > c->now ? went + c->gap_ms : c->now;
	struct arena *a = arena_new();
	if (!a)
		return STORE_BUSY;
	int count = 0;
	char(*ids)[ID_LEN + 1] = db_rows(d, &Q_NOTICE_PUSH_DEVICES, a, ID_LEN + 1, PUSH_SUBSCRIPTIONS_MAX, db_read_id,
	                                 &count, &r, DB_ARGS(db_text(c->user_id), db_int(PUSH_SUBSCRIPTIONS_MAX)));
	for (int i = 0; r == STORE_OK && i < count; i++) {
		char id[ID_LEN + 1];
		id_new(id);
		r = db_write(d, &Q_NOTICE_PUSH_ADD,
		             DB_ARGS(db_text(id), db_text(ids[i]), db_text(c->user_id), db_text(c->kind), db_int(due),
		                     db_int(c->now)));
		c->queued = c->queued || r == STORE_OK;
	}
	arena_free(a);
	return r;
}

static enum store_status notice_queue_tx(struct db *d, void *arg)
{
	struct notice_queue_ctx *c = arg;
	c->queued = false; /* a transaction run again starts over */
	enum store_status r =
	    db_change(d, &Q_NOTICE_LOG, DB_ARGS(db_text(c->user_id), db_text(c->item), db_int(c->now)));
	if (r == STORE_NOT_FOUND)
		return STORE_OK; /* noticed before: once is enough */
	if (r == STORE_OK && c->by_email)
		r = notice_email_tx(d, c);
	if (r == STORE_OK && c->by_push)
		r = notice_push_tx(d, c);
	return r;
}

static enum store_status notice_queue(struct store *s, const char *id, const char *user_id, const char *kind,
                                      const char *item, bool by_email, bool by_push, int64_t now, int64_t gap_ms,
                                      bool *queued)
{
	struct notice_queue_ctx c = {id, user_id, kind, item, now, gap_ms, by_email, by_push, false};
	enum store_status r = tx_run(s, notice_queue_tx, &c);
	*queued = r == STORE_OK && c.queued;
	return r;
}

static enum store_status outbox_hold(struct store *s, const char *id, int64_t until)
{
	return db_change(db_of(s), &Q_OUTBOX_HOLD, DB_ARGS(db_text(id), db_int(until)));
}

static enum store_status push_outbox_hold(struct store *s, const char *id, int64_t until)
{
	return db_change(db_of(s), &Q_PUSH_OUTBOX_HOLD, DB_ARGS(db_text(id), db_int(until)));
}

void store_notice_init(struct store *s)
{
	s->quiet_get = quiet_get;
	s->quiet_put = quiet_put;
	s->quiet_delete = quiet_delete;
	s->notice_get = notice_get;
	s->notice_put = notice_put;
	s->notice_delete = notice_delete;
	s->notice_partner = notice_partner;
	s->notice_queue = notice_queue;
	s->outbox_hold = outbox_hold;
	s->push_outbox_hold = push_outbox_hold;
}
