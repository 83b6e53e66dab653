/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_time.c - unit tests for web/render/time.c: times in words in several
 * zones, at the boundaries people notice: today and yesterday around midnight
 * in the reader's zone (not UTC's), across a daylight-saving change, the
 * weekday for the last six days, the date this year and another year, and
 * dates (an agreement's next look back) relative to the reader's today;
 * and (issue 16) the same in Spanish and German, English unchanged beside
 * them in the same thread (the formatters and day labels are per language).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/util.h"
#include "util/i18n.h"
#include "web/render/time.h"
#include "../../unit.h"

static void says(const char *zone, int64_t at, int64_t now, const char *want)
{
	char out[TIME_WORDS_MAX];
	time_words(LANG_EN, zone, at, now, out);
	if (strcmp(out, want) != 0)
		fail_msg("time_words(%s) = \"%s\", want \"%s\"", zone, out, want);
}

static void date_says(const char *zone, const char *date, int64_t now, bool capital, const char *want)
{
	char out[TIME_WORDS_MAX];
	time_date_words(LANG_EN, zone, date, now, capital, out);
	if (strcmp(out, want) != 0)
		fail_msg("time_date_words(%s, %s) = \"%s\", want \"%s\"", zone, date, out, want);
}

static void today_and_yesterday(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 21, 30); /* Thursday, 22:30 in Berlin */
	says("Europe/Berlin", utc_ms(2026, 11, 26, 19, 14), now, "Today, 20:14");
	says("Europe/Berlin", utc_ms(2026, 11, 25, 7, 2), now, "Yesterday, 08:02");
	says("UTC", utc_ms(2026, 11, 26, 19, 14), now, "Today, 19:14");
	says("America/Los_Angeles", utc_ms(2026, 11, 26, 19, 14), now, "Today, 11:14");
}

/* Midnight is the reader's: the same two instants are "today" in one zone and "yesterday" in another. */
static void midnight_in_the_readers_zone(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 23, 30); /* 00:30 on Friday in Berlin, 23:30 on Thursday in UTC */
	int64_t at = utc_ms(2026, 11, 26, 22, 50);
	says("Europe/Berlin", at, now, "Yesterday, 23:50");
	says("UTC", at, now, "Today, 22:50");
	/* Auckland is already on the 27th at 11:30Z; Los Angeles still on the 25th before 08:00Z */
	int64_t fixed = fixed_instant();
	says("Pacific/Auckland", fixed, fixed, "Today, 00:30");
	says("Pacific/Auckland", fixed - 3600000, fixed, "Yesterday, 23:30");
	says("America/Los_Angeles", utc_ms(2026, 11, 26, 7, 59), fixed, "Yesterday, 23:59");
	says("America/Los_Angeles", utc_ms(2026, 11, 26, 8, 0), fixed, "Today, 00:00");
}

static void across_daylight_saving(void **state)
{
	(void)state;
	/* New York falls back on Sunday 1 Nov 2026: 01:30 happens twice, an hour apart in UTC */
	int64_t monday = utc_ms(2026, 11, 2, 12, 0);
	says("America/New_York", utc_ms(2026, 11, 1, 5, 30), monday, "Yesterday, 01:30"); /* EDT, UTC-4 */
	says("America/New_York", utc_ms(2026, 11, 1, 6, 30), monday, "Yesterday, 01:30"); /* EST, UTC-5 */
	says("America/New_York", utc_ms(2026, 10, 31, 23, 30), monday, "Saturday");       /* 19:30 EDT */
	/* Berlin springs forward on Sunday 29 Mar 2026 at 01:00Z: 02:00 CET becomes 03:00 CEST */
	int64_t sunday = utc_ms(2026, 3, 29, 12, 0);
	says("Europe/Berlin", utc_ms(2026, 3, 29, 0, 30), sunday, "Today, 01:30");
	says("Europe/Berlin", utc_ms(2026, 3, 29, 1, 30), sunday, "Today, 03:30");
	says("Europe/Berlin", utc_ms(2026, 3, 28, 22, 59), sunday, "Yesterday, 23:59");
	says("Europe/Berlin", utc_ms(2026, 3, 28, 23, 0), sunday, "Today, 00:00");
	/* the day after the change is still one day, though it had 23 hours */
	says("Europe/Berlin", utc_ms(2026, 3, 28, 23, 30), utc_ms(2026, 3, 29, 22, 30), "Yesterday, 00:30");
}

