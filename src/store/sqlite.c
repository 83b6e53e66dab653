/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite.c - TEMPORARY: users, sessions, throttling and spaces for SQLite,
 * still written against the legacy bridge (sqlite_internal.h) until they move
 * to src/store/account.c and src/store/space.c over the driver (db.h).
 */
#include "store.h"

#include "sqlite_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

enum stmt_id {
	ST_USER_INSERT,
	ST_USER_BY_NAME,
	ST_SESSION_INSERT,
	ST_SESSION_VIEWER,
	ST_SESSION_TOUCH,
	ST_SESSION_DELETE,
	ST_SESSION_DELETE_USER,
	ST_FAILURE_ADD,
	ST_FAILURE_COUNT,
	ST_FAILURE_CLEAR,
	ST_FAILURE_PRUNE,
	ST_MEMBER_OF,
	ST_SPACE_INSERT,
	ST_MEMBER_INSERT,
	ST_MEMBER_COUNT,
	ST_INVITE_INSERT,
	ST_INVITE_FIND,
	ST_INVITE_USE,
	ST_MEMBER_DELETE,
	ST_MEMBER_REMAINING,
	ST_CHECKINS_DETACH,
	ST_REPAIRS_COPY_FOR_LEAVER,
	ST_REPAIRS_SOLO_DETACH,
	ST_REPAIR_SIDES_CLEAR_OLD,
	ST_REPAIR_SIDES_DETACH,
	ST_REPAIRS_DROP_ABANDONED,
	ST_PROMPT_ANSWERS_CLEAR_OLD,
	ST_PROMPT_ANSWERS_DETACH,
	ST_PROMPT_ACKS_DROP,
	ST_SAFETY_DETACH,
	ST_AGREEMENTS_DETACH,
	ST_REVIEWS_DETACH,
	ST_REVIEWS_DROP_ORPHANS,
	ST_QRESPONSES_DETACH,
	ST_CONSENT_DROP,
	ST_THERAPIST_DROP_IF_EMPTY,
	ST_REPAIRS_DROP_EMPTY,
	ST_SPACE_DELETE_IF_EMPTY,
	ST_INVITES_DELETE_IF_EMPTY,
	ST_COUNT
};


