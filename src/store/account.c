/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * account.c - people in the store: users (their display names arrive sealed
 * and are read sealed), their sessions (kept by the hash of the token, so a
 * stolen database holds no usable cookie; starting, listing and ending them
 * one by one is in session.c), the failure counters that throttle logins,
 * and deleting an account with everything its owner wrote.
 *
 * Deleting is a rule over many features' tables, written once here as a
 * tx_fn: one transaction of single statements, in an order that keeps the
 * rows consistent at every step (children before what they hang on, the user
 * last). It belongs to the domain; it lives in the store for now, as issue 17
 * allows, until the domain can run it through tx_run with each feature
 * file's own statements.
 */
#include "store_internal.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define USER_COLUMNS "id, username, display_name, password_hash, role, created_at"

DB_QUERY(Q_USER_INSERT, "INSERT INTO users (" USER_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
DB_QUERY(Q_USER_BY_NAME, "SELECT " USER_COLUMNS " FROM users WHERE username = ?1");
DB_QUERY(Q_USER_BY_ID, "SELECT " USER_COLUMNS " FROM users WHERE id = ?1");
/* The session s of the token hash ?1, live at ?2 under the caller's idle limit ?3 and its own. */
#define SESSION_LIVE                                                                                                   \
	" WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?2 - ?3"                                  \
	"   AND s.last_seen_at > ?2 - s.idle_ms"

/*
 * The viewer: the user, their space with its time zone, and the partner in it, if any. A session
 * ends at expires_at, or when unused for its own idle_ms or the caller's idle limit (?3). Their
 * Quick exit setting and their language come along: every page needs them, so they cost no statement
 * of their own. So do the change counters of their space and their own (migration 030; 0 before any change),
 * which key the cache of rendered answers (http/cache.h): read here, after every write this
 * request's client saw acknowledged, so a cached answer is never older than they are.
 */
DB_QUERY(Q_SESSION_VIEWER, "SELECT u.id, u.username, u.display_name, u.role, s.last_seen_at,"
                           " m.space_id, p.user_id, pu.display_name, sp.time_zone, s.id, s.auth_at, u.time_zone,"
                           " COALESCE(us.quick_exit_signs_out, 0), COALESCE(cs.n, 0), COALESCE(cu.n, 0), u.language,"
                           " COALESCE(cs.who_n, 0), COALESCE(cu.who_n, 0)"
                           " FROM sessions s JOIN users u ON u.id = s.user_id"
                           " LEFT JOIN user_settings us ON us.user_id = u.id"
                           " LEFT JOIN change_counts cu ON cu.scope_id = u.id"
                           " LEFT JOIN space_members m ON m.user_id = u.id"
                           " LEFT JOIN change_counts cs ON cs.scope_id = m.space_id"
                           " LEFT JOIN spaces sp ON sp.id = m.space_id"
                           " LEFT JOIN space_members p ON p.space_id = m.space_id AND p.user_id <> u.id"
                           " LEFT JOIN users pu ON pu.id = p.user_id" SESSION_LIVE);
/*
 * The same session, its person's and space's ids and the change counters, without what the
 * counters cover (the person's row and settings, the space, the partner): account_viewer keeps those
 * by the who_n counters (migration 032), and reads them with Q_SESSION_VIEWER only when those moved.
 * Four lookups instead of nine, every request.
 */
DB_QUERY(Q_SESSION_CHECK, "SELECT s.user_id, s.last_seen_at, m.space_id, s.id, s.auth_at, COALESCE(cs.n, 0),"
                          " COALESCE(cu.n, 0), COALESCE(cs.who_n, 0), COALESCE(cu.who_n, 0)"
                          " FROM sessions s LEFT JOIN change_counts cu ON cu.scope_id = s.user_id"
                          " LEFT JOIN space_members m ON m.user_id = s.user_id"
                          " LEFT JOIN change_counts cs ON cs.scope_id = m.space_id" SESSION_LIVE);
DB_QUERY(Q_SESSION_TOUCH, "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1");
DB_QUERY(Q_SESSION_DELETE, "DELETE FROM sessions WHERE token_hash = ?1");
DB_QUERY(Q_SESSION_DELETE_USER, "DELETE FROM sessions WHERE user_id = ?1");
DB_QUERY(Q_FAILURE_ADD, "INSERT INTO auth_failures (key, at) VALUES (?1, ?2)");
DB_QUERY(Q_FAILURE_COUNT, "SELECT count(*), COALESCE(min(at), 0) FROM auth_failures WHERE key = ?1 AND at > ?2");
DB_QUERY(Q_FAILURE_CLEAR, "DELETE FROM auth_failures WHERE key = ?1");
DB_QUERY(Q_FAILURE_PRUNE, "DELETE FROM auth_failures WHERE at < ?1");

/*
 * Everything its owner wrote goes. Texts they wrote into items that stay
 * with the partner (a repair title, an agreement) are emptied; the partner's
 * own words stay. Rows whose scope is the person (space_id = their id: what
 * they wrote alone or kept after leaving) go whole. The owner's data key is
 * deleted too, so any copy of their sealed texts left in a backup cannot be
 * read. Every step binds the user's id as ?1.
 */
static const struct db_query delete_steps[] = {
    {"user_delete_checkins", "DELETE FROM checkins WHERE author_id = ?1"},
    {"user_delete_repair_sides", "DELETE FROM repair_sides WHERE author_id = ?1"},
    {"user_delete_repair_sides_own", "DELETE FROM repair_sides WHERE space_id = ?1"},
    {"user_delete_repairs_own", "DELETE FROM repairs WHERE space_id = ?1"},
    {"user_delete_repair_titles", "UPDATE repairs SET title = '' WHERE created_by = ?1"},
    /* Issue 14: the steps after a reveal, and the person's answers to the partner's steps. */
    {"user_delete_repair_after", "DELETE FROM repair_after_steps WHERE author_id = ?1 OR space_id = ?1"},
    {"user_delete_repair_after_answers", "UPDATE repair_after_steps SET answer = NULL, answer_note = NULL,"
                                         " answered_by = NULL, answered_at = NULL WHERE answered_by = ?1"},
    {"user_delete_prompt_answers", "DELETE FROM prompt_answers WHERE author_id = ?1 OR space_id = ?1"},
    {"user_delete_prompt_acks", "DELETE FROM prompt_acks WHERE from_id = ?1 OR answer_author = ?1 OR space_id = ?1"},
    {"user_delete_prompt_days", "DELETE FROM prompt_days WHERE space_id = ?1"},
    {"user_delete_prompt_seen", "DELETE FROM prompt_seen WHERE space_id = ?1"},
    {"user_delete_prompt_skips", "DELETE FROM prompt_skips WHERE user_id = ?1 OR space_id = ?1"},
    {"user_delete_prompt_overrides", "DELETE FROM prompt_overrides WHERE space_id = ?1"},
    {"user_delete_reviews", "DELETE FROM agreement_reviews WHERE author_id = ?1 OR space_id = ?1"},
    {"user_delete_agreements_own", "DELETE FROM agreements WHERE space_id = ?1"},
    /* Issue 14: their answers to the partner's proposals, and their proposals nobody is asked about any more. */
    {"user_delete_agreement_answers_own", "DELETE FROM agreement_answers WHERE space_id = ?1"},
    {"user_delete_agreement_notes", "UPDATE agreement_answers SET discuss_note = NULL, discussed_by = NULL,"
                                    " discussed_at = NULL WHERE discussed_by = ?1"},
    {"user_delete_agreement_yes", "UPDATE agreement_answers SET accepted_by = NULL, accepted_at = NULL"
                                  " WHERE accepted_by = ?1"},
    {"user_delete_proposals", "UPDATE agreements SET status = 'retired' WHERE author_id = ?1 AND status = 'proposed'"},
    {"user_delete_agreement_texts", "UPDATE agreements SET text = '' WHERE author_id = ?1"},
    {"user_delete_qresponses", "DELETE FROM questionnaire_responses WHERE author_id = ?1"},
    {"user_delete_safety_checks", "DELETE FROM safety_checks WHERE user_id = ?1"},
    {"user_delete_bridge_items", "DELETE FROM bridge_items WHERE author_id = ?1"}, /* issue 13 */
    {"user_delete_sessions", "DELETE FROM sessions WHERE user_id = ?1"},
    {"user_delete_two_step", "DELETE FROM two_step WHERE user_id = ?1"},
    {"user_delete_recovery_codes", "DELETE FROM recovery_codes WHERE user_id = ?1"},
    {"user_delete_login_tickets", "DELETE FROM login_tickets WHERE user_id = ?1"},
    {"user_delete_invites", "DELETE FROM invites WHERE created_by = ?1"},
    {"user_delete_data_keys", "DELETE FROM data_keys WHERE scope_id = ?1"},
    {"user_delete_consents", "DELETE FROM therapist_consents WHERE user_id = ?1"},
    {"user_delete_therapist_invites", "DELETE FROM therapist_invites WHERE therapist_id = ?1"},
    {"user_delete_therapist_notes", "DELETE FROM therapist_notes WHERE therapist_id = ?1"},
    {"user_delete_therapist_visits", "DELETE FROM therapist_visits WHERE therapist_id = ?1"},
    {"user_delete_space_therapists", "DELETE FROM space_therapists WHERE therapist_id = ?1"},
    {"user_delete_comments", "DELETE FROM article_comments WHERE author_id = ?1"},
    {"user_delete_comments_on_own",
     "DELETE FROM article_comments WHERE article_id IN (SELECT id FROM articles WHERE author_id = ?1)"},
    {"user_delete_article_tags",
     "DELETE FROM article_tags WHERE article_id IN (SELECT id FROM articles WHERE author_id = ?1)"},
    {"user_delete_articles", "DELETE FROM articles WHERE author_id = ?1"},
    /* Homework (issue 13): a partner's marks and notes; a therapist's assignments with every mark on them. */
    {"user_delete_homework_marks", "DELETE FROM homework_marks WHERE user_id = ?1 OR homework_id IN (SELECT id FROM "
                                   "homework WHERE therapist_id = ?1)"},
    {"user_delete_homework", "DELETE FROM homework WHERE therapist_id = ?1 OR for_id = ?1"},
    {"user_delete_home_dismissals", "DELETE FROM home_dismissals WHERE user_id = ?1"},
    {"user_delete_settings", "DELETE FROM user_settings WHERE user_id = ?1"},
    {"user_delete_breaks", "DELETE FROM breaks WHERE user_id = ?1"}, /* issue 14 */
    {"user_delete_reminders", "DELETE FROM reminders WHERE user_id = ?1"},
    {"user_delete_calendar_feeds", "DELETE FROM calendar_feeds WHERE user_id = ?1"},
    {"user_delete_email", "DELETE FROM email_addresses WHERE user_id = ?1"},
    {"user_delete_outbox", "DELETE FROM outbox WHERE user_id = ?1"},
    {"user_delete_quiet_hours", "DELETE FROM quiet_hours WHERE user_id = ?1"},
    {"user_delete_notice_settings", "DELETE FROM notice_settings WHERE user_id = ?1"},
    {"user_delete_notice_log", "DELETE FROM notice_log WHERE user_id = ?1"},
    {"user_delete_push_outbox", "DELETE FROM push_outbox WHERE user_id = ?1"},
    {"user_delete_push_subscriptions", "DELETE FROM push_subscriptions WHERE user_id = ?1"},
    /* The partner who stays is still told that someone left; no longer who. */
    {"user_delete_departures", "UPDATE space_departures SET user_id = '' WHERE user_id = ?1"},
    {"user_delete_profile", "DELETE FROM profiles WHERE user_id = ?1"},
    {"user_delete_cycle_sides", "DELETE FROM cycle_sides WHERE author_id = ?1 OR space_id = ?1"}, /* issue 14 */
    {"user_delete_cycle_edits", "DELETE FROM cycle_edits WHERE author_id = ?1 OR space_id = ?1"},
    {"user_delete_memberships", "DELETE FROM space_members WHERE user_id = ?1"},
    {"user_delete_user", "DELETE FROM users WHERE id = ?1"},
};

/* ---- users ---- */

static enum store_status user_insert(struct store *s, const struct store_user *u)
{
	return db_write(db_of(s), &Q_USER_INSERT,
	                DB_ARGS(db_text(u->id), db_text(u->username), db_text(u->display_name),
	                        db_text(u->password_hash), db_text(u->role), db_int(u->created_at)));
}

static void read_user(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_user *u = item;
	db_col_copy(st, 0, u->id, sizeof u->id);
	db_col_copy(st, 1, u->username, sizeof u->username);
	db_col_copy(st, 2, u->display_name, sizeof u->display_name);
	db_col_copy(st, 3, u->password_hash, sizeof u->password_hash);
	db_col_copy(st, 4, u->role, sizeof u->role);
	u->created_at = db_col_int(st, 5);
}

static enum store_status user_by_username(struct store *s, const char *username, struct store_user *u)
{
	return db_get(db_of(s), &Q_USER_BY_NAME, NULL, read_user, u, DB_ARGS(db_text(username)));
}

static enum store_status user_by_id(struct store *s, const char *id, struct store_user *u)
{
	return db_get(db_of(s), &Q_USER_BY_ID, NULL, read_user, u, DB_ARGS(db_text(id)));
}

/* Runs every step for the user whose id is ctx; tx_run commits them together or not at all. */
static enum store_status user_delete_tx(struct db *d, void *ctx)
{
	enum store_status r = STORE_OK;
	for (size_t i = 0; i < ARRAY_LEN(delete_steps) && r == STORE_OK; i++)
		r = db_write(d, &delete_steps[i], DB_ARGS(db_text(ctx)));
	return r;
}

static enum store_status user_delete(struct store *s, const char *user_id)
{
	assert(user_id && *user_id);
	return tx_run(s, user_delete_tx, (void *)user_id);
}

/* ---- sessions ---- */

static void read_viewer(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct viewer *v = item;
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
	db_col_copy(st, 9, v->session_id, sizeof v->session_id);
	v->session_auth_at = db_col_int(st, 10);
	db_col_copy(st, 11, v->own_time_zone, sizeof v->own_time_zone);
	v->quick_exit_signs_out = db_col_int(st, 12) != 0;
	v->changes_space = db_col_int(st, 13);
	v->changes_own = db_col_int(st, 14);
	db_col_copy(st, 15, v->language, sizeof v->language);
	v->who_space = db_col_int(st, 16);
	v->who_own = db_col_int(st, 17);
	/* someone without a space lives their days (prompt, trends, reviews) in their own zone */
	if (!v->space_id[0] && v->own_time_zone[0])
		snprintf(v->time_zone, sizeof v->time_zone, "%s", v->own_time_zone);
}

static void read_session(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct viewer *v = item;
	memset(v, 0, sizeof *v);
	db_col_copy(st, 0, v->user_id, sizeof v->user_id);
	v->session_last_seen = db_col_int(st, 1);
	db_col_copy(st, 2, v->space_id, sizeof v->space_id);
	db_col_copy(st, 3, v->session_id, sizeof v->session_id);
	v->session_auth_at = db_col_int(st, 4);
	v->changes_space = db_col_int(st, 5);
	v->changes_own = db_col_int(st, 6);
	v->who_space = db_col_int(st, 7);
	v->who_own = db_col_int(st, 8);
}

/* The live session of token_hash read by q into v, which then names it. */
static enum store_status session_read(struct store *s, const struct db_query *q, db_read_fn read,
                                      const char *token_hash, int64_t now, int64_t idle_ms, struct viewer *v)
{
	enum store_status r =
	    db_get(db_of(s), q, NULL, read, v, DB_ARGS(db_text(token_hash), db_int(now), db_int(idle_ms)));
	if (r == STORE_OK)
		snprintf(v->session_hash, sizeof v->session_hash, "%s", token_hash);
	return r;
}

static enum store_status session_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                        struct viewer *v)
{
	return session_read(s, &Q_SESSION_VIEWER, read_viewer, token_hash, now, idle_ms, v);
}

