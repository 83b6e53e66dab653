/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * push.c - a person's push subscriptions (sealed by the domain before they
 * come here) and the push outbox (issue 15), the email outbox's sibling
 * (store/email.c): one row per message to one device, due, tried, sent.
 *
 * A reminder's occurrence is unique per subscription and kind, so every
 * server that sees it due (or one that restarts) queues it once. A claim is
 * a lease counted as an attempt: a server that dies after claiming leaves
 * the row to whoever claims it after the lease. On PostgreSQL the claim
 * skips rows another server holds locked (FOR UPDATE SKIP LOCKED), so
 * exactly one server sends each; SQLite has one writer at a time anyway.
 */
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

#define PUSH_COLUMNS "id, user_id, subscription, created_at"
DB_QUERY(Q_PUSH_BY_HASH, "SELECT id, user_id FROM push_subscriptions WHERE endpoint_hash = ?1");
DB_QUERY(Q_PUSH_UPDATE, "UPDATE push_subscriptions SET subscription = ?2 WHERE id = ?1");
DB_QUERY(Q_PUSH_COUNT, "SELECT count(*) FROM push_subscriptions WHERE user_id = ?1");
DB_QUERY(Q_PUSH_INSERT, "INSERT INTO push_subscriptions (id, user_id, endpoint_hash, subscription, created_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)");
DB_QUERY(Q_PUSH_LIST, "SELECT " PUSH_COLUMNS " FROM push_subscriptions WHERE user_id = ?1"
                      " ORDER BY created_at, id LIMIT ?2");
DB_QUERY(Q_PUSH_GET, "SELECT " PUSH_COLUMNS " FROM push_subscriptions WHERE id = ?1");
DB_QUERY(Q_PUSH_DELETE_OWN, "DELETE FROM push_subscriptions WHERE id = ?1 AND user_id = ?2");
DB_QUERY(Q_PUSH_DELETE_ANY, "DELETE FROM push_subscriptions WHERE id = ?1");
DB_QUERY(Q_PUSH_OUTBOX_DROP, "DELETE FROM push_outbox WHERE subscription_id = ?1");
DB_QUERY(Q_PUSH_REMINDERS,
         "SELECT r.user_id, r.kind, r.at_minute, r.days, u.time_zone, COALESCE(sp.time_zone, ''), r.updated_at"
         " FROM reminders r JOIN users u ON u.id = r.user_id LEFT JOIN space_members m ON m.user_id = r.user_id"
         " LEFT JOIN spaces sp ON sp.id = m.space_id"
         " WHERE ',' || r.channels || ',' LIKE '%,push,%' AND r.kind <> 'break_over'"
         " AND EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.user_id = r.user_id)"
         " ORDER BY r.user_id, r.kind LIMIT ?1");
DB_QUERY(Q_PUSH_BREAKS_OVER, "SELECT b.user_id, b.until_at FROM breaks b"
                             " JOIN reminders r ON r.user_id = b.user_id AND r.kind = 'break_over'"
                             " AND ',' || r.channels || ',' LIKE '%,push,%'"
                             " WHERE b.until_at <= ?1 AND b.until_at > ?2"
                             " AND EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.user_id = b.user_id)"
                             " ORDER BY b.user_id LIMIT ?3");
DB_QUERY(Q_PUSH_SUBSCRIBED_BEFORE, "SELECT id FROM push_subscriptions WHERE user_id = ?1 AND created_at < ?2"
                                   " ORDER BY id LIMIT ?3");
DB_QUERY(Q_PUSH_OUTBOX_ADD,
         "INSERT INTO push_outbox (id, subscription_id, user_id, kind, occurrence, due_at, created_at)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (subscription_id, kind, occurrence) DO NOTHING");
#define CLAIM_HEAD                                                                                                     \
	"UPDATE push_outbox SET lease_until = ?2, attempts = attempts + 1 WHERE id = (SELECT id FROM push_outbox"
#define CLAIM_WHERE " WHERE sent_at IS NULL AND due_at <= ?1 AND lease_until < ?1 ORDER BY due_at, id LIMIT 1"
/* The recipient's language comes along: the message is written in it, and this row names them. */
#define CLAIM_TAIL                                                                                                     \
	") RETURNING id, subscription_id, user_id, kind, occurrence, due_at, attempts,"                                \
	" COALESCE((SELECT u.language FROM users u WHERE u.id = push_outbox.user_id), '')"
DB_QUERY(Q_PUSH_CLAIM_SQLITE, CLAIM_HEAD CLAIM_WHERE CLAIM_TAIL);
DB_QUERY(Q_PUSH_CLAIM_POSTGRES, CLAIM_HEAD CLAIM_WHERE " FOR UPDATE SKIP LOCKED" CLAIM_TAIL);
DB_QUERY(Q_PUSH_DONE, "UPDATE push_outbox SET sent_at = ?2, lease_until = 0 WHERE id = ?1");
DB_QUERY(Q_PUSH_RETRY, "UPDATE push_outbox SET due_at = ?2, lease_until = 0, last_error = ?3 WHERE id = ?1");