static void weekdays_and_dates(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 12, 0); /* Thursday */
	says("UTC", utc_ms(2026, 11, 24, 9, 0), now, "Tuesday");
	says("UTC", utc_ms(2026, 11, 20, 23, 59), now, "Friday");          /* six days before */
	says("UTC", utc_ms(2026, 11, 19, 23, 59), now, "19 Nov");          /* seven */
	says("UTC", utc_ms(2026, 1, 1, 0, 0), now, "1 Jan");               /* this year */
	says("UTC", utc_ms(2025, 11, 27, 8, 0), now, "27 Nov 2025");       /* another year */
	says("Europe/Berlin", utc_ms(2025, 12, 31, 23, 30), now, "1 Jan"); /* already 2026 in Berlin */
	says("UTC", utc_ms(2025, 12, 31, 23, 30), now, "31 Dec 2025");
	/* new year's night: 00:30 on 1 Jan 2027 in Berlin, still 2026 in UTC */
	int64_t ny = utc_ms(2026, 12, 31, 23, 30);
	says("Europe/Berlin", utc_ms(2026, 12, 20, 12, 0), ny, "20 Dec 2026");
	says("UTC", utc_ms(2026, 12, 20, 12, 0), ny, "20 Dec");
	/* ahead: invites and codes that expire */
	says("UTC", utc_ms(2026, 11, 27, 9, 0), now, "Tomorrow, 09:00");
	says("UTC", utc_ms(2026, 11, 30, 12, 0), now, "Monday, 12:00");
	says("UTC", utc_ms(2026, 12, 3, 12, 0), now, "3 Dec");
	/* an unknown zone reads as UTC */
	says("Mars/Olympus_Mons", utc_ms(2026, 11, 26, 19, 14), now, "Today, 19:14");
	says("", utc_ms(2026, 11, 26, 19, 14), now, "Today, 19:14");
}

static void dates_in_words(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 12, 0); /* Thursday */
	date_says("UTC", "2026-11-26", now, false, "today");
	date_says("UTC", "2026-11-26", now, true, "Today");
	date_says("UTC", "2026-11-27", now, false, "tomorrow");
	date_says("UTC", "2026-11-25", now, false, "yesterday");
	date_says("UTC", "2026-11-29", now, false, "Sunday");
	date_says("UTC", "2026-12-02", now, false, "Wednesday"); /* six days ahead */
	date_says("UTC", "2026-12-03", now, false, "3 Dec");
	date_says("UTC", "2026-11-20", now, false, "20 Nov");
	date_says("UTC", "2027-01-05", now, false, "5 Jan 2027");
	/* the reader's today: already Friday in Auckland at 11:30Z on Thursday */
	date_says("Pacific/Auckland", "2026-11-27", fixed_instant(), false, "today");
	date_says("America/Los_Angeles", "2026-11-27", fixed_instant(), false, "tomorrow");
	date_says("UTC", "not a date", now, false, "not a date");
}

/* The charts' labels: a day of a month, with its year when asked. */
static void date_labels(void **state)
{
	(void)state;
	char out[TIME_WORDS_MAX];
	time_date_label(LANG_EN, "2026-11-27", false, out);
	assert_string_equal(out, "27 Nov");
	time_date_label(LANG_EN, "2026-01-05", false, out);
	assert_string_equal(out, "5 Jan");
	time_date_label(LANG_EN, "2025-12-31", true, out);
	assert_string_equal(out, "31 Dec 2025");
}

/* Issue 16: the words in language l. */
static void says_in(enum lang l, const char *zone, int64_t at, int64_t now, const char *want)
{
	char out[TIME_WORDS_MAX];
	time_words(l, zone, at, now, out);
	if (strcmp(out, want) != 0)
		fail_msg("time_words(%s, %s) = \"%s\", want \"%s\"", lang_code(l), zone, out, want);
}

