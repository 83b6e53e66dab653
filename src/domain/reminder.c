/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * reminder.c - the rules of reminders and the calendar feed (reminder.h).
 */
#include "reminder.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "keyring.h"
#include "push.h"
#include "text.h"

static const char *const kind_names[REMINDER_KIND_COUNT] = {
    [REMINDER_CHECKIN] = "checkin",
    [REMINDER_PROMPT] = "prompt",
    [REMINDER_AGREEMENT_REVIEW] = "agreement_review",
    [REMINDER_HOMEWORK] = "homework",
    [REMINDER_BREAK_OVER] = "break_over",
};
static const char *const channel_names[CHANNEL_COUNT] = {
    [CHANNEL_EMAIL] = "email",
    [CHANNEL_PUSH] = "push",
    [CHANNEL_CALENDAR] = "calendar",
};
static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

unsigned reminder_channels_offered(bool email)
{
	/* web push needs nothing from the operator: every server offers it (a person needs a device first) */
	return 1u << CHANNEL_CALENDAR | 1u << CHANNEL_PUSH | (email ? 1u << CHANNEL_EMAIL : 0);
}

bool reminder_kind_parse(const char *s, enum reminder_kind *out)
{
	int k = s ? word_find(s, kind_names, REMINDER_KIND_COUNT) : -1;
	if (k < 0)
		return false;
	*out = (enum reminder_kind)k;
	return true;
}

const char *reminder_kind_name(enum reminder_kind k)
{
	assert(k >= 0 && k < REMINDER_KIND_COUNT);
	return kind_names[k];
}

const char *reminder_channel_name(enum reminder_channel c)
{
	assert(c >= 0 && c < CHANNEL_COUNT);
	return channel_names[c];
}

const char *reminder_day_name(int bit)
{
	assert(bit >= 0 && bit < 7);
	return day_names[bit];
}

/* The associated data of a reminder's sealed words: its owner and kind. */
enum { TEXT_AD_SIZE = ID_LEN + REMINDER_KIND_MAX + 32 };
static void text_ad(const char *user_id, const char *kind, char out[TEXT_AD_SIZE])
{
	snprintf(out, TEXT_AD_SIZE, "reminder:%s:%s:text", user_id, kind);
}

static unsigned channels_of(const char *list)
{
	unsigned bits = 0;
	char copy[REMINDER_CHANNELS_MAX];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int c = word_find(w, channel_names, CHANNEL_COUNT);
		if (c >= 0)
			bits |= 1u << c;
	}
	return bits;
}

/* Opens one stored reminder into *out; false when its words cannot be opened. */
static bool reminder_from_store(struct store *s, const char *user_id, const struct store_reminder *sr,
                                struct reminder *out, struct problem *p)
{
	enum reminder_kind k;
	if (!reminder_kind_parse(sr->kind, &k))
		return true; /* a kind a later version wrote: not this one's to show */
	out = &out[k];
	out->kind = k;
	out->set = true;
	out->channels = channels_of(sr->channels);
	out->hour = sr->at_minute / 60;
	out->minute = sr->at_minute % 60;
	out->days = (unsigned)sr->days & 0x7f;
	out->updated_at = sr->updated_at;
	char ad[TEXT_AD_SIZE];
	text_ad(user_id, sr->kind, ad);
	enum store_status st = keyring_open_into(s->keys, s, ad, sr->text, out->text, sizeof out->text);
	return st == STORE_OK || problem_from_store(p, st);
}

