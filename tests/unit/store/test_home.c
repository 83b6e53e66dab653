/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_home.c - what the home page reads and writes in the store
 * (src/store/home.c, and the departure that space.c records in a leave) on
 * SQLite and, under tests/pg/with-postgres.sh, on PostgreSQL: the events of a
 * space for each member (a partner joining, a repair through its states, a
 * partner leaving), dismissals replaced rather than added, and a person's
 * settings with their defaults.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define HOUR (3600LL * 1000)

/* The events of `who` in the couple's space (partner the other), any age. */
static int events(struct arena *a, const struct couple *c, const char *who, struct store_home_event **items)
{
	const char *partner = strcmp(who, c->a) == 0 ? c->b : c->a;
	int n = -1;
	assert_int_equal(store_test->home_events(store_test, a, who, c->space, partner, 0, items, &n), STORE_OK);
	return n;
}

static void test_join_and_repair(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	int64_t now = 1000 * HOUR;
	struct couple c;
	store_test_couple_new(&c, now, now + HOUR); /* A made it, B joined an hour later */
	struct store_home_event *e;
	assert_int_equal(events(a, &c, c.a, &e), 1);
	assert_string_equal(e[0].kind, "partner_joined");
	assert_string_equal(e[0].id, c.b);
	assert_int_equal(e[0].since, now + HOUR);
	assert_int_equal(events(a, &c, c.b, &e), 0); /* B joined after A: nothing to tell B */
	/* Too old to be news: nothing. */
	int n = -1;
	assert_int_equal(s->home_events(s, a, c.a, c.space, c.b, now + 2 * HOUR, &e, &n), STORE_OK);
	assert_int_equal(n, 0);

	/* B opens a repair: A is told; B is not. */
	struct store_repair r = {.created_at = now + 3 * HOUR, .title = "t"};
	store_test_id(r.id);
	snprintf(r.space_id, sizeof r.space_id, "%s", c.space);
	snprintf(r.created_by, sizeof r.created_by, "%s", c.b);
	assert_int_equal(s->repair_insert(s, &r), STORE_OK);
	assert_int_equal(events(a, &c, c.a, &e), 2);
	assert_string_equal(e[0].kind, "repair_opened"); /* newest first */
	assert_string_equal(e[0].id, r.id);
	assert_int_equal(e[0].since, now + 3 * HOUR);
	assert_int_equal(events(a, &c, c.b, &e), 0);

	/* B's draft changes nothing; B's shared side makes it A's turn. */
	struct store_repair_side side = {.feelings = "[]", .perspective = "p", .updated_at = now + 4 * HOUR};
	snprintf(side.repair_id, sizeof side.repair_id, "%s", r.id);
	snprintf(side.space_id, sizeof side.space_id, "%s", c.space);
	snprintf(side.author_id, sizeof side.author_id, "%s", c.b);
	assert_int_equal(s->repair_side_put(s, &side), STORE_OK);
	assert_int_equal(events(a, &c, c.a, &e), 2);
	assert_string_equal(e[0].kind, "repair_opened");
	assert_int_equal(s->repair_side_submit(s, c.space, r.id, c.b, now + 5 * HOUR), STORE_OK);
	assert_int_equal(events(a, &c, c.a, &e), 2);
	assert_string_equal(e[0].kind, "repair_your_turn");
	assert_int_equal(e[0].since, now + 5 * HOUR);

	/* Both shared: revealed for both; then A hears B: B is told, A's card goes. */
	snprintf(side.author_id, sizeof side.author_id, "%s", c.a);
	assert_int_equal(s->repair_side_put(s, &side), STORE_OK);
	assert_int_equal(s->repair_side_submit(s, c.space, r.id, c.a, now + 6 * HOUR), STORE_OK);
	assert_int_equal(events(a, &c, c.a, &e), 2);
	assert_string_equal(e[0].kind, "repair_revealed");
	assert_int_equal(e[0].since, now + 6 * HOUR);
	assert_int_equal(events(a, &c, c.b, &e), 1);
	assert_string_equal(e[0].kind, "repair_revealed");
	assert_int_equal(s->repair_side_acknowledge(s, c.space, r.id, c.a, NULL, now + 7 * HOUR), STORE_OK);
	assert_int_equal(events(a, &c, c.a, &e), 1);
	assert_string_equal(e[0].kind, "partner_joined");
	assert_int_equal(events(a, &c, c.b, &e), 2);
	assert_string_equal(e[0].kind, "acknowledged");
	assert_string_equal(e[0].ref, "repair");
	assert_int_equal(e[0].since, now + 7 * HOUR);
	assert_string_equal(e[1].kind, "repair_revealed");
	arena_free(a);
}

static void test_leave_is_recorded_for_who_stays(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	struct couple c;
	store_test_couple_new(&c, 2000 * HOUR, 2001 * HOUR);
	assert_int_equal(s->space_leave(s, c.space, c.b), STORE_OK);
	struct store_home_event *e;
	int n = -1;
	assert_int_equal(s->home_events(s, a, c.a, c.space, "", 0, &e, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].kind, "partner_left");
	assert_string_equal(e[0].who, c.b);
	assert_int_equal((int)strlen(e[0].id), ID_LEN);
	/* The last one leaving leaves no record behind (the space goes). */
	assert_int_equal(s->space_leave(s, c.space, c.a), STORE_OK);
	assert_int_equal(s->home_events(s, a, c.a, c.space, "", 0, &e, &n), STORE_OK);
	assert_int_equal(n, 0);
	arena_free(a);
}

static void test_dismissals_and_settings(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char me[ID_LEN + 1], other[ID_LEN + 1], item[ID_LEN + 1];
	store_test_id(me);
	store_test_id(other);
	store_test_id(item);
	assert_int_equal(s->home_dismiss(s, me, "repair_opened", item, 5), STORE_OK);
	assert_int_equal(s->home_dismiss(s, me, "repair_opened", item, 9), STORE_OK); /* replaces */
	assert_int_equal(s->home_dismiss(s, me, "repair_revealed", item, 7), STORE_OK);
	struct store_home_dismissal *d;
	int n = -1;
	assert_int_equal(s->home_dismissals(s, a, me, &d, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].kind, "repair_opened");
	assert_int_equal(d[0].since, 9);
	assert_string_equal(d[0].id, item);
	assert_string_equal(d[1].kind, "repair_revealed");
	assert_int_equal(s->home_dismissals(s, a, other, &d, &n), STORE_OK);
	assert_int_equal(n, 0);

	struct store_settings set = {.quick_exit_signs_out = true};
	assert_int_equal(s->settings_get(s, me, &set), STORE_OK);
	assert_false(set.quick_exit_signs_out); /* never set: the default */
	set.quick_exit_signs_out = true;
	assert_int_equal(s->settings_set(s, me, &set), STORE_OK);
	assert_int_equal(s->settings_get(s, me, &set), STORE_OK);
	assert_true(set.quick_exit_signs_out);
	assert_int_equal(s->settings_get(s, other, &set), STORE_OK);
	assert_false(set.quick_exit_signs_out);
	set.quick_exit_signs_out = false;
	assert_int_equal(s->settings_set(s, me, &set), STORE_OK);
	assert_int_equal(s->settings_get(s, me, &set), STORE_OK);
	assert_false(set.quick_exit_signs_out);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_join_and_repair),
	    cmocka_unit_test(test_leave_is_recorded_for_who_stays),
	    cmocka_unit_test(test_dismissals_and_settings),
	};
	return STORE_TEST_MAIN("test_home", tests);
}
