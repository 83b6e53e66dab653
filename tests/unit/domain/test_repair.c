/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_repair.c - unit tests for src/domain/repair.h: the state machine,
 * validation of a side, a title and a date, and the actions (open, save,
 * submit, acknowledge) through a fake store with a real keyring, including
 * every refused transition, the secrecy of an unrevealed side, solo
 * reflections and store failures.
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
#include "domain/content.h"
#include "domain/keyring.h"
#include "domain/repair.h"
#include "util/util.h"
#include "../content_fixture.h"
#include "../fake_keys.h"
#include "../unit.h"

#define ALICE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BOB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define CAROL "cccccccccccccccccccccccccccccccc"
#define DAN "dddddddddddddddddddddddddddddddd"
#define ERIN "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
#define SPACE1 "11111111111111111111111111111111"
#define SPACE2 "22222222222222222222222222222222"

static struct key_file key;

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	if (content_fixture_load() < 0)
		return -1;
	if (key_file_make(&key, "test_repair") < 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	content_free();
	key_file_remove(&key);
	return 0;
}

/* --- the state machine --- */

static void state_every_combination(void **state)
{
	(void)state;
	for (int bits = 0; bits < 32; bits++) {
		bool solo = bits & 1, mine_sub = bits & 2, partner_sub = bits & 4, mine_ack = bits & 8,
		     partner_ack = bits & 16;
		enum repair_state want;
		if (solo)
			want = REPAIR_OPEN; /* a reflection is never revealed, whatever the flags say */
		else if (!mine_sub || !partner_sub)
			want = REPAIR_OPEN;
		else if (mine_ack && partner_ack)
			want = REPAIR_RESOLVED;
		else
			want = REPAIR_REVEALED;
		enum repair_state got = repair_state_of(solo, mine_sub, partner_sub, mine_ack, partner_ack);
		if (got != want)
			fail_msg("solo=%d mine_sub=%d partner_sub=%d mine_ack=%d partner_ack=%d: got %d, want %d", solo,
			         mine_sub, partner_sub, mine_ack, partner_ack, got, want);
		/* the state is symmetric: the partner sees the same */
		assert_int_equal(repair_state_of(solo, partner_sub, mine_sub, partner_ack, mine_ack), want);
	}
	/* spot checks spelled out */
	assert_int_equal(repair_state_of(true, true, true, true, true), REPAIR_OPEN);
	assert_int_equal(repair_state_of(false, false, false, false, false), REPAIR_OPEN);
	assert_int_equal(repair_state_of(false, true, false, false, false), REPAIR_OPEN);
	assert_int_equal(repair_state_of(false, false, true, false, false), REPAIR_OPEN);
	assert_int_equal(repair_state_of(false, true, true, false, false), REPAIR_REVEALED);
	assert_int_equal(repair_state_of(false, true, true, true, false), REPAIR_REVEALED);
	assert_int_equal(repair_state_of(false, true, true, false, true), REPAIR_REVEALED);
	assert_int_equal(repair_state_of(false, true, true, true, true), REPAIR_RESOLVED);
}

static void state_names(void **state)
{
	(void)state;
	assert_string_equal(repair_state_name(REPAIR_OPEN), "open");
	assert_string_equal(repair_state_name(REPAIR_REVEALED), "revealed");
	assert_string_equal(repair_state_name(REPAIR_RESOLVED), "resolved");
}

/* --- validation of a side --- */

static struct repair_side_input side_input(const char *perspective)
{
	struct repair_side_input in = {0};
	in.feelings[0] = "hurt";
	in.feelings[1] = "let down";
	in.feelings_count = 2;
	in.perspective = perspective;
	return in;
}

static void assert_side_valid(const struct repair_side_input *in, bool complete)
{
	struct problem p = {0};
	if (!repair_side_validate(in, complete, &p))
		fail_msg("rejected on %s: %s", p.field ? p.field : "-", p.message ? p.message : "-");
}

