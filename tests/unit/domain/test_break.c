/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_break.c - unit tests for domain/break.c (issue 14): the minutes a break
 * may last, when one is over, the choices "this evening" and "tomorrow
 * morning" resolved in the taker's zone (also on the nights the clocks change
 * in Europe/Berlin and America/New_York, when a night lasts 23 or 25 hours),
 * every choice within 20..1440 minutes at any hour, the validation of a new
 * break (every invalid field at once, before anything is stored), and the
 * "back around" time as each partner reads it in their own zone, across a
 * change of clocks (web/render/time.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/break.h"
#include "util/util.h"
#include "web/render/time.h"
#include "../unit.h"

#define MIN_MS (60LL * 1000)

static void minutes_range(void **state)
{
	(void)state;
	assert_false(break_minutes_valid(-20));
	assert_false(break_minutes_valid(0));
	assert_false(break_minutes_valid(19));
	assert_true(break_minutes_valid(20));
	assert_true(break_minutes_valid(90));
	assert_true(break_minutes_valid(1440));
	assert_false(break_minutes_valid(1441));
}

static void over_when_its_time_has_come(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 18, 0);
	struct store_break b = {.started_at = now - 20 * MIN_MS, .until_at = now};
	assert_true(break_is_over(&b, now));
	assert_true(break_is_over(&b, now + 1));
	assert_false(break_is_over(&b, now - 1));
}

static void minutes_of(const char *key, const char *zone, int64_t now, int want)
{
	int got = -1;
	bool ok = break_choice_minutes(key, zone, now, &got);
	const char *name = key ? key : "(none)";
	if (want < 0 && ok)
		fail_msg("%s in %s: offered (%d minutes), want not offered", name, zone, got);
	if (want >= 0 && (!ok || got != want))
		fail_msg("%s in %s: %s %d minutes, want %d", name, zone, ok ? "" : "not offered,", got, want);
}

static void fixed_choices(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 12, 0);
	minutes_of("20", "Europe/Berlin", now, 20);
	minutes_of("30", "Europe/Berlin", now, 30);
	minutes_of("60", "Europe/Berlin", now, 60);
	minutes_of("120", "Europe/Berlin", now, 120);
	minutes_of("45", "Europe/Berlin", now, -1);
	minutes_of("", "Europe/Berlin", now, -1);
	minutes_of(NULL, "Europe/Berlin", now, -1);
}

/* An ordinary day: 13:00 in Berlin. */
static void evening_and_morning(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 12, 0);
	minutes_of("evening", "Europe/Berlin", now, 6 * 60);  /* 19:00 CET */
	minutes_of("morning", "Europe/Berlin", now, 20 * 60); /* 09:00 CET tomorrow */
	/* the same instant in New York is 07:00: this morning's 09:00 is two hours away */
	minutes_of("morning", "America/New_York", now, 120);
	minutes_of("evening", "America/New_York", now, 12 * 60);
	/* 17:30 in Berlin: 19:00 is no later than "2 hours", so it is not offered */
	minutes_of("evening", "Europe/Berlin", utc_ms(2026, 11, 26, 16, 30), -1);
	/* 08:50 in Berlin: today's 09:00 is too close, tomorrow's more than a day away */
	minutes_of("morning", "Europe/Berlin", utc_ms(2026, 11, 26, 7, 50), -1);
	/* 08:40 exactly: today's 09:00 is 20 minutes away */
	minutes_of("morning", "Europe/Berlin", utc_ms(2026, 11, 26, 7, 40), 20);
	/* a zone nobody knows reads as UTC */
	minutes_of("evening", "Mars/Olympus", now, 7 * 60);
}

/* The nights the clocks change: tomorrow's 09:00 is an hour nearer (spring) or farther (autumn). */
static void mornings_across_daylight_saving(void **state)
{
	(void)state;
	/* Berlin, Saturday 28 March 2026 22:00 CET; Sunday 09:00 is CEST (07:00Z): 11 hours on the wall, 10 real */
	minutes_of("morning", "Europe/Berlin", utc_ms(2026, 3, 28, 21, 0), 10 * 60);
	/* Berlin, Saturday 24 October 2026 22:00 CEST; Sunday 09:00 is CET (08:00Z): 11 on the wall, 12 real */
	minutes_of("morning", "Europe/Berlin", utc_ms(2026, 10, 24, 20, 0), 12 * 60);
	/* New York, Saturday 7 March 2026 19:00 EST (00:00Z); Sunday 09:00 EDT is 13:00Z: 13 hours, not 14 */
	minutes_of("morning", "America/New_York", utc_ms(2026, 3, 8, 0, 0), 13 * 60);
	/* New York, Saturday 31 October 2026 19:00 EDT (23:00Z); Sunday 09:00 EST is 14:00Z: 15 hours, not 14 */
	minutes_of("morning", "America/New_York", utc_ms(2026, 10, 31, 23, 0), 15 * 60);
}

