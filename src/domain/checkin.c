/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.c - check-in rules and actions (see checkin.h).
 *
 * Visibility is decided here and only here: the store's list query narrows
 * the rows, and every row is checked again with checkin_visible before it
 * leaves this layer.
 */
#include "checkin.h"

#include "keyring.h"
#include "notice.h"
#include "prompt.h"
#include "page.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const item_names[CHECKIN_ITEMS] = {"mood", "connection", "secure", "appreciation", "need", "worry"};
/* The field an item's visibility is named by in a problem. */
static const char *const item_fields[CHECKIN_ITEMS] = {"visibility.mood",   "visibility.connection",
                                                       "visibility.secure", "visibility.appreciation",
                                                       "visibility.need",   "visibility.worry"};

bool checkin_validate(const struct checkin_input *in, bool partial, struct problem *p)
{
	assert(in && p);
	/* Every invalid field at once, so a form shows all that is wrong together. */
	problem_begin(p);
	if (!partial || in->has_mood) {
		if (!in->has_mood)
			problem_add(p, "mood", "Choose how your mood is, from 1 to 5.");
		else if (in->mood < 1 || in->mood > 5)
			problem_add(p, "mood", "Mood is a whole number from 1 to 5.");
	}
	if (!partial || in->has_connection) {
		if (!in->has_connection)
			problem_add(p, "connection", "Choose how connected you feel, 0 to 10.");
		else if (in->connection < 0 || in->connection > 10)
			problem_add(p, "connection", "Connection is a whole number from 0 to 10.");
	}
	if (!partial || in->has_secure) {
		if (!in->has_secure)
			problem_add(p, "secure", "Choose how secure you feel, 0 to 10.");
		else if (in->secure < 0 || in->secure > 10)
			problem_add(p, "secure", "Felt secure is a whole number from 0 to 10.");
	}
	(void)!text_ok(in->appreciation, "appreciation", p);
	(void)!text_ok(in->need, "need", p);
	(void)!text_ok(in->worry, "worry", p);
	if (in->has_items) {
		for (int i = 0; i < CHECKIN_ITEMS; i++) {
			enum visibility vis;
			if (in->item_visibility[i] && !visibility_parse(in->item_visibility[i], &vis))
				problem_add(p, item_fields[i],
				            "Choose who will see this item: private, partner or therapist.");
		}
	} else if (!partial || in->has_visibility) {
		enum visibility vis;
		if (!in->has_visibility || !visibility_parse(in->visibility, &vis))
			(void)!visibility_invalid(p);
	}
	return problem_none(p);
}

const char *checkin_item_field(enum checkin_item i)
{
	assert((int)i >= 0 && (int)i < CHECKIN_ITEMS);
	return item_fields[i];
}

const char *checkin_item_name(enum checkin_item i)
{
	assert((int)i >= 0 && (int)i < CHECKIN_ITEMS);
	return item_names[i];
}

/* The letter of a visibility in item_visibility, and back. */
static char vis_letter(enum visibility v)
{
	return v == VISIBILITY_THERAPIST ? 't' : v == VISIBILITY_PARTNER ? 'p' : 'o';
}

enum visibility checkin_item_visibility(const struct store_checkin *c, enum checkin_item i)
{
	assert((int)i >= 0 && (int)i < CHECKIN_ITEMS);
	enum visibility v = VISIBILITY_PRIVATE;
	if (strlen(c->item_visibility) == CHECKIN_ITEMS) {
		char l = c->item_visibility[i];
		/* An unknown letter shows nothing: the rule fails closed. */
		return l == 't' ? VISIBILITY_THERAPIST : l == 'p' ? VISIBILITY_PARTNER : VISIBILITY_PRIVATE;
	}
	if (!visibility_parse(c->visibility, &v))
		v = VISIBILITY_PRIVATE;
	return v;
}

void checkin_set_items(struct store_checkin *c, const enum visibility items[CHECKIN_ITEMS])
{
	enum visibility widest = VISIBILITY_PRIVATE;
	bool same = true;
	for (int i = 0; i < CHECKIN_ITEMS; i++) {
		if (items[i] > widest)
			widest = items[i];
		same &= items[i] == items[0];
		c->item_visibility[i] = vis_letter(items[i]);
	}
	c->item_visibility[CHECKIN_ITEMS] = 0;
	if (same)
		c->item_visibility[0] = 0;
	snprintf(c->visibility, sizeof c->visibility, "%s", visibility_name(widest));
}

