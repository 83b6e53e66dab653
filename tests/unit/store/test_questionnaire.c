/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_questionnaire.c - store tests for questionnaire responses
 * (src/store/questionnaire.c), run against SQLite and, when
 * HEARTH_TEST_PG_URL is set, PostgreSQL: a round trip of every field (the
 * answers, score and subscales as the domain sealed them: texts here, as the
 * store does not look into them; that a score reads back as the same double,
 * and that one that is not a number is refused, is the keyring's:
 * tests/unit/store/test_keyring.c), the conflict status of an id twice, and
 * the list's filters, time range, order and limit.
 */
#include "store_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

static struct store_qresponse response(const char *scope, const char *author, const char *questionnaire,
                                       const char *visibility, double score, int64_t at)
{
	struct store_qresponse q = {.created_at = at};
	snprintf(q.sealed.score, sizeof q.sealed.score, "sealed:%.17g", score);
	store_test_id(q.id);
	snprintf(q.space_id, sizeof q.space_id, "%s", scope);
	snprintf(q.author_id, sizeof q.author_id, "%s", author);
	snprintf(q.questionnaire_id, sizeof q.questionnaire_id, "%s", questionnaire);
	snprintf(q.visibility, sizeof q.visibility, "%s", visibility);
	q.answers = "sealed:{\"q1\":3}";
	q.subscales = "sealed:{\"closeness\":2.5}";
	return q;
}

static void test_insert_list_round_trip(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], author[ID_LEN + 1];
	store_test_id(space);
	store_test_id(author);
	struct store_qresponse q = response(space, author, "security-check", "shared", 1.0 / 3.0, 1767225600999);
	assert_int_equal(s->qresponse_insert(s, &q), STORE_OK);
	assert_int_equal(s->qresponse_insert(s, &q), STORE_CONFLICT);

	struct store_qresponse *items;
	int count;
	assert_int_equal(s->qresponse_list(s, a, space, "", "", false, 0, INT64_MAX, NULL, 10, &items, &count),
	                 STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].id, q.id);
	assert_string_equal(items[0].space_id, space);
	assert_string_equal(items[0].author_id, author);
	assert_string_equal(items[0].questionnaire_id, "security-check");
	assert_string_equal(items[0].answers, "sealed:{\"q1\":3}");
	assert_string_equal(items[0].sealed.score, q.sealed.score);
	assert_string_equal(items[0].subscales, "sealed:{\"closeness\":2.5}");
	assert_string_equal(items[0].visibility, "shared");
	assert_int_equal(items[0].created_at, 1767225600999);
	arena_free(a);
}

static void test_list_filters(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], me[ID_LEN + 1], partner[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	store_test_id(partner);
	struct store_qresponse q[5] = {
	    response(space, me, "security-check", "shared", 10, 1000),
	    response(space, me, "security-check", "private", 11, 2000),
	    response(space, partner, "security-check", "shared", 12, 3000),
	    response(space, partner, "other", "shared", 13, 4000),
	    response(me, me, "security-check", "shared", 14, 5000), /* written alone: another scope */
	};
	for (int k = 0; k < 5; k++)
		assert_int_equal(s->qresponse_insert(s, &q[k]), STORE_OK);

	struct store_qresponse *items;
	int count;
	/* Everything in the space, newest first. */
	assert_int_equal(s->qresponse_list(s, a, space, "", "", false, 0, INT64_MAX, NULL, 10, &items, &count),
	                 STORE_OK);
	assert_int_equal(count, 4);
	assert_string_equal(items[0].id, q[3].id);
	assert_string_equal(items[3].id, q[0].id);

	/* One author, one questionnaire. */
	assert_int_equal(
	    s->qresponse_list(s, a, space, me, "security-check", false, 0, INT64_MAX, NULL, 10, &items, &count),
	    STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(items[0].id, q[1].id);
	assert_int_equal(s->qresponse_list(s, a, space, "", "other", false, 0, INT64_MAX, NULL, 10, &items, &count),
	                 STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].id, q[3].id);

	/* Shared only: the private one is hidden. */
	assert_int_equal(s->qresponse_list(s, a, space, me, "", true, 0, INT64_MAX, NULL, 10, &items, &count),
	                 STORE_OK);
	assert_int_equal(count, 1);
	assert_string_equal(items[0].id, q[0].id);

	/* The range is [from, to). */
	assert_int_equal(s->qresponse_list(s, a, space, "", "", false, 2000, 4000, NULL, 10, &items, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(items[0].id, q[2].id);
	assert_string_equal(items[1].id, q[1].id);

	/* The limit keeps the newest. */
	assert_int_equal(s->qresponse_list(s, a, space, "", "", false, 0, INT64_MAX, NULL, 2, &items, &count),
	                 STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(items[1].id, q[2].id);
	assert_int_equal(s->qresponse_list(s, a, space, "", "", false, 0, INT64_MAX, NULL, 0, &items, &count),
	                 STORE_OK);
	assert_int_equal(count, 0);
	arena_free(a);
}

/*
 * Several responses in one millisecond (a fast client, or PostgreSQL's
 * clock): paged by the cursor (time, id), each comes exactly once, in the
 * list's order. Paging by the time alone skipped the rest of a millisecond.
 */
static void test_same_millisecond_pages(void **state)
{
	(void)state;
	struct store *s = store_test;
	struct arena *a = arena_new();
	char space[ID_LEN + 1], me[ID_LEN + 1];
	store_test_id(space);
	store_test_id(me);
	enum { N = 5 };
	struct store_qresponse q[N];
	for (int k = 0; k < N; k++) {
		q[k] = response(space, me, "security-check", "shared", k, k < 4 ? 7000 : 6000);
		assert_int_equal(s->qresponse_insert(s, &q[k]), STORE_OK);
	}
	struct store_qresponse *all;
	int total;
	assert_int_equal(s->qresponse_list(s, a, space, me, "", false, 0, INT64_MAX, NULL, 10, &all, &total), STORE_OK);
	assert_int_equal(total, N);
	for (int k = 1; k < N; k++) /* newest first, then by id */
		assert_true(all[k - 1].created_at > all[k].created_at ||
		            (all[k - 1].created_at == all[k].created_at && strcmp(all[k - 1].id, all[k].id) > 0));
	int64_t to = INT64_MAX;
	char to_id[ID_LEN + 1] = "";
	int seen = 0;
	for (int page = 0; page < N + 1 && seen < N; page++) {
		struct store_qresponse *items;
		int count;
		assert_int_equal(s->qresponse_list(s, a, space, me, "", false, 0, to, to_id, 2, &items, &count),
		                 STORE_OK);
		assert_true(count > 0);
		for (int i = 0; i < count; i++)
			assert_string_equal(items[i].id, all[seen++].id);
		to = items[count - 1].created_at;
		snprintf(to_id, sizeof to_id, "%s", items[count - 1].id);
	}
	assert_int_equal(seen, N);
	/* No id: none of that millisecond. */
	struct store_qresponse *older;
	int n;
	assert_int_equal(s->qresponse_list(s, a, space, me, "", false, 0, 7000, "", 10, &older, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(older[0].id, q[4].id);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_list_round_trip),
	    cmocka_unit_test(test_list_filters),
	    cmocka_unit_test(test_same_millisecond_pages),
	};
	return STORE_TEST_MAIN("test_questionnaire", tests);
}
