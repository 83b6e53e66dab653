/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * keyring.c - master key file, data keys, sealing and opening texts
 * (see keyring.h).
 *
 * Unwrapped data keys are cached in memory from sodium_malloc (guarded,
 * locked where the system allows), behind a read-write lock: lookups, one
 * for every value opened, share it; adding a key excludes them. It holds at most
 * CACHE_MAX keys and is simply emptied when full.
 */
#include "keyring.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/memo.h"
#include "../util/progress.h"

#define KEY_BYTES 32
#define MASTER_ID_LEN 16
#define CACHE_MAX 1024
#define FILE_MAGIC "hearth-master-key-v1 "

struct master {
	bool present;
	char id[MASTER_ID_LEN + 1];
	unsigned char key[KEY_BYTES];
};

struct cached_key {
	char id[ID_LEN + 1];
	char scope[ID_LEN + 1];
	unsigned char key[KEY_BYTES];
};

struct secrets {
	struct master masters[2]; /* [0] the key file, [1] a pending rotation's PATH.new */
	struct cached_key cache[CACHE_MAX];
};

#define INDEX_SIZE (CACHE_MAX * 4) /* open addressing; a power of two */

struct keyring {
	/* Lookups of the cache share it (every value opened looks a key up); adding a key excludes them. */
	pthread_rwlock_t lock;
	struct secrets *sec; /* sodium_malloc */
	int cached;
	/* Cache slot + 1 by id and by scope (0 = empty), so a lookup costs a hash, not a scan. */
	uint16_t by_id[INDEX_SIZE], by_scope[INDEX_SIZE];
	struct memo *opened; /* what was opened, by associated data and sealed text (keyring_remember); NULL: off */
};

static uint32_t hash_text(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The cache slot holding this id (or scope), or -1. Caller holds the lock. */
static int index_find(const struct keyring *k, const uint16_t *index, const char *key, bool scope)
{
	for (uint32_t i = hash_text(key) & (INDEX_SIZE - 1), n = 0; n < INDEX_SIZE;
	     i = (i + 1) & (INDEX_SIZE - 1), n++) {
		if (!index[i])
			return -1;
		const struct cached_key *c = &k->sec->cache[index[i] - 1];
		if (strcmp(scope ? c->scope : c->id, key) == 0)
			return index[i] - 1;
	}
	return -1;
}

static void index_add(uint16_t *index, const char *key, int slot)
{
	uint32_t i = hash_text(key) & (INDEX_SIZE - 1);
	while (index[i])
		i = (i + 1) & (INDEX_SIZE - 1);
	index[i] = (uint16_t)(slot + 1);
}

static void master_id(const unsigned char key[KEY_BYTES], char out[MASTER_ID_LEN + 1])
{
	unsigned char h[MASTER_ID_LEN / 2];
	static const char label[] = "hearth-master-id";
	crypto_generichash(h, sizeof h, (const unsigned char *)label, sizeof label - 1, key, KEY_BYTES);
	hex_encode(h, sizeof h, out);
}

/*
 * Refuses a key file that others could read or change, as ssh refuses a
 * private key: whoever reads it reads every sealed text. 0, or -1 with errno
 * EACCES and the chmod that fixes it in err.
 */
static int check_key_mode(FILE *f, const char *path, char *err, size_t err_len)
{
	struct stat st;
	if (fstat(fileno(f), &st) != 0) {
		snprintf(err, err_len, "cannot read key file %s: %s", path, strerror(errno));
		return -1;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0)
		return 0;
	snprintf(err, err_len,
	         "key file %s is open to other users (mode %03o); it must be readable by its owner alone:"
	         " run chmod 600 %s",
	         path, (unsigned)(st.st_mode & 0777), path);
	errno = EACCES;
	return -1;
}

/* Reads a key file; 0 ok, -1 missing (errno ENOENT), open to others (EACCES) or malformed. */
static int read_key_file(const char *path, struct master *m, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno != ENOENT)
			snprintf(err, err_len, "cannot read key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (check_key_mode(f, path, err, err_len) < 0) {
		fclose(f);
		errno = EACCES;
		return -1;
	}
	char line[256];
	bool ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	size_t hex_len = 0;
	if (ok && strncmp(line, FILE_MAGIC, strlen(FILE_MAGIC)) == 0) {
		const char *hex = line + strlen(FILE_MAGIC);
		ok = sodium_hex2bin(m->key, KEY_BYTES, hex, strcspn(hex, "\r\n"), NULL, &hex_len, NULL) == 0 &&
		     hex_len == KEY_BYTES;
	} else {
		ok = false;
	}
	sodium_memzero(line, sizeof line);
	if (!ok) {
		snprintf(err, err_len, "key file %s is damaged (expected '" FILE_MAGIC "<64 hex digits>')", path);
		errno = EINVAL;
		return -1;
	}
	master_id(m->key, m->id);
	m->present = true;
	return 0;
}

