/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * ticker.h - the thread an outbox is sent from (issue 15): every tick it
 * queues what came due since the last tick that queued without fault, then
 * sends what the outbox holds; stopped cleanly when the server stops
 * (SIGTERM), after the message in hand. The email thread (mailer.h) and the
 * web push thread (pusher.h) are two of them, on the same test clock
 * (mailer_now).
 */
#ifndef HEARTH_TICKER_H
#define HEARTH_TICKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../app.h"

struct ticker {
	/* Set before ticker_start. */
	struct app *app;
	int tick_ms;
	const char *outbox;      /* named in the warning when a tick fails: "the outbox", "the push outbox" */
	const char *thread_name; /* as ps and top show it: at most 15 bytes */
	/* Queues what fell due after `since` up to `now`; false when it could not (the same span is tried again). */
	bool (*queue)(struct app *app, int64_t since, int64_t now);
	/* Sends what is due at `now`; false when the outbox could not be read. */
	bool (*send)(struct app *app, int64_t now);
	/* The thread's own. */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running, stopping;
};

/* 0, or -1 when the thread could not start. */
int ticker_start(struct ticker *t);
/* Wakes the thread, lets it finish the message in hand, and joins it; nothing when it never started. */
void ticker_stop(struct ticker *t);

#endif
