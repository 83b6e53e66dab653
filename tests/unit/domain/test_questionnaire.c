/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_questionnaire.c - unit tests for domain/questionnaire.c:
 * questionnaire_parse on hostile instrument documents (every broken field
 * gives -1 and a message naming the file, the item and the field),
 * questionnaire_score (reverse items, subscales, refused answers), the
 * shipped instrument, and clinical scoring: sum or mean, bands at their
 * edges, reliable change both ways, no change for a first response, and the
 * checks of bands, thresholds and subscale names at load.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/questionnaire.h"
#include "util/util.h"

#define FILE_NAME "hostile/instrument.json"

static int group_teardown(void **state)
{
	(void)state;
	questionnaires_free();
	return 0;
}

/* --- questionnaire_parse --- */

/* A valid instrument with three items; tests break one field at a time. */
static json_t *valid_doc(void)
{
	json_error_t e;
	json_t *doc = json_loads(
	    "{\"id\": \"test-q\", \"title\": \"Test\", \"description\": \"d\", \"citation\": \"c\", \"licence\": \"l\","
	    " \"suggested_interval_days\": 14, \"items\": ["
	    "  {\"id\": \"a1\", \"text\": \"First\", \"min\": 1, \"max\": 5, \"labels\": "
	    "[\"1\",\"2\",\"3\",\"4\",\"5\"],"
	    "   \"reverse\": false, \"subscale\": \"alpha\"},"
	    "  {\"id\": \"b2\", \"text\": \"Second\", \"min\": 1, \"max\": 5, \"reverse\": true, \"subscale\": "
	    "\"alpha\"},"
	    "  {\"id\": \"c3\", \"text\": \"Third\", \"min\": 0, \"max\": 10, \"subscale\": \"beta\"}"
	    "]}",
	    0, &e);
	assert_non_null(doc);
	return doc;
}

static json_t *item_of(json_t *doc, size_t i)
{
	json_t *it = json_array_get(json_object_get(doc, "items"), i);
	assert_non_null(it);
	return it;
}

/*
 * Parses doc (and frees it); expects -1 and a message naming the file, `item`
 * (when not NULL) and the field in quotes.
 */
static void expect_parse_fail(json_t *doc, const char *item, const char *field)
{
	struct questionnaire q;
	char err[512] = "";
	int rc = questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err);
	json_decref(doc);
	if (rc != -1)
		fail_msg("expected -1 for field \"%s\" (item %s), got %d", field, item ? item : "-", rc);
	char quoted[64];
	snprintf(quoted, sizeof quoted, "\"%s\"", field);
	if (!strstr(err, FILE_NAME))
		fail_msg("message does not name the file: %s", err);
	if (item && !strstr(err, item))
		fail_msg("message does not name item %s: %s", item, err);
	if (!strstr(err, quoted))
		fail_msg("message does not name field %s: %s", quoted, err);
	/* questionnaire_parse cleaned up: nothing left to free */
	assert_null(q.items);
	assert_null(q.doc);
}

static void parse_valid(void **state)
{
	(void)state;
	json_t *doc = valid_doc();
	struct questionnaire q;
	char err[256] = "";
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	assert_string_equal(q.id, "test-q");
	assert_string_equal(q.title, "Test");
	assert_int_equal(q.interval_days, 14);
	assert_int_equal(q.count, 3);
	assert_string_equal(q.items[0].id, "a1");
	assert_false(q.items[0].reverse);
	assert_true(q.items[1].reverse);
	assert_string_equal(q.items[2].subscale, "beta");
	assert_int_equal(q.items[2].min, 0);
	assert_int_equal(q.items[2].max, 10);
	assert_non_null(q.items[0].labels);
	assert_null(q.items[1].labels);
	questionnaire_cleanup(&q);
	json_decref(doc);
}

