/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.c - pages: check-ins (write, history, edit, delete) and the cards
 * the dashboard shows them on.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../domain/checkin.h"
#include "../domain/text.h"
#include "web.h"

/* A mood as the pages say it: [1] "Very low" .. [5] "Very good". */
static const char *const mood_words[6] = {"", N_("Very low"), N_("Low"), N_("Okay"), N_("Good"), N_("Very good")};

/* Who sees a check-in, said from the viewer's side. */
static const char *visibility_label(enum lang l, const char *text, bool mine)
{
	enum visibility v = VISIBILITY_PRIVATE;
	if (!visibility_parse(text, &v))
		v = VISIBILITY_PRIVATE;
	switch (v) {
	case VISIBILITY_PARTNER:
		return mine ? tr(l, "Shared with my partner") : tr(l, "Shared with you");
	case VISIBILITY_THERAPIST:
		return mine ? tr(l, "Shared with my partner and our therapist")
		            : tr(l, "Shared with you and your therapist");
	case VISIBILITY_PRIVATE:
		break;
	}
	return tr(l, "Only me");
}

/* The supportive replies to a shared appreciation, as a button says each and as its author reads it. */
static const struct {
	const char *kind, *label, *said;
} replies[] = {
    {"thank_you", N_("Thank you"), N_("thanked you")},
    {"i_hear_you", N_("I hear you"), N_("heard you")},
    {"me_too", N_("Me too"), N_("said: me too")},
    {"hug", N_("A hug"), N_("sent you a hug")},
};

/*
 * The replies part of a card: for the author, what the partner answered
 * (ack_said); for the partner, the buttons (ack_buttons) while the
 * appreciation is shared with them.
 */
static void card_replies(struct request *r, const struct store_checkin *c, bool mine, json_t *card)
{
	const char *kind = NULL;
	int64_t at;
	struct problem ignored = {0};
	/* a failed read shows no reply, as if none were given: the card itself still shows */
	if (!checkin_ack_of(r->app->store, c, &kind, &at, &ignored))
		kind = NULL;
	const char *said = NULL;
	for (size_t i = 0; kind && i < ARRAY_LEN(replies); i++)
		if (strcmp(kind, replies[i].kind) == 0)
			said = tr(r->lang, replies[i].said);
	if (mine) {
		if (said && r->viewer.partner_id[0])
			json_object_set_new(
			    card, "ack_said",
			    json_string(arena_printf(r->arena, "%s %s.", r->viewer.partner_name, said)));
		return;
	}
	if (c->hidden[ITEM_APPRECIATION] || text_blank(c->appreciation))
		return;
	json_t *buttons = json_array();
	for (size_t i = 0; i < ARRAY_LEN(replies); i++)
		json_array_append_new(buttons, json_pack("{s:s, s:s, s:b}", "kind", replies[i].kind, "label",
		                                         tr(r->lang, replies[i].label), "chosen",
		                                         kind && strcmp(kind, replies[i].kind) == 0));
	json_object_set_new(card, "ack_buttons", buttons);
	json_object_set_new(card, "can_ack", json_true());
}

/* One check-in as the cards on the dashboard and history show it: only the items the viewer may see. */
static json_t *card_json(struct request *r, const struct store_checkin *c)
{
	bool mine = strcmp(c->author_id, r->viewer.user_id) == 0;
	const char *who = mine ? tr(r->lang, "You") : r->viewer.partner_name;
	bool mixed = strcmp(checkin_visibility_summary(c), "mixed") == 0;
	const char *label = !mixed ? visibility_label(r->lang, c->visibility, mine)
	                    : mine ? tr(r->lang, "Shared in part: the parts marked “only me” stay yours")
	                           : tr(r->lang, "Shared with you in part");
	json_t *card = json_pack("{s:s, s:s, s:b, s:o, s:i, s:s, s:i, s:i, s:s?, s:s?, s:s?, s:s}", "id", c->id,
	                         "author", who, "mine", mine, "when", web_when(r, c->created_at), "mood", c->mood,
	                         "mood_word", tr(r->lang, mood_words[c->mood >= 1 && c->mood <= 5 ? c->mood : 3]),
	                         "connection", c->connection, "secure", c->secure, "appreciation", c->appreciation,
	                         "need", c->need, "worry", c->worry, "visibility_label", label);
	for (int i = 0; i < CHECKIN_ITEMS; i++) {
		char key[32]; /* "hide_<item>", then "only_me_<item>": no printf, a dashboard draws many cards */
		const char *name = checkin_item_name((enum checkin_item)i);
		size_t n = strlen(name);
		assert(n + sizeof "only_me_" <= sizeof key);
		memcpy(key, "hide_", 5);
		memcpy(key + 5, name, n + 1);
		json_object_set_new(card, key, json_boolean(c->hidden[i]));
		/* On my own mixed check-in, the items nobody else sees say so. */
		bool only_me = mine && mixed && checkin_item_visibility(c, (enum checkin_item)i) == VISIBILITY_PRIVATE;
		memcpy(key, "only_me_", 8);
		memcpy(key + 8, name, n + 1);
		json_object_set_new(card, key, json_boolean(only_me));
	}
	card_replies(r, c, mine, card);
	return card;
}