static void date_says_in(enum lang l, const char *date, int64_t now, bool capital, const char *want)
{
	char out[TIME_WORDS_MAX];
	time_date_words(l, "UTC", date, now, capital, out);
	if (strcmp(out, want) != 0)
		fail_msg("time_date_words(%s, %s) = \"%s\", want \"%s\"", lang_code(l), date, out, want);
}

static void spanish(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 21, 30); /* Thursday, 22:30 in Berlin */
	says_in(LANG_ES, "Europe/Berlin", utc_ms(2026, 11, 26, 19, 14), now, "Hoy, 20:14");
	says_in(LANG_ES, "Europe/Berlin", utc_ms(2026, 11, 25, 7, 2), now, "Ayer, 8:02");
	says_in(LANG_ES, "UTC", utc_ms(2026, 11, 27, 9, 0), now, "Mañana, 9:00");
	says_in(LANG_ES, "UTC", utc_ms(2026, 11, 24, 9, 0), now, "martes");
	says_in(LANG_ES, "UTC", utc_ms(2026, 11, 30, 12, 0), now, "lunes, 12:00");
	says_in(LANG_ES, "UTC", utc_ms(2026, 11, 19, 23, 59), now, "19 nov");
	says_in(LANG_ES, "UTC", utc_ms(2025, 11, 27, 8, 0), now, "27 nov 2025");
	date_says_in(LANG_ES, "2026-11-26", now, false, "hoy");
	date_says_in(LANG_ES, "2026-11-27", now, false, "mañana");
	date_says_in(LANG_ES, "2026-11-25", now, true, "Ayer");
	date_says_in(LANG_ES, "2026-11-29", now, false, "domingo");
	char out[TIME_WORDS_MAX];
	time_date_label(LANG_ES, "2026-11-27", false, out);
	assert_string_equal(out, "27 nov");
	time_words_appointment(LANG_ES, "UTC", utc_ms(2026, 12, 3, 17, 0), out);
	assert_string_equal(out, "jueves 3 de diciembre, 17:00");
	time_around_words(LANG_ES, "UTC", utc_ms(2026, 11, 27, 9, 0), now, out);
	assert_string_equal(out, "mañana a las 9:00");
}

static void german(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 21, 30);
	says_in(LANG_DE, "Europe/Berlin", utc_ms(2026, 11, 26, 19, 14), now, "Heute, 20:14");
	says_in(LANG_DE, "Europe/Berlin", utc_ms(2026, 11, 25, 7, 2), now, "Gestern, 08:02");
	says_in(LANG_DE, "UTC", utc_ms(2026, 11, 27, 9, 0), now, "Morgen, 09:00");
	says_in(LANG_DE, "UTC", utc_ms(2026, 11, 24, 9, 0), now, "Dienstag");
	says_in(LANG_DE, "UTC", utc_ms(2026, 11, 30, 12, 0), now, "Montag, 12:00");
	says_in(LANG_DE, "UTC", utc_ms(2026, 11, 19, 23, 59), now, "19. Nov.");
	says_in(LANG_DE, "UTC", utc_ms(2025, 11, 27, 8, 0), now, "27. Nov. 2025");
	date_says_in(LANG_DE, "2026-11-26", now, false, "heute");
	date_says_in(LANG_DE, "2026-11-27", now, false, "morgen");
	date_says_in(LANG_DE, "2026-11-25", now, true, "Gestern");
	date_says_in(LANG_DE, "2026-11-29", now, false, "Sonntag");
	char out[TIME_WORDS_MAX];
	time_date_label(LANG_DE, "2026-11-27", true, out);
	assert_string_equal(out, "27. Nov. 2026");
	time_words_appointment(LANG_DE, "UTC", utc_ms(2026, 12, 3, 17, 0), out);
	assert_string_equal(out, "Donnerstag, 3. Dezember, 17:00 Uhr");
	time_around_words(LANG_DE, "UTC", utc_ms(2026, 11, 27, 9, 0), now, out);
	assert_string_equal(out, "morgen um 09:00");
}

