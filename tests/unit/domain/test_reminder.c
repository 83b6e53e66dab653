/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_reminder.c - unit tests for domain/reminder.c: every invalid field of a
 * reminder at once, before anything is stored; the channels this version does
 * not offer refused in words; a break's end never in a calendar; a valid
 * reminder stored with its words sealed under the person's own key (never in
 * clear) and read back opened, with the default words when none were given;
 * the partner's reminders are never theirs to list; the default words in
 * every language, each short enough for the one length every push message
 * is padded to (the length on the wire tells nothing, in any language).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/notice.h"
#include "domain/reminder.h"
#include "domain/text.h"
#include "../fake_keys.h"

/* A fake store keeping reminders in memory, per user and kind. */
struct reminder_store {
	struct fake_store f;
	char user[REMINDERS_MAX][ID_LEN + 1];
	struct store_reminder rows[REMINDERS_MAX];
	int count;
};

static enum store_status put(struct store *s, const char *user_id, const struct store_reminder *in)
{
	struct reminder_store *rs = (struct reminder_store *)s;
	for (int i = 0; i < rs->count; i++)
		if (strcmp(rs->user[i], user_id) == 0 && strcmp(rs->rows[i].kind, in->kind) == 0) {
			rs->rows[i] = *in;
			return STORE_OK;
		}
	assert_true(rs->count < REMINDERS_MAX);
	snprintf(rs->user[rs->count], sizeof rs->user[0], "%s", user_id);
	rs->rows[rs->count++] = *in;
	return STORE_OK;
}

static enum store_status list(struct store *s, struct arena *a, const char *user_id, struct store_reminder **items,
                              int *count)
{
	struct reminder_store *rs = (struct reminder_store *)s;
	*items = arena_alloc(a, sizeof **items * REMINDERS_MAX);
	*count = 0;
	for (int i = 0; i < rs->count; i++)
		if (strcmp(rs->user[i], user_id) == 0)
			(*items)[(*count)++] = rs->rows[i];
	return STORE_OK;
}

/* A server without an outgoing mail server: the calendar only. */
#define OFFERED (1u << CHANNEL_CALENDAR)

