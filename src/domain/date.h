/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * date.h - calendar dates (YYYY-MM-DD) and the local day in a time zone. A
 * couple's day is the day in their space's time zone: the daily prompt, the
 * trends' days and the agreements' review dates all count in it.
 */
#ifndef HEARTH_DATE_H
#define HEARTH_DATE_H

#include <stdbool.h>
#include <stdint.h>

struct viewer;

/* True when s is a real calendar date YYYY-MM-DD from 1900 to 2200 (leap years known). */
bool date_valid(const char *s);
/* Milliseconds at 00:00 UTC of date + days; date must be valid. */
int64_t date_utc_ms(const char *date, int days);
/* date + days into out; false for a bad date. */
bool date_add_days(const char *date, int days, char out[11]);
/* Days from a to b (negative when b is earlier); both must be valid. */
int date_days_between(const char *a, const char *b);

/* True when the name is a time zone this system knows ("Europe/Berlin", "UTC"). */
bool time_zone_valid(const char *tz);
/* The date at `now` (ms) in a time zone; UTC for an unknown zone, and then false. */
bool date_local(const char *time_zone, int64_t now, char out[11]);
/* The local dates of n times (ms) in a time zone, in one go. */
void date_local_many(const char *time_zone, const int64_t *times, int n, char (*out)[11]);
/* Today in the viewer's space time zone (UTC without one). */
void date_today(const struct viewer *v, char out[11]);
/* The local date (YYYY-MM-DD) and time of day (HH:MM) of a time (ms) in a time zone; UTC for an unknown zone. */
void date_local_clock(const char *time_zone, int64_t ms, char day[11], char clock[6]);

#endif
