/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * home.c - pages: the public front page and the signed-in dashboard (recent
 * check-ins, the month's mood, agreements due for a look).
 */
#include "../app.h"
#include "../domain/agreement.h"
#include "../domain/checkin.h"
#include "web.h"

void web_home(struct request *r)
{
	if (r->signed_in) {
		reply_redirect(r, "/dashboard");
		return;
	}
	web_render(r, 200, "home", "A secure relationship, practised together",
	           json_pack("{s:b}", "deleted", request_query(r, "deleted") != NULL));
}

void web_dashboard(struct request *r)
{
	struct checkin_page page;
	struct problem p = {0};
	if (!checkin_list(r->app->store, &r->viewer, AUTHOR_ALL, NULL, 6, r->arena, &page, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *ctx = json_pack("{s:o, s:b, s:b}", "checkins", web_checkin_cards(r, &page), "in_space",
	                        r->viewer.space_id[0] != 0, "more", page.next_cursor != NULL);
	char *chart = web_dashboard_chart(r);
	if (chart)
		json_object_set_new(ctx, "chart", json_string(chart));
	/* Agreements due for a look, said gently. */
	struct agreement_page due;
	if (agreement_list(r->app->store, &r->viewer, NULL, 20, r->arena, &due, &p)) {
		json_t *list = json_array();
		for (int i = 0; i < due.count; i++)
			if (due.items[i].due && due.items[i].agreement.text)
				json_array_append_new(list, json_pack("{s:s}", "text", due.items[i].agreement.text));
		json_object_set_new(ctx, "has_due", json_boolean(json_array_size(list) > 0));
		json_object_set_new(ctx, "due", list);
	}
	web_render(r, 200, "dashboard", "Your hearth", ctx);
}