const char *checkin_visibility_summary(const struct store_checkin *c)
{
	enum visibility first = checkin_item_visibility(c, ITEM_MOOD);
	for (int i = 1; i < CHECKIN_ITEMS; i++)
		if (checkin_item_visibility(c, (enum checkin_item)i) != first)
			return "mixed";
	return visibility_name(first);
}

void checkin_redact(struct store_checkin *c, const struct viewer *v, bool for_therapist)
{
	assert(c && v);
	if (!for_therapist && strcmp(c->author_id, v->user_id) == 0)
		return;
	for (int i = 0; i < CHECKIN_ITEMS; i++) {
		enum visibility vis = checkin_item_visibility(c, (enum checkin_item)i);
		bool shown = for_therapist ? vis == VISIBILITY_THERAPIST : vis != VISIBILITY_PRIVATE;
		c->hidden[i] = !shown;
		if (shown)
			continue;
		switch ((enum checkin_item)i) {
		case ITEM_MOOD:
			c->mood = 0;
			break;
		case ITEM_CONNECTION:
			c->connection = 0;
			break;
		case ITEM_SECURE:
			c->secure = 0;
			break;
		case ITEM_APPRECIATION:
			c->appreciation = NULL;
			break;
		case ITEM_NEED:
			c->need = NULL;
			break;
		case ITEM_WORRY:
			c->worry = NULL;
			break;
		}
	}
}

bool checkin_default_get(struct store *s, const struct viewer *v, enum visibility *out, struct problem *p)
{
	char word[16];
	enum store_status st = s->checkin_default_get(s, v->user_id, word);
	*out = VISIBILITY_PRIVATE;
	if (st == STORE_NOT_FOUND)
		return true;
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!visibility_parse(word, out))
		*out = VISIBILITY_PRIVATE;
	return true;
}

bool checkin_default_set(struct store *s, const struct viewer *v, const char *visibility, struct problem *p)
{
	enum visibility vis;
	problem_begin(p);
	if (!visibility_parse(visibility, &vis))
		return visibility_invalid(p);
	enum store_status st = s->checkin_default_set(s, v->user_id, visibility_name(vis));
	return st == STORE_OK || problem_from_store(p, st);
}

bool checkin_visible(const struct store_checkin *c, const struct viewer *v)
{
	assert(c && v); /* any viewer, even an empty one: the rule fails closed */
	if (strcmp(c->author_id, v->user_id) == 0)
		return true;
	if (!v->space_id[0] || !v->partner_id[0])
		return false;
	/* Shared when some item is: a visibility that does not parse shows nothing, the rule fails closed. */
	enum visibility vis;
	if (strcmp(c->space_id, v->space_id) != 0 || strcmp(c->author_id, v->partner_id) != 0 ||
	    !visibility_parse(c->visibility, &vis) || vis == VISIBILITY_PRIVATE)
		return false;
	for (int i = 0; i < CHECKIN_ITEMS; i++)
		if (checkin_item_visibility(c, (enum checkin_item)i) != VISIBILITY_PRIVATE)
			return true;
	return false;
}

/* An empty or blank text is stored as no text. */
static char *text_or_null(struct arena *a, const char *s)
{
	return text_blank(s) ? NULL : arena_strdup(a, s);
}

void checkin_apply(struct store_checkin *c, const struct checkin_input *in, struct arena *a)
{
	assert(c && in);
	if (in->has_mood)
		c->mood = in->mood;
	if (in->has_connection)
		c->connection = in->connection;
	if (in->has_secure)
		c->secure = in->secure;
	if (in->has_appreciation)
		c->appreciation = text_or_null(a, in->appreciation);
	if (in->has_need)
		c->need = text_or_null(a, in->need);
	if (in->has_worry)
		c->worry = text_or_null(a, in->worry);
	enum visibility items[CHECKIN_ITEMS];
	if (in->has_items) {
		/* Missing keys take the author's default. */
		for (int i = 0; i < CHECKIN_ITEMS; i++)
			if (!in->item_visibility[i] || !visibility_parse(in->item_visibility[i], &items[i]))
				items[i] = in->author_default;
		checkin_set_items(c, items);
	} else if (in->has_visibility && visibility_parse(in->visibility, &items[0])) {
		for (int i = 1; i < CHECKIN_ITEMS; i++)
			items[i] = items[0];
		checkin_set_items(c, items);
	}
}

