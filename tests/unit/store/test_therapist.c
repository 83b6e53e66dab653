/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_therapist.c - the store's therapist feature (src/store/therapist.c)
 * on SQLite and, under tests/pg/with-postgres.sh, on PostgreSQL: linking by
 * code (used, expired, unknown codes; a second link refused with its code
 * left unused), consent per partner, unlinking, the spaces of a therapist,
 * notes, the access log and visits with their order and cursors, the
 * check-ins and safety checks a therapist may see, and links raced from two
 * threads (two partners with two codes, two spaces with one code).
 */
#include "store_test.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

/* A new user with this display name and role; its id in id. */
static void user_new(struct store *s, const char *name, const char *role, char id[ID_LEN + 1])
{
	struct store_user u = {.created_at = now_ms()};
	id_new(id);
	snprintf(u.id, sizeof u.id, "%s", id);
	snprintf(u.username, sizeof u.username, "u%.24s", id + 8);
	snprintf(u.display_name, sizeof u.display_name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.password_hash, sizeof u.password_hash, "x");
	assert_int_equal(s->user_insert(s, &u), STORE_OK);
}

#define HOUR 3600000

/* A therapist and a couple: space with a (joined first) and b. */
struct scene {
	char therapist[ID_LEN + 1], a[ID_LEN + 1], b[ID_LEN + 1], space[ID_LEN + 1];
};

static void scene_make(struct store *s, struct scene *w)
{
	user_new(s, "Dr T", "therapist", w->therapist);
	user_new(s, "Ana", "member", w->a);
	user_new(s, "Ben", "member", w->b);
	int64_t now = now_ms();
	store_test_space_of(w->a, w->b, now, now + 1, w->space); /* a joined first */
}

/* A fresh invite code hash of the therapist, valid for an hour from now. */
static void invite(struct store *s, const char *therapist, int64_t now, char code[ID_LEN + 1])
{
	id_new(code);
	assert_int_equal(s->tinvite_insert(s, code, therapist, now, now + HOUR), STORE_OK);
}

static void test_link_and_consent(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct scene w;
	scene_make(s, &w);
	struct store_space_therapist t;
	assert_int_equal(s->space_therapist(s, w.space, &t), STORE_NOT_FOUND);

	int64_t now = now_ms();
	char code[ID_LEN + 1];
	invite(s, w.therapist, now, code);
	enum link_result lr = LINK_ALREADY;
	assert_int_equal(s->therapist_link(s, w.space, code, w.b, now, &lr), STORE_OK);
	assert_int_equal(lr, LINK_OK);

	assert_int_equal(s->space_therapist(s, w.space, &t), STORE_OK);
	assert_string_equal(t.therapist_id, w.therapist);
	assert_string_equal(t.display_name, "Dr T");
	assert_int_equal(t.linked_at, now);
	assert_int_equal(t.members, 2);
	assert_string_equal(t.member_ids[0], w.a); /* in the order they joined */
	assert_string_equal(t.member_names[0], "Ana");
	assert_string_equal(t.member_ids[1], w.b);
	assert_false(t.consent[0]); /* the partner is pending ... */
	assert_true(t.consent[1]);  /* ... the linker consents */
	assert_int_equal(t.consent_state[0], CONSENT_UNDECIDED);
	assert_int_equal(t.consent_state[1], CONSENT_GRANTED);

	assert_int_equal(s->consent_set(s, w.space, w.a, true, now + 1), STORE_OK);
	assert_int_equal(s->consent_set(s, w.space, w.b, false, now + 2), STORE_OK);
	assert_int_equal(s->space_therapist(s, w.space, &t), STORE_OK);
	assert_true(t.consent[0]);
	assert_false(t.consent[1]);
	assert_int_equal(t.consent_state[0], CONSENT_GRANTED);
	assert_int_equal(t.consent_state[1], CONSENT_DECLINED); /* a withdrawn yes is a no, not "undecided" */
	assert_int_equal(s->consent_set(s, w.space, w.a, false, now + 3), STORE_OK);
	assert_int_equal(s->space_therapist(s, w.space, &t), STORE_OK);
	assert_false(t.consent[0]);
	assert_int_equal(t.consent_state[0], CONSENT_DECLINED);
}

