/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_growth.c - unit tests for the growth rules: questionnaire_parse on
 * hostile instrument documents (every broken field gives -1 and a message
 * naming the file, the item and the field), questionnaire_score (reverse
 * items, subscales, refused answers), the shipped instrument, date_add_days
 * across month, year and leap boundaries, trend_range defaults and checks,
 * and trend_svg output checked with a small well-formedness checker.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/agreement.h"
#include "domain/date.h"
#include "domain/trends.h"
#include "web/render/chart.h"
#include "domain/questionnaire.h"
#include "util/util.h"

#define FILE_NAME "hostile/instrument.json"

/* 2026-11-26T11:30:00Z: already the 27th in Auckland, still the 26th in Los Angeles. */
static int64_t fixed_instant(void)
{
	struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 26, .tm_hour = 11, .tm_min = 30};
	return (int64_t)timegm(&tm) * 1000;
}

static int64_t (*real_clock)(void);

static int group_setup(void **state)
{
	(void)state;
	real_clock = util_clock;
	util_clock = fixed_instant;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	util_clock = real_clock;
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
	    "  {\"id\": \"a1\", \"text\": \"First\", \"min\": 1, \"max\": 5, \"labels\": [\"1\",\"2\",\"3\",\"4\",\"5\"],"
	    "   \"reverse\": false, \"subscale\": \"alpha\"},"
	    "  {\"id\": \"b2\", \"text\": \"Second\", \"min\": 1, \"max\": 5, \"reverse\": true, \"subscale\": \"alpha\"},"
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
	doc = valid_doc(); json_object_del(doc, "id"); expect_parse_fail(doc, NULL, "id");
	doc = valid_doc(); json_object_set_new(doc, "id", json_integer(7)); expect_parse_fail(doc, NULL, "id");
	for (size_t i = 0; i < sizeof ids_bad / sizeof *ids_bad; i++) {
		doc = valid_doc(); json_object_set_new(doc, "id", json_string(ids_bad[i])); expect_parse_fail(doc, NULL, "id");
	}
	char long_id[62];
	memset(long_id, 'a', 61);
	long_id[61] = '\0';
	doc = valid_doc(); json_object_set_new(doc, "id", json_string(long_id)); expect_parse_fail(doc, NULL, "id");

	doc = valid_doc(); json_object_del(doc, "title"); expect_parse_fail(doc, NULL, "title");
	doc = valid_doc(); json_object_set_new(doc, "title", json_string("")); expect_parse_fail(doc, NULL, "title");
	doc = valid_doc(); json_object_set_new(doc, "title", json_true()); expect_parse_fail(doc, NULL, "title");
	doc = valid_doc(); json_object_del(doc, "citation"); expect_parse_fail(doc, NULL, "citation");
	doc = valid_doc(); json_object_set_new(doc, "citation", json_integer(1)); expect_parse_fail(doc, NULL, "citation");
	doc = valid_doc(); json_object_del(doc, "licence"); expect_parse_fail(doc, NULL, "licence");
	doc = valid_doc(); json_object_set_new(doc, "licence", json_string("")); expect_parse_fail(doc, NULL, "licence");

	const char *interval = "suggested_interval_days";
	doc = valid_doc(); json_object_del(doc, interval); expect_parse_fail(doc, NULL, interval);
	doc = valid_doc(); json_object_set_new(doc, interval, json_integer(0)); expect_parse_fail(doc, NULL, interval);
	doc = valid_doc(); json_object_set_new(doc, interval, json_integer(-3)); expect_parse_fail(doc, NULL, interval);
	doc = valid_doc(); json_object_set_new(doc, interval, json_integer(366)); expect_parse_fail(doc, NULL, interval);
	doc = valid_doc(); json_object_set_new(doc, interval, json_real(28.0)); expect_parse_fail(doc, NULL, interval);
	doc = valid_doc(); json_object_set_new(doc, interval, json_string("28")); expect_parse_fail(doc, NULL, interval);

	doc = valid_doc(); json_object_del(doc, "items"); expect_parse_fail(doc, NULL, "items");
	doc = valid_doc(); json_object_set_new(doc, "items", json_array()); expect_parse_fail(doc, NULL, "items");
	doc = valid_doc(); json_object_set_new(doc, "items", json_object()); expect_parse_fail(doc, NULL, "items");
	doc = valid_doc();
	{
		json_t *many = json_array();
		for (int i = 0; i < 201; i++) {
			char id[16];
			snprintf(id, sizeof id, "i%d", i);
			json_array_append_new(many, json_pack("{s:s, s:s, s:i, s:i}", "id", id, "text", "t", "min", 1, "max", 5));
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
	doc = valid_doc(); json_object_del(item_of(doc, 1), "id"); expect_parse_fail(doc, "item 2", "id");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "id", json_string("")); expect_parse_fail(doc, "item 2", "id");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "id", json_string("C3")); expect_parse_fail(doc, "item 3", "id");
	doc = valid_doc(); json_object_set_new(item_of(doc, 0), "id", json_integer(1)); expect_parse_fail(doc, "item 1", "id");
	char long_id[42];
	memset(long_id, 'x', 41);
	long_id[41] = '\0';
	doc = valid_doc(); json_object_set_new(item_of(doc, 0), "id", json_string(long_id)); expect_parse_fail(doc, "item 1", "id");
	/* an item that is not an object */
	doc = valid_doc(); json_array_set_new(json_object_get(doc, "items"), 1, json_string("b2")); expect_parse_fail(doc, "item 2", "id");
	/* duplicates, adjacent and not */
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "id", json_string("a1")); expect_parse_fail(doc, "a1", "id");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "id", json_string("a1")); expect_parse_fail(doc, "a1", "id");
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
	doc = valid_doc(); json_object_del(item_of(doc, 1), "text"); expect_parse_fail(doc, "b2", "text");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "text", json_string("")); expect_parse_fail(doc, "b2", "text");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "text", json_integer(3)); expect_parse_fail(doc, "c3", "text");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "text", json_null()); expect_parse_fail(doc, "c3", "text");
}