static struct key_file key;
static struct reminder_store rs;
static const struct viewer ann = {.user_id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
static const struct viewer ben = {.user_id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"};

static int setup(void **state)
{
	(void)state;
	memset(&rs, 0, sizeof rs);
	assert_int_equal(key_file_make(&key, "test_reminder"), 0);
	fake_store_init(&rs.f, &key);
	rs.f.store.reminder_put = put;
	rs.f.store.reminder_list = list;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_store_cleanup(&rs.f);
	key_file_remove(&key);
	return 0;
}

static const char *field_of(const struct problem *p, int i)
{
	return p->items[i].field;
}

static void every_invalid_field_at_once_and_nothing_stored(void **state)
{
	(void)state;
	struct reminder out;
	struct problem p = {0};
	struct reminder_input in = {
	    .channel_count = 0, .time = "24:00", .days = {"mon", "mon"}, .day_count = 2, .text = "two\nlines"};
	assert_false(reminder_set(&rs.f.store, &ann, "checkin", &in, &out, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_int_equal(p.count, 4);
	assert_string_equal(field_of(&p, 0), "channels");
	assert_string_equal(field_of(&p, 1), "time");
	assert_string_equal(field_of(&p, 2), "days");
	assert_string_equal(field_of(&p, 3), "text");
	assert_int_equal(rs.count, 0);

	/* malformed times */
	const char *times[] = {"8:30", "08:60", "0830", "08:3x", "", "24:00:00"};
	for (size_t i = 0; i < ARRAY_LEN(times); i++) {
		struct reminder_input t = {.channels = {"calendar"},
		                           .channel_count = 1,
		                           .offered = OFFERED,
		                           .time = times[i],
		                           .days = {"sun"},
		                           .day_count = 1};
		p = (struct problem){0};
		assert_false(reminder_set(&rs.f.store, &ann, "prompt", &t, &out, &p));
		assert_string_equal(p.field, "time");
	}
	/* 61 characters, or none */
	char long_text[80];
	memset(long_text, 'x', 61);
	long_text[61] = '\0';
	const char *texts[] = {long_text, ""};
	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		struct reminder_input t = {.channels = {"calendar"},
		                           .channel_count = 1,
		                           .offered = OFFERED,
		                           .time = "08:30",
		                           .days = {"sun"},
		                           .day_count = 1,
		                           .text = texts[i]};
		p = (struct problem){0};
		assert_false(reminder_set(&rs.f.store, &ann, "prompt", &t, &out, &p));
		assert_string_equal(p.field, "text");
	}
	assert_int_equal(rs.count, 0);
}

static void channels_not_offered_are_refused_in_words(void **state)
{
	(void)state;
	struct reminder out;
	const struct {
		const char *kind, *channel, *says;
	} cases[] = {
	    {"checkin", "email", "email"},
	    {"checkin", "push", "device"},
	    {"checkin", "pigeon", "email, push or calendar"},
	    {"break_over", "calendar", "cannot know ahead when a break ends"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct reminder_input in = {.channels = {cases[i].channel},
		                            .channel_count = 1,
		                            .offered = OFFERED,
		                            .time = "08:30",
		                            .days = {"tue"},
		                            .day_count = 1};
		struct problem p = {0};
		assert_false(reminder_set(&rs.f.store, &ann, cases[i].kind, &in, &out, &p));
		assert_string_equal(p.field, "channels");
		assert_non_null(strstr(p.message, cases[i].says));
	}
	struct reminder_input in = {.channels = {"calendar"},
	                            .channel_count = 1,
	                            .offered = OFFERED,
	                            .time = "08:30",
	                            .days = {"tue"},
	                            .day_count = 1};
	struct problem p = {0};
	assert_false(reminder_set(&rs.f.store, &ann, "someday", &in, &out, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	assert_int_equal(rs.count, 0);
}

static void words_are_sealed_and_read_back_for_their_owner_only(void **state)
{
	(void)state;
	struct reminder out;
	struct problem p = {0};
	struct reminder_input in = {.channels = {"calendar"},
	                            .channel_count = 1,
	                            .offered = OFFERED,
	                            .time = "21:05",
	                            .days = {"sun", "wed"},
	                            .day_count = 2,
	                            .text = "Tea, then a walk"};
	assert_true(reminder_set(&rs.f.store, &ann, "agreement_review", &in, &out, &p));
	assert_int_equal(out.days, (1u << 6) | (1u << 2));
	struct reminder_input plain = {.channels = {"calendar"},
	                               .channel_count = 1,
	                               .offered = OFFERED,
	                               .time = "07:00",
	                               .days = {"mon"},
	                               .day_count = 1};
	assert_true(reminder_set(&rs.f.store, &ann, "checkin", &plain, &out, &p));
	assert_int_equal(rs.count, 2);
	assert_string_equal(rs.rows[0].kind, "agreement_review");
	assert_int_equal(rs.rows[0].at_minute, 21 * 60 + 5);
	assert_string_equal(rs.rows[0].channels, "calendar");
	assert_true(keyring_is_sealed(rs.rows[0].text));
	assert_null(strstr(rs.rows[0].text, "Tea"));

	struct reminder all[REMINDER_KIND_COUNT];
	assert_true(reminder_list(&rs.f.store, &ann, rs.f.arena, all, &p));
	assert_true(all[REMINDER_AGREEMENT_REVIEW].set);
	assert_string_equal(all[REMINDER_AGREEMENT_REVIEW].text, "Tea, then a walk");
	assert_int_equal(all[REMINDER_AGREEMENT_REVIEW].hour, 21);
	assert_int_equal(all[REMINDER_AGREEMENT_REVIEW].minute, 5);
	assert_true(all[REMINDER_CHECKIN].set);
	assert_string_equal(all[REMINDER_CHECKIN].text, REMINDER_DEFAULT_TEXT);
	assert_false(all[REMINDER_PROMPT].set);

	/* Ben has none, and Ann's sealed words moved under his id would not open (bound to their owner). */
	assert_true(reminder_list(&rs.f.store, &ben, rs.f.arena, all, &p));
	for (int k = 0; k < REMINDER_KIND_COUNT; k++)
		assert_false(all[k].set);
	snprintf(rs.user[0], sizeof rs.user[0], "%s", ben.user_id);
	assert_false(reminder_list(&rs.f.store, &ben, rs.f.arena, all, &p));
	assert_int_equal(p.outcome, OUTCOME_ERROR);
}

/* A scheduler looks back a minute before its last good call, never an hour or more, never from now on. */
static void window_overlaps_the_last_call_within_an_hour(void **state)
{
	(void)state;
	const int64_t now = 1796000000000LL;
	assert_int_equal(reminder_window_from(now - 30000, now), now - 30000 - REMINDER_OVERLAP_MS);
	assert_int_equal(reminder_window_from(0, now), now - REMINDER_LATE_MS); /* the first call */
	assert_int_equal(reminder_window_from(now - 2 * REMINDER_LATE_MS, now), now - REMINDER_LATE_MS);
	/* the clock set back further than the overlap */
	assert_int_equal(reminder_window_from(now + 2 * REMINDER_OVERLAP_MS, now), now - REMINDER_LATE_MS);
}

static void default_words_in_every_language_fit_the_push_padding(void **state)
{
	(void)state;
	assert_string_equal(reminder_words(LANG_EN, REMINDER_DEFAULT_TEXT), REMINDER_DEFAULT_TEXT);
	assert_string_equal(reminder_words(LANG_DE, REMINDER_DEFAULT_TEXT), "Ein Moment für dich");
	assert_string_equal(reminder_words(LANG_ES, REMINDER_DEFAULT_TEXT), "Un momento para ti");
	/* the person's own words are theirs, in every language */
	assert_string_equal(reminder_words(LANG_DE, "Tea and quiet"), "Tea and quiet");
	for (int l = 0; l < LANG_COUNT; l++) {
		/* every fixed push message, as notice_words and reminder_words say it */
		const char *fixed[] = {reminder_words((enum lang)l, REMINDER_DEFAULT_TEXT),
		                       tr((enum lang)l, NOTICE_NEUTRAL_TEXT)};
		for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
			assert_true(strlen(fixed[i]) <= REMINDER_TEXT_MAX_BYTES);
			assert_true(text_fits(fixed[i], REMINDER_TEXT_MAX_CHARS));
			assert_true(l == LANG_EN ||
			            strcmp(fixed[i], i ? NOTICE_NEUTRAL_TEXT : REMINDER_DEFAULT_TEXT) != 0);
		}
	}
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(window_overlaps_the_last_call_within_an_hour),
	    cmocka_unit_test(default_words_in_every_language_fit_the_push_padding),
	    cmocka_unit_test_setup_teardown(every_invalid_field_at_once_and_nothing_stored, setup, teardown),
	    cmocka_unit_test_setup_teardown(channels_not_offered_are_refused_in_words, setup, teardown),
	    cmocka_unit_test_setup_teardown(words_are_sealed_and_read_back_for_their_owner_only, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
