/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cache.c - the bounded cache of rendered answers (see cache.h).
 *
 * Layout: the cache is a fixed array of shards; a key's SipHash (keyed with
 * random bytes at start, so nobody can aim many keys at one chain) picks its
 * shard and its bucket. Each shard has its own mutex, a chained hash table
 * of a fixed number of buckets, a least-recently-used list (newest at the
 * head) and its own share of the byte bound. An entry is one allocation: the
 * bookkeeping, then the key, the three header strings and the body. Its size
 * as counted is that whole allocation. Every entry that leaves (evicted,
 * replaced, or at cache_free) is wiped with sodium_memzero before it is freed.
 */
#include "cache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

struct entry {
	struct entry *chain;         /* the next entry of the same bucket */
	struct entry *newer, *older; /* the shard's LRU list */
	uint64_t hash;
	size_t size; /* the whole allocation, as counted against the bound */
	size_t key_len, body_len;
	int status;
	unsigned short type_len, etag_len, control_len;
	char data[]; /* key, content type NUL, etag NUL, cache control NUL, body NUL */
};

struct shard {
	pthread_mutex_t lock;
	struct entry **buckets;
	size_t bucket_mask;
	struct entry *newest, *oldest;
	size_t bytes, budget, count;
};

struct cache {
	unsigned shard_count;
	struct shard *shards;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	size_t max_bytes;
	atomic_uint_fast64_t hits, misses, stores, evictions;
};

/* An answer's header values are short; a longer one is not kept. */
#define HEADER_VALUE_MAX 256
/* Buckets per shard: about one per this many bytes of its budget (a page is 5-20 KB). */
#define BYTES_PER_BUCKET 4096

struct cache *cache_new(size_t max_bytes, unsigned shards)
{
	if (max_bytes == 0)
		return NULL;
	if (shards == 0)
		shards = 1;
	struct cache *c = xcalloc(1, sizeof *c);
	c->shard_count = shards;
	c->max_bytes = max_bytes;
	c->shards = xcalloc(shards, sizeof *c->shards);
	randombytes_buf(c->hash_key, sizeof c->hash_key);
	size_t budget = max_bytes / shards;
	size_t buckets = 16;
	while (buckets < budget / BYTES_PER_BUCKET && buckets < (1u << 20))
		buckets *= 2;
	for (unsigned i = 0; i < shards; i++) {
		struct shard *s = &c->shards[i];
		pthread_mutex_init(&s->lock, NULL);
		s->buckets = xcalloc(buckets, sizeof *s->buckets);
		s->bucket_mask = buckets - 1;
		s->budget = budget;
	}
	return c;
}

static void (*wipe_hook)(const void *entry, size_t size);

void cache_test_wipe_hook(void (*hook)(const void *entry, size_t size))
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

void cache_free(struct cache *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->shard_count; i++) {
		struct shard *s = &c->shards[i];
		pthread_mutex_lock(&s->lock);
		for (struct entry *e = s->newest, *next; e; e = next) {
			next = e->older;
			entry_free(e);
		}
		free(s->buckets);
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_destroy(&s->lock);
	}
	free(c->shards);
	sodium_memzero(c->hash_key, sizeof c->hash_key);
	free(c);
}

static uint64_t key_hash(const struct cache *c, const void *key, size_t key_len)
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, key, key_len, c->hash_key);
	uint64_t v;
	memcpy(&v, h, sizeof v);
	return v;
}

static struct shard *shard_of(struct cache *c, uint64_t hash)
{
	return &c->shards[(hash >> 48) % c->shard_count];
}

