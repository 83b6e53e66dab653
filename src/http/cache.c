/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cache.c - the cache of rendered answers (see cache.h): how an answer is
 * packed into one memo value, and the key that names it.
 *
 * A value is the body, then the three header strings each with its NUL,
 * then a trailer with the status and the header lengths: the body comes
 * first so that a hit copies it out in one go.
 */
#include "cache.h"

#include <string.h>

#include "../util/memo.h"

/* An answer's header values are short; a longer one is not kept. */
#define HEADER_VALUE_MAX 256

struct trailer {
	int status;
	unsigned short type_len, etag_len, control_len;
};

struct unpack {
	struct arena *a;
	struct buf *body;
	struct cache_answer *out;
};

/* memo_get's take: the answer out of its value, under the shard's lock. */
static bool unpack(void *ctx, const char *value, size_t len)
{
	struct unpack *u = ctx;
	struct trailer t;
	if (len < sizeof t)
		return false;
	memcpy(&t, value + len - sizeof t, sizeof t);
	size_t headers = (size_t)t.type_len + t.etag_len + t.control_len + 3;
	if (len - sizeof t < headers)
		return false;
	size_t body_len = len - sizeof t - headers;
	if (buf_append(u->body, value, body_len) != 0)
		return false;
	const char *p = value + body_len;
	u->out->status = t.status;
	u->out->content_type = arena_strndup(u->a, p, t.type_len);
	p += t.type_len + 1;
	u->out->etag = arena_strndup(u->a, p, t.etag_len);
	p += t.etag_len + 1;
	u->out->cache_control = arena_strndup(u->a, p, t.control_len);
	u->out->body = u->body->data;
	u->out->body_len = u->body->len;
	return true;
}

bool cache_get(struct memo *c, const void *key, size_t key_len, struct arena *a, struct buf *body,
               struct cache_answer *out)
{
	struct unpack u = {a, body, out};
	return memo_get(c, key, key_len, unpack, &u);
}

void cache_put(struct memo *c, const void *key, size_t key_len, const struct cache_answer *in)
{
	if (!c)
		return;
	const char *type = in->content_type ? in->content_type : "", *etag = in->etag ? in->etag : "",
	           *control = in->cache_control ? in->cache_control : "";
	size_t type_len = strlen(type), etag_len = strlen(etag), control_len = strlen(control);
	if (type_len > HEADER_VALUE_MAX || etag_len > HEADER_VALUE_MAX || control_len > HEADER_VALUE_MAX ||
	    key_len > CACHE_KEY_MAX)
		return;
	struct trailer t;
	memset(&t, 0, sizeof t); /* its padding too: all of it is kept */
	t.status = in->status;
	t.type_len = (unsigned short)type_len;
	t.etag_len = (unsigned short)etag_len;
	t.control_len = (unsigned short)control_len;
	struct iovec parts[] = {
	    {.iov_base = (void *)(in->body_len ? in->body : ""), .iov_len = in->body_len},
	    {.iov_base = (void *)type, .iov_len = t.type_len + 1u},
	    {.iov_base = (void *)etag, .iov_len = t.etag_len + 1u},
	    {.iov_base = (void *)control, .iov_len = t.control_len + 1u},
	    {.iov_base = &t, .iov_len = sizeof t},
	};
	memo_putv(c, key, key_len, parts, (int)(sizeof parts / sizeof *parts));
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
