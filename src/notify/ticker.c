/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * ticker.c - the thread an outbox is sent from (ticker.h).
 */
#include "ticker.h"

#include <errno.h>
#include <stdio.h>

#include "mailer.h"

static void *ticker_main(void *arg)
{
	struct ticker *t = arg;
	int64_t scheduled = 0; /* the now of the last tick that queued without fault */
	pthread_setname_np(pthread_self(), t->thread_name);
	pthread_mutex_lock(&t->lock);
	while (!t->stopping) {
		pthread_mutex_unlock(&t->lock);
		int64_t now = mailer_now(t->app); /* one clock for every outbox (docs/reminders.md) */
		bool queued = t->queue(t->app, scheduled, now);
		if (queued)
			scheduled = now;
		if (!queued || !t->send(t->app, now))
			fprintf(stderr, "{\"level\":\"warning\",\"msg\":\"%s could not be read; trying again\"}\n",
			        t->outbox);
		pthread_mutex_lock(&t->lock);
		if (t->stopping)
			break;
		struct timespec until = deadline_in(t->tick_ms);
		int rc = 0;
		while (!t->stopping && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&t->wake, &t->lock, &until);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

int ticker_start(struct ticker *t)
{
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	t->stopping = false;
	if (pthread_create(&t->thread, NULL, ticker_main, t) != 0)
		return -1;
	t->running = true;
	return 0;
}

void ticker_stop(struct ticker *t)
{
	if (!t->running)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	t->running = false;
}
