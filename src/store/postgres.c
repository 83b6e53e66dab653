/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres.c - TEMPORARY: users, sessions, throttling and spaces for
 * PostgreSQL, still written against the legacy bridge (postgres_internal.h)
 * until they move to src/store/account.c and src/store/space.c over the
 * driver (db.h).
 */
#include "store.h"

#include "postgres_internal.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
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
	ST_SPACE_LOCK,
	ST_MEMBER_INSERT,
	ST_MEMBER_COUNT,
	ST_INVITE_INSERT,
	ST_INVITE_FIND,
	ST_INVITE_LOCK,
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

_Static_assert(ST_COUNT <= PG_FEATURE_BASE, "core statements overlap the feature slots");
_Static_assert(PG_FEATURE_BASE < PG_SLOTS, "no slots left for the feature statements");


static const char *const statements[ST_COUNT] = {
	[ST_USER_INSERT] = "INSERT INTO users (id, username, display_name, password_hash, role, created_at)"
	                   " VALUES ($1, $2, $3, $4, $5, $6::bigint)",
	[ST_USER_BY_NAME] = "SELECT id, username, display_name, password_hash, role, created_at"
	                    " FROM users WHERE username = $1",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)"
	                      " VALUES ($1, $2, $3::bigint, $3::bigint, $4::bigint)",
	[ST_SESSION_VIEWER] =
		"SELECT u.id, u.username, u.display_name, u.role, s.last_seen_at,"
		" m.space_id, p.user_id, pu.display_name, sp.time_zone"
		" FROM sessions s JOIN users u ON u.id = s.user_id"
		" LEFT JOIN space_members m ON m.user_id = u.id"
		" LEFT JOIN spaces sp ON sp.id = m.space_id"
		" LEFT JOIN space_members p ON p.space_id = m.space_id AND p.user_id <> u.id"
		" LEFT JOIN users pu ON pu.id = p.user_id"
		" WHERE s.token_hash = $1 AND s.expires_at > $2::bigint AND s.last_seen_at > $2::bigint - $3::bigint",
	[ST_SESSION_TOUCH] = "UPDATE sessions SET last_seen_at = $2::bigint WHERE token_hash = $1",
	[ST_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = $1",
	[ST_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = $1",
	[ST_FAILURE_ADD] = "INSERT INTO auth_failures (key, at) VALUES ($1, $2::bigint)",
	[ST_FAILURE_COUNT] = "SELECT count(*), coalesce(min(at), 0) FROM auth_failures"
	                     " WHERE key = $1 AND at > $2::bigint",
	[ST_FAILURE_CLEAR] = "DELETE FROM auth_failures WHERE key = $1",
	[ST_FAILURE_PRUNE] = "DELETE FROM auth_failures WHERE at < $1::bigint",
	[ST_MEMBER_OF] = "SELECT space_id FROM space_members WHERE user_id = $1",
	[ST_SPACE_INSERT] = "INSERT INTO spaces (id, time_zone, created_at) VALUES ($1, $2, $3::bigint)",
	[ST_SPACE_LOCK] = "SELECT id FROM spaces WHERE id = $1 FOR UPDATE",
	[ST_MEMBER_INSERT] = "INSERT INTO space_members (space_id, user_id, joined_at) VALUES ($1, $2, $3::bigint)",
	[ST_MEMBER_COUNT] = "SELECT count(*) FROM space_members WHERE space_id = $1",
	[ST_INVITE_INSERT] = "INSERT INTO invites (space_id, code_hash, created_by, created_at, expires_at)"
	                     " VALUES ($1, $2, $3, $4::bigint, $5::bigint)",
	[ST_INVITE_FIND] = "SELECT space_id FROM invites"
	                   " WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2::bigint",
	/* Re-read under a row lock once the space is locked: the code may have been used meanwhile. */
	[ST_INVITE_LOCK] = "SELECT space_id FROM invites"
	                   " WHERE code_hash = $1 AND space_id = $3 AND used_at IS NULL AND expires_at > $2::bigint"
	                   " FOR UPDATE",
	[ST_INVITE_USE] = "UPDATE invites SET used_at = $2::bigint WHERE code_hash = $1",
	[ST_MEMBER_DELETE] = "DELETE FROM space_members WHERE space_id = $1 AND user_id = $2",
	[ST_MEMBER_REMAINING] = "SELECT user_id FROM space_members WHERE space_id = $1 LIMIT 1",
	[ST_CHECKINS_DETACH] = "UPDATE checkins SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	/* A shared repair the leaver took part in: the leaver keeps a private copy with their own side. */
	[ST_REPAIRS_COPY_FOR_LEAVER] =
		"INSERT INTO repairs (space_id, id, created_by, title, occurred_on, created_at, solo)"
		" SELECT $2, id, created_by, title, occurred_on, created_at, 1 FROM repairs r"
		" WHERE r.space_id = $1 AND r.solo = 0 AND (r.created_by = $2 OR EXISTS"
		" (SELECT 1 FROM repair_sides s WHERE s.space_id = $1 AND s.repair_id = r.id AND s.author_id = $2))"
		" ON CONFLICT DO NOTHING", /* a copy from an earlier leave stays */
	[ST_REPAIRS_SOLO_DETACH] = "UPDATE repairs SET space_id = $2 WHERE space_id = $1 AND solo = 1 AND created_by = $2",
	/* Someone who left, rejoined and wrote again: the newer side replaces the copy kept earlier. */
	[ST_REPAIR_SIDES_CLEAR_OLD] =
		"DELETE FROM repair_sides WHERE space_id = $2 AND author_id = $2 AND repair_id IN"
		" (SELECT repair_id FROM repair_sides WHERE space_id = $1 AND author_id = $2)",
	[ST_REPAIR_SIDES_DETACH] = "UPDATE repair_sides SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	/* The leaver's shared repairs in which the remaining partner wrote nothing go with the leaver alone. */
	[ST_REPAIRS_DROP_ABANDONED] =
		"DELETE FROM repairs WHERE space_id = $1 AND created_by = $2 AND NOT EXISTS"
		" (SELECT 1 FROM repair_sides s WHERE s.space_id = $1 AND s.repair_id = repairs.id)",
	[ST_PROMPT_ANSWERS_CLEAR_OLD] =
		"DELETE FROM prompt_answers WHERE space_id = $2 AND author_id = $2 AND day_id IN"
		" (SELECT day_id FROM prompt_answers WHERE space_id = $1 AND author_id = $2)",
	[ST_PROMPT_ANSWERS_DETACH] = "UPDATE prompt_answers SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	[ST_PROMPT_ACKS_DROP] = "DELETE FROM prompt_acks WHERE space_id = $1 AND (from_id = $2 OR answer_author = $2)",
	[ST_SAFETY_DETACH] = "UPDATE safety_checks SET space_id = $2 WHERE space_id = $1 AND user_id = $2",
	/* Agreements go with the partner who proposed them, with that partner's reviews of them. */
	[ST_AGREEMENTS_DETACH] = "UPDATE agreements SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	[ST_REVIEWS_DETACH] = "UPDATE agreement_reviews SET space_id = $2 WHERE space_id = $1 AND author_id = $2"
	                      " AND agreement_id IN (SELECT id FROM agreements WHERE space_id = $2)",
	/* Reviews left behind without their agreement (or by the leaver) go. */
	[ST_REVIEWS_DROP_ORPHANS] = "DELETE FROM agreement_reviews WHERE space_id = $1 AND (author_id = $2 OR"
	                            " agreement_id NOT IN (SELECT id FROM agreements WHERE space_id = $1))",
	[ST_QRESPONSES_DETACH] = "UPDATE questionnaire_responses SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	[ST_CONSENT_DROP] = "DELETE FROM therapist_consents WHERE space_id = $1 AND user_id = $2",
	/* A space nobody is in any more has no therapist either (as sqlite.c: the link row only). */
	[ST_THERAPIST_DROP_IF_EMPTY] = "DELETE FROM space_therapists WHERE space_id = $1"
	                               " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = $1)",
	/* After both have taken their own: shared repairs left without sides go. */
	[ST_REPAIRS_DROP_EMPTY] = "DELETE FROM repairs WHERE space_id = $1 AND solo = 0 AND NOT EXISTS"
	                          " (SELECT 1 FROM repair_sides s WHERE s.space_id = $1 AND s.repair_id = repairs.id)",
	[ST_SPACE_DELETE_IF_EMPTY] = "DELETE FROM spaces WHERE id = $1"
	                             " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = $1)",
	[ST_INVITES_DELETE_IF_EMPTY] = "DELETE FROM invites WHERE space_id = $1"
	                               " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = $1)",
};


#define exec(c, id, p, out, what) pg_exec(c, (int)(id), statements[id], p, out, what)
#define simple(c, id, p, what) pg_exec(c, (int)(id), statements[id], p, NULL, what)

static void tx_abort(struct conn *c)
{
	enum store_status r = pg_tx_end(c, STORE_NOT_FOUND);
	(void)r; /* rolled back: nothing was kept */
}

/* Runs a statement that changes rows; STORE_NOT_FOUND when it changed none. */
static enum store_status change_some(struct conn *c, enum stmt_id id, const struct pg_params *p, const char *what)
{
	PGresult *res = NULL;
	enum store_status r = exec(c, id, p, &res, what);
	if (r == STORE_OK && pg_changed_rows(res) == 0)
		r = STORE_NOT_FOUND;
	PQclear(res);
	return r;
}

#define CONN_OR_BUSY(s)              \
	struct conn *c = pg_conn(s); \
	if (!c)                      \
		return STORE_BUSY

/* ---- users ---- */

static enum store_status pg_user_insert(struct store *s, const struct store_user *u)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, u->id);
	pg_param_text(&p, u->username);
	pg_param_text(&p, u->display_name);
	pg_param_text(&p, u->password_hash);
	pg_param_text(&p, u->role);
	pg_param_int(&p, u->created_at);
	return simple(c, ST_USER_INSERT, &p, "user_insert");
}

