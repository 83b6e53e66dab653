/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_therapy_session.c - the next therapy session in the store
 * (src/store/therapy_session.c, issue 13, migration 22) on SQLite and, under
 * tests/pg/with-postgres.sh, on PostgreSQL: no plan without a therapist, a
 * write only while the next session is still the one it was computed from,
 * NULLs for none, another therapist's write refused, unlinking clearing it;
 * and the questionnaire results marked "therapist" of the authors named.
 */
#include "store_test.h"

#include <stdio.h>
#include <string.h>

#define HOUR (3600LL * 1000)

static void user_new(const char *name, const char *role, char id[ID_LEN + 1])
{
	/* usernames are name_IDPREFIX: a counter keeps the names of one run apart */
	static int seq;
	char unique[32];
	snprintf(unique, sizeof unique, "%s%d", name, seq++);
	struct store_user u = store_test_user(unique, role); /* inserted */
	snprintf(id, ID_LEN + 1, "%s", u.id);
}

/* A couple a, b in space, linked to therapist by a. */
static void linked_couple(struct store *s, char therapist[ID_LEN + 1], char a[ID_LEN + 1], char b[ID_LEN + 1],
                          char space[ID_LEN + 1])
{
	user_new("drt", "therapist", therapist);
	user_new("ana", "member", a);
	user_new("ben", "member", b);
	int64_t now = now_ms();
	store_test_space_of(a, b, now, now + 1, space);
	char code[ID_LEN + 1];
	id_new(code);
	assert_int_equal(s->tinvite_insert(s, code, therapist, now, now + HOUR), STORE_OK);
	enum link_result lr = LINK_ALREADY;
	assert_int_equal(s->therapist_link(s, space, code, a, now, &lr), STORE_OK);
	assert_int_equal(lr, LINK_OK);
}

static void test_plan(void **state)
{
	(void)state;
	struct store *s = store_test;
	char therapist[ID_LEN + 1], a[ID_LEN + 1], b[ID_LEN + 1], space[ID_LEN + 1], other[ID_LEN + 1];
	linked_couple(s, therapist, a, b, space);
	user_new("dro", "therapist", other);
	struct store_session_plan plan;
	assert_int_equal(s->session_plan_get(s, space, &plan), STORE_OK);
	assert_string_equal(plan.therapist_id, therapist);
	assert_int_equal(plan.next_at, 0);
	assert_int_equal(plan.previous_at, 0);
	assert_int_equal(plan.set_at, 0);

	struct store_session_plan in = {.next_at = 500 * HOUR, .previous_at = 0, .set_at = 400 * HOUR};
	snprintf(in.therapist_id, sizeof in.therapist_id, "%s", therapist);
	/* computed from a next session that is not there: refused */
	assert_int_equal(s->session_plan_set(s, space, 123, &in), STORE_NOT_FOUND);
	assert_int_equal(s->session_plan_set(s, space, 0, &in), STORE_OK);
	assert_int_equal(s->session_plan_get(s, space, &plan), STORE_OK);
	assert_int_equal(plan.next_at, 500 * HOUR);
	assert_int_equal(plan.previous_at, 0);
	assert_int_equal(plan.set_at, 400 * HOUR);
	/* a stale write (from none) no longer matches */
	assert_int_equal(s->session_plan_set(s, space, 0, &in), STORE_NOT_FOUND);
	/* another therapist's: refused */
	struct store_session_plan theirs = in;
	snprintf(theirs.therapist_id, sizeof theirs.therapist_id, "%s", other);
	assert_int_equal(s->session_plan_set(s, space, 500 * HOUR, &theirs), STORE_NOT_FOUND);
	/* cleared, with the previous one kept */
	struct store_session_plan cleared = {.next_at = 0, .previous_at = 500 * HOUR, .set_at = 600 * HOUR};
	snprintf(cleared.therapist_id, sizeof cleared.therapist_id, "%s", therapist);
	assert_int_equal(s->session_plan_set(s, space, 500 * HOUR, &cleared), STORE_OK);
	assert_int_equal(s->session_plan_get(s, space, &plan), STORE_OK);
	assert_int_equal(plan.next_at, 0);
	assert_int_equal(plan.previous_at, 500 * HOUR);
	/* unlinking clears it all: no plan */
	assert_int_equal(s->therapist_unlink(s, space), STORE_OK);
	assert_int_equal(s->session_plan_get(s, space, &plan), STORE_NOT_FOUND);
	assert_int_equal(s->session_plan_set(s, space, 0, &in), STORE_NOT_FOUND);
}

