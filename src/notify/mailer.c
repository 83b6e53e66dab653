/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * mailer.c - the email thread (mailer.h).
 */
#include "mailer.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/email.h"
#include "smtp.h"
#include "ticker.h"

/* Messages sent a tick at most: the rest wait for the next one, so stopping is never far off. */
#define MAILER_BATCH 50

static struct smtp_transport transport;
static struct mail_settings settings;
static struct ticker ticker;

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

static bool email_queue_due(struct app *app, int64_t since, int64_t now)
{
	return email_schedule(app->store, since, now) >= 0;
}

static bool email_send(struct app *app, int64_t now)
{
	return email_send_due(app->store, &settings, now, MAILER_BATCH, app->config.outbox_pause_ms) >= 0;
}

int mailer_start(struct app *app)
{
	transport = (struct smtp_transport){app->config.smtp_url, app->config.smtp_user, app->config.smtp_password};
	settings = (struct mail_settings){.public_url = app->config.public_url,
	                                  .from = app->config.smtp_from,
	                                  .send = smtp_send,
	                                  .transport = &transport,
	                                  .default_lang = app->config.default_lang};
	ticker = (struct ticker){.app = app,
	                         .tick_ms = app->config.mail_tick_ms,
	                         .outbox = "the outbox",
	                         .thread_name = "hearth-mail",
	                         .queue = email_queue_due,
	                         .send = email_send};
	return ticker_start(&ticker);
}

void mailer_stop(void)
{
	ticker_stop(&ticker);
}