static enum store_status pg_user_by_username(struct store *s, const char *username, struct store_user *u)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, username);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_USER_BY_NAME, &p, &res, "user_by_username");
	if (r == STORE_OK && PQntuples(res) == 0)
		r = STORE_NOT_FOUND;
	if (r == STORE_OK) {
		pg_copy_col(res, 0, 0, u->id, sizeof u->id);
		pg_copy_col(res, 0, 1, u->username, sizeof u->username);
		pg_copy_col(res, 0, 2, u->display_name, sizeof u->display_name);
		pg_copy_col(res, 0, 3, u->password_hash, sizeof u->password_hash);
		pg_copy_col(res, 0, 4, u->role, sizeof u->role);
		u->created_at = pg_col_int(res, 0, 5);
	}
	PQclear(res);
	return r;
}

/* ---- sessions ---- */

static enum store_status pg_session_insert(struct store *s, const char *token_hash, const char *user_id,
                                           int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, token_hash);
	pg_param_text(&p, user_id);
	pg_param_int(&p, now);
	pg_param_int(&p, expires_at);
	return simple(c, ST_SESSION_INSERT, &p, "session_insert");
}

static enum store_status pg_session_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                           struct viewer *v)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, token_hash);
	pg_param_int(&p, now);
	pg_param_int(&p, idle_ms);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_SESSION_VIEWER, &p, &res, "session_viewer");
	if (r == STORE_OK && PQntuples(res) == 0)
		r = STORE_NOT_FOUND;
	if (r == STORE_OK) {
		memset(v, 0, sizeof *v);
		pg_copy_col(res, 0, 0, v->user_id, sizeof v->user_id);
		pg_copy_col(res, 0, 1, v->username, sizeof v->username);
		pg_copy_col(res, 0, 2, v->display_name, sizeof v->display_name);
		pg_copy_col(res, 0, 3, v->role, sizeof v->role);
		v->session_last_seen = pg_col_int(res, 0, 4);
		pg_copy_col(res, 0, 5, v->space_id, sizeof v->space_id);
		pg_copy_col(res, 0, 6, v->partner_id, sizeof v->partner_id);
		pg_copy_col(res, 0, 7, v->partner_name, sizeof v->partner_name);
		pg_copy_col(res, 0, 8, v->time_zone, sizeof v->time_zone);
		if (!v->time_zone[0])
			snprintf(v->time_zone, sizeof v->time_zone, "UTC");
		snprintf(v->session_hash, sizeof v->session_hash, "%s", token_hash);
	}
	PQclear(res);
	return r;
}

