/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_push.c - unit tests for src/store/push.c on both databases (issue 15,
 * web push): a device kept under its endpoint's hash keeps its id when it is
 * given again, and passes to another person who subscribes it (with what
 * was queued for it going); at most PUSH_SUBSCRIPTIONS_MAX a person; an
 * occurrence is queued once per device, only for devices subscribed before
 * it; a claim leases a message and counts the attempt, a leased one is not
 * claimed again until the lease runs out, a done one never; removing a
 * device takes its queue along, and only its owner (or the sender, told it
 * is gone) removes it.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define NOW (1000LL * 3600 * 1000)
#define MINUTE (60LL * 1000)

/* A hash of 64 hex characters made from a word. */
static void hash_of(const char *word, char out[PUSH_HASH_LEN + 1])
{
	snprintf(out, PUSH_HASH_LEN + 1, "%-64s", word);
	for (char *c = out; *c; c++)
		if (*c == ' ')
			*c = '0';
}

static void put(const char *user, const char *word, int64_t at, char id[ID_LEN + 1], enum store_status want)
{
	char hash[PUSH_HASH_LEN + 1], fresh[ID_LEN + 1];
	hash_of(word, hash);
	store_test_id(fresh);
	assert_int_equal(store_test->push_subscription_put(store_test, fresh, user, hash, "v1:sealed", at, id), want);
}

