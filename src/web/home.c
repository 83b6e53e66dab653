/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * home.c - pages: the public front page and each role's home (issue 11).
 *
 * A member's home (/dashboard) is a short stack of gentle cards, "waiting for
 * you", from domain/home.c (the same cards as GET /api/v1/home), each with
 * one button and "Not now"; when nothing waits, a warm line and the one most
 * useful next step; below, the month's mood and the latest check-ins. A
 * therapist's home is their practice: couples and consent, comments awaiting
 * moderation, their articles. Also here: the Growth page, the confirmation
 * before leaving a space, and the "sign me out on Quick exit" setting.
 */
#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "../domain/agreement.h"
#include "../domain/article.h"
#include "../domain/checkin.h"
#include "../domain/date.h"
#include "../domain/home.h"
#include "../domain/therapist.h"
#include "render/time.h"
#include "web.h"

void web_home(struct request *r)
{
	if (r->signed_in) {
		reply_redirect(r, "/dashboard");
		return;
	}
	web_render(r, 200, "home", tr(r->lang, "A secure relationship, practised together"),
	           json_pack("{s:b}", "deleted", request_query(r, "deleted") != NULL));
}

/*
 * A card's words and its one button. `go` cards only tell something: their
 * button sets the card aside on the way to where it leads (POST /home/dismiss
 * with next), so reading it is acting on it.
 */