/* ---- subscriptions ---- */

struct push_put {
	const char *id, *user_id, *hash, *sealed;
	int64_t created_at;
	char *out_id;
	bool full; /* the person has PUSH_SUBSCRIPTIONS_MAX already */
};

static void read_owner(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	char(*pair)[ID_LEN + 1] = item;
	db_col_copy(st, 0, pair[0], ID_LEN + 1);
	db_col_copy(st, 1, pair[1], ID_LEN + 1);
}

static enum store_status push_put_tx(struct db *d, void *ctx)
{
	struct push_put *c = ctx;
	char found[2][ID_LEN + 1];
	enum store_status r = db_get(d, &Q_PUSH_BY_HASH, NULL, read_owner, found, DB_ARGS(db_text(c->hash)));
	if (r == STORE_OK && strcmp(found[1], c->user_id) == 0) {
		snprintf(c->out_id, ID_LEN + 1, "%s", found[0]);
		return db_write(d, &Q_PUSH_UPDATE, DB_ARGS(db_text(found[0]), db_text(c->sealed)));
	}
	if (r == STORE_OK) {
		/* the device is someone else's now: the older subscriber's reminders stop coming to it */
		r = db_write(d, &Q_PUSH_OUTBOX_DROP, DB_ARGS(db_text(found[0])));
		if (r == STORE_OK)
			r = db_write(d, &Q_PUSH_DELETE_ANY, DB_ARGS(db_text(found[0])));
	}
	if (r != STORE_OK && r != STORE_NOT_FOUND)
		return r;
	int64_t count = 0;
	r = db_get(d, &Q_PUSH_COUNT, NULL, db_read_int, &count, DB_ARGS(db_text(c->user_id)));
	if (r != STORE_OK)
		return r;
	c->full = count >= PUSH_SUBSCRIPTIONS_MAX;
	if (c->full)
		return STORE_CONFLICT;
	snprintf(c->out_id, ID_LEN + 1, "%s", c->id);
	return db_write(
	    d, &Q_PUSH_INSERT,
	    DB_ARGS(db_text(c->id), db_text(c->user_id), db_text(c->hash), db_text(c->sealed), db_int(c->created_at)));
}

static enum store_status push_subscription_put(struct store *s, const char *id, const char *user_id,
                                               const char *endpoint_hash, const char *sealed, int64_t created_at,
                                               char out_id[ID_LEN + 1])
{
	struct push_put c = {id, user_id, endpoint_hash, sealed, created_at, out_id, false};
	enum store_status r = tx_run(s, push_put_tx, &c);
	/* the same endpoint added at the same moment by another request: the client may try again */
	return r == STORE_CONFLICT && !c.full ? STORE_BUSY : r;
}

static void read_subscription(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_push_subscription *p = item;
	db_col_copy(st, 0, p->id, sizeof p->id);
	db_col_copy(st, 1, p->user_id, sizeof p->user_id);
	p->subscription = db_col_text(st, 2, a);
	p->created_at = db_col_int(st, 3);
}

static enum store_status push_subscription_list(struct store *s, struct arena *a, const char *user_id,
                                                struct store_push_subscription **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_PUSH_LIST, a, sizeof **items, PUSH_SUBSCRIPTIONS_MAX, read_subscription, count,
	                 &r, DB_ARGS(db_text(user_id), db_int(PUSH_SUBSCRIPTIONS_MAX)));
	return r;
}

static enum store_status push_subscription_get(struct store *s, struct arena *a, const char *id,
                                               struct store_push_subscription *out)
{
	return db_get(db_of(s), &Q_PUSH_GET, a, read_subscription, out, DB_ARGS(db_text(id)));
}

struct push_delete {
	const char *user_id, *id;
};

static enum store_status push_delete_tx(struct db *d, void *ctx)
{
	const struct push_delete *c = ctx;
	enum store_status r = c->user_id
	                          ? db_change(d, &Q_PUSH_DELETE_OWN, DB_ARGS(db_text(c->id), db_text(c->user_id)))
	                          : db_change(d, &Q_PUSH_DELETE_ANY, DB_ARGS(db_text(c->id)));
	if (r != STORE_OK)
		return r;
	return db_write(d, &Q_PUSH_OUTBOX_DROP, DB_ARGS(db_text(c->id)));
}

static enum store_status push_subscription_delete(struct store *s, const char *user_id, const char *id)
{
	struct push_delete c = {user_id, id};
	return tx_run(s, push_delete_tx, &c);
}

/* ---- what comes due ---- */

static void read_push_reminder(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_email_reminder *r = item;
	db_col_copy(st, 0, r->user_id, sizeof r->user_id);
	db_col_copy(st, 1, r->kind, sizeof r->kind);
	r->at_minute = (int)db_col_int(st, 2);
	r->days = (int)db_col_int(st, 3);
	db_col_copy(st, 4, r->own_zone, sizeof r->own_zone);
	db_col_copy(st, 5, r->space_zone, sizeof r->space_zone);
	r->since = db_col_int(st, 6);
}