static void parse_top_level_fields(void **state)
{
	(void)state;
	json_t *doc;

	doc = json_array();
	{
		struct questionnaire q;
		char err[256] = "";
		assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), -1);
		assert_non_null(strstr(err, FILE_NAME));
		json_decref(doc);
	}

	static const char *const ids_bad[] = {"", "Bad-Id", "has space", "x/y", "tr\xc3\xa4ume"};
	doc = valid_doc();
	json_object_del(doc, "id");
	expect_parse_fail(doc, NULL, "id");
	doc = valid_doc();
	json_object_set_new(doc, "id", json_integer(7));
	expect_parse_fail(doc, NULL, "id");
	for (size_t i = 0; i < sizeof ids_bad / sizeof *ids_bad; i++) {
		doc = valid_doc();
		json_object_set_new(doc, "id", json_string(ids_bad[i]));
		expect_parse_fail(doc, NULL, "id");
	}
	char long_id[62];
	memset(long_id, 'a', 61);
	long_id[61] = '\0';
	doc = valid_doc();
	json_object_set_new(doc, "id", json_string(long_id));
	expect_parse_fail(doc, NULL, "id");

	doc = valid_doc();
	json_object_del(doc, "title");
	expect_parse_fail(doc, NULL, "title");
	doc = valid_doc();
	json_object_set_new(doc, "title", json_string(""));
	expect_parse_fail(doc, NULL, "title");
	doc = valid_doc();
	json_object_set_new(doc, "title", json_true());
	expect_parse_fail(doc, NULL, "title");
	doc = valid_doc();
	json_object_del(doc, "citation");
	expect_parse_fail(doc, NULL, "citation");
	doc = valid_doc();
	json_object_set_new(doc, "citation", json_integer(1));
	expect_parse_fail(doc, NULL, "citation");
	doc = valid_doc();
	json_object_del(doc, "licence");
	expect_parse_fail(doc, NULL, "licence");
	doc = valid_doc();
	json_object_set_new(doc, "licence", json_string(""));
	expect_parse_fail(doc, NULL, "licence");

	const char *interval = "suggested_interval_days";
	doc = valid_doc();
	json_object_del(doc, interval);
	expect_parse_fail(doc, NULL, interval);
	doc = valid_doc();
	json_object_set_new(doc, interval, json_integer(0));
	expect_parse_fail(doc, NULL, interval);
	doc = valid_doc();
	json_object_set_new(doc, interval, json_integer(-3));
	expect_parse_fail(doc, NULL, interval);
	doc = valid_doc();
	json_object_set_new(doc, interval, json_integer(366));
	expect_parse_fail(doc, NULL, interval);
	doc = valid_doc();
	json_object_set_new(doc, interval, json_real(28.0));
	expect_parse_fail(doc, NULL, interval);
	doc = valid_doc();
	json_object_set_new(doc, interval, json_string("28"));
	expect_parse_fail(doc, NULL, interval);

	doc = valid_doc();
	json_object_del(doc, "items");
	expect_parse_fail(doc, NULL, "items");
	doc = valid_doc();
	json_object_set_new(doc, "items", json_array());
	expect_parse_fail(doc, NULL, "items");
	doc = valid_doc();
	json_object_set_new(doc, "items", json_object());
	expect_parse_fail(doc, NULL, "items");
	doc = valid_doc();
	{
		json_t *many = json_array();
		for (int i = 0; i < 201; i++) {
			char id[16];
			snprintf(id, sizeof id, "i%d", i);
			json_array_append_new(
			    many, json_pack("{s:s, s:s, s:i, s:i}", "id", id, "text", "t", "min", 1, "max", 5));
		}
		json_object_set_new(doc, "items", many);
	}
	expect_parse_fail(doc, NULL, "items");
}

static void parse_item_id(void **state)
{
	(void)state;
	json_t *doc;
	/* without an id, the item is named by its place in the list */
	doc = valid_doc();
	json_object_del(item_of(doc, 1), "id");
	expect_parse_fail(doc, "item 2", "id");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "id", json_string(""));
	expect_parse_fail(doc, "item 2", "id");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "id", json_string("C3"));
	expect_parse_fail(doc, "item 3", "id");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 0), "id", json_integer(1));
	expect_parse_fail(doc, "item 1", "id");
	char long_id[42];
	memset(long_id, 'x', 41);
	long_id[41] = '\0';
	doc = valid_doc();
	json_object_set_new(item_of(doc, 0), "id", json_string(long_id));
	expect_parse_fail(doc, "item 1", "id");
	/* an item that is not an object */
	doc = valid_doc();
	json_array_set_new(json_object_get(doc, "items"), 1, json_string("b2"));
	expect_parse_fail(doc, "item 2", "id");
	/* duplicates, adjacent and not */
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "id", json_string("a1"));
	expect_parse_fail(doc, "a1", "id");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "id", json_string("a1"));
	expect_parse_fail(doc, "a1", "id");
	{
		doc = valid_doc();
		json_object_set_new(item_of(doc, 2), "id", json_string("b2"));
		struct questionnaire q;
		char err[256] = "";
		assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), -1);
		assert_non_null(strstr(err, "twice"));
		json_decref(doc);
	}
}

