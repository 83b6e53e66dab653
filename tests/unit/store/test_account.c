/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_account.c - unit tests for users, sessions and failure counters in
 * the store (src/store/account.c) on both databases: a taken username, not
 * found, a session's viewer (alone and with a space and partner), expiry and
 * the idle limit, touch, logout of one session and of all, and the counters
 * with their window and oldest entry.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define HOUR (3600LL * 1000)

static struct store_user user_new(const char *name)
{
	struct store_user u = {0};
	store_test_id(u.id);
	/* Usernames are unique per database: a part of the id keeps them apart between tests. */
	snprintf(u.username, sizeof u.username, "%s_%.8s", name, u.id);
	snprintf(u.display_name, sizeof u.display_name, "%s Ü", name);
	snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$fake");
	snprintf(u.role, sizeof u.role, "member");
	u.created_at = 1234;
	return u;
}

/* A session as a login before issue 10 made one: its own idle limit long, so the caller's limit decides. */
static enum store_status session_add(struct store *s, const char *token_hash, const char *user_id, int64_t now,
                                     int64_t expires_at)
{
	struct store_session ss = {0};
	store_test_id(ss.id);
	snprintf(ss.token_hash, sizeof ss.token_hash, "%s", token_hash);
	snprintf(ss.user_id, sizeof ss.user_id, "%s", user_id);
	ss.created_at = ss.last_seen_at = ss.auth_at = now;
	ss.expires_at = expires_at;
	ss.idle_ms = 1000 * HOUR;
	return s->session_insert(s, &ss);
}

static void test_users(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user u = user_new("ann"), got;
	assert_int_equal(s->user_insert(s, &u), STORE_OK);
	assert_int_equal(s->user_by_username(s, u.username, &got), STORE_OK);
	assert_string_equal(got.id, u.id);
	assert_string_equal(got.display_name, u.display_name);
	assert_string_equal(got.password_hash, u.password_hash);
	assert_string_equal(got.role, "member");
	assert_true(got.created_at == 1234);

	struct store_user same = user_new("ann");
	snprintf(same.username, sizeof same.username, "%s", u.username);
	assert_int_equal(s->user_insert(s, &same), STORE_CONFLICT);
	assert_int_equal(s->user_by_username(s, "nobody-at-all", &got), STORE_NOT_FOUND);
}

static void test_sessions(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user u = user_new("ben");
	assert_int_equal(s->user_insert(s, &u), STORE_OK);
	char token[ID_LEN + 1], other[ID_LEN + 1];
	store_test_id(token);
	store_test_id(other);
	int64_t now = 100 * HOUR;
	assert_int_equal(session_add(s, token, u.id, now, now + 24 * HOUR), STORE_OK);
	assert_int_equal(session_add(s, other, u.id, now, now + 24 * HOUR), STORE_OK);
	assert_int_equal(session_add(s, token, u.id, now, now + 24 * HOUR), STORE_CONFLICT);

	struct viewer v;
	assert_int_equal(s->session_viewer(s, token, now + 1, HOUR, &v), STORE_OK);
	assert_string_equal(v.user_id, u.id);
	assert_string_equal(v.username, u.username);
	assert_string_equal(v.space_id, "");
	assert_string_equal(v.partner_id, "");
	assert_string_equal(v.time_zone, "UTC");
	assert_string_equal(v.session_hash, token);
	assert_true(v.session_last_seen == now);

	/* Idle longer than the limit: gone, until touched. */
	assert_int_equal(s->session_viewer(s, token, now + 2 * HOUR, HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(s->session_touch(s, token, now + HOUR + 1), STORE_OK);
	assert_int_equal(s->session_viewer(s, token, now + 2 * HOUR, HOUR, &v), STORE_OK);
	/* Past its expiry: gone whatever the idle limit. */
	assert_int_equal(s->session_viewer(s, token, now + 25 * HOUR, 100 * HOUR, &v), STORE_NOT_FOUND);

	assert_int_equal(s->session_delete(s, token), STORE_OK);
	assert_int_equal(s->session_viewer(s, token, now + 1, HOUR, &v), STORE_NOT_FOUND);
	assert_int_equal(s->session_viewer(s, other, now + 1, HOUR, &v), STORE_OK);
	assert_int_equal(s->session_delete_user(s, u.id), STORE_OK);
	assert_int_equal(s->session_viewer(s, other, now + 1, HOUR, &v), STORE_NOT_FOUND);
}

static void test_viewer_with_partner(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user a = user_new("cat"), b = user_new("dan");
	assert_int_equal(s->user_insert(s, &a), STORE_OK);
	assert_int_equal(s->user_insert(s, &b), STORE_OK);
	char space[ID_LEN + 1], code[ID_LEN + 1], token[ID_LEN + 1], joined[ID_LEN + 1];
	store_test_id(space);
	store_test_id(code);
	store_test_id(token);
	int64_t now = 200 * HOUR;
	assert_int_equal(s->space_create(s, space, a.id, "Europe/Berlin", now), STORE_OK);
	assert_int_equal(s->invite_insert(s, space, store_test_new_id(), code, a.id, now, now + HOUR), STORE_OK);
	enum join_result jr;
	assert_int_equal(s->space_join(s, code, b.id, now, &jr, joined), STORE_OK);
	assert_int_equal(jr, JOIN_OK);
	assert_int_equal(session_add(s, token, a.id, now, now + HOUR), STORE_OK);
	struct viewer v;
	assert_int_equal(s->session_viewer(s, token, now, HOUR, &v), STORE_OK);
	assert_string_equal(v.space_id, space);
	assert_string_equal(v.partner_id, b.id);
	assert_string_equal(v.partner_name, b.display_name);
	assert_string_equal(v.time_zone, "Europe/Berlin");
}

static void test_failures(void **state)
{
	(void)state;
	struct store *s = store_test;
	char key[64];
	char id[ID_LEN + 1];
	store_test_id(id);
	snprintf(key, sizeof key, "login-user:%s", id);
	int count = -1;
	int64_t oldest = -1;
	assert_int_equal(s->failure_count(s, key, 0, &count, &oldest), STORE_OK);
	assert_int_equal(count, 0);
	assert_true(oldest == 0);
	for (int64_t at = 1000; at <= 5000; at += 1000)
		assert_int_equal(s->failure_add(s, key, at), STORE_OK);
	assert_int_equal(s->failure_count(s, key, 2000, &count, &oldest), STORE_OK);
	assert_int_equal(count, 3); /* strictly after 2000 */
	assert_true(oldest == 3000);
	assert_int_equal(s->failure_clear(s, key), STORE_OK);
	assert_int_equal(s->failure_count(s, key, 0, &count, &oldest), STORE_OK);
	assert_int_equal(count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_users),
	    cmocka_unit_test(test_sessions),
	    cmocka_unit_test(test_viewer_with_partner),
	    cmocka_unit_test(test_failures),
	};
	return STORE_TEST_MAIN("test_account", tests);
}
