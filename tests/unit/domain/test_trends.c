/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_trends.c - unit tests for domain/trends.c: the metric words and
 * their scales, the daily means of a series in a time zone, and trend_range
 * defaults and checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/questionnaire.h"
#include "domain/trends.h"
#include "util/util.h"
#include "../unit.h"

static int64_t (*real_clock)(void);

static int group_setup(void **state)
{
	(void)state;
	real_clock = util_clock;
	util_clock = fixed_instant;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	util_clock = real_clock;
	return 0;
}

static void viewer_in(struct viewer *v, const char *zone)
{
	memset(v, 0, sizeof *v);
	snprintf(v->time_zone, sizeof v->time_zone, "%s", zone);
}

static void range_ok(const struct viewer *v, const char *from, const char *to, const char *want_from,
                     const char *want_to)
{
	char f[11] = "", t[11] = "";
	struct problem p = {0};
	if (!trend_range(v, from, to, f, t, &p))
		fail_msg("trend_range(%s, %s) refused: %s", from ? from : "NULL", to ? to : "NULL", p.message);
	assert_string_equal(f, want_from);
	assert_string_equal(t, want_to);
}

static void range_bad(const struct viewer *v, const char *from, const char *to, const char *field)
{
	char f[11] = "", t[11] = "";
	struct problem p = {0};
	assert_false(trend_range(v, from, to, f, t, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.code, "invalid_input");
	assert_non_null(p.field);
	assert_string_equal(p.field, field);
	assert_non_null(p.message);
}

static void range_defaults_and_checks(void **state)
{
	(void)state;
	struct viewer v;
	viewer_in(&v, "UTC");
	/* the last 30 days, today included */
	range_ok(&v, NULL, NULL, "2026-10-28", "2026-11-26");
	range_ok(&v, "", "", "2026-10-28", "2026-11-26");
	range_ok(&v, NULL, "2026-03-01", "2026-01-31", "2026-03-01");
	range_ok(&v, "2026-11-01", NULL, "2026-11-01", "2026-11-26");
	range_ok(&v, "2026-11-26", "2026-11-26", "2026-11-26", "2026-11-26");
	range_ok(&v, "2020-02-29", "2021-03-01", "2020-02-29", "2021-03-01");
	range_ok(&v, "2016-01-01", "2026-01-01", "2016-01-01", "2026-01-01"); /* under ten years */
	/* today is the space's today */
	viewer_in(&v, "Pacific/Auckland");
	range_ok(&v, NULL, NULL, "2026-10-29", "2026-11-27");
	viewer_in(&v, "America/Los_Angeles");
	range_ok(&v, NULL, NULL, "2026-10-28", "2026-11-26");
	viewer_in(&v, "");
	range_ok(&v, NULL, NULL, "2026-10-28", "2026-11-26");

	viewer_in(&v, "UTC");
	range_bad(&v, "2026-13-01", NULL, "from");
	range_bad(&v, "2026-02-30", "2026-03-10", "from");
	range_bad(&v, "yesterday", NULL, "from");
	range_bad(&v, NULL, "2026-11-31", "to");
	range_bad(&v, "2026-11-01", "26.11.2026", "to");
	range_bad(&v, "2026-11-02", "2026-11-01", "from"); /* reversed */
	range_bad(&v, "2026-12-01", NULL, "from");          /* after today's default end */
	range_bad(&v, "2010-01-01", "2026-11-26", "from");  /* more than ten years */
}

static void metric_words(void **state)
{
	(void)state;
	static const struct {
		const char *word, *label;
		enum trend_metric m;
	} checkin[] = {{"mood", "Mood", METRIC_MOOD},
	               {"connection", "Connection", METRIC_CONNECTION},
	               {"secure", "Felt secure", METRIC_SECURE}};
	for (size_t i = 0; i < ARRAY_LEN(checkin); i++) {
		enum trend_metric m = METRIC_QUESTIONNAIRE;
		const struct questionnaire *q = (const void *)1;
		assert_true(trend_metric_parse(checkin[i].word, &m, &q));
		assert_int_equal(m, checkin[i].m);
		assert_null(q);
		assert_string_equal(trend_metric_name(m), checkin[i].word);
		assert_string_equal(trend_metric_label(m), checkin[i].label);
	}
	assert_int_equal(trend_metric_value(METRIC_MOOD, 4, 7, 9), 4);
	assert_int_equal(trend_metric_value(METRIC_CONNECTION, 4, 7, 9), 7);
	assert_int_equal(trend_metric_value(METRIC_SECURE, 4, 7, 9), 9);
	/* no questionnaires are loaded here: an unknown id is no metric, nor is anything else */
	const char *bad[] = {NULL, "", "Mood", "mood ", "security-check", "moods"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		enum trend_metric m;
		const struct questionnaire *q;
		assert_false(trend_metric_parse(bad[i], &m, &q));
	}
}

static void daily_means(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const int64_t h = 3600 * 1000;
	int64_t day = fixed_instant() - (int64_t)(11 * 60 + 30) * 60 * 1000; /* 2026-11-26T00:00Z */
	/* oldest first: two values on the 25th (UTC), three on the 26th, one outside the period */
	int64_t times[] = {day - 72 * h, day - 20 * h, day - 2 * h, day + 1 * h, day + 10 * h, day + 23 * h};
	double values[] = {1, 2, 4, 3, 4, 5};
	struct trend_series out = {0};
	trend_daily_means("UTC", times, values, 6, "2026-11-24", "2026-11-26", a, &out);
	assert_int_equal(out.count, 2);
	assert_string_equal(out.points[0].date, "2026-11-25");
	assert_true(out.points[0].value == 3.0); /* (2 + 4) / 2 */
	assert_string_equal(out.points[1].date, "2026-11-26");
	assert_true(out.points[1].value == 4.0); /* (3 + 4 + 5) / 3 */
	/* the same instants fall on other days in Auckland (UTC+13 in November): 22:00Z on the 25th, 01:00Z
	 * and 10:00Z on the 26th are the 26th there, 23:00Z on the 26th is the 27th */
	trend_daily_means("Pacific/Auckland", times, values, 6, "2026-11-26", "2026-11-27", a, &out);
	assert_int_equal(out.count, 2);
	assert_string_equal(out.points[0].date, "2026-11-26");
	assert_true(fabs(out.points[0].value - 11.0 / 3.0) < 1e-9); /* (4 + 3 + 4) / 3 */
	assert_string_equal(out.points[1].date, "2026-11-27");
	assert_true(out.points[1].value == 5.0);
	/* nothing in the period, and no values at all */
	trend_daily_means("UTC", times, values, 6, "2030-01-01", "2030-01-31", a, &out);
	assert_int_equal(out.count, 0);
	trend_daily_means("UTC", NULL, NULL, 0, "2026-11-01", "2026-11-30", a, &out);
	assert_int_equal(out.count, 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(metric_words),
	    cmocka_unit_test(daily_means),
	    cmocka_unit_test(range_defaults_and_checks),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
