/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_session.c - unit tests for src/store/session.c on both databases:
 * a session's own idle limit and freshness time read back with the viewer,
 * the list (live ones only, newest first, the cursor, another user's never),
 * ending one (only the owner's), ending all others, reauth, and a password
 * change that ends the other sessions in the same transaction. Every
 * viewer is also read with session_check, which must find the same
 * sessions and agree on the fields it fills, and whose change counters
 * move with a partner's rename, one's own settings and a partner leaving;
 * a check-in moves the counters of what is read, not those of who reads.
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

/*
 * The viewer of a session, read both ways: session_check (what a request reads when the rest of
 * the viewer is kept) must find the same sessions as session_viewer and agree on every field it fills.
 */
static enum store_status viewer_read(struct store *s, const char *token_hash, int64_t now, int64_t idle,
                                     struct viewer *v)
{
	struct viewer checked;
	enum store_status st = s->session_viewer(s, token_hash, now, idle, v);
	assert_int_equal(s->session_check(s, token_hash, now, idle, &checked), st);
	if (st != STORE_OK)
		return st;
	assert_string_equal(checked.user_id, v->user_id);
	assert_string_equal(checked.space_id, v->space_id);
	assert_string_equal(checked.session_id, v->session_id);
	assert_string_equal(checked.session_hash, v->session_hash);
	assert_true(checked.session_last_seen == v->session_last_seen);
	assert_true(checked.session_auth_at == v->session_auth_at);
	assert_true(checked.changes_space == v->changes_space);
	assert_true(checked.changes_own == v->changes_own);
	assert_true(checked.who_space == v->who_space);
	assert_true(checked.who_own == v->who_own);
	assert_string_equal(checked.username, ""); /* the rest is the viewer's, not the check's */
	assert_string_equal(checked.partner_id, "");
	return st;
}

static void test_viewer_idle_and_auth(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user u = store_test_user("vi", "member");
	int64_t now = 1000 * HOUR;
	struct store_session ss = session_new(&u, now, 12 * HOUR, 720 * HOUR, "Firefox on Linux");
	struct viewer v;
	assert_int_equal(viewer_read(s, ss.token_hash, now + HOUR, 720 * HOUR, &v), STORE_OK);
	assert_string_equal(v.session_id, ss.id);
	assert_true(v.session_auth_at == now);
	/* Its own idle limit counts even when the caller's is longer. */
	assert_int_equal(viewer_read(s, ss.token_hash, now + 13 * HOUR, 720 * HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(s->session_touch(s, ss.token_hash, now + 12 * HOUR - 1), STORE_OK);
	assert_int_equal(viewer_read(s, ss.token_hash, now + 13 * HOUR, 720 * HOUR, &v), STORE_OK);

	assert_int_equal(s->session_reauth(s, ss.token_hash, now + 5 * HOUR), STORE_OK);
	assert_int_equal(viewer_read(s, ss.token_hash, now + 13 * HOUR, 720 * HOUR, &v), STORE_OK);
	assert_true(v.session_auth_at == now + 5 * HOUR);
	assert_int_equal(s->session_reauth(s, "no-such-token", now), STORE_NOT_FOUND);

	struct store_session same = ss;
	store_test_id(same.id);
	assert_int_equal(s->session_insert(s, &same), STORE_CONFLICT); /* the token hash is taken */
	same = ss;
	store_test_id(same.token_hash);
	assert_int_equal(s->session_insert(s, &same), STORE_CONFLICT); /* the id is taken */
}

/*
 * What the check reads moves with every change to the rest of the viewer: a partner's name, one's
 * own settings, the partner leaving. A viewer kept by these counters (domain/account.c) is then
 * read again.
 */
static void test_check_follows_the_viewer(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user a = store_test_user("ca", "member"), b = store_test_user("cb", "member");
	int64_t now = 1500 * HOUR;
	char space[ID_LEN + 1];
	store_test_space_of(a.id, b.id, now, now, space);
	struct store_session ss = session_new(&a, now, 12 * HOUR, 720 * HOUR, "A");
	struct viewer v, before;
	assert_int_equal(viewer_read(s, ss.token_hash, now, HOUR, &before), STORE_OK);
	assert_string_equal(before.space_id, space);
	assert_string_equal(before.partner_id, b.id);

	struct store_profile renamed = {.display_name = "Bea"};
	assert_int_equal(s->user_profile_set(s, b.id, &renamed), STORE_OK);
	assert_int_equal(viewer_read(s, ss.token_hash, now, HOUR, &v), STORE_OK);
	assert_true(v.changes_space > before.changes_space);
	assert_true(v.who_space > before.who_space);
	assert_true(v.who_own == before.who_own); /* the partner's row, not mine */
	assert_string_equal(v.partner_name, "Bea");
	before = v;

	/* What either of them writes changes what they read, not who they are. */
	struct store_checkin c = store_test_checkin(space, b.id, "partner", now);
	assert_int_equal(s->checkin_insert(s, &c), STORE_OK);
	c = store_test_checkin(space, a.id, "private", now);
	assert_int_equal(s->checkin_insert(s, &c), STORE_OK);
	assert_int_equal(viewer_read(s, ss.token_hash, now, HOUR, &v), STORE_OK);
	assert_true(v.changes_space > before.changes_space);
	assert_true(v.changes_own > before.changes_own);
	assert_true(v.who_space == before.who_space);
	assert_true(v.who_own == before.who_own);
	before = v;

	struct store_settings settings;
	assert_int_equal(s->settings_get(s, a.id, &settings), STORE_OK);
	settings.quick_exit_signs_out = !settings.quick_exit_signs_out;
	assert_int_equal(s->settings_set(s, a.id, &settings), STORE_OK);
	assert_int_equal(viewer_read(s, ss.token_hash, now, HOUR, &v), STORE_OK);
	assert_true(v.changes_own > before.changes_own);
	assert_true(v.who_own > before.who_own);
	assert_true(v.quick_exit_signs_out == settings.quick_exit_signs_out);
	before = v;

	assert_int_equal(s->space_leave(s, space, b.id), STORE_OK);
	assert_int_equal(viewer_read(s, ss.token_hash, now, HOUR, &v), STORE_OK);
	assert_true(v.changes_space > before.changes_space);
	assert_true(v.who_space > before.who_space);
	assert_string_equal(v.partner_id, "");
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
	assert_int_equal(viewer_read(s, theirs.token_hash, now, HOUR, &v), STORE_OK);
	assert_int_equal(s->session_end(s, u.id, a.id), STORE_OK);
	assert_int_equal(viewer_read(s, a.token_hash, now, HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(s->session_end(s, u.id, a.id), STORE_NOT_FOUND);

	assert_int_equal(s->session_end_others(s, u.id, b.token_hash), STORE_OK);
	assert_int_equal(viewer_read(s, b.token_hash, now, HOUR, &v), STORE_OK);
	assert_int_equal(viewer_read(s, c.token_hash, now, HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(viewer_read(s, theirs.token_hash, now, HOUR, &v), STORE_OK);
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
	assert_int_equal(viewer_read(s, keep.token_hash, now, HOUR, &v), STORE_OK);
	assert_int_equal(viewer_read(s, gone.token_hash, now, HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(viewer_read(s, theirs.token_hash, now, HOUR, &v), STORE_OK);
	assert_int_equal(s->user_by_id(s, other.id, &got), STORE_OK);
	assert_string_equal(got.password_hash, STORE_TEST_PASSWORD_HASH); /* untouched */

	/* "" keeps none; an unknown user changes nothing and ends nothing. */
	assert_int_equal(s->user_password_set(s, u.id, "$argon2id$cli", ""), STORE_OK);
	assert_int_equal(viewer_read(s, keep.token_hash, now, HOUR, &v), STORE_NOT_FOUND);
	char nobody[ID_LEN + 1];
	store_test_id(nobody);
	assert_int_equal(s->user_password_set(s, nobody, "$argon2id$x", ""), STORE_NOT_FOUND);
	assert_int_equal(viewer_read(s, theirs.token_hash, now, HOUR, &v), STORE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_viewer_idle_and_auth),
	    cmocka_unit_test(test_check_follows_the_viewer),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_end),
	    cmocka_unit_test(test_password_set),
	};
	return STORE_TEST_MAIN("test_session", tests);
}
