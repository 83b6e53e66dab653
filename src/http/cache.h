/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cache.h - a bounded in-memory cache of rendered answers (issue 18): the
 * check-in list and the dashboard of a member, kept so that a repeated read
 * of unchanged data costs a lookup and a copy instead of SQL, decryption and
 * rendering.
 *
 * An entry is found by a key that names everything the answer depends on
 * (cache_key): the session (a page carries the session's CSRF token), the
 * full path with its query, the space and the change counters of the space
 * and of the person (migration 030, read with the session; every write that
 * changes what the person reads raises one of them, by database triggers,
 * whichever server process writes), for a page also the current minute (a
 * page says "Today, 20:14" or "3 minutes ago"; the minute bounds how stale
 * such words get), and the reader's language. A write never has to find
 * the entries it makes stale: they are no longer asked for, and age out.
 *
 * What is kept: the status (only 200 is kept), Content-Type, ETag,
 * Cache-Control and the body. The cache is bounded by bytes (HEARTH_CACHE_MB)
 * and evicts the least recently used entry of a shard first. The shards each
 * have their own lock, so threads serving different keys rarely wait on one
 * another. The answers hold plaintext of sealed texts: an entry is wiped
 * (sodium_memzero) when it is evicted or replaced and when the cache is freed,
 * and nothing of it is ever written anywhere.
 *
 * A logout or an ended session needs nothing here: the session is still read
 * on every request before the cache is asked (app/router.c), so an ended one
 * answers 401 or the sign-in page as before, and its entries age out.
 */
#ifndef HEARTH_CACHE_H
#define HEARTH_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"

/* HEARTH_CACHE_MB's default and its upper bound. */
#define CACHE_MB_DEFAULT 8
#define CACHE_MB_MAX 4096
/* Shards of the cache, each with its own lock: more than the threads that serve. */
#define CACHE_SHARDS 16
/* Keys longer than this are not cached (the path with its query is most of it). */
#define CACHE_KEY_MAX 2048

struct cache;

/* An answer as kept: the header strings NUL-terminated ("" when absent). */
struct cache_answer {
	int status;
	const char *content_type;
	const char *etag;
	const char *cache_control;
	const char *body;
	size_t body_len;
};

/* Counters for /metrics and the tests; read without the locks (approximate while serving). */
struct cache_stats {
	uint64_t hits, misses, stores, evictions;
	size_t entries, bytes, max_bytes;
};

/*
 * A cache of at most max_bytes (entries, keys and bookkeeping counted), in
 * `shards` shards (at least 1). NULL when max_bytes is 0: no cache, and every
 * function below accepts NULL as "off". Freed with cache_free.
 */
struct cache *cache_new(size_t max_bytes, unsigned shards);
/* Wipes every entry (sodium_memzero) and frees the cache; NULL is fine. */
void cache_free(struct cache *c);

/*
 * Looks key up. On a hit, copies the answer: the header strings into arena
 * a, the body appended to `body` (which must be empty); *out points into
 * them. True on a hit; false on a miss or when the body did not fit `body`'s cap.
 */
bool cache_get(struct cache *c, const void *key, size_t key_len, struct arena *a, struct buf *body,
               struct cache_answer *out);
/*
 * Keeps a copy of the answer under key, replacing (and wiping) any entry of
 * the same key, evicting the least recently used of the shard to make room.
 * An answer larger than a shard's share of the bound is not kept.
 */
void cache_put(struct cache *c, const void *key, size_t key_len, const struct cache_answer *in);
void cache_stats(const struct cache *c, struct cache_stats *out);
/*
 * For the unit tests: called with each entry's memory after it is wiped and
 * just before it is freed, so a test can see that nothing of it is left.
 * Process-wide; NULL (the default) calls nothing.
 */
void cache_test_wipe_hook(void (*hook)(const void *entry, size_t size));

/*
 * The cache key of a signed-in request into out (cap bytes): its length, or
 * 0 when the request must not be cached (too long a path). The one place
 * where the key is built: whatever a cached answer depends on is added here.
 */
size_t cache_key(const struct request *r, bool page, int64_t now, char *out, size_t cap);

#endif
