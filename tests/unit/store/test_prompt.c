/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_prompt.c - unit tests for src/store/prompt.c on a real store, once on
 * SQLite and once on PostgreSQL when HEARTH_TEST_PG_URL is set: a day made
 * once per date, the prompts a scope has seen, a skip (and every reason a
 * skip is refused, with nothing of it left behind), answers with their
 * acknowledgements, and the history's order, partner rule, cursor and limit.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define ALICE ids.people[0]
#define BOB ids.people[1]
#define SPACE1 ids.space1
#define SPACE2 ids.space2
#define D1 ids.days[0]
#define D2 ids.days[1]
#define D3 ids.days[2]
#define D4 ids.days[3]

/*
 * Fresh ids for each test (the store is shared by the tests of a file). Ids
 * of one kind that a test expects in order share a random stem and differ in
 * their last character only.
 */
static struct {
	char people[2][ID_LEN + 1], space1[ID_LEN + 1], space2[ID_LEN + 1];
	char days[4][ID_LEN + 1];
} ids;

static void ids_new(void)
{
	store_test_ids_ordered(ids.people, 2);
	store_test_ids_ordered(ids.days, 4);
	store_test_id(ids.space1);
	store_test_id(ids.space2);
}

static struct store_prompt_day day(const char *scope, const char *id, const char *date, const char *prompt_id)
{
	struct store_prompt_day d = {.created_at = 1000};
	snprintf(d.scope_id, sizeof d.scope_id, "%s", scope);
	snprintf(d.id, sizeof d.id, "%s", id);
	snprintf(d.date, sizeof d.date, "%s", date);
	snprintf(d.prompt_id, sizeof d.prompt_id, "%s", prompt_id);
	return d;
}

static struct store_prompt_answer answer(const struct store_prompt_day *d, const char *author, const char *text)
{
	struct store_prompt_answer a = {.text = (char *)text, .created_at = 2000};
	snprintf(a.scope_id, sizeof a.scope_id, "%s", d->scope_id);
	snprintf(a.day_id, sizeof a.day_id, "%s", d->id);
	snprintf(a.author_id, sizeof a.author_id, "%s", author);
	snprintf(a.date, sizeof a.date, "%s", d->date);
	snprintf(a.prompt_id, sizeof a.prompt_id, "%s", d->prompt_id);
	return a;
}

