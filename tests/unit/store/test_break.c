/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_break.c - unit tests for src/store/break.c on both databases (issue 14):
 * a break read back as stored (a note or none); one row per person, so a
 * second break while the first runs is STORE_CONFLICT and leaves the first
 * as it was; one whose time has come is replaced in the same transaction;
 * ending deletes it (STORE_NOT_FOUND after), and one person's break never
 * touches another's.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define MINUTE (60LL * 1000)
#define NOW (1000LL * 3600 * 1000)

static struct store_break break_of(const char *user, int64_t start, int minutes, char *note)
{
	struct store_break b = {.started_at = start, .until_at = start + minutes * MINUTE, .note = note};
	store_test_id(b.id);
	snprintf(b.user_id, sizeof b.user_id, "%s", user);
	return b;
}

static void test_break_start_get_end(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char u[ID_LEN + 1], other[ID_LEN + 1];
	store_test_id(u);
	store_test_id(other);
	struct store_break got;
	assert_int_equal(s->break_get(s, a, u, &got), STORE_NOT_FOUND);
	assert_int_equal(s->break_end(s, u), STORE_NOT_FOUND);

	struct store_break b = break_of(u, NOW, 30, "v1:sealed-note");
	assert_int_equal(s->break_start(s, &b, NOW), STORE_OK);
	assert_int_equal(s->break_get(s, a, u, &got), STORE_OK);
	assert_string_equal(got.id, b.id);
	assert_string_equal(got.user_id, u);
	assert_int_equal(got.started_at, NOW);
	assert_int_equal(got.until_at, NOW + 30 * MINUTE);
	assert_string_equal(got.note, "v1:sealed-note");

	/* another person's break, without a note, stands beside it */
	struct store_break o = break_of(other, NOW, 20, NULL);
	assert_int_equal(s->break_start(s, &o, NOW), STORE_OK);
	assert_int_equal(s->break_get(s, a, other, &got), STORE_OK);
	assert_null(got.note);

	assert_int_equal(s->break_end(s, u), STORE_OK);
	assert_int_equal(s->break_get(s, a, u, &got), STORE_NOT_FOUND);
	assert_int_equal(s->break_end(s, u), STORE_NOT_FOUND);
	assert_int_equal(s->break_get(s, a, other, &got), STORE_OK);
	arena_free(a);
}

static void test_break_one_running(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char u[ID_LEN + 1];
	store_test_id(u);
	struct store_break first = break_of(u, NOW, 60, NULL);
	assert_int_equal(s->break_start(s, &first, NOW), STORE_OK);
	/* still running a minute before its end: the second is refused, the first unchanged */
	struct store_break second = break_of(u, NOW + 59 * MINUTE, 20, "v1:x");
	assert_int_equal(s->break_start(s, &second, NOW + 59 * MINUTE), STORE_CONFLICT);
	struct store_break got;
	assert_int_equal(s->break_get(s, a, u, &got), STORE_OK);
	assert_string_equal(got.id, first.id);
	assert_int_equal(got.until_at, NOW + 60 * MINUTE);
	/* at its end it is over: a new one takes its place */
	struct store_break third = break_of(u, NOW + 60 * MINUTE, 20, "v1:y");
	assert_int_equal(s->break_start(s, &third, NOW + 60 * MINUTE), STORE_OK);
	assert_int_equal(s->break_get(s, a, u, &got), STORE_OK);
	assert_string_equal(got.id, third.id);
	assert_string_equal(got.note, "v1:y");
	assert_int_equal(s->break_end(s, u), STORE_OK);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_break_start_get_end),
	    cmocka_unit_test(test_break_one_running),
	};
	return STORE_TEST_MAIN("test_break", tests);
}
