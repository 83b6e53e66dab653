/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pusher.c - the web push thread (pusher.h).
 */
#include "pusher.h"

#include "../domain/push.h"
#include "push_http.h"
#include "ticker.h"

/* Messages sent a tick at most: the rest wait for the next one, so stopping is never far off. */
#define PUSHER_BATCH 50

static struct push_settings settings;
static struct ticker ticker;

static bool push_queue_due(struct app *app, int64_t since, int64_t now)
{
	return push_schedule(app->store, since, now) >= 0;
}

static bool push_send(struct app *app, int64_t now)
{
	return push_send_due(app->store, &settings, now, PUSHER_BATCH, app->config.outbox_pause_ms) >= 0;
}

int pusher_start(struct app *app)
{
	settings = (struct push_settings){.key = app->push_key,
	                                  .subject = app->config.push_subject,
	                                  .loopback = app->config.push_loopback,
	                                  .send = push_http_send,
	                                  .default_lang = app->config.default_lang};
	ticker = (struct ticker){.app = app,
	                         .tick_ms = app->config.push_tick_ms,
	                         .outbox = "the push outbox",
	                         .thread_name = "hearth-push",
	                         .queue = push_queue_due,
	                         .send = push_send};
	return ticker_start(&ticker);
}

void pusher_stop(void)
{
	ticker_stop(&ticker);
}