static void parse_item_min_max(void **state)
{
	(void)state;
	json_t *doc;
	doc = valid_doc(); json_object_del(item_of(doc, 1), "min"); expect_parse_fail(doc, "b2", "min");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "min", json_real(1.0)); expect_parse_fail(doc, "b2", "min");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "min", json_string("1")); expect_parse_fail(doc, "b2", "min");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "min", json_integer(-101)); expect_parse_fail(doc, "b2", "min");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "min", json_integer(101)); expect_parse_fail(doc, "b2", "min");

	doc = valid_doc(); json_object_del(item_of(doc, 2), "max"); expect_parse_fail(doc, "c3", "max");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "max", json_integer(0)); expect_parse_fail(doc, "c3", "max");   /* == min */
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "max", json_integer(-1)); expect_parse_fail(doc, "c3", "max");  /* < min */
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "max", json_integer(101)); expect_parse_fail(doc, "c3", "max");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "max", json_real(10.0)); expect_parse_fail(doc, "c3", "max");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "max", json_string("10")); expect_parse_fail(doc, "c3", "max");

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
	doc = valid_doc(); json_array_remove(json_object_get(item_of(doc, 0), "labels"), 0); expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc(); json_array_append_new(json_object_get(item_of(doc, 0), "labels"), json_string("6")); expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc(); json_object_set_new(item_of(doc, 0), "labels", json_array()); expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc(); json_object_set_new(item_of(doc, 0), "labels", json_string("1,2,3,4,5")); expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc(); json_object_set_new(item_of(doc, 0), "labels", json_pack("{s:s}", "1", "one")); expect_parse_fail(doc, "a1", "labels");
	doc = valid_doc(); json_array_set_new(json_object_get(item_of(doc, 0), "labels"), 2, json_integer(3)); expect_parse_fail(doc, "a1", "labels");
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
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "reverse", json_string("yes")); expect_parse_fail(doc, "b2", "reverse");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "reverse", json_string("true")); expect_parse_fail(doc, "b2", "reverse");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "reverse", json_integer(1)); expect_parse_fail(doc, "b2", "reverse");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "reverse", json_null()); expect_parse_fail(doc, "b2", "reverse");
	doc = valid_doc(); json_object_set_new(item_of(doc, 1), "reverse", json_array()); expect_parse_fail(doc, "b2", "reverse");
}

