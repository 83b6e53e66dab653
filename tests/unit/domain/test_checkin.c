/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_checkin.c - unit tests for src/domain/checkin.h: validation of a
 * check-in as sent (full and partial), who may see a check-in, applying an
 * edit, the author filter, and reading and listing through a fake store
 * with a real keyring: what reaches the store is sealed, what comes back is
 * opened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/checkin.h"
#include "domain/keyring.h"
#include "util/util.h"
#include "../fake_keys.h"
#include "../unit.h"

#define ALICE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BOB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define CAROL "cccccccccccccccccccccccccccccccc"
#define DAN "dddddddddddddddddddddddddddddddd"
#define SPACE1 "11111111111111111111111111111111"
#define SPACE2 "22222222222222222222222222222222"

static struct key_file key;

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	return key_file_make(&key, "test_checkin");
}

static int group_teardown(void **state)
{
	(void)state;
	key_file_remove(&key);
	return 0;
}

static struct checkin_input full_input(void)
{
	return (struct checkin_input){
	    .has_mood = true,
	    .has_connection = true,
	    .has_secure = true,
	    .has_visibility = true,
	    .mood = 3,
	    .connection = 5,
	    .secure = 7,
	    .visibility = "partner",
	};
}

/* Expects validation to fail on field; returns nothing, fails the test otherwise. */
static void assert_invalid(const struct checkin_input *in, bool partial, const char *field)
{
	struct problem p = {0};
	assert_false(checkin_validate(in, partial, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", field);
}

static void assert_valid(const struct checkin_input *in, bool partial)
{
	struct problem p = {0};
	if (!checkin_validate(in, partial, &p))
		fail_msg("rejected on %s: %s", p.field ? p.field : "-", p.message ? p.message : "-");
}

/* --- validation --- */

static void validate_full_ok(void **state)
{
	(void)state;
	struct checkin_input in = full_input();
	assert_valid(&in, false);
	in.appreciation = "You made tea \xe2\x98\x95";
	in.need = "";
	in.worry = "work";
	in.has_appreciation = in.has_need = in.has_worry = true;
	assert_valid(&in, false);
}

static void validate_boundaries(void **state)
{
	(void)state;
	struct checkin_input in = full_input();
	int good_mood[] = {1, 5}, bad_mood[] = {0, 6, -1, 1000000};
	for (size_t i = 0; i < ARRAY_LEN(good_mood); i++) {
		in.mood = good_mood[i];
		assert_valid(&in, false);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad_mood); i++) {
		in.mood = bad_mood[i];
		assert_invalid(&in, false, "mood");
	}
	in = full_input();
	int good_scale[] = {0, 10}, bad_scale[] = {-1, 11, -1000000};
	for (size_t i = 0; i < ARRAY_LEN(good_scale); i++) {
		in.connection = good_scale[i];
		assert_valid(&in, false);
		in.secure = good_scale[i];
		assert_valid(&in, false);
	}
	in = full_input();
	for (size_t i = 0; i < ARRAY_LEN(bad_scale); i++) {
		in.connection = bad_scale[i];
		assert_invalid(&in, false, "connection");
	}
	in = full_input();
	for (size_t i = 0; i < ARRAY_LEN(bad_scale); i++) {
		in.secure = bad_scale[i];
		assert_invalid(&in, false, "secure");
	}
}

static void validate_missing_required(void **state)
{
	(void)state;
	struct checkin_input in = full_input();
	in.has_mood = false;
	assert_invalid(&in, false, "mood");
	in = full_input();
	in.has_connection = false;
	assert_invalid(&in, false, "connection");
	in = full_input();
	in.has_secure = false;
	assert_invalid(&in, false, "secure");
	in = full_input();
	in.has_visibility = false;
	assert_invalid(&in, false, "visibility");
	struct checkin_input empty = {0};
	assert_invalid(&empty, false, "mood");
	/* the texts are optional */
	in = full_input();
	in.has_appreciation = in.has_need = in.has_worry = false;
	assert_valid(&in, false);
}

static void validate_visibility_values(void **state)
{
	(void)state;
	const char *good[] = {"private", "partner", "therapist"};
	const char *bad[] = {"", "public", "Partner", "PRIVATE", "partner ", "therapists", NULL};
	struct checkin_input in = full_input();
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		in.visibility = good[i];
		assert_valid(&in, false);
		enum visibility v;
		assert_true(visibility_parse(good[i], &v));
		assert_int_equal(v, (enum visibility)i);
		assert_string_equal(visibility_name(v), good[i]);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		in.visibility = bad[i];
		assert_invalid(&in, false, "visibility");
		enum visibility v;
		assert_false(visibility_parse(bad[i], &v));
	}
}

