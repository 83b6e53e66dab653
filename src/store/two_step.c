/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * two_step.c - two-step login in the store (issue 10, part B): a person's
 * TOTP secret (sealed by the domain before it arrives here), their recovery
 * codes (hashes only) and the short-lived tickets that carry a browser from
 * the password to the code page of a login.
 *
 * Every "only once" rule is one conditional UPDATE whose changed-row count
 * decides, so two requests racing with the same code cannot both win: a time
 * step is accepted only when it is newer than the last one accepted, a
 * recovery code only while its used_at is empty, a ticket only while it has
 * tries left.
 *
 * Layout: the statements, then the functions in the order of store.h.
 */
#include "store_internal.h"

#include <assert.h>
#include <string.h>

DB_QUERY(Q_TWO_STEP_GET, "SELECT t.user_id, t.secret, t.created_at, COALESCE(t.confirmed_at, 0), t.last_step,"
                         " (SELECT count(*) FROM recovery_codes r WHERE r.user_id = t.user_id AND r.used_at IS NULL)"
                         " FROM two_step t WHERE t.user_id = ?1");
/* A new setup, or a new secret for a pending one; a confirmed row is left alone (no row changes). */
DB_QUERY(Q_TWO_STEP_BEGIN, "INSERT INTO two_step (user_id, secret, created_at, last_step) VALUES (?1, ?2, ?3, 0)"
                           " ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret,"
                           " created_at = excluded.created_at, last_step = 0 WHERE two_step.confirmed_at IS NULL");
DB_QUERY(Q_TWO_STEP_CONFIRM, "UPDATE two_step SET confirmed_at = ?2, last_step = ?3"
                             " WHERE user_id = ?1 AND confirmed_at IS NULL");
DB_QUERY(Q_TWO_STEP_USE_STEP, "UPDATE two_step SET last_step = ?2"
                              " WHERE user_id = ?1 AND confirmed_at IS NOT NULL AND last_step < ?2");
DB_QUERY(Q_TWO_STEP_DELETE, "DELETE FROM two_step WHERE user_id = ?1");
DB_QUERY(Q_RECOVERY_DELETE, "DELETE FROM recovery_codes WHERE user_id = ?1");
DB_QUERY(Q_RECOVERY_INSERT, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)");
DB_QUERY(Q_RECOVERY_USE, "UPDATE recovery_codes SET used_at = ?3"
                         " WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL");
DB_QUERY(Q_TICKET_INSERT, "INSERT INTO login_tickets (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)");
DB_QUERY(Q_TICKET_PRUNE, "DELETE FROM login_tickets WHERE expires_at <= ?1");
DB_QUERY(Q_TICKET_TRY, "UPDATE login_tickets SET tries = tries + 1"
                       " WHERE token_hash = ?1 AND expires_at > ?2 AND tries < ?3 RETURNING user_id");
DB_QUERY(Q_TICKET_DELETE, "DELETE FROM login_tickets WHERE token_hash = ?1");
DB_QUERY(Q_TICKET_DELETE_USER, "DELETE FROM login_tickets WHERE user_id = ?1");

static void read_two_step(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_two_step *t = item;
	db_col_copy(st, 0, t->user_id, sizeof t->user_id);
	t->secret = a ? db_col_text(st, 1, a) : NULL; /* without an arena: the state alone */
	t->created_at = db_col_int(st, 2);
	t->confirmed_at = db_col_int(st, 3);
	t->last_step = db_col_int(st, 4);
	t->recovery_left = (int)db_col_int(st, 5);
}

static enum store_status two_step_get(struct store *s, struct arena *a, const char *user_id, struct store_two_step *t)
{
	return db_get(db_of(s), &Q_TWO_STEP_GET, a, read_two_step, t, DB_ARGS(db_text(user_id)));
}

static enum store_status two_step_begin(struct store *s, const char *user_id, const char *sealed_secret, int64_t now)
{
	enum store_status r =
	    db_change(db_of(s), &Q_TWO_STEP_BEGIN, DB_ARGS(db_text(user_id), db_text(sealed_secret), db_int(now)));
	return r == STORE_NOT_FOUND ? STORE_CONFLICT : r; /* the row is confirmed: two-step is on */
}

struct confirm_ctx {
	const char *user_id;
	int64_t step, now;
	const char (*hashes)[HASH_HEX_LEN + 1];
};

