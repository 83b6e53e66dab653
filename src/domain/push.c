/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * push.c - reminders by web push (push.h): endpoints, subscriptions, the
 * scheduler and the sending of the push outbox.
 */
#include "push.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "keyring.h"
#include "notice.h"
#include "quiet.h"
#include "reminder.h"

/* ---- endpoints ---- */

/* Names that are never a public host: special-use and private-network suffixes (RFC 6761, RFC 8375). */
static const char *const local_suffixes[] = {
    "localhost", "local", "internal", "lan", "home.arpa", "localdomain", "invalid", "test", "onion", "intranet",
};

/* A public DNS name: labels of letters, digits and hyphens, two at least, the last not all digits. */
static bool host_public(const char *h, size_t n)
{
	if (n == 0 || n > 253 || h[n - 1] == '.')
		return false;
	size_t label = 0, labels = 1;
	bool last_alpha = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c == '.') {
			if (label == 0 || h[i - 1] == '-')
				return false;
			labels++;
			label = 0;
			last_alpha = false;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return false;
		if ((label == 0 && c == '-') || ++label > 63)
			return false;
		last_alpha = last_alpha || isalpha(c);
	}
	if (labels < 2 || !last_alpha || h[n - 1] == '-')
		return false;
	for (size_t i = 0; i < ARRAY_LEN(local_suffixes); i++) {
		size_t m = strlen(local_suffixes[i]);
		if (n >= m && strncasecmp(h + n - m, local_suffixes[i], m) == 0 && (n == m || h[n - m - 1] == '.'))
			return false;
	}
	return true;
}