/* Writes a new key file with mode 0600, durably; fails if it exists. */
static int write_key_file(const char *path, const unsigned char key[KEY_BYTES], char *err, size_t err_len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, err_len, "cannot create key file %s: %s", path, strerror(errno));
		return -1;
	}
	char text[sizeof FILE_MAGIC + 2 * KEY_BYTES + 2];
	memcpy(text, FILE_MAGIC, strlen(FILE_MAGIC));
	hex_encode(key, KEY_BYTES, text + strlen(FILE_MAGIC));
	strcat(text, "\n");
	size_t n = strlen(text);
	bool ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
	sodium_memzero(text, sizeof text);
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		snprintf(err, err_len, "cannot write key file %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

struct keyring *keyring_open(const char *path, bool create, char *err, size_t err_len)
{
	struct keyring *k = xcalloc(1, sizeof *k);
	k->sec = sodium_malloc(sizeof *k->sec);
	if (!k->sec) {
		free(k);
		snprintf(err, err_len, "out of memory for keys");
		return NULL;
	}
	memset(k->sec, 0, sizeof *k->sec);
	pthread_rwlock_init(&k->lock, NULL);
	err[0] = '\0';
	if (read_key_file(path, &k->sec->masters[0], err, err_len) < 0) {
		if (errno != ENOENT || !create) {
			if (!err[0])
				snprintf(err, err_len, "key file %s does not exist", path);
			keyring_free(k);
			return NULL;
		}
		randombytes_buf(k->sec->masters[0].key, KEY_BYTES);
		if (write_key_file(path, k->sec->masters[0].key, err, err_len) < 0) {
			keyring_free(k);
			return NULL;
		}
		master_id(k->sec->masters[0].key, k->sec->masters[0].id);
		k->sec->masters[0].present = true;
	}
	/* A rotation interrupted after the database changed leaves the new key in PATH.new. */
	char *pending = xasprintf("%s.new", path);
	char why[512];
	if (read_key_file(pending, &k->sec->masters[1], why, sizeof why) < 0) {
		k->sec->masters[1].present = false;
		if (errno == EACCES) { /* a key others can read is refused wherever it lies */
			snprintf(err, err_len, "%s", why);
			free(pending);
			keyring_free(k);
			return NULL;
		}
	}
	free(pending);
	return k;
}

void keyring_free(struct keyring *k)
{
	if (!k)
		return;
	memo_free(k->opened);
	if (k->sec)
		sodium_free(k->sec); /* zeroes the memory */
	pthread_rwlock_destroy(&k->lock);
	free(k);
}

static const struct master *master_by_id(struct keyring *k, const char *id)
{
	for (int i = 0; i < 2; i++)
		if (k->sec->masters[i].present && strcmp(k->sec->masters[i].id, id) == 0)
			return &k->sec->masters[i];
	return NULL;
}

static char *wrap_ad(const char *key_id)
{
	return xasprintf("hearth-data-key:%s", key_id);
}

/* Wraps a data key: base64url(nonce || ciphertext). */
static void wrap(const unsigned char master[KEY_BYTES], const char *key_id, const unsigned char key[KEY_BYTES],
                 char *out, size_t out_len)
{
	unsigned char
	    box[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + KEY_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	randombytes_buf(box, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	char *ad = wrap_ad(key_id);
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen, key,
	                                           KEY_BYTES, (unsigned char *)ad, strlen(ad), NULL, box, master);
	free(ad);
	sodium_bin2base64(out, out_len, box, sizeof box, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int unwrap(const unsigned char master[KEY_BYTES], const char *key_id, const char *wrapped,
                  unsigned char key[KEY_BYTES])
{
	unsigned char
	    box[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + KEY_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	size_t len = 0;
	if (sodium_base642bin(box, sizeof box, wrapped, strlen(wrapped), NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof box)
		return -1;
	char *ad = wrap_ad(key_id);
	unsigned long long plen;
	int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
	    key, &plen, NULL, box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    sizeof box - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, (unsigned char *)ad, strlen(ad), box, master);
	free(ad);
	return rc == 0 && plen == KEY_BYTES ? 0 : -1;
}

/* Finds a cached key by id or by scope (either may be NULL); copies it out. Caller holds the lock. */
static bool cache_find(struct keyring *k, const char *id, const char *scope, char id_out[ID_LEN + 1],
                       unsigned char key[KEY_BYTES])
{
	int slot = id ? index_find(k, k->by_id, id, false) : index_find(k, k->by_scope, scope, true);
	if (slot < 0)
		return false;
	const struct cached_key *c = &k->sec->cache[slot];
	memcpy(key, c->key, KEY_BYTES);
	if (id_out)
		memcpy(id_out, c->id, ID_LEN + 1);
	return true;
}

/* Wipes every unwrapped key. Caller holds the lock for writing. */
static void cache_empty(struct keyring *k)
{
	sodium_memzero(k->sec->cache, sizeof k->sec->cache);
	memset(k->by_id, 0, sizeof k->by_id);
	memset(k->by_scope, 0, sizeof k->by_scope);
	k->cached = 0;
}

static void cache_put(struct keyring *k, const char *id, const char *scope, const unsigned char key[KEY_BYTES])
{
	pthread_rwlock_wrlock(&k->lock);
	if (index_find(k, k->by_id, id, false) >= 0) {
		pthread_rwlock_unlock(&k->lock); /* another thread cached it meanwhile */
		return;
	}
	if (k->cached == CACHE_MAX)
		cache_empty(k);
	int slot = k->cached++;
	struct cached_key *c = &k->sec->cache[slot];
	snprintf(c->id, sizeof c->id, "%s", id);
	snprintf(c->scope, sizeof c->scope, "%s", scope ? scope : "");
	memcpy(c->key, key, KEY_BYTES);
	index_add(k->by_id, c->id, slot);
	if (c->scope[0])
		index_add(k->by_scope, c->scope, slot);
	pthread_rwlock_unlock(&k->lock);
}

/* Unwraps a stored key row with whichever master sealed it. */
static enum store_status unwrap_row(struct keyring *k, const struct store_datakey *row, unsigned char key[KEY_BYTES])
{
	const struct master *m = master_by_id(k, row->master_id);
	if (!m || unwrap(m->key, row->id, row->wrapped, key) < 0) {
		fprintf(stderr,
		        "{\"level\":\"error\",\"msg\":\"a data key cannot be unwrapped: wrong or missing master "
		        "key file\",\"key\":\"%s\"}\n",
		        row->id);
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* The data key of a scope, created on first use. */
static enum store_status key_for_scope(struct keyring *k, struct store *s, const char *scope, char id[ID_LEN + 1],
                                       unsigned char key[KEY_BYTES])
{
	pthread_rwlock_rdlock(&k->lock);
	bool hit = cache_find(k, NULL, scope, id, key);
	pthread_rwlock_unlock(&k->lock);
	if (hit)
		return STORE_OK;
	struct store_datakey row;
	enum store_status st = s->datakey_by_scope(s, scope, &row);
	if (st == STORE_NOT_FOUND) {
		memset(&row, 0, sizeof row);
		id_new(row.id);
		snprintf(row.scope_id, sizeof row.scope_id, "%s", scope);
		snprintf(row.master_id, sizeof row.master_id, "%s", k->sec->masters[0].id);
		randombytes_buf(key, KEY_BYTES);
		wrap(k->sec->masters[0].key, row.id, key, row.wrapped, sizeof row.wrapped);
		st = s->datakey_insert(s, &row);
		if (st == STORE_OK) {
			memcpy(id, row.id, ID_LEN + 1);
			cache_put(k, row.id, scope, key);
			return STORE_OK;
		}
		if (st != STORE_CONFLICT)
			return st;
		st = s->datakey_by_scope(s, scope, &row); /* another request made it first */
	}
	if (st != STORE_OK)
		return st;
	st = unwrap_row(k, &row, key);
	if (st == STORE_OK) {
		memcpy(id, row.id, ID_LEN + 1);
		cache_put(k, row.id, scope, key);
	}
	return st;
}

static enum store_status key_by_id(struct keyring *k, struct store *s, const char *id, unsigned char key[KEY_BYTES])
{
	pthread_rwlock_rdlock(&k->lock);
	bool hit = cache_find(k, id, NULL, NULL, key);
	pthread_rwlock_unlock(&k->lock);
	if (hit)
		return STORE_OK;
	struct store_datakey row;
	enum store_status st = s->datakey_by_id(s, id, &row);
	if (st != STORE_OK)
		return st;
	st = unwrap_row(k, &row, key);
	if (st == STORE_OK)
		cache_put(k, row.id, row.scope_id, key);
	return st;
}

/* Bytes a sealed text of n bytes of plain text takes, with its NUL (the SEALED_SIZE of store.h, exactly). */
static size_t sealed_len(size_t n)
{
	size_t box_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + n + crypto_aead_xchacha20poly1305_ietf_ABYTES;
	return 4 + ID_LEN + sodium_base64_ENCODED_LEN(box_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

_Static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES == 40,
               "SEALED_SIZE in store.h counts 40 bytes of nonce and tag");

/* Seals n bytes of plain into out (at least sealed_len(n) bytes). box: scratch of the box's length. */
static enum store_status seal_into(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                                   const char *plain, size_t n, unsigned char *box, char *out)
{
	unsigned char key[KEY_BYTES];
	char id[ID_LEN + 1];
	enum store_status st = key_for_scope(k, s, scope_id, id, key);
	if (st != STORE_OK)
		return st;
	size_t box_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + n + crypto_aead_xchacha20poly1305_ietf_ABYTES;
	randombytes_buf(box, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
	                                           (const unsigned char *)plain, n, (const unsigned char *)ad,
	                                           strlen(ad), NULL, box, key);
	sodium_memzero(key, sizeof key);
	memcpy(out, "v1:", 3);
	memcpy(out + 3, id, ID_LEN);
	out[3 + ID_LEN] = ':';
	sodium_bin2base64(out + 4 + ID_LEN, sealed_len(n) - 4 - ID_LEN, box, box_len,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return STORE_OK;
}

enum store_status keyring_seal(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                               const char *plain, struct arena *a, char **out)
{
	*out = NULL;
	if (!plain)
		return STORE_OK;
	size_t n = strlen(plain);
	char *text = arena_alloc(a, sealed_len(n));
	unsigned char *box = arena_alloc(a, n + 40);
	enum store_status st = seal_into(k, s, scope_id, ad, plain, n, box, text);
	if (st == STORE_OK)
		*out = text;
	return st;
}

/* The longest value the fixed-size variants below seal or open: a display name. */
#define FIELD_PLAIN_MAX 256

enum store_status keyring_seal_field(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                                     const char *plain, char *out, size_t out_size)
{
	size_t n = strlen(plain);
	assert(n <= FIELD_PLAIN_MAX && out_size >= sealed_len(n));
	unsigned char box[FIELD_PLAIN_MAX + 40];
	return seal_into(k, s, scope_id, ad, plain, n, box, out);
}

enum store_status keyring_seal_int(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                                   int64_t value, char out[SEALED_NUMBER_SIZE])
{
	char plain[32];
	snprintf(plain, sizeof plain, "%lld", (long long)value);
	return keyring_seal_field(k, s, scope_id, ad, plain, out, SEALED_NUMBER_SIZE);
}

enum store_status keyring_seal_double(struct keyring *k, struct store *s, const char *scope_id, const char *ad,
                                      double value, char out[SEALED_NUMBER_SIZE])
{
	if (!isfinite(value))
		return STORE_ERROR; /* no reader could open it as a number */
	char plain[32];
	snprintf(plain, sizeof plain, "%.17g", value); /* enough digits to read back the same double */
	return keyring_seal_field(k, s, scope_id, ad, plain, out, SEALED_NUMBER_SIZE);
}

/* The value of each base64url character plus one; 0 for any other byte. */
static const unsigned char base64url_values[256] = {
    ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,  ['H'] = 8,
    ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
    ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
    ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
    ['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
    ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['-'] = 63, ['_'] = 64,
};

/*
 * Decodes base64url without padding into out (room for n * 3 / 4 bytes); -1
 * for a character outside the alphabet or a length no encoding has. Not
 * constant-time, unlike sodium_base642bin, and several times faster: what it
 * decodes is a nonce and a ciphertext, public to whoever holds the database,
 * and every value a list or a trend shows is decoded.
 */
static int base64url_decode(const char *in, size_t n, unsigned char *out, size_t *out_len)
{
	if (n % 4 == 1)
		return -1;
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0, i = 0;
	for (; i + 4 <= n; i += 4) { /* four characters make three bytes */
		unsigned a = base64url_values[p[i]], b = base64url_values[p[i + 1]], c = base64url_values[p[i + 2]],
		         d = base64url_values[p[i + 3]];
		if (!a || !b || !c || !d)
			return -1;
		uint32_t v = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6 | (d - 1);
		out[o++] = (unsigned char)(v >> 16);
		out[o++] = (unsigned char)(v >> 8);
		out[o++] = (unsigned char)v;
	}
	if (i < n) { /* two or three left: one or two bytes */
		unsigned a = base64url_values[p[i]], b = base64url_values[p[i + 1]],
		         c = i + 2 < n ? base64url_values[p[i + 2]] : 1;
		if (!a || !b || !c)
			return -1;
		uint32_t v = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6;
		out[o++] = (unsigned char)(v >> 16);
		if (i + 2 < n)
			out[o++] = (unsigned char)(v >> 8);
	}
	*out_len = o;
	return 0;
}

/* Shards of the memo of opened values: more than the threads that open them. */
#define OPENED_SHARDS 16
/*
 * The longest key (associated data, a NUL, the sealed text) whose value is
 * kept: longer texts, a few, are opened each time, where the decryption's
 * cost is mostly their bytes and not its fixed part that the memo saves.
 */
#define OPENED_KEY_MAX 1024

void keyring_remember(struct keyring *k, size_t bytes)
{
	memo_free(k->opened);
	k->opened = memo_new(bytes, OPENED_SHARDS);
}

void keyring_forget(struct keyring *k)
{
	memo_clear(k->opened);
	pthread_rwlock_wrlock(&k->lock);
	cache_empty(k);
	pthread_rwlock_unlock(&k->lock);
}

struct recalled {
	void *out;
	size_t cap, len;
};

/* memo_get's take: a kept value into the caller's room, when it fits. */
static bool take_recalled(void *ctx, const char *value, size_t len)
{
	struct recalled *r = ctx;
	if (len > r->cap)
		return false;
	memcpy(r->out, value, len);
	r->len = len;
	return true;
}

bool keyring_recall(struct keyring *k, const char *key, void *out, size_t cap, size_t *len)
{
	struct recalled r = {out, cap, 0};
	bool found = k->opened && memo_get(k->opened, key, strlen(key), take_recalled, &r);
	*len = r.len;
	return found;
}

void keyring_keep(struct keyring *k, const char *key, const void *value, size_t len)
{
	memo_put(k->opened, key, strlen(key), value, len);
}

const struct memo *keyring_opened(const struct keyring *k)
{
	return k->opened;
}

struct opened_into {
	char *plain;
	size_t cap;
};

/* memo_get's take: a kept plaintext into the caller's room, when it fits. */
static bool take_opened(void *ctx, const char *value, size_t len)
{
	struct opened_into *o = ctx;
	if (len > o->cap)
		return false;
	memcpy(o->plain, value, len);
	o->plain[len] = '\0';
	return true;
}

/*
 * Opens the sealed text `sealed` into plain (room for plain_cap bytes and a
 * NUL); box: scratch of at least strlen(sealed) bytes. An empty sealed text
 * opens to "" (a text erased with its author's account).
 */
static enum store_status open_into(struct keyring *k, struct store *s, const char *ad, const char *sealed,
                                   unsigned char *box, char *plain, size_t plain_cap)
{
	size_t n = strlen(sealed);
	if (n == 0) {
		plain[0] = '\0';
		return STORE_OK;
	}
	if (n < 4 + ID_LEN || strncmp(sealed, "v1:", 3) != 0 || sealed[3 + ID_LEN] != ':')
		return STORE_ERROR;
	/* The memo's key: the associated data and the sealed text, so both must match. */
	size_t ad_len = strlen(ad), key_len = ad_len + 1 + n;
	char memo_key[OPENED_KEY_MAX];
	bool remember = k->opened && key_len <= sizeof memo_key;
	if (remember) {
		memcpy(memo_key, ad, ad_len + 1);
		memcpy(memo_key + ad_len + 1, sealed, n);
		struct opened_into into = {plain, plain_cap};
		if (memo_get(k->opened, memo_key, key_len, take_opened, &into))
			return STORE_OK;
	}
	char id[ID_LEN + 1];
	memcpy(id, sealed + 3, ID_LEN);
	id[ID_LEN] = '\0';
	const char *b64 = sealed + 4 + ID_LEN;
	size_t b64_len = n - 4 - ID_LEN, box_len = 0;
	if (base64url_decode(b64, b64_len, box, &box_len) != 0 ||
	    box_len < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return STORE_ERROR;
	size_t clen = box_len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	if (clen - crypto_aead_xchacha20poly1305_ietf_ABYTES > plain_cap)
		return STORE_ERROR; /* longer than the field it belongs in: not a value this program sealed */
	unsigned char key[KEY_BYTES];
	enum store_status st = key_by_id(k, s, id, key);
	if (st != STORE_OK)
		return st == STORE_NOT_FOUND ? STORE_ERROR : st;
	unsigned long long plen = 0;
	int rc = crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)plain, &plen, NULL,
	                                                    box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, clen,
	                                                    (const unsigned char *)ad, ad_len, box, key);
	sodium_memzero(key, sizeof key);
	if (rc != 0)
		return STORE_ERROR;
	plain[plen] = '\0';
	if (remember)
		memo_put(k->opened, memo_key, key_len, plain, (size_t)plen);
	return STORE_OK;
}

enum store_status keyring_open_text(struct keyring *k, struct store *s, const char *ad, const char *sealed,
                                    struct arena *a, char **out)
{
	*out = NULL;
	if (!sealed || !*sealed)
		return STORE_OK; /* no text, or one erased with its author's account */
	size_t n = strlen(sealed);
	unsigned char *box = arena_alloc(a, n);
	char *plain = arena_alloc(a, n + 1);
	enum store_status st = open_into(k, s, ad, sealed, box, plain, n);
	if (st == STORE_OK)
		*out = plain;
	return st;
}

enum store_status keyring_open_into(struct keyring *k, struct store *s, const char *ad, const char *sealed, char *plain,
                                    size_t cap)
{
	assert(cap > 0 && cap <= FIELD_PLAIN_MAX + 1);
	unsigned char box[SEALED_SIZE(FIELD_PLAIN_MAX)];
	if (strnlen(sealed, sizeof box) == sizeof box)
		return STORE_ERROR; /* longer than any value of this size seals to */
	return open_into(k, s, ad, sealed, box, plain, cap - 1);
}

enum store_status keyring_open_field(struct keyring *k, struct store *s, const char *ad, char *field, size_t size)
{
	char plain[FIELD_PLAIN_MAX + 1];
	if (strnlen(field, size) == size)
		return STORE_ERROR;
	enum store_status st = keyring_open_into(k, s, ad, field, plain, sizeof plain);
	if (st == STORE_OK) {
		size_t n = strlen(plain); /* always shorter than its sealed form */
		memcpy(field, plain, n + 1);
		sodium_memzero(plain, n);
	}
	return st;
}

/*
 * Opens a sealed number's decimal text and reads it whole, as an integer
 * (into *i) or as a finite double (into *d); the text is wiped after.
 */
static enum store_status open_number(struct keyring *k, struct store *s, const char *ad, const char *sealed, int64_t *i,
                                     double *d)
{
	char plain[32];
	enum store_status st = keyring_open_into(k, s, ad, sealed, plain, sizeof plain);
	if (st != STORE_OK)
		return st;
	char *end;
	errno = 0;
	long long iv = i ? strtoll(plain, &end, 10) : 0;
	double dv = i ? 0 : strtod(plain, &end);
	bool ok = !errno && end != plain && !*end && isfinite(dv);
	sodium_memzero(plain, sizeof plain);
	if (!ok)
		return STORE_ERROR;
	if (i)
		*i = iv;
	else
		*d = dv;
	return STORE_OK;
}

enum store_status keyring_open_int(struct keyring *k, struct store *s, const char *ad, const char *sealed,
                                   int64_t *value)
{
	return open_number(k, s, ad, sealed, value, NULL);
}

enum store_status keyring_open_double(struct keyring *k, struct store *s, const char *ad, const char *sealed,
                                      double *value)
{
	return open_number(k, s, ad, sealed, NULL, value);
}

bool keyring_is_sealed(const char *text)
{
	return text && strncmp(text, "v1:", 3) == 0 && strlen(text) > 4 + ID_LEN && text[3 + ID_LEN] == ':';
}

int keyring_verify(struct keyring *k, struct store *s, char *err, size_t err_len)
{
	struct arena *a = arena_new();
	struct store_datakey *rows = NULL;
	int count = 0, rc = -1;
	if (s->datakey_all(s, a, &rows, &count) != STORE_OK) {
		snprintf(err, err_len, "cannot read the data keys");
		goto out;
	}
	for (int i = 0; i < count; i++) {
		if (!master_by_id(k, rows[i].master_id)) {
			snprintf(err, err_len,
			         "the key file does not match this database (data key %s needs master key %s); "
			         "restore the key file that belongs to this data",
			         rows[i].id, rows[i].master_id);
			goto out;
		}
	}
	if (count > 0) {
		unsigned char key[KEY_BYTES];
		if (unwrap_row(k, &rows[0], key) != STORE_OK) {
			snprintf(err, err_len, "the key file cannot unwrap the data keys of this database");
			goto out;
		}
		sodium_memzero(key, sizeof key);
	}
	rc = 0;
out:
	if (rows)
		sodium_memzero(rows, sizeof *rows * (size_t)count);
	arena_free(a);
	return rc;
}

int keyring_rotate(struct keyring *k, struct store *s, const char *path, bool show_progress, char *err, size_t err_len)
{
	struct arena *a = arena_new();
	struct store_datakey *rows = NULL;
	int count = 0, rc = -1;
	struct progress progress = {0}; /* label set once started */
	char *pending = xasprintf("%s.new", path), *old = xasprintf("%s.old", path);
	struct master *next = &k->sec->masters[1];
	if (!next->present) {
		randombytes_buf(next->key, KEY_BYTES);
		unlink(pending);
		if (write_key_file(pending, next->key, err, err_len) < 0)
			goto out;
		master_id(next->key, next->id);
		next->present = true;
	}
	if (s->datakey_all(s, a, &rows, &count) != STORE_OK) {
		snprintf(err, err_len, "cannot read the data keys");
		goto out;
	}
	if (show_progress)
		progress_start(&progress, "rotate-key: data keys", (uint64_t)count);
	for (int i = 0; i < count; i++) {
		unsigned char key[KEY_BYTES];
		if (show_progress)
			progress_step(&progress, (uint64_t)i);
		if (strcmp(rows[i].master_id, next->id) == 0)
			continue; /* already re-wrapped by an interrupted rotation */
		if (unwrap_row(k, &rows[i], key) != STORE_OK) {
			snprintf(err, err_len, "data key %s cannot be unwrapped with the current key file", rows[i].id);
			goto out;
		}
		wrap(next->key, rows[i].id, key, rows[i].wrapped, sizeof rows[i].wrapped);
		snprintf(rows[i].master_id, sizeof rows[i].master_id, "%s", next->id);
		sodium_memzero(key, sizeof key);
	}
	if (s->datakey_rewrap(s, rows, count) != STORE_OK) {
		snprintf(err, err_len, "cannot store the re-wrapped data keys; nothing was changed");
		goto out;
	}
	if (show_progress)
		progress_step(&progress, (uint64_t)count); /* stored: all done */
	unlink(old);
	if (link(path, old) != 0 || rename(pending, path) != 0) {
		snprintf(err, err_len,
		         "data keys re-wrapped, but renaming %s to %s failed: %s (hearth still reads both)", pending,
		         path, strerror(errno));
		goto out;
	}
	k->sec->masters[0] = *next;
	sodium_memzero(next, sizeof *next);
	rc = 0;
out:
	if (progress.label)
		progress_end(&progress);
	if (rows)
		sodium_memzero(rows, sizeof *rows * (size_t)count);
	arena_free(a);
	free(pending);
	free(old);
	return rc;
}

void keyring_derive(struct keyring *k, const char *purpose, unsigned char out[KEYRING_DERIVED_BYTES])
{
	assert(k && purpose && *purpose);
	static const char label[] = "hearth-derived-key-v1:";
	crypto_generichash_state h;
	pthread_rwlock_rdlock(&k->lock);
	crypto_generichash_init(&h, k->sec->masters[0].key, KEY_BYTES, KEYRING_DERIVED_BYTES);
	pthread_rwlock_unlock(&k->lock);
	crypto_generichash_update(&h, (const unsigned char *)label, sizeof label - 1);
	crypto_generichash_update(&h, (const unsigned char *)purpose, strlen(purpose));
	crypto_generichash_final(&h, out, KEYRING_DERIVED_BYTES);
	sodium_memzero(&h, sizeof h);
}