json_t *web_checkin_cards(struct request *r, const struct checkin_page *page)
{
	json_t *items = json_array();
	for (int i = 0; i < page->count; i++)
		json_array_append_new(items, card_json(r, &page->items[i]));
	return items;
}

/* Who may read a check-in, or one of its items, as the choices say it (the form, each item, the account page). */
static const struct {
	enum visibility value;
	const char *label;
} visibility_choices[] = {{VISIBILITY_PRIVATE, N_("Only me")},
                          {VISIBILITY_PARTNER, N_("Me and my partner")},
                          {VISIBILITY_THERAPIST, N_("Me, my partner and our therapist")}};
static const char *const item_labels[CHECKIN_ITEMS] = {
    N_("Mood"), N_("Connection"), N_("Felt secure"), N_("The appreciation"), N_("The need"), N_("The worry")};

/* What a form says: the values typed (or stored), the choices, and each field's problem. */
struct form_values {
	const char *mood, *connection, *secure, *appreciation, *need, *worry;
	const char *visibility;           /* for the whole check-in */
	const char *items[CHECKIN_ITEMS]; /* per item: "" or NULL as above */
	const struct problem *problem;
};

/* The message on a field when the form was refused, in the reader's language; else NULL. */
static const char *field_error(struct request *r, const struct problem *p, const char *field)
{
	if (!p || p->outcome != OUTCOME_INVALID)
		return NULL;
	if (p->count < 2)
		return p->field && strcmp(p->field, field) == 0 ? tr(r->lang, p->message) : NULL;
	for (int i = 0; i < p->count && i < PROBLEM_ITEMS_MAX; i++)
		if (p->items[i].field && strcmp(p->items[i].field, field) == 0)
			return tr(r->lang, p->items[i].message);
	return NULL;
}

/* A 0-10 scale as eleven labelled radio buttons (a segmented control; no JavaScript). */
static json_t *scale_ctx(struct request *r, const char *name, const char *legend, const char *hint, const char *low,
                         const char *high, const char *chosen, const struct problem *p)
{
	json_t *steps = json_array();
	for (int i = 0; i <= 10; i++) {
		char value[4];
		snprintf(value, sizeof value, "%d", i);
		json_array_append_new(
		    steps, json_pack("{s:s, s:b}", "value", value, "checked", chosen && strcmp(chosen, value) == 0));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s?}", "name", name, "legend", legend, "hint", hint, "low",
	                 low, "high", high, "steps", steps, "error", field_error(r, p, name));
}

