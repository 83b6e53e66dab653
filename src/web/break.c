/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * break.c - pages: a break with a promise to return (issue 14). One page,
 * /break, for both partners: the calming guide (data/break-guide.json) for
 * everyone; for the one taking a break, when they said they would be back and
 * "I'm ready to come back"; for their partner, who is taking it, until
 * around when (in the partner's own time zone) and the note written for
 * them; for anyone without a running break of their own, the form that
 * starts one (when you will be back, chosen as people say it, and a note).
 * The partner gets nothing to press: no nudge, no ping, no way to end it.
 */
#include <string.h>

#include "../app.h"
#include "../domain/break.h"
#include "../domain/content.h"
#include "../domain/date.h"
#include "render/time.h"
#include "web.h"

/* A choice as the form says it: "20 minutes — back around 14:35", "This evening — around 19:00". */
static const char *choice_label(struct request *r, const struct break_choice *c, int64_t now)
{
	const char *zone = viewer_time_zone(&r->viewer);
	char around[TIME_WORDS_MAX], day[11], clock[6];
	int64_t until = now + c->minutes * 60000LL;
	/* the evening and the morning name their day already: the clock alone */
	bool evening = strcmp(c->key, "evening") == 0, morning = strcmp(c->key, "morning") == 0;
	if (evening || morning) {
		date_local_clock(zone, until, day, clock);
		const char *words = evening       ? tr(r->lang, "This evening, around %s")
		                    : c->tomorrow ? tr(r->lang, "Tomorrow morning, around %s")
		                                  : tr(r->lang, "This morning, around %s");
		return arena_printf(r->arena, words, clock);
	}
	time_around_words(r->lang, zone, until, now, around);
	if (c->minutes < 60)
		return arena_printf(
		    r->arena,
		    tr_n(r->lang, "%d minute, back around %s", "%d minutes, back around %s", (unsigned long)c->minutes),
		    c->minutes, around);
	int hours = c->minutes / 60;
	return arena_printf(r->arena,
	                    tr_n(r->lang, "%d hour, back around %s", "%d hours, back around %s", (unsigned long)hours),
	                    hours, around);
}

static json_t *choices_json(struct request *r, const char *chosen)
{
	struct break_choice c[BREAK_CHOICES_MAX];
	int64_t now = now_ms();
	int n = break_choices(viewer_time_zone(&r->viewer), now, c);
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "key", c[i].key, "label",
		                                     choice_label(r, &c[i], now), "checked",
		                                     chosen ? strcmp(chosen, c[i].key) == 0 : i == 0));
	return out;
}

static json_t *view_json(struct request *r, const struct break_view *b)
{
	return json_pack("{s:s, s:o, s:s?}", "who", b->who ? b->who : "", "until", web_around(r, b->b.until_at), "note",
	                 b->b.note);
}

/* The page, with what a form kept and its problem (NULL: none). */
static void render_break(struct request *r, int status, const struct problem *problem)
{
	struct problem p = {0};
	struct break_view mine, partner;
	bool has_mine = break_mine(r->app->store, &r->viewer, r->arena, &mine, &p);
	if (!has_mine && p.outcome != OUTCOME_NOT_FOUND) {
		web_problem_page(r, &p);
		return;
	}
	p = (struct problem){0};
	bool has_partner = break_partner(r->app->store, &r->viewer, r->arena, &partner, &p);
	if (!has_partner && p.outcome != OUTCOME_NOT_FOUND) {
		web_problem_page(r, &p);
		return;
	}
	bool running = has_mine && !mine.over, over = has_mine && mine.over;
	const char *note = request_form(r, "note");
	/* Beside the partner's break, the guide comes before one's own form: reading first, not answering. */
	json_t *ctx = json_pack("{s:b, s:b, s:b, s:b, s:b, s:o, s:s, s:b, s:o}", "running", running, "over", over,
	                        "form_first", !running && !has_partner, "form_last", !running && has_partner,
	                        "has_partner", r->viewer.partner_id[0] != 0, "choices",
	                        choices_json(r, request_form(r, "choice")), "form_note", note ? note : "", "ended",
	                        request_query(r, "ended") != NULL, "guide", content_break_guide(r->lang));
	if (running)
		json_object_set_new(ctx, "mine", view_json(r, &mine));
	if (has_partner && !r->viewer.partner_name[0])
		partner.who = tr(r->lang, partner.who); /* "Your partner" (domain/break.c) */
	if (has_partner)
		json_object_set_new(ctx, "partner", view_json(r, &partner));
	if (problem)
		web_add_problem(r, ctx, problem);
	web_render(r, status, "break", running ? tr(r->lang, "You are taking a break") : tr(r->lang, "A break"), ctx);
}

void web_break(struct request *r)
{
	render_break(r, 200, NULL);
}

void web_break_start(struct request *r)
{
	struct problem p = {0};
	struct break_view view;
	int minutes = 0;
	/* the choice means its time now, at the moment of choosing, in the taker's own zone */
	if (!break_choice_minutes(request_form(r, "choice"), viewer_time_zone(&r->viewer), now_ms(), &minutes))
		minutes = 0;
	if (break_start(r->app->store, &r->viewer, minutes, request_form(r, "note"), r->arena, &view, &p)) {
		reply_redirect(r, "/break");
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	/* The form names the minutes "choice". */
	for (int i = 0; i < p.count && i < PROBLEM_ITEMS_MAX; i++)
		if (p.items[i].field && strcmp(p.items[i].field, "minutes") == 0)
			p.items[i].field = "choice";
	if (p.field && strcmp(p.field, "minutes") == 0)
		p.field = "choice";
	render_break(r, web_status(r, p.outcome), &p);
}

void web_break_end(struct request *r)
{
	struct problem p = {0};
	if (break_end(r->app->store, &r->viewer, &p)) {
		reply_redirect(r, "/dashboard?back=1");
		return;
	}
	/* Ended already (in another tab) is as good as ended; there is no one to welcome back. */
	if (p.outcome == OUTCOME_NOT_FOUND)
		reply_redirect(r, "/dashboard");
	else
		web_problem_page(r, &p);
}
