/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * mailer.c - the email thread (mailer.h).
 */
#include "mailer.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/email.h"
#include "smtp.h"

/* Messages sent a tick at most: the rest wait for the next one, so stopping is never far off. */
#define MAILER_BATCH 50

static pthread_t thread;
static bool running;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool stopping;
static struct smtp_transport transport;
static struct mail_settings settings;

int64_t mailer_now(const struct app *app)
{
#ifdef HEARTH_TEST_HOOKS
	/*
	 * Tests move the mailer's time forward by writing a number of milliseconds
	 * into this file, added to the real clock (so time still passes, and what
	 * the server stamps with the real clock is never in the mailer's future).
	 * Never in a production build.
	 */
	if (app->config.test_clock_file) {
		FILE *f = fopen(app->config.test_clock_file, "r");
		long long ahead = 0;
		bool read = f && fscanf(f, "%lld", &ahead) == 1;
		if (f)
			fclose(f);
		if (read && ahead > 0)
			return now_ms() + ahead;
	}
#else
	(void)app;
#endif
	return now_ms();
}

static void *mailer_main(void *arg)
{
	struct app *app = arg;
	int tick = app->config.mail_tick_ms;
	int64_t scheduled = 0; /* the now of the last tick that queued without fault */
	pthread_mutex_lock(&lock);
	while (!stopping) {
		pthread_mutex_unlock(&lock);
		int64_t now = mailer_now(app);
		bool queued = email_schedule(app->store, scheduled, now) >= 0;
		if (queued)
			scheduled = now;
		if (!queued ||
		    email_send_due(app->store, &settings, now, MAILER_BATCH, app->config.outbox_pause_ms) < 0)
			fprintf(stderr,
			        "{\"level\":\"warning\",\"msg\":\"the outbox could not be read; trying again\"}\n");
		pthread_mutex_lock(&lock);
		if (stopping)
			break;
		struct timespec until = deadline_in(tick);
		int rc = 0;
		while (!stopping && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&wake, &lock, &until);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int mailer_start(struct app *app)
{
	transport = (struct smtp_transport){app->config.smtp_url, app->config.smtp_user, app->config.smtp_password};
	settings = (struct mail_settings){.public_url = app->config.public_url,
	                                  .from = app->config.smtp_from,
	                                  .send = smtp_send,
	                                  .transport = &transport};
	stopping = false;
	if (pthread_create(&thread, NULL, mailer_main, app) != 0)
		return -1;
	running = true;
	return 0;
}

void mailer_stop(void)
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