static json_t *form_ctx(struct request *r, const struct form_values *f)
{
	json_t *moods = json_array();
	for (int i = 1; i <= 5; i++) {
		char value[4];
		snprintf(value, sizeof value, "%d", i);
		json_array_append_new(moods,
		                      json_pack("{s:s, s:s, s:b}", "value", value, "word", tr(r->lang, mood_words[i]),
		                                "checked", f->mood && strcmp(f->mood, value) == 0));
	}
	json_t *scales = json_array();
	json_array_append_new(scales, scale_ctx(r, "connection", tr(r->lang, "Connection (0–10)"),
	                                        tr(r->lang, "How close do you feel to each other today?"),
	                                        tr(r->lang, "0 – far apart"), tr(r->lang, "10 – very close"),
	                                        f->connection, f->problem));
	json_array_append_new(scales, scale_ctx(r, "secure", tr(r->lang, "Felt secure (0–10)"),
	                                        tr(r->lang, "How safe did it feel to be yourself with your partner?"),
	                                        tr(r->lang, "0 – not at all"), tr(r->lang, "10 – completely"),
	                                        f->secure, f->problem));
	bool partner = r->viewer.partner_id[0] != 0;
	const char *partner_hint =
	    partner ? tr(r->lang, "Your partner will see it. Nobody else will.")
	            : tr(r->lang, "You have no partner in your space yet, so for now only you will see it.");
	const char *hints[ARRAY_LEN(visibility_choices)] = {
	    tr(r->lang, "Nobody else will ever see it, not even your partner."), partner_hint,
	    tr(r->lang, "Your partner will see it, and your therapist too while you consent to their access.")};
	enum visibility chosen = VISIBILITY_PRIVATE;
	if (!visibility_parse(f->visibility, &chosen))
		chosen = VISIBILITY_PRIVATE;
	json_t *vis = json_array();
	for (size_t i = 0; i < ARRAY_LEN(visibility_choices); i++)
		json_array_append_new(vis, json_pack("{s:s, s:s, s:s, s:b}", "value",
		                                     visibility_name(visibility_choices[i].value), "label",
		                                     tr(r->lang, visibility_choices[i].label), "hint", hints[i],
		                                     "checked", chosen == visibility_choices[i].value));
	json_t *items = json_array();
	bool open = false;
	for (int i = 0; i < CHECKIN_ITEMS; i++) {
		const char *typed = f->items[i] ? f->items[i] : "";
		open |= *typed != 0;
		/* "" follows the choice for the whole check-in */
		json_t *options = json_array();
		json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "value", "", "label",
		                                         tr(r->lang, "As above"), "selected", !*typed));
		for (size_t k = 0; k < ARRAY_LEN(visibility_choices); k++) {
			const char *value = visibility_name(visibility_choices[k].value);
			json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "value", value, "label",
			                                         tr(r->lang, visibility_choices[k].label), "selected",
			                                         strcmp(typed, value) == 0));
		}
		json_array_append_new(items,
		                      json_pack("{s:s, s:s, s:o}", "name", checkin_item_name((enum checkin_item)i),
		                                "label", tr(r->lang, item_labels[i]), "options", options));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:b, s:s, s:s, s:s}", "moods", moods, "scales", scales, "visibilities",
	                 vis, "items", items, "per_item_open", open, "appreciation",
	                 f->appreciation ? f->appreciation : "", "need", f->need ? f->need : "", "worry",
	                 f->worry ? f->worry : "");
}

/* The form as it was sent, for drawing it again with what was typed. */
static void typed_values(struct request *r, const struct problem *p, struct form_values *f)
{
	*f = (struct form_values){.mood = request_form(r, "mood"),
	                          .connection = request_form(r, "connection"),
	                          .secure = request_form(r, "secure"),
	                          .appreciation = request_form(r, "appreciation"),
	                          .need = request_form(r, "need"),
	                          .worry = request_form(r, "worry"),
	                          .visibility = request_form(r, "visibility"),
	                          .problem = p};
	for (int i = 0; i < CHECKIN_ITEMS; i++)
		f->items[i] =
		    request_form(r, arena_printf(r->arena, "vis_%s", checkin_item_name((enum checkin_item)i)));
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
	/* "Choose per item": an item left "as above" follows the choice for the whole check-in. */
	for (int i = 0; i < CHECKIN_ITEMS; i++) {
		const char *v =
		    request_form(r, arena_printf(r->arena, "vis_%s", checkin_item_name((enum checkin_item)i)));
		if (v && *v) {
			in->has_items = true;
			in->item_visibility[i] = v;
		}
	}
	for (int i = 0; in->has_items && i < CHECKIN_ITEMS; i++)
		if (!in->item_visibility[i])
			in->item_visibility[i] = in->visibility;
}

static void render_form(struct request *r, int status, const struct problem *p, const char *action, const char *heading,
                        const char *submit)
{
	struct form_values f;
	typed_values(r, p, &f);
	json_t *ctx = form_ctx(r, &f);
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "heading", json_string(heading));
	json_object_set_new(ctx, "submit", json_string(submit));
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "checkin_form", heading, ctx);
}

