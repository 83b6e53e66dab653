/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * space.c - pages: the couple's space (create, invite, join, leave), its
 * pending invite codes (revoke), and the therapist with each partner's
 * consent in its three states.
 */
#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "../domain/invite.h"
#include "../domain/therapist.h"
#include "web.h"

/* Pending codes shown on the page; more are rare (each one is made by hand). */
#define INVITES_SHOWN 50

/* The space's pending invite codes: when each was made and until when it works; never the code. */
static void add_invites(struct request *r, json_t *ctx)
{
	struct store_invite *items;
	int count = 0;
	char *next;
	struct problem p = {0};
	if (!invite_list(r->app->store, &r->viewer, NULL, INVITES_SHOWN, r->arena, &items, &count, &next, &p))
		return; /* the page still serves its purpose without the list */
	json_t *list = json_array();
	for (int i = 0; i < count; i++) {
		json_array_append_new(list, json_pack("{s:s, s:o, s:o}", "id", items[i].id, "created",
		                                      web_when(r, items[i].created_at), "expires",
		                                      web_when(r, items[i].expires_at)));
	}
	json_object_set_new(ctx, "invites", list);
	json_object_set_new(ctx, "more_invites", json_boolean(next != NULL));
}

json_t *web_consent(enum consent_state c)
{
	return json_pack("{s:s, s:b, s:b, s:b}", "consent_state", consent_state_name(c), "granted",
	                 c == CONSENT_GRANTED, "undecided", c == CONSENT_UNDECIDED, "declined", c == CONSENT_DECLINED);
}

/* Renders the space page, optionally with a new invite code or a problem. */
static void render_space(struct request *r, int status, const char *code, int64_t expires, const struct problem *p,
                         const char *typed_code)
{
	json_t *ctx = json_pack("{s:b, s:b, s:s?, s:o?, s:s, s:b, s:b, s:b}", "in_space", r->viewer.space_id[0] != 0,
	                        "has_partner", r->viewer.partner_id[0] != 0, "invite_code", code, "invite_expires",
	                        code ? web_when(r, expires) : NULL, "code", typed_code ? typed_code : "", "left",
	                        request_query(r, "left") != NULL, "joined", request_query(r, "joined") != NULL,
	                        "revoked", request_query(r, "revoked") != NULL);
	if (r->viewer.space_id[0] && !r->viewer.partner_id[0])
		add_invites(r, ctx);
	const char *tz = request_form(r, "time_zone");
	json_object_set_new(ctx, "time_zone", json_string(tz && utf8_valid(tz, strlen(tz)) ? tz : ""));
	if (r->viewer.space_id[0]) {
		/* The therapist, each partner's consent, and what the therapist looked at. */
		struct store_space_therapist t;
		struct problem tp = {0};
		if (therapist_of_space(r->app->store, &r->viewer, &t, &tp)) {
			json_t *partners = json_array();
			for (int i = 0; i < t.members; i++) {
				bool me = strcmp(t.member_ids[i], r->viewer.user_id) == 0;
				json_t *one = web_consent(t.consent_state[i]);
				json_object_set_new(one, "name",
				                    json_string(me ? tr(r->lang, "You") : t.member_names[i]));
				json_object_set_new(one, "me", json_boolean(me));
				json_array_append_new(partners, one);
			}
			json_t *therapist = web_consent(consent_state_of(&t, r->viewer.user_id));
			json_object_set_new(therapist, "name", json_string(t.display_name));
			json_object_set_new(therapist, "partners", partners);
			json_object_set_new(ctx, "therapist", therapist);
			web_session_context(r, therapist); /* issue 13: the next session */
		}
		struct store_access *log;
		int count = 0;
		char *next;
		if (access_log_list(r->app->store, &r->viewer, NULL, 20, r->arena, &log, &count, &next, &tp)) {
			json_t *entries = json_array();
			for (int i = 0; i < count; i++) {
				json_array_append_new(entries,
				                      json_pack("{s:o, s:s, s:s}", "when", web_when(r, log[i].at),
				                                "who", log[i].who_name, "what", log[i].what));
			}
			json_object_set_new(ctx, "access_log", entries);
		}
		const char *typed = request_form(r, "therapist_code");
		json_object_set_new(ctx, "therapist_code",
		                    json_string(typed && utf8_valid(typed, strlen(typed)) ? typed : ""));
	}
	if (p)
		web_add_problem(r, ctx, p);
	web_render(r, status, "space", tr(r->lang, "Our space"), ctx);
}

void web_space_problem(struct request *r, const struct problem *p)
{
	if (outcome_is_fault(p->outcome))
		web_problem_page(r, p);
	else
		render_space(r, web_status(r, p->outcome), NULL, 0, p, NULL);
}

void web_space(struct request *r)
{
	/* Right after "Make an invite code": the new code, shown this once. */
	char code[INVITE_CODE_LEN + 1];
	int64_t at = 0;
	bool found = false;
	struct problem p = {0};
	if (request_query(r, "invited") &&
	    !invite_flash_take(r->app->store, &r->viewer, r->arena, code, sizeof code, &at, &found, &p)) {
		web_problem_page(r, &p);
		return;
	}
	render_space(r, 200, found ? code : NULL, found ? at : 0, NULL, NULL);
}

/* After a failed action: the page again with the message, or an error page. */
static void space_failed(struct request *r, struct problem *p, const char *typed_code)
{
	if (outcome_is_fault(p->outcome))
		web_problem_page(r, p);
	else
		render_space(r, web_status(r, p->outcome), NULL, 0, p, typed_code);
}

void web_space_create(struct request *r)
{
	char id[ID_LEN + 1];
	struct problem p = {0};
	if (space_create(r->app->store, &r->viewer, request_form(r, "time_zone"), id, &p))
		reply_redirect(r, "/space");
	else
		space_failed(r, &p, NULL);
}

void web_space_invite(struct request *r)
{
	char code[INVITE_CODE_LEN + 1], id[ID_LEN + 1];
	int64_t at;
	struct problem p = {0};
	if (!space_invite(r->app->store, &r->viewer, code, id, &at, &p)) {
		space_failed(r, &p, NULL);
		return;
	}
	/* POST-redirect-GET: a refresh of the page that shows the code makes no other. */
	if (!invite_flash_put(r->app->store, &r->viewer, code, at, r->arena, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/space?invited=1");
}

void web_space_invite_revoke(struct request *r)
{
	struct problem p = {0};
	if (invite_revoke(r->app->store, &r->viewer, r->path_args[0], &p))
		reply_redirect(r, "/space?revoked=1");
	else
		space_failed(r, &p, NULL);
}

void web_space_join(struct request *r)
{
	const char *code = request_form(r, "code");
	char id[ID_LEN + 1];
	struct problem p = {0};
	if (space_join(r->app->store, &r->viewer, code ? code : "", r->client_addr, id, &p)) {
		reply_redirect(r, "/space?joined=1");
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || p.retry_after > 0)
		p.field = "code";
	web_throttled(r, &p, N_("There have been too many tries with invite codes."));
	space_failed(r, &p, code);
}

void web_space_leave(struct request *r)
{
	/* The space page's button asks first (issue 11); the confirmation page's button leaves. */
	if (request_form(r, "ask")) {
		web_space_leave_form(r);
		return;
	}
	struct problem p = {0};
	if (space_leave(r->app->store, &r->viewer, &p))
		reply_redirect(r, "/space?left=1");
	else
		space_failed(r, &p, NULL);
}