static const char *const statements[ST_COUNT] = {
	[ST_USER_INSERT] = "INSERT INTO users (id, username, display_name, password_hash, role, created_at)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_USER_BY_NAME] = "SELECT id, username, display_name, password_hash, role, created_at"
	                    " FROM users WHERE username = ?1",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)"
	                      " VALUES (?1, ?2, ?3, ?3, ?4)",
	[ST_SESSION_VIEWER] =
		"SELECT u.id, u.username, u.display_name, u.role, s.last_seen_at,"
		" m.space_id, p.user_id, pu.display_name, sp.time_zone"
		" FROM sessions s JOIN users u ON u.id = s.user_id"
		" LEFT JOIN space_members m ON m.user_id = u.id"
		" LEFT JOIN spaces sp ON sp.id = m.space_id"
		" LEFT JOIN space_members p ON p.space_id = m.space_id AND p.user_id <> u.id"
		" LEFT JOIN users pu ON pu.id = p.user_id"
		" WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?2 - ?3",
	[ST_SESSION_TOUCH] = "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
	[ST_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[ST_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1",
	[ST_FAILURE_ADD] = "INSERT INTO auth_failures (key, at) VALUES (?1, ?2)",
	[ST_FAILURE_COUNT] = "SELECT count(*), coalesce(min(at), 0) FROM auth_failures WHERE key = ?1 AND at > ?2",
	[ST_FAILURE_CLEAR] = "DELETE FROM auth_failures WHERE key = ?1",
	[ST_FAILURE_PRUNE] = "DELETE FROM auth_failures WHERE at < ?1",
	[ST_MEMBER_OF] = "SELECT space_id FROM space_members WHERE user_id = ?1",
	[ST_SPACE_INSERT] = "INSERT INTO spaces (id, time_zone, created_at) VALUES (?1, ?2, ?3)",
	[ST_MEMBER_INSERT] = "INSERT INTO space_members (space_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
	[ST_MEMBER_COUNT] = "SELECT count(*) FROM space_members WHERE space_id = ?1",
	[ST_INVITE_INSERT] = "INSERT INTO invites (space_id, code_hash, created_by, created_at, expires_at)"
	                     " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_INVITE_FIND] = "SELECT space_id FROM invites WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
	[ST_INVITE_USE] = "UPDATE invites SET used_at = ?2 WHERE code_hash = ?1",
	[ST_MEMBER_DELETE] = "DELETE FROM space_members WHERE space_id = ?1 AND user_id = ?2",
	[ST_MEMBER_REMAINING] = "SELECT user_id FROM space_members WHERE space_id = ?1 LIMIT 1",
	[ST_CHECKINS_DETACH] = "UPDATE checkins SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	/* A shared repair the leaver took part in: the leaver keeps a private copy with their own side. */
	[ST_REPAIRS_COPY_FOR_LEAVER] =
		"INSERT INTO repairs (space_id, id, created_by, title, occurred_on, created_at, solo)"
		" SELECT ?2, id, created_by, title, occurred_on, created_at, 1 FROM repairs r"
		" WHERE r.space_id = ?1 AND r.solo = 0 AND (r.created_by = ?2 OR EXISTS"
		" (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = r.id AND s.author_id = ?2))"
		" ON CONFLICT DO NOTHING", /* a copy from an earlier leave stays */
	[ST_REPAIRS_SOLO_DETACH] = "UPDATE repairs SET space_id = ?2 WHERE space_id = ?1 AND solo = 1 AND created_by = ?2",
	/* Someone who left, rejoined and wrote again: the newer side replaces the copy kept earlier. */
	[ST_REPAIR_SIDES_CLEAR_OLD] =
		"DELETE FROM repair_sides WHERE space_id = ?2 AND author_id = ?2 AND repair_id IN"
		" (SELECT repair_id FROM repair_sides WHERE space_id = ?1 AND author_id = ?2)",
	[ST_REPAIR_SIDES_DETACH] = "UPDATE repair_sides SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	/* The leaver's shared repairs in which the remaining partner wrote nothing go with the leaver alone. */
	[ST_REPAIRS_DROP_ABANDONED] =
		"DELETE FROM repairs WHERE space_id = ?1 AND created_by = ?2 AND NOT EXISTS"
		" (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = repairs.id)",
	[ST_PROMPT_ANSWERS_CLEAR_OLD] =
		"DELETE FROM prompt_answers WHERE space_id = ?2 AND author_id = ?2 AND day_id IN"
		" (SELECT day_id FROM prompt_answers WHERE space_id = ?1 AND author_id = ?2)",
	[ST_PROMPT_ANSWERS_DETACH] = "UPDATE prompt_answers SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	[ST_PROMPT_ACKS_DROP] = "DELETE FROM prompt_acks WHERE space_id = ?1 AND (from_id = ?2 OR answer_author = ?2)",
	[ST_SAFETY_DETACH] = "UPDATE safety_checks SET space_id = ?2 WHERE space_id = ?1 AND user_id = ?2",
	/* Agreements go with the partner who proposed them, with that partner's reviews of them. */
	[ST_AGREEMENTS_DETACH] = "UPDATE agreements SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	[ST_REVIEWS_DETACH] = "UPDATE agreement_reviews SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2"
	                      " AND agreement_id IN (SELECT id FROM agreements WHERE space_id = ?2)",
	/* Reviews left behind without their agreement (or by the leaver) go. */
	[ST_REVIEWS_DROP_ORPHANS] = "DELETE FROM agreement_reviews WHERE space_id = ?1 AND (author_id = ?2 OR"
	                            " agreement_id NOT IN (SELECT id FROM agreements WHERE space_id = ?1))",
	[ST_QRESPONSES_DETACH] = "UPDATE questionnaire_responses SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	[ST_CONSENT_DROP] = "DELETE FROM therapist_consents WHERE space_id = ?1 AND user_id = ?2",
	/* A space nobody is in any more has no therapist link. */
	[ST_THERAPIST_DROP_IF_EMPTY] =
		"DELETE FROM space_therapists WHERE space_id = ?1 AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1)",
	/* After both have taken their own: shared repairs left without sides go. */
	[ST_REPAIRS_DROP_EMPTY] = "DELETE FROM repairs WHERE space_id = ?1 AND solo = 0 AND NOT EXISTS"
	                          " (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = repairs.id)",
	[ST_SPACE_DELETE_IF_EMPTY] = "DELETE FROM spaces WHERE id = ?1"
	                             " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1)",
	[ST_INVITES_DELETE_IF_EMPTY] = "DELETE FROM invites WHERE space_id = ?1"
	                               " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1)",
};


/* The bridge's statement slots: these take [0, SQ_FEATURE_BASE). */
#define stmt(c, id) sq_stmt(c, (int)(id), statements[id])
#define run sq_run
#define tx_begin sq_tx_begin
#define tx_end sq_tx_end
#define bind_text sq_bind_text
#define copy_col sq_copy_col
#define map_rc sq_map_rc

static void tx_abort(struct conn *c)
{
	enum store_status r = sq_tx_end(c, STORE_NOT_FOUND);
	(void)r; /* rolled back: nothing was kept */
}

/* ---- users ---- */

static enum store_status sq_user_insert(struct store *s, const struct store_user *u)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_USER_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, u->id);
	bind_text(st, 2, u->username);
	bind_text(st, 3, u->display_name);
	bind_text(st, 4, u->password_hash);
	bind_text(st, 5, u->role);
	sqlite3_bind_int64(st, 6, u->created_at);
	return run(c, st, "user_insert");
}