void web_checkin_new_form(struct request *r)
{
	/* A new check-in starts from the person's own default for who sees it. */
	enum visibility def = VISIBILITY_PRIVATE;
	struct problem p = {0};
	if (!checkin_default_get(r->app->store, &r->viewer, &def, &p)) {
		web_problem_page(r, &p);
		return;
	}
	struct form_values f = {.visibility = visibility_name(def)};
	json_t *ctx = form_ctx(r, &f);
	json_object_set_new(ctx, "action", json_string("/checkins/new"));
	json_object_set_new(ctx, "heading", json_string(tr(r->lang, "Write a check-in")));
	json_object_set_new(ctx, "submit", json_string(tr(r->lang, "Save check-in")));
	web_render(r, 200, "checkin_form", tr(r->lang, "Write a check-in"), ctx);
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
	render_form(r, web_status(r, p.outcome), &p, "/checkins/new", tr(r->lang, "Write a check-in"),
	            tr(r->lang, "Save check-in"));
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
	web_render(r, 200, "checkins", tr(r->lang, "Check-ins"), ctx);
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
	struct form_values f = {.mood = mood,
	                        .connection = connection,
	                        .secure = secure,
	                        .appreciation = c.appreciation,
	                        .need = c.need,
	                        .worry = c.worry,
	                        .visibility = c.visibility};
	/* The whole check-in's choice is its widest; items that differ are chosen one by one. */
	for (int i = 0; i < CHECKIN_ITEMS; i++) {
		const char *word = visibility_name(checkin_item_visibility(&c, (enum checkin_item)i));
		f.items[i] = strcmp(word, c.visibility) == 0 ? "" : word;
	}
	json_t *ctx = form_ctx(r, &f);
	json_object_set_new(ctx, "action", json_string(arena_printf(r->arena, "/checkins/%s/edit", c.id)));
	json_object_set_new(ctx, "heading", json_string(tr(r->lang, "Edit check-in")));
	json_object_set_new(ctx, "submit", json_string(tr(r->lang, "Save changes")));
	web_render(r, 200, "checkin_form", tr(r->lang, "Edit check-in"), ctx);
}

void web_checkin_edit(struct request *r)
{
	struct checkin_input in;
	struct store_checkin c;
	struct problem p = {0};
	const char *id = r->path_args[0];
	input_from_form(r, &in);
	if (checkin_validate(&in, false, &p) && checkin_edit(r->app->store, &r->viewer, id, &in, r->arena, &c, &p)) {
		reply_redirect(r, "/checkins?saved=1");
		return;
	}
	int status = web_status(r, p.outcome);
	if (status == 404 || outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	render_form(r, status, &p, arena_printf(r->arena, "/checkins/%s/edit", id_valid(id) ? id : ""),
	            tr(r->lang, "Edit check-in"), tr(r->lang, "Save changes"));
}

void web_checkin_delete_form(struct request *r)
{
	struct store_checkin c;
	struct problem p = {0};
	if (!checkin_read_own(r->app->store, &r->viewer, r->path_args[0], r->arena, &c, &p)) {
		web_problem_page(r, &p);
		return;
	}
	web_render(r, 200, "checkin_delete", tr(r->lang, "Delete check-in"),
	           json_pack("{s:o}", "checkin", card_json(r, &c)));
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

void web_checkin_acknowledge(struct request *r)
{
	struct problem p = {0};
	if (!checkin_acknowledge(r->app->store, &r->viewer, r->path_args[0], request_form(r, "kind"), r->arena, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/checkins?acknowledged=1");
}

/* The Account page's part about check-ins: who sees new check-in items unless chosen otherwise. */
void web_checkin_account(struct request *r, json_t *ctx)
{
	enum visibility def = VISIBILITY_PRIVATE;
	struct problem ignored = {0};
	/* a failed read shows the default the store falls back to: private */
	if (!checkin_default_get(r->app->store, &r->viewer, &def, &ignored))
		def = VISIBILITY_PRIVATE;
	json_t *choices = json_array();
	for (size_t i = 0; i < ARRAY_LEN(visibility_choices); i++)
		json_array_append_new(choices, json_pack("{s:s, s:s, s:b}", "value",
		                                         visibility_name(visibility_choices[i].value), "label",
		                                         tr(r->lang, visibility_choices[i].label), "checked",
		                                         def == visibility_choices[i].value));
	json_object_set_new(
	    ctx, "checkin_default",
	    json_pack("{s:o, s:b}", "choices", choices, "saved", request_query(r, "visibility") != NULL));
}

void web_checkin_default(struct request *r)
{
	struct problem p = {0};
	if (!checkin_default_set(r->app->store, &r->viewer, request_form(r, "visibility"), &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/account?visibility=saved");
}