/* English beside them in the same thread, after them: its formatters, relative words and labels are its own. */
static void english_after_the_others(void **state)
{
	(void)state;
	int64_t now = utc_ms(2026, 11, 26, 21, 30);
	char out[TIME_WORDS_MAX];
	time_date_label(LANG_DE, "2026-11-27", false, out);
	time_date_label(LANG_EN, "2026-11-27", false, out);
	assert_string_equal(out, "27 Nov");
	says("UTC", utc_ms(2026, 11, 27, 9, 0), now, "Tomorrow, 09:00");
	date_says("UTC", "2026-11-26", now, false, "today");
	time_words_appointment(LANG_EN, "UTC", utc_ms(2026, 12, 3, 17, 0), out);
	assert_string_equal(out, "Thursday 3 December, 17:00");
	time_around_words(LANG_EN, "UTC", utc_ms(2026, 11, 27, 9, 0), now, out);
	assert_string_equal(out, "09:00 tomorrow");
	time_around_words(LANG_EN, "UTC", utc_ms(2026, 11, 26, 22, 0), now, out);
	assert_string_equal(out, "22:00");
}

static void time_elements(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 4096);
	int64_t now = utc_ms(2026, 11, 26, 21, 30);
	assert_int_equal(time_html(&b, LANG_EN, "Europe/Berlin", utc_ms(2026, 11, 26, 19, 14), now), 0);
	assert_string_equal(b.data, "<time datetime=\"2026-11-26T19:14:00Z\">Today, 20:14</time>");
	b.len = 0;
	assert_int_equal(time_date_html(&b, LANG_EN, "UTC", "2026-11-29", now, false), 0);
	assert_string_equal(b.data, "<time datetime=\"2026-11-29\">Sunday</time>");
	b.len = 0;
	assert_int_equal(time_date_html(&b, LANG_EN, "UTC", "<b>", now, false), 0);
	assert_string_equal(b.data, "&lt;b&gt;");
	b.len = 0;
	assert_int_equal(time_html_full(&b, LANG_EN, "Europe/Berlin", utc_ms(2025, 11, 27, 19, 14)), 0);
	assert_string_equal(b.data, "<time datetime=\"2025-11-27T19:14:00Z\">27 Nov 2025, 20:14</time>");
	b.len = 0;
	assert_int_equal(time_date_html_full(&b, LANG_EN, "2026-11-27"), 0);
	assert_string_equal(b.data, "<time datetime=\"2026-11-27\">27 Nov 2026</time>");
	char full[TIME_WORDS_MAX];
	time_words_full(LANG_EN, "America/Los_Angeles", utc_ms(2026, 1, 1, 7, 59),
	                full); /* still new year's eve there */
	assert_string_equal(full, "31 Dec 2025, 23:59");
	buf_cleanup(&b);
	/* the cap holds */
	buf_init(&b, 10);
	assert_int_equal(time_html(&b, LANG_EN, "UTC", now, now), -1);
	buf_cleanup(&b);
}

/* Threads with their own zones at once: each gets its own zone's words (no shared TZ). */
static void *words_in_a_thread(void *arg)
{
	const char *zone = arg;
	const char *want = strcmp(zone, "Europe/Berlin") == 0 ? "Today, 20:14" : "Today, 11:14";
	int64_t now = utc_ms(2026, 11, 26, 21, 30);
	for (int i = 0; i < 2000; i++) {
		char out[TIME_WORDS_MAX];
		time_words(LANG_EN, i % 7 == 0 ? "Asia/Tokyo" : zone, utc_ms(2026, 11, 26, 19, 14), now, out);
		if (i % 7 != 0 && strcmp(out, want) != 0)
			return (void *)1;
	}
	return NULL;
}