static void validate_text_length(void **state)
{
	(void)state;
	const char *fields[] = {"appreciation", "need", "worry"};
	char *ok_ascii = repeat("a", 4000);
	char *ok_multi = repeat("\xc3\xa9", 4000);         /* 4000 characters, 8000 bytes */
	char *ok_emoji = repeat("\xf0\x9f\x92\x9c", 4000); /* 16000 bytes */
	char *bad_ascii = repeat("a", 4001);
	char *bad_multi = repeat("\xc3\xa9", 4001);
	for (size_t f = 0; f < ARRAY_LEN(fields); f++) {
		const char *oks[] = {ok_ascii, ok_multi, ok_emoji};
		const char *bads[] = {bad_ascii, bad_multi, "bad \xff text", "\xed\xa0\x80"};
		for (size_t i = 0; i < ARRAY_LEN(oks) + ARRAY_LEN(bads); i++) {
			struct checkin_input in = full_input();
			bool ok = i < ARRAY_LEN(oks);
			const char *text = ok ? oks[i] : bads[i - ARRAY_LEN(oks)];
			const char **slot = f == 0 ? &in.appreciation : f == 1 ? &in.need : &in.worry;
			bool *has = f == 0 ? &in.has_appreciation : f == 1 ? &in.has_need : &in.has_worry;
			*slot = text;
			*has = true;
			if (ok) {
				assert_valid(&in, false);
				assert_valid(&in, true);
			} else {
				assert_invalid(&in, false, fields[f]);
				assert_invalid(&in, true, fields[f]);
			}
		}
	}
	free(ok_ascii);
	free(ok_multi);
	free(ok_emoji);
	free(bad_ascii);
	free(bad_multi);
}

static void validate_partial(void **state)
{
	(void)state;
	struct checkin_input in = {0};
	assert_valid(&in, true); /* nothing to change is fine */
	in.has_mood = true;
	in.mood = 5;
	assert_valid(&in, true);
	in.mood = 6;
	assert_invalid(&in, true, "mood");
	in = (struct checkin_input){.has_connection = true, .connection = 11};
	assert_invalid(&in, true, "connection");
	in = (struct checkin_input){.has_connection = true, .connection = 0};
	assert_valid(&in, true);
	in = (struct checkin_input){.has_secure = true, .secure = -1};
	assert_invalid(&in, true, "secure");
	in = (struct checkin_input){.has_secure = true, .secure = 10};
	assert_valid(&in, true);
	in = (struct checkin_input){.has_visibility = true, .visibility = "therapist"};
	assert_valid(&in, true);
	in = (struct checkin_input){.has_visibility = true, .visibility = "everyone"};
	assert_invalid(&in, true, "visibility");
	in = (struct checkin_input){.has_visibility = true, .visibility = NULL};
	assert_invalid(&in, true, "visibility");
	/* an absent field's value is not looked at */
	in = (struct checkin_input){.mood = 99, .connection = -5, .secure = 42, .visibility = "bogus"};
	assert_valid(&in, true);
	/* clearing a text with NULL is fine */
	in = (struct checkin_input){.has_need = true, .need = NULL};
	assert_valid(&in, true);
}

/* --- visibility --- */

