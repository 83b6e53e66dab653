/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_profile.c - unit tests for src/store/profile.c on both databases: a
 * person's name and own time zone, each changed alone or together, read back
 * through the viewer of a session; NULL fields untouched; "" for the space's
 * zone; an unknown user changes nothing (STORE_NOT_FOUND), and a change of
 * one person never touches another.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define HOUR (3600LL * 1000)

/* A live session of u; its token hash names it. */
static struct store_session session_of(const struct store_user *u)
{
	struct store_session ss = {0};
	store_test_id(ss.id);
	store_test_id(ss.token_hash);
	snprintf(ss.user_id, sizeof ss.user_id, "%s", u->id);
	ss.created_at = ss.last_seen_at = ss.auth_at = 1000 * HOUR;
	ss.idle_ms = 24 * HOUR;
	ss.expires_at = 2000 * HOUR;
	assert_int_equal(store_test->session_insert(store_test, &ss), STORE_OK);
	return ss;
}

static struct viewer viewer_of(const struct store_session *ss)
{
	struct viewer v;
	assert_int_equal(store_test->session_viewer(store_test, ss->token_hash, 1000 * HOUR, 24 * HOUR, &v), STORE_OK);
	return v;
}

static void test_profile_set(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct store_user u = store_test_user("pa", "member"), other = store_test_user("pb", "member");
	struct store_session ss = session_of(&u), os = session_of(&other);
	struct viewer v = viewer_of(&ss);
	assert_string_equal(v.own_time_zone, "");
	assert_string_equal(v.time_zone, "UTC");

	struct store_profile both = {.display_name = "Ana María", .time_zone = "Europe/Lisbon"};
	assert_int_equal(s->user_profile_set(s, u.id, &both), STORE_OK);
	v = viewer_of(&ss);
	assert_string_equal(v.display_name, "Ana María");
	assert_string_equal(v.own_time_zone, "Europe/Lisbon");

	struct store_profile zone_only = {.time_zone = "Asia/Tokyo"};
	assert_int_equal(s->user_profile_set(s, u.id, &zone_only), STORE_OK);
	v = viewer_of(&ss);
	assert_string_equal(v.display_name, "Ana María");
	assert_string_equal(v.own_time_zone, "Asia/Tokyo");

	struct store_profile name_only = {.display_name = "Ana"};
	assert_int_equal(s->user_profile_set(s, u.id, &name_only), STORE_OK);
	v = viewer_of(&ss);
	assert_string_equal(v.display_name, "Ana");
	assert_string_equal(v.own_time_zone, "Asia/Tokyo");

	struct store_profile back = {.time_zone = ""};
	assert_int_equal(s->user_profile_set(s, u.id, &back), STORE_OK);
	assert_string_equal(viewer_of(&ss).own_time_zone, "");

	/* nothing to change is no change, and no error */
	struct store_profile nothing = {0};
	assert_int_equal(s->user_profile_set(s, u.id, &nothing), STORE_OK);
	assert_string_equal(viewer_of(&ss).display_name, "Ana");

	/* another person is untouched; an unknown one is not found */
	struct viewer ov = viewer_of(&os);
	assert_string_equal(ov.display_name, "pb");
	assert_string_equal(ov.own_time_zone, "");
	char nobody[ID_LEN + 1];
	store_test_id(nobody);
	assert_int_equal(s->user_profile_set(s, nobody, &both), STORE_NOT_FOUND);
}

/* The bio is kept in its own table, in the same transaction as the users row. */
static void test_profile_bio(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct store_user u = store_test_user("pc", "member");
	struct store_session ss = session_of(&u);
	char *bio = NULL;
	assert_int_equal(s->profile_bio_get(s, a, u.id, &bio), STORE_NOT_FOUND);

	struct store_profile name_and_bio = {.display_name = "Cleo", .bio = "v1:sealed-bio", .bio_at = 1000};
	assert_int_equal(s->user_profile_set(s, u.id, &name_and_bio), STORE_OK);
	assert_string_equal(viewer_of(&ss).display_name, "Cleo");
	assert_int_equal(s->profile_bio_get(s, a, u.id, &bio), STORE_OK);
	assert_string_equal(bio, "v1:sealed-bio");

	struct store_profile bio_only = {.bio = "", .bio_at = 2000};
	assert_int_equal(s->user_profile_set(s, u.id, &bio_only), STORE_OK);
	assert_int_equal(s->profile_bio_get(s, a, u.id, &bio), STORE_OK);
	assert_string_equal(bio, "");
	assert_string_equal(viewer_of(&ss).display_name, "Cleo");

	/* an unknown person: the users row is not found, so no bio is written either */
	char nobody[ID_LEN + 1];
	store_test_id(nobody);
	assert_int_equal(s->user_profile_set(s, nobody, &name_and_bio), STORE_NOT_FOUND);
	assert_int_equal(s->profile_bio_get(s, a, nobody, &bio), STORE_NOT_FOUND);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_profile_set),
	    cmocka_unit_test(test_profile_bio),
	};
	return STORE_TEST_MAIN("test_profile", tests);
}
