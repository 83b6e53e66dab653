/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * prompt.c - the daily prompt (see prompt.h).
 */
#include "prompt.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/i18n.h"
#include "checkin.h"
#include "date.h"
#include "keyring.h"
#include "notice.h"
#include "page.h"
#include "repair.h"
#include "text.h"
#include "visibility.h"

static bool seen_has(char (*seen)[16], int count, const char *id)
{
	for (int i = 0; i < count; i++)
		if (strcmp(seen[i], id) == 0)
			return true;
	return false;
}

const struct prompt *prompt_choose(char (*seen)[16], int seen_count, const char *salt)
{
	assert(seen_count >= 0 && (seen_count == 0 || seen) && salt);
	size_t n = content_prompt_count();
	if (n == 0)
		return NULL;
	int unseen = 0;
	for (size_t i = 0; i < n; i++)
		unseen += !seen_has(seen, seen_count, content_prompt(i)->id);
	bool fresh_round = unseen == 0; /* the deck is used up: begin again */
	int progress = fresh_round ? 0 : seen_count;
	int target = progress < 14 ? 1 : progress < 42 ? 2 : 3;
	/* Rotate through the categories in deck order, one a day. */
	const char *categories[16];
	int ncat = 0;
	for (size_t i = 0; i < n && ncat < 16; i++) {
		bool known = false;
		for (int k = 0; k < ncat; k++)
			known |= strcmp(categories[k], content_prompt(i)->category) == 0;
		if (!known)
			categories[ncat++] = content_prompt(i)->category;
	}
	unsigned char h[8];
	crypto_generichash(h, sizeof h, (const unsigned char *)salt, strlen(salt), NULL, 0);
	uint64_t r = 0;
	for (size_t i = 0; i < sizeof h; i++)
		r = r << 8 | h[i];
	const char *want_cat = categories[(size_t)progress % (size_t)ncat];
	/* Try: target depth in today's category; target depth anywhere; shallower; anything unseen. */
	for (int pass = 0; pass < 4; pass++) {
		int count = 0;
		const struct prompt *pick = NULL;
		for (int round = 0; round < 2; round++) {
			int k = 0;
			for (size_t i = 0; i < n; i++) {
				const struct prompt *q = content_prompt(i);
				if (!fresh_round && seen_has(seen, seen_count, q->id))
					continue;
				bool fits = pass == 0   ? q->depth == target && strcmp(q->category, want_cat) == 0
				            : pass == 1 ? q->depth == target
				            : pass == 2 ? q->depth <= target
				                        : true;
				if (!fits)
					continue;
				if (round == 0)
					count++;
				else if (k++ == (int)(r % (uint64_t)count))
					pick = q;
			}
			if (count == 0)
				break;
		}
		if (pick)
			return pick;
	}
	return content_prompt(0);
}

static bool answer_text(struct store *s, struct store_prompt_answer *ans, struct arena *a, char **out,
                        struct problem *p)
{
	char *ad = arena_printf(a, "prompt:%s:%s:text", ans->day_id, ans->author_id);
	enum store_status st = keyring_open_text(s->keys, s, ad, ans->text, a, out);
	return st == STORE_OK || problem_from_store(p, st);
}

/* The acknowledgement on an answer, opened (NULL when there is none). */
static bool ack_kind(struct store *s, struct store_prompt_answer *ans, struct arena *a, const char **out,
                     struct problem *p)
{
	*out = NULL;
	if (!ans->ack_kind[0])
		return true;
	char ad[PROMPT_ACK_AD_SIZE];
	prompt_ack_ad(ans->day_id, ans->author_id, ans->ack_from, ad);
	enum store_status st = keyring_open_field(s->keys, s, ad, ans->ack_kind, sizeof ans->ack_kind);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*out = arena_strdup(a, ans->ack_kind);
	return true;
}

