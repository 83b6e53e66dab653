/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.c - pages: check-ins (write, history, edit, delete) and the cards
 * the dashboard shows them on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/checkin.h"
#include "web.h"

/* A mood as the pages say it: [1] "Very low" .. [5] "Very good". */
static const char *const mood_words[6] = {"", "Very low", "Low", "Okay", "Good", "Very good"};

/* Who sees a check-in, said from the viewer's side. */
static const char *visibility_label(const char *text, bool mine)
{
	enum visibility v = VISIBILITY_PRIVATE;
	if (!visibility_parse(text, &v))
		v = VISIBILITY_PRIVATE;
	switch (v) {
	case VISIBILITY_PARTNER:
		return mine ? "Shared with my partner" : "Shared with you";
	case VISIBILITY_THERAPIST:
		return mine ? "Shared with my partner and our therapist" : "Shared with you and your therapist";
	case VISIBILITY_PRIVATE:
		break;
	}
	return "Only me";
}

/* One check-in as the cards on the dashboard and history show it. */
static json_t *card_json(struct request *r, const struct store_checkin *c)
{
	char when[40];
	time_human(c->created_at, when);
	bool mine = strcmp(c->author_id, r->viewer.user_id) == 0;
	const char *who = mine ? "You" : r->viewer.partner_name;
	return json_pack("{s:s, s:s, s:b, s:s, s:i, s:s, s:i, s:i, s:s?, s:s?, s:s?, s:s}", "id", c->id, "author", who,
	                 "mine", mine, "when", when, "mood", c->mood, "mood_word",
	                 mood_words[c->mood >= 1 && c->mood <= 5 ? c->mood : 3], "connection", c->connection, "secure",
	                 c->secure, "appreciation", c->appreciation, "need", c->need, "worry", c->worry,
	                 "visibility_label", visibility_label(c->visibility, mine));
}

json_t *web_checkin_cards(struct request *r, const struct checkin_page *page)
{
	json_t *items = json_array();
	for (int i = 0; i < page->count; i++)
		json_array_append_new(items, card_json(r, &page->items[i]));
	return items;
}

/* The form's context: the values typed (or stored) and the choices. */
static json_t *form_ctx(struct request *r, const char *mood, const char *connection, const char *secure,
                        const char *appreciation, const char *need, const char *worry, const char *visibility)
{
	json_t *moods = json_array();
	for (int i = 1; i <= 5; i++) {
		char value[4];
		snprintf(value, sizeof value, "%d", i);
		json_array_append_new(moods, json_pack("{s:s, s:s, s:b}", "value", value, "word", mood_words[i],
		                                       "checked", mood && strcmp(mood, value) == 0));
	}
	bool partner = r->viewer.partner_id[0] != 0;
	const char *partner_hint = partner ? "Your partner will see it. Nobody else will."
	                                   : "You have no partner in your space yet, so for now only you will see it.";
	static const struct {
		enum visibility value;
		const char *label;
	} choices[] = {{VISIBILITY_PRIVATE, "Only me"},
	               {VISIBILITY_PARTNER, "Me and my partner"},
	               {VISIBILITY_THERAPIST, "Me, my partner and our therapist"}};
	const char *hints[] = {"Nobody else will ever see it, not even your partner.", partner_hint,
	                       "Your partner will see it, and your therapist too while you consent to their access."};
	enum visibility chosen = VISIBILITY_PRIVATE;
	if (!visibility_parse(visibility, &chosen))
		chosen = VISIBILITY_PRIVATE;
	json_t *vis = json_array();
	for (size_t i = 0; i < ARRAY_LEN(choices); i++)
		json_array_append_new(vis, json_pack("{s:s, s:s, s:s, s:b}", "value", visibility_name(choices[i].value),
		                                     "label", choices[i].label, "hint", hints[i], "checked",
		                                     chosen == choices[i].value));
	return json_pack("{s:o, s:o, s:s, s:s, s:s, s:s, s:s}", "moods", moods, "visibilities", vis, "connection",
	                 connection ? connection : "", "secure", secure ? secure : "", "appreciation",
	                 appreciation ? appreciation : "", "need", need ? need : "", "worry", worry ? worry : "");
}

/* Strict whole number in [lo, hi] from a form field; false when not one. */
static bool form_int(const char *s, int *out)
{
	if (!s || !*s)
		return false;
	char *end = NULL;
	long v = strtol(s, &end, 10);
	if (*end || v < -1000 || v > 1000)
		return false;
	*out = (int)v;
	return true;
}

