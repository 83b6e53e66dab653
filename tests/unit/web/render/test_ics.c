/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_ics.c - unit tests for web/render/ics.c: content lines are folded at
 * 75 octets and never inside a UTF-8 character, and unfold to what was
 * written; the person's words are escaped; an event recurs weekly on its days
 * from a DTSTART that is one of them, at floating local time; a reminder that
 * is not set makes no event; a buffer cap too small is a failure, not a cut.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "web/render/ics.h"

/* The text with every CRLF + space (a fold) removed: the lines as written. */
static char *unfold(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void folds_at_75_octets_between_characters(void **state)
{
	(void)state;
	/* 40 two-byte characters after the name: 85 octets, folded once, never between a character's bytes */
	char line[128] = "SUMMARY:";
	for (int i = 0; i < 40; i++)
		strcat(line, "\xc3\xa9");
	struct buf b;
	buf_init(&b, 4096);
	assert_int_equal(ics_line(&b, line), 0);
	const char *fold = strstr(b.data, "\r\n ");
	assert_non_null(fold);
	assert_true(fold - b.data <= 75);
	assert_true(((unsigned char)fold[3] & 0xC0) != 0x80); /* a character begins after the fold */
	for (const char *l = b.data; *l;) {
		const char *end = strstr(l, "\r\n");
		assert_non_null(end);
		assert_true(end - l <= 75);
		l = end + 2;
	}
	char *back = unfold(b.data);
	assert_int_equal(strlen(back), strlen(line) + 2);
	assert_memory_equal(back, line, strlen(line));
	free(back);
	buf_cleanup(&b);
}

static struct reminder a_reminder(enum reminder_kind k, const char *text, unsigned days)
{
	struct reminder r = {.kind = k,
	                     .set = true,
	                     .channels = 1u << CHANNEL_CALENDAR,
	                     .hour = 7,
	                     .minute = 5,
	                     .days = days,
	                     .updated_at = 1795651200000LL}; /* Thursday 2026-11-26 00:00 UTC */
	snprintf(r.text, sizeof r.text, "%s", text);
	return r;
}

static void events_recur_on_their_days_with_escaped_words(void **state)
{
	(void)state;
	struct reminder rs[REMINDER_KIND_COUNT] = {0};
	rs[REMINDER_PROMPT] = a_reminder(REMINDER_PROMPT, "Tea; then, a walk \\ slowly", (1u << 0) | (1u << 5));
	rs[REMINDER_CHECKIN] = (struct reminder){.kind = REMINDER_CHECKIN}; /* not set: no event */
	struct buf b;
	buf_init(&b, 16 * 1024);
	assert_int_equal(ics_reminders(&b, "0123456789abcdef0123456789abcdef", LANG_EN, rs), 0);
	char *t = unfold(b.data);
	assert_non_null(strstr(t, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(t, "\r\nEND:VCALENDAR\r\n"));
	assert_int_equal(strstr(t, "BEGIN:VEVENT") != NULL, 1);
	assert_null(strstr(strstr(t, "BEGIN:VEVENT") + 1, "BEGIN:VEVENT")); /* one event */
	assert_non_null(strstr(t, "\r\nSUMMARY:Tea\\; then\\, a walk \\\\ slowly\r\n"));
	assert_non_null(strstr(t, "\r\nDESCRIPTION:Tea\\; then\\, a walk \\\\ slowly\r\n"));
	assert_non_null(strstr(t, "\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,SA\r\n"));
	/* from Thursday 26 November the first Monday or Saturday is Saturday 28; no Z: floating time */
	assert_non_null(strstr(t, "\r\nDTSTART:20261128T070500\r\n"));
	assert_non_null(strstr(t, "\r\nDTSTAMP:20261126T000000Z\r\n"));
	assert_null(strstr(t, "0123456789abcdef")); /* the owner's id is hashed, not written */
	assert_null(strstr(t, "prompt"));
	free(t);
	buf_cleanup(&b);
}

static void a_small_cap_is_a_failure(void **state)
{
	(void)state;
	struct reminder rs[REMINDER_KIND_COUNT] = {0};
	rs[REMINDER_HOMEWORK] = a_reminder(REMINDER_HOMEWORK, "A moment for you", 0x7f);
	struct buf b;
	buf_init(&b, 200);
	assert_int_equal(ics_reminders(&b, "0123456789abcdef0123456789abcdef", LANG_EN, rs), -1);
	buf_cleanup(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(folds_at_75_octets_between_characters),
	    cmocka_unit_test(events_recur_on_their_days_with_escaped_words),
	    cmocka_unit_test(a_small_cap_is_a_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
