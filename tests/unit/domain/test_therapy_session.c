/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_therapy_session.c - unit tests for the date rules of
 * domain/therapy_session.c (issue 13): reading the time a therapist types
 * (local in their zone, or with an offset; after now, within a year), which
 * session becomes the previous one, which was the last, the home card's week,
 * and the before-session summary's period (its defaults and every invalid
 * field at once).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/therapy_session.h"
#include "../unit.h"

#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)

static void test_parse_at_local_and_offset(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 30, 12, 0), at = 0;
	struct problem p = {0};
	/* local in the therapist's zone: Berlin is UTC+1 in December */
	assert_true(therapy_session_parse_at("2026-12-03T17:00", "Europe/Berlin", now, &at, &p));
	assert_int_equal(at, utc_ms(2026, 12, 3, 16, 0));
	/* seconds allowed; in summer Berlin is UTC+2 */
	assert_true(therapy_session_parse_at("2027-07-01T09:30:00", "Europe/Berlin", now, &at, &p));
	assert_int_equal(at, utc_ms(2027, 7, 1, 7, 30));
	/* an offset wins over the zone */
	assert_true(therapy_session_parse_at("2026-12-03T17:00+05:30", "Europe/Berlin", now, &at, &p));
	assert_int_equal(at, utc_ms(2026, 12, 3, 11, 30));
	assert_true(therapy_session_parse_at("2026-12-03T17:00-03:00", "UTC", now, &at, &p));
	assert_int_equal(at, utc_ms(2026, 12, 3, 20, 0));
	assert_true(therapy_session_parse_at("2026-12-03T17:00Z", "Asia/Tokyo", now, &at, &p));
	assert_int_equal(at, utc_ms(2026, 12, 3, 17, 0));
	/* no zone: UTC */
	assert_true(therapy_session_parse_at("2026-12-03T17:00", "", now, &at, &p));
	assert_int_equal(at, utc_ms(2026, 12, 3, 17, 0));
}

static void test_parse_at_refuses(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 30, 12, 0);
	static const char *const bad[] = {
	    NULL,
	    "",
	    "2026-12-03",
	    "2026-12-03 17:00",
	    "2026-12-03T17",
	    "2026-12-03T17:00:00.5",
	    "2026-02-30T10:00",
	    "2026-12-03T24:00",
	    "2026-12-03T17:60",
	    "2026-12-03T17:00+19:00",
	    "2026-12-03T17:00+0100",
	    "x2026-12-03T17:00",
	    "2026-11-30T11:59Z", /* a minute ago */
	    "2026-11-30T12:00Z", /* now: not "still to come" */
	    "2027-12-02T12:00Z", /* more than 366 days ahead */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct problem p = {0};
		int64_t at = 42;
		assert_false(therapy_session_parse_at(bad[i], "Europe/Berlin", now, &at, &p));
		expect_problem(&p, OUTCOME_INVALID, "invalid_input", "at");
		assert_int_equal(at, 42);
	}
	struct problem p = {0};
	int64_t at;
	assert_true(therapy_session_parse_at("2026-11-30T12:01Z", "UTC", now, &at, &p));
	assert_true(therapy_session_parse_at("2027-12-01T12:00Z", "UTC", now, &at, &p)); /* 366 days */
}

static void test_roll_and_last(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 30, 12, 0);
	int64_t past = now - 3 * DAY_MS, older = now - 20 * DAY_MS, ahead = now + 2 * DAY_MS;
	/* a session that took place becomes the previous one */
	assert_int_equal(therapy_session_roll(past, older, now), past);
	/* one moved before it happened never took place: the previous stays */
	assert_int_equal(therapy_session_roll(ahead, older, now), older);
	assert_int_equal(therapy_session_roll(0, older, now), older);
	assert_int_equal(therapy_session_roll(0, 0, now), 0);
	/* the session at this very moment has taken place */
	assert_int_equal(therapy_session_roll(now, older, now), now);
	/* the last session: the next one once passed, else the previous */
	assert_int_equal(therapy_session_last(past, older, now), past);
	assert_int_equal(therapy_session_last(ahead, older, now), older);
	assert_int_equal(therapy_session_last(ahead, 0, now), 0);
	assert_int_equal(therapy_session_last(0, 0, now), 0);
	/* upcoming: only one still to come */
	assert_int_equal(therapy_session_upcoming(ahead, now), ahead);
	assert_int_equal(therapy_session_upcoming(past, now), 0);
	assert_int_equal(therapy_session_upcoming(now, now), 0);
	assert_int_equal(therapy_session_upcoming(0, now), 0);
}

