/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * email.c - reminders by email (email.h): the address, its links, the
 * scheduler and the sending of the outbox.
 */
#include "email.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keyring.h"
#include "notice.h"
#include "quiet.h"
#include "reminder.h"

/* ---- the address ---- */

static void address_ad(const char *user_id, char out[ID_LEN + 40])
{
	snprintf(out, ID_LEN + 40, "email_addresses:%s:address", user_id);
}

/* Opens the person's stored address: STORE_NOT_FOUND when none. */
static enum store_status address_of(struct store *s, const char *user_id, struct store_email *row,
                                    char plain[EMAIL_MAX_BYTES + 1])
{
	enum store_status st = s->email_get(s, user_id, row);
	if (st != STORE_OK)
		return st;
	char ad[ID_LEN + 40];
	address_ad(user_id, ad);
	return keyring_open_into(s->keys, s, ad, row->address, plain, EMAIL_MAX_BYTES + 1);
}

bool email_get(struct store *s, const struct viewer *v, struct email_state *out, struct problem *p)
{
	struct store_email row;
	*out = (struct email_state){0};
	enum store_status st = address_of(s, v->user_id, &row, out->address);
	if (st == STORE_NOT_FOUND) {
		out->address[0] = '\0';
		return true;
	}
	if (st != STORE_OK)
		return problem_from_store(p, st);
	out->confirmed = row.confirmed_at != 0;
	return true;
}

/*
 * An address a mail server takes as it is: one @ between a local part and a
 * domain, nothing that could end a header or a command (no space, control
 * character, angle bracket, comma, semicolon or quote). Stricter than RFC
 * 5321, as a sign-up form is.
 */
static bool address_ok(const char *a)
{
	size_t n = strlen(a);
	if (n < 3 || n > EMAIL_MAX_BYTES)
		return false;
	const char *at = strchr(a, '@');
	if (!at || at == a || !at[1] || strchr(at + 1, '@') || at[1] == '.' || a[n - 1] == '.')
		return false;
	for (const unsigned char *c = (const unsigned char *)a; *c; c++)
		if (*c <= 0x20 || *c == 0x7f || strchr("<>(),;:\\\"[]", *c))
			return false;
	return true;
}

/* A link's token for user_id's address set at created_at: "ID." base64url(HMAC). */
static void token_make(struct store *s, const char *purpose, const char *user_id, int64_t created_at,
                       char out[EMAIL_TOKEN_MAX])
{
	unsigned char key[KEYRING_DERIVED_BYTES], mac[crypto_auth_hmacsha256_BYTES];
	keyring_derive(s->keys, purpose, key);
	char msg[ID_LEN + 32];
	int n = snprintf(msg, sizeof msg, "%s:%lld", user_id, (long long)created_at);
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, key);
	size_t len = (size_t)snprintf(out, EMAIL_TOKEN_MAX, "%s.", user_id);
	sodium_bin2base64(out + len, EMAIL_TOKEN_MAX - len, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(key, sizeof key);
}

/* The person a token names, when it is the token of their current address: STORE_NOT_FOUND otherwise. */
static enum store_status token_check(struct store *s, const char *purpose, const char *token, char user_id[ID_LEN + 1],
                                     struct store_email *row)
{
	const char *dot = token ? strchr(token, '.') : NULL;
	if (!dot || dot - token != ID_LEN || strlen(token) >= EMAIL_TOKEN_MAX)
		return STORE_NOT_FOUND;
	memcpy(user_id, token, ID_LEN);
	user_id[ID_LEN] = '\0';
	for (int i = 0; i < ID_LEN; i++)
		if (!strchr("0123456789abcdef", user_id[i]))
			return STORE_NOT_FOUND;
	enum store_status st = s->email_get(s, user_id, row);
	if (st != STORE_OK)
		return st;
	char want[EMAIL_TOKEN_MAX];
	token_make(s, purpose, user_id, row->created_at, want);
	size_t n = strlen(want);
	return strlen(token) == n && sodium_memcmp(want, token, n) == 0 ? STORE_OK : STORE_NOT_FOUND;
}

bool email_set(struct store *s, const struct viewer *v, const char *address, struct problem *p)
{
	if (!address || !address_ok(address))
		return problem_invalid(p, "email", "Please give an email address such as name@example.org.");
	char ad[ID_LEN + 40], sealed[SEALED_SIZE(EMAIL_MAX_BYTES)], id[ID_LEN + 1];
	address_ad(v->user_id, ad);
	int64_t now = now_ms();
	enum store_status st = keyring_seal_field(s->keys, s, v->user_id, ad, address, sealed, sizeof sealed);
	if (st == STORE_OK)
		st = s->email_set(s, v->user_id, sealed, now);
	/* The confirmation goes through the outbox like every message: it survives a restart. */
	id_new(id);
	if (st == STORE_OK)
		st = s->outbox_add(s, id, v->user_id, "confirm", now, now, now);
	return st == STORE_OK || problem_from_store(p, st);
}

