/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * notice.c - notices of the partner's activity (notice.h): the setting,
 * queueing one when the partner shares something, and its words.
 */
#include "notice.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "checkin.h"
#include "keyring.h"

static const char *const kind_names[NOTICE_KIND_COUNT] = {
    [NOTICE_PROMPT] = "prompt",
    [NOTICE_CHECKIN] = "checkin",
    [NOTICE_REPAIR] = "repair",
    [NOTICE_AGREEMENT] = "agreement",
};
/* The outbox's kinds: one per notice kind, so coalescing and uniqueness are per kind. */
static const char *const outbox_kinds[NOTICE_KIND_COUNT] = {
    [NOTICE_PROMPT] = "notice_prompt",
    [NOTICE_CHECKIN] = "notice_checkin",
    [NOTICE_REPAIR] = "notice_repair",
    [NOTICE_AGREEMENT] = "notice_agreement",
};
/* The named words, the partner's name first: said in the reader's language (notice_words). */
static const char *const named_words[NOTICE_KIND_COUNT] = {
    [NOTICE_PROMPT] = N_("%s answered today's question"),
    [NOTICE_CHECKIN] = N_("%s shared a check-in"),
    [NOTICE_REPAIR] = N_("%s shared something in a repair"),
    [NOTICE_AGREEMENT] = N_("%s proposed an agreement"),
};
/* xgettext does not expand macros: the neutral words are spelt out where they are said. */
_Static_assert(sizeof "Something new in hearth" == sizeof NOTICE_NEUTRAL_TEXT,
               "notice_words spells NOTICE_NEUTRAL_TEXT");
static const char *const channel_words[CHANNEL_COUNT] = {"email", "push", "calendar"};

bool notice_kind_parse(const char *s, enum notice_kind *out)
{
	int k = s ? word_find(s, kind_names, NOTICE_KIND_COUNT) : -1;
	if (k < 0)
		return false;
	*out = (enum notice_kind)k;
	return true;
}

const char *notice_kind_name(enum notice_kind k)
{
	assert(k >= 0 && k < NOTICE_KIND_COUNT);
	return kind_names[k];
}

bool notice_outbox_kind(const char *outbox_kind, enum notice_kind *out)
{
	int k = outbox_kind ? word_find(outbox_kind, outbox_kinds, NOTICE_KIND_COUNT) : -1;
	if (k < 0)
		return false;
	*out = (enum notice_kind)k;
	return true;
}

static unsigned channels_of(const char *list)
{
	unsigned bits = 0;
	char copy[REMINDER_CHANNELS_MAX];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int c = word_find(w, channel_words, CHANNEL_COUNT);
		if (c >= 0)
			bits |= 1u << c;
	}
	return bits;
}

static void channels_text(unsigned bits, char out[REMINDER_CHANNELS_MAX])
{
	size_t n = 0;
	out[0] = '\0';
	for (int c = 0; c < CHANNEL_COUNT; c++)
		if (bits & (1u << c))
			n += (size_t)snprintf(out + n, REMINDER_CHANNELS_MAX - n, "%s%s", n ? "," : "",
			                      channel_words[c]);
}

/* user_id's settings; on false when off. */
static enum store_status settings_of(struct store *s, const char *user_id, struct notice_settings *out)
{
	struct store_notice n;
	*out = (struct notice_settings){0};
	enum store_status st = s->notice_get(s, user_id, &n);
	if (st == STORE_NOT_FOUND)
		return STORE_OK;
	if (st != STORE_OK)
		return st;
	*out = (struct notice_settings){.on = true,
	                                .kinds = (unsigned)n.kinds & ((1u << NOTICE_KIND_COUNT) - 1),
	                                .named = n.named,
	                                .channels = channels_of(n.channels),
	                                .updated_at = n.updated_at};
	return STORE_OK;
}

static enum store_status settings_store(struct store *s, const char *user_id, const struct notice_settings *in)
{
	struct store_notice n = {.kinds = (int)in->kinds, .named = in->named, .updated_at = in->updated_at};
	channels_text(in->channels, n.channels);
	return s->notice_put(s, user_id, &n);
}

bool notice_get(struct store *s, const struct viewer *v, struct notice_settings *out, struct problem *p)
{
	enum store_status st = settings_of(s, v->user_id, out);
	return st == STORE_OK || problem_from_store(p, st);
}

static void kinds_check(const struct notice_input *in, unsigned *bits, struct problem *p)
{
	*bits = 0;
	if (in->kind_count <= 0) {
		problem_add(p, "kinds", "Choose at least one thing to hear of, or turn notices off.");
		return;
	}
	for (int i = 0; i < in->kind_count; i++) {
		enum notice_kind k;
		if (!notice_kind_parse(in->kinds[i], &k)) { /* k is not set: never shift by it */
			problem_add(p, "kinds", "Notices are of prompt, checkin, repair and agreement.");
			return;
		}
		if (*bits & (1u << k)) {
			problem_add(p, "kinds", "Each kind can be chosen once.");
			return;
		}
		*bits |= 1u << k;
	}
}

