/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pusher.c - the web push thread (pusher.h).
 */
#include "pusher.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "../domain/push.h"
#include "mailer.h"
#include "push_http.h"

/* Messages sent a tick at most: the rest wait for the next one, so stopping is never far off. */
#define PUSHER_BATCH 50

static pthread_t thread;
static bool running;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool stopping;
static struct push_settings settings;

static void *pusher_main(void *arg)
{
	struct app *app = arg;
	int64_t scheduled = 0; /* the now of the last tick that queued without fault */
	pthread_mutex_lock(&lock);
	while (!stopping) {
		pthread_mutex_unlock(&lock);
		/* the mailer's clock: the same test clock moves both (docs/reminders.md) */
		int64_t now = mailer_now(app);
		bool queued = push_schedule(app->store, scheduled, now) >= 0;
		if (queued)
			scheduled = now;
		if (!queued || push_send_due(app->store, &settings, now, PUSHER_BATCH, app->config.outbox_pause_ms) < 0)
			fprintf(stderr, "{\"level\":\"warning\",\"msg\":\"the push outbox could not be read; trying "
			                "again\"}\n");
		pthread_mutex_lock(&lock);
		if (stopping)
			break;
		struct timespec until = deadline_in(app->config.push_tick_ms);
		int rc = 0;
		while (!stopping && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&wake, &lock, &until);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int pusher_start(struct app *app)
{
	settings = (struct push_settings){.key = app->push_key,
	                                  .subject = app->config.push_subject,
	                                  .loopback = app->config.push_loopback,
	                                  .send = push_http_send};
	stopping = false;
	if (pthread_create(&thread, NULL, pusher_main, app) != 0)
		return -1;
	running = true;
	return 0;
}

void pusher_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = false;
}
