/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * date.c - dates and local days (see date.h).
 *
 * Local days come from ICU calendars (ucal), one per time zone and thread:
 * a UCalendar is safe to use from one thread at a time, and opening one costs
 * far more than asking it, so each thread keeps the few it used last. Nothing
 * here touches the process-wide TZ: libc, libpq and SQLite read the
 * environment from other threads without any lock of ours, so switching it
 * with setenv was never safe. Every function that is not about a zone works
 * in UTC on plain integers.
 */
#include "date.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "../store/store.h"
#include "../util/util.h"

#define DAY_MS (24LL * 3600 * 1000)

/* A broken invariant of the start-up kind: no thread key, ICU without UTC. */
static void date_fatal(const char *what)
{
	fprintf(stderr, "hearth: date: %s\n", what);
	abort();
}

/*
 * Dates are counted by arithmetic, not by atoi and timegm: a chart and its
 * labels turn some two hundred dates into days on every dashboard, and
 * timegm alone was 4 % of one.
 */

/* The number written by n decimal digits at s (the caller has checked they are digits). */
static int number_at(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool date_valid(const char *s)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = number_at(s, 4), m = number_at(s + 5, 2), d = number_at(s + 8, 2);
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

int64_t date_utc_ms(const char *date, int days)
{
	assert(date && strlen(date) >= 10);
	int month = number_at(date + 5, 2);
	if (month < 1 || month > 12)
		month = 1; /* callers pass valid dates; this keeps a bad one in the calendar */
	return days_from_civil(number_at(date, 4), month, (int64_t)number_at(date + 8, 2) + days) * DAY_MS;
}

int date_iso_weekday(const char *date)
{
	int64_t day = date_utc_ms(date, 0) / (24LL * 3600 * 1000);
	/* 1970-01-01 was a Thursday (4); floor division for dates before it */
	int64_t r = (day % 7 + 7) % 7;
	return (int)((r + 3) % 7) + 1;
}

bool date_add_days(const char *date, int days, char out[11])
{
	if (!date_valid(date))
		return false;
	int64_t year;
	int month, day;
	civil_from_days(date_utc_ms(date, days) / DAY_MS, &year, &month, &day);
	if (year < 0 || year > 9999)
		return false; /* no date of four digits */
	date_write(out, year, month, day);
	return true;
}

int date_days_between(const char *a, const char *b)
{
	return (int)((date_utc_ms(b, 0) - date_utc_ms(a, 0)) / DAY_MS);
}

/* The zone's name as UTF-16, for ICU; false when it is too long or not ASCII. */
static bool zone_uchars(const char *tz, UChar out[ZONE_NAME_MAX + 1])
{
	size_t n = strlen(tz);
	if (n == 0 || n > ZONE_NAME_MAX)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if ((unsigned char)tz[i] > 0x7f)
			return false;
		out[i] = (UChar)tz[i];
	}
	return true;
}

bool time_zone_valid(const char *tz)
{
	if (!tz || !*tz || strlen(tz) > ZONE_NAME_MAX)
		return false;
	for (const char *c = tz; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '/' ||
		      *c == '_' || *c == '-' || *c == '+'))
			return false;
	UChar id[ZONE_NAME_MAX + 1], canonical[128];
	UBool system = 0;
	UErrorCode status = U_ZERO_ERROR;
	if (!zone_uchars(tz, id))
		return false;
	ucal_getCanonicalTimeZoneID(id, -1, canonical, (int32_t)(sizeof canonical / sizeof canonical[0]), &system,
	                            &status);
	/* ICU also canonicalises custom ids ("GMT+5"); only the zones of its database count, and
	 * not "Factory", which is no place's time */
	return U_SUCCESS(status) && system && strcmp(tz, "Factory") != 0;
}

/* ---- a few calendars per thread ---- */

#define CALENDARS_PER_THREAD 8

struct calendars {
	struct {
		char zone[ZONE_NAME_MAX + 1];
		UCalendar *cal;
	} slot[CALENDARS_PER_THREAD];
	int next; /* the slot replaced when a new zone comes */
};

static pthread_key_t calendars_key;
static pthread_once_t calendars_once = PTHREAD_ONCE_INIT;

static void calendars_free(void *p)
{
	struct calendars *c = p;
	for (int i = 0; i < CALENDARS_PER_THREAD; i++)
		if (c->slot[i].cal)
			ucal_close(c->slot[i].cal);
	free(c);
}

static void calendars_init(void)
{
	if (pthread_key_create(&calendars_key, calendars_free) != 0)
		date_fatal("no thread key for the calendars");
}

