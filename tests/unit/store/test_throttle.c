/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_throttle.c - unit tests for counting attempts in one step
 * (src/store/throttle.c) on both databases: counts under the limit, a
 * refusal that names the key at its limit and its oldest count, the window,
 * several keys counted together or not at all, taking back one attempt, and
 * concurrent takes on one key from eight threads (each with its own
 * connection) that never count past the limit.
 */
#include "store_test.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MINUTE (60LL * 1000)
#define WINDOW (15 * MINUTE)

static void key_new(char *out, size_t n, const char *kind)
{
	char id[ID_LEN + 1];
	store_test_id(id);
	snprintf(out, n, "%s:%s", kind, id);
}

static int take(const struct throttle_key *keys, int n, int64_t now, int64_t *oldest)
{
	char attempt[ID_LEN + 1];
	store_test_id(attempt);
	struct throttle_verdict v = {99, 99};
	assert_int_equal(store_test->throttle_take(store_test, keys, n, attempt, now, &v), STORE_OK);
	if (oldest)
		*oldest = v.oldest;
	return v.refused;
}

static void test_limit_and_window(void **state)
{
	(void)state;
	char key[64];
	key_new(key, sizeof key, "u");
	struct throttle_key k = {key, 3, WINDOW};
	int64_t t0 = 1000 * MINUTE, oldest = 0;
	assert_int_equal(take(&k, 1, t0, NULL), -1);
	assert_int_equal(take(&k, 1, t0 + MINUTE, NULL), -1);
	assert_int_equal(take(&k, 1, t0 + 2 * MINUTE, NULL), -1);
	assert_int_equal(take(&k, 1, t0 + 3 * MINUTE, &oldest), 0);
	assert_true(oldest == t0);
	/* A refused attempt is not counted: once the first count leaves the window, one more goes. */
	assert_int_equal(take(&k, 1, t0 + WINDOW - 1, NULL), 0); /* the window is (now - 15 min, now] */
	assert_int_equal(take(&k, 1, t0 + WINDOW, NULL), -1);
	assert_int_equal(take(&k, 1, t0 + WINDOW + 1, &oldest), 0);
	assert_true(oldest == t0 + MINUTE);
}

static void test_several_keys(void **state)
{
	(void)state;
	char user[64], addr[64];
	key_new(user, sizeof user, "u");
	key_new(addr, sizeof addr, "a");
	struct throttle_key keys[2] = {{addr, 5, WINDOW}, {user, 2, WINDOW}};
	int64_t now = 2000 * MINUTE;
	assert_int_equal(take(keys, 2, now, NULL), -1);
	assert_int_equal(take(keys, 2, now + 1, NULL), -1);
	assert_int_equal(take(keys, 2, now + 2, NULL), 1); /* the user key is at its limit */
	/* Nothing was counted under the address for the refused attempt: three more go there alone. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(take(&keys[0], 1, now + 3 + i, NULL), -1);
	assert_int_equal(take(&keys[0], 1, now + 10, NULL), 0);
}

static void test_forget(void **state)
{
	(void)state;
	struct store *s = store_test;
	char user[64], addr[64], attempt[ID_LEN + 1];
	key_new(user, sizeof user, "u");
	key_new(addr, sizeof addr, "a");
	struct throttle_key keys[2] = {{user, 1, WINDOW}, {addr, 1, WINDOW}};
	int64_t now = 3000 * MINUTE;
	store_test_id(attempt);
	struct throttle_verdict v;
	assert_int_equal(s->throttle_take(s, keys, 2, attempt, now, &v), STORE_OK);
	assert_int_equal(v.refused, -1);
	assert_int_equal(take(keys, 2, now + 1, NULL), 0);
	assert_int_equal(s->throttle_forget(s, attempt), STORE_OK);
	assert_int_equal(take(keys, 2, now + 2, NULL), -1);
	/* Forgetting an attempt that counted nothing changes nothing. */
	store_test_id(attempt);
	assert_int_equal(s->throttle_forget(s, attempt), STORE_OK);
	assert_int_equal(take(keys, 2, now + 3, NULL), 0);
	/* The failure counters of before still clear a key as a whole. */
	assert_int_equal(s->failure_clear(s, user), STORE_OK);
	assert_int_equal(s->failure_clear(s, addr), STORE_OK);
	assert_int_equal(take(keys, 2, now + 4, NULL), -1);
}

#define RACERS 8

struct racer {
	const char *key;
	int64_t now;
	int refused;
	enum store_status st;
};

static pthread_barrier_t start;

static void *race(void *arg)
{
	struct racer *r = arg;
	struct throttle_key k = {r->key, 10, WINDOW};
	char attempt[ID_LEN + 1];
	store_test_id(attempt);
	struct throttle_verdict v = {99, 0};
	/* Connected before the start, so the takes overlap rather than the connects. */
	enum store_status up = store_test->ping(store_test);
	assert_int_equal(up, STORE_OK);
	pthread_barrier_wait(&start);
	r->st = store_test->throttle_take(store_test, &k, 1, attempt, r->now, &v);
	r->refused = v.refused;
	store_test->thread_done(store_test);
	return NULL;
}

/* Nine failures, then eight attempts at once: exactly one more is counted (ten in all). */
static void test_concurrent(void **state)
{
	(void)state;
	char key[64];
	key_new(key, sizeof key, "u");
	struct throttle_key k = {key, 10, WINDOW};
	int64_t now = 4000 * MINUTE;
	for (int i = 0; i < 9; i++)
		assert_int_equal(take(&k, 1, now + i, NULL), -1);
	struct racer racers[RACERS];
	pthread_t threads[RACERS];
	pthread_barrier_init(&start, NULL, RACERS);
	for (int i = 0; i < RACERS; i++) {
		racers[i] = (struct racer){key, now + 100, 99, STORE_ERROR};
		assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
	}
	int counted = 0;
	for (int i = 0; i < RACERS; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(racers[i].st, STORE_OK);
		counted += racers[i].refused == -1;
	}
	pthread_barrier_destroy(&start);
	assert_int_equal(counted, 1);
	assert_int_equal(take(&k, 1, now + 200, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_limit_and_window),
	    cmocka_unit_test(test_several_keys),
	    cmocka_unit_test(test_forget),
	    cmocka_unit_test(test_concurrent),
	};
	return STORE_TEST_MAIN("test_throttle", tests);
}
