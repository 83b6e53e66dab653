/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_cache.c - unit tests of src/http/cache.c, the cache of rendered
 * answers, and of the memo beneath it (src/util/memo.c): an answer comes back as it was kept; keys that differ in any
 * part never share an entry (cache_key too); the bound in bytes holds, the
 * least recently used goes first and an answer too big is not kept; every
 * entry that leaves is wiped; a cache that is off keeps nothing; threads
 * that share it always read whole, matching answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/cache.h"
#include "util/memo.h"
#include "util/util.h"
#include "../unit.h"

static size_t wiped, wiped_dirty;

/* The wipe hook: counts the entries freed, and those with any byte left. */
static void on_wipe(const void *entry, size_t size)
{
	wiped++;
	wiped_dirty += !all_zero(entry, size);
}

static int setup(void **state)
{
	(void)state;
	wiped = wiped_dirty = 0;
	memo_test_wipe_hook(on_wipe);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	memo_test_wipe_hook(NULL);
	return 0;
}

/* Keeps body (with an ETag) under key. */
static void put(struct memo *c, const char *key, const char *body)
{
	struct cache_answer a = {.status = 200,
	                         .content_type = "application/json; charset=utf-8",
	                         .etag = "\"e\"",
	                         .cache_control = "private, no-cache",
	                         .body = body,
	                         .body_len = strlen(body)};
	cache_put(c, key, strlen(key), &a);
}

/* The body kept under key (caller frees), or NULL on a miss. */
static char *get(struct memo *c, const char *key)
{
	struct arena *a = arena_new();
	struct buf b;
	buf_init(&b, 0);
	struct cache_answer out;
	char *body = NULL;
	if (cache_get(c, key, strlen(key), a, &b, &out))
		body = xstrndup(out.body, out.body_len);
	buf_cleanup(&b);
	arena_free(a);
	return body;
}

static void kept_as_it_was(void **state)
{
	(void)state;
	struct memo *c = memo_new(1 << 20, 4);
	put(c, "k1", "{\"items\":[]}");
	struct arena *a = arena_new();
	struct buf b;
	buf_init(&b, 0);
	struct cache_answer out;
	assert_true(cache_get(c, "k1", 2, a, &b, &out));
	assert_int_equal(out.status, 200);
	assert_string_equal(out.content_type, "application/json; charset=utf-8");
	assert_string_equal(out.etag, "\"e\"");
	assert_string_equal(out.cache_control, "private, no-cache");
	assert_int_equal(out.body_len, 12);
	assert_memory_equal(out.body, "{\"items\":[]}", 12);
	buf_cleanup(&b);
	arena_free(a);
	struct memo_stats st;
	memo_stats(c, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.entries, 1);
	memo_free(c);
	assert_int_equal(wiped, 1);
	assert_int_equal(wiped_dirty, 0);
}

static void keys_never_shared(void **state)
{
	(void)state;
	struct memo *c = memo_new(1 << 20, 4);
	put(c, "ab", "short");
	put(c, "abc", "longer");
	put(c, "abd", "other");
	char *x = get(c, "ab"), *y = get(c, "abc"), *z = get(c, "abd");
	assert_string_equal(x, "short");
	assert_string_equal(y, "longer");
	assert_string_equal(z, "other");
	assert_null(get(c, "a"));
	assert_null(get(c, "abcd"));
	free(x), free(y), free(z);
	/* The same key again replaces the answer and wipes the old one. */
	put(c, "ab", "newer");
	x = get(c, "ab");
	assert_string_equal(x, "newer");
	free(x);
	assert_int_equal(wiped, 1);
	memo_free(c);
	assert_int_equal(wiped, 4);
	assert_int_equal(wiped_dirty, 0);
}

/* A signed-in request for cache_key. */
static void request_for(struct request *r, struct param *q, size_t nq, const char *path)
{
	memset(r, 0, sizeof *r);
	r->path = path;
	r->query.items = q;
	r->query.count = nq;
	snprintf(r->viewer.session_hash, sizeof r->viewer.session_hash, "%064d", 1);
	snprintf(r->viewer.space_id, sizeof r->viewer.space_id, "space1");
	r->viewer.changes_space = 5;
	r->viewer.changes_own = 7;
}