static struct store_checkin make_checkin(const char *author, const char *space, const char *visibility)
{
	struct store_checkin c = {0};
	id_new(c.id);
	snprintf(c.author_id, sizeof c.author_id, "%s", author);
	snprintf(c.space_id, sizeof c.space_id, "%s", space);
	snprintf(c.visibility, sizeof c.visibility, "%s", visibility);
	c.created_at = c.updated_at = 1795716000000;
	c.mood = 3;
	return c;
}

static void visible_to_author(void **state)
{
	(void)state;
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB);
	struct viewer alone = make_viewer(ALICE, "", "");
	const char *vis[] = {"private", "partner", "therapist"};
	for (size_t i = 0; i < ARRAY_LEN(vis); i++) {
		struct store_checkin c = make_checkin(ALICE, SPACE1, vis[i]);
		assert_true(checkin_visible(&c, &alice));
		assert_true(checkin_visible(&c, &alone));
		c = make_checkin(ALICE, ALICE, vis[i]); /* written before joining a space */
		assert_true(checkin_visible(&c, &alice));
	}
}

static void visible_to_partner_in_same_space(void **state)
{
	(void)state;
	struct viewer bob = make_viewer(BOB, SPACE1, ALICE);
	struct store_checkin c = make_checkin(ALICE, SPACE1, "private");
	assert_false(checkin_visible(&c, &bob));
	c = make_checkin(ALICE, SPACE1, "partner");
	assert_true(checkin_visible(&c, &bob));
	c = make_checkin(ALICE, SPACE1, "therapist");
	assert_true(checkin_visible(&c, &bob));
	/* written alone before the space existed: not part of the space */
	c = make_checkin(ALICE, ALICE, "partner");
	assert_false(checkin_visible(&c, &bob));
}

/* Issue 11: visibility per item. */
static void items_each_their_own(void **state)
{
	(void)state;
	struct viewer bob = make_viewer(BOB, SPACE1, ALICE);
	struct store_checkin c = make_checkin(ALICE, SPACE1, "private");
	c.mood = 4;
	c.connection = 7;
	c.secure = 2;
	c.appreciation = "thanks";
	c.worry = "money";
	/* mood therapist, connection partner, the rest private */
	enum visibility items[CHECKIN_ITEMS] = {VISIBILITY_THERAPIST, VISIBILITY_PARTNER, VISIBILITY_PRIVATE,
	                                        VISIBILITY_PARTNER,   VISIBILITY_PRIVATE, VISIBILITY_PRIVATE};
	checkin_set_items(&c, items);
	assert_string_equal(c.visibility, "therapist"); /* the widest */
	assert_string_equal(c.item_visibility, "tpopoo");
	assert_string_equal(checkin_visibility_summary(&c), "mixed");
	assert_int_equal(checkin_item_visibility(&c, ITEM_SECURE), VISIBILITY_PRIVATE);
	assert_true(checkin_visible(&c, &bob));
	struct store_checkin partner = c;
	checkin_redact(&partner, &bob, false);
	assert_int_equal(partner.mood, 4);
	assert_int_equal(partner.connection, 7);
	assert_true(partner.hidden[ITEM_SECURE]);
	assert_int_equal(partner.secure, 0);
	assert_string_equal(partner.appreciation, "thanks");
	assert_null(partner.worry);
	struct store_checkin therapist = c;
	checkin_redact(&therapist, &bob, true);
	assert_int_equal(therapist.mood, 4);
	assert_true(therapist.hidden[ITEM_CONNECTION]);
	assert_null(therapist.appreciation);
	/* the author's own is left whole */
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB);
	struct store_checkin own = c;
	checkin_redact(&own, &alice, false);
	assert_string_equal(own.worry, "money");
	assert_false(own.hidden[ITEM_WORRY]);
	/* all items alike: one word, no letters */
	for (int i = 0; i < CHECKIN_ITEMS; i++)
		items[i] = VISIBILITY_PARTNER;
	checkin_set_items(&c, items);
	assert_string_equal(c.item_visibility, "");
	assert_string_equal(checkin_visibility_summary(&c), "partner");
	/* every item private: the partner never sees the check-in */
	for (int i = 0; i < CHECKIN_ITEMS; i++)
		items[i] = VISIBILITY_PRIVATE;
	checkin_set_items(&c, items);
	assert_false(checkin_visible(&c, &bob));
	/* an unknown letter shows nothing: the rule fails closed */
	snprintf(c.visibility, sizeof c.visibility, "partner");
	snprintf(c.item_visibility, sizeof c.item_visibility, "xxxxxx");
	assert_false(checkin_visible(&c, &bob));
}

