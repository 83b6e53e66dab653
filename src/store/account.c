/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * account.c - people in the store: users, their sessions (kept by the hash
 * of the token, so a stolen database holds no usable cookie), and the
 * failure counters that throttle logins. Deleting an account is elsewhere
 * (it touches every feature's tables).
 */
#include "store_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define USER_COLUMNS "id, username, display_name, password_hash, role, created_at"

DB_QUERY(Q_USER_INSERT, "INSERT INTO users (" USER_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
DB_QUERY(Q_USER_BY_NAME, "SELECT " USER_COLUMNS " FROM users WHERE username = ?1");
DB_QUERY(Q_SESSION_INSERT, "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)"
                           " VALUES (?1, ?2, ?3, ?3, ?4)");
/* The viewer: the user, their space with its time zone, and the partner in it, if any. */
DB_QUERY(Q_SESSION_VIEWER, "SELECT u.id, u.username, u.display_name, u.role, s.last_seen_at,"
                           " m.space_id, p.user_id, pu.display_name, sp.time_zone"
                           " FROM sessions s JOIN users u ON u.id = s.user_id"
                           " LEFT JOIN space_members m ON m.user_id = u.id"
                           " LEFT JOIN spaces sp ON sp.id = m.space_id"
                           " LEFT JOIN space_members p ON p.space_id = m.space_id AND p.user_id <> u.id"
                           " LEFT JOIN users pu ON pu.id = p.user_id"
                           " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?2 - ?3");
DB_QUERY(Q_SESSION_TOUCH, "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1");
DB_QUERY(Q_SESSION_DELETE, "DELETE FROM sessions WHERE token_hash = ?1");
DB_QUERY(Q_SESSION_DELETE_USER, "DELETE FROM sessions WHERE user_id = ?1");
DB_QUERY(Q_FAILURE_ADD, "INSERT INTO auth_failures (key, at) VALUES (?1, ?2)");
DB_QUERY(Q_FAILURE_COUNT, "SELECT count(*), COALESCE(min(at), 0) FROM auth_failures WHERE key = ?1 AND at > ?2");
DB_QUERY(Q_FAILURE_CLEAR, "DELETE FROM auth_failures WHERE key = ?1");
DB_QUERY(Q_FAILURE_PRUNE, "DELETE FROM auth_failures WHERE at < ?1");

/* Runs q with one text parameter, without rows. */
static enum store_status run_by_key(struct store *s, const struct db_query *q, const char *key)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, q);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, key);
	return db_run(st);
}

/* ---- users ---- */

static enum store_status user_insert(struct store *s, const struct store_user *u)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_USER_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, u->id);
	db_bind_text(st, 2, u->username);
	db_bind_text(st, 3, u->display_name);
	db_bind_text(st, 4, u->password_hash);
	db_bind_text(st, 5, u->role);
	db_bind_int(st, 6, u->created_at);
	return db_run(st);
}

static enum store_status user_by_username(struct store *s, const char *username, struct store_user *u)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_USER_BY_NAME);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, username);
	enum store_status r = db_step(st);
	if (r == STORE_OK) {
		db_col_copy(st, 0, u->id, sizeof u->id);
		db_col_copy(st, 1, u->username, sizeof u->username);
		db_col_copy(st, 2, u->display_name, sizeof u->display_name);
		db_col_copy(st, 3, u->password_hash, sizeof u->password_hash);
		db_col_copy(st, 4, u->role, sizeof u->role);
		u->created_at = db_col_int(st, 5);
	}
	db_done(st);
	return r;
}

/* ---- sessions ---- */

static enum store_status session_insert(struct store *s, const char *token_hash, const char *user_id, int64_t now,
                                        int64_t expires_at)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SESSION_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, token_hash);
	db_bind_text(st, 2, user_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, expires_at);
	return db_run(st);
}

static enum store_status session_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                        struct viewer *v)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SESSION_VIEWER);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, idle_ms);
	enum store_status r = db_step(st);
	if (r == STORE_OK) {
		memset(v, 0, sizeof *v);
		db_col_copy(st, 0, v->user_id, sizeof v->user_id);
		db_col_copy(st, 1, v->username, sizeof v->username);
		db_col_copy(st, 2, v->display_name, sizeof v->display_name);
		db_col_copy(st, 3, v->role, sizeof v->role);
		v->session_last_seen = db_col_int(st, 4);
		db_col_copy(st, 5, v->space_id, sizeof v->space_id);
		db_col_copy(st, 6, v->partner_id, sizeof v->partner_id);
		db_col_copy(st, 7, v->partner_name, sizeof v->partner_name);
		db_col_copy(st, 8, v->time_zone, sizeof v->time_zone);
		if (!v->time_zone[0])
			snprintf(v->time_zone, sizeof v->time_zone, "UTC");
		snprintf(v->session_hash, sizeof v->session_hash, "%s", token_hash);
	}
	db_done(st);
	return r;
}

static enum store_status session_touch(struct store *s, const char *token_hash, int64_t now)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SESSION_TOUCH);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now);
	return db_run(st);
}

static enum store_status session_delete(struct store *s, const char *token_hash)
{
	return run_by_key(s, &Q_SESSION_DELETE, token_hash);
}

static enum store_status session_delete_user(struct store *s, const char *user_id)
{
	return run_by_key(s, &Q_SESSION_DELETE_USER, user_id);
}

/* ---- throttling ---- */

static enum store_status failure_add(struct store *s, const char *key, int64_t now)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_FAILURE_ADD);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	enum store_status r = db_run(st);
	/* Forget failures older than a day now and then, so the table stays small. */
	if (r == STORE_OK && randombytes_uniform(64) == 0) {
		struct db_stmt *p = db_prepare(d, &Q_FAILURE_PRUNE);
		if (p) {
			db_bind_int(p, 1, now - 24LL * 3600 * 1000);
			enum store_status pr = db_run(p);
			(void)pr; /* pruning is best effort; the failure was recorded */
		}
	}
	return r;
}

static enum store_status failure_count(struct store *s, const char *key, int64_t since, int *count, int64_t *oldest)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_FAILURE_COUNT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, since);
	enum store_status r = db_step(st);
	if (r == STORE_OK) {
		*count = (int)db_col_int(st, 0);
		*oldest = db_col_int(st, 1);
	} else if (r == STORE_NOT_FOUND) {
		r = STORE_ERROR; /* an aggregate always has a row */
	}
	db_done(st);
	return r;
}

static enum store_status failure_clear(struct store *s, const char *key)
{
	return run_by_key(s, &Q_FAILURE_CLEAR, key);
}

void store_account_init(struct store *s)
{
	s->user_insert = user_insert;
	s->user_by_username = user_by_username;
	s->session_insert = session_insert;
	s->session_viewer = session_viewer;
	s->session_touch = session_touch;
	s->session_delete = session_delete;
	s->session_delete_user = session_delete_user;
	s->failure_add = failure_add;
	s->failure_count = failure_count;
	s->failure_clear = failure_clear;
}