static const char *const text_fields[3] = {"appreciation", "need", "worry"};

static char **text_slot(struct store_checkin *c, int i)
{
	return i == 0 ? &c->appreciation : i == 1 ? &c->need : &c->worry;
}

/* The associated data of a sealed field: the check-in and the field's name (its space may change). */
static void field_ad(const char *checkin_id, const char *field, char ad[96])
{
	/* snprintf(ad, 96, "checkin:%s:%s", ...)'s bytes without its format parsing: a page opens 80 values. */
	const char *parts[] = {"checkin:", checkin_id, ":", field};
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(parts); i++)
		for (const char *q = parts[i]; *q && n < 95; q++)
			ad[n++] = *q;
	ad[n] = '\0';
}

/* A copy of c whose scales and texts are sealed for storage; the scales as one value, "MOOD CONNECTION SECURE". */
static bool seal_fields(struct store *s, const struct store_checkin *c, struct arena *a, struct store_checkin *out,
                        struct problem *p)
{
	assert(c->mood >= 0 && c->mood <= 10 && c->connection >= 0 && c->connection <= 10 && c->secure >= 0 &&
	       c->secure <= 10);
	*out = *c;
	char ad[96], scales[16];
	snprintf(scales, sizeof scales, "%d %d %d", c->mood, c->connection, c->secure);
	field_ad(c->id, "scales", ad);
	enum store_status st =
	    keyring_seal_field(s->keys, s, c->space_id, ad, scales, out->sealed.scales, sizeof out->sealed.scales);
	for (int i = 0; i < 3 && st == STORE_OK; i++) {
		field_ad(c->id, text_fields[i], ad);
		st = keyring_seal(s->keys, s, c->space_id, ad, *text_slot(out, i), a, text_slot(out, i));
	}
	return st == STORE_OK || problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
}

/* Reads a scale of 0..10 from *s, followed by `end`; false for anything else. */
static bool scale_read(const char **s, char end, int *value)
{
	const char *q = *s;
	int v = 0, digits = 0;
	while (*q >= '0' && *q <= '9' && digits < 3)
		v = v * 10 + (*q++ - '0'), digits++;
	if (digits == 0 || v > 10 || *q != end)
		return false;
	*value = v;
	*s = q + (end != '\0');
	return true;
}

bool checkin_scales_read(const char *text, int *mood, int *connection, int *secure)
{
	const char *q = text;
	return scale_read(&q, ' ', mood) && scale_read(&q, ' ', connection) && scale_read(&q, '\0', secure);
}

bool checkin_open_point(struct store *s, const char *checkin_id, const char *sealed, int *mood, int *connection,
                        int *secure, struct problem *p)
{
	char ad[96], scales[16];
	field_ad(checkin_id, "scales", ad);
	enum store_status st = keyring_open_into(s->keys, s, ad, sealed, scales, sizeof scales);
	/* Three scales of 0..10 and nothing else, or it is no value this program sealed. */
	if (st == STORE_OK && !checkin_scales_read(scales, mood, connection, secure))
		st = STORE_ERROR;
	return st == STORE_OK || problem_from_store(p, st);
}

bool checkin_open(struct store *s, struct store_checkin *c, struct arena *a, struct problem *p)
{
	if (!checkin_open_point(s, c->id, c->sealed.scales, &c->mood, &c->connection, &c->secure, p))
		return false;
	char ad[96];
	for (int i = 0; i < 3; i++) {
		field_ad(c->id, text_fields[i], ad);
		enum store_status st = keyring_open_text(s->keys, s, ad, *text_slot(c, i), a, text_slot(c, i));
		if (st != STORE_OK)
			return problem_from_store(p, st);
	}
	return true;
}

bool checkin_store(struct store *s, const struct store_checkin *c, struct arena *a, struct problem *p)
{
	assert(c && id_valid(c->id) && id_valid(c->author_id));
	struct store_checkin sealed;
	if (!seal_fields(s, c, a, &sealed, p))
		return false;
	enum store_status st = s->checkin_insert(s, &sealed);
	return st == STORE_OK || problem_from_store(p, st);
}

