/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_repair_after.c - the steps after a repair's reveal
 * (src/domain/repair_after.c): the table, the answers each step takes, the
 * state machine of repair_after_allowed over every action, and validation
 * naming every invalid field at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../../src/domain/repair_after.h"
#include "../unit.h"

static void test_table(void **state)
{
	(void)state;
	assert_int_equal(repair_after_find("heard"), REPAIR_AFTER_HEARD);
	assert_int_equal(repair_after_find("my_part"), REPAIR_AFTER_MY_PART);
	assert_int_equal(repair_after_find("next_time"), REPAIR_AFTER_NEXT_TIME);
	assert_int_equal(repair_after_find("review"), -1);
	assert_int_equal(repair_after_find(NULL), -1);
	assert_true(repair_after_answer_valid(REPAIR_AFTER_HEARD, "yes"));
	assert_true(repair_after_answer_valid(REPAIR_AFTER_HEARD, "not_quite"));
	assert_false(repair_after_answer_valid(REPAIR_AFTER_HEARD, "accept"));
	assert_true(repair_after_answer_valid(REPAIR_AFTER_MY_PART, "still_need"));
	assert_false(repair_after_answer_valid(REPAIR_AFTER_MY_PART, "yes"));
	assert_false(repair_after_answer_valid(REPAIR_AFTER_NEXT_TIME, "yes"));
	assert_false(repair_after_answer_valid(REPAIR_AFTER_HEARD, NULL));
	assert_string_equal(repair_after_answer_label(REPAIR_AFTER_HEARD, "yes"), "Yes, that's it");
	assert_string_equal(repair_after_answer_label(REPAIR_AFTER_MY_PART, "not_ready"), "I'm not ready yet");
}

/* No prompt speaks of the other's fault: the steps ask about one's own part. */
static void test_no_blame_words(void **state)
{
	(void)state;
	const char *blame[] = {"fault", "blame", "wrong", "should have", "your mistake"};
	for (int k = 0; k < REPAIR_AFTER_COUNT; k++)
		for (size_t i = 0; i < sizeof blame / sizeof *blame; i++) {
			assert_null(strstr(repair_after_defs[k].title, blame[i]));
			assert_null(strstr(repair_after_defs[k].guidance, blame[i]));
		}
}

static bool allowed(int step, enum repair_after_action act, struct repair_after_facts f, const char *code)
{
	struct problem p = {0};
	bool ok = repair_after_allowed(step, act, &f, &p);
	if (code)
		assert_string_equal(p.code ? p.code : "", code);
	return ok;
}

static void test_not_open(void **state)
{
	(void)state;
	struct repair_after_facts f = {.open = false};
	for (int a = REPAIR_AFTER_SAVE; a <= REPAIR_AFTER_ANSWER; a++)
		assert_false(allowed(REPAIR_AFTER_HEARD, (enum repair_after_action)a, f, "not_revealed"));
	f.solo = true;
	assert_false(allowed(REPAIR_AFTER_NEXT_TIME, REPAIR_AFTER_SAVE, f, "not_revealed"));
}

static void test_draft_then_submit(void **state)
{
	(void)state;
	struct repair_after_facts f = {.open = true};
	assert_true(allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_SAVE, f, NULL));
	/* Sharing needs a draft: a problem on the text field. */
	struct problem p = {0};
	assert_false(repair_after_allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_SUBMIT, &f, &p));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.field, "text");
	f.mine_exists = true;
	assert_true(allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_SAVE, f, NULL));
	assert_true(allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_SUBMIT, f, NULL));
	f.mine_submitted = true;
	assert_false(allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_SAVE, f, "already_submitted"));
	assert_false(allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_SUBMIT, f, "already_submitted"));
}

static void test_answers(void **state)
{
	(void)state;
	struct repair_after_facts f = {.open = true};
	/* Only once the partner shared the step; the author's own shared step is not the one answered. */
	f.mine_submitted = f.mine_exists = true;
	assert_false(allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_ANSWER, f, "not_submitted"));
	f.partner_submitted = true;
	assert_true(allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_ANSWER, f, NULL));
	assert_true(allowed(REPAIR_AFTER_MY_PART, REPAIR_AFTER_ANSWER, f, NULL));
	/* next_time takes no answers: there is no such thing to answer (404). */
	struct problem p = {0};
	assert_false(repair_after_allowed(REPAIR_AFTER_NEXT_TIME, REPAIR_AFTER_ANSWER, &f, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	/* A solo repair has nobody to answer. */
	f.solo = true;
	assert_false(allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_ANSWER, f, "not_submitted"));
}

static void test_propose(void **state)
{
	(void)state;
	struct repair_after_facts f = {.open = true, .mine_exists = true};
	assert_false(allowed(REPAIR_AFTER_NEXT_TIME, REPAIR_AFTER_PROPOSE, f, "not_submitted"));
	f.mine_submitted = true;
	assert_true(allowed(REPAIR_AFTER_NEXT_TIME, REPAIR_AFTER_PROPOSE, f, NULL));
	f.has_agreement = true;
	assert_false(allowed(REPAIR_AFTER_NEXT_TIME, REPAIR_AFTER_PROPOSE, f, "already_proposed"));
	f.has_agreement = false;
	f.solo = true;
	assert_false(allowed(REPAIR_AFTER_NEXT_TIME, REPAIR_AFTER_PROPOSE, f, "not_revealed"));
	struct problem p = {0};
	assert_false(repair_after_allowed(REPAIR_AFTER_HEARD, REPAIR_AFTER_PROPOSE, &f, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
}

static void test_text(void **state)
{
	(void)state;
	struct problem p = {0};
	assert_true(repair_after_text_validate("I heard that you felt alone.", &p));
	assert_false(repair_after_text_validate("  \n ", &p));
	assert_string_equal(p.field, "text");
	assert_false(repair_after_text_validate(NULL, &p));
	char *long_text = repeat("\u00e9", 2000);
	assert_true(repair_after_text_validate(long_text, &p));
	free(long_text);
	long_text = repeat("a", 2001);
	assert_false(repair_after_text_validate(long_text, &p));
	assert_string_equal(p.field, "text");
	free(long_text);
}

static void test_answer_validation(void **state)
{
	(void)state;
	struct problem p = {0};
	assert_true(repair_after_answer_validate(REPAIR_AFTER_HEARD, "yes", NULL, &p));
	assert_true(repair_after_answer_validate(REPAIR_AFTER_HEARD, "not_quite", "the middle part", &p));
	assert_true(repair_after_answer_validate(REPAIR_AFTER_MY_PART, "accept", "", &p));
	/* still_need needs its note. */
	assert_false(repair_after_answer_validate(REPAIR_AFTER_MY_PART, "still_need", " ", &p));
	assert_string_equal(p.field, "note");
	assert_true(repair_after_answer_validate(REPAIR_AFTER_MY_PART, "still_need", "a hug first", &p));
	/* Every invalid field at once: a wrong answer and a note too long. */
	char *long_note = repeat("a", 2001);
	assert_false(repair_after_answer_validate(REPAIR_AFTER_HEARD, "accept", long_note, &p));
	assert_int_equal(p.count, 2);
	assert_string_equal(p.field, "answer");
	free(long_note);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),    cmocka_unit_test(test_no_blame_words),
	    cmocka_unit_test(test_not_open), cmocka_unit_test(test_draft_then_submit),
	    cmocka_unit_test(test_answers),  cmocka_unit_test(test_propose),
	    cmocka_unit_test(test_text),     cmocka_unit_test(test_answer_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
