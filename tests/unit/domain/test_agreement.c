/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_agreement.c - the state machine of agreements both want (issue 14,
 * src/domain/agreement.c: agreement_step): every action from every status,
 * by the author, by the partner, and by a person alone, allowed or refused
 * with its code; and the status words both ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../../src/domain/agreement.h"

enum { P = AGREEMENT_PROPOSED, A = AGREEMENT_ACTIVE, Z = AGREEMENT_PAUSED, R = AGREEMENT_RETIRED };
enum {
	ACCEPT = AGREEMENT_ACCEPT,
	DISCUSS = AGREEMENT_DISCUSS,
	TO_A = AGREEMENT_TO_ACTIVE,
	TO_Z = AGREEMENT_TO_PAUSED,
	TO_R = AGREEMENT_TO_RETIRED
};

/* One row: from, action, who (author, alone, ever accepted), then the result: to and flags, or a refusal code. */
struct row {
	int from, act;
	bool author, alone, ever;
	int to;
	bool accepts, restarts;
	const char *refused; /* NULL: allowed */
};

static const struct row rows[] = {
    /* accept: only the partner, only a proposal */
    {P, ACCEPT, false, false, false, A, true, true, NULL},
    {P, ACCEPT, true, false, false, 0, false, false, "not_yours_to_accept"},
    {P, ACCEPT, false, true, false, A, true, true, NULL}, /* its author's account is gone */
    {A, ACCEPT, false, false, true, 0, false, false, "not_proposed"},
    {A, ACCEPT, true, false, true, 0, false, false, "not_proposed"},
    {Z, ACCEPT, false, false, true, 0, false, false, "not_proposed"},
    {R, ACCEPT, false, false, false, 0, false, false, "not_proposed"},
    {A, ACCEPT, true, true, false, 0, false, false, "not_proposed"}, /* an intention alone */
    /* discuss: the same who and when; it stays proposed */
    {P, DISCUSS, false, false, false, P, false, false, NULL},
    {P, DISCUSS, true, false, false, 0, false, false, "not_yours_to_accept"},
    {A, DISCUSS, false, false, true, 0, false, false, "not_proposed"},
    {Z, DISCUSS, true, false, true, 0, false, false, "not_proposed"},
    {R, DISCUSS, false, false, false, 0, false, false, "not_proposed"},
    /* retire: either partner, from anywhere */
    {P, TO_R, true, false, false, R, false, false, NULL},
    {P, TO_R, false, false, false, R, false, false, NULL},
    {A, TO_R, true, false, true, R, false, false, NULL},
    {A, TO_R, false, false, true, R, false, false, NULL},
    {Z, TO_R, false, false, true, R, false, false, NULL},
    {R, TO_R, true, false, true, R, false, false, NULL},
    {A, TO_R, true, true, false, R, false, false, NULL},
    /* pause: either partner, only one being tried */
    {A, TO_Z, true, false, true, Z, false, false, NULL},
    {A, TO_Z, false, false, true, Z, false, false, NULL},
    {A, TO_Z, true, true, false, Z, false, false, NULL},
    {Z, TO_Z, false, false, true, Z, false, false, NULL},
    {P, TO_Z, true, false, false, 0, false, false, "not_active"},
    {P, TO_Z, false, false, false, 0, false, false, "not_active"},
    {R, TO_Z, true, false, true, 0, false, false, "not_active"},
    /* active: from active nothing moves */
    {A, TO_A, true, false, true, A, false, false, NULL},
    {A, TO_A, false, false, true, A, false, false, NULL},
    /* resume a paused one: either partner, looks back counted again */
    {Z, TO_A, true, false, true, A, false, true, NULL},
    {Z, TO_A, false, false, true, A, false, true, NULL},
    {Z, TO_A, true, true, false, A, false, true, NULL},
    /* a proposal: the author cannot make it active; the partner's "active" is their yes */
    {P, TO_A, true, false, false, 0, false, false, "not_yours_to_accept"},
    {P, TO_A, false, false, false, A, true, true, NULL},
    {P, TO_A, true, true, false, A, false, true, NULL}, /* nobody else to ask any more */
    /* a retired one both said yes to: either partner makes it active again */
    {R, TO_A, true, false, true, A, false, true, NULL},
    {R, TO_A, false, false, true, A, false, true, NULL},
    /* a retired one never agreed: the author asks again, the partner's "active" is a yes */
    {R, TO_A, true, false, false, P, false, false, NULL},
    {R, TO_A, false, false, false, A, true, true, NULL},
    /* alone: an intention is one's own to take up again */
    {R, TO_A, true, true, false, A, false, true, NULL},
};

static void test_every_row(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *w = &rows[i];
		struct agreement_asker who = {.author = w->author, .alone = w->alone, .ever_accepted = w->ever};
		struct agreement_step step;
		struct problem p = {0};
		bool ok =
		    agreement_step((enum agreement_status)w->from, (enum agreement_action)w->act, &who, &step, &p);
		if (ok != (w->refused == NULL))
			fail_msg("row %zu: %s, expected %s", i, ok ? "allowed" : p.code,
			         w->refused ? w->refused : "allowed");
		if (!ok) {
			assert_int_equal(p.outcome, OUTCOME_CONFLICT);
			assert_string_equal(p.code, w->refused);
			assert_non_null(p.message);
			continue;
		}
		if ((int)step.to != w->to || step.accepts != w->accepts || step.restarts != w->restarts)
			fail_msg("row %zu: to %d accepts %d restarts %d, expected %d %d %d", i, step.to, step.accepts,
			         step.restarts, w->to, w->accepts, w->restarts);
	}
}

/* Properties over every combination: nobody ever accepts their own proposal, and a yes always leads to active. */
static void test_properties(void **state)
{
	(void)state;
	for (int from = 0; from < 4; from++)
		for (int act = 0; act < 5; act++)
			for (int bits = 0; bits < 8; bits++) {
				struct agreement_asker who = {
				    .author = bits & 1, .alone = bits & 2, .ever_accepted = bits & 4};
				struct agreement_step step;
				struct problem p = {0};
				if (!agreement_step((enum agreement_status)from, (enum agreement_action)act, &who,
				                    &step, &p)) {
					assert_int_equal(p.outcome, OUTCOME_CONFLICT);
					continue;
				}
				if (step.accepts) {
					assert_false(who.author);
					assert_int_equal(step.to, AGREEMENT_ACTIVE);
				}
				/* the author, with a partner, never makes a proposal active */
				if (from == AGREEMENT_PROPOSED && who.author && !who.alone)
					assert_int_not_equal(step.to, AGREEMENT_ACTIVE);
				/* only the partner's answers and "active" ever leave a proposal for active */
				if (step.to == AGREEMENT_PAUSED)
					assert_true(from == AGREEMENT_ACTIVE || from == AGREEMENT_PAUSED);
			}
}

static void test_words(void **state)
{
	(void)state;
	const char *words[] = {"proposed", "active", "paused", "retired"};
	for (size_t i = 0; i < 4; i++) {
		enum agreement_status st;
		assert_true(agreement_status_parse(words[i], &st));
		assert_string_equal(agreement_status_name(st), words[i]);
	}
	enum agreement_status st = AGREEMENT_ACTIVE;
	assert_false(agreement_status_parse("Active", &st));
	assert_false(agreement_status_parse("", &st));
	assert_false(agreement_status_parse(NULL, &st));
	assert_int_equal(st, AGREEMENT_ACTIVE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_row),
	    cmocka_unit_test(test_properties),
	    cmocka_unit_test(test_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