bool checkin_create(struct store *s, const struct viewer *v, const struct checkin_input *in, struct arena *a,
                    struct store_checkin *out, struct problem *p)
{
	assert(viewer_sane(v) && in && out);
	if (!checkin_validate(in, false, p))
		return false;
	struct checkin_input with = *in;
	if (in->has_items && !checkin_default_get(s, v, &with.author_default, p))
		return false;
	in = &with;
	memset(out, 0, sizeof *out);
	id_new(out->id);
	snprintf(out->space_id, sizeof out->space_id, "%s", viewer_scope(v));
	snprintf(out->author_id, sizeof out->author_id, "%s", v->user_id);
	out->created_at = out->updated_at = now_ms();
	checkin_apply(out, in, a);
	if (!checkin_store(s, out, a, p))
		return false;
	/* No reply yet to an id made just now: checkin_ack_of needs no statement to say so. */
	out->ack = NULL;
	out->ack_read = true;
	notice_checkin_saved(s, v, out); /* issue 15: the partner may ask to hear of a shared one */
	return true;
}

bool checkin_read(struct store *s, const struct viewer *v, const char *id, struct arena *a, struct store_checkin *out,
                  struct problem *p)
{
	assert(viewer_sane(v));
	if (!id_valid(id))
		return problem_from_store(p, STORE_NOT_FOUND);
	enum store_status st = s->checkin_get(s, a, id, out);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!checkin_visible(out, v))
		return problem_from_store(p, STORE_NOT_FOUND);
	if (!checkin_open(s, out, a, p))
		return false;
	checkin_redact(out, v, false);
	return true;
}

bool checkin_read_own(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                      struct store_checkin *out, struct problem *p)
{
	assert(viewer_sane(v));
	if (!checkin_read(s, v, id, a, out, p))
		return false;
	if (strcmp(out->author_id, v->user_id) != 0)
		return problem_set(p, OUTCOME_FORBIDDEN, "forbidden", NULL,
		                   "Only the person who wrote a check-in can change it.");
	return true;
}

bool checkin_edit(struct store *s, const struct viewer *v, const char *id, const struct checkin_input *in,
                  struct arena *a, struct store_checkin *out, struct problem *p)
{
	assert(viewer_sane(v) && in && out);
	if (!checkin_read_own(s, v, id, a, out, p))
		return false;
	if (!checkin_validate(in, true, p))
		return false;
	struct checkin_input with = *in;
	if (in->has_items && !checkin_default_get(s, v, &with.author_default, p))
		return false;
	bool shared_before = notice_checkin_shared(v, out); /* issue 15: only a change to shared is news */
	checkin_apply(out, &with, a);
	out->updated_at = now_ms();
	struct store_checkin sealed;
	if (!seal_fields(s, out, a, &sealed, p))
		return false;
	enum store_status st = s->checkin_update(s, &sealed);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!shared_before)
		notice_checkin_saved(s, v, out); /* issue 15: shared now, perhaps (noticed once, ever) */
	return true;
}

bool checkin_remove(struct store *s, const struct viewer *v, const char *id, struct arena *a, struct problem *p)
{
	assert(viewer_sane(v));
	struct store_checkin c;
	if (!checkin_read_own(s, v, id, a, &c, p))
		return false;
	enum store_status st = s->checkin_delete(s, id, v->user_id);
	return st == STORE_OK || problem_from_store(p, st);
}

bool checkin_author_parse(const char *s, enum checkin_author *out)
{
	if (!s || strcmp(s, "all") == 0)
		*out = AUTHOR_ALL;
	else if (strcmp(s, "me") == 0)
		*out = AUTHOR_ME;
	else if (strcmp(s, "partner") == 0)
		*out = AUTHOR_PARTNER;
	else
		return false;
	return true;
}

