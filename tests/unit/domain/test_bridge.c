/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_bridge.c - unit tests for domain/bridge.c's rules (issue 13): an
 * item's fields (every invalid one at once), who among therapist and partner
 * may see an item, with consent per partner and revocable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/bridge.h"
#include "store/store.h"
#include "../unit.h"

#define ALICE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BOB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define CAROL "cccccccccccccccccccccccccccccccc"
#define SPACE1 "11111111111111111111111111111111"
#define SPACE2 "22222222222222222222222222222222"

static struct store_bridge_item item_of(const char *author, const char *space, bool therapist, bool partner)
{
	struct store_bridge_item it = {0};
	snprintf(it.author_id, sizeof it.author_id, "%s", author);
	snprintf(it.space_id, sizeof it.space_id, "%s", space);
	snprintf(it.id, sizeof it.id, "%s", "99999999999999999999999999999999");
	it.share_with_therapist = therapist;
	it.share_with_partner = partner;
	return it;
}

/* A fresh problem for each check: one that collects already would gather the faults of both. */
#define CHECK(in, creating) (p = (struct problem){0}, bridge_input_check((in), (creating), &p))

static void input(void **state)
{
	(void)state;
	struct problem p = {0};
	struct bridge_input in = {.text = "How we talk about money", .has_text = true};
	assert_true(CHECK(&in, true));

	/* Adding needs a text; a change may leave it out (only the shares change). */
	in = (struct bridge_input){0};
	assert_false(CHECK(&in, true));
	assert_int_equal(p.outcome, OUTCOME_INVALID);
	assert_string_equal(p.field, "text");
	assert_true(CHECK(&in, false));

	const char *bad[] = {"", "   \n\t ", "\xff\xfe"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		in = (struct bridge_input){.text = bad[i], .has_text = true};
		assert_false(CHECK(&in, false));
		assert_string_equal(p.field, "text");
	}

	/* 1000 characters fit, 1001 do not; characters, not bytes ("é" is two bytes). */
	char text[2 * (BRIDGE_TEXT_MAX + 1) + 1];
	size_t n = 0;
	for (int i = 0; i < BRIDGE_TEXT_MAX; i++) {
		text[n++] = (char)0xc3;
		text[n++] = (char)0xa9;
	}
	text[n] = '\0';
	in = (struct bridge_input){.text = text, .has_text = true};
	assert_true(CHECK(&in, true));
	text[n++] = 'x';
	text[n] = '\0';
	assert_false(CHECK(&in, true));
	assert_string_equal(p.field, "text");

	/* Inside a caller's collection (the API's type checks first), the text's fault joins the others. */
	p = (struct problem){0};
	problem_begin(&p);
	problem_add(&p, "share_with_partner", "This field must be true or false.");
	in = (struct bridge_input){.text = "", .has_text = true};
	assert_false(bridge_input_check(&in, false, &p));
	assert_int_equal(p.count, 2);
	assert_string_equal(p.items[0].field, "share_with_partner");
	assert_string_equal(p.items[1].field, "text");
}

static void therapist_sees(void **state)
{
	(void)state;
	struct store_space_therapist t = {0};
	t.members = 2;
	snprintf(t.member_ids[0], sizeof t.member_ids[0], "%s", ALICE);
	snprintf(t.member_ids[1], sizeof t.member_ids[1], "%s", BOB);
	t.consent[0] = true;
	t.consent[1] = false;

	struct store_bridge_item shared = item_of(ALICE, SPACE1, true, false);
	struct store_bridge_item unshared = item_of(ALICE, SPACE1, false, true);
	struct store_bridge_item of_bob = item_of(BOB, SPACE1, true, true);
	struct store_bridge_item of_stranger = item_of(CAROL, SPACE1, true, true);
	assert_true(bridge_therapist_may_see(&shared, &t));
	assert_false(bridge_therapist_may_see(&unshared, &t)); /* shared with the partner only */
	assert_false(bridge_therapist_may_see(&of_bob, &t));   /* Bob has not consented */
	assert_false(bridge_therapist_may_see(&of_stranger, &t));

	/* Consent is revocable: the same item is gone once Alice withdraws it, back once she grants again. */
	t.consent[0] = false;
	assert_false(bridge_therapist_may_see(&shared, &t));
	t.consent[1] = true;
	assert_true(bridge_therapist_may_see(&of_bob, &t));
	t.consent[0] = true;
	assert_true(bridge_therapist_may_see(&shared, &t));

	/* A partner who left is no member any more: nothing of theirs. */
	t.members = 1;
	assert_false(bridge_therapist_may_see(&of_bob, &t));
}

static void partner_sees(void **state)
{
	(void)state;
	struct viewer bob = make_viewer(BOB, SPACE1, ALICE);
	struct store_bridge_item shared = item_of(ALICE, SPACE1, false, true);
	struct store_bridge_item therapist_only = item_of(ALICE, SPACE1, true, false);
	struct store_bridge_item own = item_of(BOB, SPACE1, true, true);
	struct store_bridge_item elsewhere = item_of(ALICE, SPACE2, false, true);
	assert_true(bridge_partner_may_see(&shared, &bob));
	assert_false(bridge_partner_may_see(&therapist_only, &bob));
	assert_false(bridge_partner_may_see(&own, &bob)); /* one's own is no partner's item */
	assert_false(bridge_partner_may_see(&elsewhere, &bob));

	struct viewer alone = make_viewer(BOB, SPACE1, "");
	assert_false(bridge_partner_may_see(&shared, &alone));
	struct viewer no_space = make_viewer(BOB, "", "");
	assert_false(bridge_partner_may_see(&shared, &no_space));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(input),
	    cmocka_unit_test(therapist_sees),
	    cmocka_unit_test(partner_sees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