static enum store_status sq_user_by_username(struct store *s, const char *username, struct store_user *u)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_USER_BY_NAME);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, username);
	int rc = sqlite3_step(st);
	enum store_status result = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : map_rc(rc);
	if (rc == SQLITE_ROW) {
		copy_col(st, 0, u->id, sizeof u->id);
		copy_col(st, 1, u->username, sizeof u->username);
		copy_col(st, 2, u->display_name, sizeof u->display_name);
		copy_col(st, 3, u->password_hash, sizeof u->password_hash);
		copy_col(st, 4, u->role, sizeof u->role);
		u->created_at = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return result;
}

/* ---- sessions ---- */

static enum store_status sq_session_insert(struct store *s, const char *token_hash, const char *user_id,
                                           int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_SESSION_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, token_hash);
	bind_text(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, expires_at);
	return run(c, st, "session_insert");
}

static enum store_status sq_session_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                           struct viewer *v)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_SESSION_VIEWER);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, token_hash);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, idle_ms);
	int rc = sqlite3_step(st);
	enum store_status result = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : map_rc(rc);
	if (rc == SQLITE_ROW) {
		memset(v, 0, sizeof *v);
		copy_col(st, 0, v->user_id, sizeof v->user_id);
		copy_col(st, 1, v->username, sizeof v->username);
		copy_col(st, 2, v->display_name, sizeof v->display_name);
		copy_col(st, 3, v->role, sizeof v->role);
		v->session_last_seen = sqlite3_column_int64(st, 4);
		copy_col(st, 5, v->space_id, sizeof v->space_id);
		copy_col(st, 6, v->partner_id, sizeof v->partner_id);
		copy_col(st, 7, v->partner_name, sizeof v->partner_name);
		copy_col(st, 8, v->time_zone, sizeof v->time_zone);
		if (!v->time_zone[0])
			snprintf(v->time_zone, sizeof v->time_zone, "UTC");
		snprintf(v->session_hash, sizeof v->session_hash, "%s", token_hash);
	}
	sqlite3_reset(st);
	return result;
}

static enum store_status sq_session_touch(struct store *s, const char *token_hash, int64_t now)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_SESSION_TOUCH);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, token_hash);
	sqlite3_bind_int64(st, 2, now);
	return run(c, st, "session_touch");
}

static enum store_status delete_by_key(struct store *s, enum stmt_id id, const char *key, const char *what)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, id);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, key);
	return run(c, st, what);
}

static enum store_status sq_session_delete(struct store *s, const char *token_hash)
{
	return delete_by_key(s, ST_SESSION_DELETE, token_hash, "session_delete");
}

static enum store_status sq_session_delete_user(struct store *s, const char *user_id)
{
	return delete_by_key(s, ST_SESSION_DELETE_USER, user_id, "session_delete_user");
}

/* ---- throttling ---- */

static enum store_status sq_failure_add(struct store *s, const char *key, int64_t now)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_FAILURE_ADD);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, now);
	enum store_status r = run(c, st, "failure_add");
	/* Forget failures older than a day now and then, so the table stays small. */
	if (r == STORE_OK && randombytes_uniform(64) == 0) {
		sqlite3_stmt *p = stmt(c, ST_FAILURE_PRUNE);
		if (p) {
			sqlite3_bind_int64(p, 1, now - 24LL * 3600 * 1000);
			enum store_status pr = run(c, p, "failure_prune");
			(void)pr; /* pruning is best effort; the failure was recorded */
		}
	}
	return r;
}