/*
 * This thread's calendar for a zone, opened on first use and kept, or NULL
 * for a zone that is not one (time_zone_valid, asked only before opening: a
 * kept calendar's zone was valid) or that ICU cannot open. The calendar
 * belongs to the thread's cache.
 */
static UCalendar *calendar_for(const char *zone)
{
	pthread_once(&calendars_once, calendars_init);
	struct calendars *c = pthread_getspecific(calendars_key);
	if (!c) {
		c = xcalloc(1, sizeof *c);
		if (pthread_setspecific(calendars_key, c) != 0)
			date_fatal("cannot keep the calendars");
	}
	for (int i = 0; i < CALENDARS_PER_THREAD; i++)
		if (c->slot[i].cal && strcmp(c->slot[i].zone, zone) == 0)
			return c->slot[i].cal;
	UChar id[ZONE_NAME_MAX + 1];
	if (!time_zone_valid(zone) || !zone_uchars(zone, id))
		return NULL;
	UErrorCode status = U_ZERO_ERROR;
	UCalendar *cal = ucal_open(id, -1, "en_GB", UCAL_GREGORIAN, &status);
	if (U_FAILURE(status)) {
		if (cal)
			ucal_close(cal);
		return NULL;
	}
	/* Gregorian all the way back: no Julian switch in 1582 for dates nobody writes */
	ucal_setGregorianChange(cal, -8.64e15, &status);
	int i = c->next;
	c->next = (c->next + 1) % CALENDARS_PER_THREAD;
	if (c->slot[i].cal)
		ucal_close(c->slot[i].cal);
	c->slot[i].cal = cal;
	snprintf(c->slot[i].zone, sizeof c->slot[i].zone, "%s", zone);
	return cal;
}

/*
 * This thread's calendar for time_zone (*known), else its UTC calendar: always
 * there (ICU knows "UTC" without any data file).
 */
static UCalendar *calendar_or_utc(const char *time_zone, bool *known)
{
	UCalendar *cal = time_zone ? calendar_for(time_zone) : NULL;
	*known = cal != NULL;
	if (!cal)
		cal = calendar_for("UTC");
	if (!cal)
		date_fatal("ICU cannot open a UTC calendar");
	return cal;
}

static void fields_of(UCalendar *cal, int64_t ms, struct local_time *out)
{
	UErrorCode status = U_ZERO_ERROR;
	ucal_setMillis(cal, (UDate)ms, &status);
	memset(out, 0, sizeof *out);
	out->year = ucal_get(cal, UCAL_EXTENDED_YEAR, &status);
	out->month = ucal_get(cal, UCAL_MONTH, &status) + 1;
	out->day = ucal_get(cal, UCAL_DATE, &status);
	out->weekday = ucal_get(cal, UCAL_DAY_OF_WEEK, &status) - 1; /* ICU: 1 = Sunday */
	out->hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &status);
	out->minute = ucal_get(cal, UCAL_MINUTE, &status);
	if (U_FAILURE(status) || out->year < 0 || out->year > 9999)
		out->year = out->year < 0 ? 0 : 9999; /* out of any range a person writes; keeps the text short */
	/* "%04d-%02d-%02d" without printf: a chart turns every point's time into its day (1.5 k instructions). */
	bool sane = out->month >= 1 && out->month <= 12 && out->day >= 1 && out->day <= 31;
	date_write(out->date, out->year, sane ? out->month : 1, sane ? out->day : 1);
}

bool date_local_time(const char *time_zone, int64_t ms, struct local_time *out)
{
	bool known;
	UCalendar *cal = calendar_or_utc(time_zone, &known);
	fields_of(cal, ms, out);
	return known;
}

void *date_calendar_at(const char *time_zone, int64_t ms)
{
	bool known;
	UCalendar *cal = calendar_or_utc(time_zone, &known);
	UErrorCode status = U_ZERO_ERROR;
	ucal_setMillis(cal, (UDate)ms, &status);
	return cal;
}

bool date_local(const char *time_zone, int64_t now, char out[11])
{
	struct local_time t;
	bool known = date_local_time(time_zone, now, &t);
	memcpy(out, t.date, 11);
	return known;
}

/* Times from 1900 to 9000 go by arithmetic (date_local_many); ICU alone elsewhere (its Julian years, its clamps). */
#define SPAN_FLOOR_MS (-2208988800000LL) /* 1900-01-01 */
#define SPAN_CEIL_MS (221845392000000LL) /* 9000-01-01 */

