/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * memo.c - the bounded, wiped in-memory map (see memo.h).
 *
 * Layout: a fixed array of shards; a key's SipHash (keyed with random bytes
 * at start, so nobody can aim many keys at one chain) picks its shard and its
 * bucket. Each shard has its own mutex, a chained hash table of a fixed
 * number of buckets, a least-recently-used list (newest at the head) and its
 * own share of the byte bound. An entry is one allocation: the bookkeeping,
 * then the key, then the value and a NUL. Its size as counted is that whole
 * allocation.
 */
#include "memo.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

#include "util.h"

struct entry {
	struct entry *chain;         /* the next entry of the same bucket */
	struct entry *newer, *older; /* the shard's LRU list */
	uint64_t hash;
	size_t size; /* the whole allocation, as counted against the bound */
	size_t key_len, value_len;
	char data[]; /* key, value, NUL */
};

struct shard {
	pthread_mutex_t lock;
	struct entry **buckets;
	size_t bucket_mask;
	struct entry *newest, *oldest;
	size_t bytes, budget, count;
};

struct memo {
	unsigned shard_count;
	struct shard *shards;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	size_t max_bytes;
	atomic_uint_fast64_t hits, misses, stores, evictions;
};

/*
 * Buckets per shard: one per this many bytes of its budget, about the size
 * of the smallest entries (an opened value, with its key and bookkeeping),
 * so chains stay short even when the shard is full of them: each step of a
 * chain is a cache miss (a profile of the mixed run found 4 % of the CPU in
 * the lookup at one per 1,024 bytes).
 */
#define BYTES_PER_BUCKET 256

struct memo *memo_new(size_t max_bytes, unsigned shards)
{
	if (max_bytes == 0)
		return NULL;
	if (shards == 0)
		shards = 1;
	struct memo *m = xcalloc(1, sizeof *m);
	m->shard_count = shards;
	m->max_bytes = max_bytes;
	m->shards = xcalloc(shards, sizeof *m->shards);
	randombytes_buf(m->hash_key, sizeof m->hash_key);
	size_t budget = max_bytes / shards;
	size_t buckets = 16;
	while (buckets < budget / BYTES_PER_BUCKET && buckets < (1u << 20))
		buckets *= 2;
	for (unsigned i = 0; i < shards; i++) {
		struct shard *s = &m->shards[i];
		pthread_mutex_init(&s->lock, NULL);
		s->buckets = xcalloc(buckets, sizeof *s->buckets);
		s->bucket_mask = buckets - 1;
		s->budget = budget;
	}
	return m;
}

static void (*wipe_hook)(const void *entry, size_t size);

void memo_test_wipe_hook(void (*hook)(const void *entry, size_t size))
{
	wipe_hook = hook;
}

/* Wipes and frees one entry that is no longer reachable. */
static void entry_free(struct entry *e)
{
	size_t size = e->size;
	sodium_memzero(e, size);
	if (wipe_hook)
		wipe_hook(e, size);
	free(e);
}

/* Wipes every entry of s and empties it. Under the lock. */
static void shard_empty(struct shard *s)
{
	for (struct entry *e = s->newest, *next; e; e = next) {
		next = e->older;
		entry_free(e);
	}
	memset(s->buckets, 0, (s->bucket_mask + 1) * sizeof *s->buckets);
	s->newest = s->oldest = NULL;
	s->bytes = s->count = 0;
}

void memo_clear(struct memo *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->shard_count; i++) {
		struct shard *s = &m->shards[i];
		pthread_mutex_lock(&s->lock);
		shard_empty(s);
		pthread_mutex_unlock(&s->lock);
	}
}

void memo_free(struct memo *m)
{
	if (!m)
		return;
	memo_clear(m);
	for (unsigned i = 0; i < m->shard_count; i++) {
		free(m->shards[i].buckets);
		pthread_mutex_destroy(&m->shards[i].lock);
	}
	free(m->shards);
	sodium_memzero(m->hash_key, sizeof m->hash_key);
	free(m);
}

static uint64_t key_hash(const struct memo *m, const void *key, size_t key_len)
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, key, key_len, m->hash_key);
	uint64_t v;
	memcpy(&v, h, sizeof v);
	return v;
}

static struct shard *shard_of(struct memo *m, uint64_t hash)
{
	return &m->shards[(hash >> 48) % m->shard_count];
}

