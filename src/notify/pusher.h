/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pusher.h - the thread that sends reminders by web push (issue 15): every
 * tick it queues the push reminders that came due (domain/push.c) and sends
 * what the push outbox holds. Started by `serve` (web push needs nothing from
 * the operator but the key file it makes itself), stopped cleanly when the
 * server stops (SIGTERM). The email thread (mailer.h) is its sibling.
 */
#ifndef HEARTH_PUSHER_H
#define HEARTH_PUSHER_H

#include "../app.h"

/* 0, or -1 when the thread could not start. */
int pusher_start(struct app *app);
/* Wakes the thread, lets it finish the message in hand, and joins it. */
void pusher_stop(void);

#endif