static void parse_item_text(void **state)
{
	(void)state;
	json_t *doc;
	doc = valid_doc();
	json_object_del(item_of(doc, 1), "text");
	expect_parse_fail(doc, "b2", "text");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "text", json_string(""));
	expect_parse_fail(doc, "b2", "text");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "text", json_integer(3));
	expect_parse_fail(doc, "c3", "text");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "text", json_null());
	expect_parse_fail(doc, "c3", "text");
}

static void parse_item_min_max(void **state)
{
	(void)state;
	json_t *doc;
	doc = valid_doc();
	json_object_del(item_of(doc, 1), "min");
	expect_parse_fail(doc, "b2", "min");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "min", json_real(1.0));
	expect_parse_fail(doc, "b2", "min");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "min", json_string("1"));
	expect_parse_fail(doc, "b2", "min");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "min", json_integer(-101));
	expect_parse_fail(doc, "b2", "min");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "min", json_integer(101));
	expect_parse_fail(doc, "b2", "min");

	doc = valid_doc();
	json_object_del(item_of(doc, 2), "max");
	expect_parse_fail(doc, "c3", "max");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "max", json_integer(0));
	expect_parse_fail(doc, "c3", "max"); /* == min */
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "max", json_integer(-1));
	expect_parse_fail(doc, "c3", "max"); /* < min */
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "max", json_integer(101));
	expect_parse_fail(doc, "c3", "max");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "max", json_real(10.0));
	expect_parse_fail(doc, "c3", "max");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "max", json_string("10"));
	expect_parse_fail(doc, "c3", "max");

	/* the edges are fine */
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "min", json_integer(-100));
	json_object_set_new(item_of(doc, 2), "max", json_integer(100));
	struct questionnaire q;
	char err[256] = "";
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	questionnaire_cleanup(&q);
	json_decref(doc);
}

static void parse_item_labels(void **state)
{
	(void)state;
	json_t *doc;
	/* a1 is 1..5: five labels needed */
	doc = valid_doc();
	json_array_remove(json_object_get(item_of(doc, 0), "labels"), 0);
	expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc();
	json_array_append_new(json_object_get(item_of(doc, 0), "labels"), json_string("6"));
	expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 0), "labels", json_array());
	expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 0), "labels", json_string("1,2,3,4,5"));
	expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 0), "labels", json_pack("{s:s}", "1", "one"));
	expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc();
	json_array_set_new(json_object_get(item_of(doc, 0), "labels"), 2, json_integer(3));
	expect_parse_fail(doc, "a1", "labels");
	/* c3 is 0..10: eleven */
	doc = valid_doc();
	{
		json_t *l = json_array();
		for (int i = 0; i < 10; i++)
			json_array_append_new(l, json_string("x"));
		json_object_set_new(item_of(doc, 2), "labels", l);
	}
	expect_parse_fail(doc, "c3", "labels");
	/* null labels: none, fine */
	doc = valid_doc();
	json_object_set_new(item_of(doc, 0), "labels", json_null());
	struct questionnaire q;
	char err[256] = "";
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	assert_null(q.items[0].labels);
	questionnaire_cleanup(&q);
	json_decref(doc);
}

static void parse_item_reverse(void **state)
{
	(void)state;
	json_t *doc;
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "reverse", json_string("yes"));
	expect_parse_fail(doc, "b2", "reverse");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "reverse", json_string("true"));
	expect_parse_fail(doc, "b2", "reverse");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "reverse", json_integer(1));
	expect_parse_fail(doc, "b2", "reverse");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "reverse", json_null());
	expect_parse_fail(doc, "b2", "reverse");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 1), "reverse", json_array());
	expect_parse_fail(doc, "b2", "reverse");
}

static void parse_item_subscale(void **state)
{
	(void)state;
	json_t *doc;
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "subscale", json_integer(2));
	expect_parse_fail(doc, "c3", "subscale");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "subscale", json_string("Beta"));
	expect_parse_fail(doc, "c3", "subscale");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "subscale", json_string("be ta"));
	expect_parse_fail(doc, "c3", "subscale");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "subscale", json_true());
	expect_parse_fail(doc, "c3", "subscale");
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "subscale", json_array());
	expect_parse_fail(doc, "c3", "subscale");
	char long_name[42];
	memset(long_name, 's', 41);
	long_name[41] = '\0';
	doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "subscale", json_string(long_name));
	expect_parse_fail(doc, "c3", "subscale");
}