static enum store_status sq_failure_count(struct store *s, const char *key, int64_t since, int *count,
                                          int64_t *oldest)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_FAILURE_COUNT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, since);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(st, 0);
		*oldest = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : map_rc(rc);
}

static enum store_status sq_failure_clear(struct store *s, const char *key)
{
	return delete_by_key(s, ST_FAILURE_CLEAR, key, "failure_clear");
}

/* ---- spaces ---- */

/* Reads the user's space into out (empty when none). */
static enum store_status member_of(struct conn *c, const char *user_id, char out[ID_LEN + 1])
{
	sqlite3_stmt *st = stmt(c, ST_MEMBER_OF);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, user_id);
	int rc = sqlite3_step(st);
	out[0] = '\0';
	if (rc == SQLITE_ROW)
		copy_col(st, 0, out, ID_LEN + 1);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : map_rc(rc);
}

static enum store_status member_count(struct conn *c, const char *space_id, int *count)
{
	sqlite3_stmt *st = stmt(c, ST_MEMBER_COUNT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, space_id);
	int rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : map_rc(rc);
}

static enum store_status member_insert(struct conn *c, const char *space_id, const char *user_id, int64_t now)
{
	sqlite3_stmt *st = stmt(c, ST_MEMBER_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, space_id);
	bind_text(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	return run(c, st, "member_insert");
}

static enum store_status sq_space_create(struct store *s, const char *space_id, const char *user_id,
                                         const char *time_zone, int64_t now)
{
	CONN_OR_BUSY(s);
	enum store_status r = tx_begin(c);
	if (r != STORE_OK)
		return r;
	char current[ID_LEN + 1];
	r = member_of(c, user_id, current);
	if (r == STORE_OK && current[0])
		r = STORE_CONFLICT;
	if (r == STORE_OK) {
		sqlite3_stmt *st = stmt(c, ST_SPACE_INSERT);
		if (!st) {
			r = STORE_ERROR;
		} else {
			bind_text(st, 1, space_id);
			bind_text(st, 2, time_zone);
			sqlite3_bind_int64(st, 3, now);
			r = run(c, st, "space_insert");
		}
	}
	if (r == STORE_OK)
		r = member_insert(c, space_id, user_id, now);
	return tx_end(c, r);
}

static enum store_status sq_space_member_count(struct store *s, const char *space_id, int *count)
{
	CONN_OR_BUSY(s);
	return member_count(c, space_id, count);
}

static enum store_status sq_invite_insert(struct store *s, const char *space_id, const char *code_hash,
                                          const char *created_by, int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_INVITE_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, space_id);
	bind_text(st, 2, code_hash);
	bind_text(st, 3, created_by);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, expires_at);
	return run(c, st, "invite_insert");
}

static enum store_status sq_space_join(struct store *s, const char *code_hash, const char *user_id, int64_t now,
                                       enum join_result *result, char space_id_out[ID_LEN + 1])
{
	CONN_OR_BUSY(s);
	enum store_status r = tx_begin(c);
	if (r != STORE_OK)
		return r;
	space_id_out[0] = '\0';
	char current[ID_LEN + 1];
	r = member_of(c, user_id, current);
	if (r == STORE_OK && current[0]) {
		*result = JOIN_ALREADY_IN_SPACE;
		tx_abort(c);
		return STORE_OK;
	}
	sqlite3_stmt *st = r == STORE_OK ? stmt(c, ST_INVITE_FIND) : NULL;
	if (!st)
		return tx_end(c, r == STORE_OK ? STORE_ERROR : r);
	bind_text(st, 1, code_hash);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		copy_col(st, 0, space_id_out, ID_LEN + 1);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		*result = JOIN_NO_CODE;
		tx_abort(c);
		return rc == SQLITE_DONE ? STORE_OK : map_rc(rc);
	}
	int count = 0;
	r = member_count(c, space_id_out, &count);
	if (r == STORE_OK && count >= 2) {
		*result = JOIN_FULL;
		tx_abort(c);
		return STORE_OK;
	}
	if (r == STORE_OK)
		r = member_insert(c, space_id_out, user_id, now);
	if (r == STORE_OK) {
		sqlite3_stmt *u = stmt(c, ST_INVITE_USE);
		if (!u) {
			r = STORE_ERROR;
		} else {
			bind_text(u, 1, code_hash);
			sqlite3_bind_int64(u, 2, now);
			r = run(c, u, "invite_use");
		}
	}
	*result = JOIN_OK;
	return tx_end(c, r);
}