static enum store_status pg_session_touch(struct store *s, const char *token_hash, int64_t now)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, token_hash);
	pg_param_int(&p, now);
	return simple(c, ST_SESSION_TOUCH, &p, "session_touch");
}

static enum store_status delete_by_key(struct store *s, enum stmt_id id, const char *key, const char *what)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, key);
	return simple(c, id, &p, what);
}

static enum store_status pg_session_delete(struct store *s, const char *token_hash)
{
	return delete_by_key(s, ST_SESSION_DELETE, token_hash, "session_delete");
}

static enum store_status pg_session_delete_user(struct store *s, const char *user_id)
{
	return delete_by_key(s, ST_SESSION_DELETE_USER, user_id, "session_delete_user");
}

/* ---- throttling ---- */

static enum store_status pg_failure_add(struct store *s, const char *key, int64_t now)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, key);
	pg_param_int(&p, now);
	enum store_status r = simple(c, ST_FAILURE_ADD, &p, "failure_add");
	/* Forget failures older than a day now and then, so the table stays small. */
	if (r == STORE_OK && randombytes_uniform(64) == 0) {
		struct pg_params q = {0};
		pg_param_int(&q, now - 24LL * 3600 * 1000);
		enum store_status pr = simple(c, ST_FAILURE_PRUNE, &q, "failure_prune");
		(void)pr; /* pruning is best effort; the failure was recorded */
	}
	return r;
}

