/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * reminder.h - reminders that reveal nothing (issue 15): what a person asks
 * to be reminded of, when, and through which channel, and the private
 * calendar feed that carries them.
 *
 * Only the person sets their reminders (never the partner). A reminder's
 * words are the person's own choice, "A moment for you" unless they write
 * others, and never anything anyone wrote in hearth: a lock screen seen by
 * someone else shows nothing of the relationship. The words are sealed at
 * rest under the person's own key.
 *
 * Channels: "calendar" (a private iCalendar feed, RFC 5545, the person's
 * calendar app reminds them) on every server; "email" where the server has
 * an outgoing mail server (domain/email.h); "push" on every server, once the
 * person has turned notifications on on a device (domain/push.h). A break's
 * end cannot be in a calendar (nobody knows it ahead).
 */
#ifndef HEARTH_REMINDER_H
#define HEARTH_REMINDER_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"
#include "../util/i18n.h"
#include "../util/util.h"
#include "auth.h"
#include "problem.h"

enum reminder_kind {
	REMINDER_CHECKIN,
	REMINDER_PROMPT,
	REMINDER_AGREEMENT_REVIEW,
	REMINDER_HOMEWORK,
	REMINDER_BREAK_OVER,
	REMINDER_KIND_COUNT
};

enum reminder_channel { CHANNEL_EMAIL, CHANNEL_PUSH, CHANNEL_CALENDAR, CHANNEL_COUNT };

/* The words a reminder says when the person chose none: stored so, in English; said by reminder_words. */
#define REMINDER_DEFAULT_TEXT "A moment for you"
/* A reminder's words: 1 to 60 characters, one line. */
#define REMINDER_TEXT_MAX_CHARS 60

/* A reminder as the person set it (set false: none of this kind). */
struct reminder {
	enum reminder_kind kind;
	bool set;
	unsigned channels; /* 1u << enum reminder_channel */
	int hour, minute;  /* in the person's own time */
	unsigned days;     /* bit 0 Monday .. bit 6 Sunday */
	char text[REMINDER_TEXT_MAX_BYTES + 1];
	int64_t updated_at;
};

/* What a request asks for; NULL or 0 counts are "not given". */
struct reminder_input {
	const char *channels[CHANNEL_COUNT + 1];
	int channel_count; /* -1: not given */
	const char *time;  /* "HH:MM" */
	const char *days[8];
	int day_count; /* -1: not given */
	const char *text;
	unsigned offered; /* the channels this server offers (1u << enum reminder_channel) */
};

/* The channels a server offers: the calendar and push always, email when it has an outgoing mail server. */
unsigned reminder_channels_offered(bool email);

bool reminder_kind_parse(const char *s, enum reminder_kind *out);
const char *reminder_kind_name(enum reminder_kind k);
const char *reminder_channel_name(enum reminder_channel c);
/* "mon" .. "sun" for bit 0 .. 6. */
const char *reminder_day_name(int bit);

/* Every kind, in order, each with set true when the person has that reminder. */
bool reminder_list(struct store *s, const struct viewer *v, struct arena *a, struct reminder out[REMINDER_KIND_COUNT],
                   struct problem *p) WARN_UNUSED;
/*
 * Sets the viewer's reminder of `kind` (a kind name) from in: channels (at
 * least one, each offered here), time (HH:MM), days (at least one of
 * mon..sun, none twice), text (optional, 1..60 characters on one line).
 * break_over takes no time or days: it comes when a break ends.
 * Every invalid field at once (400); an unknown kind is 404; push without a
 * device of the viewer's to push to is 409 no_push_device.
 */
bool reminder_set(struct store *s, const struct viewer *v, const char *kind, const struct reminder_input *in,
                  struct reminder *out, struct problem *p) WARN_UNUSED;
/* user_id's reminders, as reminder_list (the feed and the outbox, which have no viewer). */
bool reminder_list_of(struct store *s, const char *user_id, struct arena *a, struct reminder out[REMINDER_KIND_COUNT],
                      struct problem *p) WARN_UNUSED;
/* Every reminder of user_id's stops coming by channel c; one left with no channel ends. */
bool reminder_drop_channel(struct store *s, const char *user_id, enum reminder_channel c, struct arena *a,
                           struct problem *p) WARN_UNUSED;
/* Removes it; 404 when there was none (or the kind is unknown). */
bool reminder_remove(struct store *s, const struct viewer *v, const char *kind, struct problem *p) WARN_UNUSED;

/* A new private feed token for the viewer (the old one stops working): token[TOKEN_TEXT_LEN + 1]. */
bool calendar_new(struct store *s, const struct viewer *v, char *token, struct problem *p) WARN_UNUSED;
/* Ends the viewer's feed; 404 when they had none. */
bool calendar_remove(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;
/* The viewer's feed token (token[0] '\0': none) and since when. */
bool calendar_current(struct store *s, const struct viewer *v, char *token, int64_t *created_at,
                      struct problem *p) WARN_UNUSED;
/*
 * The reminders of the feed a token opens: out[k].set for each on the
 * calendar channel, the feed's owner and their language setting ("" for
 * none). 404 for an unknown or ended token.
 * The feed's text is web/render/ics.c's.
 */
bool calendar_feed(struct store *s, const char *token, struct arena *a, struct reminder out[REMINDER_KIND_COUNT],
                   char owner[ID_LEN + 1], char language[STORE_LANGUAGE_MAX], struct problem *p) WARN_UNUSED;
/*
 * What a reminder with these words says to a reader of language l: the
 * person's own words as they wrote them, the default words in l. Calendar,
 * email and push speak the language of the person reminded (issue 16).
 */
const char *reminder_words(enum lang l, const char *text);

/*
 * True when channels leave push out or the person has a device to push to
 * (domain/push.h); otherwise 409 no_push_device on the field channels. A
 * notice by push needs the same (domain/notice.c).
 */
bool reminder_push_ready(struct store *s, const struct viewer *v, unsigned channels, struct problem *p) WARN_UNUSED;

/*
 * The latest moment at or before now when a reminder at at_minute on days
 * (bit 0 Monday) fires in zone (an IANA name); 0 when none this past week.
 * The schedulers of email and push go by it.
 */
int64_t reminder_occurrence_latest(const char *zone, unsigned days, int at_minute, int64_t now);
/* The same for a stored reminder, in its person's zone: their own, else their space's, else UTC. */
int64_t reminder_row_latest(const struct store_email_reminder *r, int64_t now);

/* An occurrence found later than this after its time is not sent (the server was down). */
#define REMINDER_LATE_MS (60LL * 60 * 1000)
/* How far each scheduler's call looks back before the last one's now. */
#define REMINDER_OVERLAP_MS (60LL * 1000)
/*
 * Where a scheduler (email, push) looks from, given the last good call's now:
 * a minute of overlap with it, so a reminder written just before it read but
 * committed just after is still seen (each outbox's uniqueness keeps a second
 * try from queueing twice); never further back than REMINDER_LATE_MS (older
 * occurrences were missed while the server was down), nor from a time not
 * before now (a clock set back).
 */
int64_t reminder_window_from(int64_t last, int64_t now);

/*
 * When the outboxes (email and push) try a message again after its
 * attempts-th try failed: 30 s, 1 min, 2 min ... at most an hour apart;
 * after the max-th, never (a time no claim reaches).
 */
int64_t reminder_retry_at(int attempts, int max, int64_t now);

#endif
