/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_quiet.c - unit tests for domain/quiet.c's arithmetic: when a quiet
 * window that `at` falls in ends, in the person's own zone, for a window
 * within a day and one across midnight, at its edges, and across both
 * changes of summer time (a skipped end, and the hour shown twice).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <time.h>

#include "domain/quiet.h"

/* ms since the epoch of a UTC date and time. */
static int64_t utc(int year, int month, int day, int hour, int minute)
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_hour = hour, .tm_min = minute};
	return (int64_t)timegm(&tm) * 1000;
}

static const struct quiet_hours night = {true, 22 * 60, 7 * 60 + 30}; /* 22:00 to 07:30 */

static void across_midnight_ends_the_next_morning(void **state)
{
	(void)state;
	/* Berlin in winter is UTC+1: 23:10 local is 22:10 UTC; 07:30 local the next day is 06:30 UTC. */
	assert_int_equal(quiet_end("Europe/Berlin", &night, utc(2026, 1, 15, 22, 10)), utc(2026, 1, 16, 6, 30));
	/* after midnight: the same morning */
	assert_int_equal(quiet_end("Europe/Berlin", &night, utc(2026, 1, 16, 2, 0)), utc(2026, 1, 16, 6, 30));
	/* the edges: from is inside, to is outside */
	assert_int_equal(quiet_end("Europe/Berlin", &night, utc(2026, 1, 15, 21, 0)), utc(2026, 1, 16, 6, 30));
	assert_int_equal(quiet_end("Europe/Berlin", &night, utc(2026, 1, 15, 20, 59)), 0);
	assert_int_equal(quiet_end("Europe/Berlin", &night, utc(2026, 1, 16, 6, 30)), 0);
	assert_int_equal(quiet_end("Europe/Berlin", &night, utc(2026, 1, 16, 12, 0)), 0);
	/* the person's own zone: 22:10 UTC is 17:10 in New York, not quiet */
	assert_int_equal(quiet_end("America/New_York", &night, utc(2026, 1, 15, 22, 10)), 0);
	assert_int_equal(quiet_end("America/New_York", &night, utc(2026, 1, 16, 4, 0)), utc(2026, 1, 16, 12, 30));
}

static void within_a_day_and_unset(void **state)
{
	(void)state;
	const struct quiet_hours lunch = {true, 13 * 60, 14 * 60};
	assert_int_equal(quiet_end("UTC", &lunch, utc(2026, 5, 1, 13, 30)), utc(2026, 5, 1, 14, 0));
	assert_int_equal(quiet_end("UTC", &lunch, utc(2026, 5, 1, 14, 0)), 0);
	assert_int_equal(quiet_end("UTC", &lunch, utc(2026, 5, 1, 23, 0)), 0);
	const struct quiet_hours off = {false, 13 * 60, 14 * 60};
	assert_int_equal(quiet_end("UTC", &off, utc(2026, 5, 1, 13, 30)), 0);
	assert_int_equal(quiet_end("UTC", NULL, utc(2026, 5, 1, 13, 30)), 0);
	/* an unknown zone reads as UTC */
	assert_int_equal(quiet_end("Nowhere/Atlantis", &lunch, utc(2026, 5, 1, 13, 30)), utc(2026, 5, 1, 14, 0));
}

static void spring_forward(void **state)
{
	(void)state;
	/* Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC). */
	/* 07:30 after the change is CEST, UTC+2: 05:30 UTC, an hour less of night than in winter. */
	assert_int_equal(quiet_end("Europe/Berlin", &night, utc(2026, 3, 28, 22, 0)), utc(2026, 3, 29, 5, 30));
	/* An end the change skips (02:30) is the first moment after the jump, 03:00 CEST. */
	const struct quiet_hours short_night = {true, 22 * 60, 2 * 60 + 30};
	assert_int_equal(quiet_end("Europe/Berlin", &short_night, utc(2026, 3, 28, 23, 0)), utc(2026, 3, 29, 1, 0));
	/* 03:10 CEST is after the end the change skipped */
	assert_int_equal(quiet_end("Europe/Berlin", &short_night, utc(2026, 3, 29, 1, 10)), 0);
}

static void fall_back(void **state)
{
	(void)state;
	/* Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:00 to 03:00 shows twice. */
	assert_int_equal(quiet_end("Europe/Berlin", &night, utc(2026, 10, 24, 21, 0)), utc(2026, 10, 25, 6, 30));
	const struct quiet_hours early = {true, 1 * 60, 2 * 60 + 30};
	/* the first 02:15 (CEST, 00:15 UTC): ends at the first 02:30 */
	assert_int_equal(quiet_end("Europe/Berlin", &early, utc(2026, 10, 25, 0, 15)), utc(2026, 10, 25, 0, 30));
	/* the second 02:15 (CET, 01:15 UTC): the wall clock says quiet still; it ends at the second 02:30 */
	assert_int_equal(quiet_end("Europe/Berlin", &early, utc(2026, 10, 25, 1, 15)), utc(2026, 10, 25, 1, 30));
	/* the second 02:45 is outside */
	assert_int_equal(quiet_end("Europe/Berlin", &early, utc(2026, 10, 25, 1, 45)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(across_midnight_ends_the_next_morning),
	    cmocka_unit_test(within_a_day_and_unset),
	    cmocka_unit_test(spring_forward),
	    cmocka_unit_test(fall_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