static enum store_status pg_failure_count(struct store *s, const char *key, int64_t since, int *count,
                                          int64_t *oldest)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, key);
	pg_param_int(&p, since);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_FAILURE_COUNT, &p, &res, "failure_count");
	if (r == STORE_OK && PQntuples(res) == 1) {
		*count = (int)pg_col_int(res, 0, 0);
		*oldest = pg_col_int(res, 0, 1);
	} else if (r == STORE_OK) {
		r = STORE_ERROR;
	}
	PQclear(res);
	return r;
}

static enum store_status pg_failure_clear(struct store *s, const char *key)
{
	return delete_by_key(s, ST_FAILURE_CLEAR, key, "failure_clear");
}

/* ---- spaces ---- */

/*
 * Runs a one-text-parameter query and copies the first column of its first
 * row into out (empty when there is no row).
 */
static enum store_status query_id(struct conn *c, enum stmt_id id, struct pg_params *p, char out[ID_LEN + 1],
                                  const char *what)
{
	PGresult *res = NULL;
	enum store_status r = exec(c, id, p, &res, what);
	out[0] = '\0';
	if (r == STORE_OK && PQntuples(res) > 0)
		pg_copy_col(res, 0, 0, out, ID_LEN + 1);
	PQclear(res);
	return r;
}

/* Reads the user's space into out (empty when none). */
static enum store_status member_of(struct conn *c, const char *user_id, char out[ID_LEN + 1])
{
	struct pg_params p = {0};
	pg_param_text(&p, user_id);
	return query_id(c, ST_MEMBER_OF, &p, out, "member_of");
}