bool reminder_list_of(struct store *s, const char *user_id, struct arena *a, struct reminder out[REMINDER_KIND_COUNT],
                      struct problem *p)
{
	for (int k = 0; k < REMINDER_KIND_COUNT; k++)
		out[k] = (struct reminder){.kind = (enum reminder_kind)k};
	struct store_reminder *items;
	int count;
	enum store_status st = s->reminder_list(s, a, user_id, &items, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	for (int i = 0; i < count; i++)
		if (!reminder_from_store(s, user_id, &items[i], out, p))
			return false;
	return true;
}

bool reminder_list(struct store *s, const struct viewer *v, struct arena *a, struct reminder out[REMINDER_KIND_COUNT],
                   struct problem *p)
{
	return reminder_list_of(s, v->user_id, a, out, p);
}

/* "HH:MM", 00:00 to 23:59. */
static bool time_parse(const char *s, int *hour, int *minute)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	*hour = (s[0] - '0') * 10 + (s[1] - '0');
	*minute = (s[3] - '0') * 10 + (s[4] - '0');
	return *hour < 24 && *minute < 60;
}

static void channels_check(enum reminder_kind k, const struct reminder_input *in, unsigned *bits, struct problem *p)
{
	*bits = 0;
	if (in->channel_count <= 0) {
		problem_add(p, "channels", "Choose how you would like to be reminded.");
		return;
	}
	for (int i = 0; i < in->channel_count; i++) {
		int c = word_find(in->channels[i], channel_names, CHANNEL_COUNT);
		if (c < 0) {
			problem_add(p, "channels", "A reminder comes by email, push or calendar.");
			return;
		}
		/* one literal a message, so that xgettext finds each (it takes one arm of a ?:) */
		if (!(in->offered & (1u << c)) && c == CHANNEL_EMAIL) {
			problem_add(
			    p, "channels",
			    "Reminders by email need an outgoing mail server, which this server does not have. Your "
			    "calendar can remind you instead.");
			return;
		}
		if (!(in->offered & (1u << c))) {
			problem_add(
			    p, "channels",
			    "Reminders on a device are not offered by this server. Your calendar can remind you "
			    "instead.");
			return;
		}
		*bits |= 1u << c;
	}
	if (k == REMINDER_BREAK_OVER && (*bits & (1u << CHANNEL_CALENDAR)))
		problem_add(p, "channels",
		            "A calendar cannot know ahead when a break ends, so it cannot remind you of it.");
}

static void days_check(const struct reminder_input *in, unsigned *bits, struct problem *p)
{
	*bits = 0;
	if (in->day_count <= 0) {
		problem_add(p, "days", "Choose at least one day of the week.");
		return;
	}
	for (int i = 0; i < in->day_count; i++) {
		int d = in->days[i] ? word_find(in->days[i], day_names, 7) : -1;
		if (d < 0) {
			problem_add(p, "days", "Days are mon, tue, wed, thu, fri, sat and sun.");
			return;
		}
		if (*bits & (1u << d)) {
			problem_add(p, "days", "Each day can be chosen once.");
			return;
		}
		*bits |= 1u << d;
	}
}

static void text_check(const char *text, struct problem *p)
{
	if (!text)
		return;
	/* one line: no line break, tab nor other control character */
	bool plain = true;
	for (const unsigned char *c = (const unsigned char *)text; *c && plain; c++)
		plain = *c >= 0x20 && *c != 0x7f;
	if (!*text || !plain || !text_fits(text, REMINDER_TEXT_MAX_CHARS))
		problem_add(p, "text",
		            "Write one line of 1 to 60 characters, or leave it empty for \"A moment for you\".");
}

/* Writes a reminder of user_id's, its words sealed under their key. */
static bool reminder_store(struct store *s, const char *user_id, const struct reminder *r, struct problem *p)
{
	struct store_reminder sr = {
	    .at_minute = r->hour * 60 + r->minute, .days = (int)r->days, .updated_at = r->updated_at};
	snprintf(sr.kind, sizeof sr.kind, "%s", kind_names[r->kind]);
	size_t n = 0;
	for (int c = 0; c < CHANNEL_COUNT; c++)
		if (r->channels & (1u << c))
			n += (size_t)snprintf(sr.channels + n, sizeof sr.channels - n, "%s%s", n ? "," : "",
			                      channel_names[c]);
	char ad[TEXT_AD_SIZE];
	text_ad(user_id, kind_names[r->kind], ad);
	enum store_status st = keyring_seal_field(s->keys, s, user_id, ad, r->text, sr.text, sizeof sr.text);
	if (st == STORE_OK)
		st = s->reminder_put(s, user_id, &sr);
	return st == STORE_OK || problem_from_store(p, st);
}

