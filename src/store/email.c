/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * email.c - a person's email address (sealed by the domain before it comes
 * here) and the outbox (issue 15): one row per message, due, tried, sent.
 *
 * A reminder's occurrence is unique per person and kind, so every server
 * that sees it due (or one that restarts) queues it once. A claim is a lease
 * (lease_until), counted as an attempt: a server that dies after claiming
 * leaves the row to whoever claims it after the lease, so nothing is lost;
 * a message is marked done only after the mail server took it, and its
 * Message-ID is the row's id, so the rare resend after a crash between the
 * two is the same message to the receiving side. On PostgreSQL the claim
 * skips rows another server holds locked (FOR UPDATE SKIP LOCKED), so
 * exactly one server sends each; SQLite has one writer at a time anyway.
 */
#include "store_internal.h"

DB_QUERY(Q_EMAIL_GET, "SELECT address, created_at, COALESCE(confirmed_at, 0) FROM email_addresses WHERE user_id = ?1");
DB_QUERY(Q_EMAIL_SET,
         "INSERT INTO email_addresses (user_id, address, created_at, confirmed_at) VALUES (?1, ?2, ?3, NULL)"
         " ON CONFLICT (user_id) DO UPDATE SET address = excluded.address,"
         " created_at = excluded.created_at, confirmed_at = NULL");
DB_QUERY(Q_OUTBOX_DROP, "DELETE FROM outbox WHERE user_id = ?1 AND sent_at IS NULL");
DB_QUERY(Q_EMAIL_CONFIRM, "UPDATE email_addresses SET confirmed_at = ?3 WHERE user_id = ?1 AND created_at = ?2");
DB_QUERY(Q_EMAIL_DELETE, "DELETE FROM email_addresses WHERE user_id = ?1");
DB_QUERY(Q_EMAIL_REMINDERS,
         "SELECT r.user_id, r.kind, r.at_minute, r.days, u.time_zone, COALESCE(sp.time_zone, ''),"
         " CASE WHEN r.updated_at > e.confirmed_at THEN r.updated_at ELSE e.confirmed_at END"
         " FROM reminders r JOIN email_addresses e ON e.user_id = r.user_id AND e.confirmed_at IS NOT NULL"
         " JOIN users u ON u.id = r.user_id LEFT JOIN space_members m ON m.user_id = r.user_id"
         " LEFT JOIN spaces sp ON sp.id = m.space_id"
         " WHERE ',' || r.channels || ',' LIKE '%,email,%' AND r.kind <> 'break_over'"
         " ORDER BY r.user_id, r.kind LIMIT ?1");
/* Breaks that ended by ?1 (and since ?2) of people who asked to hear of it by email (issue 14's breaks). */
DB_QUERY(Q_EMAIL_BREAKS_OVER, "SELECT b.user_id, b.until_at FROM breaks b"
                              " JOIN reminders r ON r.user_id = b.user_id AND r.kind = 'break_over'"
                              " AND ',' || r.channels || ',' LIKE '%,email,%'"
                              " JOIN email_addresses e ON e.user_id = b.user_id AND e.confirmed_at IS NOT NULL"
                              " WHERE b.until_at <= ?1 AND b.until_at > ?2 ORDER BY b.user_id LIMIT ?3");
DB_QUERY(Q_OUTBOX_ADD, "INSERT INTO outbox (id, user_id, kind, occurrence, due_at, created_at)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (user_id, kind, occurrence) DO NOTHING");
#define CLAIM_HEAD "UPDATE outbox SET lease_until = ?2, attempts = attempts + 1 WHERE id = (SELECT id FROM outbox"
#define CLAIM_WHERE " WHERE sent_at IS NULL AND due_at <= ?1 AND lease_until < ?1 ORDER BY due_at, id LIMIT 1"
/* The recipient's language comes along: the message is written in it, and this row names them. */
#define CLAIM_TAIL                                                                                                     \
	") RETURNING id, user_id, kind, occurrence, due_at, attempts,"                                                 \
	" COALESCE((SELECT u.language FROM users u WHERE u.id = outbox.user_id), '')"
DB_QUERY(Q_OUTBOX_CLAIM_SQLITE, CLAIM_HEAD CLAIM_WHERE CLAIM_TAIL);
DB_QUERY(Q_OUTBOX_CLAIM_POSTGRES, CLAIM_HEAD CLAIM_WHERE " FOR UPDATE SKIP LOCKED" CLAIM_TAIL);
DB_QUERY(Q_OUTBOX_DONE, "UPDATE outbox SET sent_at = ?2, lease_until = 0 WHERE id = ?1");
DB_QUERY(Q_OUTBOX_RETRY, "UPDATE outbox SET due_at = ?2, lease_until = 0, last_error = ?3 WHERE id = ?1");

static void read_email(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_email *e = item;
	db_col_copy(st, 0, e->address, sizeof e->address);
	e->created_at = db_col_int(st, 1);
	e->confirmed_at = db_col_int(st, 2);
}