static enum store_status member_count(struct conn *c, const char *space_id, int *count)
{
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_MEMBER_COUNT, &p, &res, "member_count");
	*count = r == STORE_OK && PQntuples(res) == 1 ? (int)pg_col_int(res, 0, 0) : 0;
	PQclear(res);
	return r;
}

static enum store_status member_insert(struct conn *c, const char *space_id, const char *user_id, int64_t now)
{
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, user_id);
	pg_param_int(&p, now);
	return simple(c, ST_MEMBER_INSERT, &p, "member_insert");
}

static enum store_status space_create_once(struct conn *c, const char *space_id, const char *user_id,
                                           const char *time_zone, int64_t now)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	char current[ID_LEN + 1];
	r = member_of(c, user_id, current);
	if (r == STORE_OK && current[0])
		r = STORE_CONFLICT;
	if (r == STORE_OK) {
		struct pg_params p = {0};
		pg_param_text(&p, space_id);
		pg_param_text(&p, time_zone);
		pg_param_int(&p, now);
		r = simple(c, ST_SPACE_INSERT, &p, "space_insert");
	}
	/* A create racing this one for the same user loses here, on space_members.user_id. */
	if (r == STORE_OK)
		r = member_insert(c, space_id, user_id, now);
	return pg_tx_end(c, r);
}

static enum store_status pg_space_create(struct store *s, const char *space_id, const char *user_id,
                                         const char *time_zone, int64_t now)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = space_create_once(c, space_id, user_id, time_zone, now);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status pg_space_member_count(struct store *s, const char *space_id, int *count)
{
	CONN_OR_BUSY(s);
	return member_count(c, space_id, count);
}

static enum store_status pg_invite_insert(struct store *s, const char *space_id, const char *code_hash,
                                          const char *created_by, int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, code_hash);
	pg_param_text(&p, created_by);
	pg_param_int(&p, now);
	pg_param_int(&p, expires_at);
	return simple(c, ST_INVITE_INSERT, &p, "invite_insert");
}

/*
 * One attempt at joining. Locks the space row first (as a leave does), then
 * re-reads the invite under a row lock, so two joins through one code, or a
 * join and a leave, run one after the other; the member count read after
 * the locks is current.
 */
