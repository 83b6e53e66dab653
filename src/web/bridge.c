/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * bridge.c - pages: "For our next session" (issue 13), a partner's list of
 * what to bring to the couple's next session, with an add form, per-item
 * share buttons (therapist, partner), a change form and removal; and the
 * therapist's "Talked about" button on a couple's page (the list itself is a
 * section of that page, web/therapist.c). Everything works without
 * JavaScript; a form with a problem comes back with what was typed.
 */
#include <string.h>

#include "../app.h"
#include "../domain/bridge.h"
#include "../domain/therapist.h"
#include "web.h"

/* A form's "1"/"0" field: *has false when it was not sent. */
static bool form_flag(struct request *r, const char *name, bool *has)
{
	const char *v = request_form(r, name);
	*has = v != NULL;
	return v && strcmp(v, "1") == 0;
}

/* The viewer's consent to their space's therapist, in words for the page's hint. */
static const char *therapist_hint(struct request *r)
{
	struct store_space_therapist t;
	struct problem p = {0};
	if (!therapist_of_space(r->app->store, &r->viewer, &t, &p))
		return "none";
	return consent_state_of(&t, r->viewer.user_id) == CONSENT_GRANTED ? "consents" : "no_consent";
}

/*
 * The page. edit_id names the item whose change form came back with a
 * problem (its typed text kept, its form open); NULL otherwise.
 */
static void render_bridge(struct request *r, int status, const struct problem *problem, const char *edit_id)
{
	if (!r->viewer.space_id[0]) {
		web_render(r, status, "bridge", tr(r->lang, "For our next session"),
		           json_pack("{s:b}", "no_space", true));
		return;
	}
	struct bridge_lists l;
	struct problem p = {0};
	if (!bridge_lists(r->app->store, &r->viewer, r->arena, &l, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *mine = json_array();
	for (int i = 0; i < l.mine_count; i++) {
		const struct store_bridge_item *it = &l.mine[i];
		bool editing = edit_id && strcmp(edit_id, it->id) == 0;
		const char *draft = editing ? request_form(r, "text") : NULL;
		json_t *one =
		    json_pack("{s:s, s:s?, s:s?, s:o, s:b, s:b, s:b}", "id", it->id, "text", it->text, "draft",
		              draft ? draft : it->text, "when", web_when(r, it->created_at), "therapist",
		              it->share_with_therapist, "partner", it->share_with_partner, "editing", editing);
		if (editing && problem && problem->message)
			json_object_set_new(one, "error", json_string(tr(r->lang, problem->message)));
		json_array_append_new(mine, one);
	}
	json_t *theirs = json_array();
	for (int i = 0; i < l.partner_count; i++)
		json_array_append_new(theirs, json_pack("{s:s?, s:o}", "text", l.partner[i].text, "when",
		                                        web_when(r, l.partner[i].created_at)));
	/* The add form keeps what was typed after a problem; its boxes too. */
	bool has;
	bool adding = !edit_id && problem;
	const char *text = adding ? request_form(r, "text") : NULL;
	const char *hint = therapist_hint(r);
	json_t *ctx = json_pack(
	    "{s:o, s:o, s:s, s:s?, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "mine", mine, "theirs", theirs, "text",
	    text ? text : "", "partner_name", r->viewer.partner_id[0] ? r->viewer.partner_name : NULL, "has_partner",
	    r->viewer.partner_id[0] != '\0', "share_therapist", adding && form_flag(r, "share_with_therapist", &has),
	    "share_partner", adding && form_flag(r, "share_with_partner", &has), "added",
	    request_query(r, "added") != NULL, "removed", request_query(r, "removed") != NULL, "therapist_none",
	    strcmp(hint, "none") == 0, "therapist_no_consent", strcmp(hint, "no_consent") == 0, "saved",
	    request_query(r, "saved") != NULL);
	if (problem && !edit_id)
		web_add_problem(r, ctx, problem);
	else if (problem) /* the summary links to the item's own field */
		json_object_set_new(ctx, "edit_error",
		                    json_pack("{s:s, s:s}", "field", arena_printf(r->arena, "text-%s", edit_id),
		                              "message", problem->message ? tr(r->lang, problem->message) : ""));
	web_render(r, status, "bridge", tr(r->lang, "For our next session"), ctx);
}

void web_bridge(struct request *r)
{
	render_bridge(r, 200, NULL, NULL);
}

void web_bridge_add(struct request *r)
{
	struct bridge_input in = {.text = request_form(r, "text")};
	in.has_text = true;
	in.share_with_therapist = form_flag(r, "share_with_therapist", &in.has_share_with_therapist);
	in.share_with_partner = form_flag(r, "share_with_partner", &in.has_share_with_partner);
	if (!in.text)
		in.text = "";
	struct store_bridge_item it;
	struct problem p = {0};
	if (bridge_create(r->app->store, &r->viewer, &in, r->arena, &it, &p))
		reply_redirect(r, "/bridge?added=1");
	else if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_bridge(r, web_status(r, p.outcome), &p, NULL);
}

/* One form for both: the change form sends text; a share button sends one of the two flags. */
void web_bridge_change(struct request *r)
{
	struct bridge_input in = {.text = request_form(r, "text")};
	in.has_text = in.text != NULL;
	in.share_with_therapist = form_flag(r, "share_with_therapist", &in.has_share_with_therapist);
	in.share_with_partner = form_flag(r, "share_with_partner", &in.has_share_with_partner);
	struct store_bridge_item it;
	struct problem p = {0};
	if (bridge_update(r->app->store, &r->viewer, r->path_args[0], &in, r->arena, &it, &p))
		reply_redirect(r, "/bridge?saved=1");
	else if (p.outcome == OUTCOME_NOT_FOUND || outcome_is_fault(p.outcome))
		web_problem_page(r, &p);
	else
		render_bridge(r, web_status(r, p.outcome), &p, r->path_args[0]); /* found: a valid id of theirs */
}

void web_bridge_delete(struct request *r)
{
	struct problem p = {0};
	if (bridge_delete(r->app->store, &r->viewer, r->path_args[0], &p))
		reply_redirect(r, "/bridge?removed=1");
	else
		web_problem_page(r, &p);
}

void web_therapist_bridge_talked_about(struct request *r)
{
	struct therapist_space ts;
	struct store_bridge_item it;
	struct problem p = {0};
	if (!web_therapist_space_open(r, &ts))
		return;
	/* Logged as the API logs it; the couple's page it returns to writes its own visit line. */
	if (bridge_talked_about(r->app->store, &r->viewer, &ts, r->path_args[1], r->arena, &it, &p))
		reply_redirect(r, arena_printf(r->arena, "/therapist/spaces/%s#bridge-heading", ts.space_id));
	else
		web_problem_page(r, &p);
}