static void test_day_once(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_prompt_day d = day(SPACE1, D1, "2024-05-01", "p-talk-1");
	assert_int_equal(s->prompt_day_insert(s, &d), STORE_OK);
	struct store_prompt_day again = day(SPACE1, D2, "2024-05-01", "p-talk-2");
	assert_int_equal(s->prompt_day_insert(s, &again), STORE_CONFLICT);

	struct store_prompt_day got;
	assert_int_equal(s->prompt_day_get(s, SPACE1, "2024-05-01", &got), STORE_OK);
	assert_string_equal(got.id, D1);
	assert_string_equal(got.scope_id, SPACE1);
	assert_string_equal(got.date, "2024-05-01");
	assert_string_equal(got.prompt_id, "p-talk-1");
	assert_int_equal(got.created_at, 1000);
	assert_int_equal(s->prompt_day_by_id(s, D1, &got), STORE_OK);
	assert_string_equal(got.date, "2024-05-01");
	assert_int_equal(s->prompt_day_get(s, SPACE1, "2024-05-02", &got), STORE_NOT_FOUND);
	assert_int_equal(s->prompt_day_get(s, SPACE2, "2024-05-01", &got), STORE_NOT_FOUND);
	assert_int_equal(s->prompt_day_by_id(s, D2, &got), STORE_NOT_FOUND);

	/* The refused day left no trace in the seen list; the same prompt again later is seen once. */
	struct store_prompt_day later = day(SPACE1, D3, "2024-05-02", "p-talk-1");
	assert_int_equal(s->prompt_day_insert(s, &later), STORE_OK);
	char(*seen)[16];
	int count = -1;
	assert_int_equal(s->prompt_seen(s, a, SPACE1, &seen, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(seen[0], "p-talk-1");
	assert_int_equal(s->prompt_seen(s, a, SPACE2, &seen, &count), STORE_OK);
	assert_int_equal(count, 0);
	arena_free(a);
}

static void test_seen_many(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	/* More than the first allocation holds, inserted out of order. */
	for (int i = 0; i < 100; i++) {
		char id[ID_LEN + 1], date[16], prompt[16];
		store_test_id(id);
		snprintf(date, sizeof date, "2024-%02d-%02d", 1 + i / 28, 1 + i % 28);
		snprintf(prompt, sizeof prompt, "p-%03d", (i * 37) % 100);
		struct store_prompt_day d = day(ALICE, id, date, prompt);
		assert_int_equal(s->prompt_day_insert(s, &d), STORE_OK);
	}
	char(*seen)[16];
	int count = -1;
	assert_int_equal(s->prompt_seen(s, a, ALICE, &seen, &count), STORE_OK);
	assert_int_equal(count, 100);
	for (int i = 0; i < 100; i++) {
		char want[16];
		snprintf(want, sizeof want, "p-%03d", i);
		assert_string_equal(seen[i], want);
	}
	arena_free(a);
}

/* Issue 15: one deck question per scope and date, the later choice replacing the earlier. */
static void test_override(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	char q[16] = "x";
	assert_int_equal(s->prompt_override_get(s, SPACE1, "2026-11-28", q), STORE_NOT_FOUND);
	assert_int_equal(s->prompt_override_put(s, SPACE1, "2026-11-28", "again-001", 1), STORE_OK);
	assert_int_equal(s->prompt_override_put(s, SPACE1, "2026-11-28", "money-012", 2), STORE_OK);
	assert_int_equal(s->prompt_override_put(s, SPACE2, "2026-11-28", "play-003", 3), STORE_OK);
	assert_int_equal(s->prompt_override_get(s, SPACE1, "2026-11-28", q), STORE_OK);
	assert_string_equal(q, "money-012");
	assert_int_equal(s->prompt_override_get(s, SPACE2, "2026-11-28", q), STORE_OK);
	assert_string_equal(q, "play-003");
	assert_int_equal(s->prompt_override_get(s, SPACE1, "2026-11-29", q), STORE_NOT_FOUND);
}

static void test_skip(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_prompt_day old = day(SPACE1, D1, "2024-05-01", "p-talk-1");
	assert_int_equal(s->prompt_day_insert(s, &old), STORE_OK);
	bool skipped = true;
	assert_int_equal(s->prompt_skipped(s, SPACE1, "2024-05-01", ALICE, &skipped), STORE_OK);
	assert_false(skipped);

	struct store_prompt_day fresh = day(SPACE1, D2, "2024-05-01", "p-talk-2");
	fresh.created_at = 1500;
	assert_int_equal(s->prompt_day_replace(s, &old, &fresh, ALICE), STORE_OK);
	struct store_prompt_day got;
	assert_int_equal(s->prompt_day_get(s, SPACE1, "2024-05-01", &got), STORE_OK);
	assert_string_equal(got.id, D2);
	assert_string_equal(got.prompt_id, "p-talk-2");
	assert_int_equal(got.created_at, 1500);
	assert_int_equal(s->prompt_day_by_id(s, D1, &got), STORE_NOT_FOUND);
	assert_int_equal(s->prompt_skipped(s, SPACE1, "2024-05-01", ALICE, &skipped), STORE_OK);
	assert_true(skipped);
	assert_int_equal(s->prompt_skipped(s, SPACE1, "2024-05-01", BOB, &skipped), STORE_OK);
	assert_false(skipped);
	char(*seen)[16];
	int count = -1;
	assert_int_equal(s->prompt_seen(s, a, SPACE1, &seen, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(seen[0], "p-talk-1");
	assert_string_equal(seen[1], "p-talk-2");

	/* A skip from a stale day (someone skipped first) is refused. */
	struct store_prompt_day third = day(SPACE1, D3, "2024-05-01", "p-talk-3");
	assert_int_equal(s->prompt_day_replace(s, &old, &third, BOB), STORE_CONFLICT);
	/* The same person's second skip of the date is refused, and rolled back whole. */
	assert_int_equal(s->prompt_day_replace(s, &fresh, &third, ALICE), STORE_CONFLICT);
	assert_int_equal(s->prompt_day_get(s, SPACE1, "2024-05-01", &got), STORE_OK);
	assert_string_equal(got.id, D2);
	assert_int_equal(s->prompt_seen(s, a, SPACE1, &seen, &count), STORE_OK);
	assert_int_equal(count, 2);
	arena_free(a);
}

static void test_no_skip_after_answer(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_prompt_day old = day(SPACE1, D1, "2024-05-01", "p-talk-1");
	assert_int_equal(s->prompt_day_insert(s, &old), STORE_OK);
	struct store_prompt_answer ans = answer(&old, BOB, "sealed");
	assert_int_equal(s->prompt_answer_insert(s, &ans), STORE_OK);

	struct store_prompt_day fresh = day(SPACE1, D2, "2024-05-01", "p-talk-2");
	assert_int_equal(s->prompt_day_replace(s, &old, &fresh, ALICE), STORE_CONFLICT);
	/* Nothing of the refused skip stays: the day, the skip mark and the seen list are as before. */
	struct store_prompt_day got;
	assert_int_equal(s->prompt_day_get(s, SPACE1, "2024-05-01", &got), STORE_OK);
	assert_string_equal(got.id, D1);
	assert_string_equal(got.prompt_id, "p-talk-1");
	bool skipped = true;
	assert_int_equal(s->prompt_skipped(s, SPACE1, "2024-05-01", ALICE, &skipped), STORE_OK);
	assert_false(skipped);
	char(*seen)[16];
	int count = -1;
	assert_int_equal(s->prompt_seen(s, a, SPACE1, &seen, &count), STORE_OK);
	assert_int_equal(count, 1);
	arena_free(a);
}

static void test_answers_acks(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_prompt_day d = day(SPACE1, D1, "2024-05-01", "p-talk-1");
	assert_int_equal(s->prompt_day_insert(s, &d), STORE_OK);
	struct store_prompt_answer answers[2];
	int count = -1;
	assert_int_equal(s->prompt_answers(s, a, SPACE1, D1, answers, &count), STORE_OK);
	assert_int_equal(count, 0);

	struct store_prompt_answer bob = answer(&d, BOB, "bob sealed");
	struct store_prompt_answer alice = answer(&d, ALICE, "alice sealed");
	assert_int_equal(s->prompt_answer_insert(s, &bob), STORE_OK);
	assert_int_equal(s->prompt_answer_insert(s, &alice), STORE_OK);
	assert_int_equal(s->prompt_answer_insert(s, &alice), STORE_CONFLICT);

	/* Alice thanks Bob, then changes her mind: one acknowledgement per answer and person. */
	assert_int_equal(s->prompt_ack_put(s, SPACE1, D1, BOB, ALICE, "thank_you", 3000), STORE_OK);
	assert_int_equal(s->prompt_ack_put(s, SPACE1, D1, BOB, ALICE, "hug", 3100), STORE_OK);

	assert_int_equal(s->prompt_answers(s, a, SPACE1, D1, answers, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(answers[0].author_id, ALICE); /* by author id */
	assert_string_equal(answers[0].text, "alice sealed");
	assert_string_equal(answers[0].ack_kind, "");
	assert_string_equal(answers[0].date, "2024-05-01");
	assert_string_equal(answers[0].prompt_id, "p-talk-1");
	assert_string_equal(answers[0].scope_id, SPACE1);
	assert_int_equal(answers[0].created_at, 2000);
	assert_string_equal(answers[1].author_id, BOB);
	assert_string_equal(answers[1].ack_kind, "hug");

	/* Another scope's answers to the same day id are not these. */
	assert_int_equal(s->prompt_answers(s, a, SPACE2, D1, answers, &count), STORE_OK);
	assert_int_equal(count, 0);
	arena_free(a);
}

static void test_history(void **state)
{
	(void)state;
	ids_new();
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_prompt_day days[] = {
	    day(SPACE1, D1, "2024-05-01", "p-1"),
	    day(SPACE1, D2, "2024-05-02", "p-2"),
	    day(SPACE1, D3, "2024-05-03", "p-3"),
	    day(SPACE1, D4, "2024-05-04", "p-4"),
	};
	for (int i = 0; i < 4; i++)
		assert_int_equal(s->prompt_day_insert(s, &days[i]), STORE_OK);
	/* Both answered days 1, 2 and 4; on day 3 only Alice did. */
	for (int i = 0; i < 4; i++) {
		struct store_prompt_answer al = answer(&days[i], ALICE, "a");
		assert_int_equal(s->prompt_answer_insert(s, &al), STORE_OK);
		if (i != 2) {
			struct store_prompt_answer bo = answer(&days[i], BOB, "b");
			assert_int_equal(s->prompt_answer_insert(s, &bo), STORE_OK);
		}
	}

	struct store_prompt_answer *items;
	int count = -1;
	/* With a partner: only days both answered, newest first, the viewer's answer first. */
	assert_int_equal(s->prompt_history(s, a, SPACE1, BOB, ALICE, "", 10, &items, &count), STORE_OK);
	assert_int_equal(count, 6);
	const char *want_days[] = {D4, D4, D2, D2, D1, D1};
	for (int i = 0; i < 6; i++) {
		assert_string_equal(items[i].day_id, want_days[i]);
		assert_string_equal(items[i].author_id, i % 2 == 0 ? BOB : ALICE);
	}

	/* A limit of days, then the page before the cursor date. */
	assert_int_equal(s->prompt_history(s, a, SPACE1, ALICE, BOB, "", 1, &items, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(items[0].day_id, D4);
	assert_string_equal(items[0].author_id, ALICE);
	assert_int_equal(s->prompt_history(s, a, SPACE1, ALICE, BOB, "2024-05-04", 10, &items, &count), STORE_OK);
	assert_int_equal(count, 4);
	assert_string_equal(items[0].day_id, D2);
	assert_string_equal(items[3].day_id, D1);

	/* Alone (no partner): every day the viewer answered, only their own answers. */
	assert_int_equal(s->prompt_history(s, a, SPACE1, ALICE, "", "", 10, &items, &count), STORE_OK);
	assert_int_equal(count, 4);
	assert_string_equal(items[1].day_id, D3);
	for (int i = 0; i < 4; i++)
		assert_string_equal(items[i].author_id, ALICE);
	assert_int_equal(s->prompt_history(s, a, SPACE1, ALICE, BOB, "", 0, &items, &count), STORE_OK);
	assert_int_equal(count, 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_day_once),     cmocka_unit_test(test_seen_many),
	    cmocka_unit_test(test_skip),         cmocka_unit_test(test_no_skip_after_answer),
	    cmocka_unit_test(test_answers_acks), cmocka_unit_test(test_history),
	    cmocka_unit_test(test_override), /* issue 15 */
	};
	return STORE_TEST_MAIN("test_prompt", tests);
}