static void parse_item_subscale(void **state)
{
	(void)state;
	json_t *doc;
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "subscale", json_integer(2)); expect_parse_fail(doc, "c3", "subscale");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "subscale", json_string("Beta")); expect_parse_fail(doc, "c3", "subscale");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "subscale", json_string("be ta")); expect_parse_fail(doc, "c3", "subscale");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "subscale", json_true()); expect_parse_fail(doc, "c3", "subscale");
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "subscale", json_array()); expect_parse_fail(doc, "c3", "subscale");
	char long_name[42];
	memset(long_name, 's', 41);
	long_name[41] = '\0';
	doc = valid_doc(); json_object_set_new(item_of(doc, 2), "subscale", json_string(long_name)); expect_parse_fail(doc, "c3", "subscale");
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
	    "{\"id\": \"score-q\", \"title\": \"S\", \"citation\": \"c\", \"licence\": \"l\", \"suggested_interval_days\": 7,"
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
	score_refused(json_pack("{s:i, s:i, s:i}", "a", 5, "b", 2, "c", 7));                       /* d missing */
	score_refused(json_object());                                                             /* nothing */
	score_refused(json_pack("{s:i, s:i, s:i, s:i, s:i}", "a", 5, "b", 2, "c", 7, "d", 1, "zz", 3)); /* unknown */
	score_refused(json_pack("{s:i, s:i, s:i, s:i}", "a", 6, "b", 2, "c", 7, "d", 1));            /* above max */
	score_refused(json_pack("{s:i, s:i, s:i, s:i}", "a", 0, "b", 2, "c", 7, "d", 1));            /* below min */
	score_refused(json_pack("{s:i, s:i, s:i, s:i}", "a", 5, "b", 2, "c", -1, "d", 1));           /* below 0 */
	score_refused(json_pack("{s:i, s:i, s:i, s:i}", "a", 5, "b", 2, "c", 11, "d", 1));           /* above 10 */
	score_refused(json_pack("{s:f, s:i, s:i, s:i}", "a", 5.0, "b", 2, "c", 7, "d", 1));          /* a real */
	score_refused(json_pack("{s:i, s:i, s:f, s:i}", "a", 5, "b", 2, "c", 7.5, "d", 1));          /* a real */
	score_refused(json_pack("{s:s, s:i, s:i, s:i}", "a", "5", "b", 2, "c", 7, "d", 1));          /* a string */
	score_refused(json_pack("{s:n, s:i, s:i, s:i}", "a", "b", 2, "c", 7, "d", 1));               /* null */
	score_refused(json_pack("{s:b, s:i, s:i, s:i}", "a", 1, "b", 2, "c", 7, "d", 1));            /* boolean */
	score_refused(json_pack("[i, i, i, i]", 5, 2, 7, 1));                                       /* not an object */
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

/* --- date_add_days --- */

static void add_ok(const char *date, int days, const char *want)
{
	char out[11] = "";
	if (!date_add_days(date, days, out))
		fail_msg("date_add_days(%s, %d) refused", date, days);
	if (strcmp(out, want) != 0)
		fail_msg("date_add_days(%s, %d) = %s, want %s", date, days, out, want);
}