static void assert_side_invalid(const struct repair_side_input *in, bool complete, const char *field)
{
	struct problem p = {0};
	assert_false(repair_side_validate(in, complete, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", field);
}

static void side_feelings(void **state)
{
	(void)state;
	/* words from the vocabulary, including ones with a space and from the last group */
	struct repair_side_input in = {0};
	const char *known[] = {"hurt", "let down", "sad", "anxious", "left out", "overwhelmed", "grateful", "calm"};
	for (size_t i = 0; i < ARRAY_LEN(known); i++) {
		assert_true(content_feeling_valid(known[i]));
		in.feelings[in.feelings_count++] = known[i];
	}
	assert_side_valid(&in, false);
	in.perspective = "I felt alone at the party.";
	assert_side_valid(&in, true);

	const char *unknown[] = {"", "Hurt", "hurt ", " hurt", "happy-go-lucky", "banana", "let  down", "HURT"};
	for (size_t i = 0; i < ARRAY_LEN(unknown); i++) {
		assert_false(content_feeling_valid(unknown[i]));
		struct repair_side_input bad = side_input("text");
		bad.feelings[bad.feelings_count++] = unknown[i];
		assert_side_invalid(&bad, false, "feelings");
		assert_side_invalid(&bad, true, "feelings");
	}
	/* an unknown feeling first */
	struct repair_side_input first = {0};
	first.feelings[0] = "furious-ish";
	first.feelings[1] = "hurt";
	first.feelings_count = 2;
	assert_side_invalid(&first, false, "feelings");

	/* the same feeling twice, adjacent or not */
	struct repair_side_input dup = side_input("text");
	dup.feelings[dup.feelings_count++] = "hurt";
	assert_side_invalid(&dup, false, "feelings");
	struct problem p = {0};
	assert_false(repair_side_validate(&dup, false, &p));
	assert_string_equal(p.message, "Each feeling can be chosen once.");
	dup = (struct repair_side_input){.feelings = {"sad", "sad"}, .feelings_count = 2};
	assert_side_invalid(&dup, false, "feelings");

	/* as many distinct feelings as fit */
	json_t *groups = content_feelings(LANG_EN);
	struct repair_side_input many = {.perspective = "p"};
	size_t gi, wi;
	json_t *g, *w;
	json_array_foreach(json_object_get(groups, "groups"), gi, g)
	{
		json_array_foreach(json_object_get(g, "words"), wi, w)
		{
			if (many.feelings_count < REPAIR_FEELINGS_MAX)
				many.feelings[many.feelings_count++] = json_string_value(w);
		}
	}
	assert_int_equal(many.feelings_count, REPAIR_FEELINGS_MAX);
	assert_side_valid(&many, true);
	json_decref(groups);
}

static void side_text_lengths(void **state)
{
	(void)state;
	const char *fields[] = {"perspective", "touched", "my_part", "next_time"};
	char *ok_ascii = repeat("a", 4000);
	char *ok_multi = repeat("\xc3\xa9", 4000);
	char *ok_emoji = repeat("\xf0\x9f\x92\x9c", 4000);
	char *bad_ascii = repeat("a", 4001);
	char *bad_multi = repeat("\xc3\xa9", 4001);
	for (size_t f = 0; f < ARRAY_LEN(fields); f++) {
		const char *oks[] = {ok_ascii, ok_multi, ok_emoji, ""};
		const char *bads[] = {bad_ascii, bad_multi, "bad \xff text", "\xed\xa0\x80"};
		for (size_t i = 0; i < ARRAY_LEN(oks) + ARRAY_LEN(bads); i++) {
			struct repair_side_input in = side_input("my perspective");
			bool ok = i < ARRAY_LEN(oks);
			const char *text = ok ? oks[i] : bads[i - ARRAY_LEN(oks)];
			const char **slot = f == 0   ? &in.perspective
			                    : f == 1 ? &in.touched
			                    : f == 2 ? &in.my_part
			                             : &in.next_time;
			*slot = text;
			if (ok) {
				assert_side_valid(&in, false);
				if (f != 0 || text[0])
					assert_side_valid(&in, true);
			} else {
				assert_side_invalid(&in, false, fields[f]);
				assert_side_invalid(&in, true, fields[f]);
			}
		}
	}
	free(ok_ascii);
	free(ok_multi);
	free(ok_emoji);
	free(bad_ascii);
	free(bad_multi);
}

static void side_complete_needs_feeling_and_perspective(void **state)
{
	(void)state;
	/* a draft may be empty */
	struct repair_side_input empty = {0};
	assert_side_valid(&empty, false);
	assert_side_invalid(&empty, true, "feelings");

	struct repair_side_input in = side_input("I was hurt.");
	assert_side_valid(&in, true);
	in.feelings_count = 0;
	assert_side_valid(&in, false);
	assert_side_invalid(&in, true, "feelings");

	const char *blanks[] = {NULL, "", " ", " \t\r\n "};
	for (size_t i = 0; i < ARRAY_LEN(blanks); i++) {
		in = side_input(blanks[i]);
		in.touched = "other fields do not count";
		in.my_part = "x";
		in.next_time = "y";
		assert_side_valid(&in, false);
		assert_side_invalid(&in, true, "perspective");
	}
	/* one feeling and one visible character are enough */
	in = (struct repair_side_input){.feelings = {"calm"}, .feelings_count = 1, .perspective = "\n x"};
	assert_side_valid(&in, true);
}

/* --- title, date --- */

static void title_validation(void **state)
{
	(void)state;
	struct problem p = {0};
	const char *blanks[] = {NULL, "", "   ", "\t\r\n"};
	for (size_t i = 0; i < ARRAY_LEN(blanks); i++) {
		memset(&p, 0, sizeof p);
		assert_false(repair_title_validate(blanks[i], NULL, &p));
		expect_problem(&p, OUTCOME_INVALID, "invalid_input", "title");
	}
	char *t200 = repeat("t", 200), *t201 = repeat("t", 201);
	char *m200 = repeat("\xc3\xa9", 200), *m201 = repeat("\xc3\xa9", 201);
	assert_true(repair_title_validate(t200, NULL, &p));
	assert_true(repair_title_validate(m200, "", &p)); /* characters, not bytes */
	assert_false(repair_title_validate(t201, NULL, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "title");
	memset(&p, 0, sizeof p);
	assert_false(repair_title_validate(m201, NULL, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "title");
	memset(&p, 0, sizeof p);
	assert_false(repair_title_validate("bad \xc3", NULL, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "title");
	free(t200);
	free(t201);
	free(m200);
	free(m201);

	const char *good_dates[] = {NULL, "", "2026-02-28", "2028-02-29", "2026-12-31", "2000-02-29"};
	for (size_t i = 0; i < ARRAY_LEN(good_dates); i++) {
		memset(&p, 0, sizeof p);
		if (!repair_title_validate("The dinner", good_dates[i], &p))
			fail_msg("date %s refused", good_dates[i] ? good_dates[i] : "(null)");
	}
	const char *bad_dates[] = {"2026-02-29", "2026-13-01", "2026-00-01", "2026-04-31",      "26-01-01",
	                           "2026-1-01",  "yesterday",  " ",          "2026-01-01T00:00"};
	for (size_t i = 0; i < ARRAY_LEN(bad_dates); i++) {
		memset(&p, 0, sizeof p);
		assert_false(repair_title_validate("The dinner", bad_dates[i], &p));
		expect_problem(&p, OUTCOME_INVALID, "invalid_input", "occurred_on");
	}
	/* the title is checked before the date */
	memset(&p, 0, sizeof p);
	assert_false(repair_title_validate("", "2026-13-01", &p));
	assert_string_equal(p.field, "title");
}

/* --- a fake store --- */

#define FAKE_MAX 16

struct fake {
	struct fake_store base; /* its arena owns the copies of texts the fake keeps */
	struct store_repair repairs[FAKE_MAX];
	int repair_count;
	struct store_repair_side sides[FAKE_MAX];
	int side_count;
	/* When fail is set, calls named fail_op (or every call when it is NULL) return it. */
	enum store_status fail;
	const char *fail_op;
	int gets, inserts, puts, submits, acks;
	int put_calls, submit_calls, ack_calls; /* attempts, successful or not */
};

static bool failing(struct fake *f, const char *op)
{
	return fake_store_failing(&f->base, op);
}

static char *keep(struct fake *f, const char *s)
{
	return s ? arena_strdup(f->base.arena, s) : NULL;
}

static enum store_status fake_repair_insert(struct store *s, const struct store_repair *r)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "repair_insert"))
		return f->fail;
	assert_true(f->repair_count < FAKE_MAX);
	struct store_repair *row = &f->repairs[f->repair_count++];
	*row = *r;
	row->title = keep(f, r->title);
	f->inserts++;
	return STORE_OK;
}

/* Looks in the two scopes only, as the real stores do; whether a solo repair may be seen is the domain's call. */
static enum store_status fake_repair_get(struct store *s, struct arena *a, const char *id, const char *space_id,
                                         const char *user_id, struct store_repair *r)
{
	struct fake *f = (struct fake *)s;
	f->gets++;
	if (failing(f, "repair_get"))
		return f->fail;
	for (int i = 0; i < f->repair_count; i++) {
		struct store_repair *row = &f->repairs[i];
		if (strcmp(row->id, id) == 0 &&
		    (strcmp(row->space_id, space_id) == 0 || strcmp(row->space_id, user_id) == 0)) {
			*r = *row;
			r->title = row->title ? arena_strdup(a, row->title) : NULL;
			return STORE_OK;
		}
	}
	return STORE_NOT_FOUND;
}

static struct store_repair_side *side_find(struct fake *f, const char *space_id, const char *repair_id,
                                           const char *author_id)
{
	for (int i = 0; i < f->side_count; i++) {
		struct store_repair_side *d = &f->sides[i];
		if (strcmp(d->space_id, space_id) == 0 && strcmp(d->repair_id, repair_id) == 0 &&
		    strcmp(d->author_id, author_id) == 0)
			return d;
	}
	return NULL;
}

static enum store_status fake_repair_sides(struct store *s, struct arena *a, const char *space_id,
                                           const char *repair_id, struct store_repair_side *sides, int *count)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "repair_sides"))
		return f->fail;
	*count = 0;
	for (int i = 0; i < f->side_count && *count < 2; i++) {
		const struct store_repair_side *d = &f->sides[i];
		if (strcmp(d->space_id, space_id) != 0 || strcmp(d->repair_id, repair_id) != 0)
			continue;
		struct store_repair_side *o = &sides[(*count)++];
		*o = *d;
		o->feelings = d->feelings ? arena_strdup(a, d->feelings) : NULL;
		o->perspective = d->perspective ? arena_strdup(a, d->perspective) : NULL;
		o->touched = d->touched ? arena_strdup(a, d->touched) : NULL;
		o->my_part = d->my_part ? arena_strdup(a, d->my_part) : NULL;
		o->next_time = d->next_time ? arena_strdup(a, d->next_time) : NULL;
		o->ack_note = d->ack_note ? arena_strdup(a, d->ack_note) : NULL;
	}
	return STORE_OK;
}