/* Every choice offered at any half hour of the days around a change lasts 20..1440 minutes. */
static void every_choice_in_range(void **state)
{
	(void)state;
	const char *zones[] = {"Europe/Berlin", "America/New_York", "Pacific/Auckland", "UTC"};
	const int64_t days[] = {utc_ms(2026, 3, 27, 0, 0), utc_ms(2026, 3, 7, 0, 0), utc_ms(2026, 10, 23, 0, 0),
	                        utc_ms(2026, 10, 30, 0, 0), utc_ms(2026, 4, 4, 0, 0)};
	for (size_t z = 0; z < ARRAY_LEN(zones); z++) {
		for (size_t d = 0; d < ARRAY_LEN(days); d++) {
			for (int h = 0; h < 3 * 48; h++) {
				int64_t now = days[d] + h * 30 * MIN_MS;
				struct break_choice c[BREAK_CHOICES_MAX];
				int n = break_choices(zones[z], now, c);
				assert_true(n >= 4 && n <= BREAK_CHOICES_MAX);
				for (int i = 0; i < n; i++)
					if (!break_minutes_valid(c[i].minutes))
						fail_msg("%s at %lld: %s is %d minutes", zones[z], (long long)now,
						         c[i].key, c[i].minutes);
			}
		}
	}
}

/* Validation names both fields at once and stops before the store (NULL here). */
static void start_validation(void **state)
{
	(void)state;
	struct viewer v = {0};
	id_new(v.user_id);
	struct arena *a = arena_new();
	struct break_view out;
	struct problem p = {0};
	char *long_note = repeat("é", 501);
	assert_false(break_start(NULL, &v, 19, long_note, a, &out, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_int_equal(p.count, 2);
	assert_string_equal(p.items[0].field, "minutes");
	assert_string_equal(p.items[1].field, "note");
	p = (struct problem){0};
	assert_false(break_start(NULL, &v, 1441, NULL, a, &out, &p));
	assert_int_equal(p.count, 1);
	assert_string_equal(p.field, "minutes");
	free(long_note);
	arena_free(a);
}

static void around(const char *zone, int64_t at, int64_t now, const char *want)
{
	char out[TIME_WORDS_MAX];
	time_around_words(LANG_EN, zone, at, now, out);
	if (strcmp(out, want) != 0)
		fail_msg("time_around_words(%s) = \"%s\", want \"%s\"", zone, out, want);
}

/* "Back around ..." across a change of clocks, for the taker and a partner in another zone. */
static void back_around_across_daylight_saving(void **state)
{
	(void)state;
	/* Berlin, 01:30 CET on 29 March 2026, two hours: 04:30 CEST (not 03:30) */
	int64_t start = utc_ms(2026, 3, 29, 0, 30), until = start + 120 * MIN_MS;
	around("Europe/Berlin", until, start, "04:30");
	/* the partner in New York (EDT since 8 March) reads it on their Saturday evening */
	around("America/New_York", until, start, "22:30");
	/* Berlin, 02:30 CEST on 25 October 2026, one hour: 02:30 again, now CET */
	start = utc_ms(2026, 10, 25, 0, 30);
	around("Europe/Berlin", start + 60 * MIN_MS, start, "02:30");
	/* New York, 01:30 EST on 8 March 2026, one hour: 03:30 EDT */
	start = utc_ms(2026, 3, 8, 6, 30);
	around("America/New_York", start + 60 * MIN_MS, start, "03:30");
	around("Europe/Berlin", start + 60 * MIN_MS, start, "08:30");
	/* New York, 01:30 EDT on 1 November 2026, one hour: 01:30 again, now EST */
	start = utc_ms(2026, 11, 1, 5, 30);
	around("America/New_York", start + 60 * MIN_MS, start, "01:30");
	/* past midnight for one partner only: "tomorrow" is the reader's */
	start = utc_ms(2026, 11, 26, 21, 0); /* 22:00 in Berlin, 16:00 in New York */
	around("Europe/Berlin", start + 120 * MIN_MS, start, "00:00 tomorrow");
	around("America/New_York", start + 120 * MIN_MS, start, "18:00");
	/* a whole day: tomorrow's clock, in both */
	around("Europe/Berlin", start + 1440 * MIN_MS, start, "22:00 tomorrow");
	around("America/New_York", start + 1440 * MIN_MS, start, "16:00 tomorrow");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(minutes_range),
	    cmocka_unit_test(over_when_its_time_has_come),
	    cmocka_unit_test(fixed_choices),
	    cmocka_unit_test(evening_and_morning),
	    cmocka_unit_test(mornings_across_daylight_saving),
	    cmocka_unit_test(every_choice_in_range),
	    cmocka_unit_test(start_validation),
	    cmocka_unit_test(back_around_across_daylight_saving),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