/* Per person: what moves out of the space with them. */
static const enum stmt_id detach_steps[] = {
	ST_CHECKINS_DETACH,        ST_REPAIRS_COPY_FOR_LEAVER, ST_REPAIRS_SOLO_DETACH, ST_REPAIR_SIDES_CLEAR_OLD,
	ST_REPAIR_SIDES_DETACH,    ST_REPAIRS_DROP_ABANDONED,  ST_PROMPT_ANSWERS_CLEAR_OLD, ST_PROMPT_ANSWERS_DETACH,
	ST_PROMPT_ACKS_DROP,       ST_AGREEMENTS_DETACH,       ST_REVIEWS_DETACH,       ST_REVIEWS_DROP_ORPHANS,
	ST_QRESPONSES_DETACH,      ST_SAFETY_DETACH,
};

static enum store_status run_steps(struct conn *c, const enum stmt_id *steps, size_t n, const char *space_id,
                                   const char *user_id)
{
	enum store_status r = STORE_OK;
	for (size_t i = 0; i < n && r == STORE_OK; i++) {
		sqlite3_stmt *st = stmt(c, steps[i]);
		if (!st)
			return STORE_ERROR;
		bind_text(st, 1, space_id);
		if (sqlite3_bind_parameter_count(st) >= 2)
			bind_text(st, 2, user_id);
		r = run(c, st, "space_leave");
		if (r == STORE_OK && steps[i] == ST_MEMBER_DELETE && sqlite3_changes(sq_db(c)) == 0)
			r = STORE_NOT_FOUND;
	}
	return r;
}

/*
 * Leaving ends the couple's shared history: what each of the two wrote moves
 * to their own scope (visible to its author alone), the leaver's and the
 * remaining partner's alike, so a later partner in the same space never sees
 * what was written for the one before.
 */
static enum store_status sq_space_leave(struct store *s, const char *space_id, const char *user_id)
{
	CONN_OR_BUSY(s);
	enum store_status r = tx_begin(c);
	if (r != STORE_OK)
		return r;
	static const enum stmt_id first[] = {ST_MEMBER_DELETE, ST_CONSENT_DROP};
	static const enum stmt_id last[] = {ST_REPAIRS_DROP_EMPTY, ST_THERAPIST_DROP_IF_EMPTY,
	                                    ST_INVITES_DELETE_IF_EMPTY, ST_SPACE_DELETE_IF_EMPTY};
	r = run_steps(c, first, ARRAY_LEN(first), space_id, user_id);
	if (r == STORE_OK)
		r = run_steps(c, detach_steps, ARRAY_LEN(detach_steps), space_id, user_id);
	char remaining[ID_LEN + 1] = "";
	if (r == STORE_OK) {
		sqlite3_stmt *st = stmt(c, ST_MEMBER_REMAINING);
		if (!st)
			return tx_end(c, STORE_ERROR);
		bind_text(st, 1, space_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			copy_col(st, 0, remaining, sizeof remaining);
		else if (rc != SQLITE_DONE)
			r = map_rc(rc);
		sqlite3_reset(st);
	}
	if (r == STORE_OK && remaining[0])
		r = run_steps(c, detach_steps, ARRAY_LEN(detach_steps), space_id, remaining);
	if (r == STORE_OK)
		r = run_steps(c, last, ARRAY_LEN(last), space_id, user_id);
	return tx_end(c, r);
}


void sq_core_init(struct store *s)
{
	s->user_insert = sq_user_insert;
	s->user_by_username = sq_user_by_username;
	s->session_insert = sq_session_insert;
	s->session_viewer = sq_session_viewer;
	s->session_touch = sq_session_touch;
	s->session_delete = sq_session_delete;
	s->session_delete_user = sq_session_delete_user;
	s->failure_add = sq_failure_add;
	s->failure_count = sq_failure_count;
	s->failure_clear = sq_failure_clear;
	s->space_create = sq_space_create;
	s->space_member_count = sq_space_member_count;
	s->invite_insert = sq_invite_insert;
	s->space_join = sq_space_join;
	s->space_leave = sq_space_leave;
}