/* Cursor text: "<created_at>.<id>"; opaque to clients. */
bool checkin_list(struct store *s, const struct viewer *v, enum checkin_author who, const char *cursor, int limit,
                  struct arena *a, struct checkin_page *out, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && out);
	char before_id[ID_LEN + 1] = "";
	struct checkin_query q = {.limit = limit + 1};
	if (!page_after(cursor, &q.before_time, before_id, p))
		return false;
	q.before_id = before_id;
	if (who != AUTHOR_PARTNER)
		q.mine_id = v->user_id;
	if (who != AUTHOR_ME && v->partner_id[0]) {
		q.space_id = v->space_id;
		q.partner_id = v->partner_id;
	}
	memset(out, 0, sizeof *out);
	if (!q.mine_id && !q.partner_id)
		return true; /* no partner: nothing of theirs to show */
	struct store_checkin *rows;
	int count;
	enum store_status st = s->checkin_list(s, a, &q, &rows, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	out->items = arena_alloc(a, sizeof *rows * (size_t)(count ? count : 1));
	for (int i = 0; i < count && i < limit; i++) {
		if (!checkin_visible(&rows[i], v))
			continue;
		if (!checkin_open(s, &rows[i], a, p))
			return false;
		checkin_redact(&rows[i], v, false);
		out->items[out->count++] = rows[i];
	}
	if (count > limit) {
		const struct store_checkin *last = &rows[limit - 1];
		out->next_cursor = page_cursor(a, last->created_at, last->id);
	}
	return true;
}

bool checkin_acknowledge(struct store *s, const struct viewer *v, const char *id, const char *kind, struct arena *a,
                         struct problem *p)
{
	assert(viewer_sane(v));
	enum prompt_ack ack;
	if (!prompt_ack_parse(kind, &ack))
		return problem_invalid(p, "kind", PROMPT_ACK_MESSAGE);
	struct store_checkin c;
	if (!checkin_read(s, v, id, a, &c, p))
		return false;
	if (strcmp(c.author_id, v->user_id) == 0)
		return problem_set(p, OUTCOME_FORBIDDEN, "forbidden", NULL,
		                   "Replies are for your partner's check-ins, not your own.");
	if (c.hidden[ITEM_APPRECIATION] || text_blank(c.appreciation))
		return problem_set(p, OUTCOME_CONFLICT, "nothing_to_acknowledge", NULL,
		                   "This check-in has no appreciation shared with you to answer.");
	/* Sealed as the daily question's acknowledgements are, bound to the check-in, its author and the giver. */
	char ad[PROMPT_ACK_AD_SIZE], sealed[SEALED_SIZE(16)];
	prompt_ack_ad(c.id, c.author_id, v->user_id, ad);
	enum store_status st =
	    keyring_seal_field(s->keys, s, c.space_id, ad, prompt_ack_name(ack), sealed, sizeof sealed);
	if (st == STORE_OK)
		st = s->prompt_ack_put(s, c.space_id, c.id, c.author_id, v->user_id, sealed, now_ms());
	return st == STORE_OK || problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
}

/*
 * The reply a list read brought along (store.h, struct store_checkin's ack): "created_at from_id
 * kind", or NULL for none. Anything else was not written by the store's query: STORE_ERROR.
 */
static enum store_status ack_parse(const char *ack, char word[SEALED_SIZE(16)], char from[ID_LEN + 1], int64_t *at)
{
	if (!ack)
		return STORE_NOT_FOUND;
	char *end;
	long long when = strtoll(ack, &end, 10);
	if (end == ack || *end != ' ')
		return STORE_ERROR;
	const char *id = end + 1;
	const char *sp = strchr(id, ' ');
	if (!sp || sp - id != ID_LEN || strlen(sp + 1) >= SEALED_SIZE(16))
		return STORE_ERROR;
	memcpy(from, id, ID_LEN);
	from[ID_LEN] = 0;
	snprintf(word, SEALED_SIZE(16), "%s", sp + 1);
	*at = when;
	return STORE_OK;
}

bool checkin_ack_of(struct store *s, const struct store_checkin *c, const char **kind, int64_t *at, struct problem *p)
{
	char word[SEALED_SIZE(16)], from[ID_LEN + 1], ad[PROMPT_ACK_AD_SIZE];
	*kind = NULL;
	*at = 0;
	enum store_status st = c->ack_read ? ack_parse(c->ack, word, from, at)
	                                   : s->checkin_ack_get(s, c->space_id, c->id, c->author_id, word, from, at);
	if (st == STORE_NOT_FOUND)
		return true;
	if (st == STORE_OK) {
		prompt_ack_ad(c->id, c->author_id, from, ad);
		st = keyring_open_field(s->keys, s, ad, word, sizeof word);
	}
	if (st != STORE_OK)
		return problem_from_store(p, st);
	enum prompt_ack ack;
	if (prompt_ack_parse(word, &ack))
		*kind = prompt_ack_name(ack);
	return true;
}
