/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_date.c - unit tests for domain/date.c: calendar dates checked and
 * added across month, year and leap boundaries, days between dates, the
 * local date of an instant in time zones (with daylight saving), which time
 * zone names are accepted, the wall clock of an instant, and local dates from
 * several threads in different zones at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/date.h"
#include "util/util.h"
#include "../unit.h"

static void date_validation(void **state)
{
	(void)state;
	const char *good[] = {"2026-01-01", "2026-02-28", "2028-02-29", "2000-02-29", "2024-02-29",
	                      "2026-04-30", "2026-12-31", "1900-01-01", "2200-12-31", "2026-11-26"};
	const char *bad[] = {NULL,         "",           "2026-02-29",  "2100-02-29",  "1900-02-29", "2026-13-01",
	                     "2026-00-10", "2026-01-00", "2026-01-32",  "2026-04-31",  "2026-06-31", "2026/01/01",
	                     "2026-01-1",  "2026-1-01",  "2026-01-01 ", " 2026-01-01", "abcd-ef-gh", "2026-0a-01",
	                     "1899-12-31", "2201-01-01", "+026-01-01",  "2026--1-01",  "20260101"};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (!date_valid(good[i]))
			fail_msg("date_valid(%s) is false", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (date_valid(bad[i]))
			fail_msg("date_valid(%s) is true", bad[i] ? bad[i] : "(null)");
}

static void add_ok(const char *date, int days, const char *want)
{
	char out[11] = "";
	if (!date_add_days(date, days, out))
		fail_msg("date_add_days(%s, %d) refused", date, days);
	if (strcmp(out, want) != 0)
		fail_msg("date_add_days(%s, %d) = %s, want %s", date, days, out, want);
}

static void date_arithmetic(void **state)
{
	(void)state;
	add_ok("2028-02-28", 1, "2028-02-29");
	add_ok("2028-02-29", 1, "2028-03-01");
	add_ok("2026-12-31", 1, "2027-01-01");
	add_ok("2026-03-01", -1, "2026-02-28");
	add_ok("2028-03-01", -1, "2028-02-29");
	add_ok("2027-01-01", -1, "2026-12-31");
	add_ok("2026-02-28", 1, "2026-03-01");
	add_ok("2100-02-28", 1, "2100-03-01"); /* not a leap year */
	add_ok("2000-02-28", 1, "2000-02-29"); /* a leap year */
	add_ok("2026-01-31", 1, "2026-02-01");
	add_ok("2026-04-30", 1, "2026-05-01");
	add_ok("2026-11-26", 0, "2026-11-26");
	add_ok("2026-11-26", -29, "2026-10-28");
	add_ok("2026-01-01", 365, "2027-01-01");
	add_ok("2028-01-01", 366, "2029-01-01");
	add_ok("2024-12-31", 60, "2025-03-01");
	add_ok("2026-03-29", 1, "2026-03-30"); /* European DST change */
	add_ok("2026-10-25", -1, "2026-10-24");
	add_ok("2026-01-01", 3660, "2036-01-09");
	add_ok("2026-01-01", -3660, "2015-12-25");

	char out[11] = "unchanged";
	assert_false(date_add_days("2027-02-29", 1, out));
	assert_false(date_add_days("2026-02-30", 1, out));
	assert_false(date_add_days("2026-13-01", 1, out));
	assert_false(date_add_days("2026-1-01", 1, out));
	assert_false(date_add_days("26-11-2026", 1, out));
	assert_false(date_add_days("", 1, out));
	assert_false(date_add_days(NULL, 1, out));
	assert_false(date_add_days("2026-11-26T00:00", 1, out));
}

static void utc_days(void **state)
{
	(void)state;
	assert_int_equal(date_utc_ms("1970-01-01", 0), 0);
	assert_int_equal(date_utc_ms("1970-01-01", 1), 24LL * 3600 * 1000);
	assert_int_equal(date_utc_ms("2026-03-01", -1), date_utc_ms("2026-02-28", 0));
	assert_int_equal(date_days_between("2026-11-26", "2026-11-26"), 0);
	assert_int_equal(date_days_between("2026-10-28", "2026-11-26"), 29);
	assert_int_equal(date_days_between("2026-11-26", "2026-10-28"), -29);
	assert_int_equal(date_days_between("2028-02-28", "2028-03-01"), 2); /* a leap day between */
	assert_int_equal(date_days_between("2026-03-28", "2026-03-30"), 2); /* a DST change does not count */
}

static void local_dates_in_zones(void **state)
{
	(void)state;
	int64_t t = fixed_instant();
	char out[11];
	assert_true(date_local("UTC", t, out));
	assert_string_equal(out, "2026-11-26");
	assert_true(date_local("Pacific/Auckland", t, out));
	assert_string_equal(out, "2026-11-27");
	assert_true(date_local("America/Los_Angeles", t, out));
	assert_string_equal(out, "2026-11-26");
	assert_true(date_local("Europe/Berlin", t, out));
	assert_string_equal(out, "2026-11-26");
	/* early in the UTC day it is still yesterday in Los Angeles */
	int64_t early = t - (int64_t)(6 * 3600 + 30 * 60) * 1000; /* 05:00Z */
	assert_true(date_local("America/Los_Angeles", early, out));
	assert_string_equal(out, "2026-11-25");
	assert_true(date_local("UTC", early, out));
	assert_string_equal(out, "2026-11-26");
	/* daylight saving: Auckland is UTC+12 in winter, so 11:30Z is still the same day */
	int64_t winter = utc_ms(2026, 6, 15, 11, 30);
	assert_true(date_local("Pacific/Auckland", winter, out));
	assert_string_equal(out, "2026-06-15");
	assert_true(date_local("Pacific/Auckland", winter + 3600000, out)); /* 12:30Z = 00:30 next day */
	assert_string_equal(out, "2026-06-16");

	/* unknown or unsafe zones fall back to UTC and say so */
	const char *unknown[] = {"Mars/Olympus_Mons", "", NULL, "../etc/passwd", "/etc/passwd", "Pacific/Auckland "};
	for (size_t i = 0; i < ARRAY_LEN(unknown); i++) {
		memset(out, 'x', sizeof out);
		assert_false(date_local(unknown[i], t, out));
		assert_string_equal(out, "2026-11-26");
		assert_false(date_local(unknown[i], early, out));
		assert_string_equal(out, "2026-11-26");
	}
	/* a fallback does not stick: the next call with a real zone uses it */
	assert_true(date_local("Pacific/Auckland", t, out));
	assert_string_equal(out, "2026-11-27");
}

/*
 * date_local_many asks ICU once a span between a zone's transitions and counts
 * the rest: it must give date_local's answer (ICU's, time by time) for every
 * time, in zones with summer time both ways, odd offsets, a 30-minute shift
 * (Lord Howe), a zone that changed its offset (Samoa skipped a day in 2011),
 * none (UTC), an unknown zone; times sorted and not, around transitions and
 * midnights, from 1800 to 2300.
 */
static void many_local_dates_as_one_by_one(void **state)
{
	(void)state;
	const char *zones[] = {"Europe/Berlin",     "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
	                       "Pacific/Apia",      "America/St_Johns", "Pacific/Chatham",     "UTC",
	                       "Africa/Casablanca", "Mars/Olympus_Mons"};
	enum { N = 6000 };
	static int64_t times[N];
	static char got[N][11];
	uint64_t x = 0x853c49e6748fea9bULL;
	for (size_t z = 0; z < ARRAY_LEN(zones); z++) {
		for (int order = 0; order < 3; order++) {
			int64_t at = utc_ms(2010, 1, 1, 0, 0);
			for (int i = 0; i < N; i++) {
				x = x * 6364136223846793005ULL + 1442695040888963407ULL;
				if (order == 0) /* sorted, every 30 to 90 minutes: every transition and midnight of
				                   about a year */
					at += (int64_t)(30 + (x >> 33) % 61) * 60000;
				else if (order == 1) /* sorted, a few days apart, 2010 to about 2060 */
					at += (int64_t)((x >> 33) % (6 * 86400)) * 1000;
				else /* anywhere from 1800 to 2300, in no order */
					at = utc_ms(1800, 1, 1, 0, 0) +
					     (int64_t)((x >> 11) % (500ULL * 365 * 86400)) * 1000;
				times[i] = at;
			}
			date_local_many(zones[z], times, N, got);
			for (int i = 0; i < N; i++) {
				char want[11];
				date_local(zones[z], times[i], want);
				if (strcmp(got[i], want) != 0)
					fail_msg("%s at %lld: %s, one by one %s", zones[z], (long long)times[i], got[i],
					         want);
			}
		}
	}
	/* transitions themselves, and a millisecond either side */
	const int64_t berlin_spring = utc_ms(2026, 3, 29, 1, 0), ny_fall = utc_ms(2026, 11, 1, 6, 0);
	const int64_t edges[] = {berlin_spring - 1, berlin_spring, berlin_spring + 1,
	                         ny_fall - 1,       ny_fall,       ny_fall + 1};
	for (size_t z = 0; z < 2; z++) {
		date_local_many(zones[z], edges, (int)ARRAY_LEN(edges), got);
		for (size_t i = 0; i < ARRAY_LEN(edges); i++) {
			char want[11];
			date_local(zones[z], edges[i], want);
			assert_string_equal(got[i], want);
		}
	}
}

static void zone_names(void **state)
{
	(void)state;
	const char *good[] = {
	    "Europe/Berlin", "UTC", "America/Los_Angeles", "Pacific/Auckland", "America/Argentina/Buenos_Aires",
	    "Etc/GMT+5"};
	const char *bad[] = {"../etc/passwd",
	                     "/etc/passwd",
	                     "",
	                     NULL,
	                     "Europe/../../etc/passwd",
	                     "Europe/..",
	                     "Europe/Berlin ",
	                     "Europe\\Berlin",
	                     "Europe/Berlin\n",
	                     "Mars/Olympus_Mons",
	                     "Europe/Atlantis",
	                     "utc; rm -rf /",
	                     "Europe/Berlin/"};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (!time_zone_valid(good[i]))
			fail_msg("time_zone_valid(%s) is false", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (time_zone_valid(bad[i]))
			fail_msg("time_zone_valid(\"%s\") is true", bad[i] ? bad[i] : "(null)");
	char *long_name = repeat("A", 200);
	assert_false(time_zone_valid(long_name));
	free(long_name);
}

/*
 * A directory under /usr/share/zoneinfo is not a time zone, yet it passes the
 * access() check: "Europe" would be accepted for a space and then silently
 * give UTC dates while date_local reports a known zone.
 */
static void zone_directories_are_not_zones(void **state)
{
	(void)state;
	const char *dirs[] = {"Europe", "America", "Pacific", "Etc"};
	for (size_t i = 0; i < ARRAY_LEN(dirs); i++)
		if (time_zone_valid(dirs[i]))
			fail_msg("time_zone_valid(\"%s\") is true, but it is a directory, not a zone", dirs[i]);
}

/* ICU's database decides (issue 12): its aliases are zones; custom offsets and "Factory" are not. */
static void zones_from_icu(void **state)
{
	(void)state;
	const char *good[] = {"US/Pacific", "Europe/Kyiv", "Europe/Kiev", "Asia/Kolkata", "Etc/UTC", "America/Chicago"};
	const char *bad[] = {"GMT+5", "GMT+05:00", "Factory", "Etc/Unknown", "europe/berlin", "utc", "Europe/Berlin+"};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (!time_zone_valid(good[i]))
			fail_msg("time_zone_valid(%s) is false", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (time_zone_valid(bad[i]))
			fail_msg("time_zone_valid(%s) is true", bad[i]);
}

/* The wall clock of an instant, and the same instant an hour apart across a fall-back change. */
static void local_times(void **state)
{
	(void)state;
	struct local_time t;
	int64_t edt = utc_ms(2026, 11, 1, 5, 30); /* 01:30 EDT */
	assert_true(date_local_time("America/New_York", edt, &t));
	assert_int_equal(t.hour, 1);
	assert_int_equal(t.minute, 30);
	assert_int_equal(t.weekday, 0); /* a Sunday */
	assert_string_equal(t.date, "2026-11-01");
	assert_true(date_local_time("America/New_York", edt + 3600000, &t)); /* 01:30 EST */
	assert_int_equal(t.hour, 1);
	assert_string_equal(t.date, "2026-11-01");
	assert_true(date_local_time("Asia/Kolkata", edt, &t)); /* UTC+05:30 */
	assert_int_equal(t.hour, 11);
	assert_int_equal(t.minute, 0);
	assert_false(date_local_time("Nowhere/Land", edt, &t));
	assert_int_equal(t.hour, 5);
	assert_string_equal(t.date, "2026-11-01");
}

/* Wall clock to instant: a plain time, a time the spring change skips, a time the autumn change repeats. */
static void wall_times(void **state)
{
	(void)state;
	assert_int_equal(date_wall_ms("Europe/Berlin", "2026-07-01", 20, 30), utc_ms(2026, 7, 1, 18, 30));  /* CEST */
	assert_int_equal(date_wall_ms("Europe/Berlin", "2026-12-01", 20, 30), utc_ms(2026, 12, 1, 19, 30)); /* CET */
	/* 29 March 2026: Berlin's clocks go from 02:00 to 03:00; 02:30 is the jump's end, 03:00 CEST. */
	assert_int_equal(date_wall_ms("Europe/Berlin", "2026-03-29", 2, 30), utc_ms(2026, 3, 29, 1, 0));
	/* 1 November 2026: New York shows 01:30 twice; the first is EDT (05:30 UTC). */
	assert_int_equal(date_wall_ms("America/New_York", "2026-11-01", 1, 30), utc_ms(2026, 11, 1, 5, 30));
	assert_int_equal(date_wall_ms("Asia/Kolkata", "2026-11-01", 11, 0), utc_ms(2026, 11, 1, 5, 30));
	/* An unknown zone is UTC, as everywhere in this file. */
	assert_int_equal(date_wall_ms("Nowhere/Land", "2026-11-01", 11, 0), utc_ms(2026, 11, 1, 11, 0));
	/* The round trip through the wall clock. */
	struct local_time t;
	assert_true(date_local_time("America/New_York", date_wall_ms("America/New_York", "2027-03-14", 3, 15), &t));
	assert_int_equal(t.hour, 3);
	assert_int_equal(t.minute, 15);
}

/* ISO weekdays, before and after 1970 too. */
static void iso_weekdays(void **state)
{
	(void)state;
	assert_int_equal(date_iso_weekday("1970-01-01"), 4); /* a Thursday */
	assert_int_equal(date_iso_weekday("2026-11-30"), 1); /* a Monday */
	assert_int_equal(date_iso_weekday("2026-11-29"), 7); /* a Sunday */
	assert_int_equal(date_iso_weekday("1969-12-31"), 3);
	assert_int_equal(date_iso_weekday("2024-02-29"), 4);
}

/* Local dates from threads in different zones at once: each its own (TZ is never switched). */
static void *dates_in_a_thread(void *arg)
{
	const char *zone = arg;
	int64_t t = fixed_instant();
	const char *want = strcmp(zone, "Pacific/Auckland") == 0 ? "2026-11-27" : "2026-11-26";
	for (int i = 0; i < 5000; i++) {
		char out[11];
		date_local(zone, t, out);
		if (strcmp(out, want) != 0)
			return (void *)1;
	}
	return NULL;
}

static void threads_in_different_zones(void **state)
{
	(void)state;
	const char *const zones[] = {"Pacific/Auckland", "America/Los_Angeles", "Pacific/Auckland", "UTC"};
	threads_run(dates_in_a_thread, zones, 4);
}

/*
 * The calendar arithmetic agrees with the C library's on every day from 1900
 * to 2200, and on days added far past a month's end and before it.
 */
static void arithmetic_matches_libc(void **state)
{
	(void)state;
	const int64_t day_ms = 24LL * 3600 * 1000;
	struct tm from = {.tm_year = 0, .tm_mon = 0, .tm_mday = 1}; /* 1900-01-01 */
	time_t t0 = timegm(&from);
	for (int64_t k = 0;; k++) {
		time_t t = t0 + (time_t)(k * 86400);
		struct tm tm;
		gmtime_r(&t, &tm);
		if (tm.tm_year > 300)
			break;
		char date[11];
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		assert_true(date_valid(date));
		assert_int_equal(date_utc_ms(date, 0), (int64_t)t * 1000);
		for (int days = -400; days <= 400; days += 133) {
			assert_int_equal(date_utc_ms(date, days), ((int64_t)t + days * 86400LL) * 1000);
			char out[11], want[11];
			time_t u = t + (time_t)days * 86400;
			struct tm w;
			gmtime_r(&u, &w);
			strftime(want, sizeof want, "%Y-%m-%d", &w);
			assert_true(date_add_days(date, days, out));
			assert_string_equal(out, want);
		}
		assert_int_equal(date_utc_ms(date, 1) - date_utc_ms(date, 0), day_ms);
	}
	char out[11];
	assert_false(date_add_days("2200-12-31", 3000000, out)); /* past year 9999 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(date_validation),
	    cmocka_unit_test(date_arithmetic),
	    cmocka_unit_test(arithmetic_matches_libc),
	    cmocka_unit_test(utc_days),
	    cmocka_unit_test(local_dates_in_zones),
	    cmocka_unit_test(many_local_dates_as_one_by_one),
	    cmocka_unit_test(zone_names),
	    cmocka_unit_test(zone_directories_are_not_zones),
	    cmocka_unit_test(zones_from_icu),
	    cmocka_unit_test(local_times),
	    cmocka_unit_test(wall_times),
	    cmocka_unit_test(iso_weekdays),
	    cmocka_unit_test(threads_in_different_zones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
