/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * export.c - pages: the printable export of everything the viewer wrote
 * (after the password was typed in the last 10 minutes).
 */
#include "../app.h"
#include "../domain/export.h"
#include "web.h"

void web_export(struct request *r)
{
	json_t *doc;
	struct problem p = {0};
	if (!web_require_fresh(r, "/account/export"))
		return; /* to the page that asks for the password, and back here */
	if (!export_build(r->app->store, &r->viewer, r->arena, &doc, &p)) {
		web_problem_page(r, &p);
		return;
	}
	web_render(r, 200, "export", "Everything you wrote", doc);
}