static size_t key_of(const struct request *r, bool page, int64_t now, char *out)
{
	size_t n = cache_key(r, page, now, out, CACHE_KEY_MAX);
	assert_true(n > 0);
	out[n] = '\0';
	return n;
}

static void request_keys_differ_in_every_part(void **state)
{
	(void)state;
	struct param q[2] = {{"author", "all", 3}, {"limit", "20", 2}};
	struct request r;
	char base[CACHE_KEY_MAX + 1], k[CACHE_KEY_MAX + 1];
	request_for(&r, q, 2, "/api/v1/checkins");
	key_of(&r, false, 60000, base);
	key_of(&r, false, 60000 * 9, k);
	assert_string_equal(base, k); /* an API answer does not depend on the minute */
	key_of(&r, true, 60000, k);
	assert_string_not_equal(base, k);

	char page0[CACHE_KEY_MAX + 1];
	key_of(&r, true, 60000, page0);
	key_of(&r, true, 60000 + 59999, k);
	assert_string_equal(page0, k); /* the same minute */
	key_of(&r, true, 120000, k);
	assert_string_not_equal(page0, k); /* the next one */

	r.viewer.changes_space = 6;
	key_of(&r, false, 0, k);
	assert_string_not_equal(base, k);
	r.viewer.changes_space = 5;
	r.viewer.changes_own = 8;
	key_of(&r, false, 0, k);
	assert_string_not_equal(base, k);
	r.viewer.changes_own = 7;
	snprintf(r.viewer.session_hash, sizeof r.viewer.session_hash, "%064d", 2);
	key_of(&r, false, 0, k);
	assert_string_not_equal(base, k);
	snprintf(r.viewer.session_hash, sizeof r.viewer.session_hash, "%064d", 1);
	snprintf(r.viewer.space_id, sizeof r.viewer.space_id, "space2");
	key_of(&r, false, 0, k);
	assert_string_not_equal(base, k);
	snprintf(r.viewer.space_id, sizeof r.viewer.space_id, "space1");
	key_of(&r, false, 0, k);
	assert_string_equal(base, k);

	/* The query: another value, another order, or one value that looks like two parameters. */
	struct param q2[2] = {{"author", "me", 2}, {"limit", "20", 2}};
	request_for(&r, q2, 2, "/api/v1/checkins");
	key_of(&r, false, 0, k);
	assert_string_not_equal(base, k);
	struct param q3[2] = {{"limit", "20", 2}, {"author", "all", 3}};
	request_for(&r, q3, 2, "/api/v1/checkins");
	key_of(&r, false, 0, k);
	assert_string_not_equal(base, k);
	struct param q4[1] = {{"author", "all5:limit2:20", 14}};
	request_for(&r, q4, 1, "/api/v1/checkins");
	key_of(&r, false, 0, k);
	assert_string_not_equal(base, k);
	request_for(&r, q, 2, "/api/v1/checkins/x");
	key_of(&r, false, 0, k);
	assert_string_not_equal(base, k);

	/* A path too long for a key: not cached. */
	char *longpath = malloc(CACHE_KEY_MAX + 10);
	memset(longpath, 'a', CACHE_KEY_MAX + 9);
	longpath[CACHE_KEY_MAX + 9] = '\0';
	request_for(&r, NULL, 0, longpath);
	assert_int_equal(cache_key(&r, false, 0, k, CACHE_KEY_MAX), 0);
	free(longpath);
}