static enum store_status fake_side_put(struct store *s, const struct store_repair_side *side)
{
	struct fake *f = (struct fake *)s;
	f->put_calls++;
	if (failing(f, "side_put"))
		return f->fail;
	struct store_repair_side *d = side_find(f, side->space_id, side->repair_id, side->author_id);
	if (d && d->submitted_at > 0)
		return STORE_CONFLICT;
	if (!d) {
		assert_true(f->side_count < FAKE_MAX);
		d = &f->sides[f->side_count++];
		memset(d, 0, sizeof *d);
		memcpy(d->space_id, side->space_id, sizeof d->space_id);
		memcpy(d->repair_id, side->repair_id, sizeof d->repair_id);
		memcpy(d->author_id, side->author_id, sizeof d->author_id);
	}
	d->feelings = keep(f, side->feelings);
	d->perspective = keep(f, side->perspective);
	d->touched = keep(f, side->touched);
	d->my_part = keep(f, side->my_part);
	d->next_time = keep(f, side->next_time);
	d->updated_at = side->updated_at;
	f->puts++;
	return STORE_OK;
}

static enum store_status fake_side_submit(struct store *s, const char *space_id, const char *repair_id,
                                          const char *author_id, int64_t now)
{
	struct fake *f = (struct fake *)s;
	f->submit_calls++;
	if (failing(f, "side_submit"))
		return f->fail;
	struct store_repair_side *d = side_find(f, space_id, repair_id, author_id);
	if (!d)
		return STORE_NOT_FOUND;
	if (d->submitted_at > 0)
		return STORE_CONFLICT;
	d->submitted_at = now > 0 ? now : 1;
	f->submits++;
	return STORE_OK;
}

