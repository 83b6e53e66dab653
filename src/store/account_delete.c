/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * account_delete.c - deleting an account with everything its owner wrote,
 * for both databases (see store.h and db.h), and reading a user by id.
 *
 * Deleting is a rule over many features' tables, written once here as a
 * tx_fn: one transaction of single statements, in an order that keeps the
 * rows consistent at every step (children before what they hang on, the
 * user last). It belongs to the domain; it lives in the store for now, as
 * issue 17 allows, until the domain can run it through tx_run with each
 * feature file's own statements.
 *
 * user_by_id sits here until account.c (users, sessions, failures) takes it.
 */
#include <assert.h>
#include <string.h>

#include "db.h"
#include "store_internal.h"

DB_QUERY(Q_USER_BY_ID, "SELECT id, username, display_name, password_hash, role, created_at FROM users WHERE id = ?1");

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
    {"user_delete_prompt_answers", "DELETE FROM prompt_answers WHERE author_id = ?1 OR space_id = ?1"},
    {"user_delete_prompt_acks", "DELETE FROM prompt_acks WHERE from_id = ?1 OR answer_author = ?1 OR space_id = ?1"},
    {"user_delete_prompt_days", "DELETE FROM prompt_days WHERE space_id = ?1"},
    {"user_delete_prompt_seen", "DELETE FROM prompt_seen WHERE space_id = ?1"},
    {"user_delete_prompt_skips", "DELETE FROM prompt_skips WHERE user_id = ?1 OR space_id = ?1"},
    {"user_delete_reviews", "DELETE FROM agreement_reviews WHERE author_id = ?1 OR space_id = ?1"},
    {"user_delete_agreements_own", "DELETE FROM agreements WHERE space_id = ?1"},
    {"user_delete_agreement_texts", "UPDATE agreements SET text = '' WHERE author_id = ?1"},
    {"user_delete_qresponses", "DELETE FROM questionnaire_responses WHERE author_id = ?1"},
    {"user_delete_safety_checks", "DELETE FROM safety_checks WHERE user_id = ?1"},
    {"user_delete_sessions", "DELETE FROM sessions WHERE user_id = ?1"},
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
    {"user_delete_articles", "DELETE FROM articles WHERE author_id = ?1"},
    {"user_delete_memberships", "DELETE FROM space_members WHERE user_id = ?1"},
    {"user_delete_user", "DELETE FROM users WHERE id = ?1"},
};

/* Runs every step for the user whose id is ctx; tx_run commits them together or not at all. */
static enum store_status user_delete_tx(struct db *d, void *ctx)
{
	const char *user_id = ctx;
	for (size_t i = 0; i < sizeof delete_steps / sizeof delete_steps[0]; i++) {
		struct db_stmt *st = db_prepare(d, &delete_steps[i]);
		if (!st)
			return STORE_ERROR;
		db_bind_text(st, 1, user_id);
		enum store_status r = db_run(st);
		if (r != STORE_OK)
			return r;
	}
	return STORE_OK;
}

static enum store_status user_delete(struct store *s, const char *user_id)
{
	assert(user_id && *user_id);
	return tx_run(s, user_delete_tx, (void *)user_id);
}

static enum store_status user_by_id(struct store *s, const char *id, struct store_user *u)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_USER_BY_ID);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, id);
	enum store_status r = db_step(st);
	if (r == STORE_OK) {
		memset(u, 0, sizeof *u);
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

void store_account_delete_init(struct store *s)
{
	s->user_delete = user_delete;
	s->user_by_id = user_by_id;
}