static void date_arithmetic(void **state)
{
	(void)state;
	add_ok("2028-02-28", 1, "2028-02-29");
	add_ok("2028-02-29", 1, "2028-03-01");
	add_ok("2026-12-31", 1, "2027-01-01");
	add_ok("2026-03-01", -1, "2026-02-28");
	add_ok("2028-03-01", -1, "2028-02-29");
	add_ok("2027-01-01", -1, "2026-12-31");
	add_ok("2026-02-28", 1, "2026-03-01");
	add_ok("2100-02-28", 1, "2100-03-01"); /* not a leap year */
	add_ok("2000-02-28", 1, "2000-02-29"); /* a leap year */
	add_ok("2026-01-31", 1, "2026-02-01");
	add_ok("2026-04-30", 1, "2026-05-01");
	add_ok("2026-11-26", 0, "2026-11-26");
	add_ok("2026-11-26", -29, "2026-10-28");
	add_ok("2026-01-01", 365, "2027-01-01");
	add_ok("2028-01-01", 366, "2029-01-01");
	add_ok("2024-12-31", 60, "2025-03-01");
	add_ok("2026-03-29", 1, "2026-03-30"); /* European DST change */
	add_ok("2026-10-25", -1, "2026-10-24");
	add_ok("2026-01-01", 3660, "2036-01-09");
	add_ok("2026-01-01", -3660, "2015-12-25");

	char out[11] = "unchanged";
	assert_false(date_add_days("2027-02-29", 1, out));
	assert_false(date_add_days("2026-02-30", 1, out));
	assert_false(date_add_days("2026-13-01", 1, out));
	assert_false(date_add_days("2026-1-01", 1, out));
	assert_false(date_add_days("26-11-2026", 1, out));
	assert_false(date_add_days("", 1, out));
	assert_false(date_add_days(NULL, 1, out));
	assert_false(date_add_days("2026-11-26T00:00", 1, out));
}

/* --- trend_range --- */

static void viewer_in(struct viewer *v, const char *zone)
{
	memset(v, 0, sizeof *v);
	snprintf(v->time_zone, sizeof v->time_zone, "%s", zone);
}

static void range_ok(const struct viewer *v, const char *from, const char *to, const char *want_from,
                     const char *want_to)
{
	char f[11] = "", t[11] = "";
	struct problem p = {0};
	if (!trend_range(v, from, to, f, t, &p))
		fail_msg("trend_range(%s, %s) refused: %s", from ? from : "NULL", to ? to : "NULL", p.message);
	assert_string_equal(f, want_from);
	assert_string_equal(t, want_to);
}

static void range_bad(const struct viewer *v, const char *from, const char *to, const char *field)
{
	char f[11] = "", t[11] = "";
	struct problem p = {0};
	assert_false(trend_range(v, from, to, f, t, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.code, "invalid_input");
	assert_non_null(p.field);
	assert_string_equal(p.field, field);
	assert_non_null(p.message);
}

static void range_defaults_and_checks(void **state)
{
	(void)state;
	struct viewer v;
	viewer_in(&v, "UTC");
	/* the last 30 days, today included */
	range_ok(&v, NULL, NULL, "2026-10-28", "2026-11-26");
	range_ok(&v, "", "", "2026-10-28", "2026-11-26");
	range_ok(&v, NULL, "2026-03-01", "2026-01-31", "2026-03-01");
	range_ok(&v, "2026-11-01", NULL, "2026-11-01", "2026-11-26");
	range_ok(&v, "2026-11-26", "2026-11-26", "2026-11-26", "2026-11-26");
	range_ok(&v, "2020-02-29", "2021-03-01", "2020-02-29", "2021-03-01");
	range_ok(&v, "2016-01-01", "2026-01-01", "2016-01-01", "2026-01-01"); /* under ten years */
	/* today is the space's today */
	viewer_in(&v, "Pacific/Auckland");
	range_ok(&v, NULL, NULL, "2026-10-29", "2026-11-27");
	viewer_in(&v, "America/Los_Angeles");
	range_ok(&v, NULL, NULL, "2026-10-28", "2026-11-26");
	viewer_in(&v, "");
	range_ok(&v, NULL, NULL, "2026-10-28", "2026-11-26");

	viewer_in(&v, "UTC");
	range_bad(&v, "2026-13-01", NULL, "from");
	range_bad(&v, "2026-02-30", "2026-03-10", "from");
	range_bad(&v, "yesterday", NULL, "from");
	range_bad(&v, NULL, "2026-11-31", "to");
	range_bad(&v, "2026-11-01", "26.11.2026", "to");
	range_bad(&v, "2026-11-02", "2026-11-01", "from"); /* reversed */
	range_bad(&v, "2026-12-01", NULL, "from");          /* after today's default end */
	range_bad(&v, "2010-01-01", "2026-11-26", "from");  /* more than ten years */
}

/* --- trend_svg, with a small XML well-formedness checker --- */

static bool name_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' || c == ':' || (!first && (isdigit((unsigned char)c) || c == '-' || c == '.'));
}