static enum store_status session_check(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                       struct viewer *v)
{
	return session_read(s, &Q_SESSION_CHECK, read_session, token_hash, now, idle_ms, v);
}

static enum store_status session_touch(struct store *s, const char *token_hash, int64_t now)
{
	return db_write(db_of(s), &Q_SESSION_TOUCH, DB_ARGS(db_text(token_hash), db_int(now)));
}

static enum store_status session_delete(struct store *s, const char *token_hash)
{
	return db_write(db_of(s), &Q_SESSION_DELETE, DB_ARGS(db_text(token_hash)));
}

static enum store_status session_delete_user(struct store *s, const char *user_id)
{
	return db_write(db_of(s), &Q_SESSION_DELETE_USER, DB_ARGS(db_text(user_id)));
}

/* ---- throttling ---- */

static enum store_status failure_add(struct store *s, const char *key, int64_t now)
{
	enum store_status r = db_write(db_of(s), &Q_FAILURE_ADD, DB_ARGS(db_text(key), db_int(now)));
	/* Forget failures older than a day now and then, so the table stays small. */
	if (r == STORE_OK && randombytes_uniform(64) == 0) {
		enum store_status pr = db_write(db_of(s), &Q_FAILURE_PRUNE, DB_ARGS(db_int(now - 24LL * 3600 * 1000)));
		(void)pr; /* pruning is best effort; the failure was recorded */
	}
	return r;
}

static enum store_status failure_count(struct store *s, const char *key, int64_t since, int *count, int64_t *oldest)
{
	struct db *d = db_of(s);
	struct db_stmt *st = db_prepare_args(d, &Q_FAILURE_COUNT, DB_ARGS(db_text(key), db_int(since)));
	if (!st)
		return d ? STORE_ERROR : STORE_BUSY;
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
	return db_write(db_of(s), &Q_FAILURE_CLEAR, DB_ARGS(db_text(key)));
}

void store_account_init(struct store *s)
{
	s->user_insert = user_insert;
	s->user_by_username = user_by_username;
	s->user_by_id = user_by_id;
	s->user_delete = user_delete;
	s->session_viewer = session_viewer;
	s->session_check = session_check;
	s->session_touch = session_touch;
	s->session_delete = session_delete;
	s->session_delete_user = session_delete_user;
	s->failure_add = failure_add;
	s->failure_count = failure_count;
	s->failure_clear = failure_clear;
}
