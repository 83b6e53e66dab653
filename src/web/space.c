/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * space.c - pages: the couple's space (create, invite, join, leave).
 */
#include <string.h>

#include "../app.h"
#include "../domain/account.h"
#include "../domain/therapist.h"
#include "web.h"

/* Renders the space page, optionally with a new invite code or a problem. */
static void render_space(struct request *r, int status, const char *code, const char *expires,
                         const struct problem *p, const char *typed_code)
{
	json_t *ctx = json_pack("{s:b, s:b, s:s?, s:s?, s:s, s:b, s:b}", "in_space", r->viewer.space_id[0] != 0,
	                        "has_partner", r->viewer.partner_id[0] != 0, "invite_code", code, "invite_expires",
	                        expires, "code", typed_code ? typed_code : "", "left",
	                        request_query(r, "left") != NULL, "joined", request_query(r, "joined") != NULL);
	const char *tz = request_form(r, "time_zone");
	json_object_set_new(ctx, "time_zone", json_string(tz && utf8_valid(tz, strlen(tz)) ? tz : ""));
	if (r->viewer.space_id[0]) {
		/* The therapist, each partner's consent, and what the therapist looked at. */
		struct store_space_therapist t;
		struct problem tp;
		if (therapist_of_space(r->app->store, &r->viewer, &t, &tp)) {
			bool mine = false;
			json_t *partners = json_array();
			for (int i = 0; i < t.members; i++) {
				bool me = strcmp(t.member_ids[i], r->viewer.user_id) == 0;
				if (me)
					mine = t.consent[i];
				json_array_append_new(partners, json_pack("{s:s, s:b, s:b}", "name", me ? "You" : t.member_names[i],
				                                          "consent", t.consent[i], "me", me));
			}
			json_object_set_new(ctx, "therapist", json_pack("{s:s, s:b, s:o}", "name", t.display_name, "my_consent",
			                                                mine, "partners", partners));
		}
		struct store_access *log;
		int count = 0;
		char *next;
		if (access_log_list(r->app->store, &r->viewer, NULL, 20, r->arena, &log, &count, &next, &tp)) {
			json_t *entries = json_array();
			for (int i = 0; i < count; i++) {
				char when[40];
				time_human(log[i].at, when);
				json_array_append_new(entries, json_pack("{s:s, s:s, s:s}", "when", when, "who", log[i].who_name,
				                                         "what", log[i].what));
			}
			json_object_set_new(ctx, "access_log", entries);
		}
		const char *typed = request_form(r, "therapist_code");
		json_object_set_new(ctx, "therapist_code", json_string(typed && utf8_valid(typed, strlen(typed)) ? typed : ""));
	}
	if (p)
		web_add_problem(ctx, p);
	web_render(r, status, "space", "Our space", ctx);
}

void web_space_problem(struct request *r, const struct problem *p)
{
	if (outcome_is_fault(p->outcome))
		web_problem_page(r, p);
	else
		render_space(r, web_status(r, p->outcome), NULL, NULL, p, NULL);
}

void web_space(struct request *r)
{
	render_space(r, 200, NULL, NULL, NULL, NULL);
}

/* After a failed action: the page again with the message, or an error page. */
static void space_failed(struct request *r, struct problem *p, const char *typed_code)
{
	if (outcome_is_fault(p->outcome))
		web_problem_page(r, p);
	else
		render_space(r, web_status(r, p->outcome), NULL, NULL, p, typed_code);
}

void web_space_create(struct request *r)
{
	char id[ID_LEN + 1];
	struct problem p;
	if (space_create(r->app->store, &r->viewer, request_form(r, "time_zone"), id, &p))
		reply_redirect(r, "/space");
	else
		space_failed(r, &p, NULL);
}

void web_space_invite(struct request *r)
{
	char code[INVITE_CODE_LEN + 1], expires[40];
	int64_t at;
	struct problem p;
	if (!space_invite(r->app->store, &r->viewer, code, &at, &p)) {
		space_failed(r, &p, NULL);
		return;
	}
	time_human(at, expires);
	render_space(r, 200, code, expires, NULL, NULL);
}

void web_space_join(struct request *r)
{
	const char *code = request_form(r, "code");
	char id[ID_LEN + 1];
	struct problem p;
	if (space_join(r->app->store, &r->viewer, code ? code : "", r->client_addr, id, &p)) {
		reply_redirect(r, "/space?joined=1");
		return;
	}
	if (p.outcome == OUTCOME_NOT_FOUND || p.retry_after > 0)
		p.field = "code";
	web_throttled(r, &p, "There have been too many tries with invite codes.");
	space_failed(r, &p, code);
}

void web_space_leave(struct request *r)
{
	struct problem p;
	if (space_leave(r->app->store, &r->viewer, &p))
		reply_redirect(r, "/space?left=1");
	else
		space_failed(r, &p, NULL);
}