static void validate_item_visibility(void **state)
{
	(void)state;
	struct checkin_input in = {.has_mood = true,
	                           .mood = 3,
	                           .has_connection = true,
	                           .connection = 5,
	                           .has_secure = true,
	                           .secure = 5,
	                           .has_items = true,
	                           .has_visibility = true};
	in.item_visibility[ITEM_WORRY] = "private";
	assert_valid(&in, false);
	in.item_visibility[ITEM_NEED] = "everyone";
	in.mood = 9;
	struct problem p = {0};
	assert_false(checkin_validate(&in, false, &p));
	assert_int_equal(p.count, 2);
	assert_string_equal(p.items[0].field, "mood");
	assert_string_equal(p.items[1].field, "visibility.need");
}

static void hidden_across_spaces_and_strangers(void **state)
{
	(void)state;
	/* Alice's former partner, now in another space with Dan */
	struct viewer carol = make_viewer(CAROL, SPACE2, ALICE);
	struct store_checkin c = make_checkin(ALICE, SPACE1, "partner");
	assert_false(checkin_visible(&c, &carol));
	/* a viewer in the same space whose partner is someone else */
	struct viewer dan = make_viewer(DAN, SPACE1, CAROL);
	assert_false(checkin_visible(&c, &dan));
	/* a viewer without a partner or without a space */
	struct viewer bob_alone = make_viewer(BOB, SPACE1, "");
	assert_false(checkin_visible(&c, &bob_alone));
	struct viewer bob_no_space = make_viewer(BOB, "", ALICE);
	assert_false(checkin_visible(&c, &bob_no_space));
	/* a stranger */
	struct viewer stranger = make_viewer(DAN, "", "");
	assert_false(checkin_visible(&c, &stranger));
	c = make_checkin(ALICE, SPACE1, "therapist");
	assert_false(checkin_visible(&c, &stranger));
	/* an empty viewer (not signed in) sees nothing */
	struct viewer nobody = {0};
	assert_false(checkin_visible(&c, &nobody));
}

/* --- apply --- */

static void apply_copies_present_fields(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct store_checkin c = make_checkin(ALICE, SPACE1, "private");
	c.connection = 4;
	c.secure = 4;
	c.appreciation = "old appreciation";
	c.need = "old need";
	c.worry = "old worry";

	char text[] = "  thanks for dinner ";
	struct checkin_input in = {.has_mood = true,
	                           .mood = 5,
	                           .has_appreciation = true,
	                           .appreciation = text,
	                           .has_visibility = true,
	                           .visibility = "therapist"};
	checkin_apply(&c, &in, a);
	assert_int_equal(c.mood, 5);
	assert_int_equal(c.connection, 4);
	assert_int_equal(c.secure, 4);
	assert_string_equal(c.appreciation, "  thanks for dinner ");
	assert_ptr_not_equal(c.appreciation, text); /* copied into the arena */
	text[2] = 'X';
	assert_string_equal(c.appreciation, "  thanks for dinner ");
	assert_string_equal(c.need, "old need");
	assert_string_equal(c.worry, "old worry");
	assert_string_equal(c.visibility, "therapist");

	in = (struct checkin_input){.has_connection = true, .connection = 0, .has_secure = true, .secure = 10};
	checkin_apply(&c, &in, a);
	assert_int_equal(c.connection, 0);
	assert_int_equal(c.secure, 10);
	assert_int_equal(c.mood, 5);
	assert_string_equal(c.visibility, "therapist");
	arena_free(a);
}

