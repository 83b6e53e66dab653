/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * email.c - the pages behind the links of an email (issue 15): confirming
 * an address, and stopping reminders by email (also the one-click POST of
 * RFC 8058 a mail client sends to the List-Unsubscribe address). The token
 * in the URL is the credential (ACCESS_TOKEN); a GET changes nothing, since
 * mail scanners open links, and the button posts. Also the address form of
 * the Reminders page. Rules: domain/email.c.
 */
#include <string.h>

#include "../app.h"
#include "../domain/email.h"
#include "../notify/mailer.h"
#include "web.h"

static void link_page(struct request *r, int status, const char *title, const char *message, bool done,
                      const char *button)
{
	json_t *ctx = json_pack("{s:s, s:s, s:b, s:s, s:s}", "heading", title, "message", message, "done", done,
	                        "button", button ? button : "", "action", r->path);
	web_render(r, status, "email_link", title, ctx);
}

/*
 * A link that no longer works says why (older than two days, another address
 * since) and what to do, rather than the general "Not found": the words are
 * the same for a wrong token, so they tell nothing about anyone.
 */
static void link_problem(struct request *r, const struct problem *p)
{
	if (p->outcome == OUTCOME_NOT_FOUND)
		web_error_page(r, 404, tr(r->lang, "This link is out of date"), tr(r->lang, p->message));
	else
		web_problem_page(r, p);
}

void web_email_confirm_form(struct request *r)
{
	enum lang l = r->lang;
	link_page(r, 200, tr(l, "Confirm your address"),
	          tr(l,
	             "Someone, we hope you, asked for reminders at this email address. Confirm it, and the reminders "
	             "you choose by email will come to it."),
	          false, tr(l, "Confirm my address"));
}

void web_email_confirm(struct request *r)
{
	struct problem p = {0};
	if (!email_confirm(r->app->store, r->path_args[0], mailer_now(r->app), &p)) {
		link_problem(r, &p);
		return;
	}
	link_page(r, 200, tr(r->lang, "Your address is confirmed"),
	          tr(r->lang, "Thank you. Reminders you choose by email will come to this address. Each has a link to "
	                      "stop them."),
	          true, NULL);
}

void web_unsubscribe_form(struct request *r)
{
	enum lang l = r->lang;
	link_page(r, 200, tr(l, "Stop reminders by email?"),
	          tr(l, "No more reminders will come by email. Reminders in your calendar stay as they are."), false,
	          tr(l, "Stop reminders by email"));
}

/* The page's button, and a mail client's one-click POST (its form says List-Unsubscribe=One-Click). */
void web_unsubscribe(struct request *r)
{
	struct problem p = {0};
	if (!email_unsubscribe(r->app->store, r->path_args[0], &p)) {
		link_problem(r, &p);
		return;
	}
	link_page(r, 200, tr(r->lang, "No more reminders by email"),
	          tr(r->lang, "Done: no more reminders will come by email. You can choose them again on your Reminders "
	                      "page."),
	          true, NULL);
}
