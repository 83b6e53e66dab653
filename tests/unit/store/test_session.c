/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_session.c - unit tests for src/store/session.c on both databases:
 * a session's own idle limit and freshness time read back with the viewer,
 * the list (live ones only, newest first, the cursor, another user's never),
 * ending one (only the owner's), ending all others, reauth, and a password
 * change that ends the other sessions in the same transaction.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define HOUR (3600LL * 1000)

/* A session of user at `at`, unused for `idle` at most, until `at + life`. */
static struct store_session session_new(const struct store_user *u, int64_t at, int64_t idle, int64_t life,
                                        const char *client)
{
	struct store_session ss = {0};
	store_test_id(ss.id);
	store_test_id(ss.token_hash); /* any unique text stands in for a hash here */
	snprintf(ss.user_id, sizeof ss.user_id, "%s", u->id);
	snprintf(ss.client, sizeof ss.client, "%s", client);
	ss.created_at = ss.last_seen_at = ss.auth_at = at;
	ss.idle_ms = idle;
	ss.expires_at = at + life;
	assert_int_equal(store_test->session_insert(store_test, &ss), STORE_OK);
	return ss;
}

static void test_viewer_idle_and_auth(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user u = store_test_user("vi", "member");
	int64_t now = 1000 * HOUR;
	struct store_session ss = session_new(&u, now, 12 * HOUR, 720 * HOUR, "Firefox on Linux");
	struct viewer v;
	assert_int_equal(s->session_viewer(s, ss.token_hash, now + HOUR, 720 * HOUR, &v), STORE_OK);
	assert_string_equal(v.session_id, ss.id);
	assert_true(v.session_auth_at == now);
	/* Its own idle limit counts even when the caller's is longer. */
	assert_int_equal(s->session_viewer(s, ss.token_hash, now + 13 * HOUR, 720 * HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(s->session_touch(s, ss.token_hash, now + 12 * HOUR - 1), STORE_OK);
	assert_int_equal(s->session_viewer(s, ss.token_hash, now + 13 * HOUR, 720 * HOUR, &v), STORE_OK);

	assert_int_equal(s->session_reauth(s, ss.token_hash, now + 5 * HOUR), STORE_OK);
	assert_int_equal(s->session_viewer(s, ss.token_hash, now + 13 * HOUR, 720 * HOUR, &v), STORE_OK);
	assert_true(v.session_auth_at == now + 5 * HOUR);
	assert_int_equal(s->session_reauth(s, "no-such-token", now), STORE_NOT_FOUND);

	struct store_session same = ss;
	store_test_id(same.id);
	assert_int_equal(s->session_insert(s, &same), STORE_CONFLICT); /* the token hash is taken */
	same = ss;
	store_test_id(same.token_hash);
	assert_int_equal(s->session_insert(s, &same), STORE_CONFLICT); /* the id is taken */
}

static void test_list(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user u = store_test_user("li", "member"), other = store_test_user("lo", "member");
	int64_t now = 2000 * HOUR;
	struct store_session a = session_new(&u, now - 3 * HOUR, 12 * HOUR, 720 * HOUR, "A");
	struct store_session b = session_new(&u, now - 2 * HOUR, 12 * HOUR, 720 * HOUR, "B");
	struct store_session c = session_new(&u, now - HOUR, 12 * HOUR, 720 * HOUR, "C");
	session_new(&u, now - 20 * HOUR, 12 * HOUR, 720 * HOUR, "idle too long");
	session_new(&u, now - 30 * HOUR, 720 * HOUR, 24 * HOUR, "over its end");
	session_new(&other, now - HOUR, 12 * HOUR, 720 * HOUR, "someone else's");

	struct arena *ar = arena_new();
	struct store_session *items;
	int count = 0;
	assert_int_equal(s->session_list(s, ar, u.id, now, 0, NULL, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 3);
	assert_string_equal(items[0].id, c.id);
	assert_string_equal(items[1].id, b.id);
	assert_string_equal(items[2].id, a.id);
	assert_string_equal(items[0].client, "C");
	assert_string_equal(items[0].token_hash, c.token_hash);
	assert_true(items[0].idle_ms == 12 * HOUR && items[0].expires_at == c.expires_at);

	/* After a cursor: strictly older. */
	assert_int_equal(s->session_list(s, ar, u.id, now, b.created_at, b.id, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].id, a.id);
	assert_int_equal(s->session_list(s, ar, u.id, now, 0, NULL, 2, &items, &count), STORE_OK);
	assert_int_equal(count, 2);
	arena_free(ar);
}

static void test_end(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user u = store_test_user("en", "member"), other = store_test_user("eo", "member");
	int64_t now = 3000 * HOUR;
	struct store_session a = session_new(&u, now, 12 * HOUR, 720 * HOUR, "A");
	struct store_session b = session_new(&u, now, 12 * HOUR, 720 * HOUR, "B");
	struct store_session c = session_new(&u, now, 12 * HOUR, 720 * HOUR, "C");
	struct store_session theirs = session_new(&other, now, 12 * HOUR, 720 * HOUR, "D");
	struct viewer v;

	assert_int_equal(s->session_end(s, u.id, theirs.id), STORE_NOT_FOUND);
	assert_int_equal(s->session_viewer(s, theirs.token_hash, now, HOUR, &v), STORE_OK);
	assert_int_equal(s->session_end(s, u.id, a.id), STORE_OK);
	assert_int_equal(s->session_viewer(s, a.token_hash, now, HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(s->session_end(s, u.id, a.id), STORE_NOT_FOUND);

	assert_int_equal(s->session_end_others(s, u.id, b.token_hash), STORE_OK);
	assert_int_equal(s->session_viewer(s, b.token_hash, now, HOUR, &v), STORE_OK);
	assert_int_equal(s->session_viewer(s, c.token_hash, now, HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(s->session_viewer(s, theirs.token_hash, now, HOUR, &v), STORE_OK);
}

static void test_password_set(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user u = store_test_user("pw", "member"), other = store_test_user("po", "member");
	int64_t now = 4000 * HOUR;
	struct store_session keep = session_new(&u, now, 12 * HOUR, 720 * HOUR, "keep");
	struct store_session gone = session_new(&u, now, 12 * HOUR, 720 * HOUR, "gone");
	struct store_session theirs = session_new(&other, now, 12 * HOUR, 720 * HOUR, "theirs");
	struct viewer v;
	struct store_user got;

	assert_int_equal(s->user_password_set(s, u.id, "$argon2id$new", keep.token_hash), STORE_OK);
	assert_int_equal(s->user_by_id(s, u.id, &got), STORE_OK);
	assert_string_equal(got.password_hash, "$argon2id$new");
	assert_int_equal(s->session_viewer(s, keep.token_hash, now, HOUR, &v), STORE_OK);
	assert_int_equal(s->session_viewer(s, gone.token_hash, now, HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(s->session_viewer(s, theirs.token_hash, now, HOUR, &v), STORE_OK);
	assert_int_equal(s->user_by_id(s, other.id, &got), STORE_OK);
	assert_string_equal(got.password_hash, STORE_TEST_PASSWORD_HASH); /* untouched */

	/* "" keeps none; an unknown user changes nothing and ends nothing. */
	assert_int_equal(s->user_password_set(s, u.id, "$argon2id$cli", ""), STORE_OK);
	assert_int_equal(s->session_viewer(s, keep.token_hash, now, HOUR, &v), STORE_NOT_FOUND);
	char nobody[ID_LEN + 1];
	store_test_id(nobody);
	assert_int_equal(s->user_password_set(s, nobody, "$argon2id$x", ""), STORE_NOT_FOUND);
	assert_int_equal(s->session_viewer(s, theirs.token_hash, now, HOUR, &v), STORE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_viewer_idle_and_auth),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_end),
	    cmocka_unit_test(test_password_set),
	};
	return STORE_TEST_MAIN("test_session", tests);
}
