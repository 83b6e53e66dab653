/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapist.c - pages: the therapist's dashboard and a linked space, and the
 * couple's side of it (link, consent, unlink), posted from the space page.
 */
#include <string.h>

#include "../app.h"
#include "../domain/auth.h"
#include "../domain/bridge.h"
#include "../domain/checkin.h"
#include "../domain/cycle.h"
#include "../domain/homework.h"
#include "../domain/therapist.h"
#include "web.h"

/* Each partner of t with their consent in words: [{name, ...web_consent}]. */
static json_t *partners_json(const struct store_space_therapist *t)
{
	json_t *partners = json_array();
	for (int k = 0; k < t->members; k++) {
		json_t *one = web_consent(t->consent_state[k]);
		json_object_set_new(one, "name", json_string(t->member_names[k]));
		json_array_append_new(partners, one);
	}
	return partners;
}

static void render_therapist_home(struct request *r, const char *code, int64_t expires)
{
	struct therapist_space *items;
	int count;
	struct problem p = {0};
	if (!therapist_spaces(r->app->store, &r->viewer, r->arena, &items, &count, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *spaces = json_array();
	for (int i = 0; i < count; i++) {
		int n = items[i].new_items;
		const char *news = arena_printf(
		    r->arena,
		    tr_n(r->lang, "%d new since your last visit", "%d new since your last visit", (unsigned long)n), n);
		json_array_append_new(spaces,
		                      json_pack("{s:s, s:o, s:i, s:s}", "id", items[i].space_id, "partners",
		                                partners_json(&items[i].t), "new_items", n, "new_items_words", news));
	}
	web_render(r, 200, "therapist", tr(r->lang, "Your couples"),
	           json_pack("{s:o, s:s?, s:o?}", "spaces", spaces, "code", code, "expires",
	                     code ? web_when(r, expires) : NULL));
}

void web_therapist_home(struct request *r)
{
	render_therapist_home(r, NULL, 0);
}

void web_therapist_invite(struct request *r)
{
	char code[INVITE_CODE_LEN + 1];
	int64_t at;
	struct problem p = {0};
	if (!therapist_invite(r->app->store, &r->viewer, code, &at, &p)) {
		web_problem_page(r, &p);
		return;
	}
	render_therapist_home(r, code, at);
}

bool web_therapist_space_open(struct request *r, struct therapist_space *ts)
{
	struct problem p = {0};
	if (therapist_space_open(r->app->store, &r->viewer, r->path_args[0], ts, &p))
		return true;
	web_problem_page(r, &p);
	return false;
}

/* The partners' names for the page's heading: "Alex and Sam". */
static const char *partner_names(struct request *r, const struct store_space_therapist *t)
{
	if (!t->members)
		return tr(r->lang, "A couple");
	const char *names = t->member_names[0];
	for (int k = 1; k < t->members; k++)
		names = arena_printf(r->arena, tr(r->lang, "%s and %s"), names, t->member_names[k]);
	return names;
}

/*
 * The numbers of a check-in card, each as it begins the line and as it
 * follows another: a translation capitalises its own words (a byte's
 * toupper() cannot, past ASCII).
 */
static const struct {
	enum checkin_item item;
	const char *first, *later;
} card_scores[] = {
    {ITEM_MOOD, N_("Mood %d/5"), N_("mood %d/5")},
    {ITEM_CONNECTION, N_("Connection %d/10"), N_("connection %d/10")},
    {ITEM_SECURE, N_("Felt secure %d/10"), N_("felt secure %d/10")},
};

/* The check-ins as cards: whose, when, and only the numbers marked for the therapist (the rest are hidden). */
static json_t *checkin_cards(struct request *r, const struct therapist_space *ts, const struct store_checkin *checkins,
                             int count)
{
	json_t *cards = json_array();
	for (int i = 0; i < count; i++) {
		const struct store_checkin *c = &checkins[i];
		const int values[] = {c->mood, c->connection, c->secure};
		char *scores = NULL;
		for (size_t k = 0; k < sizeof card_scores / sizeof *card_scores; k++) {
			if (c->hidden[card_scores[k].item])
				continue;
			const char *part = arena_printf(
			    r->arena, tr(r->lang, scores ? card_scores[k].later : card_scores[k].first), values[k]);
			scores =
			    scores ? arena_printf(r->arena, "%s · %s", scores, part) : arena_strdup(r->arena, part);
		}
		json_array_append_new(cards, json_pack("{s:s, s:o, s:s?, s:s?, s:s?, s:s?}", "who",
		                                       therapist_member_name(&ts->t, c->author_id), "when",
		                                       web_when(r, c->created_at), "scores", scores, "appreciation",
		                                       c->appreciation, "need", c->need, "worry", c->worry));
	}
	return cards;
}

/* Issue 13: what the consenting partners shared for the next session, whose and when, and when talked about. */
static json_t *bridge_json(struct request *r, const struct therapist_space *ts, const struct store_bridge_item *bridge,
                           int count)
{
	json_t *list = json_array();
	for (int i = 0; i < count; i++) {
		json_t *one = json_pack("{s:s, s:s, s:s?, s:o}", "item", bridge[i].id, "who",
		                        therapist_member_name(&ts->t, bridge[i].author_id), "text", bridge[i].text,
		                        "when", web_when(r, bridge[i].created_at));
		if (bridge[i].talked_about_at)
			json_object_set_new(one, "talked", web_when(r, bridge[i].talked_about_at));
		json_array_append_new(list, one);
	}
	return list;
}

void web_therapist_space_render(struct request *r, int status, const struct therapist_space *opened,
                                const struct problem *problem, const struct homework_input *homework_typed)
{
	struct problem p = {0};
	/* One access-log line for the whole page, written below once the reads are done. */
	struct therapist_space visit = *opened;
	visit.one_visit = true;
	const struct therapist_space *ts = &visit;
	struct store_checkin *checkins;
	int count;
	char *next;
	json_t *repairs = NULL, *safety = NULL, *cycle = NULL;
	struct store_note *notes;
	int note_count;
	char *notes_next;
	/* issue 13: the questionnaire results and the next session (web/therapy_session.c), and the homework */
	json_t *sessions = json_object(), *homework_ctx = json_object();
	int homework_shown = 0;
	/* Issue 13: what the consenting partners shared for the next session. */
	struct store_bridge_item *bridge;
	int bridge_count = 0;
	const char *bridge_state = request_query(r, "bridge");
	bool bridge_all = bridge_state && strcmp(bridge_state, "all") == 0; /* with what was talked about */
	if (!therapist_checkins(r->app->store, &r->viewer, ts, NULL, 30, r->arena, &checkins, &count, &next, &p) ||
	    !therapist_repairs(r->app->store, &r->viewer, ts, r->arena, &repairs, &p) ||
	    !therapist_safety(r->app->store, &r->viewer, ts, r->arena, &safety, &p) ||
	    !therapist_cycle(r->app->store, &r->viewer, ts, r->arena, &cycle, &p) || /* issue 14 */
	    !therapist_notes(r->app->store, &r->viewer, ts, NULL, 50, r->arena, &notes, &note_count, &notes_next, &p) ||
	    !web_therapist_space_sessions(r, ts, sessions, &p) ||
	    !web_homework_section(r, ts, homework_typed, homework_ctx, &homework_shown, &p) ||
	    !bridge_list_for_therapist(r->app->store, &r->viewer, ts, bridge_all, r->arena, &bridge, &bridge_count, &p))
		goto fail;
	/* Check-ins and repairs are always named in the visit's line; the other parts only when some were shown. */
	struct therapist_visit seen = {.checkins = true,
	                               .repairs = true,
	                               .safety_count = (int)json_array_size(safety),
	                               .questionnaires = json_array_size(json_object_get(sessions, "instruments")) > 0,
	                               .homework = homework_shown > 0,
	                               .bridge = bridge_count > 0,
	                               .cycle = json_array_size(json_object_get(cycle, "sides")) > 0}; /* issue 14 */
	if (!therapist_log_visit(r->app->store, &r->viewer, ts, &seen, r->arena, &p))
		goto fail;
	/* the domain's items carry RFC 3339 times; a page says them in words */
	size_t at_i;
	json_t *item;
	json_array_foreach(safety, at_i, item)
	    json_object_set_new(item, "when", web_when_stamp(r, json_string_value(json_object_get(item, "at")), false));
	web_repair_states_in_words(r, repairs);
	json_t *note_list = json_array();
	for (int i = 0; i < note_count; i++) {
		json_array_append_new(note_list, json_pack("{s:o, s:s?}", "when", web_when(r, notes[i].created_at),
		                                           "text", notes[i].text));
	}
	json_t *ctx =
	    json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b}", "id", ts->space_id, "names", partner_names(r, &ts->t),
	              "partners", partners_json(&ts->t), "checkins", checkin_cards(r, ts, checkins, count), "repairs",
	              repairs, "safety", safety, "notes", note_list, "any_consent",
	              (ts->t.members > 0 && ts->t.consent[0]) || (ts->t.members > 1 && ts->t.consent[1]));
	json_object_update(ctx, sessions);
	json_decref(sessions);
	const char *session = request_query(r, "session");
	if (session)
		json_object_set_new(ctx, strcmp(session, "cleared") == 0 ? "session_cleared" : "session_set",
		                    json_true());
	json_object_update(ctx, homework_ctx);
	json_decref(homework_ctx);
	const char *given = request_query(r, "homework");
	json_object_set_new(ctx, "homework_given", json_boolean(given && strcmp(given, "given") == 0));
	json_object_set_new(ctx, "homework_removed", json_boolean(given && strcmp(given, "removed") == 0));
	if (!seen.cycle) {
		json_decref(cycle);
		cycle = json_null();
	}
	json_object_set_new(ctx, "cycle", cycle); /* issue 14 */
	json_object_set_new(ctx, "bridge", bridge_json(r, ts, bridge, bridge_count));
	json_object_set_new(ctx, "bridge_all", json_boolean(bridge_all));
	if (problem)
		web_add_problem(r, ctx, problem);
	web_render(r, status, "therapist_space", tr(r->lang, "A couple you accompany"), ctx);
	return;
fail:
	json_decref(repairs);
	json_decref(safety);
	json_decref(cycle);
	json_decref(sessions);
	json_decref(homework_ctx);
	web_problem_page(r, &p);
}

