/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * metrics.h - the few counters an operator needs, in Prometheus text
 * format: answers by status class, throttled attempts, store errors, open
 * database connections (counted by the store: store_errors_total,
 * store_connections_open), and the version. Nothing per route, per person
 * or per time of day: docs/security.md says why each reveals nothing about
 * a person. Recording is lock-free (atomic counters).
 *
 * /metrics is never served to the public: the metrics listener
 * (HEARTH_METRICS_LISTEN, default 127.0.0.1:9464) answers it, and the main
 * listener only to a request with Authorization: Bearer HEARTH_METRICS_TOKEN.
 */
#ifndef HEARTH_METRICS_H
#define HEARTH_METRICS_H

#include <stdbool.h>

#include "http.h"

struct memo;
/*
 * The cache of rendered answers (http/cache.h) and that of opened values
 * (domain/keyring.h), whose counters /metrics shows in a test-hooks build only.
 */
void metrics_watch_cache(const struct memo *answers, const struct memo *opened);

/* Records one finished request by its status. */
void metrics_record(int status);

/* The metrics text into b (its cap must hold a few KiB); 0, or -1 when it did not fit. */
int metrics_render(struct buf *b, const char *backend) __attribute__((warn_unused_result));

/*
 * Is `authorization` (the header's value, may be NULL) "Bearer TOKEN" for
 * this token? Compared in constant time. False when token is NULL.
 */
bool metrics_authorized(const char *token, const char *authorization);

/* GET /metrics on the main listener: 404 unless authorized by HEARTH_METRICS_TOKEN. */
void metrics_handler(struct request *r);

#endif
