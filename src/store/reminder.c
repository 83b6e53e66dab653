/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * reminder.c - what the reminders of issue 15 keep in the store: a person's
 * reminder of each kind (its text sealed by the domain before it comes here)
 * and their private calendar feed, found by its token's hash; the token is
 * kept sealed (for its owner to see their link again), so the database alone
 * never gives the feed's address.
 */
#include "store_internal.h"

DB_QUERY(Q_REMINDER_LIST, "SELECT kind, channels, at_minute, days, text, updated_at FROM reminders"
                          " WHERE user_id = ?1 ORDER BY kind LIMIT ?2");
DB_QUERY(Q_REMINDER_PUT, "INSERT INTO reminders (user_id, kind, channels, at_minute, days, text, updated_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (user_id, kind) DO UPDATE SET"
                         " channels = excluded.channels, at_minute = excluded.at_minute, days = excluded.days,"
                         " text = excluded.text, updated_at = excluded.updated_at");
DB_QUERY(Q_REMINDER_DELETE, "DELETE FROM reminders WHERE user_id = ?1 AND kind = ?2");
DB_QUERY(Q_CALENDAR_SET, "INSERT INTO calendar_feeds (user_id, token_hash, token, created_at) VALUES (?1, ?2, ?3, ?4)"
                         " ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash,"
                         " token = excluded.token, created_at = excluded.created_at");
DB_QUERY(Q_CALENDAR_DELETE, "DELETE FROM calendar_feeds WHERE user_id = ?1");
DB_QUERY(Q_CALENDAR_GET, "SELECT token, created_at FROM calendar_feeds WHERE user_id = ?1");
/* The owner's language comes along: the feed's fixed words are theirs (issue 16). */
DB_QUERY(Q_CALENDAR_OWNER, "SELECT c.user_id, u.language FROM calendar_feeds c JOIN users u ON u.id = c.user_id"
                           " WHERE c.token_hash = ?1");

static void read_reminder(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_reminder *r = item;
	db_col_copy(st, 0, r->kind, sizeof r->kind);
	db_col_copy(st, 1, r->channels, sizeof r->channels);
	r->at_minute = (int)db_col_int(st, 2);
	r->days = (int)db_col_int(st, 3);
	db_col_copy(st, 4, r->text, sizeof r->text);
	r->updated_at = db_col_int(st, 5);
}

static enum store_status reminder_list(struct store *s, struct arena *a, const char *user_id,
                                       struct store_reminder **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_REMINDER_LIST, a, sizeof **items, REMINDERS_MAX, read_reminder, count, &r,
	                 DB_ARGS(db_text(user_id), db_int(REMINDERS_MAX)));
	return r;
}

static enum store_status reminder_put(struct store *s, const char *user_id, const struct store_reminder *in)
{
	return db_write(db_of(s), &Q_REMINDER_PUT,
	                DB_ARGS(db_text(user_id), db_text(in->kind), db_text(in->channels), db_int(in->at_minute),
	                        db_int(in->days), db_text(in->text), db_int(in->updated_at)));
}

static enum store_status reminder_delete(struct store *s, const char *user_id, const char *kind)
{
	return db_change(db_of(s), &Q_REMINDER_DELETE, DB_ARGS(db_text(user_id), db_text(kind)));
}

static enum store_status calendar_set(struct store *s, const char *user_id, const char *token_hash,
                                      const char *sealed_token, int64_t created_at)
{
	return db_write(db_of(s), &Q_CALENDAR_SET,
	                DB_ARGS(db_text(user_id), db_text(token_hash), db_text(sealed_token), db_int(created_at)));
}

static enum store_status calendar_delete(struct store *s, const char *user_id)
{
	return db_change(db_of(s), &Q_CALENDAR_DELETE, DB_ARGS(db_text(user_id)));
}

static void read_feed(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_calendar *c = item;
	db_col_copy(st, 0, c->token, sizeof c->token);
	c->created_at = db_col_int(st, 1);
}

static enum store_status calendar_get(struct store *s, const char *user_id, struct store_calendar *out)
{
	return db_get(db_of(s), &Q_CALENDAR_GET, NULL, read_feed, out, DB_ARGS(db_text(user_id)));
}

struct feed_owner {
	char *user_id, *language;
};

static void read_feed_owner(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	const struct feed_owner *o = item;
	db_col_copy(st, 0, o->user_id, ID_LEN + 1);
	db_col_copy(st, 1, o->language, STORE_LANGUAGE_MAX);
}

static enum store_status calendar_owner(struct store *s, const char *token_hash, char user_id[ID_LEN + 1],
                                        char language[STORE_LANGUAGE_MAX])
{
	struct feed_owner o = {user_id, language};
	return db_get(db_of(s), &Q_CALENDAR_OWNER, NULL, read_feed_owner, &o, DB_ARGS(db_text(token_hash)));
}

void store_reminder_init(struct store *s)
{
	s->reminder_list = reminder_list;
	s->reminder_put = reminder_put;
	s->reminder_delete = reminder_delete;
	s->calendar_set = calendar_set;
	s->calendar_delete = calendar_delete;
	s->calendar_get = calendar_get;
	s->calendar_owner = calendar_owner;
}