static enum store_status confirm_tx(struct db *d, void *ctx)
{
	const struct confirm_ctx *c = ctx;
	enum store_status r =
	    db_change(d, &Q_TWO_STEP_CONFIRM, DB_ARGS(db_text(c->user_id), db_int(c->now), db_int(c->step)));
	if (r == STORE_NOT_FOUND)
		return STORE_CONFLICT; /* nothing pending: never set up, turned off, or confirmed by a racing request */
	if (r == STORE_OK)
		r = db_write(d, &Q_RECOVERY_DELETE, DB_ARGS(db_text(c->user_id)));
	for (int i = 0; i < RECOVERY_CODE_COUNT && r == STORE_OK; i++)
		r = db_write(d, &Q_RECOVERY_INSERT, DB_ARGS(db_text(c->user_id), db_text(c->hashes[i])));
	return r;
}

static enum store_status two_step_confirm(struct store *s, const char *user_id, int64_t step,
                                          const char (*code_hashes)[HASH_HEX_LEN + 1], int64_t now)
{
	assert(user_id && code_hashes);
	struct confirm_ctx c = {user_id, step, now, code_hashes};
	return tx_run(s, confirm_tx, &c);
}

static enum store_status two_step_use_step(struct store *s, const char *user_id, int64_t step)
{
	return db_change(db_of(s), &Q_TWO_STEP_USE_STEP, DB_ARGS(db_text(user_id), db_int(step)));
}

static enum store_status recovery_code_use(struct store *s, const char *user_id, const char *code_hash, int64_t now)
{
	return db_change(db_of(s), &Q_RECOVERY_USE, DB_ARGS(db_text(user_id), db_text(code_hash), db_int(now)));
}

static enum store_status delete_tx(struct db *d, void *ctx)
{
	const char *user_id = ctx;
	enum store_status r = db_change(d, &Q_TWO_STEP_DELETE, DB_ARGS(db_text(user_id)));
	if (r == STORE_OK)
		r = db_write(d, &Q_RECOVERY_DELETE, DB_ARGS(db_text(user_id)));
	if (r == STORE_OK)
		r = db_write(d, &Q_TICKET_DELETE_USER, DB_ARGS(db_text(user_id)));
	return r;
}

static enum store_status two_step_delete(struct store *s, const char *user_id)
{
	assert(user_id && *user_id);
	return tx_run(s, delete_tx, (void *)user_id);
}

static enum store_status login_ticket_insert(struct store *s, const char *token_hash, const char *user_id, int64_t now,
                                             int64_t expires_at)
{
	/* Expired tickets go whenever a new one comes, so the table holds only a few minutes' worth. */
	struct db *d = db_of(s);
	enum store_status r = db_write(d, &Q_TICKET_PRUNE, DB_ARGS(db_int(now)));
	if (r == STORE_OK)
		r = db_write(d, &Q_TICKET_INSERT, DB_ARGS(db_text(token_hash), db_text(user_id), db_int(expires_at)));
	return r;
}

struct ticket_ctx {
	const char *token_hash;
	int64_t now;
	int max_tries;
	char *user_id;
};

static enum store_status ticket_try_tx(struct db *d, void *ctx)
{
	struct ticket_ctx *c = ctx;
	return db_get(d, &Q_TICKET_TRY, NULL, db_read_id, c->user_id,
	              DB_ARGS(db_text(c->token_hash), db_int(c->now), db_int(c->max_tries)));
}

static enum store_status login_ticket_try(struct store *s, const char *token_hash, int64_t now, int max_tries,
                                          char user_id[ID_LEN + 1])
{
	/* In a transaction of its own, so the counted try is durable before the code is checked. */
	struct ticket_ctx c = {token_hash, now, max_tries, user_id};
	return tx_run(s, ticket_try_tx, &c);
}

static enum store_status login_ticket_delete(struct store *s, const char *token_hash)
{
	return db_write(db_of(s), &Q_TICKET_DELETE, DB_ARGS(db_text(token_hash)));
}

void store_two_step_init(struct store *s)
{
	s->two_step_get = two_step_get;
	s->two_step_begin = two_step_begin;
	s->two_step_confirm = two_step_confirm;
	s->two_step_use_step = two_step_use_step;
	s->recovery_code_use = recovery_code_use;
	s->two_step_delete = two_step_delete;
	s->login_ticket_insert = login_ticket_insert;
	s->login_ticket_try = login_ticket_try;
	s->login_ticket_delete = login_ticket_delete;
}