static void test_link_refusals(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct scene w, other;
	scene_make(s, &w);
	scene_make(s, &other);
	int64_t now = now_ms();
	enum link_result lr;

	char unknown[ID_LEN + 1];
	id_new(unknown);
	assert_int_equal(s->therapist_link(s, w.space, unknown, w.a, now, &lr), STORE_OK);
	assert_int_equal(lr, LINK_NO_CODE);

	char expired[ID_LEN + 1];
	id_new(expired);
	assert_int_equal(s->tinvite_insert(s, expired, w.therapist, now - 2 * HOUR, now - HOUR), STORE_OK);
	assert_int_equal(s->therapist_link(s, w.space, expired, w.a, now, &lr), STORE_OK);
	assert_int_equal(lr, LINK_NO_CODE);
	assert_int_equal(s->tinvite_insert(s, expired, w.therapist, now, now + HOUR), STORE_CONFLICT);

	char code[ID_LEN + 1];
	invite(s, w.therapist, now, code);
	assert_int_equal(s->therapist_link(s, w.space, code, w.a, now, &lr), STORE_OK);
	assert_int_equal(lr, LINK_OK);
	/* A used code links nothing else. */
	assert_int_equal(s->therapist_link(s, other.space, code, other.a, now, &lr), STORE_OK);
	assert_int_equal(lr, LINK_NO_CODE);
	struct store_space_therapist t;
	assert_int_equal(s->space_therapist(s, other.space, &t), STORE_NOT_FOUND);

	/* A linked space refuses a second link, and the code stays unused for another space. */
	char second[ID_LEN + 1];
	invite(s, other.therapist, now, second);
	assert_int_equal(s->therapist_link(s, w.space, second, w.b, now, &lr), STORE_OK);
	assert_int_equal(lr, LINK_ALREADY);
	assert_int_equal(s->space_therapist(s, w.space, &t), STORE_OK);
	assert_string_equal(t.therapist_id, w.therapist);
	assert_false(t.consent[1]); /* the refused linker consented to nothing */
	assert_int_equal(s->therapist_link(s, other.space, second, other.b, now, &lr), STORE_OK);
	assert_int_equal(lr, LINK_OK);
}

static void test_unlink_and_spaces(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct scene w, other;
	scene_make(s, &w);
	scene_make(s, &other);
	int64_t now = now_ms();
	char code[ID_LEN + 1];
	enum link_result lr;
	invite(s, w.therapist, now, code);
	assert_int_equal(s->therapist_link(s, w.space, code, w.a, now, &lr), STORE_OK);
	invite(s, w.therapist, now, code);
	assert_int_equal(s->therapist_link(s, other.space, code, other.a, now + 5, &lr), STORE_OK);
	assert_int_equal(lr, LINK_OK);
	assert_int_equal(s->consent_set(s, w.space, w.b, true, now), STORE_OK);

	struct arena *ar = arena_new();
	char(*ids)[ID_LEN + 1] = NULL;
	int n = -1;
	assert_int_equal(s->therapist_spaces(s, ar, w.therapist, &ids, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], other.space); /* newest link first */
	assert_string_equal(ids[1], w.space);

	assert_int_equal(s->therapist_unlink(s, w.space), STORE_OK);
	assert_int_equal(s->therapist_unlink(s, w.space), STORE_NOT_FOUND);
	struct store_space_therapist t;
	assert_int_equal(s->space_therapist(s, w.space, &t), STORE_NOT_FOUND);
	assert_int_equal(s->therapist_spaces(s, ar, w.therapist, &ids, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], other.space);

	/* Every consent went with the link: linked again, the new linker consents, the other is undecided. */
	invite(s, w.therapist, now, code);
	assert_int_equal(s->therapist_link(s, w.space, code, w.a, now + 10, &lr), STORE_OK);
	assert_int_equal(lr, LINK_OK);
	assert_int_equal(s->space_therapist(s, w.space, &t), STORE_OK);
	assert_true(t.consent[0]);
	assert_false(t.consent[1]);
	assert_int_equal(t.consent_state[0], CONSENT_GRANTED);
	assert_int_equal(t.consent_state[1], CONSENT_UNDECIDED);

	char nobody[ID_LEN + 1];
	id_new(nobody);
	assert_int_equal(s->therapist_spaces(s, ar, nobody, &ids, &n), STORE_OK);
	assert_int_equal(n, 0);
	arena_free(ar);
}

static void test_notes(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct scene w;
	scene_make(s, &w);
	int64_t now = now_ms();
	struct store_note notes[3];
	for (int i = 0; i < 3; i++) {
		memset(&notes[i], 0, sizeof notes[i]);
		id_new(notes[i].id);
		snprintf(notes[i].space_id, sizeof notes[i].space_id, "%s", w.space);
		snprintf(notes[i].therapist_id, sizeof notes[i].therapist_id, "%s", w.therapist);
		notes[i].text = i == 0 ? "first" : i == 1 ? "second" : "third";
		notes[i].created_at = now + i;
		assert_int_equal(s->note_insert(s, &notes[i]), STORE_OK);
	}
	assert_int_equal(s->note_insert(s, &notes[1]), STORE_CONFLICT);

	struct arena *ar = arena_new();
	struct store_note *items = NULL;
	int n = -1;
	assert_int_equal(s->note_list(s, ar, w.space, w.therapist, 0, NULL, 2, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].text, "third");
	assert_string_equal(items[1].text, "second");
	assert_string_equal(items[1].id, notes[1].id);
	assert_int_equal(items[1].created_at, now + 1);
	assert_int_equal(s->note_list(s, ar, w.space, w.therapist, items[1].created_at, items[1].id, 2, &items, &n),
	                 STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].text, "first");
	/* Another therapist's notes are not these. */
	assert_int_equal(s->note_list(s, ar, w.space, w.a, 0, NULL, 10, &items, &n), STORE_OK);
	assert_int_equal(n, 0);
	arena_free(ar);
}