/* Length of a valid entity at s ('&'), or 0. */
static size_t entity_len(const char *s)
{
	static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (strncmp(s, named[i], strlen(named[i])) == 0)
			return strlen(named[i]);
	if (s[1] != '#')
		return 0;
	size_t i = 2;
	bool hex = s[2] == 'x';
	if (hex)
		i++;
	size_t start = i;
	while (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))
		i++;
	return i > start && s[i] == ';' ? i + 1 : 0;
}

/*
 * Checks that `s` is one well-formed XML element: balanced, properly nested
 * tags; every attribute quoted, no duplicates... (only the shapes trend_svg
 * may produce); no raw '<' or '&' in text or attribute values except as
 * entities. On failure, *why says what and *at where.
 */
static bool xml_well_formed(const char *s, const char **why, size_t *at)
{
	char stack[64][32];
	int depth = 0, roots = 0;
	size_t i = 0;
#define BAD(msg)            \
	do {                \
		*why = (msg); \
		*at = i;    \
		return false; \
	} while (0)
	while (s[i]) {
		if (s[i] == '&') {
			size_t n = entity_len(s + i);
			if (!n)
				BAD("raw '&' in text");
			i += n;
			continue;
		}
		if (s[i] != '<') {
			if (depth == 0 && !isspace((unsigned char)s[i]))
				BAD("text outside the root element");
			i++;
			continue;
		}
		i++;
		bool closing = s[i] == '/';
		if (closing)
			i++;
		if (!name_char(s[i], true))
			BAD("'<' not followed by a tag name");
		char name[32];
		size_t n = 0;
		while (name_char(s[i], n == 0) && n < sizeof name - 1)
			name[n++] = s[i++];
		name[n] = '\0';
		if (closing) {
			while (isspace((unsigned char)s[i]))
				i++;
			if (s[i] != '>')
				BAD("closing tag not ended by '>'");
			i++;
			if (depth == 0 || strcmp(stack[depth - 1], name) != 0)
				BAD("closing tag does not match the open one");
			depth--;
			continue;
		}
		char attrs[32][32];
		int nattrs = 0;
		bool self_closing = false;
		for (;;) {
			bool space = false;
			while (isspace((unsigned char)s[i])) {
				i++;
				space = true;
			}
			if (s[i] == '>') {
				i++;
				break;
			}
			if (s[i] == '/' && s[i + 1] == '>') {
				i += 2;
				self_closing = true;
				break;
			}
			if (!space)
				BAD("attribute not separated by a space");
			if (!name_char(s[i], true))
				BAD("bad attribute name");
			char an[32];
			size_t k = 0;
			while (name_char(s[i], k == 0) && k < sizeof an - 1)
				an[k++] = s[i++];
			an[k] = '\0';
			for (int j = 0; j < nattrs; j++)
				if (strcmp(attrs[j], an) == 0)
					BAD("attribute given twice");
			if (nattrs < 32)
				snprintf(attrs[nattrs++], sizeof attrs[0], "%s", an);
			if (s[i] != '=')
				BAD("attribute without '='");
			i++;
			char q = s[i];
			if (q != '"' && q != '\'')
				BAD("attribute value not quoted");
			i++;
			while (s[i] && s[i] != q) {
				if (s[i] == '<')
					BAD("raw '<' in an attribute value");
				if (s[i] == '&') {
					size_t e = entity_len(s + i);
					if (!e)
						BAD("raw '&' in an attribute value");
					i += e;
				} else {
					i++;
				}
			}
			if (!s[i])
				BAD("unterminated attribute value");
			i++;
		}
		if (depth == 0)
			roots++;
		if (roots > 1)
			BAD("more than one root element");
		if (!self_closing) {
			if (depth == 64)
				BAD("too deep");
			snprintf(stack[depth++], sizeof stack[0], "%s", name);
		}
	}
	if (depth != 0) {
		*why = "unclosed element";
		*at = i;
		return false;
	}
	if (roots != 1) {
		*why = "no root element";
		*at = i;
		return false;
	}
	return true;
#undef BAD
}