/* Fills a view for a stored day: my answer; the partner's only after mine. */
static bool build_view(struct store *s, const struct viewer *v, const struct store_prompt_day *day, const char *today,
                       struct arena *a, struct prompt_view *out, struct problem *p)
{
	memset(out, 0, sizeof *out);
	out->day = *day;
	out->prompt = content_prompt_by_id(day->prompt_id);
	out->has_partner = v->partner_id[0] != 0;
	if (!out->prompt)
		return problem_set(p, OUTCOME_ERROR, "internal", NULL, "This prompt is no longer in the deck.");
	struct store_prompt_answer answers[2];
	int count = 0;
	enum store_status st = s->prompt_answers(s, a, day->scope_id, day->id, answers, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	struct store_prompt_answer *mine = NULL, *partner = NULL;
	for (int i = 0; i < count; i++) {
		if (strcmp(answers[i].author_id, v->user_id) == 0)
			mine = &answers[i];
		else if (v->partner_id[0] && strcmp(answers[i].author_id, v->partner_id) == 0)
			partner = &answers[i];
	}
	out->partner_answered = partner != NULL;
	struct store_prompt_answer kept[2];
	if (!mine && v->space_id[0]) {
		/* Answered, then the space's history ended (a partner left): the answer stays in the person's own
		 * scope. */
		int k = 0;
		st = s->prompt_answers(s, a, v->user_id, day->id, kept, &k);
		if (st != STORE_OK)
			return problem_from_store(p, st);
		for (int i = 0; i < k; i++)
			if (strcmp(kept[i].author_id, v->user_id) == 0)
				mine = &kept[i];
	}
	if (mine) {
		if (!answer_text(s, mine, a, &out->mine, p))
			return false;
		if (!ack_kind(s, mine, a, &out->ack_on_mine, p))
			return false;
		if (partner) {
			if (!answer_text(s, partner, a, &out->partner, p))
				return false;
			if (!ack_kind(s, partner, a, &out->ack_on_partner, p))
				return false;
		}
	}
	bool skipped = false;
	if (today && strcmp(day->date, today) == 0 && count == 0) {
		st = s->prompt_skipped(s, day->scope_id, day->date, v->user_id, &skipped);
		if (st != STORE_OK)
			return problem_from_store(p, st);
		out->can_skip = !skipped;
	}
	return true;
}

/* Makes the day's row when there is none yet (another request may win the race). */
static bool day_for(struct store *s, const char *scope, const char *date, struct arena *a, struct store_prompt_day *day,
                    struct problem *p)
{
	enum store_status st = s->prompt_day_get(s, scope, date, day);
	if (st == STORE_OK)
		return true;
	if (st != STORE_NOT_FOUND)
		return problem_from_store(p, st);
	/* Issue 15: a deck question somebody asked for this date comes first. */
	char chosen[16];
	const struct prompt *q = NULL;
	st = s->prompt_override_get(s, scope, date, chosen);
	if (st == STORE_OK)
		q = content_prompt_by_id(chosen); /* NULL: a question no longer shipped; the deck chooses */
	else if (st != STORE_NOT_FOUND)
		return problem_from_store(p, st);
	if (!q) {
		char(*seen)[16];
		int count = 0;
		st = s->prompt_seen(s, a, scope, &seen, &count);
		if (st != STORE_OK)
			return problem_from_store(p, st);
		q = prompt_choose(seen, count, arena_printf(a, "%s:%s", scope, date));
	}
	memset(day, 0, sizeof *day);
	id_new(day->id);
	snprintf(day->scope_id, sizeof day->scope_id, "%s", scope);
	snprintf(day->date, sizeof day->date, "%s", date);
	snprintf(day->prompt_id, sizeof day->prompt_id, "%s", q->id);
	day->created_at = now_ms();
	st = s->prompt_day_insert(s, day);
	if (st == STORE_CONFLICT)
		st = s->prompt_day_get(s, scope, date, day);
	return st == STORE_OK || problem_from_store(p, st);
}

bool prompt_today(struct store *s, const struct viewer *v, struct arena *a, struct prompt_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	char today[11];
	date_local(v->time_zone, now_ms(), today);
	struct store_prompt_day day;
	return day_for(s, viewer_scope(v), today, a, &day, p) && build_view(s, v, &day, today, a, out, p);
}

/* The viewer's tomorrow, on their own clock; false only past the calendar's end. */
static bool tomorrow_of(const struct viewer *v, char out[11])
{
	char today[11];
	date_local(v->time_zone, now_ms(), today);
	return date_add_days(today, 1, out);
}

bool prompt_tomorrow(struct store *s, const struct viewer *v, const char *question_id, struct prompt_tomorrow *out,
                     struct problem *p)
{
	assert(viewer_sane(v) && out);
	memset(out, 0, sizeof *out);
	const struct deck *deck = content_deck_of(question_id);
	if (!deck)
		return problem_invalid(p, "question_id", "Choose a question from one of the decks.");
	if (!tomorrow_of(v, out->date))
		return problem_set(p, OUTCOME_ERROR, "internal", NULL, "Tomorrow's date could not be worked out.");
	/* Tomorrow has already begun for this scope (a partner in a zone ahead opened it): its question stays. */
	struct store_prompt_day day;
	enum store_status st = s->prompt_day_get(s, viewer_scope(v), out->date, &day);
	if (st == STORE_OK)
		return problem_set(p, OUTCOME_CONFLICT, "conflict", NULL,
		                   "Tomorrow's question has already begun, so it stays. Try again tomorrow.");
	if (st != STORE_NOT_FOUND)
		return problem_from_store(p, st);
	st = s->prompt_override_put(s, viewer_scope(v), out->date, question_id, now_ms());
	if (st != STORE_OK)
		return problem_from_store(p, st);
	out->deck = deck;
	out->question = content_prompt_by_id(question_id);
	return true;
}

bool prompt_tomorrow_chosen(struct store *s, const struct viewer *v, char question_id[16], struct problem *p)
{
	assert(viewer_sane(v));
	char tomorrow[11];
	question_id[0] = '\0';
	if (!tomorrow_of(v, tomorrow))
		return true;
	enum store_status st = s->prompt_override_get(s, viewer_scope(v), tomorrow, question_id);
	return st == STORE_OK || st == STORE_NOT_FOUND || problem_from_store(p, st);
}

bool prompt_load(struct store *s, const struct viewer *v, const char *day_id, struct arena *a, struct prompt_view *out,
                 struct problem *p)
{
	assert(viewer_sane(v) && out);
	struct store_prompt_day day;
	if (!id_valid(day_id))
		return problem_from_store(p, STORE_NOT_FOUND);
	enum store_status st = s->prompt_day_by_id(s, day_id, &day);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (strcmp(day.scope_id, viewer_scope(v)) != 0)
		return problem_from_store(p, STORE_NOT_FOUND);
	char today[11];
	date_local(v->time_zone, now_ms(), today);
	return build_view(s, v, &day, today, a, out, p);
}

bool prompt_answer(struct store *s, const struct viewer *v, const char *day_id, const char *text, struct arena *a,
                   struct prompt_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!prompt_load(s, v, day_id, a, out, p))
		return false;
	if (out->mine)
		return problem_set(p, OUTCOME_CONFLICT, "already_answered", NULL,
		                   "You have already answered this prompt.");
	if (text_blank(text))
		return problem_invalid(p, "text", "Write a few words to answer.");
	if (!text_fits(text, PROMPT_ANSWER_MAX))
		return problem_invalid(p, "text", "Please keep your answer to 4000 characters or fewer.");
	struct store_prompt_answer ans = {0};
	snprintf(ans.day_id, sizeof ans.day_id, "%s", out->day.id);
	snprintf(ans.scope_id, sizeof ans.scope_id, "%s", out->day.scope_id);
	snprintf(ans.author_id, sizeof ans.author_id, "%s", v->user_id);
	snprintf(ans.date, sizeof ans.date, "%s", out->day.date);
	snprintf(ans.prompt_id, sizeof ans.prompt_id, "%s", out->day.prompt_id);
	ans.created_at = now_ms();
	char *ad = arena_printf(a, "prompt:%s:%s:text", ans.day_id, ans.author_id);
	enum store_status st = keyring_seal(s->keys, s, ans.scope_id, ad, text, a, &ans.text);
	if (st == STORE_OK)
		st = s->prompt_answer_insert(s, &ans);
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "already_answered", NULL,
		                   "You have already answered this prompt.");
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	if (strcmp(ans.scope_id, v->space_id) == 0)
		notice_partner_did(s, v, NOTICE_PROMPT, ans.day_id); /* issue 15 */
	return prompt_load(s, v, day_id, a, out, p);
}

