/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * session.c - the sessions a person can see and end, in the store (table
 * sessions, migration 006), and a password change with the sessions it ends.
 *
 * A session row holds the hash of its token (the token itself is never
 * stored), an id to name it by in lists and in DELETE /sessions/{id}, the
 * coarse client it was started from, when it started and was last used, its
 * own idle limit and end, and when the password was last typed for it (its
 * freshness, domain/session.h). Looking a session up by its token, touching
 * and ending it by token or all at once stay in account.c, beside the user.
 */
#include "store_internal.h"

#include <assert.h>
#include <sodium.h>

#define SESSION_COLUMNS "id, token_hash, user_id, client, created_at, last_seen_at, expires_at, idle_ms, auth_at"

DB_QUERY(Q_SESSION_INSERT, "INSERT INTO sessions (" SESSION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
/* Sessions over their end or their idle limit: nobody can use them, so they go. */
DB_QUERY(Q_SESSION_PRUNE, "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?1 - idle_ms");
/* The live ones of a user, newest first, strictly before the (created_at, id) cursor. */
DB_QUERY(Q_SESSION_LIST, "SELECT " SESSION_COLUMNS " FROM sessions"
                         " WHERE user_id = ?1 AND expires_at > ?2 AND last_seen_at > ?2 - idle_ms"
                         "   AND (?3 = 0 OR created_at < ?3 OR (created_at = ?3 AND id < ?4))"
                         " ORDER BY created_at DESC, id DESC LIMIT ?5");
DB_QUERY(Q_SESSION_END, "DELETE FROM sessions WHERE id = ?1 AND user_id = ?2");
DB_QUERY(Q_SESSION_END_OTHERS, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2");
DB_QUERY(Q_SESSION_REAUTH, "UPDATE sessions SET auth_at = ?2 WHERE token_hash = ?1");
DB_QUERY(Q_USER_PASSWORD_SET, "UPDATE users SET password_hash = ?2 WHERE id = ?1");

static void read_session(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_session *ss = item;
	db_col_copy(st, 0, ss->id, sizeof ss->id);
	db_col_copy(st, 1, ss->token_hash, sizeof ss->token_hash);
	db_col_copy(st, 2, ss->user_id, sizeof ss->user_id);
	db_col_copy(st, 3, ss->client, sizeof ss->client);
	ss->created_at = db_col_int(st, 4);
	ss->last_seen_at = db_col_int(st, 5);
	ss->expires_at = db_col_int(st, 6);
	ss->idle_ms = db_col_int(st, 7);
	ss->auth_at = db_col_int(st, 8);
}

static enum store_status session_insert(struct store *s, const struct store_session *ss)
{
	assert(ss->id[0] && ss->token_hash[0] && ss->user_id[0] && ss->idle_ms > 0);
	enum store_status r = db_write(db_of(s), &Q_SESSION_INSERT,
	                               DB_ARGS(db_text(ss->id), db_text(ss->token_hash), db_text(ss->user_id),
	                                       db_text(ss->client), db_int(ss->created_at), db_int(ss->last_seen_at),
	                                       db_int(ss->expires_at), db_int(ss->idle_ms), db_int(ss->auth_at)));
	/* Now and then, forget sessions nobody can use any more, so the table keeps only live ones. */
	if (r == STORE_OK && randombytes_uniform(64) == 0) {
		enum store_status pr = db_write(db_of(s), &Q_SESSION_PRUNE, DB_ARGS(db_int(ss->created_at)));
		(void)pr; /* best effort: a dead session is refused anyway */
	}
	return r;
}

static enum store_status session_list(struct store *s, struct arena *a, const char *user_id, int64_t now,
                                      int64_t before_time, const char *before_id, int limit,
                                      struct store_session **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_SESSION_LIST, a, sizeof **items, limit, read_session, count, &r,
	                 DB_ARGS(db_text(user_id), db_int(now), db_int(before_time),
	                         db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

static enum store_status session_end(struct store *s, const char *user_id, const char *id)
{
	return db_change(db_of(s), &Q_SESSION_END, DB_ARGS(db_text(id), db_text(user_id)));
}

static enum store_status session_end_others(struct store *s, const char *user_id, const char *keep_hash)
{
	return db_write(db_of(s), &Q_SESSION_END_OTHERS, DB_ARGS(db_text(user_id), db_text(keep_hash)));
}

static enum store_status session_reauth(struct store *s, const char *token_hash, int64_t now)
{
	return db_change(db_of(s), &Q_SESSION_REAUTH, DB_ARGS(db_text(token_hash), db_int(now)));
}

struct password_set {
	const char *user_id, *password_hash, *keep_hash;
};

/* The new hash and the end of the other sessions commit together: no window with the old sessions alive. */
static enum store_status password_set_tx(struct db *d, void *ctx)
{
	const struct password_set *ps = ctx;
	enum store_status r =
	    db_change(d, &Q_USER_PASSWORD_SET, DB_ARGS(db_text(ps->user_id), db_text(ps->password_hash)));
	if (r == STORE_OK)
		r = db_write(d, &Q_SESSION_END_OTHERS, DB_ARGS(db_text(ps->user_id), db_text(ps->keep_hash)));
	return r;
}

static enum store_status user_password_set(struct store *s, const char *user_id, const char *password_hash,
                                           const char *keep_hash)
{
	struct password_set ps = {user_id, password_hash, keep_hash ? keep_hash : ""};
	return tx_run(s, password_set_tx, &ps);
}

void store_session_init(struct store *s)
{
	s->session_insert = session_insert;
	s->session_list = session_list;
	s->session_end = session_end;
	s->session_end_others = session_end_others;
	s->session_reauth = session_reauth;
	s->user_password_set = user_password_set;
}