/* Whole counts as each language writes them (article views, comments; issue 16). */
static void counts(void **state)
{
	(void)state;
	char out[COUNT_TEXT_MAX];
	const struct {
		enum lang l;
		int64_t n;
		const char *want;
	} cases[] = {
	    {LANG_EN, 0, "0"},
	    {LANG_EN, 999, "999"},
	    {LANG_EN, 1234, "1,234"},
	    {LANG_EN, 1234567, "1,234,567"},
	    {LANG_EN, -1234, "-1,234"},
	    {LANG_ES, 1234, "1234"},
	    {LANG_ES, 12345, "12.345"},
	    {LANG_ES, 1234567, "1.234.567"},
	    {LANG_DE, 999, "999"},
	    {LANG_DE, 1234, "1.234"},
	    {LANG_DE, 1234567, "1.234.567"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		count_text(cases[i].l, cases[i].n, out);
		assert_string_equal(out, cases[i].want);
	}
}

static void threads_in_different_zones(void **state)
{
	(void)state;
	const char *const zones[] = {"Europe/Berlin", "America/Los_Angeles", "Europe/Berlin", "America/Los_Angeles"};
	threads_run(words_in_a_thread, zones, 4);
}

/*
 * A time said again comes from the thread's memory of times said
 * (append_format): it must be the same words whatever else was said between,
 * for every zone, pattern and language, with far more instants than slots (so
 * slots are taken over), and a zone too long to remember still said right.
 */
#define AGAIN_INSTANTS 300
static const char *const again_zones[] = {"UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata",
                                          "Not/A_Zone_With_A_Name_Longer_Than_Any_That_Is_Remembered"};
static const enum lang again_langs[] = {LANG_EN, LANG_DE};
#define AGAIN_COUNT (AGAIN_INSTANTS * ARRAY_LEN(again_zones) * ARRAY_LEN(again_langs))

static void again_words(size_t i, char out[TIME_WORDS_MAX])
{
	size_t z = i % ARRAY_LEN(again_zones), l = i / ARRAY_LEN(again_zones) % ARRAY_LEN(again_langs);
	int64_t at =
	    utc_ms(2026, 1, 1, 0, 0) + (int64_t)(i / ARRAY_LEN(again_zones) / ARRAY_LEN(again_langs)) * 7919LL * 60000;
	time_words_full(again_langs[l], again_zones[z], at, out);
}

static void times_said_again(void **state)
{
	(void)state;
	static char first[AGAIN_COUNT][TIME_WORDS_MAX];
	for (size_t i = 0; i < AGAIN_COUNT; i++) {
		again_words(i, first[i]);
		assert_true(first[i][0] != 0);
	}
	for (size_t i = AGAIN_COUNT; i-- > 0;) {
		char again[TIME_WORDS_MAX];
		again_words(i, again);
		if (strcmp(again, first[i]) != 0)
			fail_msg("said again %zu: \"%s\", first \"%s\"", i, again, first[i]);
	}
	/* The same instant in two zones, two languages and two patterns: each its own words. */
	int64_t at = utc_ms(2026, 12, 3, 11, 30);
	char out[TIME_WORDS_MAX];
	for (int round = 0; round < 2; round++) {
		time_words_full(LANG_EN, "Asia/Kolkata", at, out);
		assert_string_equal(out, "3 Dec 2026, 17:00");
		time_words_full(LANG_EN, "UTC", at, out);
		assert_string_equal(out, "3 Dec 2026, 11:30");
		time_words_full(LANG_EN, again_zones[4], at, out); /* an unknown zone is said in UTC */
		assert_string_equal(out, "3 Dec 2026, 11:30");
		time_words_full(LANG_DE, "Europe/Berlin", at, out);
		assert_string_equal(out, "3. Dez. 2026, 12:30");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(today_and_yesterday),
	    cmocka_unit_test(midnight_in_the_readers_zone),
	    cmocka_unit_test(across_daylight_saving),
	    cmocka_unit_test(weekdays_and_dates),
	    cmocka_unit_test(dates_in_words),
	    cmocka_unit_test(date_labels),
	    cmocka_unit_test(time_elements),
	    cmocka_unit_test(threads_in_different_zones),
	    cmocka_unit_test(counts),
	    cmocka_unit_test(spanish),
	    cmocka_unit_test(german),
	    cmocka_unit_test(english_after_the_others),
	    cmocka_unit_test(times_said_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