/* Maps the form onto an input; checkin_validate judges it. */
static void input_from_form(struct request *r, struct checkin_input *in)
{
	*in = (struct checkin_input){0};
	static const char *const numbers[] = {"mood", "connection", "secure"};
	int *targets[] = {&in->mood, &in->connection, &in->secure};
	bool *has[] = {&in->has_mood, &in->has_connection, &in->has_secure};
	for (int i = 0; i < 3; i++) {
		const char *v = request_form(r, numbers[i]);
		/* Not a number: out of every range, so checkin_validate names it with the rest. */
		if (v && *v && !form_int(v, targets[i]))
			*targets[i] = -1000000;
		*has[i] = v && *v;
	}
	in->appreciation = request_form(r, "appreciation");
	in->need = request_form(r, "need");
	in->worry = request_form(r, "worry");
	in->has_appreciation = in->has_need = in->has_worry = true;
	in->visibility = request_form(r, "visibility");
	in->has_visibility = in->visibility != NULL;
}

static void render_form(struct request *r, int status, const struct problem *p, const char *action, const char *heading,
                        const char *submit)
{
	json_t *ctx = form_ctx(r, request_form(r, "mood"), request_form(r, "connection"), request_form(r, "secure"),
	                       request_form(r, "appreciation"), request_form(r, "need"), request_form(r, "worry"),
	                       request_form(r, "visibility"));
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "heading", json_string(heading));
	json_object_set_new(ctx, "submit", json_string(submit));
	if (p)
		web_add_problem(ctx, p);
	web_render(r, status, "checkin_form", heading, ctx);
}

void web_checkin_new_form(struct request *r)
{
	render_form(r, 200, NULL, "/checkins/new", "Write a check-in", "Save check-in");
}

void web_checkin_new(struct request *r)
{
	struct checkin_input in;
	struct store_checkin c;
	struct problem p = {0};
	input_from_form(r, &in);
	if (checkin_create(r->app->store, &r->viewer, &in, r->arena, &c, &p)) {
		reply_redirect(r, "/checkins?saved=1");
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	render_form(r, web_status(r, p.outcome), &p, "/checkins/new", "Write a check-in", "Save check-in");
}

void web_checkin_list(struct request *r)
{
	enum checkin_author who;
	const char *author = request_query(r, "author");
	if (!checkin_author_parse(author, &who))
		who = AUTHOR_ALL;
	const char *before = request_query(r, "before");
	struct checkin_page page;
	struct problem p = {0};
	if (!checkin_list(r->app->store, &r->viewer, who, before && *before ? before : NULL, 20, r->arena, &page, &p)) {
		web_problem_page(r, &p);
		return;
	}
	static const char *const names[] = {"me", "partner", "all"};
	json_t *ctx =
	    json_pack("{s:o, s:s, s:b, s:b, s:b, s:s?, s:b}", "checkins", web_checkin_cards(r, &page), "author",
	              names[who], "is_me", who == AUTHOR_ME, "is_partner", who == AUTHOR_PARTNER, "is_all",
	              who == AUTHOR_ALL, "next", page.next_cursor, "saved", request_query(r, "saved") != NULL);
	web_render(r, 200, "checkins", "Check-ins", ctx);
}

void web_checkin_edit_form(struct request *r)
{
	struct store_checkin c;
	struct problem p = {0};
	if (!checkin_read_own(r->app->store, &r->viewer, r->path_args[0], r->arena, &c, &p)) {
		web_problem_page(r, &p);
		return;
	}
	char mood[4], connection[4], secure[4];
	snprintf(mood, sizeof mood, "%d", c.mood);
	snprintf(connection, sizeof connection, "%d", c.connection);
	snprintf(secure, sizeof secure, "%d", c.secure);
	json_t *ctx = form_ctx(r, mood, connection, secure, c.appreciation, c.need, c.worry, c.visibility);
	json_object_set_new(ctx, "action", json_string(arena_printf(r->arena, "/checkins/%s/edit", c.id)));
	json_object_set_new(ctx, "heading", json_string("Edit check-in"));
	json_object_set_new(ctx, "submit", json_string("Save changes"));
	web_render(r, 200, "checkin_form", "Edit check-in", ctx);
}

void web_checkin_edit(struct request *r)
{
	struct checkin_input in;
	struct store_checkin c;
	struct problem p = {0};
	const char *id = r->path_args[0];
	input_from_form(r, &in);
	if (checkin_validate(&in, false, &p) &&
	    checkin_edit(r->app->store, &r->viewer, id, &in, r->arena, &c, &p)) {
		reply_redirect(r, "/checkins?saved=1");
		return;
	}
	int status = web_status(r, p.outcome);
	if (status == 404 || outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	render_form(r, status, &p, arena_printf(r->arena, "/checkins/%s/edit", id_valid(id) ? id : ""), "Edit check-in",
	            "Save changes");
}

void web_checkin_delete_form(struct request *r)
{
	struct store_checkin c;
	struct problem p = {0};
	if (!checkin_read_own(r->app->store, &r->viewer, r->path_args[0], r->arena, &c, &p)) {
		web_problem_page(r, &p);
		return;
	}
	web_render(r, 200, "checkin_delete", "Delete check-in", json_pack("{s:o}", "checkin", card_json(r, &c)));
}

void web_checkin_delete(struct request *r)
{
	struct problem p = {0};
	if (!checkin_remove(r->app->store, &r->viewer, r->path_args[0], r->arena, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/checkins?deleted=1");
}