bool email_remove(struct store *s, const struct viewer *v, struct problem *p)
{
	enum store_status st = s->email_delete(s, v->user_id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You have no email address here.");
	return st == STORE_OK || problem_from_store(p, st);
}

bool email_confirm(struct store *s, const char *token, int64_t now, struct problem *p)
{
	char user_id[ID_LEN + 1];
	struct store_email row;
	enum store_status st = token_check(s, "email-confirm", token, user_id, &row);
	if (st == STORE_OK && !row.confirmed_at && now - row.created_at > EMAIL_CONFIRM_MS)
		st = STORE_NOT_FOUND;
	if (st == STORE_OK && !row.confirmed_at)
		st = s->email_confirm(s, user_id, row.created_at, now);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
		                   "This link does not work any more: it is older than two days, or another address "
		                   "was given since. You can give your address again on the Reminders page.");
	return st == STORE_OK || problem_from_store(p, st);
}

bool email_unsubscribe(struct store *s, const char *token, struct problem *p)
{
	char user_id[ID_LEN + 1];
	struct store_email row;
	enum store_status st = token_check(s, "email-unsubscribe", token, user_id, &row);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
		                   "This link does not work any more: another address was given since. The link in "
		                   "the latest email works, and so does the Reminders page.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	struct arena *a = arena_new();
	if (!a)
		return problem_from_store(p, STORE_ERROR);
	bool ok =
	    reminder_drop_channel(s, user_id, CHANNEL_EMAIL, a, p) && notice_drop_channel(s, user_id, CHANNEL_EMAIL, p);
	arena_free(a);
	return ok;
}

/* ---- the scheduler ---- */

int email_schedule(struct store *s, int64_t from, int64_t now)
{
	from = reminder_window_from(from, now);
	struct arena *a = arena_new();
	if (!a)
		return -1;
	struct store_email_reminder *rs;
	int count, queued = 0;
	enum store_status st = s->email_reminders(s, a, &rs, &count);
	for (int i = 0; st == STORE_OK && i < count; i++) {
		int64_t at = reminder_row_latest(&rs[i], now);
		/* Not one queued by an earlier call, nor one from before the reminder was set. */
		if (!at || at <= from || at <= rs[i].since)
			continue;
		char id[ID_LEN + 1];
		id_new(id);
		st = s->outbox_add(s, id, rs[i].user_id, rs[i].kind, at, at, now);
		queued += st == STORE_OK;
	}
	/* A break's end (issue 14) is its own moment, not a time of day: its reminder comes when it is over. */
	struct store_break_over *bs;
	if (st == STORE_OK)
		st = s->email_breaks_over(s, a, now, from, &bs, &count);
	for (int i = 0; st == STORE_OK && i < count; i++) {
		char id[ID_LEN + 1];
		id_new(id);
		st = s->outbox_add(s, id, bs[i].user_id, "break_over", bs[i].until_at, bs[i].until_at, now);
		queued += st == STORE_OK;
	}
	arena_free(a);
	return st == STORE_OK ? queued : -1;
}

/* ---- composing ---- */

/* An RFC 2047 encoded-word form of a header value that is not plain ASCII, folded; ASCII stays as it is. */
static const char *header_text(struct arena *a, const char *text)
{
	bool ascii = true;
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		ascii = ascii && *c < 0x80;
	if (ascii)
		return text;
	char *out = arena_alloc(a, strlen(text) * 3 + 64), *o = out;
	size_t n = strlen(text);
	for (size_t i = 0; i < n;) {
		/* at most 45 bytes a word (60 in base64), never cutting a character */
		size_t len = n - i < 45 ? n - i : 45;
		while (len < n - i && len > 0 && ((unsigned char)text[i + len] & 0xC0) == 0x80)
			len--;
		char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)text + i, len,
		                  sodium_base64_VARIANT_ORIGINAL);
		o += sprintf(o, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
		i += len;
	}
	return out;
}

/* The host part of a URL, for Message-IDs. */
static const char *url_host(struct arena *a, const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t n = strcspn(h, ":/");
	return n ? arena_printf(a, "%.*s", (int)n, h) : "localhost";
}