/* The local date of ms at a fixed offset from UTC (ms), by arithmetic. */
static void date_at_offset(int64_t ms, int64_t offset, char out[11])
{
	int64_t local = ms + offset;
	int64_t days = local >= 0 ? local / DAY_MS : -((-local + DAY_MS - 1) / DAY_MS);
	int64_t year;
	int month, day;
	civil_from_days(days, &year, &month, &day);
	date_write(out, year, month, day);
}

/*
 * The span around the calendar's time (just set by fields_of) in which the
 * zone keeps one offset from UTC: [*lo, *hi), between its transitions, and
 * that offset. False when ICU cannot say, or when the arithmetic does not give
 * ICU's own date for the calendar's time (then every time asks ICU).
 */
static bool span_of(UCalendar *cal, int64_t ms, const char *date, int64_t *lo, int64_t *hi, int64_t *offset)
{
	UErrorCode status = U_ZERO_ERROR;
	*offset = (int64_t)ucal_get(cal, UCAL_ZONE_OFFSET, &status) + ucal_get(cal, UCAL_DST_OFFSET, &status);
	UDate next, prev;
	*hi = ucal_getTimeZoneTransitionDate(cal, UCAL_TZ_TRANSITION_NEXT, &next, &status) ? (int64_t)next : INT64_MAX;
	*lo = ucal_getTimeZoneTransitionDate(cal, UCAL_TZ_TRANSITION_PREVIOUS_INCLUSIVE, &prev, &status) ? (int64_t)prev
	                                                                                                 : INT64_MIN;
	*lo = *lo > SPAN_FLOOR_MS ? *lo : SPAN_FLOOR_MS;
	*hi = *hi < SPAN_CEIL_MS ? *hi : SPAN_CEIL_MS;
	if (U_FAILURE(status) || !(*lo <= ms && ms < *hi))
		return false;
	char check[11];
	date_at_offset(ms, *offset, check);
	return strcmp(check, date) == 0;
}

/*
 * Between two transitions of a zone its offset from UTC stays, so the local
 * dates of the times there are arithmetic: ICU's calendar (a full field
 * computation, about 1.7 k instructions a time) answers only the first time
 * of each span. A chart turns every point's time into its day.
 */
void date_local_many(const char *time_zone, const int64_t *times, int n, char (*out)[11])
{
	assert(n >= 0 && (n == 0 || (times && out)));
	bool known;
	UCalendar *cal = calendar_or_utc(time_zone, &known);
	int64_t lo = 0, hi = 0, offset = 0; /* an empty span until ICU gives one */
	for (int i = 0; i < n; i++) {
		if (times[i] >= lo && times[i] < hi) {
			date_at_offset(times[i], offset, out[i]);
			continue;
		}
		struct local_time t;
		fields_of(cal, times[i], &t);
		memcpy(out[i], t.date, 11);
		if (!span_of(cal, times[i], t.date, &lo, &hi, &offset))
			lo = hi = 0;
	}
}

int64_t date_wall_ms(const char *time_zone, const char *date, int hour, int minute)
{
	assert(date_valid(date) && hour >= 0 && hour < 24 && minute >= 0 && minute < 60);
	bool known;
	UCalendar *cal = calendar_or_utc(time_zone, &known);
	UErrorCode status = U_ZERO_ERROR;
	/* Set each time: the thread's calendars are shared by every caller, who only read fields. */
	ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
	ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_NEXT_VALID);
	ucal_clear(cal);
	ucal_setDateTime(cal, atoi(date), atoi(date + 5) - 1, atoi(date + 8), hour, minute, 0, &status);
	UDate ms = ucal_getMillis(cal, &status);
	if (U_FAILURE(status))
		date_fatal("ICU cannot place a valid date and time in a time zone");
	return (int64_t)ms;
}

const char *viewer_time_zone(const struct viewer *v)
{
	return v->own_time_zone[0] ? v->own_time_zone : v->time_zone[0] ? v->time_zone : "UTC";
}

void date_today(const struct viewer *v, char out[11])
{
	date_local(v->time_zone[0] ? v->time_zone : "UTC", now_ms(), out);
}

void date_local_clock(const char *time_zone, int64_t ms, char day[11], char clock[6])
{
	struct local_time t;
	(void)date_local_time(time_zone, ms, &t); /* an ICU calendar: the process-wide TZ is never touched */
	memcpy(day, t.date, 11);
	snprintf(clock, 6, "%02u:%02u", (unsigned)t.hour % 24, (unsigned)t.minute % 60);
}