/* The entry of key in s; NULL when absent. Under the lock. */
static struct entry *find(struct shard *s, uint64_t hash, const void *key, size_t key_len)
{
	for (struct entry *e = s->buckets[hash & s->bucket_mask]; e; e = e->chain)
		if (e->hash == hash && e->key_len == key_len && memcmp(e->data, key, key_len) == 0)
			return e;
	return NULL;
}

static void lru_unlink(struct shard *s, struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		s->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		s->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void lru_push(struct shard *s, struct entry *e)
{
	e->newer = NULL;
	e->older = s->newest;
	if (s->newest)
		s->newest->newer = e;
	s->newest = e;
	if (!s->oldest)
		s->oldest = e;
}

/* Takes e out of the shard (chain, list, counts) and wipes it. Under the lock. */
static void remove_entry(struct shard *s, struct entry *e)
{
	struct entry **at = &s->buckets[e->hash & s->bucket_mask];
	while (*at != e)
		at = &(*at)->chain;
	*at = e->chain;
	lru_unlink(s, e);
	s->bytes -= e->size;
	s->count--;
	entry_free(e);
}

bool memo_get(struct memo *m, const void *key, size_t key_len, bool (*take)(void *ctx, const char *value, size_t len),
              void *ctx)
{
	if (!m)
		return false;
	uint64_t hash = key_hash(m, key, key_len);
	struct shard *s = shard_of(m, hash);
	bool hit = false;
	pthread_mutex_lock(&s->lock);
	struct entry *e = find(s, hash, key, key_len);
	if (e && take(ctx, e->data + key_len, e->value_len)) {
		lru_unlink(s, e);
		lru_push(s, e);
		hit = true;
	}
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add(hit ? &m->hits : &m->misses, 1);
	return hit;
}

void memo_put(struct memo *m, const void *key, size_t key_len, const void *value, size_t len)
{
	struct iovec part = {.iov_base = (void *)value, .iov_len = len};
	memo_putv(m, key, key_len, &part, 1);
}

void memo_putv(struct memo *m, const void *key, size_t key_len, const struct iovec *parts, int count)
{
	if (!m)
		return;
	size_t len = 0;
	for (int i = 0; i < count; i++)
		len += parts[i].iov_len;
	size_t size = sizeof(struct entry) + key_len + len + 1;
	uint64_t hash = key_hash(m, key, key_len);
	struct shard *s = shard_of(m, hash);
	if (size > s->budget)
		return;
	/* Built outside the lock; only linking it in is under it. */
	struct entry *e = xmalloc(size);
	*e = (struct entry){.hash = hash, .size = size, .key_len = key_len, .value_len = len};
	memcpy(e->data, key, key_len);
	char *p = e->data + key_len;
	for (int i = 0; i < count; i++) {
		if (parts[i].iov_len)
			memcpy(p, parts[i].iov_base, parts[i].iov_len);
		p += parts[i].iov_len;
	}
	*p = '\0';
	uint64_t evicted = 0;
	pthread_mutex_lock(&s->lock);
	struct entry *old = find(s, hash, key, key_len);
	if (old)
		remove_entry(s, old);
	while (s->oldest && s->bytes + size > s->budget) {
		remove_entry(s, s->oldest);
		evicted++;
	}
	struct entry **bucket = &s->buckets[hash & s->bucket_mask];
	e->chain = *bucket;
	*bucket = e;
	lru_push(s, e);
	s->bytes += size;
	s->count++;
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add(&m->stores, 1);
	if (evicted)
		atomic_fetch_add(&m->evictions, evicted);
}

void memo_stats(const struct memo *m, struct memo_stats *out)
{
	*out = (struct memo_stats){0};
	if (!m)
		return;
	out->hits = atomic_load(&m->hits);
	out->misses = atomic_load(&m->misses);
	out->stores = atomic_load(&m->stores);
	out->evictions = atomic_load(&m->evictions);
	out->max_bytes = m->max_bytes;
	for (unsigned i = 0; i < m->shard_count; i++) {
		struct shard *s = &m->shards[i];
		pthread_mutex_lock(&s->lock);
		out->entries += s->count;
		out->bytes += s->bytes;
		pthread_mutex_unlock(&s->lock);
	}
}