char *email_compose(struct arena *a, const struct mail_settings *m, const char *message_id, const char *to, enum lang l,
                    const char *subject, const char *body, const char *unsubscribe_url, int64_t now)
{
	char date[64];
	time_t t = (time_t)(now / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	const char *unsub = unsubscribe_url ? arena_printf(a,
	                                                   "List-Unsubscribe: <%s>\r\n"
	                                                   "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
	                                                   unsubscribe_url)
	                                    : "";
	return arena_printf(a,
	                    "From: %s\r\nTo: <%s>\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n"
	                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	                    "Content-Language: %s\r\n"
	                    "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n%s\r\n%s",
	                    m->from, to, header_text(a, subject), date, message_id, url_host(a, m->public_url),
	                    lang_code(l), unsub, body);
}

/* ---- sending ---- */

/*
 * What one claimed message says, and in `to` the address it goes to; NULL
 * (and *p untouched) when it has no point any more. It speaks the
 * recipient's language: their setting, which the claim brought along, else
 * the server's default (no request here to ask a browser).
 */
static char *message_for(struct store *s, const struct mail_settings *m, const struct store_outbox *o, struct arena *a,
                         int64_t now, char to[EMAIL_MAX_BYTES + 1], struct problem *p)
{
	struct store_email row;
	char token[EMAIL_TOKEN_MAX];
	enum lang l;
	if (!lang_parse(o->language, &l))
		l = m->default_lang;
	enum store_status st = address_of(s, o->user_id, &row, to);
	if (st == STORE_NOT_FOUND)
		return NULL;
	if (st != STORE_OK) {
		problem_from_store(p, st);
		return NULL;
	}
	if (strcmp(o->kind, "confirm") == 0) {
		if (row.created_at != o->occurrence || row.confirmed_at)
			return NULL; /* another address since, or confirmed already */
		token_make(s, "email-confirm", o->user_id, row.created_at, token);
		const char *body =
		    arena_printf(a, "%s\r\n\r\n%s\r\n%s/email/confirm/%s\r\n\r\n%s\r\n",
		                 tr(l, "Someone, we hope you, asked for reminders at this address."),
		                 tr(l, "To confirm it, open this link within two days:"), m->public_url, token,
		                 tr(l, "If it was not you, ignore this message: nothing more will be sent to you."));
		return email_compose(a, m, o->id, to, l, tr(l, "Confirm your address"), body, NULL, now);
	}
	enum reminder_kind k;
	enum notice_kind nk;
	struct reminder rs[REMINDER_KIND_COUNT];
	const char *words;
	if (!row.confirmed_at)
		return NULL;
	if (notice_outbox_kind(o->kind, &nk)) {
		/* a notice of the partner's activity (domain/notice.h): its words, NULL when turned off since */
		if (!(words = notice_words(s, o->user_id, nk, CHANNEL_EMAIL, l, a, p)))
			return NULL;
	} else {
		if (!reminder_kind_parse(o->kind, &k) || !reminder_list_of(s, o->user_id, a, rs, p))
			return NULL;
		if (!rs[k].set || !(rs[k].channels & (1u << CHANNEL_EMAIL)))
			return NULL; /* turned off, or no longer by email */
		words = reminder_words(l, rs[k].text);
	}
	token_make(s, "email-unsubscribe", o->user_id, row.created_at, token);
	const char *unsub = arena_printf(a, "%s/unsubscribe/%s", m->public_url, token);
	const char *body = arena_printf(a, "%s\r\n\r\n-- \r\n%s %s\r\n", words, tr(l, "To stop these emails:"), unsub);
	return email_compose(a, m, o->id, to, l, words, body, unsub, now);
}

int email_send_due(struct store *s, const struct mail_settings *m, int64_t now, int max, int pause_ms)
{
	int handled = 0;
	for (; handled < max; handled++) {
		struct store_outbox o;
		enum store_status st = s->outbox_claim(s, now, now + EMAIL_LEASE_MS, &o);
		if (st == STORE_NOT_FOUND)
			break;
		if (st != STORE_OK)
			return -1;
		/* Quiet hours (domain/quiet.h): a reminder or a notice waits for their end; a confirmation does not. */
		int held = strcmp(o.kind, "confirm") != 0 ? quiet_hold(s, o.user_id, o.id, now, s->outbox_hold) : 0;
		if (held < 0)
			return -1;
		if (held)
			continue;
		struct arena *a = arena_new();
		if (!a)
			return -1;
		struct problem p = {0};
		char to[EMAIL_MAX_BYTES + 1];
		char *msg = message_for(s, m, &o, a, now, to, &p);
		char err[OUTBOX_ERROR_MAX] = "";
		if (!msg && p.outcome != OUTCOME_OK) {
			snprintf(err, sizeof err, "%s", p.message ? p.message : "store");
		} else if (msg) {
			if (pause_ms > 0) {
				struct timespec ts = {pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L};
				nanosleep(&ts, NULL); /* tests only: a window to kill the server in */
			}
			if (m->send(m, to, msg, err, sizeof err) != 0 && !err[0])
				snprintf(err, sizeof err, "the message could not be sent");
		}
		arena_free(a);
		if (!err[0]) {
			st = s->outbox_done(s, o.id, now);
		} else {
			st = s->outbox_retry(s, o.id, reminder_retry_at(o.attempts, EMAIL_ATTEMPTS_MAX, now), err);
		}
		if (st != STORE_OK && st != STORE_NOT_FOUND)
			return -1;
	}
	return handled;
}