bool prompt_acknowledge(struct store *s, const struct viewer *v, const char *day_id, const char *kind, struct arena *a,
                        struct prompt_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	enum prompt_ack ack;
	if (!prompt_ack_parse(kind, &ack))
		return problem_invalid(p, "kind", PROMPT_ACK_MESSAGE);
	if (!prompt_load(s, v, day_id, a, out, p))
		return false;
	if (!out->partner)
		return problem_set(p, OUTCOME_CONFLICT, "conflict", NULL,
		                   "You can acknowledge your partner's answer once you have both answered.");
	char ad[PROMPT_ACK_AD_SIZE], sealed[SEALED_SIZE(16)];
	prompt_ack_ad(out->day.id, v->partner_id, v->user_id, ad);
	enum store_status st =
	    keyring_seal_field(s->keys, s, out->day.scope_id, ad, prompt_ack_name(ack), sealed, sizeof sealed);
	if (st == STORE_OK)
		st = s->prompt_ack_put(s, out->day.scope_id, out->day.id, v->partner_id, v->user_id, sealed, now_ms());
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return prompt_load(s, v, day_id, a, out, p);
}

bool prompt_skip(struct store *s, const struct viewer *v, struct arena *a, struct prompt_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!prompt_today(s, v, a, out, p))
		return false;
	if (!out->can_skip)
		return problem_set(p, OUTCOME_CONFLICT, "conflict", NULL,
		                   out->mine || out->partner_answered
		                       ? N_("Today's prompt already has an answer, so it stays.")
		                       : N_("You have already asked for another prompt today."));
	char(*seen)[16];
	int count = 0;
	enum store_status st = s->prompt_seen(s, a, out->day.scope_id, &seen, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	const struct prompt *q =
	    prompt_choose(seen, count, arena_printf(a, "%s:%s:skip:%s", out->day.scope_id, out->day.date, v->user_id));
	struct store_prompt_day fresh = out->day;
	id_new(fresh.id);
	snprintf(fresh.prompt_id, sizeof fresh.prompt_id, "%s", q->id);
	fresh.created_at = now_ms();
	st = s->prompt_day_replace(s, &out->day, &fresh, v->user_id);
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "conflict", NULL, "Today's prompt cannot be changed any more.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return prompt_today(s, v, a, out, p);
}