static void channels_check(const struct notice_input *in, unsigned *bits, struct problem *p)
{
	*bits = 0;
	if (in->channel_count <= 0) {
		problem_add(p, "channels", "Choose how you would like to hear of it.");
		return;
	}
	for (int i = 0; i < in->channel_count; i++) {
		int c = in->channels[i] ? word_find(in->channels[i], channel_words, CHANNEL_COUNT) : -1;
		if (c < 0) {
			problem_add(p, "channels", "A notice comes by email or push.");
			return;
		}
		if (c == CHANNEL_CALENDAR) {
			problem_add(p, "channels", "A calendar cannot know ahead what your partner will do.");
			return;
		}
		if (!(in->offered & (1u << c))) {
			/* push is offered on every server: only email can be missing */
			problem_add(p, "channels",
			            "Notices by email need an outgoing mail server, which this server does not have.");
			return;
		}
		*bits |= 1u << c;
	}
}

bool notice_set(struct store *s, const struct viewer *v, const struct notice_input *in, struct notice_settings *out,
                struct problem *p)
{
	*out = (struct notice_settings){.on = true};
	bool began = problem_join(p); /* every invalid field at once, the API's type checks first */
	kinds_check(in, &out->kinds, p);
	if (in->wording && strcmp(in->wording, "neutral") != 0 && strcmp(in->wording, "named") != 0)
		problem_add(p, "wording", "Choose neutral (\"Something new in hearth\") or named.");
	channels_check(in, &out->channels, p);
	if (!problem_close(p, began))
		return false;
	/* by push as a reminder by push: a device to push to first (409 no_push_device) */
	if (!reminder_push_ready(s, v, out->channels, p))
		return false;
	out->named = in->wording && strcmp(in->wording, "named") == 0;
	out->updated_at = now_ms();
	enum store_status st = settings_store(s, v->user_id, out);
	return st == STORE_OK || problem_from_store(p, st);
}

bool notice_remove(struct store *s, const struct viewer *v, struct problem *p)
{
	enum store_status st = s->notice_delete(s, v->user_id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "Your notices are off already.");
	return st == STORE_OK || problem_from_store(p, st);
}

bool notice_drop_channel(struct store *s, const char *user_id, enum reminder_channel c, struct problem *p)
{
	struct notice_settings n;
	enum store_status st = settings_of(s, user_id, &n);
	if (st == STORE_OK && n.on && (n.channels & (1u << c))) {
		n.channels &= ~(1u << c);
		st = n.channels ? settings_store(s, user_id, &n) : s->notice_delete(s, user_id);
	}
	return st == STORE_OK || st == STORE_NOT_FOUND || problem_from_store(p, st);
}

void notice_partner_did(struct store *s, const struct viewer *v, enum notice_kind k, const char *item)
{
	assert(k >= 0 && k < NOTICE_KIND_COUNT && item);
	if (!v->space_id[0] || !v->partner_id[0])
		return; /* nobody to tell */
	struct notice_settings n;
	enum store_status st = settings_of(s, v->partner_id, &n);
	if (st == STORE_OK && (!n.on || !(n.kinds & (1u << k)) || !n.channels))
		return;
	char id[ID_LEN + 1], logged[ID_LEN + 48];
	id_new(id);
	snprintf(logged, sizeof logged, "%s:%s", kind_names[k], item);
	bool queued;
	if (st == STORE_OK)
		st = s->notice_queue(s, id, v->partner_id, outbox_kinds[k], logged, n.channels & (1u << CHANNEL_EMAIL),
		                     n.channels & (1u << CHANNEL_PUSH), now_ms(), NOTICE_GAP_MS, &queued);
	if (st != STORE_OK)
		fprintf(stderr, "{\"level\":\"warning\",\"msg\":\"a notice could not be queued\",\"status\":\"%s\"}\n",
		        store_status_name(st));
}

bool notice_checkin_shared(const struct viewer *v, const struct store_checkin *c)
{
	if (!v->space_id[0] || !v->partner_id[0])
		return false;
	/* the partner as checkin_visible sees them: the one rule of what is shared */
	struct viewer partner = {0};
	snprintf(partner.user_id, sizeof partner.user_id, "%s", v->partner_id);
	snprintf(partner.space_id, sizeof partner.space_id, "%s", v->space_id);
	snprintf(partner.partner_id, sizeof partner.partner_id, "%s", v->user_id);
	return checkin_visible(c, &partner);
}

void notice_checkin_saved(struct store *s, const struct viewer *v, const struct store_checkin *c)
{
	if (notice_checkin_shared(v, c))
		notice_partner_did(s, v, NOTICE_CHECKIN, c->id);
}

const char *notice_words(struct store *s, const char *user_id, enum notice_kind k, enum reminder_channel c, enum lang l,
                         struct arena *a, struct problem *p)
{
	struct notice_settings n;
	struct store_notice_partner partner;
	enum store_status st = settings_of(s, user_id, &n);
	if (st == STORE_OK && (!n.on || !(n.kinds & (1u << k)) || !(n.channels & (1u << c))))
		return NULL; /* turned off since it was queued */
	if (st == STORE_OK)
		st = s->notice_partner(s, user_id, &partner);
	if (st == STORE_NOT_FOUND)
		return NULL; /* the partner left: nothing to tell of any more */
	if (st == STORE_OK && !n.named)
		return tr(l, "Something new in hearth");
	char ad[96];
	snprintf(ad, sizeof ad, "user:%s:display_name", partner.id);
	if (st == STORE_OK)
		st = keyring_open_field(s->keys, s, ad, partner.name, sizeof partner.name);
	if (st != STORE_OK) {
		problem_from_store(p, st);
		return NULL;
	}
	return arena_printf(a, tr(l, named_words[k]), partner.name[0] ? partner.name : tr(l, "Your partner"));
}
