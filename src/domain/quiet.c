/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * quiet.c - quiet hours (quiet.h): the window's arithmetic in a time zone,
 * and the person's setting.
 */
#include "quiet.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

#define MINUTE_MS 60000LL
#define DAY_MINUTES (24 * 60)

int64_t quiet_end(const char *zone, const struct quiet_hours *q, int64_t at)
{
	if (!q || !q->set || q->from == q->to)
		return 0;
	struct local_time lt;
	date_local_time(zone, at, &lt);
	int m = lt.hour * 60 + lt.minute;
	bool crosses = q->from > q->to;
	bool inside = crosses ? (m >= q->from || m < q->to) : (m >= q->from && m < q->to);
	if (!inside)
		return 0;
	/* Before midnight in a window that crosses it: it ends tomorrow. */
	char day[11];
	snprintf(day, sizeof day, "%s", lt.date);
	if (crosses && m >= q->from && !date_add_days(lt.date, 1, day))
		return 0;
	int64_t end = date_wall_ms(zone, day, q->to / 60, q->to % 60);
	/*
	 * In the hour shown twice when clocks go back, the wall clock's end may
	 * have shown already (its first showing): the window ends at its second,
	 * as many wall minutes ahead as are left.
	 */
	if (end <= at)
		end = at + (int64_t)((q->to - m + DAY_MINUTES) % DAY_MINUTES) * MINUTE_MS;
	return end > at ? end : 0;
}

/* "HH:MM", 00:00 to 23:59, into minutes after midnight. */
static bool clock_parse(const char *s, int *minutes)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int hour = (s[0] - '0') * 10 + (s[1] - '0'), minute = (s[3] - '0') * 10 + (s[4] - '0');
	*minutes = hour * 60 + minute;
	return hour < 24 && minute < 60;
}

bool quiet_get(struct store *s, const struct viewer *v, struct quiet_hours *out, struct problem *p)
{
	struct store_quiet q;
	*out = (struct quiet_hours){0};
	enum store_status st = s->quiet_get(s, v->user_id, &q);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*out = (struct quiet_hours){q.set, q.from_minute, q.to_minute};
	return true;
}

bool quiet_set(struct store *s, const struct viewer *v, const char *from, const char *to, struct quiet_hours *out,
               struct problem *p)
{
	*out = (struct quiet_hours){.set = true};
	bool began = problem_join(p); /* every invalid field at once, the API's type checks first */
	bool from_ok = clock_parse(from, &out->from), to_ok = clock_parse(to, &out->to);
	if (!from_ok)
		problem_add(p, "from", "Give the time quiet hours begin as HH:MM, for example 22:00.");
	if (!to_ok)
		problem_add(p, "to", "Give the time quiet hours end as HH:MM, for example 07:30.");
	else if (from_ok && out->from == out->to)
		problem_add(p, "to", "Quiet hours need an end different from their beginning.");
	if (!problem_close(p, began))
		return false;
	enum store_status st = s->quiet_put(s, v->user_id, out->from, out->to, now_ms());
	return st == STORE_OK || problem_from_store(p, st);
}

bool quiet_remove(struct store *s, const struct viewer *v, struct problem *p)
{
	enum store_status st = s->quiet_delete(s, v->user_id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You have no quiet hours.");
	return st == STORE_OK || problem_from_store(p, st);
}

int64_t quiet_hold_until(struct store *s, const char *user_id, int64_t now)
{
	struct store_quiet q;
	enum store_status st = s->quiet_get(s, user_id, &q);
	if (st == STORE_NOT_FOUND)
		return 0; /* nobody to hold it for: the sender finds it has no point */
	if (st != STORE_OK)
		return -1;
	struct quiet_hours h = {q.set, q.from_minute, q.to_minute};
	const char *zone = q.own_zone[0] ? q.own_zone : q.space_zone[0] ? q.space_zone : "UTC";
	return quiet_end(zone, &h, now);
}

int quiet_hold(struct store *s, const char *user_id, const char *id, int64_t now,
               enum store_status (*hold)(struct store *s, const char *id, int64_t until))
{
	int64_t until = quiet_hold_until(s, user_id, now);
	if (until == 0)
		return 0;
	/* -1 (the store failed): the claim's lease runs out and it is tried again */
	enum store_status st = until > 0 ? hold(s, id, until) : STORE_OK;
	return st == STORE_OK || st == STORE_NOT_FOUND ? 1 : -1;
}
