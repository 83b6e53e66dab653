/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * email.c - API: a person's email address for reminders (PUT and DELETE
 * /me/email). Rules: domain/email.c.
 */
#include "../app.h"
#include "../domain/email.h"
#include "api.h"

/* Email needs an outgoing mail server: without HEARTH_SMTP_URL none is offered, and the API says so. */
static bool email_offered(struct request *r, struct problem *p)
{
	if (r->app->config.smtp_url)
		return true;
	return problem_set(p, OUTCOME_CONFLICT, "email_unavailable", NULL,
	                   "This server has no outgoing mail server, so it sends no email.");
}

/* {email} → 202 {email, confirmed: false}: a confirmation link goes to the address. */
void api_email_put(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *email = NULL;
	bool present;
	struct problem p = {0};
	if (api_string(body, "email", false, &email, &present, &p) && email_offered(r, &p) &&
	    email_set(r->app->store, &r->viewer, email, &p))
		reply_json(r, 202, json_pack("{s:s, s:b}", "email", email, "confirmed", false));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_email_delete(struct request *r)
{
	struct problem p = {0};
	if (email_remove(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}