static void test_this_week(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 30, 12, 0);
	assert_true(therapy_session_this_week(now + HOUR_MS, now));
	assert_true(therapy_session_this_week(now + 7 * DAY_MS, now));
	assert_false(therapy_session_this_week(now + 7 * DAY_MS + 1, now));
	assert_false(therapy_session_this_week(now, now));
	assert_false(therapy_session_this_week(now - HOUR_MS, now));
	assert_false(therapy_session_this_week(0, now));
}

static void test_period_defaults(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 30, 12, 0);
	struct session_period per;
	struct problem p = {0};
	/* no session: the last 14 days, local days */
	assert_true(therapy_session_period(NULL, "", "Europe/Berlin", 0, now, &per, &p));
	assert_string_equal(per.from, "2026-11-16");
	assert_string_equal(per.to, "2026-11-30");
	assert_false(per.since_session);
	assert_int_equal(per.from_at, utc_ms(2026, 11, 15, 23, 0)); /* Berlin's midnight */
	assert_int_equal(per.to_at, utc_ms(2026, 11, 30, 23, 0));   /* the end of today there */
	/* with a last session: from that instant */
	int64_t last = utc_ms(2026, 11, 24, 16, 0);
	assert_true(therapy_session_period("", NULL, "Europe/Berlin", last, now, &per, &p));
	assert_string_equal(per.from, "2026-11-24");
	assert_int_equal(per.from_at, last);
	assert_true(per.since_session);
	/* given dates win; in another zone the day is that zone's */
	assert_true(therapy_session_period("2026-11-01", "2026-11-10", "Asia/Tokyo", last, now, &per, &p));
	assert_string_equal(per.from, "2026-11-01");
	assert_string_equal(per.to, "2026-11-10");
	assert_false(per.since_session);
	assert_int_equal(per.from_at, utc_ms(2026, 10, 31, 15, 0));
	assert_int_equal(per.to_at, utc_ms(2026, 11, 10, 15, 0));
	/* today's date in the zone: late on the 30th in UTC is the 1st in Tokyo */
	assert_true(therapy_session_period(NULL, NULL, "Asia/Tokyo", 0, utc_ms(2026, 11, 30, 20, 0), &per, &p));
	assert_string_equal(per.to, "2026-12-01");
}

static void test_period_refuses(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 30, 12, 0);
	struct session_period per;
	struct problem p = {0};
	/* both bad at once */
	assert_false(therapy_session_period("yesterday", "2026-13-01", "UTC", 0, now, &per, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_int_equal(p.count, 2);
	assert_string_equal(p.items[0].field, "to");
	assert_string_equal(p.items[1].field, "from");
	/* reversed */
	p = (struct problem){0};
	assert_false(therapy_session_period("2026-11-20", "2026-11-10", "UTC", 0, now, &per, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "from");
	/* a reversed default: a given from after today */
	p = (struct problem){0};
	assert_false(therapy_session_period("2026-12-20", NULL, "UTC", 0, now, &per, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "from");
	/* over a year */
	p = (struct problem){0};
	assert_false(therapy_session_period("2025-11-28", "2026-11-30", "UTC", 0, now, &per, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "from");
	p = (struct problem){0};
	assert_true(therapy_session_period("2025-11-29", "2026-11-30", "UTC", 0, now, &per, &p)); /* 366 days */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_at_local_and_offset),
	    cmocka_unit_test(test_parse_at_refuses),
	    cmocka_unit_test(test_roll_and_last),
	    cmocka_unit_test(test_this_week),
	    cmocka_unit_test(test_period_defaults),
	    cmocka_unit_test(test_period_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
