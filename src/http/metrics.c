/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * metrics.c - see metrics.h. Counters are a fixed array indexed by status
 * class, so no allocation happens per request.
 *
 * What is left out, and why: per-route counts and latencies told a partner
 * on the same host when the other wrote something private (a POST to the
 * check-ins route at 23:10, with no new check-in visible to them), and a
 * latency histogram, even over all routes, picks out a login (argon2id takes
 * a tenth of a second) among cheap reads. Latency per route is in the access
 * log, which only the operator reads.
 */
#include "metrics.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../app.h"
#include "../util/memo.h"

#ifndef HEARTH_VERSION
#define HEARTH_VERSION "0.1.0"
#endif

static const char *const classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
static atomic_uint_fast64_t by_class[5];
static atomic_uint_fast64_t throttled;
/* The caches of rendered answers and of opened values, while serving (metrics_watch_cache). */
static const struct memo *answers, *opened;

void metrics_watch_cache(const struct memo *answers_memo, const struct memo *opened_memo)
{
	answers = answers_memo;
	opened = opened_memo;
}

void metrics_record(int status)
{
	int c = status / 100 - 1;
	if (c >= 0 && c < 5)
		atomic_fetch_add_explicit(&by_class[c], 1, memory_order_relaxed);
	if (status == 429)
		atomic_fetch_add_explicit(&throttled, 1, memory_order_relaxed);
}

int metrics_render(struct buf *b, const char *backend)
{
	int rc = buf_printf(b,
	                    "# HELP hearth_build_info The running version.\n"
	                    "# TYPE hearth_build_info gauge\n"
	                    "hearth_build_info{version=\"%s\"} 1\n"
	                    "# HELP hearth_http_requests_total Answers by status class, over all routes.\n"
	                    "# TYPE hearth_http_requests_total counter\n",
	                    HEARTH_VERSION);
	for (size_t i = 0; i < 5 && rc == 0; i++)
		rc = buf_printf(b, "hearth_http_requests_total{class=\"%s\"} %llu\n", classes[i],
		                (unsigned long long)atomic_load_explicit(&by_class[i], memory_order_relaxed));
	if (rc == 0)
		rc =
		    buf_printf(b,
		               "# HELP hearth_throttled_total Attempts refused as too many (logins, sign-ups, codes).\n"
		               "# TYPE hearth_throttled_total counter\n"
		               "hearth_throttled_total %llu\n"
		               "# HELP hearth_store_errors_total Failed store operations.\n"
		               "# TYPE hearth_store_errors_total counter\n"
		               "hearth_store_errors_total %llu\n"
		               "# HELP hearth_store_connections Open database connections.\n"
		               "# TYPE hearth_store_connections gauge\n"
		               "hearth_store_connections{backend=\"%s\"} %d\n",
		               (unsigned long long)atomic_load_explicit(&throttled, memory_order_relaxed),
		               (unsigned long long)store_errors_total(), backend, store_connections_open());
#ifdef HEARTH_TEST_HOOKS
	/*
	 * Only in a build with the test hooks (the tests see that the cache is used): a miss after a hit
	 * says that something changed in some space, also something private, which a partner on the
	 * same host must not learn from the metrics listener (docs/security.md). Untyped, so that
	 * metrics.test.mjs's comparison of every counter before and after a request leaves them out.
	 */
	if (rc == 0 && answers) {
		struct memo_stats cs;
		memo_stats(answers, &cs);
		rc = buf_printf(
		    b,
		    "# HELP hearth_test_cache_lookups_total Lookups in the cache of rendered answers (test hooks "
		    "only).\n"
		    "# TYPE hearth_test_cache_lookups_total untyped\n"
		    "hearth_test_cache_lookups_total{result=\"hit\"} %llu\n"
		    "hearth_test_cache_lookups_total{result=\"miss\"} %llu\n"
		    "hearth_test_cache_evictions_total %llu\n"
		    "hearth_test_cache_bytes %zu\n",
		    (unsigned long long)cs.hits, (unsigned long long)cs.misses, (unsigned long long)cs.evictions,
		    cs.bytes);
	}
	if (rc == 0 && opened) {
		struct memo_stats os;
		memo_stats(opened, &os);
		rc = buf_printf(b,
		                "# HELP hearth_test_opened_lookups_total Lookups in the cache of opened values (test "
		                "hooks only).\n"
		                "# TYPE hearth_test_opened_lookups_total untyped\n"
		                "hearth_test_opened_lookups_total{result=\"hit\"} %llu\n"
		                "hearth_test_opened_lookups_total{result=\"miss\"} %llu\n"
		                "hearth_test_opened_entries %zu\n",
		                (unsigned long long)os.hits, (unsigned long long)os.misses, os.entries);
	}
#endif
	int64_t syncs = store_test_wal_syncs();
	if (rc == 0 && syncs >= 0)
		rc = buf_printf(
		    b,
		    "# HELP hearth_test_wal_syncs_total Completed syncs of the WAL (storage fault injection only).\n"
		    "# TYPE hearth_test_wal_syncs_total counter\n"
		    "hearth_test_wal_syncs_total %lld\n",
		    (long long)syncs);
	return rc;
}

bool metrics_authorized(const char *token, const char *authorization)
{
	if (!token || !*token || !authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
		return false;
	/* Hashed first, so the comparison takes as long whatever the lengths. */
	unsigned char want[32], got[32];
	crypto_generichash(want, sizeof want, (const unsigned char *)token, strlen(token), NULL, 0);
	crypto_generichash(got, sizeof got, (const unsigned char *)authorization + 7, strlen(authorization + 7), NULL,
	                   0);
	return sodium_memcmp(want, got, sizeof want) == 0;
}

void metrics_handler(struct request *r)
{
	if (!metrics_authorized(r->app->config.metrics_token, request_header(r, "Authorization"))) {
		reply_error(r, 404, "not_found", "There is nothing here.", NULL);
		return;
	}
	struct buf b;
	buf_init(&b, 64 * 1024);
	if (metrics_render(&b, r->app->store->name) < 0)
		reply_error(r, 500, "internal", "The metrics did not fit.", NULL);
	else
		reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_cleanup(&b);
}
