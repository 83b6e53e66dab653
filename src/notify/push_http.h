/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * push_http.h - delivering one web push message (RFC 8030) with libcurl
 * (issue 15): a POST of the encrypted body to the subscription's endpoint
 * with `Content-Encoding: aes128gcm`, `TTL`, `Urgency: normal` and the VAPID
 * `Authorization`.
 *
 * The endpoint is a URL a browser (or any API client) gave, so this is where
 * server-side request forgery is stopped: https only (no redirects followed,
 * no proxy from the environment), and the connection is made only to a
 * public address, whatever the name resolves to (a name that resolves to
 * 10.0.0.1 or ::1 is refused at connect time). Tests' loopback endpoints pass
 * only with push_settings.loopback, which only a test-hooks build sets.
 */
#ifndef HEARTH_PUSH_HTTP_H
#define HEARTH_PUSH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "../domain/push.h"

/* The push_settings send function (domain/push.h). */
int push_http_send(const struct push_settings *ps, const char *endpoint, const char *authorization,
                   const unsigned char *body, size_t len, long *status, char *err, size_t err_len);

/* True when a connection to this address may be made (public unicast; with loopback also 127.0.0.1). */
bool push_http_address_ok(const struct sockaddr *addr, bool loopback);

#endif
