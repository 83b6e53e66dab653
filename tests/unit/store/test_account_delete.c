/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_account_delete.c - store tests for deleting an account and reading a
 * user by id (src/store/account.c), run against SQLite and, when
 * HEARTH_TEST_PG_URL is set, PostgreSQL: the person's own rows go, the texts
 * they wrote into what stays with the partner are emptied, the partner's
 * rows stay, and the user is gone.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

static void user_add(struct store *s, const char *id)
{
	struct store_user u = {.created_at = 1000};
	snprintf(u.id, sizeof u.id, "%s", id);
	snprintf(u.username, sizeof u.username, "u%.20s", id);
	snprintf(u.display_name, sizeof u.display_name, "Someone");
	snprintf(u.role, sizeof u.role, "member");
	snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$not-a-real-hash");
	assert_int_equal(s->user_insert(s, &u), STORE_OK);
}

static struct store_agreement agreement(const char *scope, const char *author)
{
	struct store_agreement g = {.review_every_days = 7, .created_at = 1000};
	store_test_id(g.id);
	snprintf(g.space_id, sizeof g.space_id, "%s", scope);
	snprintf(g.author_id, sizeof g.author_id, "%s", author);
	g.text = "sealed:words";
	snprintf(g.next_review_on, sizeof g.next_review_on, "2026-01-08");
	snprintf(g.status, sizeof g.status, "active");
	return g;
}

static void test_user_by_id(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char me[ID_LEN + 1];
	store_test_id(me);
	struct store_user u;
	assert_int_equal(s->user_by_id(s, me, &u), STORE_NOT_FOUND);
	user_add(s, me);
	assert_int_equal(s->user_by_id(s, me, &u), STORE_OK);
	assert_string_equal(u.id, me);
	assert_string_equal(u.display_name, "Someone");
	assert_string_equal(u.role, "member");
	assert_string_equal(u.password_hash, "$argon2id$not-a-real-hash");
	assert_int_equal(u.created_at, 1000);
	arena_free(a);
}

static void test_delete(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], me[ID_LEN + 1], partner[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	store_test_id(partner);
	user_add(s, me);
	user_add(s, partner);
	/* Mine in the shared space (stays, emptied), mine alone (goes), the partner's (stays). */
	struct store_agreement shared = agreement(space, me), alone = agreement(me, me),
	                       theirs = agreement(space, partner);
	assert_int_equal(s->agreement_insert(s, &shared), STORE_OK);
	assert_int_equal(s->agreement_insert(s, &alone), STORE_OK);
	assert_int_equal(s->agreement_insert(s, &theirs), STORE_OK);
	struct store_review rv = {.created_at = 2000, .note = "sealed:mine"};
	store_test_id(rv.id);
	snprintf(rv.space_id, sizeof rv.space_id, "%s", space);
	snprintf(rv.agreement_id, sizeof rv.agreement_id, "%s", theirs.id);
	snprintf(rv.author_id, sizeof rv.author_id, "%s", me);
	snprintf(rv.outcome, sizeof rv.outcome, "kept");
	assert_int_equal(s->review_insert(s, &rv, "2026-01-15"), STORE_OK);
	struct store_checkin mine = store_test_checkin(space, me, "shared", 1000),
	                     kept = store_test_checkin(space, partner, "shared", 1000);
	assert_int_equal(s->checkin_insert(s, &mine), STORE_OK);
	assert_int_equal(s->checkin_insert(s, &kept), STORE_OK);

	assert_int_equal(s->user_delete(s, me), STORE_OK);

	struct store_user u;
	assert_int_equal(s->user_by_id(s, me, &u), STORE_NOT_FOUND);
	assert_int_equal(s->user_by_id(s, partner, &u), STORE_OK);
	struct store_agreement got;
	assert_int_equal(s->agreement_get(s, a, shared.id, space, partner, &got), STORE_OK);
	assert_string_equal(got.text, "");
	assert_int_equal(s->agreement_get(s, a, alone.id, "", me, &got), STORE_NOT_FOUND);
	assert_int_equal(s->agreement_get(s, a, theirs.id, space, partner, &got), STORE_OK);
	assert_string_equal(got.text, "sealed:words");
	struct store_review *reviews;
	int count;
	assert_int_equal(s->review_list(s, a, space, theirs.id, 10, &reviews, &count), STORE_OK);
	assert_int_equal(count, 0);
	struct store_point *points;
	assert_int_equal(s->checkin_points(s, a, me, "", false, 0, INT64_MAX, &points, &count), STORE_OK);
	assert_int_equal(count, 0);
	assert_int_equal(s->checkin_points(s, a, partner, "", false, 0, INT64_MAX, &points, &count), STORE_OK);
	assert_int_equal(count, 1);

	/* Deleting someone who is not there is no error: nothing was left. */
	assert_int_equal(s->user_delete(s, me), STORE_OK);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_user_by_id),
	    cmocka_unit_test(test_delete),
	};
	return STORE_TEST_MAIN("test_account_delete", tests);
}