/* The message says "1-40 of a-z 0-9 - _": an empty subscale name is not a name. */
static void parse_item_subscale_empty(void **state)
{
	(void)state;
	json_t *doc = valid_doc();
	json_object_set_new(item_of(doc, 2), "subscale", json_string(""));
	expect_parse_fail(doc, "c3", "subscale");
}

/* --- questionnaire_score --- */

/*
 * a: 1..5, subscale x          b: 1..5 reverse, subscale x
 * c: 0..10, subscale y         d: 1..5 reverse, no subscale
 */
static struct questionnaire scoring_q;

static void load_scoring_q(void)
{
	json_error_t e;
	json_t *doc = json_loads(
	    "{\"id\": \"score-q\", \"title\": \"S\", \"citation\": \"c\", \"licence\": \"l\", "
	    "\"suggested_interval_days\": 7,"
	    " \"items\": ["
	    "  {\"id\": \"a\", \"text\": \"A\", \"min\": 1, \"max\": 5, \"subscale\": \"x\"},"
	    "  {\"id\": \"b\", \"text\": \"B\", \"min\": 1, \"max\": 5, \"reverse\": true, \"subscale\": \"x\"},"
	    "  {\"id\": \"c\", \"text\": \"C\", \"min\": 0, \"max\": 10, \"subscale\": \"y\"},"
	    "  {\"id\": \"d\", \"text\": \"D\", \"min\": 1, \"max\": 5, \"reverse\": true}"
	    "]}",
	    0, &e);
	assert_non_null(doc);
	char err[256] = "";
	assert_int_equal(questionnaire_parse(doc, "score.json", &scoring_q, err, sizeof err), 0);
	json_decref(doc);
}

static void score_ok(json_t *answers, double want, double want_x, double want_y)
{
	double score = -1;
	json_t *subs = NULL;
	struct problem p = {0};
	assert_true(questionnaire_score(&scoring_q, answers, &score, &subs, &p));
	assert_true(fabs(score - want) < 1e-9);
	assert_non_null(subs);
	assert_int_equal(json_object_size(subs), 2); /* d has no subscale */
	assert_true(fabs(json_real_value(json_object_get(subs, "x")) - want_x) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(subs, "y")) - want_y) < 1e-9);
	json_decref(subs);
	json_decref(answers);
}

static void score_refused(json_t *answers)
{
	double score = -1;
	json_t *subs = (json_t *)&score; /* must be reset */
	struct problem p = {0};
	assert_false(questionnaire_score(&scoring_q, answers, &score, &subs, &p));
	assert_null(subs);
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.code, "invalid_input");
	assert_non_null(p.field);
	assert_string_equal(p.field, "answers");
	assert_non_null(p.message);
	json_decref(answers);
}

static void score_reverse_and_subscales(void **state)
{
	(void)state;
	load_scoring_q();
	/* a=5, b=2 -> 1+5-2 = 4, c=7, d=1 -> 5: total 21 / 4 = 5.25; x = (5+4)/2 = 4.5; y = 7 */
	score_ok(json_pack("{s:i, s:i, s:i, s:i}", "a", 5, "b", 2, "c", 7, "d", 1), 5.25, 4.5, 7.0);
	/* a=1, b=5 -> 1, c=0, d=5 -> 1: 3 / 4 = 0.75; x = 1; y = 0 */
	score_ok(json_pack("{s:i, s:i, s:i, s:i}", "a", 1, "b", 5, "c", 0, "d", 5), 0.75, 1.0, 0.0);
	/* a=3, b=3 -> 3, c=10, d=3 -> 3: 19 / 4 = 4.75; x = 3; y = 10 */
	score_ok(json_pack("{s:i, s:i, s:i, s:i}", "a", 3, "b", 3, "c", 10, "d", 3), 4.75, 3.0, 10.0);
	/* a=2, b=1 -> 5, c=4, d=4 -> 2: 13 / 4 = 3.25; x = 3.5; y = 4 */
	score_ok(json_pack("{s:i, s:i, s:i, s:i}", "a", 2, "b", 1, "c", 4, "d", 4), 3.25, 3.5, 4.0);
	questionnaire_cleanup(&scoring_q);
}

