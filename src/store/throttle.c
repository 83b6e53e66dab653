/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * throttle.c - counting attempts for throttling in one step (see store.h,
 * "Throttling"). An attempt is counted before the password, code or sign-up
 * it guards is checked, in the same transaction that decided it may go
 * ahead, so no number of concurrent attempts can all see the count below
 * the limit: each one after the first waits for the one before to commit.
 *
 * The keys are keyed hashes made by domain/throttle.c; this file never sees
 * a username, an address or a cookie. Rows live in auth_failures (one per
 * key and attempt, with the attempt's id) and throttle_locks (one per key,
 * written first so that PostgreSQL holds its row lock until the count is
 * written; on SQLite the write transaction already orders the attempts).
 */
#include "store_internal.h"

#include <assert.h>
#include <sodium.h>
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)

DB_QUERY(Q_THROTTLE_LOCK, "INSERT INTO throttle_locks (key, at) VALUES (?1, ?2)"
                          " ON CONFLICT (key) DO UPDATE SET at = excluded.at");
DB_QUERY(Q_THROTTLE_COUNT, "SELECT count(*), COALESCE(min(at), 0) FROM auth_failures WHERE key = ?1 AND at > ?2");
DB_QUERY(Q_THROTTLE_ADD, "INSERT INTO auth_failures (key, at, attempt) VALUES (?1, ?2, ?3)");
DB_QUERY(Q_THROTTLE_FORGET, "DELETE FROM auth_failures WHERE attempt = ?1");
DB_QUERY(Q_THROTTLE_PRUNE_COUNTS, "DELETE FROM auth_failures WHERE at < ?1");
DB_QUERY(Q_THROTTLE_PRUNE_LOCKS, "DELETE FROM throttle_locks WHERE at < ?1");

struct take {
	const struct throttle_key *keys;
	int n;
	const char *attempt;
	int64_t now;
	int order[THROTTLE_KEYS_MAX]; /* the keys sorted, so two attempts lock them in the same order */
	struct throttle_verdict *out;
};

struct count_row {
	int64_t count, oldest;
};

static void read_count(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct count_row *c = item;
	c->count = db_col_int(st, 0);
	c->oldest = db_col_int(st, 1);
}

/* Locks every key, counts each in its window, and counts the attempt when all are below their limits. */
static enum store_status take_tx(struct db *d, void *ctx)
{
	struct take *t = ctx;
	enum store_status r = STORE_OK;
	t->out->refused = -1;
	t->out->oldest = 0;
	for (int i = 0; i < t->n && r == STORE_OK; i++)
		r = db_write(d, &Q_THROTTLE_LOCK, DB_ARGS(db_text(t->keys[t->order[i]].key), db_int(t->now)));
	for (int i = 0; i < t->n && r == STORE_OK; i++) {
		const struct throttle_key *k = &t->keys[i];
		struct count_row c = {0, 0};
		r = db_get(d, &Q_THROTTLE_COUNT, NULL, read_count, &c,
		           DB_ARGS(db_text(k->key), db_int(t->now - k->window_ms)));
		if (r == STORE_NOT_FOUND)
			r = STORE_ERROR; /* an aggregate always has a row */
		if (r == STORE_OK && c.count >= k->limit) {
			t->out->refused = i;
			t->out->oldest = c.oldest;
			return STORE_OK; /* nothing counted; the lock rows' times do not matter */
		}
	}
	for (int i = 0; i < t->n && r == STORE_OK; i++)
		r = db_write(d, &Q_THROTTLE_ADD, DB_ARGS(db_text(t->keys[i].key), db_int(t->now), db_text(t->attempt)));
	return r;
}

static enum store_status throttle_take(struct store *s, const struct throttle_key *keys, int n, const char *attempt,
                                       int64_t now, struct throttle_verdict *out)
{
	assert(keys && n > 0 && n <= THROTTLE_KEYS_MAX && attempt && *attempt && out);
	struct take t = {keys, n, attempt, now, {0}, out};
	for (int i = 0; i < n; i++) {
		int j = i;
		for (; j > 0 && strcmp(keys[t.order[j - 1]].key, keys[i].key) > 0; j--)
			t.order[j] = t.order[j - 1];
		t.order[j] = i;
	}
	enum store_status r = tx_run(s, take_tx, &t);
	/* Forget counts and locks older than a day now and then, so the tables stay small. */
	if (r == STORE_OK && randombytes_uniform(64) == 0) {
		enum store_status pr = db_write(db_of(s), &Q_THROTTLE_PRUNE_COUNTS, DB_ARGS(db_int(now - DAY_MS)));
		if (pr == STORE_OK)
			pr = db_write(db_of(s), &Q_THROTTLE_PRUNE_LOCKS, DB_ARGS(db_int(now - DAY_MS)));
		(void)pr; /* best effort: the attempt was decided */
	}
	return r;
}

static enum store_status throttle_forget(struct store *s, const char *attempt)
{
	assert(attempt && *attempt);
	return db_write(db_of(s), &Q_THROTTLE_FORGET, DB_ARGS(db_text(attempt)));
}

void store_throttle_init(struct store *s)
{
	s->throttle_take = throttle_take;
	s->throttle_forget = throttle_forget;
}