/* The entry of key in s, and where it is chained from; NULL when absent. Under the lock. */
static struct entry *find(struct shard *s, uint64_t hash, const void *key, size_t key_len, struct entry ***link)
{
	struct entry **at = &s->buckets[hash & s->bucket_mask];
	for (; *at; at = &(*at)->chain) {
		struct entry *e = *at;
		if (e->hash == hash && e->key_len == key_len && memcmp(e->data, key, key_len) == 0) {
			if (link)
				*link = at;
			return e;
		}
	}
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

bool cache_get(struct cache *c, const void *key, size_t key_len, struct arena *a, struct buf *body,
               struct cache_answer *out)
{
	if (!c)
		return false;
	uint64_t hash = key_hash(c, key, key_len);
	struct shard *s = shard_of(c, hash);
	bool hit = false;
	pthread_mutex_lock(&s->lock);
	struct entry *e = find(s, hash, key, key_len, NULL);
	if (e &&
	    buf_append(body, e->data + key_len + e->type_len + e->etag_len + e->control_len + 3, e->body_len) == 0) {
		const char *p = e->data + key_len;
		out->status = e->status;
		out->content_type = arena_strndup(a, p, e->type_len);
		p += e->type_len + 1;
		out->etag = arena_strndup(a, p, e->etag_len);
		p += e->etag_len + 1;
		out->cache_control = arena_strndup(a, p, e->control_len);
		out->body = body->data;
		out->body_len = body->len;
		lru_unlink(s, e);
		lru_push(s, e);
		hit = true;
	}
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add(hit ? &c->hits : &c->misses, 1);
	return hit;
}

void cache_put(struct cache *c, const void *key, size_t key_len, const struct cache_answer *in)
{
	if (!c)
		return;
	const char *type = in->content_type ? in->content_type : "", *etag = in->etag ? in->etag : "",
	           *control = in->cache_control ? in->cache_control : "";
	size_t type_len = strlen(type), etag_len = strlen(etag), control_len = strlen(control);
	if (type_len > HEADER_VALUE_MAX || etag_len > HEADER_VALUE_MAX || control_len > HEADER_VALUE_MAX ||
	    key_len > CACHE_KEY_MAX)
		return;
	size_t size = sizeof(struct entry) + key_len + type_len + etag_len + control_len + in->body_len + 4;
	uint64_t hash = key_hash(c, key, key_len);
	struct shard *s = shard_of(c, hash);
	if (size > s->budget)
		return;
	/* Built outside the lock; only linking it in is under it. */
	struct entry *e = xmalloc(size);
	*e = (struct entry){.hash = hash,
	                    .size = size,
	                    .key_len = key_len,
	                    .body_len = in->body_len,
	                    .status = in->status,
	                    .type_len = (unsigned short)type_len,
	                    .etag_len = (unsigned short)etag_len,
	                    .control_len = (unsigned short)control_len};
	char *p = e->data;
	memcpy(p, key, key_len);
	p += key_len;
	memcpy(p, type, type_len + 1);
	p += type_len + 1;
	memcpy(p, etag, etag_len + 1);
	p += etag_len + 1;
	memcpy(p, control, control_len + 1);
	p += control_len + 1;
	if (in->body_len)
		memcpy(p, in->body, in->body_len);
	p[in->body_len] = '\0';
	uint64_t evicted = 0;
	pthread_mutex_lock(&s->lock);
	struct entry *old = find(s, hash, key, key_len, NULL);
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
	atomic_fetch_add(&c->stores, 1);
	if (evicted)
		atomic_fetch_add(&c->evictions, evicted);
}

void cache_stats(const struct cache *c, struct cache_stats *out)
{
	*out = (struct cache_stats){0};
	if (!c)
		return;
	out->hits = atomic_load(&c->hits);
	out->misses = atomic_load(&c->misses);
	out->stores = atomic_load(&c->stores);
	out->evictions = atomic_load(&c->evictions);
	out->max_bytes = c->max_bytes;
	for (unsigned i = 0; i < c->shard_count; i++) {
		struct shard *s = &c->shards[i];
		pthread_mutex_lock(&s->lock);
		out->entries += s->count;
		out->bytes += s->bytes;
		pthread_mutex_unlock(&s->lock);
	}
}

/* Appends "LEN:TEXT" so no part can run into the next, whatever bytes it holds. */
static int key_part(struct buf *b, const char *s, size_t n)
{
	return buf_printf(b, "%zu:", n) || buf_append(b, s, n) ? -1 : 0;
}

size_t cache_key(const struct request *r, bool page, int64_t now, char *out, size_t cap)
{
	const struct viewer *v = &r->viewer;
	struct buf b;
	buf_init(&b, cap - 1);
	/*
	 * Everything the answer depends on. The session (a page carries its CSRF
	 * token; two sessions of one person never share an entry), the space and
	 * both change counters (migration 030: raised by every write to what this
	 * person reads), the current minute for a page (its "Today, 20:14" and
	 * relative words; an API answer carries times, not words), the reader's
	 * language (issue 16: the same session may send another Accept-Language;
	 * the API's content follows it too), the path and the query in their order.
	 */
	int rc = buf_printf(&b, "1|%s|%s|%lld|%lld|%lld|", v->session_hash, v->space_id, (long long)v->changes_space,
	                    (long long)v->changes_own, page ? (long long)(now / 60000) : -1LL);
	rc = rc || buf_printf(&b, "%d|", (int)r->lang);
	rc = rc || key_part(&b, r->path, strlen(r->path));
	for (size_t i = 0; i < r->query.count && !rc; i++)
		rc = key_part(&b, r->query.items[i].name, strlen(r->query.items[i].name)) ||
		     key_part(&b, r->query.items[i].value, r->query.items[i].value_len);
	size_t n = 0;
	if (!rc && b.len < cap) {
		memcpy(out, b.data, b.len);
		n = b.len;
	}
	buf_cleanup(&b);
	return n;
}
