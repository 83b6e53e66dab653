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
/* iCalendar's names of the same days (RFC 5545 3.3.10, BYDAY). */
static const char *const ical_days[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

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
static const char *text_ad(struct arena *a, const char *user_id, const char *kind)
{
	return arena_printf(a, "reminder:%s:%s:text", user_id, kind);
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
static bool reminder_from_store(struct store *s, const char *user_id, struct arena *a, const struct store_reminder *sr,
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
	enum store_status st = keyring_open_into(s->keys, s, text_ad(a, user_id, sr->kind), sr->text, out->text,
	                                         sizeof out->text);
	return st == STORE_OK || problem_from_store(p, st);
}

static bool list_for(struct store *s, const char *user_id, struct arena *a, struct reminder out[REMINDER_KIND_COUNT],
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
		if (!reminder_from_store(s, user_id, a, &items[i], out, p))
			return false;
	return true;
}

bool reminder_list(struct store *s, const struct viewer *v, struct arena *a, struct reminder out[REMINDER_KIND_COUNT],
                   struct problem *p)
{
	return list_for(s, v->user_id, a, out, p);
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
		if (c != CHANNEL_CALENDAR) {
			problem_add(p, "channels",
			            c == CHANNEL_EMAIL
			                ? "Reminders by email are not offered on this server: this version of hearth "
			                  "sends no email yet. Your calendar can remind you instead."
			                : "Reminders on this device are not offered by this version of hearth yet. "
			                  "Your calendar can remind you instead.");
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
		if (d < 0 || (*bits & (1u << d))) {
			problem_add(p, "days", d < 0 ? "Days are mon, tue, wed, thu, fri, sat and sun."
			                             : "Each day can be chosen once.");
			return;
		}
		*bits |= 1u << d;
	}
}

static void text_check(const char *text, struct problem *p)
{
	if (!text)
		return;
	if (!text_fits(text, REMINDER_TEXT_MAX_CHARS) || !*text || strpbrk(text, "\r\n\t")) {
		problem_add(p, "text", "Write one line of 1 to 60 characters, or leave it empty for \"" REMINDER_DEFAULT_TEXT
		                       "\".");
		return;
	}
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		if (*c < 0x20 || *c == 0x7f) {
			problem_add(p, "text", "Write one line of 1 to 60 characters.");
			return;
		}
}

bool reminder_set(struct store *s, const struct viewer *v, const char *kind, const struct reminder_input *in,
                  struct reminder *out, struct problem *p)
{
	enum reminder_kind k;
	if (!reminder_kind_parse(kind, &k))
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
		                   "Reminders are for check-in, prompt, agreement_review, homework or break_over.");
	*out = (struct reminder){.kind = k, .set = true};
	problem_begin(p); /* every invalid field at once */
	channels_check(k, in, &out->channels, p);
	if (!time_parse(in->time, &out->hour, &out->minute))
		problem_add(p, "time", "Give a time of day as HH:MM, for example 20:30.");
	days_check(in, &out->days, p);
	text_check(in->text, p);
	if (!problem_none(p))
		return false;
	snprintf(out->text, sizeof out->text, "%s", in->text ? in->text : REMINDER_DEFAULT_TEXT);
	out->updated_at = now_ms();

	struct store_reminder sr = {.at_minute = out->hour * 60 + out->minute, .days = (int)out->days,
	                            .updated_at = out->updated_at};
	snprintf(sr.kind, sizeof sr.kind, "%s", kind_names[k]);
	size_t n = 0;
	for (int c = 0; c < CHANNEL_COUNT; c++)
		if (out->channels & (1u << c))
			n += (size_t)snprintf(sr.channels + n, sizeof sr.channels - n, "%s%s", n ? "," : "",
			                      channel_names[c]);
	char ad[ID_LEN + REMINDER_KIND_MAX + 32];
	snprintf(ad, sizeof ad, "reminder:%s:%s:text", v->user_id, kind_names[k]);
	enum store_status st = keyring_seal_field(s->keys, s, v->user_id, ad, out->text, sr.text, sizeof sr.text);
	if (st == STORE_OK)
		st = s->reminder_put(s, v->user_id, &sr);
	return st == STORE_OK || problem_from_store(p, st);
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

/*
 * One content line, folded at 75 octets (RFC 5545 3.1) without cutting a
 * UTF-8 character: a continuation line starts with a space.
 */
static int ical_line(struct buf *b, const char *line)
{
	size_t n = strlen(line), col = 0;
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		while (i + len < n && ((unsigned char)line[i + len] & 0xC0) == 0x80)
			len++;
		if (col + len > 75) {
			if (buf_puts(b, "\r\n ") < 0)
				return -1;
			col = 1;
		}
		if (buf_append(b, line + i, len) < 0)
			return -1;
		col += len;
		i += len;
	}
	return buf_puts(b, "\r\n");
}

/* A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped; the words hold no line break. */
static const char *ical_text(struct arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) * 2 + 1), *o = out;
	for (; *s; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* The first date from `from` on whose weekday is one of days (bit 0 Monday), so DTSTART is an occurrence. */
static void first_day(const char *from, unsigned days, char out[11])
{
	for (int i = 0; i < 7; i++) {
		char d[11];
		if (!date_add_days(from, i, d))
			break;
		/* 1970-01-01 was a Thursday: bit 3 */
		int64_t day = date_utc_ms(d, 0) / (24LL * 3600 * 1000);
		int bit = (int)(((day % 7) + 7 + 3) % 7);
		if (days & (1u << bit)) {
			memcpy(out, d, 11);
			return;
		}
	}
	memcpy(out, from, 11);
}

static int ical_event(struct buf *b, struct arena *a, const char *user_id, const struct reminder *r)
{
	/* An id that says nothing of the person or the kind to anyone who reads the file. */
	char uid[TOKEN_HASH_LEN + 1];
	const char *seed = arena_printf(a, "%s/%s", user_id, kind_names[r->kind]);
	auth_token_hash(seed, strlen(seed), uid);
	char made[11], start[11], stamp[32];
	date_local("UTC", r->updated_at, made);
	first_day(made, r->days, start);
	struct local_time t;
	(void)date_local_time("UTC", r->updated_at, &t);
	snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT%02d%02d00Z", t.date, t.date + 5, t.date + 8, t.hour, t.minute);
	char byday[32] = "";
	size_t n = 0;
	for (int d = 0; d < 7; d++)
		if (r->days & (1u << d))
			n += (size_t)snprintf(byday + n, sizeof byday - n, "%s%s", n ? "," : "", ical_days[d]);
	const char *text = ical_text(a, r->text);
	const char *lines[] = {
	    "BEGIN:VEVENT",
	    arena_printf(a, "UID:%.32s@hearth", uid),
	    arena_printf(a, "DTSTAMP:%s", stamp),
	    /* floating time: the time of day on the person's own clock, wherever they are */
	    arena_printf(a, "DTSTART:%.4s%.2s%.2sT%02d%02d00", start, start + 5, start + 8, r->hour, r->minute),
	    "DURATION:PT5M",
	    arena_printf(a, "RRULE:FREQ=WEEKLY;BYDAY=%s", byday),
	    arena_printf(a, "SUMMARY:%s", text),
	    "TRANSP:TRANSPARENT",
	    "BEGIN:VALARM",
	    "ACTION:DISPLAY",
	    arena_printf(a, "DESCRIPTION:%s", text),
	    "TRIGGER:PT0M",
	    "END:VALARM",
	    "END:VEVENT",
	};
	for (size_t i = 0; i < ARRAY_LEN(lines); i++)
		if (ical_line(b, lines[i]) < 0)
			return -1;
	return 0;
}

/* The feed of REMINDER_KIND_COUNT events at most, each well under 2 KB. */
#define FEED_MAX_BYTES (16 * 1024)

bool calendar_feed(struct store *s, const char *token, struct arena *a, char **out, struct problem *p)
{
	char hash[TOKEN_HASH_LEN + 1], user_id[ID_LEN + 1];
	auth_token_hash(token, strlen(token), hash);
	enum store_status st = s->calendar_owner(s, hash, user_id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL,
		                   "This calendar link does not work any more. A new one can be made on the "
		                   "Reminders page.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	struct reminder rs[REMINDER_KIND_COUNT];
	if (!list_for(s, user_id, a, rs, p))
		return false;
	struct buf b;
	buf_init(&b, FEED_MAX_BYTES);
	int rc = ical_line(&b, "BEGIN:VCALENDAR");
	rc = rc < 0 ? rc : ical_line(&b, "VERSION:2.0");
	rc = rc < 0 ? rc : ical_line(&b, "PRODID:-//hearth//reminders//EN");
	rc = rc < 0 ? rc : ical_line(&b, "CALSCALE:GREGORIAN");
	/* The name calendar apps show for the subscription: one that tells nothing. */
	rc = rc < 0 ? rc : ical_line(&b, "X-WR-CALNAME:Reminders");
	for (int k = 0; k < REMINDER_KIND_COUNT && rc == 0; k++)
		if (rs[k].set && (rs[k].channels & (1u << CHANNEL_CALENDAR)))
			rc = ical_event(&b, a, user_id, &rs[k]);
	rc = rc < 0 ? rc : ical_line(&b, "END:VCALENDAR");
	if (rc < 0) {
		buf_cleanup(&b);
		return problem_set(p, OUTCOME_ERROR, "internal", NULL, "Something went wrong on our side.");
	}
	*out = arena_strdup(a, b.data);
	buf_cleanup(&b);
	return true;
}