static void apply_blank_text_is_null(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct store_checkin c = make_checkin(ALICE, SPACE1, "private");
	c.appreciation = "a";
	c.need = "n";
	c.worry = "w";
	struct checkin_input in = {.has_appreciation = true,
	                           .appreciation = "",
	                           .has_need = true,
	                           .need = " \t\r\n ",
	                           .has_worry = true,
	                           .worry = NULL};
	checkin_apply(&c, &in, a);
	assert_null(c.appreciation);
	assert_null(c.need);
	assert_null(c.worry);
	/* text after leading blanks is kept whole */
	in = (struct checkin_input){.has_need = true, .need = "\n x"};
	checkin_apply(&c, &in, a);
	assert_string_equal(c.need, "\n x");
	arena_free(a);
}

/* --- author filter --- */

static void author_parse(void **state)
{
	(void)state;
	enum checkin_author who = AUTHOR_ME;
	assert_true(checkin_author_parse(NULL, &who));
	assert_int_equal(who, AUTHOR_ALL);
	who = AUTHOR_ALL;
	assert_true(checkin_author_parse("me", &who));
	assert_int_equal(who, AUTHOR_ME);
	assert_true(checkin_author_parse("partner", &who));
	assert_int_equal(who, AUTHOR_PARTNER);
	assert_true(checkin_author_parse("all", &who));
	assert_int_equal(who, AUTHOR_ALL);
	assert_false(checkin_author_parse("", &who));
	assert_false(checkin_author_parse("ME", &who));
	assert_false(checkin_author_parse("partners", &who));
	assert_false(checkin_author_parse("therapist", &who));
}

/* --- actions through a fake store --- */

struct fake {
	struct fake_store base; /* its arena holds the rows' texts */
	struct store_checkin rows[8];
	int count;
	enum store_status fail;
	struct checkin_query last_query;
	char last_before_id[ID_LEN + 1];
	int inserts, deletes;
};

static enum store_status fake_get(struct store *s, struct arena *a, const char *id, struct store_checkin *c)
{
	(void)a;
	struct fake *f = (struct fake *)s;
	if (f->fail)
		return f->fail;
	for (int i = 0; i < f->count; i++)
		if (strcmp(f->rows[i].id, id) == 0) {
			*c = f->rows[i];
			return STORE_OK;
		}
	return STORE_NOT_FOUND;
}

static enum store_status fake_insert(struct store *s, const struct store_checkin *c)
{
	struct fake *f = (struct fake *)s;
	if (f->fail)
		return f->fail;
	f->inserts++;
	struct store_checkin *row = &f->rows[f->count++];
	*row = *c;
	row->appreciation = c->appreciation ? arena_strdup(f->base.arena, c->appreciation) : NULL;
	row->need = c->need ? arena_strdup(f->base.arena, c->need) : NULL;
	row->worry = c->worry ? arena_strdup(f->base.arena, c->worry) : NULL;
	return STORE_OK;
}

static enum store_status fake_delete(struct store *s, const char *id, const char *author)
{
	struct fake *f = (struct fake *)s;
	(void)id;
	(void)author;
	f->deletes++;
	return STORE_OK;
}

/* Returns every row, up to q->limit, regardless of the query: the domain must filter. */
static enum store_status fake_list(struct store *s, struct arena *a, const struct checkin_query *q,
                                   struct store_checkin **items, int *count)
{
	struct fake *f = (struct fake *)s;
	if (f->fail)
		return f->fail;
	f->last_query = *q;
	snprintf(f->last_before_id, sizeof f->last_before_id, "%s", q->before_id ? q->before_id : "");
	int n = f->count < q->limit ? f->count : q->limit;
	*items = arena_alloc(a, sizeof **items * (size_t)(n ? n : 1));
	memcpy(*items, f->rows, sizeof **items * (size_t)n);
	*count = n;
	return STORE_OK;
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	fake_store_init(&f->base, &key);
	f->base.store.checkin_get = fake_get;
	f->base.store.checkin_insert = fake_insert;
	f->base.store.checkin_delete = fake_delete;
	f->base.store.checkin_list = fake_list;
}