void web_therapist_space(struct request *r)
{
	struct therapist_space ts;
	if (!web_therapist_space_open(r, &ts))
		return;
	web_therapist_space_render(r, 200, &ts, NULL, NULL);
}

void web_therapist_note(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	struct store_note n;
	if (!web_therapist_space_open(r, &ts))
		return;
	const char *text = request_form(r, "text");
	if (therapist_note_add(r->app->store, &r->viewer, &ts, text ? text : "", r->arena, &n, &p))
		reply_redirect(r, arena_printf(r->arena, "/therapist/spaces/%s", ts.space_id));
	else if (outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		web_therapist_space_render(r, web_status(r, p.outcome), &ts, &p, NULL);
}

void web_space_therapist_link(struct request *r)
{
	struct problem p = {0};
	if (therapist_link(r->app->store, &r->viewer, request_form(r, "therapist_code"), r->client_addr, &p)) {
		reply_redirect(r, "/space?therapist=linked");
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || p.retry_after > 0)
		p.field = "therapist_code";
	web_throttled(r, &p, N_("There have been too many tries with therapist codes."));
	web_space_problem(r, &p);
}

void web_space_therapist_consent(struct request *r)
{
	struct problem p = {0};
	const char *grant = request_form(r, "grant");
	if (therapist_consent(r->app->store, &r->viewer, grant && strcmp(grant, "1") == 0, &p))
		reply_redirect(r, "/space");
	else
		web_space_problem(r, &p);
}

void web_space_therapist_unlink(struct request *r)
{
	struct problem p = {0};
	if (therapist_unlink(r->app->store, &r->viewer, &p))
		reply_redirect(r, "/space?therapist=unlinked");
	else
		web_space_problem(r, &p);
}