static void response(struct store *s, const char *space, const char *author, const char *visibility, int64_t at,
                     char id[ID_LEN + 1])
{
	struct store_qresponse r = {.answers = "{}", .subscales = "{}", .created_at = at};
	store_test_id(r.id);
	snprintf(r.space_id, sizeof r.space_id, "%s", space);
	snprintf(r.author_id, sizeof r.author_id, "%s", author);
	snprintf(r.questionnaire_id, sizeof r.questionnaire_id, "%s", "security-check");
	snprintf(r.visibility, sizeof r.visibility, "%s", visibility);
	snprintf(r.sealed.score, sizeof r.sealed.score, "%s", "3");
	assert_int_equal(s->qresponse_insert(s, &r), STORE_OK);
	snprintf(id, ID_LEN + 1, "%s", r.id);
}

static void test_results_for_the_therapist(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *ar = arena_new();
	char therapist[ID_LEN + 1], a[ID_LEN + 1], b[ID_LEN + 1], space[ID_LEN + 1];
	linked_couple(s, therapist, a, b, space);
	char a1[ID_LEN + 1], a2[ID_LEN + 1], ap[ID_LEN + 1], apr[ID_LEN + 1], b1[ID_LEN + 1];
	response(s, space, a, "therapist", 10 * HOUR, a1);
	response(s, space, a, "private", 11 * HOUR, apr);
	response(s, space, a, "partner", 12 * HOUR, ap);
	response(s, space, a, "therapist", 13 * HOUR, a2);
	response(s, space, b, "therapist", 14 * HOUR, b1);
	struct store_qresponse *rows;
	int n = -1;
	/* a alone: a's two shared results, newest first */
	assert_int_equal(s->qresponse_list_therapist(s, ar, space, a, "", 0, NULL, 10, &rows, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, a2);
	assert_string_equal(rows[1].id, a1);
	/* both, before a time */
	assert_int_equal(s->qresponse_list_therapist(s, ar, space, a, b, 14 * HOUR, NULL, 10, &rows, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, a2);
	assert_int_equal(s->qresponse_list_therapist(s, ar, space, b, a, 0, NULL, 1, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, b1);
	/* the cursor (time, id): of one millisecond, only those after the id in the list's order */
	char a3[ID_LEN + 1], a4[ID_LEN + 1];
	response(s, space, a, "therapist", 13 * HOUR, a3);
	response(s, space, a, "therapist", 13 * HOUR, a4);
	const char *same[3] = {a2, a3, a4}; /* the list orders these by id, largest first */
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (strcmp(same[i], same[j]) < 0) {
				const char *t = same[i];
				same[i] = same[j];
				same[j] = t;
			}
	assert_int_equal(s->qresponse_list_therapist(s, ar, space, a, "", 13 * HOUR, same[0], 10, &rows, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, same[1]);
	assert_string_equal(rows[1].id, same[2]);
	assert_string_equal(rows[2].id, a1);
	/* nobody consenting: nothing */
	assert_int_equal(s->qresponse_list_therapist(s, ar, space, "", "", 0, NULL, 10, &rows, &n), STORE_OK);
	assert_int_equal(n, 0);
	arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_results_for_the_therapist),
	};
	return STORE_TEST_MAIN("test_therapy_session", tests);
}