static void assert_xml(const char *svg)
{
	const char *why = NULL;
	size_t at = 0;
	if (!xml_well_formed(svg, &why, &at))
		fail_msg("not well-formed XML: %s at offset %zu: ...%.60s...\n%s", why, at,
		         svg + (at > 20 ? at - 20 : 0), svg);
}

static void checker_catches_problems(void **state)
{
	(void)state;
	const char *why;
	size_t at;
	assert_true(xml_well_formed("<svg a=\"1\"><title>x &amp; y</title><g/></svg>", &why, &at));
	assert_false(xml_well_formed("<svg><title>x & y</title></svg>", &why, &at));
	assert_false(xml_well_formed("<svg><title>a < b</title></svg>", &why, &at));
	assert_false(xml_well_formed("<svg><g></svg>", &why, &at));
	assert_false(xml_well_formed("<svg><g></h></svg>", &why, &at));
	assert_false(xml_well_formed("<svg a=1></svg>", &why, &at));
	assert_false(xml_well_formed("<svg a=\"<\"></svg>", &why, &at));
	assert_false(xml_well_formed("<svg a=\"1\"a=\"2\"></svg>", &why, &at));
	assert_false(xml_well_formed("<svg a=\"1\" a=\"2\"></svg>", &why, &at));
	assert_false(xml_well_formed("<svg></svg><svg></svg>", &why, &at));
	assert_false(xml_well_formed("<svg>", &why, &at));
}

static struct trend_series series_of(const char *label, double min, double max, int n, const char *first_date,
                                     int step_days, struct trend_point *storage)
{
	struct trend_series s = {.points = storage, .count = n, .min = min, .max = max, .label = label};
	for (int i = 0; i < n; i++) {
		assert_true(date_add_days(first_date, i * step_days, storage[i].date));
		storage[i].value = min + fmod(i * 1.37, max - min);
	}
	return s;
}

