/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * export.c - API: the export of everything the viewer wrote, as a download.
 */
#include "../app.h"
#include "../domain/export.h"
#include "api.h"

void api_export(struct request *r)
{
	json_t *doc;
	struct problem p = {0};
	if (!export_build(r->app->store, &r->viewer, r->arena, &doc, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_header(r, "Content-Disposition", "attachment; filename=\"hearth-export.json\"");
	reply_json(r, 200, doc);
}