bool prompt_history(struct store *s, const struct viewer *v, const char *before, int limit, struct arena *a,
                    struct prompt_history_page *out, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && out);
	if (before && !date_valid(before))
		return page_cursor_invalid(p);
	struct store_prompt_answer *rows, *own = NULL;
	int count = 0, own_count = 0;
	enum store_status st = s->prompt_history(s, a, viewer_scope(v), v->user_id, v->partner_id, before ? before : "",
	                                         limit + 1, &rows, &count);
	/* While in a space, the person's own answers from before it come too (merged by date). */
	if (st == STORE_OK && v->space_id[0])
		st = s->prompt_history(s, a, v->user_id, v->user_id, "", before ? before : "", limit + 1, &own,
		                       &own_count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (own_count) {
		struct store_prompt_answer *merged = arena_alloc(a, sizeof *merged * (size_t)(count + own_count));
		int i = 0, k = 0, n = 0;
		while (i < count || k < own_count) {
			bool take_own =
			    k < own_count &&
			    (i >= count || strcmp(own[k].date, rows[i].date) > 0 ||
			     (strcmp(own[k].date, rows[i].date) == 0 && strcmp(own[k].day_id, rows[i].day_id) > 0));
			merged[n++] = take_own ? own[k++] : rows[i++];
		}
		rows = merged;
		count = n;
	}
	memset(out, 0, sizeof *out);
	out->items = arena_alloc(a, sizeof *out->items * (size_t)(count ? count : 1));
	int days = 0;
	for (int i = 0; i < count; i++) {
		struct prompt_history_entry *e = out->count ? &out->items[out->count - 1] : NULL;
		if (!e || strcmp(e->day_id, rows[i].day_id) != 0) {
			if (++days > limit) {
				out->next_cursor = arena_strdup(a, out->items[out->count - 1].date);
				break;
			}
			e = &out->items[out->count++];
			memset(e, 0, sizeof *e);
			snprintf(e->day_id, sizeof e->day_id, "%s", rows[i].day_id);
			snprintf(e->date, sizeof e->date, "%s", rows[i].date);
			e->prompt = content_prompt_by_id(rows[i].prompt_id);
		}
		char *text;
		if (!answer_text(s, &rows[i], a, &text, p))
			return false;
		const char *ack;
		if (!ack_kind(s, &rows[i], a, &ack, p))
			return false;
		if (strcmp(rows[i].author_id, v->user_id) == 0) {
			e->mine = text;
			e->ack_on_mine = ack;
		} else {
			e->partner = text;
			e->ack_on_partner = ack;
		}
	}
	return true;
}