static void score_refusals(void **state)
{
	(void)state;
	load_scoring_q();
	score_refused(json_pack("{s:i, s:i, s:i}", "a", 5, "b", 2, "c", 7));                            /* d missing */
	score_refused(json_object());                                                                   /* nothing */
	score_refused(json_pack("{s:i, s:i, s:i, s:i, s:i}", "a", 5, "b", 2, "c", 7, "d", 1, "zz", 3)); /* unknown */
	score_refused(json_pack("{s:i, s:i, s:i, s:i}", "a", 6, "b", 2, "c", 7, "d", 1));               /* above max */
	score_refused(json_pack("{s:i, s:i, s:i, s:i}", "a", 0, "b", 2, "c", 7, "d", 1));               /* below min */
	score_refused(json_pack("{s:i, s:i, s:i, s:i}", "a", 5, "b", 2, "c", -1, "d", 1));              /* below 0 */
	score_refused(json_pack("{s:i, s:i, s:i, s:i}", "a", 5, "b", 2, "c", 11, "d", 1));              /* above 10 */
	score_refused(json_pack("{s:f, s:i, s:i, s:i}", "a", 5.0, "b", 2, "c", 7, "d", 1));             /* a real */
	score_refused(json_pack("{s:i, s:i, s:f, s:i}", "a", 5, "b", 2, "c", 7.5, "d", 1));             /* a real */
	score_refused(json_pack("{s:s, s:i, s:i, s:i}", "a", "5", "b", 2, "c", 7, "d", 1));             /* a string */
	score_refused(json_pack("{s:n, s:i, s:i, s:i}", "a", "b", 2, "c", 7, "d", 1));                  /* null */
	score_refused(json_pack("{s:b, s:i, s:i, s:i}", "a", 1, "b", 2, "c", 7, "d", 1));               /* boolean */
	score_refused(json_pack("[i, i, i, i]", 5, 2, 7, 1)); /* not an object */
	questionnaire_cleanup(&scoring_q);
}

/* --- the shipped instrument --- */