static json_t *card_json(struct request *r, const struct home_card *c)
{
	enum lang l = r->lang;
	const char *who = r->viewer.partner_id[0] ? r->viewer.partner_name : tr(l, "Your partner");
	const char *text = "", *button = tr(l, "Open"), *when = web_day(r, c->since);
	bool go = false;
	switch (c->kind) {
	case HOME_REPAIR_OPENED:
		text =
		    arena_printf(r->arena, tr(l, "%s opened a repair. Your side can wait until you are ready."), who);
		button = tr(l, "Open the repair");
		break;
	case HOME_REPAIR_YOUR_TURN:
		text = arena_printf(
		    r->arena, tr(l, "%s has written their side of a repair. Your turn, when you are ready."), who);
		button = tr(l, "Write my side");
		break;
	case HOME_REPAIR_REVEALED:
		text = tr(l, "Both sides of a repair are open now. Read them when you have a quiet moment.");
		button = tr(l, "Read both sides");
		break;
	case HOME_PROMPT_PARTNER_ANSWERED:
		text = arena_printf(r->arena, tr(l, "%s answered today's question. Answer yours to read theirs."), who);
		button = tr(l, "Answer today's question");
		break;
	case HOME_PROMPT_UNANSWERED:
		text = r->viewer.partner_id[0] ? tr(l, "Today's question is waiting for both of you.")
		                               : tr(l, "Today's question is waiting for you.");
		button = tr(l, "See today's question");
		break;
	case HOME_AGREEMENT_PROPOSED: /* issue 14 */
		text = arena_printf(r->arena, tr(l, "%s would like to try an agreement with you: “%s”"), who,
		                    c->detail ? c->detail : "");
		button = tr(l, "Answer when you are ready");
		break;
	case HOME_AGREEMENT_REVIEW_DUE:
		text = arena_printf(r->arena, tr(l, "Time for a look back at an agreement: “%s”"),
		                    c->detail ? c->detail : "");
		button = tr(l, "Look back");
		break;
	case HOME_ACKNOWLEDGED:
		text = strcmp(c->ref, "repair") == 0
		           ? arena_printf(r->arena, tr(l, "%s has heard your side of a repair."), who)
		       : strcmp(c->ref, "checkin") == 0
		           ? arena_printf(r->arena, tr(l, "%s answered the appreciation in your check-in."), who)
		           : arena_printf(r->arena, tr(l, "%s sent you a kind word about your answer."), who);
		button = tr(l, "See it");
		go = true;
		break;
	case HOME_PARTNER_JOINED:
		text = arena_printf(
		    r->arena, tr(l, "%s joined your space. You can share what you choose, when you choose."), who);
		button = tr(l, "See our space");
		go = true;
		break;
	case HOME_PARTNER_LEFT:
		text = arena_printf(r->arena, tr(l, "%s left the space on %s. Your words stay yours."),
		                    c->name ? c->name : tr(l, "Your partner"), when);
		button = tr(l, "See our space");
		go = true;
		when = ""; /* said in the text already */
		break;
	case HOME_HOMEWORK: {
		const char *label = NULL;
		const char *what = web_homework_what(r, c->ref, c->detail, c->detail, &label);
		/* Without a name, "your therapist" is a phrase of its own: not every language can slot it in. */
		text = c->name && c->name[0]
		           ? arena_printf(r->arena, tr(l, "From %s, for this week: %s"), c->name, what ? what : "")
		           : arena_printf(r->arena, tr(l, "From your therapist, for this week: %s"), what ? what : "");
		button = label ? label : tr(l, "See your homework");
		break;
	}
	case HOME_REPAIR_STEP:
		text = arena_printf(
		    r->arena, tr(l, "%s shared a step after your repair. Read it when you have a quiet moment."), who);
		button = tr(l, "Read it");
		break;
	case HOME_CYCLE_YOUR_TURN:
		text = arena_printf(
		    r->arena, tr(l, "%s has written their side of your cycle. Yours can wait until you are ready."),
		    who);
		button = tr(l, "Write my side");
		break;
	case HOME_CYCLE_REVEALED:
		text = tr(l, "Both sides of your cycle are open now. Read them when you have a quiet moment.");
		button = tr(l, "Read both sides");
		go = true;
		break;
	case HOME_CYCLE_RENAMED:
		text = arena_printf(r->arena, tr(l, "%s put your cycle into new words. See them when you are ready."),
		                    who);
		button = tr(l, "See the new words");
		go = true;
		break;
	case HOME_CONSENT_REQUESTED:
		text = tr(
		    l, "Your therapist asks for your consent to see what you mark for them. It is your choice, and you "
		       "can change it at any time.");
		button = tr(l, "Decide about consent");
		break;
	case HOME_SESSION_UPCOMING: { /* issue 13: in the reader's own time zone */
		char at[TIME_WORDS_MAX];
		time_words_appointment(r->lang, viewer_time_zone(&r->viewer), c->at, at);
		text = c->name && c->name[0]
		           ? arena_printf(r->arena, tr(l, "Your next session with %s: %s."), c->name, at)
		           : arena_printf(r->arena, tr(l, "Your next session with your therapist: %s."), at);
		button = tr(l, "See our space");
		go = true;
		when = ""; /* said in the text already */
		break;
	}
	case HOME_PARTNER_BREAK: {
		/* issue 14: the time in the reader's own zone, which may not be the taker's */
		json_t *around = web_around(r, c->until);
		text = arena_printf(r->arena,
		                    tr(l, "%s is taking a break and will be back around %s. This pause is for you too: "
		                          "a few slow breaths help."),
		                    who, json_string_value(json_object_get(around, "text")));
		json_decref(around);
		button = tr(l, "See the calming guide");
		when = "";
		break;
	}
	case HOME_BREAK_OVER:
		text =
		    tr(l, "Your break time has come. Ready to come back? You do not need to have everything sorted.");
		button = tr(l, "Come back");
		when = "";
		break;
	default:
		return NULL; /* a kind this page does not know yet */
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "kind", home_kind_name(c->kind), "id", c->id,
	                 "text", text, "button", button, "href", c->href, "when", when, "go", go, "homework_card",
	                 c->kind == HOME_HOMEWORK && strcmp(c->href, "/homework") != 0);
}

