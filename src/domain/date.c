/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * date.c - dates and local days (see date.h).
 *
 * localtime depends on the process-wide TZ, so the local-day functions switch
 * it under one lock; every other function here works in UTC and needs none.
 */
#include "date.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "../store/store.h"

#define DAY_MS (24LL * 3600 * 1000)

bool date_valid(const char *s)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

int64_t date_utc_ms(const char *date, int days)
{
	assert(date && strlen(date) >= 10);
	struct tm tm = {0};
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8) + days; /* timegm carries past the month's end */
	return (int64_t)timegm(&tm) * 1000;
}

bool date_add_days(const char *date, int days, char out[11])
{
	if (!date_valid(date))
		return false;
	time_t t = (time_t)(date_utc_ms(date, days) / 1000);
	struct tm norm;
	gmtime_r(&t, &norm);
	strftime(out, 11, "%Y-%m-%d", &norm);
	return true;
}

int date_days_between(const char *a, const char *b)
{
	return (int)((date_utc_ms(b, 0) - date_utc_ms(a, 0)) / DAY_MS);
}

bool time_zone_valid(const char *tz)
{
	if (!tz || !*tz || strlen(tz) > 60 || tz[0] == '/' || strstr(tz, ".."))
		return false;
	for (const char *c = tz; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '/' ||
		      *c == '_' || *c == '-' || *c == '+'))
			return false;
	if (strcmp(tz, "UTC") == 0)
		return true;
	char path[128];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode); /* "Europe" is a directory, not a zone */
}

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

bool date_local(const char *time_zone, int64_t now, char out[11])
{
	const char *tz = time_zone_valid(time_zone) ? time_zone : "UTC";
	time_t t = (time_t)(now / 1000);
	struct tm tm;
	pthread_mutex_lock(&tz_lock);
	setenv("TZ", tz, 1);
	tzset();
	localtime_r(&t, &tm);
	pthread_mutex_unlock(&tz_lock);
	strftime(out, 11, "%Y-%m-%d", &tm);
	return tz == time_zone;
}

void date_local_many(const char *time_zone, const int64_t *times, int n, char (*out)[11])
{
	assert(n >= 0 && (n == 0 || (times && out)));
	const char *tz = time_zone_valid(time_zone) ? time_zone : "UTC";
	pthread_mutex_lock(&tz_lock);
	setenv("TZ", tz, 1);
	tzset();
	for (int i = 0; i < n; i++) {
		time_t t = (time_t)(times[i] / 1000);
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(out[i], 11, "%Y-%m-%d", &tm);
	}
	pthread_mutex_unlock(&tz_lock);
}

void date_today(const struct viewer *v, char out[11])
{
	date_local(v->time_zone[0] ? v->time_zone : "UTC", now_ms(), out);
}

void date_local_clock(const char *time_zone, int64_t ms, char day[11], char clock[6])
{
	const char *tz = time_zone_valid(time_zone) ? time_zone : "UTC";
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	pthread_mutex_lock(&tz_lock);
	setenv("TZ", tz, 1);
	tzset();
	localtime_r(&t, &tm);
	pthread_mutex_unlock(&tz_lock);
	strftime(day, 11, "%Y-%m-%d", &tm);
	strftime(clock, 6, "%H:%M", &tm);
}