static void shipped_instrument(void **state)
{
	(void)state;
	char err[512] = "";
	if (questionnaires_load(NULL, err, sizeof err) != 0)
		fail_msg("questionnaires_load: %s", err);
	assert_true(questionnaire_count() >= 1);
	const struct questionnaire *q = questionnaire_by_id("security-check");
	assert_non_null(q);
	assert_ptr_equal(questionnaire_at(0), q);
	assert_null(questionnaire_at(questionnaire_count()));
	assert_null(questionnaire_by_id("no-such-instrument"));
	assert_null(questionnaire_by_id(NULL));
	assert_true(q->count >= 12 && q->count <= 16);
	assert_non_null(q->title);
	assert_non_null(q->citation);
	assert_non_null(q->licence);
	assert_true(q->interval_days >= 1 && q->interval_days <= 365);

	const char *subs[16];
	size_t nsubs = 0, reverse = 0;
	for (size_t i = 0; i < q->count; i++) {
		const struct q_item *it = &q->items[i];
		assert_non_null(it->text);
		assert_true(it->max > it->min);
		if (it->labels)
			assert_int_equal(json_array_size(it->labels), (size_t)(it->max - it->min + 1));
		reverse += it->reverse;
		assert_non_null(it->subscale);
		bool seen = false;
		for (size_t k = 0; k < nsubs; k++)
			seen |= strcmp(subs[k], it->subscale) == 0;
		if (!seen)
			subs[nsubs++] = it->subscale;
	}
	assert_int_equal(nsubs, 4);
	assert_true(reverse >= 1 && reverse < q->count);

	/* every answer the maximum: reverse items count as their minimum */
	json_t *answers = json_object();
	double want = 0;
	for (size_t i = 0; i < q->count; i++) {
		json_object_set_new(answers, q->items[i].id, json_integer(q->items[i].max));
		want += q->items[i].reverse ? q->items[i].min : q->items[i].max;
	}
	want /= (double)q->count;
	double score = 0;
	json_t *sub = NULL;
	struct problem p = {0};
	assert_true(questionnaire_score(q, answers, &score, &sub, &p));
	assert_true(fabs(score - want) < 1e-9);
	assert_int_equal(json_object_size(sub), 4);
	json_decref(sub);
	/* leaving one out is refused */
	json_object_del(answers, q->items[q->count - 1].id);
	assert_false(questionnaire_score(q, answers, &score, &sub, &p));
	assert_string_equal(p.field, "answers");
	json_decref(answers);

	/* the JSON view lists every item */
	json_t *j = questionnaire_json(q);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "items")), q->count);
	json_decref(j);

	/* loading twice does not duplicate */
	size_t n = questionnaire_count();
	assert_int_equal(questionnaires_load(NULL, err, sizeof err), 0);
	assert_int_equal(questionnaire_count(), n);
	/* a missing extra directory stops the load with a message naming it */
	assert_int_equal(questionnaires_load("/nonexistent/hearth-q-dir", err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/hearth-q-dir"));
	assert_int_equal(questionnaire_count(), 0);
	assert_int_equal(questionnaires_load(NULL, err, sizeof err), 0);
}

/* --- clinical scoring: sum or mean, bands, reliable change --- */

/* Three items 0..5 (one reversed), sum scored: scores 0..15; bands and a threshold of 3. */
static json_t *scored_doc(void)
{
	json_error_t e;
	json_t *doc = json_loads(
	    "{\"id\": \"scored\", \"title\": \"Scored\", \"citation\": \"c\", \"licence\": \"l\","
	    " \"suggested_interval_days\": 14, \"scoring\": \"sum\", \"reliable_change\": 3,"
	    " \"subscales\": {\"near\": \"Feeling close\"},"
	    " \"bands\": [{\"label\": \"Low\", \"min\": 0, \"max\": 6}, {\"label\": \"Middle\", \"min\": 7, \"max\": "
	    "10},"
	    "             {\"label\": \"High\", \"min\": 11, \"max\": 15}],"
	    " \"items\": ["
	    "  {\"id\": \"a\", \"text\": \"A\", \"min\": 0, \"max\": 5, \"subscale\": \"near\"},"
	    "  {\"id\": \"b\", \"text\": \"B\", \"min\": 0, \"max\": 5, \"subscale\": \"near\"},"
	    "  {\"id\": \"c\", \"text\": \"C\", \"min\": 0, \"max\": 5, \"reverse\": true, \"subscale\": \"open-talk\"}"
	    "]}",
	    0, &e);
	assert_non_null(doc);
	return doc;
}

static double score_of(const struct questionnaire *q, int a, int b, int c, json_t **subs)
{
	json_t *answers = json_pack("{s:i, s:i, s:i}", "a", a, "b", b, "c", c);
	double score = -1;
	struct problem p = {0};
	assert_true(questionnaire_score(q, answers, &score, subs, &p));
	json_decref(answers);
	return score;
}

static void scoring_sum_and_mean(void **state)
{
	(void)state;
	json_t *doc = scored_doc();
	struct questionnaire q;
	char err[512] = "";
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	assert_int_equal(q.scoring, Q_SCORING_SUM);
	assert_true(q.score_min == 0 && q.score_max == 15);
	json_t *subs;
	/* 4 + 5 + (5 - 1) = 13; subscales sum too */
	assert_true(fabs(score_of(&q, 4, 5, 1, &subs) - 13) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(subs, "near")) - 9) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(subs, "open-talk")) - 4) < 1e-9);
	json_decref(subs);
	double lo, hi;
	questionnaire_subscale_range(&q, "near", &lo, &hi);
	assert_true(lo == 0 && hi == 10);
	/* named, or named from the key */
	assert_string_equal(questionnaire_subscale_name(&q, "near"), "Feeling close");
	assert_string_equal(questionnaire_subscale_name(&q, "open-talk"), "Open talk");
	char text[32];
	questionnaire_format(&q, 13, text);
	assert_string_equal(text, "13");
	questionnaire_cleanup(&q);
	json_decref(doc);

	/* the same as a mean: 13 / 3 */
	doc = scored_doc();
	json_object_set_new(doc, "scoring", json_string("mean"));
	json_object_del(doc, "bands");
	json_object_del(doc, "reliable_change");
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	assert_true(q.score_min == 0 && q.score_max == 5);
	assert_true(fabs(score_of(&q, 4, 5, 1, &subs) - 13.0 / 3) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(subs, "near")) - 4.5) < 1e-9);
	json_decref(subs);
	questionnaire_format(&q, 13.0 / 3, text);
	assert_string_equal(text, "4.3");
	questionnaire_format(&q, 3.25, text); /* a mean of four answers: halves round up */
	assert_string_equal(text, "3.3");
	assert_null(questionnaire_band(&q, 3)); /* no bands declared */
	questionnaire_cleanup(&q);
	json_decref(doc);
	/* without "scoring": the mean */
	doc = valid_doc();
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	assert_int_equal(q.scoring, Q_SCORING_MEAN);
	questionnaire_cleanup(&q);
	json_decref(doc);
}

