/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * notice.c - API: a person's quiet hours (PUT and DELETE /me/quiet-hours)
 * and notices of their partner's activity (PUT and DELETE /me/notices),
 * both shown in GET /reminders. Under /me, not /reminders/{kind}: they are
 * the person's own settings across reminders and notices, and a literal
 * route among the kinds would work only by its place in the route table.
 * Rules: domain/quiet.c and domain/notice.c.
 */
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/notice.h"
#include "../domain/quiet.h"
#include "api.h"

static json_t *quiet_json(const struct quiet_hours *q)
{
	if (!q->set)
		return json_null();
	char from[16], to[16];
	snprintf(from, sizeof from, "%02d:%02d", q->from / 60 % 24, q->from % 60);
	snprintf(to, sizeof to, "%02d:%02d", q->to / 60 % 24, q->to % 60);
	return json_pack("{s:s, s:s}", "from", from, "to", to);
}

static json_t *notices_json(const struct notice_settings *n)
{
	if (!n->on)
		return json_null();
	json_t *kinds = json_array(), *channels = json_array();
	for (int k = 0; k < NOTICE_KIND_COUNT; k++)
		if (n->kinds & (1u << k))
			json_array_append_new(kinds, json_string(notice_kind_name((enum notice_kind)k)));
	for (int c = 0; c < CHANNEL_COUNT; c++)
		if (n->channels & (1u << c))
			json_array_append_new(channels, json_string(reminder_channel_name((enum reminder_channel)c)));
	return json_pack("{s:o, s:s, s:o, s:o}", "kinds", kinds, "wording", n->named ? "named" : "neutral", "channels",
	                 channels, "updated_at", api_time(n->updated_at));
}

bool api_notice_fields(struct request *r, json_t *body, struct problem *p)
{
	struct quiet_hours q;
	struct notice_settings n;
	if (!quiet_get(r->app->store, &r->viewer, &q, p) || !notice_get(r->app->store, &r->viewer, &n, p))
		return false;
	json_object_set_new(body, "quiet_hours", quiet_json(&q));
	json_object_set_new(body, "notices", notices_json(&n));
	return true;
}

/* {from:"HH:MM", to:"HH:MM"} → 200 {from, to}. */
void api_quiet_put(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *from = NULL, *to = NULL;
	bool present;
	struct problem p = {0};
	struct quiet_hours q;
	problem_begin(&p); /* a wrong type is named with the other field's fault */
	(void)!api_string(body, "from", false, &from, &present, &p);
	(void)!api_string(body, "to", false, &to, &present, &p);
	if (quiet_set(r->app->store, &r->viewer, from, to, &q, &p))
		reply_json(r, 200, quiet_json(&q));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_quiet_delete(struct request *r)
{
	struct problem p = {0};
	if (quiet_remove(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

/* {kinds:[...], wording?:"neutral"|"named", channels:[...]} → 200 the settings. */
void api_notices_put(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct notice_input in = {0};
	struct notice_settings out;
	struct problem p = {0};
	bool present;
	problem_begin(&p); /* a wrong type is named with the other fields' faults */
	(void)!api_string_list(body, "kinds", "kinds is a list such as [\"prompt\", \"checkin\"].", in.kinds,
	                       NOTICE_KIND_COUNT + 1, &in.kind_count, &p);
	(void)!api_string_list(body, "channels", "channels is a list such as [\"email\"].", in.channels,
	                       CHANNEL_COUNT + 1, &in.channel_count, &p);
	(void)!api_string(body, "wording", true, &in.wording, &present, &p);
	in.offered = reminder_channels_offered(r->app->config.smtp_url != NULL);
	if (notice_set(r->app->store, &r->viewer, &in, &out, &p))
		reply_json(r, 200, notices_json(&out));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_notices_delete(struct request *r)
{
	struct problem p = {0};
	if (notice_remove(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}