static void test_access_log_and_visits(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct scene w;
	scene_make(s, &w);
	int64_t now = now_ms();
	/* Two entries at the same time: the id breaks the tie, and the cursor keeps it. */
	struct store_access e[3] = {{.at = now}, {.at = now}, {.at = now + 1}};
	for (int i = 0; i < 3; i++) {
		id_new(e[i].id);
		snprintf(e[i].who_id, sizeof e[i].who_id, "%s", w.therapist);
		snprintf(e[i].who_name, sizeof e[i].who_name, "Dr T");
		snprintf(e[i].what, sizeof e[i].what, "opened %d", i);
		assert_int_equal(s->access_insert(s, w.space, &e[i]), STORE_OK);
	}
	const struct store_access *older = strcmp(e[0].id, e[1].id) < 0 ? &e[0] : &e[1];
	const struct store_access *newer = older == &e[0] ? &e[1] : &e[0];
	struct arena *ar = arena_new();
	struct store_access *items = NULL;
	int n = -1;
	assert_int_equal(s->access_list(s, ar, w.space, 0, NULL, 2, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].what, "opened 2");
	assert_string_equal(items[1].id, newer->id);
	assert_string_equal(items[1].who_name, "Dr T");
	assert_string_equal(items[1].who_id, w.therapist);
	assert_int_equal(s->access_list(s, ar, w.space, items[1].at, items[1].id, 10, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, older->id);
	assert_int_equal(s->access_list(s, ar, w.space, 0, NULL, 0, &items, &n), STORE_OK);
	assert_int_equal(n, 0);
	arena_free(ar);

	int64_t at = -1;
	assert_int_equal(s->visit_get(s, w.space, w.therapist, &at), STORE_OK);
	assert_int_equal(at, 0);
	assert_int_equal(s->visit_set(s, w.space, w.therapist, now), STORE_OK);
	assert_int_equal(s->visit_set(s, w.space, w.therapist, now + 7), STORE_OK);
	assert_int_equal(s->visit_get(s, w.space, w.therapist, &at), STORE_OK);
	assert_int_equal(at, now + 7);
	assert_int_equal(s->visit_get(s, w.space, w.a, &at), STORE_OK);
	assert_int_equal(at, 0);
}

static void checkin(struct store *s, const char *space, const char *author, int64_t at, const char *visibility,
                    char id[ID_LEN + 1])
{
	struct store_checkin c = store_test_checkin(space, author, visibility, at);
	snprintf(c.sealed.scales, sizeof c.sealed.scales, "sealed 4 3 2");
	c.need = "sealed need";
	assert_int_equal(s->checkin_insert(s, &c), STORE_OK);
	memcpy(id, c.id, ID_LEN + 1);
}

static void test_checkins_and_safety_for_therapist(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct scene w;
	scene_make(s, &w);
	int64_t now = now_ms();
	char id[4][ID_LEN + 1];
	checkin(s, w.space, w.a, now, "therapist", id[0]);
	checkin(s, w.space, w.b, now + 1, "therapist", id[1]);
	checkin(s, w.space, w.a, now + 2, "shared", id[2]);
	checkin(s, w.space, w.b, now + 3, "private", id[3]);

	struct arena *ar = arena_new();
	struct store_checkin *items = NULL;
	int n = -1;
	assert_int_equal(s->checkin_list_therapist(s, ar, w.space, w.a, w.b, 0, NULL, 10, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].id, id[1]);
	assert_string_equal(items[0].author_id, w.b);
	assert_string_equal(items[0].visibility, "therapist");
	assert_string_equal(items[0].need, "sealed need");
	assert_null(items[0].worry);
	assert_string_equal(items[0].sealed.scales, "sealed 4 3 2");
	assert_string_equal(items[1].id, id[0]);
	assert_int_equal(s->checkin_list_therapist(s, ar, w.space, w.a, w.b, now + 1, id[1], 10, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, id[0]);
	/* Only the given authors (a partner who left is not one). */
	assert_int_equal(s->checkin_list_therapist(s, ar, w.space, w.a, NULL, 0, NULL, 10, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, id[0]);

	/* The answers as the domain seals them: texts stand in. */
	struct store_safety_check k[3] = {
	    {.share_with_therapist = true, .created_at = now, .sealed = {"afraid 1", "pressured 0"}},
	    {.share_with_therapist = false, .created_at = now + 1, .sealed = {"afraid 0", "pressured 1"}},
	    {.share_with_therapist = true, .created_at = now + 2, .sealed = {"afraid 0", "pressured 1"}},
	};
	for (int i = 0; i < 3; i++) {
		id_new(k[i].id);
		snprintf(k[i].scope_id, sizeof k[i].scope_id, "%s", w.space);
		snprintf(k[i].user_id, sizeof k[i].user_id, "%s", i ? w.b : w.a);
		assert_int_equal(s->safety_insert(s, &k[i]), STORE_OK);
	}
	struct store_safety_check *shared = NULL;
	assert_int_equal(s->safety_shared(s, ar, w.space, 10, &shared, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(shared[0].id, k[2].id);
	assert_string_equal(shared[0].sealed.pressured, "pressured 1");
	assert_string_equal(shared[0].sealed.afraid, "afraid 0");
	assert_string_equal(shared[0].user_id, w.b);
	assert_string_equal(shared[1].id, k[0].id);
	assert_string_equal(shared[1].sealed.afraid, "afraid 1");
	assert_true(shared[1].share_with_therapist);
	assert_string_equal(shared[1].scope_id, w.space);
	assert_int_equal(shared[1].created_at, now);
	assert_int_equal(s->safety_shared(s, ar, w.space, 1, &shared, &n), STORE_OK);
	assert_int_equal(n, 1);
	arena_free(ar);
}

/* One side of a race: links space with code as linker once both threads are ready. */
struct racer {
	struct store *s;
	pthread_barrier_t *start;
	const char *space, *code, *linker;
	enum store_status status;
	enum link_result result;
};

static void *race_link(void *arg)
{
	struct racer *r = arg;
	pthread_barrier_wait(r->start);
	r->status = r->s->therapist_link(r->s, r->space, r->code, r->linker, now_ms(), &r->result);
	r->s->thread_done(r->s);
	return NULL;
}

/* Runs both racers at once. */
static void race(struct racer *one, struct racer *two)
{
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, 2);
	one->start = two->start = &start;
	pthread_t t1, t2;
	assert_int_equal(pthread_create(&t1, NULL, race_link, one), 0);
	assert_int_equal(pthread_create(&t2, NULL, race_link, two), 0);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_barrier_destroy(&start);
	assert_int_equal(one->status, STORE_OK);
	assert_int_equal(two->status, STORE_OK);
}

static void test_link_races(void **state)
{
	(void)state;
	struct store *s = store_test;
	for (int round = 0; round < 5; round++) {
		struct scene w, other;
		scene_make(s, &w);
		scene_make(s, &other);
		int64_t now = now_ms();
		/* Both partners link their space at once, each with a code: one link, the other code unused. */
		char code_a[ID_LEN + 1], code_b[ID_LEN + 1];
		invite(s, w.therapist, now, code_a);
		invite(s, other.therapist, now, code_b);
		struct racer a = {.s = s, .space = w.space, .code = code_a, .linker = w.a};
		struct racer b = {.s = s, .space = w.space, .code = code_b, .linker = w.b};
		race(&a, &b);
		assert_true((a.result == LINK_OK && b.result == LINK_ALREADY) ||
		            (a.result == LINK_ALREADY && b.result == LINK_OK));
		struct racer *lost = a.result == LINK_OK ? &b : &a;
		enum link_result lr;
		assert_int_equal(s->therapist_link(s, other.space, lost->code, other.a, now, &lr), STORE_OK);
		assert_int_equal(lr, LINK_OK);

		/* Two spaces race for one code: one of them gets it. */
		struct scene x, y;
		scene_make(s, &x);
		scene_make(s, &y);
		char code[ID_LEN + 1];
		invite(s, x.therapist, now, code);
		struct racer p = {.s = s, .space = x.space, .code = code, .linker = x.a};
		struct racer q = {.s = s, .space = y.space, .code = code, .linker = y.a};
		race(&p, &q);
		assert_true((p.result == LINK_OK && q.result == LINK_NO_CODE) ||
		            (p.result == LINK_NO_CODE && q.result == LINK_OK));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_link_and_consent),
	    cmocka_unit_test(test_link_refusals),
	    cmocka_unit_test(test_link_races),
	    cmocka_unit_test(test_unlink_and_spaces),
	    cmocka_unit_test(test_notes),
	    cmocka_unit_test(test_access_log_and_visits),
	    cmocka_unit_test(test_checkins_and_safety_for_therapist),
	};
	return STORE_TEST_MAIN("test_therapist.c", tests);
}