static void scoring_bands_at_the_edges(void **state)
{
	(void)state;
	json_t *doc = scored_doc();
	struct questionnaire q;
	char err[512] = "";
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	static const struct {
		double score;
		const char *band;
	} cases[] = {{0, "Low"},    {6, "Low"},   {6.5, NULL},  {7, "Middle"}, {10, "Middle"},
	             {10.01, NULL}, {11, "High"}, {15, "High"}, {15.5, NULL},  {-1, NULL}};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct q_band *b = questionnaire_band(&q, cases[i].score);
		if (!cases[i].band && b)
			fail_msg("score %g: expected no band, got %s", cases[i].score, b->label);
		if (cases[i].band && (!b || strcmp(b->label, cases[i].band) != 0))
			fail_msg("score %g: expected %s, got %s", cases[i].score, cases[i].band, b ? b->label : "none");
	}
	questionnaire_cleanup(&q);
	json_decref(doc);
}

static void scoring_reliable_change(void **state)
{
	(void)state;
	json_t *doc = scored_doc();
	struct questionnaire q;
	char err[512] = "";
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	struct q_change ch;
	/* the first response has no change */
	questionnaire_change(&q, 9, NULL, &ch);
	assert_false(ch.present);
	struct store_qresponse prev = {.score = 5, .created_at = 1700000000000};
	/* up by more than the threshold: reliable */
	questionnaire_change(&q, 9, &prev, &ch);
	assert_true(ch.present);
	assert_true(ch.from_score == 5 && ch.delta == 4 && ch.from_at == prev.created_at);
	assert_int_equal(ch.reliable, 1);
	/* down by more: reliable too */
	questionnaire_change(&q, 1, &prev, &ch);
	assert_true(ch.delta == -4);
	assert_int_equal(ch.reliable, 1);
	/* exactly the threshold, either way: not larger than it */
	questionnaire_change(&q, 8, &prev, &ch);
	assert_int_equal(ch.reliable, 0);
	questionnaire_change(&q, 2, &prev, &ch);
	assert_int_equal(ch.reliable, 0);
	/* within it */
	questionnaire_change(&q, 6, &prev, &ch);
	assert_int_equal(ch.reliable, 0);
	questionnaire_cleanup(&q);
	json_decref(doc);
	/* a mean's float steps: 3.3 - 2.5 is not larger than 0.8 */
	doc = scored_doc();
	json_object_set_new(doc, "scoring", json_string("mean"));
	json_object_del(doc, "bands");
	json_object_set_new(doc, "reliable_change", json_real(0.8));
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	prev.score = 2.5;
	questionnaire_change(&q, 3.3, &prev, &ch);
	assert_int_equal(ch.reliable, 0);
	questionnaire_change(&q, 3.4, &prev, &ch);
	assert_int_equal(ch.reliable, 1);
	questionnaire_cleanup(&q);
	json_decref(doc);
	/* without a threshold: a change, not judged */
	doc = valid_doc();
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	questionnaire_change(&q, 4, &prev, &ch);
	assert_true(ch.present);
	assert_int_equal(ch.reliable, -1);
	questionnaire_cleanup(&q);
	json_decref(doc);
}

/* Sets doc's "bands" from JSON text. */
static json_t *with_bands(const char *bands)
{
	json_t *doc = scored_doc();
	json_error_t e;
	json_t *b = json_loads(bands, JSON_DECODE_ANY, &e);
	assert_non_null(b);
	json_object_set_new(doc, "bands", b);
	return doc;
}