static enum store_status space_join_once(struct conn *c, const char *code_hash, const char *user_id, int64_t now,
                                         enum join_result *result, char space_id_out[ID_LEN + 1])
{
	enum store_status r = pg_tx_begin(c);
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
	struct pg_params p = {0};
	pg_param_text(&p, code_hash);
	pg_param_int(&p, now);
	if (r == STORE_OK)
		r = query_id(c, ST_INVITE_FIND, &p, space_id_out, "invite_find");
	char locked[ID_LEN + 1] = "";
	if (r == STORE_OK && space_id_out[0]) {
		struct pg_params l = {0};
		pg_param_text(&l, space_id_out);
		r = query_id(c, ST_SPACE_LOCK, &l, locked, "space_lock");
	}
	if (r == STORE_OK && locked[0]) {
		pg_param_text(&p, space_id_out);
		r = query_id(c, ST_INVITE_LOCK, &p, locked, "invite_lock");
	}
	if (r != STORE_OK || !locked[0]) {
		/* No such code, used meanwhile, or its space went away with its last member. */
		*result = JOIN_NO_CODE;
		space_id_out[0] = '\0';
		tx_abort(c);
		return r;
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
	if (r == STORE_CONFLICT) {
		/* The user entered another space while this transaction ran. */
		*result = JOIN_ALREADY_IN_SPACE;
		tx_abort(c);
		return STORE_OK;
	}
	if (r == STORE_OK) {
		struct pg_params u = {0};
		pg_param_text(&u, code_hash);
		pg_param_int(&u, now);
		r = simple(c, ST_INVITE_USE, &u, "invite_use");
	}
	*result = JOIN_OK;
	return pg_tx_end(c, r);
}

static enum store_status pg_space_join(struct store *s, const char *code_hash, const char *user_id, int64_t now,
                                       enum join_result *result, char space_id_out[ID_LEN + 1])
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = space_join_once(c, code_hash, user_id, now, result, space_id_out);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status space_leave_once(struct conn *c, const char *space_id, const char *user_id)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	char locked[ID_LEN + 1];
	struct pg_params l = {0};
	pg_param_text(&l, space_id);
	r = query_id(c, ST_SPACE_LOCK, &l, locked, "space_lock");
	/* The same steps in the same order as sqlite.c: the leaver's, then the remaining partner's. */
	static const enum stmt_id detach[] = {
		ST_CHECKINS_DETACH,        ST_REPAIRS_COPY_FOR_LEAVER, ST_REPAIRS_SOLO_DETACH, ST_REPAIR_SIDES_CLEAR_OLD,
		ST_REPAIR_SIDES_DETACH,    ST_REPAIRS_DROP_ABANDONED,  ST_PROMPT_ANSWERS_CLEAR_OLD, ST_PROMPT_ANSWERS_DETACH,
		ST_PROMPT_ACKS_DROP,       ST_AGREEMENTS_DETACH,       ST_REVIEWS_DETACH,       ST_REVIEWS_DROP_ORPHANS,
		ST_QRESPONSES_DETACH,      ST_SAFETY_DETACH,
	};
	if (r == STORE_OK) {
		struct pg_params p = {0};
		pg_param_text(&p, space_id);
		pg_param_text(&p, user_id);
		r = change_some(c, ST_MEMBER_DELETE, &p, "space_leave");
		/* The leaver's consent to the space's therapist ends with their membership. */
		if (r == STORE_OK)
			r = simple(c, ST_CONSENT_DROP, &p, "space_leave");
	}
	char remaining[ID_LEN + 1] = "";
	for (int who = 0; who < 2 && r == STORE_OK; who++) {
		const char *person = who == 0 ? user_id : remaining;
		if (who == 1) {
			struct pg_params q = {0};
			pg_param_text(&q, space_id);
			r = query_id(c, ST_MEMBER_REMAINING, &q, remaining, "space_leave");
			if (r != STORE_OK || !remaining[0])
				break;
		}
		for (size_t i = 0; i < ARRAY_LEN(detach) && r == STORE_OK; i++) {
			struct pg_params p = {0};
			pg_param_text(&p, space_id);
			pg_param_text(&p, person);
			r = simple(c, detach[i], &p, "space_leave");
		}
	}
	static const enum stmt_id last[] = {ST_REPAIRS_DROP_EMPTY, ST_THERAPIST_DROP_IF_EMPTY,
	                                    ST_INVITES_DELETE_IF_EMPTY, ST_SPACE_DELETE_IF_EMPTY};
	for (size_t i = 0; i < ARRAY_LEN(last) && r == STORE_OK; i++) {
		struct pg_params p = {0};
		pg_param_text(&p, space_id);
		r = simple(c, last[i], &p, "space_leave");
	}
	return pg_tx_end(c, r);
}

static enum store_status pg_space_leave(struct store *s, const char *space_id, const char *user_id)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = space_leave_once(c, space_id, user_id);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}


void pg_core_init(struct store *s)
{
	s->user_insert = pg_user_insert;
	s->user_by_username = pg_user_by_username;
	s->session_insert = pg_session_insert;
	s->session_viewer = pg_session_viewer;
	s->session_touch = pg_session_touch;
	s->session_delete = pg_session_delete;
	s->session_delete_user = pg_session_delete_user;
	s->failure_add = pg_failure_add;
	s->failure_count = pg_failure_count;
	s->failure_clear = pg_failure_clear;
	s->space_create = pg_space_create;
	s->space_member_count = pg_space_member_count;
	s->invite_insert = pg_invite_insert;
	s->space_join = pg_space_join;
	s->space_leave = pg_space_leave;
}