static enum store_status fake_side_acknowledge(struct store *s, const char *space_id, const char *repair_id,
                                               const char *author_id, const char *note, int64_t now)
{
	struct fake *f = (struct fake *)s;
	f->ack_calls++;
	if (failing(f, "side_acknowledge"))
		return f->fail;
	struct store_repair_side *d = side_find(f, space_id, repair_id, author_id);
	if (!d)
		return STORE_NOT_FOUND;
	if (d->acknowledged_at > 0)
		return STORE_CONFLICT;
	d->acknowledged_at = now > 0 ? now : 1;
	d->ack_note = keep(f, note);
	f->acks++;
	return STORE_OK;
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	fake_store_init(&f->base, &key);
	/* the keys fail too when a test says so */
	f->base.fail = &f->fail;
	f->base.fail_op = &f->fail_op;
	f->base.store.repair_insert = fake_repair_insert;
	f->base.store.repair_get = fake_repair_get;
	f->base.store.repair_sides = fake_repair_sides;
	f->base.store.repair_side_put = fake_side_put;
	f->base.store.repair_side_submit = fake_side_submit;
	f->base.store.repair_side_acknowledge = fake_side_acknowledge;
}

/* Opens a repair as v and returns its id (in the arena). */
static char *open_repair(struct fake *f, const struct viewer *v, const char *title, struct arena *a)
{
	struct repair_view view;
	struct problem p = {0};
	if (!repair_open(&f->base.store, v, title, "2026-11-20", a, &view, &p))
		fail_msg("repair_open: %d %s", (int)p.outcome, p.message ? p.message : "-");
	return arena_strdup(a, view.repair.id);
}

static void save_ok(struct fake *f, const struct viewer *v, const char *id, const struct repair_side_input *in,
                    struct arena *a, struct repair_view *out)
{
	struct problem p = {0};
	if (!repair_save_side(&f->base.store, v, id, in, a, out, &p))
		fail_msg("repair_save_side: %d %s %s", (int)p.outcome, p.code ? p.code : "-",
		         p.message ? p.message : "-");
}

static void submit_ok(struct fake *f, const struct viewer *v, const char *id, struct arena *a, struct repair_view *out)
{
	struct problem p = {0};
	if (!repair_submit(&f->base.store, v, id, a, out, &p))
		fail_msg("repair_submit: %d %s %s", (int)p.outcome, p.code ? p.code : "-", p.message ? p.message : "-");
}

static void ack_ok(struct fake *f, const struct viewer *v, const char *id, const char *note, struct arena *a,
                   struct repair_view *out)
{
	struct problem p = {0};
	if (!repair_acknowledge(&f->base.store, v, id, note, a, out, &p))
		fail_msg("repair_acknowledge: %d %s %s", (int)p.outcome, p.code ? p.code : "-",
		         p.message ? p.message : "-");
}

static void load_ok(struct fake *f, const struct viewer *v, const char *id, struct arena *a, struct repair_view *out)
{
	struct problem p = {0};
	if (!repair_load(&f->base.store, v, id, a, out, &p))
		fail_msg("repair_load: %d %s", (int)p.outcome, p.message ? p.message : "-");
}

/* The partner's side must be all zero: nothing of it, not even its ids, is in an unrevealed view. */
static void assert_partner_hidden(const struct repair_view *view)
{
	assert_false(view->revealed);
	assert_null(view->partner_side.feelings);
	assert_null(view->partner_side.perspective);
	assert_null(view->partner_side.touched);
	assert_null(view->partner_side.my_part);
	assert_null(view->partner_side.next_time);
	assert_null(view->partner_side.ack_note);
	assert_string_equal(view->partner_side.author_id, "");
	assert_int_equal(view->partner_side.submitted_at, 0);
	assert_int_equal(view->partner_side.updated_at, 0);
}

