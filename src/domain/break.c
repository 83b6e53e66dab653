/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * break.c - a break with a promise to return (see break.h). Who may see a
 * break is decided here once: its taker always, their partner while it runs
 * and while they share a space (the viewer's partner id comes from the space),
 * nobody else. Nothing here lets anyone but the taker change a break.
 */
#include "break.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../util/i18n.h"
#include "date.h"
#include "keyring.h"
#include "text.h"
#include "visibility.h"

#define MINUTE_MS (60LL * 1000)
#define EVENING_HOUR 19
#define MORNING_HOUR 9

bool break_minutes_valid(int minutes)
{
	return minutes >= BREAK_MINUTES_MIN && minutes <= BREAK_MINUTES_MAX;
}

bool break_is_over(const struct store_break *b, int64_t now)
{
	return b->until_at <= now;
}

/* The instant the taker's wall clock shows hour:00 on the local day `days` after the one of `now`. */
static int64_t wall_at(const char *zone, int64_t now, int days, int hour)
{
	char today[11], day[11];
	(void)date_local(zone, now, today); /* an unknown zone reads as UTC, in both calls */
	if (!date_add_days(today, days, day))
		return now;
	/* calendar days: a night the clocks change lasts 23 or 25 hours */
	return date_wall_ms(zone, day, hour, 0);
}

/* Whole minutes from now to at, rounded up so "back at 19:00" is never before 19:00. */
static int minutes_until(int64_t now, int64_t at)
{
	int64_t ms = at - now;
	if (ms <= 0)
		return 0;
	int64_t m = (ms + MINUTE_MS - 1) / MINUTE_MS;
	return m > BREAK_MINUTES_MAX + 1 ? BREAK_MINUTES_MAX + 1 : (int)m;
}

int break_choices(const char *zone, int64_t now, struct break_choice out[BREAK_CHOICES_MAX])
{
	static const struct {
		const char *key;
		int minutes;
	} fixed[] = {{"20", 20}, {"30", 30}, {"60", 60}, {"120", 120}};
	int n = 0;
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		out[n++] = (struct break_choice){.key = fixed[i].key, .minutes = fixed[i].minutes};
	int evening = minutes_until(now, wall_at(zone, now, 0, EVENING_HOUR));
	if (break_minutes_valid(evening) && evening > 120)
		out[n++] = (struct break_choice){.key = "evening", .minutes = evening};
	int morning = minutes_until(now, wall_at(zone, now, 0, MORNING_HOUR));
	bool tomorrow = !break_minutes_valid(morning);
	if (tomorrow)
		morning = minutes_until(now, wall_at(zone, now, 1, MORNING_HOUR));
	if (break_minutes_valid(morning))
		out[n++] = (struct break_choice){.key = "morning", .minutes = morning, .tomorrow = tomorrow};
	assert(n <= BREAK_CHOICES_MAX);
	return n;
}

bool break_choice_minutes(const char *key, const char *zone, int64_t now, int *minutes)
{
	struct break_choice c[BREAK_CHOICES_MAX];
	int n = break_choices(zone, now, c);
	for (int i = 0; key && i < n; i++) {
		if (strcmp(c[i].key, key) == 0) {
			*minutes = c[i].minutes;
			return true;
		}
	}
	return false;
}

static const char *note_ad(struct arena *a, const char *id)
{
	return arena_printf(a, "break:%s:note", id);
}

/* Reads a person's break and opens its note; the view's `who` is left to the caller. */
static bool load(struct store *s, const char *user_id, struct arena *a, struct break_view *out, struct problem *p)
{
	memset(out, 0, sizeof *out);
	enum store_status st = s->break_get(s, a, user_id, &out->b);
	if (st == STORE_OK && out->b.note)
		st = keyring_open_text(s->keys, s, note_ad(a, out->b.id), out->b.note, a, &out->b.note);
	return st == STORE_OK || problem_from_store(p, st);
}

bool break_mine(struct store *s, const struct viewer *v, struct arena *a, struct break_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!load(s, v->user_id, a, out, p))
		return false;
	out->mine = true;
	out->over = break_is_over(&out->b, now_ms());
	out->who = v->display_name;
	return true;
}

bool break_partner(struct store *s, const struct viewer *v, struct arena *a, struct break_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!v->space_id[0] || !v->partner_id[0])
		return problem_from_store(p, STORE_NOT_FOUND);
	if (!load(s, v->partner_id, a, out, p))
		return false;
	/* Once its time has come it is the taker's business alone: the partner is never shown "late". */
	if (break_is_over(&out->b, now_ms()))
		return problem_from_store(p, STORE_NOT_FOUND);
	out->who = v->partner_name[0] ? v->partner_name : N_("Your partner"); /* a page translates it */
	return true;
}

bool break_current(struct store *s, const struct viewer *v, struct arena *a, struct break_view *out, struct problem *p)
{
	if (break_mine(s, v, a, out, p) && !out->over)
		return true;
	if (p->outcome != OUTCOME_OK && p->outcome != OUTCOME_NOT_FOUND)
		return false;
	*p = (struct problem){0};
	return break_partner(s, v, a, out, p);
}

bool break_input_check(int minutes, const char *note, struct problem *p)
{
	bool began = problem_join(p); /* every invalid field at once, the API's type checks first */
	if (!break_minutes_valid(minutes))
		problem_add(p, "minutes", "Choose when you will be back: 20 minutes to 24 hours from now.");
	if (note && !text_fits(note, BREAK_NOTE_MAX_CHARS))
		problem_add(p, "note", "Please keep the note to 500 characters or fewer.");
	return problem_close(p, began);
}

bool break_start(struct store *s, const struct viewer *v, int minutes, const char *note, struct arena *a,
                 struct break_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out);
	if (!break_input_check(minutes, note, p))
		return false;
	struct store_break b = {0};
	id_new(b.id);
	snprintf(b.user_id, sizeof b.user_id, "%s", v->user_id);
	int64_t now = now_ms();
	b.started_at = now;
	b.until_at = now + minutes * MINUTE_MS;
	enum store_status st = STORE_OK;
	if (note && !text_blank(note))
		st = keyring_seal(s->keys, s, viewer_scope(v), note_ad(a, b.id), note, a, &b.note);
	if (st == STORE_OK)
		st = s->break_start(s, &b, now);
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "break_running", NULL,
		                   "You are taking a break already. End it first if you want to choose a new time.");
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	memset(out, 0, sizeof *out);
	out->b = b;
	out->b.note = note && !text_blank(note) ? arena_strdup(a, note) : NULL;
	out->mine = true;
	out->who = v->display_name;
	return true;
}

bool break_end(struct store *s, const struct viewer *v, struct problem *p)
{
	assert(viewer_sane(v));
	enum store_status st = s->break_end(s, v->user_id);
	return st == STORE_OK || problem_from_store(p, st);
}
