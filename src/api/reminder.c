/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * reminder.c - API: a person's reminders (GET /reminders, PUT and DELETE
 * /reminders/{kind}) and their private calendar feed (POST and DELETE
 * /calendar), plus the feed itself at /calendar/{token}.ics, which its
 * token alone opens (a calendar app has no session). Rules: domain/reminder.c.
 */
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/email.h"
#include "../domain/push.h"
#include "../domain/reminder.h"
#include "../web/render/ics.h"
#include "api.h"

/* The names of the channels in bits (1u << enum reminder_channel), in order. */
static json_t *channels_json(unsigned bits)
{
	json_t *names = json_array();
	for (int c = 0; c < CHANNEL_COUNT; c++)
		if (bits & (1u << c))
			json_array_append_new(names, json_string(reminder_channel_name((enum reminder_channel)c)));
	return names;
}

static json_t *reminder_json(const struct reminder *r)
{
	json_t *channels = channels_json(r->channels), *days = json_array();
	for (int d = 0; d < 7; d++)
		if (r->days & (1u << d))
			json_array_append_new(days, json_string(reminder_day_name(d)));
	char time[6];
	snprintf(time, sizeof time, "%02d:%02d", r->hour, r->minute);
	return json_pack("{s:s, s:o, s:s, s:o, s:s, s:o}", "kind", reminder_kind_name(r->kind), "channels", channels,
	                 "time", time, "days", days, "text", r->text, "updated_at", api_time(r->updated_at));
}

/* The feed's address for a token. */
static const char *feed_url(struct request *r, const char *token)
{
	return arena_printf(r->arena, "%s/calendar/%s.ics", r->app->config.public_url, token);
}

/* 200 {items:[reminder], next:null, channels_available:[...], calendar:{url, created_at}|null}. */
void api_reminder_list(struct request *r)
{
	struct problem p = {0};
	struct reminder rs[REMINDER_KIND_COUNT];
	int64_t since;
	char token[TOKEN_TEXT_LEN + 1];
	if (!reminder_list(r->app->store, &r->viewer, r->arena, rs, &p) ||
	    !calendar_current(r->app->store, &r->viewer, token, &since, &p)) {
		api_problem(r, &p);
		return;
	}
	json_t *items = json_array();
	for (int k = 0; k < REMINDER_KIND_COUNT; k++)
		if (rs[k].set)
			json_array_append_new(items, reminder_json(&rs[k]));
	json_t *body = api_list(items, NULL);
	struct email_state email;
	bool device = false;
	if (!email_get(r->app->store, &r->viewer, &email, &p) || !api_notice_fields(r, body, &p) ||
	    !push_has_device(r->app->store, r->viewer.user_id, &device, &p)) {
		json_decref(body);
		api_problem(r, &p);
		return;
	}
	/* push is there to choose once the person has a device to push to (a PUT before says so: no_push_device) */
	unsigned available = reminder_channels_offered(r->app->config.smtp_url != NULL);
	if (!device)
		available &= ~(1u << CHANNEL_PUSH);
	json_object_set_new(body, "channels_available", channels_json(available));
	json_object_set_new(body, "email",
	                    email.address[0]
	                        ? json_pack("{s:s, s:b}", "address", email.address, "confirmed", email.confirmed)
	                        : json_null());
	json_object_set_new(body, "calendar",
	                    token[0] ? json_pack("{s:s, s:o}", "url", feed_url(r, token), "created_at", api_time(since))
	                             : json_null());
	reply_json(r, 200, body);
}

/* {channels:[...], time:"HH:MM", days:[...], text?} → 200 the reminder. */
void api_reminder_put(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct reminder_input in = {0};
	struct reminder out;
	struct problem p = {0};
	bool present;
	problem_begin(&p); /* a wrong type is named with the other fields' faults */
	(void)!api_string_list(body, "channels", "channels is a list such as [\"calendar\"].", in.channels,
	                       CHANNEL_COUNT + 1, &in.channel_count, &p);
	(void)!api_string_list(body, "days", "days is a list such as [\"mon\", \"thu\"].", in.days, 8, &in.day_count,
	                       &p);
	(void)!api_string(body, "time", false, &in.time, &present, &p);
	(void)!api_string(body, "text", true, &in.text, &present, &p);
	in.offered = reminder_channels_offered(r->app->config.smtp_url != NULL);
	if (reminder_set(r->app->store, &r->viewer, r->path_args[0], &in, &out, &p))
		reply_json(r, 200, reminder_json(&out));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_reminder_delete(struct request *r)
{
	struct problem p = {0};
	if (reminder_remove(r->app->store, &r->viewer, r->path_args[0], &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

/* 201 {url}: a new private address; the old one stops working. */
void api_calendar_create(struct request *r)
{
	struct problem p = {0};
	char token[TOKEN_TEXT_LEN + 1];
	if (!calendar_new(r->app->store, &r->viewer, token, &p)) {
		api_problem(r, &p);
		return;
	}
	reply_json(r, 201, json_pack("{s:s}", "url", feed_url(r, token)));
}

void api_calendar_delete(struct request *r)
{
	struct problem p = {0};
	if (calendar_remove(r->app->store, &r->viewer, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

/* The feed of REMINDER_KIND_COUNT events at most, each well under 2 KB. */
#define FEED_MAX_BYTES (16 * 1024)

/* GET /calendar/{token}.ics: text/calendar; an unknown or ended token is a plain 404. */
void api_calendar_feed(struct request *r)
{
	const char *seg = r->path_args[0];
	size_t n = strlen(seg);
	const char *token =
	    n > 4 && strcmp(seg + n - 4, ".ics") == 0 ? arena_printf(r->arena, "%.*s", (int)(n - 4), seg) : seg;
	struct problem p = {0};
	struct reminder rs[REMINDER_KIND_COUNT];
	char owner[ID_LEN + 1], language[STORE_LANGUAGE_MAX];
	if (!calendar_feed(r->app->store, token, r->arena, rs, owner, language, &p)) {
		if (p.outcome == OUTCOME_NOT_FOUND)
			reply_text(r, 404, "text/plain; charset=utf-8", p.message, strlen(p.message));
		else
			reply_error(r, api_status(p.outcome), p.code, p.message, NULL);
		return;
	}
	struct buf b;
	buf_init(&b, FEED_MAX_BYTES);
	/* the owner's words (issue 16): their setting, else what the calendar app asks for, else the server's */
	enum lang l = r->lang;
	(void)lang_parse(language, &l);
	if (ics_reminders(&b, owner, l, rs) < 0) {
		buf_cleanup(&b);
		reply_error(r, 500, "internal", "Something went wrong on our side.", NULL);
		return;
	}
	/* The address is the secret: nothing on the way keeps a copy (every response is no-store already). */
	reply_text(r, 200, "text/calendar; charset=utf-8", b.data, b.len);
	buf_cleanup(&b);
}