bool reminder_drop_channel(struct store *s, const char *user_id, enum reminder_channel c, struct arena *a,
                           struct problem *p)
{
	struct reminder rs[REMINDER_KIND_COUNT];
	if (!reminder_list_of(s, user_id, a, rs, p))
		return false;
	for (int k = 0; k < REMINDER_KIND_COUNT; k++) {
		if (!rs[k].set || !(rs[k].channels & (1u << c)))
			continue;
		rs[k].channels &= ~(1u << c);
		enum store_status st = STORE_OK;
		if (!rs[k].channels)
			st = s->reminder_delete(s, user_id, kind_names[k]);
		else if (!reminder_store(s, user_id, &rs[k], p))
			return false;
		if (st != STORE_OK && st != STORE_NOT_FOUND)
			return problem_from_store(p, st);
	}
	return true;
}

bool reminder_push_ready(struct store *s, const struct viewer *v, unsigned channels, struct problem *p)
{
	bool yes = false;
	if (!(channels & (1u << CHANNEL_PUSH)))
		return true;
	if (!push_has_device(s, v->user_id, &yes, p))
		return false;
	return yes || problem_set(p, OUTCOME_CONFLICT, "no_push_device", "channels",
	                          "Turn on notifications on a device first: on the Reminders page, on that device.");
}

bool reminder_set(struct store *s, const struct viewer *v, const char *kind, const struct reminder_input *in,
                  struct reminder *out, struct problem *p)
{
	enum reminder_kind k;
	if (!reminder_kind_parse(kind, &k))
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
		                   "Reminders are for check-in, prompt, agreement_review, homework or break_over.");
	*out = (struct reminder){.kind = k, .set = true};
	bool began = problem_join(p); /* every invalid field at once, the API's type checks first */
	channels_check(k, in, &out->channels, p);
	if (k == REMINDER_BREAK_OVER) {
		/* it comes when the break ends, whatever the day or the time: none to choose */
		out->days = 0x7f;
	} else {
		if (!time_parse(in->time, &out->hour, &out->minute))
			problem_add(p, "time", "Give a time of day as HH:MM, for example 20:30.");
		days_check(in, &out->days, p);
	}
	text_check(in->text, p);
	if (!problem_close(p, began))
		return false;
	if (!reminder_push_ready(s, v, out->channels, p))
		return false;
	snprintf(out->text, sizeof out->text, "%s", in->text ? in->text : REMINDER_DEFAULT_TEXT);
	out->updated_at = now_ms();
	return reminder_store(s, v->user_id, out, p);
}

bool reminder_remove(struct store *s, const struct viewer *v, const char *kind, struct problem *p)
{
	enum reminder_kind k;
	if (!reminder_kind_parse(kind, &k))
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "There is no such reminder.");
	enum store_status st = s->reminder_delete(s, v->user_id, kind_names[k]);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You have no such reminder.");
	return st == STORE_OK || problem_from_store(p, st);
}

/* The associated data of a feed's sealed token. */
static void feed_ad(const char *user_id, char out[ID_LEN + 32])
{
	snprintf(out, ID_LEN + 32, "calendar_feeds:%s:token", user_id);
}

bool calendar_new(struct store *s, const struct viewer *v, char *token, struct problem *p)
{
	char hash[TOKEN_HASH_LEN + 1], sealed[SEALED_SIZE(64)], ad[ID_LEN + 32];
	auth_token_new(token);
	auth_token_hash(token, strlen(token), hash);
	feed_ad(v->user_id, ad);
	enum store_status st = keyring_seal_field(s->keys, s, v->user_id, ad, token, sealed, sizeof sealed);
	if (st == STORE_OK)
		st = s->calendar_set(s, v->user_id, hash, sealed, now_ms());
	return st == STORE_OK || problem_from_store(p, st);
}

