/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * metrics.h - request counters and latency histograms per route, store
 * errors, and database connections in use (counted by the store:
 * store_errors_total, store_connections_open), in Prometheus text format.
 * Recording is lock-free (atomic counters), so it costs little per request.
 */
#ifndef HEARTH_METRICS_H
#define HEARTH_METRICS_H

#include <stdint.h>

#include "http.h"

/* Records one finished request; route_index is -1 for requests that matched no route. */
void metrics_record(int route_index, int status, int64_t duration_us);

/* GET /metrics: answered to loopback clients, or to anyone with HEARTH_METRICS_PUBLIC=1. */
void metrics_handler(struct request *r);

#endif
