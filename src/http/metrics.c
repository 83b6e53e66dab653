/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * metrics.c - see metrics.h. Counters are fixed arrays indexed by route and
 * by a small set of status codes, so no allocation happens per request.
 */
#include "metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"

#define ROUTES_MAX 128
static const int statuses[] = {200, 201, 204, 303, 400, 401, 403, 404, 405, 409, 413, 415, 429, 431, 500, 503};
#define STATUS_SLOTS (ARRAY_LEN(statuses) + 1) /* the last slot: any other status */
static const int64_t bucket_us[] = {500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
                                    2500000};
#define BUCKETS (ARRAY_LEN(bucket_us) + 1)

struct route_metrics {
	atomic_uint_fast64_t by_status[STATUS_SLOTS];
	atomic_uint_fast64_t buckets[BUCKETS];
	atomic_uint_fast64_t sum_us;
	atomic_uint_fast64_t count;
};

static struct route_metrics per_route[ROUTES_MAX + 1]; /* [ROUTES_MAX]: no route */

static size_t status_slot(int status)
{
	for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
		if (statuses[i] == status)
			return i;
	return STATUS_SLOTS - 1;
}

void metrics_record(int route_index, int status, int64_t duration_us)
{
	struct route_metrics *m = &per_route[route_index >= 0 && route_index < ROUTES_MAX ? route_index : ROUTES_MAX];
	atomic_fetch_add_explicit(&m->by_status[status_slot(status)], 1, memory_order_relaxed);
	size_t b = 0;
	while (b < ARRAY_LEN(bucket_us) && duration_us > bucket_us[b])
		b++;
	atomic_fetch_add_explicit(&m->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->sum_us, (uint_fast64_t)(duration_us > 0 ? duration_us : 0), memory_order_relaxed);
	atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
}

static bool loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 || strncmp(addr, "::ffff:127.", 11) == 0;
}

static int emit_route(struct buf *b, const char *method, const char *pattern, const struct route_metrics *m)
{
	for (size_t s = 0; s < STATUS_SLOTS; s++) {
		uint_fast64_t n = atomic_load_explicit(&m->by_status[s], memory_order_relaxed);
		if (!n)
			continue;
		char code[8];
		if (s < ARRAY_LEN(statuses))
			snprintf(code, sizeof code, "%d", statuses[s]);
		else
			snprintf(code, sizeof code, "other");
		if (buf_printf(b, "hearth_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n", method,
		               pattern, code, (unsigned long long)n) < 0)
			return -1;
	}
	uint_fast64_t count = atomic_load_explicit(&m->count, memory_order_relaxed);
	if (!count)
		return 0;
	uint_fast64_t cumulative = 0;
	for (size_t i = 0; i < BUCKETS; i++) {
		cumulative += atomic_load_explicit(&m->buckets[i], memory_order_relaxed);
		char le[24];
		if (i < ARRAY_LEN(bucket_us))
			snprintf(le, sizeof le, "%g", (double)bucket_us[i] / 1e6);
		else
			snprintf(le, sizeof le, "+Inf");
		if (buf_printf(b, "hearth_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%s\"} %llu\n",
		               method, pattern, le, (unsigned long long)cumulative) < 0)
			return -1;
	}
	return buf_printf(b,
	                  "hearth_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
	                  "hearth_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
	                  method, pattern, (double)atomic_load_explicit(&m->sum_us, memory_order_relaxed) / 1e6, method,
	                  pattern, (unsigned long long)count);
}

void metrics_handler(struct request *r)
{
	const char *pub = getenv("HEARTH_METRICS_PUBLIC");
	if (!loopback(r->client_addr) && !(pub && strcmp(pub, "1") == 0)) {
		reply_error(r, 404, "not_found", "There is nothing here.", NULL);
		return;
	}
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER"};
	struct buf b;
	buf_init(&b, 4 * 1024 * 1024);
	int rc = buf_puts(&b, "# HELP hearth_http_requests_total Requests by route and status.\n"
	                      "# TYPE hearth_http_requests_total counter\n"
	                      "# HELP hearth_http_request_duration_seconds Request latency by route.\n"
	                      "# TYPE hearth_http_request_duration_seconds histogram\n");
	int i = 0;
	for (const struct route *rt = routes; rt->pattern && rc == 0 && i < ROUTES_MAX; rt++, i++)
		rc = emit_route(&b, methods[rt->method], rt->pattern, &per_route[i]);
	if (rc == 0)
		rc = emit_route(&b, "ANY", "(none)", &per_route[ROUTES_MAX]);
	if (rc == 0)
		rc = buf_printf(&b,
		                "# HELP hearth_store_errors_total Failed store operations.\n"
		                "# TYPE hearth_store_errors_total counter\n"
		                "hearth_store_errors_total %llu\n"
		                "# HELP hearth_store_connections Open database connections.\n"
		                "# TYPE hearth_store_connections gauge\n"
		                "hearth_store_connections{backend=\"%s\"} %d\n",
		                (unsigned long long)store_errors_total(), r->app->store->name,
		                store_connections_open());
	int64_t syncs = store_test_wal_syncs();
	if (rc == 0 && syncs >= 0)
		rc = buf_printf(
		    &b,
		    "# HELP hearth_test_wal_syncs_total Completed syncs of the WAL (storage fault injection only).\n"
		    "# TYPE hearth_test_wal_syncs_total counter\n"
		    "hearth_test_wal_syncs_total %lld\n",
		    (long long)syncs);
	if (rc < 0)
		reply_error(r, 500, "internal", "The metrics did not fit.", NULL);
	else
		reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_cleanup(&b);
}
