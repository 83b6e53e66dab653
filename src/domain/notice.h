/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * notice.h - notices of the partner's activity (issue 15): "tell me when my
 * partner answers today's question" and the like, off until the person turns
 * them on, and only ever by the person.
 *
 * What a notice says: by default only "Something new in hearth"; the person
 * may choose instead to have the activity named ("Sam answered today's
 * question"). Never any words anyone wrote. Only what the partner chose to
 * share makes one: a private check-in, a side of a repair not shared yet, a
 * draft, make none. The partner never learns whether notices are on: the
 * action that may make one answers the same either way, and a fault in
 * queueing it is logged, never shown to them.
 *
 * Delivery goes through the outbox like a reminder's (exactly once, held in
 * quiet hours, domain/quiet.h), on the channels the person chose, as a
 * reminder carries them: email, and push (the push outbox, one message per
 * device; a device first, as for a reminder by push: 409 no_push_device). The same thing is noticed
 * once, and a kind at most once an hour: what happens while a notice waits
 * is told by that one, and what happens within the hour after one went out
 * waits for the hour's end.
 */
#ifndef HEARTH_NOTICE_H
#define HEARTH_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"
#include "../util/util.h"
#include "problem.h"
#include "reminder.h"

/* The activities a person can hear of, as the home page shows them to them (domain/home.c). */
enum notice_kind {
	NOTICE_PROMPT,    /* the partner answered today's question */
	NOTICE_CHECKIN,   /* the partner shared a check-in with me */
	NOTICE_REPAIR,    /* the partner opened a repair with me, or shared their side */
	NOTICE_AGREEMENT, /* the partner proposed an agreement */
	NOTICE_KIND_COUNT
};

/* The words of a notice unless the person chose to have the activity named. */
#define NOTICE_NEUTRAL_TEXT "Something new in hearth"
/* A kind of notice comes at most this often. */
#define NOTICE_GAP_MS (60LL * 60 * 1000)

/* A person's notice settings (on false: off, the rest empty). */
struct notice_settings {
	bool on;
	unsigned kinds;    /* 1u << enum notice_kind */
	bool named;        /* name the activity; false: NOTICE_NEUTRAL_TEXT */
	unsigned channels; /* 1u << enum reminder_channel */
	int64_t updated_at;
};

/* What a request asks for; counts of -1 are "not given". */
struct notice_input {
	const char *kinds[NOTICE_KIND_COUNT + 1];
	int kind_count;
	const char *wording; /* "neutral" (NULL too) or "named" */
	const char *channels[CHANNEL_COUNT + 1];
	int channel_count;
	unsigned offered; /* the channels this server offers (reminder_channels_offered) */
};

bool notice_kind_parse(const char *s, enum notice_kind *out);
const char *notice_kind_name(enum notice_kind k);

bool notice_get(struct store *s, const struct viewer *v, struct notice_settings *out, struct problem *p) WARN_UNUSED;
/*
 * Turns the viewer's notices on as `in` says: kinds (at least one, none
 * twice), wording, channels (at least one, each offered; a calendar cannot
 * carry them). Every invalid field at once (400), joining a collection the
 * caller began (problem_join); then push without a device is 409.
 */
bool notice_set(struct store *s, const struct viewer *v, const struct notice_input *in, struct notice_settings *out,
                struct problem *p) WARN_UNUSED;
/* Turns them off; 404 when they were off. */
bool notice_remove(struct store *s, const struct viewer *v, struct problem *p) WARN_UNUSED;
/* Every notice of user_id's stops coming by channel c; with none left, notices are off (one-click unsubscribe). */
bool notice_drop_channel(struct store *s, const char *user_id, enum reminder_channel c, struct problem *p) WARN_UNUSED;

/*
 * The viewer did something of kind k that their partner can see: `item`
 * names the thing (so it is noticed once). Queues a notice for the partner
 * when they asked for it. Never fails the caller: the action is done, and a
 * fault here is logged.
 */
void notice_partner_did(struct store *s, const struct viewer *v, enum notice_kind k, const char *item);
/* True when some of check-in c, the viewer's, is shared with their partner (checkin_visible's rule). */
bool notice_checkin_shared(const struct viewer *v, const struct store_checkin *c);
/* As notice_partner_did for a check-in the viewer wrote: only when some of it is shared with the partner. */
void notice_checkin_saved(struct store *s, const struct viewer *v, const struct store_checkin *c);

/* True when an outbox row's kind is a notice's ("notice_prompt", ...), and which. */
bool notice_outbox_kind(const char *outbox_kind, enum notice_kind *out);
/*
 * What a queued notice of kind k for user_id says on channel c, in their
 * language l (issue 16), in the arena; NULL with *p untouched when it has no point any more (notices or
 * that kind or channel turned off, no partner any more), NULL with *p set
 * when the store failed.
 */
const char *notice_words(struct store *s, const char *user_id, enum notice_kind k, enum reminder_channel c, enum lang l,
                         struct arena *a, struct problem *p);

#endif