/* ":PORT" of 1..65535, or nothing. */
static bool port_ok(const char *p, size_t n)
{
	if (n == 0)
		return true;
	if (p[0] != ':' || n < 2 || n > 6)
		return false;
	long v = 0;
	for (size_t i = 1; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

bool push_endpoint_ok(const char *url, bool loopback)
{
	size_t n = url ? strlen(url) : 0;
	if (n == 0 || n > PUSH_ENDPOINT_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f || strchr("\"<>\\^`{|}", url[i]))
			return false;
	static const char test_prefix[] = "http://127.0.0.1:";
	if (loopback && strncmp(url, test_prefix, sizeof test_prefix - 1) == 0) {
		const char *port = url + sizeof test_prefix - 2;
		size_t len = strcspn(port, "/?#");
		return len > 1 && port_ok(port, len);
	}
	if (strncmp(url, "https://", 8) != 0)
		return false;
	const char *host = url + 8;
	size_t authority = strcspn(host, "/?#");
	/* no user info: "https://public.example@10.0.0.1/" names the host after the @ */
	if (memchr(host, '@', authority))
		return false;
	const char *colon = memchr(host, ':', authority);
	size_t host_len = colon ? (size_t)(colon - host) : authority;
	return host_public(host, host_len) && port_ok(host + host_len, authority - host_len);
}

/* ---- subscriptions ---- */

static const char *subscription_ad(struct arena *a, const char *user_id)
{
	return arena_printf(a, "push_subscriptions:%s:subscription", user_id);
}

/* A hash of the endpoint, to find a device subscribed again: BLAKE2b-256 in hex. */
static void endpoint_hash(const char *endpoint, char out[PUSH_HASH_LEN + 1])
{
	static const char label[] = "hearth-push-endpoint";
	unsigned char h[PUSH_HASH_LEN / 2];
	crypto_generichash(h, sizeof h, (const unsigned char *)endpoint, strlen(endpoint), (const unsigned char *)label,
	                   sizeof label - 1);
	hex_encode(h, sizeof h, out);
}

bool push_subscribe(struct store *s, const struct viewer *v, const char *endpoint, const char *p256dh, const char *auth,
                    bool loopback, char id[ID_LEN + 1], struct problem *p)
{
	unsigned char point[WEBPUSH_POINT_BYTES], secret[WEBPUSH_AUTH_BYTES];
	problem_begin(p); /* every invalid field at once */
	if (!endpoint || !push_endpoint_ok(endpoint, loopback))
		problem_add(p, "endpoint",
		            "The endpoint must be the https:// address of a push service, at most 1024 characters.");
	if (!webpush_decode(p256dh, point, sizeof point) || !webpush_point_valid(point))
		problem_add(p, "keys.p256dh",
		            "keys.p256dh must be the browser's P-256 public key (65 bytes, base64url).");
	if (!webpush_decode(auth, secret, sizeof secret))
		problem_add(p, "keys.auth", "keys.auth must be the browser's secret of 16 bytes, base64url.");
	if (!problem_none(p))
		return false;
	struct arena *a = arena_new();
	if (!a)
		return problem_from_store(p, STORE_BUSY);
	/* the keys as canonical base64url, the endpoint last: it is the one that may hold any character */
	char point_text[WEBPUSH_POINT_TEXT], secret_text[32], hash[PUSH_HASH_LEN + 1], fresh[ID_LEN + 1];
	sodium_bin2base64(point_text, sizeof point_text, point, sizeof point, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(secret_text, sizeof secret_text, secret, sizeof secret,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *sealed = NULL;
	enum store_status st = keyring_seal(s->keys, s, v->user_id, subscription_ad(a, v->user_id),
	                                    arena_printf(a, "%s %s %s", point_text, secret_text, endpoint), a, &sealed);
	endpoint_hash(endpoint, hash);
	id_new(fresh);
	if (st == STORE_OK)
		st = s->push_subscription_put(s, fresh, v->user_id, hash, sealed, now_ms(), id);
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(secret_text, sizeof secret_text);
	arena_free(a);
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "push_devices_full", NULL,
		                   "You have notifications on 20 devices already. Remove one you no longer use first.");
	return st == STORE_OK || problem_from_store(p, st);
}

bool push_unsubscribe(struct store *s, const struct viewer *v, const char *id, struct problem *p)
{
	enum store_status st = id_valid(id) ? s->push_subscription_delete(s, v->user_id, id) : STORE_NOT_FOUND;
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "There is no such device of yours.");
	return st == STORE_OK || problem_from_store(p, st);
}

/* The parts of an opened subscription: "P256DH AUTH ENDPOINT", split in place. */
struct opened {
	char *p256dh, *auth, *endpoint;
};

static bool opened_split(char *text, struct opened *o)
{
	char *sp1 = strchr(text, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp2)
		return false;
	*sp1 = *sp2 = '\0';
	*o = (struct opened){text, sp1 + 1, sp2 + 1};
	return true;
}

/* Opens a stored subscription: STORE_ERROR when it cannot be read. */
static enum store_status subscription_open(struct store *s, struct arena *a, const struct store_push_subscription *row,
                                           struct opened *o)
{
	char *text = NULL;
	enum store_status st =
	    keyring_open_text(s->keys, s, subscription_ad(a, row->user_id), row->subscription, a, &text);
	if (st == STORE_OK && !opened_split(text, o))
		st = STORE_ERROR;
	return st;
}

bool push_devices(struct store *s, const struct viewer *v, struct arena *a, struct push_device **items, int *count,
                  struct problem *p)
{
	struct store_push_subscription *rows;
	enum store_status st = s->push_subscription_list(s, a, v->user_id, &rows, count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*items = arena_alloc(a, sizeof **items * (size_t)(*count > 0 ? *count : 1));
	for (int i = 0; i < *count; i++) {
		struct opened o;
		struct push_device *d = &(*items)[i];
		*d = (struct push_device){.created_at = rows[i].created_at};
		snprintf(d->id, sizeof d->id, "%s", rows[i].id);
		st = subscription_open(s, a, &rows[i], &o);
		if (st != STORE_OK)
			return problem_from_store(p, st);
		const char *host = strstr(o.endpoint, "://");
		host = host ? host + 3 : o.endpoint;
		snprintf(d->service, sizeof d->service, "%.*s", (int)strcspn(host, ":/?#"), host);
	}
	return true;
}

bool push_has_device(struct store *s, const char *user_id, bool *yes, struct problem *p)
{
	struct arena *a = arena_new();
	if (!a)
		return problem_from_store(p, STORE_BUSY);
	struct store_push_subscription *rows;
	int count = 0;
	enum store_status st = s->push_subscription_list(s, a, user_id, &rows, &count);
	arena_free(a);
	*yes = st == STORE_OK && count > 0;
	return st == STORE_OK || problem_from_store(p, st);
}

/* ---- the scheduler ---- */

int push_schedule(struct store *s, int64_t from, int64_t now)
{
	from = reminder_window_from(from, now);
	struct arena *a = arena_new();
	if (!a)
		return -1;
	struct store_email_reminder *rs;
	int count, queued = 0, n = 0;
	enum store_status st = s->push_reminders(s, a, &rs, &count);
	for (int i = 0; st == STORE_OK && i < count; i++) {
		int64_t at = reminder_row_latest(&rs[i], now);
		if (!at || at <= from || at <= rs[i].since)
			continue;
		st = s->push_queue(s, rs[i].user_id, rs[i].kind, at, at, now, &n);
		queued += n;
	}
	/* a break's end is its own moment: its reminder comes when it is over */
	struct store_break_over *bs;
	if (st == STORE_OK)
		st = s->push_breaks_over(s, a, now, from, &bs, &count);
	for (int i = 0; st == STORE_OK && i < count; i++) {
		st = s->push_queue(s, bs[i].user_id, "break_over", bs[i].until_at, bs[i].until_at, now, &n);
		queued += n;
	}
	arena_free(a);
	return st == STORE_OK ? queued : -1;
}

/* ---- sending ---- */

/* How one claimed message ended. */
enum push_result { PUSH_SENT, PUSH_POINTLESS, PUSH_GONE, PUSH_REFUSED, PUSH_FAILED, PUSH_STORE };

/* Encrypts the words for the device and sends them; err says why when it did not go. */
static enum push_result deliver(const struct push_settings *ps, const struct opened *o, const char *words, char *err,
                                size_t err_len)
{
	unsigned char point[WEBPUSH_POINT_BYTES], secret[WEBPUSH_AUTH_BYTES];
	unsigned char body[WEBPUSH_HEADER_BYTES + REMINDER_TEXT_MAX_BYTES + 1 + WEBPUSH_TAG_BYTES];
	char authorization[WEBPUSH_VAPID_MAX];
	size_t len = 0;
	long status = 0;
	if (!push_endpoint_ok(o->endpoint, ps->loopback)) {
		snprintf(err, err_len, "the endpoint is not one this server sends to");
		return PUSH_REFUSED;
	}
	/* padded to the longest words there can be: the length on the wire tells nothing */
	if (!webpush_decode(o->p256dh, point, sizeof point) || !webpush_decode(o->auth, secret, sizeof secret) ||
	    webpush_encrypt(point, secret, (const unsigned char *)words, strlen(words), REMINDER_TEXT_MAX_BYTES, NULL,
	                    body, sizeof body, &len) < 0 ||
	    webpush_vapid_header(ps->key, o->endpoint, ps->subject, now_ms(), authorization) < 0) {
		sodium_memzero(secret, sizeof secret);
		snprintf(err, err_len, "the message could not be encrypted or signed");
		return PUSH_REFUSED;
	}
	sodium_memzero(secret, sizeof secret);
	if (ps->send(ps, o->endpoint, authorization, body, len, &status, err, err_len) < 0) {
		if (!err[0])
			snprintf(err, err_len, "the push service could not be reached");
		return PUSH_FAILED;
	}
	if (status >= 200 && status < 300)
		return PUSH_SENT;
	snprintf(err, err_len, "the push service answered %ld", status);
	if (status == 404 || status == 410)
		return PUSH_GONE;
	return status == 400 || status == 413 ? PUSH_REFUSED : PUSH_FAILED;
}

/*
 * The words cut to the one length every message is padded to, at a
 * character's start: a notice naming a partner with a long name could be
 * longer (a reminder's words never are, nor is any translation of the fixed
 * words: tests/unit/domain checks them in every language).
 */
static const char *words_fitted(struct arena *a, const char *words)
{
	size_t n = strlen(words);
	if (n <= REMINDER_TEXT_MAX_BYTES)
		return words;
	n = REMINDER_TEXT_MAX_BYTES - 3; /* room for "…" */
	while (n > 0 && ((unsigned char)words[n] & 0xC0) == 0x80)
		n--;
	return arena_printf(a, "%.*s\xe2\x80\xa6", (int)n, words);
}

/* Sends one claimed message, if it still has a point. */
static enum push_result push_one(struct store *s, const struct push_settings *ps, const struct store_push_outbox *o,
                                 struct arena *a, char *err, size_t err_len)
{
	struct store_push_subscription row;
	enum store_status st = s->push_subscription_get(s, a, o->subscription_id, &row);
	if (st == STORE_NOT_FOUND)
		return PUSH_POINTLESS;
	struct opened opened;
	if (st == STORE_OK)
		st = subscription_open(s, a, &row, &opened);
	enum reminder_kind k;
	enum notice_kind nk;
	struct reminder rs[REMINDER_KIND_COUNT];
	struct problem p = {0};
	const char *words = NULL;
	/* the recipient's language (issue 16): their setting, which the claim brought along, else the server's */
	enum lang l;
	if (!lang_parse(o->language, &l))
		l = ps->default_lang;
	if (st == STORE_OK && notice_outbox_kind(o->kind, &nk)) {
		/* a notice of the partner's activity (domain/notice.h): NULL when turned off since */
		words = notice_words(s, o->user_id, nk, CHANNEL_PUSH, l, a, &p);
	} else if (st == STORE_OK && reminder_list_of(s, o->user_id, a, rs, &p)) {
		if (reminder_kind_parse(o->kind, &k) && rs[k].set && (rs[k].channels & (1u << CHANNEL_PUSH)))
			words = reminder_words(l, rs[k].text);
	} else if (st != STORE_OK) {
		problem_from_store(&p, st);
	}
	if (!words && p.outcome != OUTCOME_OK) {
		snprintf(err, err_len, "the store could not be read");
		return PUSH_STORE;
	}
	if (!words)
		return PUSH_POINTLESS; /* turned off, or no longer by push */
	return deliver(ps, &opened, words_fitted(a, words), err, err_len);
}

int push_send_due(struct store *s, const struct push_settings *ps, int64_t now, int max, int pause_ms)
{
	int handled = 0;
	for (; handled < max; handled++) {
		struct store_push_outbox o;
		enum store_status st = s->push_outbox_claim(s, now, now + PUSH_LEASE_MS, &o);
		if (st == STORE_NOT_FOUND)
			break;
		if (st != STORE_OK)
			return -1;
		/* Quiet hours (domain/quiet.h): a reminder or a notice waits for their end, as by email. */
		int held = quiet_hold(s, o.user_id, o.id, now, s->push_outbox_hold);
		if (held < 0)
			return -1;
		if (held)
			continue;
		struct arena *a = arena_new();
		if (!a)
			return -1;
		char err[OUTBOX_ERROR_MAX] = "";
		if (pause_ms > 0) {
			struct timespec ts = {pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L};
			nanosleep(&ts, NULL); /* tests only: a window to kill the server in */
		}
		enum push_result r = push_one(s, ps, &o, a, err, sizeof err);
		arena_free(a);
		switch (r) {
		case PUSH_SENT:
		case PUSH_POINTLESS:
			st = s->push_outbox_done(s, o.id, now);
			break;
		case PUSH_GONE:
			/* the browser unsubscribed, or the push service forgot it: so do we (and its queue goes) */
			st = s->push_subscription_delete(s, NULL, o.subscription_id);
			break;
		case PUSH_REFUSED:
			st = s->push_outbox_retry(s, o.id, INT64_MAX / 2, err);
			break;
		case PUSH_FAILED:
		case PUSH_STORE: {
			st = s->push_outbox_retry(s, o.id, reminder_retry_at(o.attempts, PUSH_ATTEMPTS_MAX, now), err);
			break;
		}
		}
		if (st != STORE_OK && st != STORE_NOT_FOUND)
			return -1;
	}
	return handled;
}