/* The therapist's home: their practice. */
static void render_practice(struct request *r)
{
	struct problem p = {0};
	struct therapist_space *spaces;
	int count;
	struct store_article *articles;
	int n_articles;
	if (!therapist_spaces(r->app->store, &r->viewer, r->arena, &spaces, &count, &p) ||
	    !article_list_own(r->app->store, &r->viewer, 50, r->arena, &articles, &n_articles, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *couples = json_array();
	for (int i = 0; i < count; i++) {
		json_t *partners = json_array();
		const char *names = "";
		for (int k = 0; k < spaces[i].t.members; k++) {
			json_t *one = web_consent(spaces[i].t.consent_state[k]);
			json_object_set_new(one, "name", json_string(spaces[i].t.member_names[k]));
			json_array_append_new(partners, one);
			names = k ? arena_printf(r->arena, tr(r->lang, "%s and %s"), names, spaces[i].t.member_names[k])
			          : spaces[i].t.member_names[k];
		}
		json_array_append_new(couples, json_pack("{s:s, s:s, s:o}", "id", spaces[i].space_id, "names", names,
		                                         "partners", partners));
	}
	json_t *mine = json_array(), *waiting = json_array();
	for (int i = 0; i < n_articles; i++) {
		const struct store_article *art = &articles[i];
		json_array_append_new(mine, json_pack("{s:s, s:s, s:b}", "slug", art->slug, "title", art->title,
		                                      "draft", strcmp(art->status, "draft") == 0));
		if (art->pending > 0)
			json_array_append_new(waiting, json_pack("{s:s, s:s}", "slug", art->slug, "title", art->title));
	}
	web_render(r, 200, "practice", tr(r->lang, "Your practice"),
	           json_pack("{s:b, s:b, s:o, s:o, s:o}", "has_articles", json_array_size(mine) > 0, "has_waiting",
	                     json_array_size(waiting) > 0, "couples", couples, "articles", mine, "waiting", waiting));
}

void web_dashboard(struct request *r)
{
	if (home_is_practice(&r->viewer)) {
		render_practice(r);
		return;
	}
	struct home_list home;
	struct checkin_page page;
	struct problem p = {0};
	if (!home_cards(r->app->store, &r->viewer, false, r->arena, &home, &p) ||
	    !checkin_list(r->app->store, &r->viewer, AUTHOR_ALL, NULL, 6, r->arena, &page, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *cards = json_array();
	for (int i = 0; i < home.count; i++) {
		json_t *c = card_json(r, &home.items[i]);
		if (c)
			json_array_append_new(cards, c);
	}
	bool in_space = r->viewer.space_id[0] != 0, quiet = json_array_size(cards) == 0;
	/* The one next step when nothing waits: a space first, then a partner, then a few words about today. */
	bool next_checkin = quiet && in_space && r->viewer.partner_id[0];
	/* Without a space, starting or joining one comes first, whatever waits. */
	json_t *ctx =
	    json_pack("{s:o, s:b, s:b, s:o, s:b, s:b, s:b, s:b, s:b}", "checkins", web_checkin_cards(r, &page),
	              "in_space", in_space, "more", page.next_cursor != NULL, "cards", cards, "quiet", quiet,
	              "quiet_in_space", quiet && in_space, "next_space", !in_space, "next_invite",
	              quiet && in_space && !r->viewer.partner_id[0], "next_checkin", next_checkin);
	json_object_set_new(ctx, "back", json_boolean(request_query(r, "back") != NULL)); /* issue 14: a break ended */
	char *chart = web_dashboard_chart(r);
	if (chart)
		json_object_set_new(ctx, "chart", web_html_string(chart, strlen(chart)));
	web_render(r, 200, "dashboard", tr(r->lang, "Your hearth"), ctx);
}

void web_home_dismiss(struct request *r)
{
	struct problem p = {0};
	if (!home_dismiss(r->app->store, &r->viewer, request_form(r, "kind"), request_form(r, "id"), r->arena, &p) &&
	    p.outcome != OUTCOME_NOT_FOUND) {
		/* Gone already (acted on in another tab) is as good as set aside. */
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, web_local_path(request_form(r, "next"), "/dashboard"));
}

void web_growth(struct request *r)
{
	web_render(r, 200, "growth", tr(r->lang, "Growth"), json_object());
}

void web_space_leave_form(struct request *r)
{
	if (!r->viewer.space_id[0]) {
		reply_redirect(r, "/space");
		return;
	}
	web_render(r, 200, "space_leave", tr(r->lang, "Leave our space?"), json_object());
}

void web_quick_exit_setting(struct request *r)
{
	struct store_settings st = {.quick_exit_signs_out = request_form(r, "quick_exit_signs_out") != NULL};
	struct problem p = {0};
	if (!home_settings_set(r->app->store, &r->viewer, &st, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/account?quick_exit=saved");
}
