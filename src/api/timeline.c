/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * timeline.c - API: the timeline of what the viewer may see.
 */
#include "../app.h"
#include "../domain/timeline.h"
#include "api.h"

void api_timeline(struct request *r)
{
	struct problem p = {0};
	int limit;
	const char *before;
	json_t *items;
	char *next = NULL;
	if (!api_page_params(r, &limit, &before, &p) ||
	    !timeline_build(r->app->store, &r->viewer, before, limit, r->lang, r->arena, &items, &next, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_json(r, 200, api_list(items, next));
}
