/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * push.c - API: web push (issue 15): the server's VAPID public key for
 * pushManager.subscribe (GET /push/key), and the caller's subscriptions,
 * one per device (GET and POST /push/subscriptions, DELETE
 * /push/subscriptions/{id}). A subscription is its owner's alone: anyone
 * else, the partner included, gets 404. Rules: domain/push.c.
 */
#include <string.h>

#include "../app.h"
#include "../domain/push.h"
#include "api.h"

void api_push_key(struct request *r)
{
	reply_json(r, 200, json_pack("{s:s}", "vapid_public_key", webpush_key_public(r->app->push_key)));
}

/* A string member of obj, or NULL when it is missing or not a string (the domain names the field then). */
static const char *string_of(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return NULL;
	return json_string_value(v);
}

/* {endpoint, keys:{p256dh, auth}} (a PushSubscription's toJSON()) → 201 {id}. */
void api_push_subscribe(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	json_t *keys = json_object_get(body, "keys");
	struct problem p = {0};
	char id[ID_LEN + 1];
	if (push_subscribe(r->app->store, &r->viewer, string_of(body, "endpoint"), string_of(keys, "p256dh"),
	                   string_of(keys, "auth"), r->app->config.push_loopback, id, &p))
		reply_json(r, 201, json_pack("{s:s}", "id", id));
	else
		api_problem(r, &p);
	json_decref(body);
}

/* 200 {items:[{id, created_at, push_service}], next:null}: the caller's devices, oldest first. */
void api_push_list(struct request *r)
{
	struct problem p = {0};
	struct push_device *ds;
	int count;
	if (!push_devices(r->app->store, &r->viewer, r->arena, &ds, &count, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(items, json_pack("{s:s, s:o, s:s}", "id", ds[i].id, "created_at",
		                                       api_time(ds[i].created_at), "push_service", ds[i].service));
	reply_json(r, 200, api_list(items, NULL));
}

void api_push_unsubscribe(struct request *r)
{
	struct problem p = {0};
	if (push_unsubscribe(r->app->store, &r->viewer, r->path_args[0], &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}