static enum store_status push_reminders(struct store *s, struct arena *a, struct store_email_reminder **items,
                                        int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_PUSH_REMINDERS, a, sizeof **items, EMAIL_REMINDERS_MAX, read_push_reminder, count,
	                 &r, DB_ARGS(db_int(EMAIL_REMINDERS_MAX)));
	return r;
}

static void read_break_over(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_break_over *b = item;
	db_col_copy(st, 0, b->user_id, sizeof b->user_id);
	b->until_at = db_col_int(st, 1);
}

static enum store_status push_breaks_over(struct store *s, struct arena *a, int64_t now, int64_t since,
                                          struct store_break_over **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_PUSH_BREAKS_OVER, a, sizeof **items, EMAIL_REMINDERS_MAX, read_break_over, count,
	                 &r, DB_ARGS(db_int(now), db_int(since), db_int(EMAIL_REMINDERS_MAX)));
	return r;
}

struct push_queue_ctx {
	const char *user_id, *kind;
	int64_t occurrence, due_at, now;
	int queued;
};

static enum store_status push_queue_tx(struct db *d, void *ctx)
{
	struct push_queue_ctx *c = ctx;
	c->queued = 0; /* a transaction run again starts over */
	struct arena *a = arena_new();
	if (!a)
		return STORE_BUSY;
	enum store_status r;
	int count = 0;
	char(*ids)[ID_LEN + 1] =
	    db_rows(d, &Q_PUSH_SUBSCRIBED_BEFORE, a, ID_LEN + 1, PUSH_SUBSCRIPTIONS_MAX, db_read_id, &count, &r,
	            DB_ARGS(db_text(c->user_id), db_int(c->occurrence), db_int(PUSH_SUBSCRIPTIONS_MAX)));
	for (int i = 0; r == STORE_OK && i < count; i++) {
		char id[ID_LEN + 1];
		id_new(id);
		r = db_change(d, &Q_PUSH_OUTBOX_ADD,
		              DB_ARGS(db_text(id), db_text(ids[i]), db_text(c->user_id), db_text(c->kind),
		                      db_int(c->occurrence), db_int(c->due_at), db_int(c->now)));
		if (r == STORE_OK)
			c->queued++;
		else if (r == STORE_NOT_FOUND)
			r = STORE_OK; /* queued already */
	}
	arena_free(a);
	return r;
}

static enum store_status push_queue(struct store *s, const char *user_id, const char *kind, int64_t occurrence,
                                    int64_t due_at, int64_t now, int *queued)
{
	struct push_queue_ctx c = {user_id, kind, occurrence, due_at, now, 0};
	enum store_status r = tx_run(s, push_queue_tx, &c);
	*queued = r == STORE_OK ? c.queued : 0;
	return r;
}

/* ---- the outbox ---- */

static void read_push_outbox(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_push_outbox *o = item;
	db_col_copy(st, 0, o->id, sizeof o->id);
	db_col_copy(st, 1, o->subscription_id, sizeof o->subscription_id);
	db_col_copy(st, 2, o->user_id, sizeof o->user_id);
	db_col_copy(st, 3, o->kind, sizeof o->kind);
	o->occurrence = db_col_int(st, 4);
	o->due_at = db_col_int(st, 5);
	o->attempts = (int)db_col_int(st, 6);
	db_col_copy(st, 7, o->language, sizeof o->language);
}

static enum store_status push_outbox_claim(struct store *s, int64_t now, int64_t lease_until,
                                           struct store_push_outbox *out)
{
	struct db *d = db_of(s);
	const struct db_query *q = d && db_kind(d) == DB_SQLITE ? &Q_PUSH_CLAIM_SQLITE : &Q_PUSH_CLAIM_POSTGRES;
	return db_get(d, q, NULL, read_push_outbox, out, DB_ARGS(db_int(now), db_int(lease_until)));
}

static enum store_status push_outbox_done(struct store *s, const char *id, int64_t at)
{
	return db_change(db_of(s), &Q_PUSH_DONE, DB_ARGS(db_text(id), db_int(at)));
}

static enum store_status push_outbox_retry(struct store *s, const char *id, int64_t retry_at, const char *error)
{
	return db_change(db_of(s), &Q_PUSH_RETRY, DB_ARGS(db_text(id), db_int(retry_at), db_text(error)));
}

void store_push_init(struct store *s)
{
	s->push_subscription_put = push_subscription_put;
	s->push_subscription_list = push_subscription_list;
	s->push_subscription_get = push_subscription_get;
	s->push_subscription_delete = push_subscription_delete;
	s->push_reminders = push_reminders;
	s->push_breaks_over = push_breaks_over;
	s->push_queue = push_queue;
	s->push_outbox_claim = push_outbox_claim;
	s->push_outbox_done = push_outbox_done;
	s->push_outbox_retry = push_outbox_retry;
}
