/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * memo.h - a bounded in-memory map from byte keys to byte values, for what
 * is costly to make again and may hold plaintext of sealed texts (issue 18):
 * the rendered answers of http/cache.h and the opened values of
 * domain/keyring.h each keep one.
 *
 * It is bounded by bytes (each entry counted whole: bookkeeping, key and
 * value) and evicts the least recently used entry of a shard first. The
 * shards each have their own lock, so threads asking for different keys
 * rarely wait on one another. Every entry that leaves (evicted, replaced,
 * cleared, or when the memo is freed) is wiped with sodium_memzero before it
 * is freed, and nothing of it is ever written anywhere.
 */
#ifndef HEARTH_MEMO_H
#define HEARTH_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct memo;

/* Counters for /metrics and the tests; read without the locks (approximate while serving). */
struct memo_stats {
	uint64_t hits, misses, stores, evictions;
	size_t entries, bytes, max_bytes;
};

/*
 * A memo of at most max_bytes, in `shards` shards (at least 1). NULL when
 * max_bytes is 0: nothing is kept, and every function below accepts NULL as
 * "off". Freed with memo_free.
 */
struct memo *memo_new(size_t max_bytes, unsigned shards);
/* Wipes every entry and frees the memo; NULL is fine. */
void memo_free(struct memo *m);

/*
 * Looks key up. On a hit, calls take(ctx, value, len) under the shard's
 * lock (value stays valid only during the call; it is followed by a NUL not
 * counted in len) and returns what take returned: true for a hit, false when
 * take could not use it (then counted as a miss). False on a miss.
 */
bool memo_get(struct memo *m, const void *key, size_t key_len, bool (*take)(void *ctx, const char *value, size_t len),
              void *ctx);
/*
 * Keeps a copy of value under key, replacing (and wiping) any entry of the
 * same key, evicting the least recently used of the shard to make room. A
 * value larger than a shard's share of the bound is not kept.
 */
void memo_put(struct memo *m, const void *key, size_t key_len, const void *value, size_t len);
/* The same, with the value given in parts, one after the other (so a caller need not join them first). */
void memo_putv(struct memo *m, const void *key, size_t key_len, const struct iovec *parts, int count);
/* Wipes and drops every entry (what an account's deletion asks for). */
void memo_clear(struct memo *m);
void memo_stats(const struct memo *m, struct memo_stats *out);
/*
 * For the unit tests: called with each entry's memory after it is wiped and
 * just before it is freed, so a test can see that nothing of it is left.
 * Process-wide; NULL (the default) calls nothing.
 */
void memo_test_wipe_hook(void (*hook)(const void *entry, size_t size));

#endif