static enum store_status email_get(struct store *s, const char *user_id, struct store_email *out)
{
	return db_get(db_of(s), &Q_EMAIL_GET, NULL, read_email, out, DB_ARGS(db_text(user_id)));
}

struct email_change {
	const char *user_id, *sealed;
	int64_t created_at;
	bool remove;
};

/* The address and what is queued for the old one change together. */
static enum store_status email_change_tx(struct db *d, void *ctx)
{
	const struct email_change *c = ctx;
	enum store_status r = db_write(d, &Q_OUTBOX_DROP, DB_ARGS(db_text(c->user_id)));
	if (r != STORE_OK)
		return r;
	if (c->remove)
		return db_change(d, &Q_EMAIL_DELETE, DB_ARGS(db_text(c->user_id)));
	return db_write(d, &Q_EMAIL_SET, DB_ARGS(db_text(c->user_id), db_text(c->sealed), db_int(c->created_at)));
}

static enum store_status email_set(struct store *s, const char *user_id, const char *sealed, int64_t created_at)
{
	struct email_change c = {user_id, sealed, created_at, false};
	return tx_run(s, email_change_tx, &c);
}

static enum store_status email_delete(struct store *s, const char *user_id)
{
	struct email_change c = {user_id, NULL, 0, true};
	return tx_run(s, email_change_tx, &c);
}

static enum store_status email_confirm(struct store *s, const char *user_id, int64_t created_at, int64_t at)
{
	return db_change(db_of(s), &Q_EMAIL_CONFIRM, DB_ARGS(db_text(user_id), db_int(created_at), db_int(at)));
}

static void read_email_reminder(const struct db_stmt *st, struct arena *a, void *item)
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

static enum store_status email_reminders(struct store *s, struct arena *a, struct store_email_reminder **items,
                                         int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_EMAIL_REMINDERS, a, sizeof **items, EMAIL_REMINDERS_MAX, read_email_reminder,
	                 count, &r, DB_ARGS(db_int(EMAIL_REMINDERS_MAX)));
	return r;
}

static void read_break_over(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_break_over *b = item;
	db_col_copy(st, 0, b->user_id, sizeof b->user_id);
	b->until_at = db_col_int(st, 1);
}

static enum store_status email_breaks_over(struct store *s, struct arena *a, int64_t now, int64_t since,
                                           struct store_break_over **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_EMAIL_BREAKS_OVER, a, sizeof **items, EMAIL_REMINDERS_MAX, read_break_over, count,
	                 &r, DB_ARGS(db_int(now), db_int(since), db_int(EMAIL_REMINDERS_MAX)));
	return r;
}

static enum store_status outbox_add(struct store *s, const char *id, const char *user_id, const char *kind,
                                    int64_t occurrence, int64_t due_at, int64_t now)
{
	return db_write(
	    db_of(s), &Q_OUTBOX_ADD,
	    DB_ARGS(db_text(id), db_text(user_id), db_text(kind), db_int(occurrence), db_int(due_at), db_int(now)));
}

static void read_outbox(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_outbox *o = item;
	db_col_copy(st, 0, o->id, sizeof o->id);
	db_col_copy(st, 1, o->user_id, sizeof o->user_id);
	db_col_copy(st, 2, o->kind, sizeof o->kind);
	o->occurrence = db_col_int(st, 3);
	o->due_at = db_col_int(st, 4);
	o->attempts = (int)db_col_int(st, 5);
	db_col_copy(st, 6, o->language, sizeof o->language);
}

static enum store_status outbox_claim(struct store *s, int64_t now, int64_t lease_until, struct store_outbox *out)
{
	struct db *d = db_of(s);
	const struct db_query *q = d && db_kind(d) == DB_SQLITE ? &Q_OUTBOX_CLAIM_SQLITE : &Q_OUTBOX_CLAIM_POSTGRES;
	return db_get(d, q, NULL, read_outbox, out, DB_ARGS(db_int(now), db_int(lease_until)));
}

static enum store_status outbox_done(struct store *s, const char *id, int64_t at)
{
	return db_change(db_of(s), &Q_OUTBOX_DONE, DB_ARGS(db_text(id), db_int(at)));
}

static enum store_status outbox_retry(struct store *s, const char *id, int64_t retry_at, const char *error)
{
	return db_change(db_of(s), &Q_OUTBOX_RETRY, DB_ARGS(db_text(id), db_int(retry_at), db_text(error)));
}

void store_email_init(struct store *s)
{
	s->email_get = email_get;
	s->email_set = email_set;
	s->email_confirm = email_confirm;
	s->email_delete = email_delete;
	s->email_reminders = email_reminders;
	s->email_breaks_over = email_breaks_over;
	s->outbox_add = outbox_add;
	s->outbox_claim = outbox_claim;
	s->outbox_done = outbox_done;
	s->outbox_retry = outbox_retry;
}