static void parse_scoring_fields(void **state)
{
	(void)state;
	json_t *doc = scored_doc();
	json_object_set_new(doc, "scoring", json_string("median"));
	expect_parse_fail(doc, NULL, "scoring");
	doc = scored_doc();
	json_object_set_new(doc, "scoring", json_integer(1));
	expect_parse_fail(doc, NULL, "scoring");
	/* bands: the wrong shape, out of order, overlapping, touching, outside the range, reversed, unnamed */
	static const char *const bad[] = {
	    "{}",
	    "[]",
	    "[{\"label\": \"High\", \"min\": 11, \"max\": 15}, {\"label\": \"Low\", \"min\": 0, \"max\": 6}]",
	    "[{\"label\": \"Low\", \"min\": 0, \"max\": 8}, {\"label\": \"High\", \"min\": 7, \"max\": 15}]",
	    "[{\"label\": \"Low\", \"min\": 0, \"max\": 7}, {\"label\": \"High\", \"min\": 7, \"max\": 15}]",
	    "[{\"label\": \"Low\", \"min\": -1, \"max\": 6}]",
	    "[{\"label\": \"High\", \"min\": 11, \"max\": 16}]",
	    "[{\"label\": \"Odd\", \"min\": 9, \"max\": 8}]",
	    "[{\"min\": 0, \"max\": 6}]",
	    "[{\"label\": \"\", \"min\": 0, \"max\": 6}]",
	    "[{\"label\": \"Low\", \"min\": \"0\", \"max\": 6}]",
	    "[{\"label\": \"Low\", \"min\": 0}]",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		expect_parse_fail(with_bands(bad[i]), NULL, "bands");
	/* a message says what is wrong */
	{
		struct questionnaire q;
		char err[512] = "";
		json_t *d = with_bands(bad[3]);
		assert_int_equal(questionnaire_parse(d, FILE_NAME, &q, err, sizeof err), -1);
		assert_non_null(strstr(err, "without overlap"));
		json_decref(d);
		d = with_bands(bad[6]);
		assert_int_equal(questionnaire_parse(d, FILE_NAME, &q, err, sizeof err), -1);
		assert_non_null(strstr(err, "0 to 15"));
		json_decref(d);
	}
	/* reliable_change: a positive number within the range */
	static const char *const bad_rc[] = {"0", "-1", "16", "\"3\"", "true"};
	for (size_t i = 0; i < ARRAY_LEN(bad_rc); i++) {
		doc = scored_doc();
		json_object_set_new(doc, "reliable_change", json_loads(bad_rc[i], JSON_DECODE_ANY, NULL));
		expect_parse_fail(doc, NULL, "reliable_change");
	}
	/* subscale names: an object naming exactly the subscales there are */
	doc = scored_doc();
	json_object_set_new(doc, "subscales", json_array());
	expect_parse_fail(doc, NULL, "subscales");
	doc = scored_doc();
	json_object_set_new(json_object_get(doc, "subscales"), "ghost", json_string("Nobody's"));
	expect_parse_fail(doc, NULL, "subscales");
	doc = scored_doc();
	json_object_set_new(json_object_get(doc, "subscales"), "near", json_string(""));
	expect_parse_fail(doc, NULL, "subscales");
	doc = scored_doc();
	json_object_set_new(json_object_get(doc, "subscales"), "near", json_integer(3));
	expect_parse_fail(doc, NULL, "subscales");
	/* the JSON view carries the scoring */
	doc = scored_doc();
	struct questionnaire q;
	char err[512] = "";
	assert_int_equal(questionnaire_parse(doc, FILE_NAME, &q, err, sizeof err), 0);
	json_t *j = questionnaire_json(&q);
	assert_string_equal(json_string_value(json_object_get(j, "scoring")), "sum");
	assert_int_equal(json_array_size(json_object_get(j, "bands")), 3);
	assert_true(json_number_value(json_object_get(j, "reliable_change")) == 3);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "subscales"), "near")),
	                    "Feeling close");
	json_decref(j);
	questionnaire_cleanup(&q);
	json_decref(doc);
}

/* --- date_add_days --- */

/* --- trend_range --- */

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_valid),
	    cmocka_unit_test(parse_top_level_fields),
	    cmocka_unit_test(parse_item_id),
	    cmocka_unit_test(parse_item_text),
	    cmocka_unit_test(parse_item_min_max),
	    cmocka_unit_test(parse_item_labels),
	    cmocka_unit_test(parse_item_reverse),
	    cmocka_unit_test(parse_item_subscale),
	    cmocka_unit_test(parse_item_subscale_empty),
	    cmocka_unit_test(score_reverse_and_subscales),
	    cmocka_unit_test(score_refusals),
	    cmocka_unit_test(shipped_instrument),
	    cmocka_unit_test(scoring_sum_and_mean),
	    cmocka_unit_test(scoring_bands_at_the_edges),
	    cmocka_unit_test(scoring_reliable_change),
	    cmocka_unit_test(parse_scoring_fields),
	};
	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
