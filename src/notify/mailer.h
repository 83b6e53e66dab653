/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * mailer.h - the thread that sends reminders by email (issue 15): every
 * tick it queues the reminders that came due (domain/email.c) and sends
 * what the outbox holds. Started by `serve` when HEARTH_SMTP_URL is set,
 * stopped cleanly when the server stops (SIGTERM).
 */
#ifndef HEARTH_MAILER_H
#define HEARTH_MAILER_H

#include "../app.h"

/* 0, or -1 when the thread could not start. */
int mailer_start(struct app *app);
/* Wakes the thread, lets it finish the message in hand, and joins it. */
void mailer_stop(void);
/* The time the mailer goes by: the test clock when one is compiled in and set (see docs/reminders.md). */
int64_t mailer_now(const struct app *app);

#endif
