/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_bridge.c - unit tests for src/store/bridge.c on both databases (issue
 * 13): items kept and changed only by their author; the list's filters
 * (authors, shared with the partner or the therapist, open only); marking
 * talked about only an item shared with the therapist by one of the authors
 * given, keeping the first time; the open count; the author's items in any
 * scope, and those talked about by time; leaving takes the leaver's items
 * along, and the one who stays keeps theirs, shared with no partner.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

static struct store_bridge_item item_new(const char *space, const char *author, const char *text, bool therapist,
                                         bool partner, int64_t at)
{
	struct store_bridge_item it = {0};
	store_test_id(it.id);
	snprintf(it.space_id, sizeof it.space_id, "%s", space);
	snprintf(it.author_id, sizeof it.author_id, "%s", author);
	it.text = (char *)text;
	it.share_with_therapist = therapist;
	it.share_with_partner = partner;
	it.created_at = it.updated_at = at;
	assert_int_equal(store_test->bridge_insert(store_test, &it), STORE_OK);
	return it;
}

static int count_of(const char *space, struct store_bridge_filter f)
{
	struct arena *a = arena_new();
	struct store_bridge_item *rows;
	int n = -1;
	assert_int_equal(store_test->bridge_list(store_test, a, space, &f, 100, &rows, &n), STORE_OK);
	arena_free(a);
	return n;
}

static void test_bridge_items(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct couple c;
	store_test_couple_new(&c, 1000, 2000);
	struct arena *a = arena_new();
	struct store_bridge_item mine = item_new(c.space, c.a, "v1:private", false, false, 3000);
	struct store_bridge_item both = item_new(c.space, c.a, "v1:both", true, true, 4000);
	struct store_bridge_item theirs = item_new(c.space, c.b, "v1:b-therapist", true, false, 5000);

	/* The filters narrow; oldest first. */
	struct store_bridge_item *rows;
	int n = 0;
	struct store_bridge_filter own = {.author_a = c.a, .author_b = "", .open_only = true};
	assert_int_equal(s->bridge_list(s, a, c.space, &own, 100, &rows, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, mine.id);
	assert_string_equal(rows[0].text, "v1:private");
	assert_false(rows[0].share_with_therapist);
	assert_string_equal(rows[1].id, both.id);
	assert_true(rows[1].share_with_therapist && rows[1].share_with_partner);
	assert_int_equal(count_of(c.space, (struct store_bridge_filter){.author_a = c.a, .shared_with_partner = true}),
	                 1);
	assert_int_equal(
	    count_of(c.space,
	             (struct store_bridge_filter){.author_a = c.a, .author_b = c.b, .shared_with_therapist = true}),
	    2);
	assert_int_equal(
	    count_of(c.space, (struct store_bridge_filter){.author_a = c.b, .shared_with_therapist = true}), 1);

	/* Only the author changes or deletes. */
	struct store_bridge_item change = mine;
	change.text = "v1:changed";
	change.share_with_partner = true;
	change.updated_at = 6000;
	snprintf(change.author_id, sizeof change.author_id, "%s", c.b);
	assert_int_equal(s->bridge_update(s, &change), STORE_NOT_FOUND);
	assert_int_equal(s->bridge_delete(s, c.space, mine.id, c.b), STORE_NOT_FOUND);
	snprintf(change.author_id, sizeof change.author_id, "%s", c.a);
	assert_int_equal(s->bridge_update(s, &change), STORE_OK);
	struct store_bridge_item got;
	assert_int_equal(s->bridge_get(s, a, c.space, mine.id, &got), STORE_OK);
	assert_string_equal(got.text, "v1:changed");
	assert_true(got.share_with_partner);
	assert_int_equal(got.created_at, 3000);
	assert_int_equal(got.updated_at, 6000);

	/* Talked about: only shared with the therapist, by an author given; the first time stays. */
	assert_int_equal(s->bridge_mark_talked_about(s, c.space, mine.id, c.a, c.b, 7000), STORE_NOT_FOUND);
	assert_int_equal(s->bridge_mark_talked_about(s, c.space, theirs.id, c.a, "", 7000), STORE_NOT_FOUND);
	assert_int_equal(s->bridge_mark_talked_about(s, c.space, both.id, c.a, "", 7000), STORE_OK);
	assert_int_equal(s->bridge_mark_talked_about(s, c.space, both.id, c.a, "", 8000), STORE_OK);
	assert_int_equal(s->bridge_get(s, a, c.space, both.id, &got), STORE_OK);
	assert_int_equal(got.talked_about_at, 7000);
	int open = -1;
	assert_int_equal(s->bridge_count_open(s, c.space, c.a, &open), STORE_OK);
	assert_int_equal(open, 1);
	assert_int_equal(count_of(c.space, (struct store_bridge_filter){.author_a = c.a, .open_only = true}), 1);

	/* The author's items, newest first; the talked-about ones up to a time. */
	assert_int_equal(s->bridge_by_author(s, a, c.a, false, 0, 100, &rows, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, both.id);
	assert_int_equal(s->bridge_by_author(s, a, c.a, true, 7000, 100, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(s->bridge_by_author(s, a, c.a, true, 6999, 100, &rows, &n), STORE_OK);
	assert_int_equal(n, 0);

	/* Leaving: b's item goes along into b's own scope; a keeps theirs, no longer shared with a partner. */
	assert_int_equal(s->space_leave(s, c.space, c.b), STORE_OK);
	assert_int_equal(count_of(c.space, (struct store_bridge_filter){.author_a = c.b}), 0);
	assert_int_equal(count_of(c.b, (struct store_bridge_filter){.author_a = c.b}), 1);
	assert_int_equal(count_of(c.space, (struct store_bridge_filter){.author_a = c.a}), 2);
	assert_int_equal(count_of(c.space, (struct store_bridge_filter){.author_a = c.a, .shared_with_partner = true}),
	                 0);
	assert_int_equal(
	    count_of(c.space, (struct store_bridge_filter){.author_a = c.a, .shared_with_therapist = true}), 1);

	assert_int_equal(s->bridge_delete(s, c.space, mine.id, c.a), STORE_OK);
	assert_int_equal(s->bridge_get(s, a, c.space, mine.id, &got), STORE_NOT_FOUND);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bridge_items),
	};
	return STORE_TEST_MAIN("test_bridge", tests);
}
