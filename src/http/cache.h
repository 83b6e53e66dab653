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
 * Cache-Control and the body, in a memo (util/memo.h) bounded by bytes
 * (three quarters of HEARTH_CACHE_MB; the opened values of domain/keyring.h
 * have the rest). The answers hold plaintext of sealed texts: an entry is
 * wiped (sodium_memzero) when it is evicted or replaced and when the cache
 * is freed, and nothing of it is ever written anywhere.
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

struct memo;

/* An answer as kept: the header strings NUL-terminated ("" when absent). */
struct cache_answer {
	int status;
	const char *content_type;
	const char *etag;
	const char *cache_control;
	const char *body;
	size_t body_len;
};

/*
 * The cache itself is a memo (util/memo.h: bounded by bytes, sharded, least
 * recently used first, every entry wiped when it leaves), made with
 * memo_new(bytes, CACHE_SHARDS); NULL is "off" below.
 *
 * cache_get looks key up. On a hit, copies the answer: the header strings
 * into arena a, the body appended to `body` (which must be empty); *out
 * points into them. True on a hit; false on a miss or when the body did not
 * fit `body`'s cap.
 */
bool cache_get(struct memo *c, const void *key, size_t key_len, struct arena *a, struct buf *body,
               struct cache_answer *out);
/*
 * Keeps a copy of the answer under key, replacing (and wiping) any entry of
 * the same key. An answer larger than a shard's share of the bound, or whose
 * key or a header is too long, is not kept.
 */
void cache_put(struct memo *c, const void *key, size_t key_len, const struct cache_answer *in);

/*
 * The cache key of a signed-in request into out (cap bytes): its length, or
 * 0 when the request must not be cached (too long a path). The one place
 * where the key is built: whatever a cached answer depends on is added here.
 */
size_t cache_key(const struct request *r, bool page, int64_t now, char *out, size_t cap);

#endif
