/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * date.h - calendar dates (YYYY-MM-DD) and the local day in a time zone. A
 * couple's day is the day in their space's time zone: the daily prompt, the
 * trends' days and the agreements' review dates all count in it. A person
 * reads times in their own zone (viewer_time_zone), their space's by default.
 * Thread-safe: ICU calendars, one per zone and thread; the process-wide TZ
 * is never touched.
 */
#ifndef HEARTH_DATE_H
#define HEARTH_DATE_H

#include <stdbool.h>
#include <stdint.h>

struct viewer;

/* True when s is a real calendar date YYYY-MM-DD from 1900 to 2200 (leap years known). */
bool date_valid(const char *s);
/* The ISO weekday of a valid date: 1 Monday .. 7 Sunday. */
int date_iso_weekday(const char *date);
/* Milliseconds at 00:00 UTC of date + days; date must be valid. */
int64_t date_utc_ms(const char *date, int days);
/* date + days into out; false for a bad date. */
bool date_add_days(const char *date, int days, char out[11]);
/* Days from a to b (negative when b is earlier); both must be valid. */
int date_days_between(const char *a, const char *b);

/* The longest zone name accepted (the longest IANA name is 32 characters). */
#define ZONE_NAME_MAX 60

/* An instant as a clock on the wall shows it in one time zone. */
struct local_time {
	int year, month, day; /* month 1..12 */
	int weekday;          /* 0 = Sunday .. 6 */
	int hour, minute;
	char date[11]; /* YYYY-MM-DD */
};

/* True when the name is a time zone of ICU's database ("Europe/Berlin", "UTC"). */
bool time_zone_valid(const char *tz);
/* The date at `now` (ms) in a time zone; UTC for an unknown zone, and then false. */
bool date_local(const char *time_zone, int64_t now, char out[11]);
/* The local dates of n times (ms) in a time zone, in one go. */
void date_local_many(const char *time_zone, const int64_t *times, int n, char (*out)[11]);
/* The wall clock at ms in a time zone; UTC for an unknown zone, and then false. */
bool date_local_time(const char *time_zone, int64_t ms, struct local_time *out);
/*
 * This thread's ICU calendar (a UCalendar *) for the zone, set to ms; UTC's
 * for an unknown zone. It belongs to the thread's cache: use it at once, on
 * this thread, before the next call into this file (render/time.c formats it).
 */
void *date_calendar_at(const char *time_zone, int64_t ms);
/* Today in the viewer's space time zone (their own without a space, else UTC): the couple's day. */
void date_today(const struct viewer *v, char out[11]);
/* The zone the viewer reads times in: their own, else their space's, else UTC. */
const char *viewer_time_zone(const struct viewer *v);
/*
 * The instant (ms) at which the wall clock in a time zone (UTC for an unknown
 * one) shows date (valid) at hour:minute. A time a change to summer time
 * skips is the first valid moment after the jump (02:30 on the night clocks
 * go from 02:00 to 03:00 is 03:00); a time shown twice when clocks go back is
 * its first showing. For what a person schedules in their own time: a break's
 * return, a session, a reminder.
 */
int64_t date_wall_ms(const char *time_zone, const char *date, int hour, int minute);
/* The local date (YYYY-MM-DD) and time of day (HH:MM) of a time (ms) in a time zone; UTC for an unknown zone. */
void date_local_clock(const char *time_zone, int64_t ms, char day[11], char clock[6]);

#endif