static void bound_in_bytes_least_recent_first(void **state)
{
	(void)state;
	/* One shard of 64 KiB; answers of 10 KB: six fit, with their keys and bookkeeping. */
	struct memo *c = memo_new(64 * 1024, 1);
	char *body = malloc(10001);
	memset(body, 'x', 10000);
	body[10000] = '\0';
	char key[16];
	for (int i = 0; i < 6; i++) {
		snprintf(key, sizeof key, "k%d", i);
		put(c, key, body);
	}
	struct memo_stats st;
	memo_stats(c, &st);
	assert_int_equal(st.entries, 6);
	assert_int_equal(st.evictions, 0);
	free(get(c, "k0")); /* k0 is now the most recently used; k1 the least */
	put(c, "k6", body);
	memo_stats(c, &st);
	assert_true(st.bytes <= 64 * 1024);
	assert_int_equal(st.evictions, 1);
	assert_int_equal(wiped, 1);
	char *got = get(c, "k1");
	assert_null(got);
	got = get(c, "k0");
	assert_non_null(got);
	free(got);
	for (int i = 7; i < 40; i++) {
		snprintf(key, sizeof key, "k%d", i);
		put(c, key, body);
		memo_stats(c, &st);
		assert_true(st.bytes <= 64 * 1024);
	}
	/* An answer bigger than the bound is not kept, and evicts nothing. */
	char *big = malloc(70001);
	memset(big, 'y', 70000);
	big[70000] = '\0';
	size_t before = st.entries;
	put(c, "big", big);
	assert_null(get(c, "big"));
	memo_stats(c, &st);
	assert_int_equal(st.entries, before);
	memo_free(c);
	assert_int_equal(wiped, 40 - 6 + 6); /* every entry that ever left, and those left at the end */
	assert_int_equal(wiped_dirty, 0);
	free(big);
	free(body);
}

static void cleared_wipes_everything(void **state)
{
	(void)state;
	struct memo *c = memo_new(1 << 20, 4);
	for (int i = 0; i < 20; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		put(c, key, "a text to forget");
	}
	memo_clear(c);
	assert_int_equal(wiped, 20);
	assert_int_equal(wiped_dirty, 0);
	struct memo_stats st;
	memo_stats(c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	assert_null(get(c, "k3"));
	/* Still a working cache afterwards. */
	put(c, "k3", "again");
	char *got = get(c, "k3");
	assert_string_equal(got, "again");
	free(got);
	memo_free(c);
	assert_int_equal(wiped, 21);
}

static void off_keeps_nothing(void **state)
{
	(void)state;
	struct memo *c = memo_new(0, 16);
	assert_null(c);
	put(c, "k", "v");
	assert_null(get(c, "k"));
	struct memo_stats st;
	memo_stats(c, &st);
	assert_int_equal(st.entries, 0);
	memo_free(c);
}

struct worker {
	struct memo *c;
	int id;
	int bad;
};

/* Puts and gets keys of its own and of the others: every answer must be the one of its key. */
static void *work(void *arg)
{
	struct worker *w = arg;
	char key[32], body[64];
	for (int i = 0; i < 4000; i++) {
		int n = (i * 7 + w->id) % 200;
		snprintf(key, sizeof key, "key-%d", n);
		snprintf(body, sizeof body, "body of %d", n);
		if (i % 3 == 0) {
			put(w->c, key, body);
		} else {
			char *got = get(w->c, key);
			if (got && strcmp(got, body) != 0)
				w->bad++;
			free(got);
		}
	}
	return NULL;
}

static void threads_read_whole_answers(void **state)
{
	(void)state;
	/* Small, so entries are evicted while others read. */
	struct memo *c = memo_new(8 * 1024, 4);
	pthread_t t[4];
	struct worker w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){c, i, 0};
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].bad, 0);
	}
	struct memo_stats st;
	memo_stats(c, &st);
	assert_true(st.bytes <= 8 * 1024);
	assert_true(st.evictions > 0);
	memo_free(c);
	assert_int_equal(wiped_dirty, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(kept_as_it_was, setup, teardown),
	    cmocka_unit_test_setup_teardown(keys_never_shared, setup, teardown),
	    cmocka_unit_test_setup_teardown(request_keys_differ_in_every_part, setup, teardown),
	    cmocka_unit_test_setup_teardown(bound_in_bytes_least_recent_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(cleared_wipes_everything, setup, teardown),
	    cmocka_unit_test_setup_teardown(off_keeps_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(threads_read_whole_answers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