static void test_push_subscriptions(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char u[ID_LEN + 1], other[ID_LEN + 1], id[ID_LEN + 1], again[ID_LEN + 1], theirs[ID_LEN + 1];
	store_test_id(u);
	store_test_id(other);
	struct store_push_subscription *rows;
	int count = -1;
	assert_int_equal(s->push_subscription_list(s, a, u, &rows, &count), STORE_OK);
	assert_int_equal(count, 0);

	put(u, "aa", NOW, id, STORE_OK);
	put(u, "aa", NOW + 1, again, STORE_OK);
	assert_string_equal(again, id);
	assert_int_equal(s->push_subscription_list(s, a, u, &rows, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(rows[0].id, id);
	assert_string_equal(rows[0].user_id, u);
	assert_string_equal(rows[0].subscription, "v1:sealed");
	assert_int_equal(rows[0].created_at, NOW);
	struct store_push_subscription one;
	assert_int_equal(s->push_subscription_get(s, a, id, &one), STORE_OK);
	assert_string_equal(one.user_id, u);

	/* nobody else removes it; its owner does, once */
	assert_int_equal(s->push_subscription_delete(s, other, id), STORE_NOT_FOUND);
	assert_int_equal(s->push_subscription_delete(s, u, id), STORE_OK);
	assert_int_equal(s->push_subscription_delete(s, u, id), STORE_NOT_FOUND);
	assert_int_equal(s->push_subscription_get(s, a, id, &one), STORE_NOT_FOUND);

	/* the same device subscribed by someone else is theirs now, its queue gone */
	put(u, "bb", NOW, id, STORE_OK);
	int queued = 0;
	assert_int_equal(s->push_queue(s, u, "checkin", NOW + MINUTE, NOW + MINUTE, NOW + MINUTE, &queued), STORE_OK);
	assert_int_equal(queued, 1);
	put(other, "bb", NOW + 2 * MINUTE, theirs, STORE_OK);
	assert_string_not_equal(theirs, id);
	assert_int_equal(s->push_subscription_list(s, a, u, &rows, &count), STORE_OK);
	assert_int_equal(count, 0);
	struct store_push_outbox o;
	assert_int_equal(s->push_outbox_claim(s, NOW + 3 * MINUTE, NOW + 5 * MINUTE, &o), STORE_NOT_FOUND);
	/* the sender, told the device is gone, removes whoever's it is */
	assert_int_equal(s->push_subscription_delete(s, NULL, theirs), STORE_OK);

	/* at most PUSH_SUBSCRIPTIONS_MAX a person */
	for (int i = 0; i < PUSH_SUBSCRIPTIONS_MAX; i++) {
		char word[8];
		snprintf(word, sizeof word, "c%02dx", i); /* a word no other is the start of */
		put(u, word, NOW + i, id, STORE_OK);
	}
	put(u, "full", NOW, id, STORE_CONFLICT);
	put(u, "c03x", NOW, id, STORE_OK); /* one of them again: still fine */
	assert_int_equal(s->push_subscription_list(s, a, u, &rows, &count), STORE_OK);
	assert_int_equal(count, PUSH_SUBSCRIPTIONS_MAX);
	for (int i = 0; i < count; i++)
		assert_int_equal(s->push_subscription_delete(s, u, rows[i].id), STORE_OK);
	arena_free(a);
}

static void test_push_outbox(void **state)
{
	(void)state;
	struct store *s = store_test;
	char u[ID_LEN + 1], early[ID_LEN + 1], late[ID_LEN + 1];
	store_test_id(u);
	put(u, "early", NOW, early, STORE_OK);
	put(u, "late", NOW + 10 * MINUTE, late, STORE_OK);
	int64_t at = NOW + 5 * MINUTE;
	int queued = 0;
	/* only the device subscribed before the occurrence; once, however often it is queued */
	assert_int_equal(s->push_queue(s, u, "prompt", at, at, at, &queued), STORE_OK);
	assert_int_equal(queued, 1);
	assert_int_equal(s->push_queue(s, u, "prompt", at, at, at + MINUTE, &queued), STORE_OK);
	assert_int_equal(queued, 0);

	struct store_push_outbox o, o2;
	assert_int_equal(s->push_outbox_claim(s, at - 1, at + 2 * MINUTE, &o), STORE_NOT_FOUND); /* not due yet */
	assert_int_equal(s->push_outbox_claim(s, at, at + 2 * MINUTE, &o), STORE_OK);
	assert_string_equal(o.subscription_id, early);
	assert_string_equal(o.user_id, u);
	assert_string_equal(o.kind, "prompt");
	assert_int_equal(o.occurrence, at);
	assert_int_equal(o.attempts, 1);
	/* leased: nobody else claims it until the lease runs out */
	assert_int_equal(s->push_outbox_claim(s, at + MINUTE, at + 3 * MINUTE, &o2), STORE_NOT_FOUND);
	assert_int_equal(s->push_outbox_claim(s, at + 2 * MINUTE + 1, at + 4 * MINUTE, &o2), STORE_OK);
	assert_string_equal(o2.id, o.id);
	assert_int_equal(o2.attempts, 2);
	/* a retry waits for its time; done, it never comes again */
	assert_int_equal(s->push_outbox_retry(s, o.id, at + 10 * MINUTE, "the push service answered 500"), STORE_OK);
	assert_int_equal(s->push_outbox_claim(s, at + 9 * MINUTE, at + 11 * MINUTE, &o2), STORE_NOT_FOUND);
	assert_int_equal(s->push_outbox_claim(s, at + 10 * MINUTE, at + 12 * MINUTE, &o2), STORE_OK);
	assert_int_equal(o2.attempts, 3);
	assert_int_equal(s->push_outbox_done(s, o.id, at + 10 * MINUTE), STORE_OK);
	assert_int_equal(s->push_outbox_claim(s, at + 60 * MINUTE, at + 62 * MINUTE, &o2), STORE_NOT_FOUND);
	/* done, it stays to keep the occurrence from being queued again */
	assert_int_equal(s->push_queue(s, u, "prompt", at, at, at + 2 * MINUTE, &queued), STORE_OK);
	assert_int_equal(queued, 0);

	/* removing a device takes what is queued for it */
	int64_t next = NOW + 20 * MINUTE;
	assert_int_equal(s->push_queue(s, u, "checkin", next, next, next, &queued), STORE_OK);
	assert_int_equal(queued, 2);
	assert_int_equal(s->push_subscription_delete(s, u, late), STORE_OK);
	assert_int_equal(s->push_outbox_claim(s, next, next + 2 * MINUTE, &o), STORE_OK);
	assert_string_equal(o.subscription_id, early);
	assert_int_equal(s->push_outbox_done(s, o.id, next), STORE_OK);
	assert_int_equal(s->push_outbox_claim(s, next, next + 2 * MINUTE, &o), STORE_NOT_FOUND);
	assert_int_equal(s->push_subscription_delete(s, u, early), STORE_OK);
}

/* Quiet hours hold a claimed message: it waits until their end, and the claim is not counted. */
static void test_push_outbox_hold(void **state)
{
	(void)state;
	struct store *s = store_test;
	char u[ID_LEN + 1], dev[ID_LEN + 1];
	store_test_id(u);
	put(u, "hold", NOW, dev, STORE_OK);
	int64_t at = NOW + 30 * MINUTE, until = at + 90 * MINUTE;
	int queued = 0;
	assert_int_equal(s->push_queue(s, u, "checkin", at, at, at, &queued), STORE_OK);
	struct store_push_outbox o, o2;
	assert_int_equal(s->push_outbox_claim(s, at, at + 2 * MINUTE, &o), STORE_OK);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(s->push_outbox_hold(s, o.id, until), STORE_OK);
	/* no lease left, but not due before the window's end */
	assert_int_equal(s->push_outbox_claim(s, at + MINUTE, at + 3 * MINUTE, &o2), STORE_NOT_FOUND);
	assert_int_equal(s->push_outbox_claim(s, until - 1, until + MINUTE, &o2), STORE_NOT_FOUND);
	assert_int_equal(s->push_outbox_claim(s, until, until + 2 * MINUTE, &o2), STORE_OK);
	assert_string_equal(o2.id, o.id);
	assert_int_equal(o2.due_at, until);
	assert_int_equal(o2.attempts, 1); /* the held claim did not count */
	assert_int_equal(s->push_outbox_done(s, o.id, until), STORE_OK);
	assert_int_equal(s->push_outbox_hold(s, "00000000000000000000000000000000", until), STORE_NOT_FOUND);
	assert_int_equal(s->push_subscription_delete(s, u, dev), STORE_OK);
}

/* A notice by push: a row for each device, once per thing, one of a kind waiting at a time, an hour apart. */
static void test_push_notice_queue(void **state)
{
	(void)state;
	struct store *s = store_test;
	char u[ID_LEN + 1], phone[ID_LEN + 1], laptop[ID_LEN + 1], id[ID_LEN + 1];
	store_test_id(u);
	put(u, "nphone", NOW, phone, STORE_OK);
	put(u, "nlaptop", NOW, laptop, STORE_OK);
	int64_t t = NOW + MINUTE, hour = 60 * MINUTE;
	bool queued = false;
	store_test_id(id);
	assert_int_equal(s->notice_queue(s, id, u, "notice_checkin", "checkin:a", false, true, t, hour, &queued),
	                 STORE_OK);
	assert_true(queued);
	/* the same thing again: logged once, nothing more */
	store_test_id(id);
	assert_int_equal(s->notice_queue(s, id, u, "notice_checkin", "checkin:a", false, true, t, hour, &queued),
	                 STORE_OK);
	assert_false(queued);
	/* another thing while one waits: the waiting one tells of it */
	store_test_id(id);
	assert_int_equal(s->notice_queue(s, id, u, "notice_checkin", "checkin:b", false, true, t, hour, &queued),
	                 STORE_OK);
	assert_false(queued);
	struct store_push_outbox o[2], extra;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(s->push_outbox_claim(s, t, t + 2 * MINUTE, &o[i]), STORE_OK);
		assert_string_equal(o[i].kind, "notice_checkin");
		assert_string_equal(o[i].user_id, u);
	}
	assert_string_not_equal(o[0].subscription_id, o[1].subscription_id);
	assert_int_equal(s->push_outbox_claim(s, t, t + 2 * MINUTE, &extra), STORE_NOT_FOUND);
	for (int i = 0; i < 2; i++)
		assert_int_equal(s->push_outbox_done(s, o[i].id, t + 10), STORE_OK);
	/* within the hour after they went out: due at its end */
	store_test_id(id);
	assert_int_equal(
	    s->notice_queue(s, id, u, "notice_checkin", "checkin:c", false, true, t + MINUTE, hour, &queued), STORE_OK);
	assert_true(queued);
	assert_int_equal(s->push_outbox_claim(s, t + 10 + hour - 1, t + 2 * hour, &extra), STORE_NOT_FOUND);
	assert_int_equal(s->push_outbox_claim(s, t + 10 + hour, t + 2 * hour, &extra), STORE_OK);
	assert_int_equal(extra.occurrence, t + 10 + hour);
	assert_int_equal(s->push_subscription_delete(s, u, phone), STORE_OK);
	assert_int_equal(s->push_subscription_delete(s, u, laptop), STORE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_push_subscriptions),
	    cmocka_unit_test(test_push_outbox),
	    cmocka_unit_test(test_push_outbox_hold),
	    cmocka_unit_test(test_push_notice_queue),
	};
	return STORE_TEST_MAIN("test_push", tests);
}