/* Renders and checks; returns the SVG (caller frees). */
static char *render(bool standalone, const char *title, const char *from, const char *to,
                    const struct trend_series *mine, const char *mine_name, const struct trend_series *partner,
                    const char *partner_name)
{
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(chart_svg(&out, standalone, title, from, to, mine, mine_name, partner, partner_name), 0);
	char *svg = buf_steal(&out);
	assert_non_null(svg);
	assert_xml(svg);
	assert_non_null(strstr(svg, "<svg "));
	assert_non_null(strstr(svg, "role=\"img\""));
	assert_non_null(strstr(svg, "<title id=\"chart-title\">"));
	assert_non_null(strstr(svg, "<desc id=\"chart-desc\">"));
	assert_non_null(strstr(svg, "aria-labelledby=\"chart-title chart-desc\""));
	assert_true((strstr(svg, "<style>") != NULL) == standalone);
	assert_null(strstr(svg, "nan"));
	assert_null(strstr(svg, "inf"));
	buf_cleanup(&out);
	return svg;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void svg_empty_one_many_both(void **state)
{
	(void)state;
	struct trend_point a[400], b[400];
	for (int sa = 0; sa < 2; sa++) {
		bool standalone = sa == 1;
		/* empty series */
		struct trend_series empty = series_of("Mood", 1, 5, 0, "2026-10-28", 1, a);
		char *svg = render(standalone, "Mood, 2026-10-28 to 2026-11-26", "2026-10-28", "2026-11-26", &empty, "You",
		                   NULL, NULL);
		assert_null(strstr(svg, "<polyline"));
		assert_null(strstr(svg, "<circle"));
		assert_non_null(strstr(svg, "No data for You"));
		free(svg);
		/* neither series */
		svg = render(standalone, "Nothing", "2026-10-28", "2026-11-26", NULL, "You", NULL, "Sam");
		assert_null(strstr(svg, "<polyline"));
		free(svg);
		/* one point */
		struct trend_series one = series_of("Mood", 1, 5, 1, "2026-11-20", 1, a);
		svg = render(standalone, "Mood", "2026-10-28", "2026-11-26", &one, "You", NULL, NULL);
		assert_int_equal(count_of(svg, "<polyline"), 1);
		assert_int_equal(count_of(svg, "<circle"), 1);
		free(svg);
		/* one day only (from == to) */
		svg = render(standalone, "Mood", "2026-11-20", "2026-11-20", &one, "You", NULL, NULL);
		assert_int_equal(count_of(svg, "<circle"), 1);
		free(svg);
		/* many points: a year of connection scores */
		struct trend_series many = series_of("Connection", 0, 10, 365, "2025-11-27", 1, a);
		svg = render(standalone, "Connection, the last year", "2025-11-27", "2026-11-26", &many, "You", NULL, NULL);
		assert_int_equal(count_of(svg, "<circle"), 365);
		free(svg);
		/* both series, on a questionnaire scale, partner with fewer days */
		struct trend_series mine = series_of("Security check", 1, 5, 30, "2026-10-28", 1, a);
		struct trend_series theirs = series_of("Security check", 1, 5, 10, "2026-10-28", 3, b);
		svg = render(standalone, "Security check", "2026-10-28", "2026-11-26", &mine, "You", &theirs, "Sam");
		assert_int_equal(count_of(svg, "<polyline"), 2);
		assert_int_equal(count_of(svg, "<circle"), 40);
		assert_non_null(strstr(svg, "class=\"partner\""));
		assert_non_null(strstr(svg, "class=\"me\""));
		free(svg);
		/* partner only */
		svg = render(standalone, "Security check", "2026-10-28", "2026-11-26", NULL, "You", &theirs, "Sam");
		assert_int_equal(count_of(svg, "<polyline"), 1);
		free(svg);
		/* both empty */
		struct trend_series e1 = series_of("Mood", 1, 5, 0, "2026-10-28", 1, a);
		struct trend_series e2 = series_of("Mood", 1, 5, 0, "2026-10-28", 1, b);
		svg = render(standalone, "Mood", "2026-10-28", "2026-11-26", &e1, "You", &e2, "Sam");
		assert_non_null(strstr(svg, "No data for Sam"));
		free(svg);
	}
}

static void svg_hostile_names(void **state)
{
	(void)state;
	static const char hostile[] = "<script>&\"";
	static const char escaped[] = "&lt;script&gt;&amp;&quot;";
	struct trend_point a[20], b[20];
	struct trend_series mine = series_of("Mood", 1, 5, 5, "2026-11-01", 2, a);
	struct trend_series theirs = series_of("Mood", 1, 5, 3, "2026-11-02", 3, b);
	struct trend_series empty = series_of("Mood", 1, 5, 0, "2026-11-02", 3, b);
	for (int sa = 0; sa < 2; sa++) {
		char *svg = render(sa == 1, "Title <b>&amp; \"quoted\" 'single'</b> & more", "2026-10-28", "2026-11-26", &mine,
		                   hostile, &theirs, "Sam's </desc><script>alert(1)</script> & co");
		assert_null(strstr(svg, "<script"));
		assert_null(strstr(svg, "<b>"));
		/* in the legend and in the description */
		assert_true(count_of(svg, escaped) >= 2);
		assert_non_null(strstr(svg, "&lt;b&gt;&amp;amp; &quot;quoted&quot;"));
		free(svg);
		/* the hostile name with no data is named in the description, escaped */
		svg = render(sa == 1, hostile, "2026-10-28", "2026-11-26", &empty, hostile, &empty, hostile);
		assert_null(strstr(svg, "<script"));
		assert_true(count_of(svg, escaped) >= 4);
		free(svg);
	}
}

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
	    cmocka_unit_test(date_arithmetic),
	    cmocka_unit_test(range_defaults_and_checks),
	    cmocka_unit_test(checker_catches_problems),
	    cmocka_unit_test(svg_empty_one_many_both),
	    cmocka_unit_test(svg_hostile_names),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