/* The stored copy of a text is sealed: it starts with "v1:" and does not contain the plain text. */
static void assert_sealed(const char *stored, const char *plain)
{
	assert_non_null(stored);
	assert_memory_equal(stored, "v1:", 3);
	assert_null(strstr(stored, plain));
}

/* --- the actions --- */

static void open_seals_title_and_starts_open(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB);
	struct repair_view view;
	struct problem p = {0};

	assert_true(repair_open(&f.base.store, &alice, "The missed dinner", "2026-11-20", a, &view, &p));
	assert_int_equal(f.inserts, 1);
	assert_true(id_valid(view.repair.id));
	assert_string_equal(view.repair.title, "The missed dinner");
	assert_string_equal(view.repair.space_id, SPACE1);
	assert_string_equal(view.repair.created_by, ALICE);
	assert_string_equal(view.repair.occurred_on, "2026-11-20");
	assert_false(view.repair.solo);
	assert_int_equal(view.state, REPAIR_OPEN);
	assert_false(view.has_mine);
	assert_false(view.partner_submitted);
	assert_partner_hidden(&view);
	assert_sealed(f.repairs[0].title, "missed dinner");

	/* the partner sees the same repair */
	struct viewer bob = make_viewer(BOB, SPACE1, ALICE);
	load_ok(&f, &bob, view.repair.id, a, &view);
	assert_string_equal(view.repair.title, "The missed dinner");

	/* a bad title or date stores nothing */
	assert_false(repair_open(&f.base.store, &alice, "  ", NULL, a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "title");
	assert_false(repair_open(&f.base.store, &alice, "Title", "2026-02-29", a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "occurred_on");
	assert_int_equal(f.inserts, 1);

	/* malformed and unknown ids are 404 */
	assert_false(repair_load(&f.base.store, &alice, "not-an-id", a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	assert_false(repair_load(&f.base.store, &alice, CAROL, a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	/* someone in another space cannot reach it */
	struct viewer carol = make_viewer(CAROL, SPACE2, DAN);
	assert_false(repair_load(&f.base.store, &carol, f.repairs[0].id, a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void full_flow(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB), bob = make_viewer(BOB, SPACE1, ALICE);
	char *id = open_repair(&f, &alice, "The missed dinner", a);
	struct repair_view view;

	/* Alice writes a draft */
	struct repair_side_input in_a = {.feelings = {"hurt", "lonely"},
	                                 .feelings_count = 2,
	                                 .perspective = "You were late again.",
	                                 .touched = "Being forgotten as a child.",
	                                 .my_part = "I did not say it was important.",
	                                 .next_time = "Tell me when you are running late."};
	save_ok(&f, &alice, id, &in_a, a, &view);
	assert_int_equal(f.puts, 1);
	assert_true(view.has_mine);
	assert_int_equal(view.mine_side.submitted_at, 0);
	assert_string_equal(view.mine_side.perspective, "You were late again.");
	assert_string_equal(view.mine_side.touched, "Being forgotten as a child.");
	assert_string_equal(view.mine_side.my_part, "I did not say it was important.");
	assert_string_equal(view.mine_side.next_time, "Tell me when you are running late.");
	assert_string_equal(view.mine_side.feelings, "[\"hurt\",\"lonely\"]");
	assert_int_equal(view.state, REPAIR_OPEN);
	assert_sealed(f.sides[0].perspective, "late again");
	assert_sealed(f.sides[0].feelings, "lonely");

	/* she can change her draft */
	in_a.perspective = "You were late again, and did not call.";
	save_ok(&f, &alice, id, &in_a, a, &view);
	assert_string_equal(view.mine_side.perspective, "You were late again, and did not call.");
	assert_int_equal(f.side_count, 1);

	/* Bob sees nothing of her draft */
	load_ok(&f, &bob, id, a, &view);
	assert_false(view.has_mine);
	assert_false(view.partner_submitted);
	assert_partner_hidden(&view);

	/* she shares it */
	submit_ok(&f, &alice, id, a, &view);
	assert_int_equal(f.submits, 1);
	assert_true(view.mine_side.submitted_at > 0);
	assert_int_equal(view.state, REPAIR_OPEN);
	assert_false(view.partner_submitted);
	assert_partner_hidden(&view);

	/* Bob knows she shared, but not what */
	load_ok(&f, &bob, id, a, &view);
	assert_true(view.partner_submitted);
	assert_int_equal(view.state, REPAIR_OPEN);
	assert_partner_hidden(&view);

	/* Bob writes and shares */
	struct repair_side_input in_b = {.feelings = {"ashamed"}, .feelings_count = 1, .perspective = "Work ran over."};
	save_ok(&f, &bob, id, &in_b, a, &view);
	assert_partner_hidden(&view);
	submit_ok(&f, &bob, id, a, &view);
	assert_int_equal(view.state, REPAIR_REVEALED);
	assert_true(view.revealed);
	assert_string_equal(view.partner_side.author_id, ALICE);
	assert_string_equal(view.partner_side.perspective, "You were late again, and did not call.");
	assert_string_equal(view.partner_side.feelings, "[\"hurt\",\"lonely\"]");
	assert_string_equal(view.mine_side.perspective, "Work ran over.");

	load_ok(&f, &alice, id, a, &view);
	assert_int_equal(view.state, REPAIR_REVEALED);
	assert_true(view.revealed);
	assert_string_equal(view.partner_side.author_id, BOB);
	assert_string_equal(view.partner_side.perspective, "Work ran over.");
	assert_string_equal(view.partner_side.feelings, "[\"ashamed\"]");
	assert_null(view.partner_side.touched);
	assert_false(view.partner_acknowledged);

	/* Alice acknowledges with a note */
	ack_ok(&f, &alice, id, "Thank you for telling me.", a, &view);
	assert_int_equal(f.acks, 1);
	assert_int_equal(view.state, REPAIR_REVEALED);
	assert_true(view.mine_side.acknowledged_at > 0);
	assert_string_equal(view.mine_side.ack_note, "Thank you for telling me.");
	assert_false(view.partner_acknowledged);
	struct store_repair_side *stored = side_find(&f, SPACE1, id, ALICE);
	assert_non_null(stored);
	assert_sealed(stored->ack_note, "Thank you");

	load_ok(&f, &bob, id, a, &view);
	assert_int_equal(view.state, REPAIR_REVEALED);
	assert_true(view.partner_acknowledged);
	assert_string_equal(view.partner_side.ack_note, "Thank you for telling me.");

	/* Bob acknowledges without a note (a blank note is none) */
	ack_ok(&f, &bob, id, "   ", a, &view);
	assert_int_equal(view.state, REPAIR_RESOLVED);
	assert_null(view.mine_side.ack_note);
	assert_null(side_find(&f, SPACE1, id, BOB)->ack_note);
	load_ok(&f, &alice, id, a, &view);
	assert_int_equal(view.state, REPAIR_RESOLVED);
	assert_true(view.revealed);
	assert_true(view.partner_acknowledged);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void refused_transitions(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB), bob = make_viewer(BOB, SPACE1, ALICE);
	char *id = open_repair(&f, &alice, "Chores", a);
	struct repair_view view;
	struct problem p = {0};

	/* nothing to share yet */
	assert_false(repair_submit(&f.base.store, &alice, id, a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "feelings");
	assert_int_equal(f.submits, 0);

	/* a draft that is not complete cannot be shared */
	struct repair_side_input draft = {.perspective = "I do all the dishes."};
	save_ok(&f, &alice, id, &draft, a, &view);
	memset(&p, 0, sizeof p);
	assert_false(repair_submit(&f.base.store, &alice, id, a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "feelings");
	draft = (struct repair_side_input){.feelings = {"exhausted"}, .feelings_count = 1, .perspective = " \n"};
	save_ok(&f, &alice, id, &draft, a, &view);
	memset(&p, 0, sizeof p);
	assert_false(repair_submit(&f.base.store, &alice, id, a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "perspective");
	assert_int_equal(f.submits, 0);

	/* a draft with an unknown feeling is not saved */
	int puts = f.puts;
	struct repair_side_input bad = {.feelings = {"exhausted", "zesty"}, .feelings_count = 2};
	memset(&p, 0, sizeof p);
	assert_false(repair_save_side(&f.base.store, &alice, id, &bad, a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "feelings");
	assert_int_equal(f.puts, puts);

	/* acknowledging before anything is shared */
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &alice, id, NULL, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "not_revealed", NULL);

	struct repair_side_input good = {.feelings = {"exhausted"}, .feelings_count = 1, .perspective = "Dishes."};
	save_ok(&f, &alice, id, &good, a, &view);
	submit_ok(&f, &alice, id, a, &view);

	/* submit twice: refused before the store is asked */
	int calls = f.submit_calls;
	memset(&p, 0, sizeof p);
	assert_false(repair_submit(&f.base.store, &alice, id, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_submitted", NULL);
	assert_int_equal(f.submits, 1);
	assert_int_equal(f.submit_calls, calls);

	/* save after submit: refused without writing, and the shared side is unchanged */
	puts = f.puts;
	calls = f.put_calls;
	struct repair_side_input later = {
	    .feelings = {"angry"}, .feelings_count = 1, .perspective = "Changed my mind."};
	memset(&p, 0, sizeof p);
	assert_false(repair_save_side(&f.base.store, &alice, id, &later, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_submitted", NULL);
	assert_int_equal(f.puts, puts);
	assert_int_equal(f.put_calls, calls);
	load_ok(&f, &alice, id, a, &view);
	assert_string_equal(view.mine_side.perspective, "Dishes.");

	/* acknowledging while only one side is shared: from either partner */
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &alice, id, "ok", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "not_revealed", NULL);
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &bob, id, "ok", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "not_revealed", NULL);
	struct repair_side_input bob_draft = {.feelings = {"guilty"}, .feelings_count = 1, .perspective = "Sorry."};
	save_ok(&f, &bob, id, &bob_draft, a, &view);
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &bob, id, "ok", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "not_revealed", NULL);
	assert_int_equal(f.acks, 0);

	submit_ok(&f, &bob, id, a, &view);

	/* a note that is too long is refused */
	char *long_note = repeat("n", 4001);
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &alice, id, long_note, a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "note");
	free(long_note);
	assert_int_equal(f.acks, 0);

	/* acknowledge twice: refused before the store is asked */
	ack_ok(&f, &alice, id, NULL, a, &view);
	calls = f.ack_calls;
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &alice, id, "again", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_acknowledged", NULL);
	assert_int_equal(f.acks, 1);
	assert_int_equal(f.ack_calls, calls);
	ack_ok(&f, &bob, id, NULL, a, &view);
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &bob, id, NULL, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_acknowledged", NULL);
	assert_int_equal(f.acks, 2);

	/* after resolution nothing changes any more */
	memset(&p, 0, sizeof p);
	assert_false(repair_submit(&f.base.store, &bob, id, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_submitted", NULL);
	memset(&p, 0, sizeof p);
	assert_false(repair_save_side(&f.base.store, &bob, id, &bob_draft, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_submitted", NULL);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

/* The store says "conflict" (a race lost): the domain answers 409 too. */
static void store_conflicts_are_409(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB);
	char *id = open_repair(&f, &alice, "Race", a);
	struct repair_view view;
	struct problem p = {0};
	struct repair_side_input good = {.feelings = {"calm"}, .feelings_count = 1, .perspective = "Fine."};
	save_ok(&f, &alice, id, &good, a, &view);

	f.fail = STORE_CONFLICT;
	f.fail_op = "side_put";
	assert_false(repair_save_side(&f.base.store, &alice, id, &good, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_submitted", NULL);
	f.fail_op = "side_submit";
	memset(&p, 0, sizeof p);
	assert_false(repair_submit(&f.base.store, &alice, id, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_submitted", NULL);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void partner_side_secret_until_both_submitted(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB), bob = make_viewer(BOB, SPACE1, ALICE);
	char *id = open_repair(&f, &alice, "Secret", a);
	struct repair_view view;

	/* the partner submits first, while the viewer has written nothing */
	struct repair_side_input in_b = {.feelings = {"hurt"}, .feelings_count = 1, .perspective = "BOB-SECRET"};
	save_ok(&f, &bob, id, &in_b, a, &view);
	submit_ok(&f, &bob, id, a, &view);
	load_ok(&f, &alice, id, a, &view);
	assert_true(view.partner_submitted);
	assert_false(view.has_mine);
	assert_int_equal(view.state, REPAIR_OPEN);
	assert_partner_hidden(&view);

	/* the viewer has a draft */
	struct repair_side_input in_a = {.feelings = {"sad"}, .feelings_count = 1, .perspective = "ALICE-DRAFT"};
	save_ok(&f, &alice, id, &in_a, a, &view);
	assert_partner_hidden(&view);
	assert_string_equal(view.mine_side.perspective, "ALICE-DRAFT");
	/* ... and every other action's answer also keeps it hidden */
	struct problem p = {0};
	assert_false(repair_acknowledge(&f.base.store, &alice, id, NULL, a, &view, &p));
	assert_partner_hidden(&view);
	/* Bob does not see Alice's draft either */
	load_ok(&f, &bob, id, a, &view);
	assert_false(view.partner_submitted);
	assert_partner_hidden(&view);
	assert_string_equal(view.mine_side.perspective, "BOB-SECRET");

	/* once both are shared, both see both */
	submit_ok(&f, &alice, id, a, &view);
	assert_true(view.revealed);
	assert_string_equal(view.partner_side.perspective, "BOB-SECRET");
	load_ok(&f, &bob, id, a, &view);
	assert_true(view.revealed);
	assert_string_equal(view.partner_side.perspective, "ALICE-DRAFT");
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void solo_is_never_revealed(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	/* Carol, alone and without a space */
	struct viewer carol = make_viewer(CAROL, "", "");
	struct repair_view view;
	struct problem p = {0};
	assert_true(repair_open(&f.base.store, &carol, "My temper", NULL, a, &view, &p));
	char *id = arena_strdup(a, view.repair.id);
	assert_true(view.repair.solo);
	assert_string_equal(view.repair.space_id, CAROL);
	assert_string_equal(view.repair.occurred_on, "");
	struct repair_side_input in = {.feelings = {"ashamed"}, .feelings_count = 1, .perspective = "I shouted."};
	save_ok(&f, &carol, id, &in, a, &view);
	submit_ok(&f, &carol, id, a, &view);
	assert_int_equal(view.state, REPAIR_OPEN);
	assert_false(view.revealed);
	assert_false(view.partner_submitted);
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &carol, id, NULL, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "not_revealed", NULL);

	/* even when another submitted side turns up in the store, a solo repair shows none */
	struct store_repair_side *other = &f.sides[f.side_count++];
	*other = f.sides[0];
	memcpy(other->author_id, DAN, sizeof other->author_id);
	load_ok(&f, &carol, id, a, &view);
	assert_int_equal(view.state, REPAIR_OPEN);
	assert_partner_hidden(&view);
	assert_false(view.partner_submitted);
	assert_string_equal(view.mine_side.perspective, "I shouted.");

	/* Dan, in a space whose partner has not joined yet, writes a solo reflection there */
	struct viewer dan = make_viewer(DAN, SPACE2, "");
	assert_true(repair_open(&f.base.store, &dan, "Alone in the space", NULL, a, &view, &p));
	char *dan_id = arena_strdup(a, view.repair.id);
	assert_true(view.repair.solo);
	assert_string_equal(view.repair.space_id, SPACE2);
	save_ok(&f, &dan, dan_id, &in, a, &view);
	submit_ok(&f, &dan, dan_id, a, &view);
	assert_false(view.revealed);

	/* Erin joins the space later: the store finds the row, the domain answers 404 to everything */
	struct viewer erin = make_viewer(ERIN, SPACE2, DAN);
	int puts = f.puts, submits = f.submits;
	memset(&p, 0, sizeof p);
	assert_false(repair_load(&f.base.store, &erin, dan_id, a, &view, &p));
	expect_problem(&p, OUTCOME_NOT_FOUND, "not_found", NULL);
	memset(&p, 0, sizeof p);
	assert_false(repair_save_side(&f.base.store, &erin, dan_id, &in, a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	memset(&p, 0, sizeof p);
	assert_false(repair_submit(&f.base.store, &erin, dan_id, a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &erin, dan_id, NULL, a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	assert_int_equal(f.puts, puts);
	assert_int_equal(f.submits, submits);

	/* Dan, now with a partner, still sees his reflection as never revealed */
	dan = make_viewer(DAN, SPACE2, ERIN);
	load_ok(&f, &dan, dan_id, a, &view);
	assert_true(view.repair.solo);
	assert_int_equal(view.state, REPAIR_OPEN);
	assert_false(view.revealed);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void store_failures(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = make_viewer(ALICE, SPACE1, BOB), bob = make_viewer(BOB, SPACE1, ALICE);
	char *id = open_repair(&f, &alice, "Busy", a);
	struct repair_view view;
	struct problem p;
	struct repair_side_input in = {.feelings = {"calm"}, .feelings_count = 1, .perspective = "Fine."};
	save_ok(&f, &alice, id, &in, a, &view);

	const char *ops[] = {"repair_get", "repair_sides", "side_put"};
	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		f.fail = STORE_BUSY;
		f.fail_op = ops[i];
		memset(&p, 0, sizeof p);
		assert_false(repair_save_side(&f.base.store, &alice, id, &in, a, &view, &p));
		expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
		assert_true(p.retry_after > 0);
	}
	f.fail_op = "side_submit";
	memset(&p, 0, sizeof p);
	assert_false(repair_submit(&f.base.store, &alice, id, a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	f.fail_op = "repair_get";
	memset(&p, 0, sizeof p);
	assert_false(repair_load(&f.base.store, &alice, id, a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	f.fail_op = "repair_insert";
	memset(&p, 0, sizeof p);
	assert_false(repair_open(&f.base.store, &alice, "Another", NULL, a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	int inserts = f.inserts;

	/* a hard error is a 500 */
	f.fail = STORE_ERROR;
	f.fail_op = "repair_get";
	memset(&p, 0, sizeof p);
	assert_false(repair_load(&f.base.store, &alice, id, a, &view, &p));
	expect_problem(&p, OUTCOME_ERROR, "internal", NULL);
	f.fail = STORE_OK;
	f.fail_op = NULL;
	assert_int_equal(f.inserts, inserts);

	submit_ok(&f, &alice, id, a, &view);
	save_ok(&f, &bob, id, &in, a, &view);
	submit_ok(&f, &bob, id, a, &view);
	f.fail = STORE_BUSY;
	f.fail_op = "side_acknowledge";
	memset(&p, 0, sizeof p);
	assert_false(repair_acknowledge(&f.base.store, &alice, id, "thanks", a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	assert_true(p.retry_after > 0);
	f.fail = STORE_OK;
	ack_ok(&f, &alice, id, "thanks", a, &view);
	arena_free(a);
	fake_store_cleanup(&f.base);

	/* the data key cannot be read: nothing is written, 503 */
	fake_init(&f);
	a = arena_new();
	f.fail = STORE_BUSY;
	f.fail_op = "datakey";
	memset(&p, 0, sizeof p);
	assert_false(repair_open(&f.base.store, &alice, "Keys busy", NULL, a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	assert_int_equal(f.inserts, 0);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(state_every_combination),
	    cmocka_unit_test(state_names),
	    cmocka_unit_test(side_feelings),
	    cmocka_unit_test(side_text_lengths),
	    cmocka_unit_test(side_complete_needs_feeling_and_perspective),
	    cmocka_unit_test(title_validation),
	    cmocka_unit_test(open_seals_title_and_starts_open),
	    cmocka_unit_test(full_flow),
	    cmocka_unit_test(refused_transitions),
	    cmocka_unit_test(store_conflicts_are_409),
	    cmocka_unit_test(partner_side_secret_until_both_submitted),
	    cmocka_unit_test(solo_is_never_revealed),
	    cmocka_unit_test(store_failures),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
