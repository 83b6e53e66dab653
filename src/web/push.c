/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * push.c - web push on the Reminders page (issue 15): the section
 * "Notifications on this device" with the person's devices, each with a
 * button that removes it (a form: it works without JavaScript), and what
 * static/push.js needs to subscribe this device (the VAPID key). Without
 * JavaScript the page says the browser of the device has to allow
 * notifications, which only a script can ask. Rules: domain/push.c.
 */
#include "../app.h"
#include "../domain/push.h"
#include "web.h"

bool web_push_context(struct request *r, json_t *ctx, struct problem *p)
{
	struct push_device *ds;
	int count;
	if (!push_devices(r->app->store, &r->viewer, r->arena, &ds, &count, p))
		return false;
	json_t *devices = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(devices, json_pack("{s:s, s:o, s:s}", "id", ds[i].id, "added",
		                                         web_when_full(r, ds[i].created_at), "service", ds[i].service));
	json_object_set_new(ctx, "push",
	                    json_pack("{s:o, s:b, s:s, s:s, s:b, s:b}", "devices", devices, "ready", count > 0, "key",
	                              webpush_key_public(r->app->push_key), "script", web_asset_url(r, "push.js"),
	                              "added", request_query(r, "device_added") != NULL, "removed",
	                              request_query(r, "device_removed") != NULL));
	return true;
}

void web_push_remove(struct request *r)
{
	struct problem p = {0};
	if (!push_unsubscribe(r->app->store, &r->viewer, r->path_args[0], &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/reminders?device_removed=1#push-heading");
}
