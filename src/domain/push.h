/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * push.h - reminders by web push (issue 15): a person's subscriptions (one
 * per device whose browser allowed notifications), the scheduler that
 * queues each reminder's occurrence in the push outbox for each of them, and
 * each message as it is sent (RFC 8030, encrypted by domain/webpush.c).
 * Notices of the partner's activity are queued in the same outbox
 * (domain/notice.c), and sent here too.
 *
 * What a message says: the person's own words for the reminder ("A moment
 * for you" by default), or a notice's words (notice_words), nothing else;
 * padded so every message has the same length on the wire. Nothing is sent
 * in the person's quiet hours (domain/quiet.h): it waits for their end.
 * The push service (Google's, Mozilla's, Apple's) sees when a device is
 * sent something, never what.
 *
 * The server sends to a URL a client gave it, so an endpoint must be an
 * https:// URL on a public host name (never an address, never a local name),
 * at most PUSH_ENDPOINT_MAX bytes; the sending side connects only to public
 * addresses (notify/push_http.c). Tests use an http://127.0.0.1:PORT endpoint,
 * which only a build with test hooks accepts, and only when asked to.
 */
#ifndef HEARTH_PUSH_H
#define HEARTH_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"
#include "../util/i18n.h"
#include "../util/util.h"
#include "auth.h"
#include "problem.h"
#include "webpush.h"

#define PUSH_ENDPOINT_MAX 1024
/* How long the push service keeps a message for a device that is offline: a reminder an hour late is none. */
#define PUSH_TTL_SECONDS 3600
/* As email.h's: eight attempts, a two-minute lease (the window: reminder_window_from). */
#define PUSH_ATTEMPTS_MAX 8
#define PUSH_LEASE_MS (2LL * 60 * 1000)
/* The push service's host, as a device list shows it. */
#define PUSH_SERVICE_MAX 128

/* A device of the person's, as they see it. */
struct push_device {
	char id[ID_LEN + 1];
	int64_t created_at;
	char service[PUSH_SERVICE_MAX]; /* the push service's host name */
};

/*
 * True when url is an endpoint this server will send to: https:// on a
 * public host name, at most PUSH_ENDPOINT_MAX printable bytes; with
 * loopback (tests only) also http://127.0.0.1:PORT/....
 */
bool push_endpoint_ok(const char *url, bool loopback);

/*
 * Keeps the viewer's subscription (the browser's PushSubscription: endpoint,
 * keys.p256dh, keys.auth, both base64url); the same endpoint again keeps its
 * id. Every invalid field at once (400, fields "endpoint", "keys.p256dh",
 * "keys.auth"); 409 push_devices_full past PUSH_SUBSCRIPTIONS_MAX. The id in
 * id[ID_LEN + 1].
 */
bool push_subscribe(struct store *s, const struct viewer *v, const char *endpoint, const char *p256dh, const char *auth,
                    bool loopback, char id[ID_LEN + 1], struct problem *p) WARN_UNUSED;
/* Removes one of the viewer's subscriptions; 404 for anyone else's, or none. */
bool push_unsubscribe(struct store *s, const struct viewer *v, const char *id, struct problem *p) WARN_UNUSED;
/* The viewer's devices, oldest first, in an arena array. */
bool push_devices(struct store *s, const struct viewer *v, struct arena *a, struct push_device **items, int *count,
                  struct problem *p) WARN_UNUSED;
/* Whether user_id has a device to push to (*yes). */
bool push_has_device(struct store *s, const char *user_id, bool *yes, struct problem *p) WARN_UNUSED;

/* What sending needs from the configuration. */
struct push_settings {
	const struct webpush_key *key; /* the VAPID key pair */
	const char *subject;           /* the VAPID sub: mailto: or https: */
	bool loopback;                 /* tests only: http://127.0.0.1 endpoints */
	enum lang default_lang;        /* HEARTH_DEFAULT_LANGUAGE: the words for whoever set no language */
	/*
	 * POSTs body (len bytes, aes128gcm) to endpoint with the Authorization
	 * header given, TTL and Urgency: 0 with the HTTP status in *status, or -1
	 * with what went wrong in err when there was no answer (notify/push_http.h).
	 */
	int (*send)(const struct push_settings *ps, const char *endpoint, const char *authorization,
	            const unsigned char *body, size_t len, long *status, char *err, size_t err_len);
};

/*
 * Queues every push reminder's occurrence due in (reminder_window_from(from, now),
 * now], for each device of its person's subscribed before it, as
 * email_schedule does for email. The number of rows queued, or -1.
 */
int push_schedule(struct store *s, int64_t from, int64_t now);
/*
 * Claims, encrypts and sends the messages due by now, one by one, at most
 * max: a delivered one is marked done; an endpoint the push service says is
 * gone (404, 410) removes that subscription; a refused one (400, 413) is not
 * tried again; another failure is tried again later (30 s, doubling, at most
 * an hour; given up after PUSH_ATTEMPTS_MAX); one that has no point any more
 * (the reminder or notice changed) is marked done unsent; one due in the
 * person's quiet hours waits for their end, not counted as an attempt. pause_ms (tests only, 0
 * otherwise) waits between claiming and sending. The number handled, or -1
 * when the store failed.
 */
int push_send_due(struct store *s, const struct push_settings *ps, int64_t now, int max, int pause_ms);

#endif