bool calendar_remove(struct store *s, const struct viewer *v, struct problem *p)
{
	enum store_status st = s->calendar_delete(s, v->user_id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You have no calendar link.");
	return st == STORE_OK || problem_from_store(p, st);
}

bool calendar_current(struct store *s, const struct viewer *v, char *token, int64_t *created_at, struct problem *p)
{
	struct store_calendar c;
	token[0] = '\0';
	*created_at = 0;
	enum store_status st = s->calendar_get(s, v->user_id, &c);
	if (st == STORE_NOT_FOUND)
		return true;
	char ad[ID_LEN + 32];
	feed_ad(v->user_id, ad);
	if (st == STORE_OK)
		st = keyring_open_into(s->keys, s, ad, c.token, token, TOKEN_TEXT_LEN + 1);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*created_at = c.created_at;
	return true;
}

bool calendar_feed(struct store *s, const char *token, struct arena *a, struct reminder out[REMINDER_KIND_COUNT],
                   char owner[ID_LEN + 1], char language[STORE_LANGUAGE_MAX], struct problem *p)
{
	char hash[TOKEN_HASH_LEN + 1];
	auth_token_hash(token, strlen(token), hash);
	enum store_status st = s->calendar_owner(s, hash, owner, language);
	if (st == STORE_NOT_FOUND)
		return problem_set(
		    p, OUTCOME_NOT_FOUND, "not_found", NULL,
		    "This calendar address does not work any more. A new one can be made on the Reminders "
		    "page.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!reminder_list_of(s, owner, a, out, p))
		return false;
	for (int k = 0; k < REMINDER_KIND_COUNT; k++)
		out[k].set = out[k].set && (out[k].channels & (1u << CHANNEL_CALENDAR));
	return true;
}

/* xgettext does not expand macros: the message is spelt out, and must be the stored default. */
_Static_assert(sizeof "A moment for you" == sizeof REMINDER_DEFAULT_TEXT,
               "reminder_words spells REMINDER_DEFAULT_TEXT");

const char *reminder_words(enum lang l, const char *text)
{
	return strcmp(text, REMINDER_DEFAULT_TEXT) == 0 ? tr(l, "A moment for you") : text;
}

int64_t reminder_occurrence_latest(const char *zone, unsigned days, int at_minute, int64_t now)
{
	char today[11];
	date_local(zone, now, today);
	for (int back = 0; back <= 7; back++) {
		char day[11];
		if (!date_add_days(today, -back, day))
			return 0;
		if (!(days & (1u << (date_iso_weekday(day) - 1))))
			continue;
		int64_t at = date_wall_ms(zone, day, at_minute / 60, at_minute % 60);
		if (at <= now)
			return at;
	}
	return 0;
}

int64_t reminder_window_from(int64_t last, int64_t now)
{
	int64_t from = last - REMINDER_OVERLAP_MS;
	return from < now - REMINDER_LATE_MS || from >= now ? now - REMINDER_LATE_MS : from;
}

int64_t reminder_row_latest(const struct store_email_reminder *r, int64_t now)
{
	const char *zone = r->own_zone[0] ? r->own_zone : r->space_zone[0] ? r->space_zone : "UTC";
	return reminder_occurrence_latest(zone, (unsigned)r->days, r->at_minute, now);
}

int64_t reminder_retry_at(int attempts, int max, int64_t now)
{
	if (attempts >= max)
		return INT64_MAX / 2;
	int64_t wait = 30000LL << (attempts < 7 ? (attempts > 0 ? attempts - 1 : 0) : 7);
	return now + (wait > 3600000 ? 3600000 : wait);
}