/* Puts a new check-in into the fake store as the domain stores it: sealed. */
static void put_checkin(struct fake *f, const char *author, const char *space, const char *visibility)
{
	struct store_checkin c = make_checkin(author, space, visibility);
	struct problem p = {0};
	struct arena *a = arena_new();
	assert_true(checkin_store(&f->base.store, &c, a, &p));
	arena_free(a);
}

static void read_respects_visibility(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	put_checkin(&f, ALICE, SPACE1, "private");
	put_checkin(&f, ALICE, SPACE1, "partner");
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB), bob = make_viewer(BOB, SPACE1, ALICE);
	struct arena *a = arena_new();
	struct store_checkin out;
	struct problem p = {0};

	assert_true(checkin_read(&f.base.store, &alice, f.rows[0].id, a, &out, &p));
	assert_string_equal(out.id, f.rows[0].id);
	/* the store holds the scales sealed; the read opens them */
	assert_true(keyring_is_sealed(f.rows[0].sealed.scales));
	assert_int_equal(out.mood, 3);
	assert_int_equal(out.connection, 0);
	/* a private check-in looks the same to the partner as one that does not exist */
	assert_false(checkin_read(&f.base.store, &bob, f.rows[0].id, a, &out, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	assert_true(checkin_read(&f.base.store, &bob, f.rows[1].id, a, &out, &p));
	/* the partner may read but not change it */
	assert_false(checkin_read_own(&f.base.store, &bob, f.rows[1].id, a, &out, &p));
	assert_int_equal(p.outcome, OUTCOME_FORBIDDEN);
	assert_false(checkin_remove(&f.base.store, &bob, f.rows[1].id, a, &p));
	assert_int_equal(p.outcome, OUTCOME_FORBIDDEN);
	assert_int_equal(f.deletes, 0);
	assert_true(checkin_remove(&f.base.store, &alice, f.rows[1].id, a, &p));
	assert_int_equal(f.deletes, 1);
	/* malformed ids never reach the store */
	f.fail = STORE_ERROR;
	assert_false(checkin_read(&f.base.store, &alice, "not-an-id", a, &out, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	assert_false(checkin_read(&f.base.store, &alice, f.rows[0].id, a, &out, &p));
	assert_int_equal(p.outcome, OUTCOME_ERROR);
	f.fail = STORE_BUSY;
	assert_false(checkin_read(&f.base.store, &alice, f.rows[0].id, a, &out, &p));
	assert_int_equal(p.outcome, OUTCOME_BUSY);
	assert_true(p.retry_after > 0);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void create_validates_and_stores(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB), alone = make_viewer(BOB, "", "");
	struct arena *a = arena_new();
	struct store_checkin out;
	struct problem p = {0};
	struct checkin_input in = full_input();
	in.mood = 0;
	assert_false(checkin_create(&f.base.store, &alice, &in, a, &out, &p));
	assert_string_equal(p.field, "mood");
	assert_int_equal(f.inserts, 0);

	in = full_input();
	in.has_worry = true;
	in.worry = "   ";
	assert_true(checkin_create(&f.base.store, &alice, &in, a, &out, &p));
	assert_int_equal(f.inserts, 1);
	assert_true(id_valid(out.id));
	assert_string_equal(out.author_id, ALICE);
	assert_string_equal(out.space_id, SPACE1);
	assert_string_equal(out.visibility, "partner");
	assert_int_equal(out.mood, 3);
	assert_null(out.worry);
	assert_true(out.created_at > 0);
	/* what reached the store: every scale sealed, none of them in clear */
	assert_true(keyring_is_sealed(f.rows[0].sealed.scales));
	assert_null(f.rows[0].worry);

	/* someone without a space writes into a space of their own id */
	assert_true(checkin_create(&f.base.store, &alone, &in, a, &out, &p));
	assert_string_equal(out.space_id, BOB);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void list_filters_and_pages(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	put_checkin(&f, ALICE, SPACE1, "partner");
	put_checkin(&f, ALICE, SPACE1, "private");
	put_checkin(&f, CAROL, SPACE2, "partner");
	put_checkin(&f, BOB, SPACE1, "therapist");
	for (int i = 0; i < f.count; i++)
		f.rows[i].created_at = 1000 - i;
	struct viewer bob = make_viewer(BOB, SPACE1, ALICE);
	struct arena *a = arena_new();
	struct checkin_page page;
	struct problem p = {0};

	/* the store returned rows Bob must not see; the domain drops them */
	assert_true(checkin_list(&f.base.store, &bob, AUTHOR_ALL, NULL, 10, a, &page, &p));
	assert_int_equal(page.count, 2);
	assert_string_equal(page.items[0].id, f.rows[0].id);
	assert_string_equal(page.items[1].id, f.rows[3].id);
	assert_null(page.next_cursor);
	assert_string_equal(f.last_query.mine_id, BOB);
	assert_string_equal(f.last_query.partner_id, ALICE);
	assert_string_equal(f.last_query.space_id, SPACE1);
	assert_int_equal(f.last_query.limit, 11);

	/* a full page has a cursor made of the last row's time and id */
	assert_true(checkin_list(&f.base.store, &bob, AUTHOR_ALL, NULL, 2, a, &page, &p));
	assert_int_equal(page.count, 1);
	assert_non_null(page.next_cursor);
	char want[64];
	snprintf(want, sizeof want, "999.%s", f.rows[1].id);
	assert_string_equal(page.next_cursor, want);
	assert_true(checkin_list(&f.base.store, &bob, AUTHOR_ALL, page.next_cursor, 2, a, &page, &p));
	assert_int_equal(f.last_query.before_time, 999);
	assert_string_equal(f.last_before_id, f.rows[1].id);

	/* only mine, only my partner's */
	assert_true(checkin_list(&f.base.store, &bob, AUTHOR_ME, NULL, 10, a, &page, &p));
	assert_null(f.last_query.partner_id);
	assert_true(checkin_list(&f.base.store, &bob, AUTHOR_PARTNER, NULL, 10, a, &page, &p));
	assert_null(f.last_query.mine_id);

	/* no partner: "partner" lists nothing without asking the store */
	struct viewer alone = make_viewer(BOB, "", "");
	f.fail = STORE_ERROR;
	assert_true(checkin_list(&f.base.store, &alone, AUTHOR_PARTNER, NULL, 10, a, &page, &p));
	assert_int_equal(page.count, 0);
	assert_null(page.next_cursor);
	assert_false(checkin_list(&f.base.store, &bob, AUTHOR_ALL, NULL, 10, a, &page, &p));
	assert_int_equal(p.outcome, OUTCOME_ERROR);
	f.fail = STORE_OK;

	/* bad cursors */
	const char *bad[] = {"",
	                     "abc",
	                     "12",
	                     "12.",
	                     "0." ALICE,
	                     "-5." ALICE,
	                     "12."
	                     "not-an-id",
	                     "12x" ALICE};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		memset(&p, 0, sizeof p);
		assert_false(checkin_list(&f.base.store, &bob, AUTHOR_ALL, bad[i], 10, a, &page, &p));
		assert_int_equal(p.outcome, OUTCOME_INVALID);
		assert_string_equal(p.field, "before");
	}
	arena_free(a);
	fake_store_cleanup(&f.base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(validate_full_ok),
	    cmocka_unit_test(validate_boundaries),
	    cmocka_unit_test(validate_missing_required),
	    cmocka_unit_test(validate_visibility_values),
	    cmocka_unit_test(validate_text_length),
	    cmocka_unit_test(validate_partial),
	    cmocka_unit_test(visible_to_author),
	    cmocka_unit_test(visible_to_partner_in_same_space),
	    cmocka_unit_test(hidden_across_spaces_and_strangers),
	    cmocka_unit_test(apply_copies_present_fields),
	    cmocka_unit_test(apply_blank_text_is_null),
	    cmocka_unit_test(author_parse),
	    cmocka_unit_test(read_respects_visibility),
	    cmocka_unit_test(items_each_their_own),
	    cmocka_unit_test(validate_item_visibility),
	    cmocka_unit_test(create_validates_and_stores),
	    cmocka_unit_test(list_filters_and_pages),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
