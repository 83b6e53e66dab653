/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * ics.c - the reminder calendar as iCalendar text (ics.h).
 */
#include "ics.h"

#include <stdio.h>
#include <string.h>

#include "../../domain/auth.h"
#include "../../domain/date.h"

/* iCalendar's names of the days, bit 0 Monday (RFC 5545 3.3.10, BYDAY). */
static const char *const ical_days[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
/* Room for one property line before folding: the longest is the words, escaped, after their name. */
#define LINE_MAX (32 + 2 * REMINDER_TEXT_MAX_BYTES)

int ics_line(struct buf *out, const char *line)
{
	size_t n = strlen(line), col = 0;
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		while (i + len < n && ((unsigned char)line[i + len] & 0xC0) == 0x80)
			len++;
		if (col + len > 75) {
			if (buf_puts(out, "\r\n ") < 0)
				return -1;
			col = 1; /* the space that marks a continuation counts */
		}
		if (buf_append(out, line + i, len) < 0)
			return -1;
		col += len;
		i += len;
	}
	return buf_puts(out, "\r\n");
}

/* A property with a TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped. */
static int text_line(struct buf *out, const char *name, const char *text)
{
	char line[LINE_MAX];
	size_t j = (size_t)snprintf(line, sizeof line, "%s:", name);
	for (const char *c = text; *c && j + 3 < sizeof line; c++) {
		if (*c == '\\' || *c == ';' || *c == ',')
			line[j++] = '\\';
		line[j++] = *c == '\n' || *c == '\r' ? ' ' : *c; /* the domain allows no line break; never one here */
	}
	line[j] = '\0';
	return ics_line(out, line);
}

/* The first date from `from` on whose weekday is one of days, so that DTSTART is an occurrence of the rule. */
static void first_day(const char *from, unsigned days, char out[11])
{
	memcpy(out, from, 11);
	for (int i = 0; i < 7; i++) {
		char d[11];
		if (!date_add_days(from, i, d))
			return;
		if (days & (1u << (date_iso_weekday(d) - 1))) {
			memcpy(out, d, 11);
			return;
		}
	}
}

static int event(struct buf *out, const char *owner, enum lang l, const struct reminder *r)
{
	char seed[ID_LEN + 32], uid[TOKEN_HASH_LEN + 1];
	snprintf(seed, sizeof seed, "%s/%s", owner, reminder_kind_name(r->kind));
	auth_token_hash(seed, strlen(seed), uid);
	struct local_time t;
	(void)date_local_time("UTC", r->updated_at, &t);
	char start[11];
	first_day(t.date, r->days, start);
	char byday[32] = "";
	size_t n = 0;
	for (int d = 0; d < 7; d++)
		if (r->days & (1u << d))
			n += (size_t)snprintf(byday + n, sizeof byday - n, "%s%s", n ? "," : "", ical_days[d]);
	char line[LINE_MAX];
	int rc = ics_line(out, "BEGIN:VEVENT");
	snprintf(line, sizeof line, "UID:%.32s@reminders", uid);
	rc = rc < 0 ? rc : ics_line(out, line);
	snprintf(line, sizeof line, "DTSTAMP:%.4s%.2s%.2sT%02d%02d00Z", t.date, t.date + 5, t.date + 8, t.hour,
	         t.minute);
	rc = rc < 0 ? rc : ics_line(out, line);
	/* no Z and no TZID: floating time, the time of day on the person's own clock */
	snprintf(line, sizeof line, "DTSTART:%.4s%.2s%.2sT%02d%02d00", start, start + 5, start + 8, r->hour, r->minute);
	rc = rc < 0 ? rc : ics_line(out, line);
	rc = rc < 0 ? rc : ics_line(out, "DURATION:PT5M");
	snprintf(line, sizeof line, "RRULE:FREQ=WEEKLY;BYDAY=%s", byday);
	rc = rc < 0 ? rc : ics_line(out, line);
	rc = rc < 0 ? rc : text_line(out, "SUMMARY", reminder_words(l, r->text));
	rc = rc < 0 ? rc : ics_line(out, "TRANSP:TRANSPARENT");
	rc = rc < 0 ? rc : ics_line(out, "BEGIN:VALARM");
	rc = rc < 0 ? rc : ics_line(out, "ACTION:DISPLAY");
	rc = rc < 0 ? rc : text_line(out, "DESCRIPTION", reminder_words(l, r->text));
	rc = rc < 0 ? rc : ics_line(out, "TRIGGER:PT0M");
	rc = rc < 0 ? rc : ics_line(out, "END:VALARM");
	return rc < 0 ? rc : ics_line(out, "END:VEVENT");
}

int ics_reminders(struct buf *out, const char *owner, enum lang l, const struct reminder rs[REMINDER_KIND_COUNT])
{
	int rc = ics_line(out, "BEGIN:VCALENDAR");
	rc = rc < 0 ? rc : ics_line(out, "VERSION:2.0");
	rc = rc < 0 ? rc : ics_line(out, "PRODID:-//hearth//reminders//EN");
	rc = rc < 0 ? rc : ics_line(out, "CALSCALE:GREGORIAN");
	/* The name calendar apps show for the subscription: one that tells nothing. */
	rc = rc < 0 ? rc : text_line(out, "X-WR-CALNAME", tr(l, "Reminders"));
	for (int k = 0; k < REMINDER_KIND_COUNT && rc == 0; k++)
		if (rs[k].set)
			rc = event(out, owner, l, &rs[k]);
	return rc < 0 ? rc : ics_line(out, "END:VCALENDAR");
}
