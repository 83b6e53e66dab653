/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_prompt.c - unit tests for src/domain/prompt.h: choosing the next
 * prompt from the deck (no repeats, depth over time, category rotation,
 * determinism), local dates in time zones, time zone and acknowledgement
 * checks, and answering, acknowledging and skipping through a fake store
 * with a real keyring.
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
#include <time.h>
#include <unistd.h>

#include "domain/checkin.h"
#include "domain/content.h"
#include "domain/keyring.h"
#include "domain/prompt.h"
#include "util/util.h"
#include "../content_fixture.h"
#include "../fake_keys.h"
#include "../unit.h"

#define ALICE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BOB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define CAROL "cccccccccccccccccccccccccccccccc"
#define DAN "dddddddddddddddddddddddddddddddd"
#define SPACE1 "11111111111111111111111111111111"
#define SPACE2 "22222222222222222222222222222222"

#define DECK_MAX 512

static struct key_file key;

static int64_t (*real_clock)(void);

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	if (content_fixture_load() < 0)
		return -1;
	if (content_prompt_count() == 0 || content_prompt_count() > DECK_MAX)
		return -1;
	if (key_file_make(&key, "test_prompt") < 0)
		return -1;
	real_clock = util_clock;
	util_clock = fixed_instant;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	util_clock = real_clock;
	content_free();
	key_file_remove(&key);
	return 0;
}

/* --- choosing a prompt --- */

static char seen[DECK_MAX + 16][16];

static bool in_seen(int count, const char *id)
{
	for (int i = 0; i < count; i++)
		if (strcmp(seen[i], id) == 0)
			return true;
	return false;
}

/* Fills seen[] with up to `count` deck ids of the given depth (0 = any), in deck order; returns how many. */
static int seen_of_depth(int depth, int count)
{
	int n = 0;
	for (size_t i = 0; i < content_prompt_count() && n < count; i++) {
		const struct prompt *q = content_prompt(i);
		if (depth == 0 || q->depth == depth)
			snprintf(seen[n++], sizeof seen[0], "%s", q->id);
	}
	return n;
}

/* The categories in deck order, as the rotation uses them. */
static int deck_categories(const char *out[16])
{
	int n = 0;
	for (size_t i = 0; i < content_prompt_count(); i++) {
		const char *c = content_prompt(i)->category;
		bool known = false;
		for (int k = 0; k < n; k++)
			known |= strcmp(out[k], c) == 0;
		if (!known && n < 16)
			out[n++] = c;
	}
	return n;
}

static const struct prompt *choose(int count, const char *salt)
{
	const struct prompt *q = prompt_choose(seen, count, salt);
	assert_non_null(q);
	assert_ptr_equal(content_prompt_by_id(q->id), q); /* a prompt of the deck */
	return q;
}

static void choose_never_repeats_while_unseen_remain(void **state)
{
	(void)state;
	int n = (int)content_prompt_count();
	/* a scrambled order of the deck, the same each run */
	int order[DECK_MAX];
	for (int i = 0; i < n; i++)
		order[i] = i;
	uint32_t x = 12345;
	for (int i = n - 1; i > 0; i--) {
		x = x * 1103515245u + 12345u;
		int j = (int)((x >> 8) % (uint32_t)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	int sizes[] = {0, 1, 5, 13, 14, 30, 41, 42, 60, 100, 150, n - 2, n - 1};
	for (size_t s = 0; s < ARRAY_LEN(sizes); s++) {
		int k = sizes[s];
		for (int i = 0; i < k; i++)
			snprintf(seen[i], sizeof seen[0], "%s", content_prompt((size_t)order[i])->id);
		for (int salt = 0; salt < 40; salt++) {
			char buf[32];
			snprintf(buf, sizeof buf, "salt-%d", salt);
			const struct prompt *q = choose(k, buf);
			if (in_seen(k, q->id))
				fail_msg("with %d seen, salt %s gave the seen prompt %s", k, buf, q->id);
		}
	}
	/* one left: that one, whatever the salt */
	const struct prompt *last = content_prompt((size_t)order[n - 1]);
	for (int salt = 0; salt < 10; salt++) {
		char buf[32];
		snprintf(buf, sizeof buf, "%d", salt);
		assert_string_equal(choose(n - 1, buf)->id, last->id);
	}
	/* the whole walk through the deck, one day at a time, never repeats */
	int count = 0;
	for (int day = 0; day < n; day++) {
		char buf[32];
		snprintf(buf, sizeof buf, "space:day-%d", day);
		const struct prompt *q = choose(count, buf);
		if (in_seen(count, q->id))
			fail_msg("day %d repeats %s", day, q->id);
		snprintf(seen[count++], sizeof seen[0], "%s", q->id);
	}
	assert_int_equal(count, n);
}

static void choose_depth_grows_with_progress(void **state)
{
	(void)state;
	char buf[32];
	for (int salt = 0; salt < 50; salt++) {
		snprintf(buf, sizeof buf, "depth-%d", salt);
		/* nothing seen: light prompts */
		assert_int_equal(choose(0, buf)->depth, 1);
		/* up to 13 seen: still light (the seen ones deep ones, so light ones are plenty) */
		int k = seen_of_depth(3, 13);
		assert_int_equal(k, 13);
		assert_int_equal(choose(k, buf)->depth, 1);
		k = seen_of_depth(1, 13);
		assert_int_equal(choose(k, buf)->depth, 1);
		/* 14 seen: personal */
		k = seen_of_depth(1, 14);
		assert_int_equal(k, 14);
		assert_int_equal(choose(k, buf)->depth, 2);
		/* 41 seen: still personal */
		k = seen_of_depth(1, 41);
		assert_int_equal(choose(k, buf)->depth, 2);
		/* 42 seen: vulnerable */
		k = seen_of_depth(1, 42);
		assert_int_equal(k, 42);
		assert_int_equal(choose(k, buf)->depth, 3);
		k = seen_of_depth(1, 70);
		assert_int_equal(choose(k, buf)->depth, 3);
	}
	/* every deep and every light prompt seen: the personal ones that remain, never a seen one */
	int k = seen_of_depth(3, DECK_MAX);
	for (size_t i = 0; i < content_prompt_count(); i++)
		if (content_prompt(i)->depth == 1)
			snprintf(seen[k++], sizeof seen[0], "%s", content_prompt(i)->id);
	for (int salt = 0; salt < 20; salt++) {
		snprintf(buf, sizeof buf, "fallback-%d", salt);
		const struct prompt *q = choose(k, buf);
		assert_false(in_seen(k, q->id));
		assert_int_equal(q->depth, 2);
	}
}

static void choose_is_deterministic(void **state)
{
	(void)state;
	int sizes[] = {0, 7, 14, 50};
	for (size_t s = 0; s < ARRAY_LEN(sizes); s++) {
		int k = seen_of_depth(0, sizes[s]);
		for (int salt = 0; salt < 20; salt++) {
			char buf[48];
			snprintf(buf, sizeof buf, SPACE1 ":2026-11-%02d", salt + 1);
			const struct prompt *first = choose(k, buf);
			for (int again = 0; again < 3; again++)
				assert_ptr_equal(choose(k, buf), first);
		}
	}
}

static void choose_salts_spread(void **state)
{
	(void)state;
	const char *cats[16];
	int ncat = deck_categories(cats);
	assert_true(ncat >= 2);
	/* how many light prompts the first category has */
	int pool = 0;
	for (size_t i = 0; i < content_prompt_count(); i++)
		pool += content_prompt(i)->depth == 1 && strcmp(content_prompt(i)->category, cats[0]) == 0;
	assert_true(pool >= 5);
	const char *picked[200];
	int distinct = 0;
	for (int salt = 0; salt < 200; salt++) {
		char buf[48];
		snprintf(buf, sizeof buf, "%s:2026-11-26:%d", SPACE1, salt);
		const struct prompt *q = choose(0, buf);
		assert_int_equal(q->depth, 1);
		assert_string_equal(q->category, cats[0]);
		bool known = false;
		for (int i = 0; i < distinct; i++)
			known |= picked[i] == q->id;
		if (!known)
			picked[distinct++] = q->id;
	}
	/* 200 salts over a pool of this size should reach nearly all of it */
	if (distinct < pool - 1)
		fail_msg("200 salts reached only %d of %d prompts", distinct, pool);
	/* two different spaces on the same day are not all given the same prompt */
	int same = 0;
	for (int i = 0; i < 20; i++) {
		char s1[48], s2[48];
		snprintf(s1, sizeof s1, "space-a-%d:2026-11-26", i);
		snprintf(s2, sizeof s2, "space-b-%d:2026-11-26", i);
		same += choose(0, s1) == choose(0, s2);
	}
	assert_true(same < 15);
}

static void choose_starts_again_when_all_seen(void **state)
{
	(void)state;
	int n = seen_of_depth(0, DECK_MAX);
	assert_int_equal(n, (int)content_prompt_count());
	const char *cats[16];
	deck_categories(cats);
	for (int salt = 0; salt < 20; salt++) {
		char buf[32];
		snprintf(buf, sizeof buf, "again-%d", salt);
		const struct prompt *q = choose(n, buf);
		/* a new round begins light, with the first category */
		assert_int_equal(q->depth, 1);
		assert_string_equal(q->category, cats[0]);
	}
	/* the same with ids seen twice and ids no longer in the deck */
	int k = n;
	snprintf(seen[k++], sizeof seen[0], "%s", content_prompt(0)->id);
	snprintf(seen[k++], sizeof seen[0], "retired-1");
	assert_non_null(choose(k, "again"));
}

static void choose_rotates_categories(void **state)
{
	(void)state;
	const char *cats[16];
	int ncat = deck_categories(cats);
	assert_true(ncat >= 2);
	/* progress 0..13: the seen ones are deep, so every category still has light prompts */
	const char *prev = NULL;
	for (int progress = 0; progress < 14; progress++) {
		int k = seen_of_depth(3, progress);
		assert_int_equal(k, progress);
		const struct prompt *q = choose(k, "rotate");
		assert_int_equal(q->depth, 1);
		assert_string_equal(q->category, cats[progress % ncat]);
		if (prev)
			assert_string_not_equal(q->category, prev);
		prev = q->category;
	}
	/* progress 14..41: the seen ones are light, personal prompts of every category remain */
	prev = NULL;
	for (int progress = 14; progress < 42; progress++) {
		int k = seen_of_depth(1, progress);
		const struct prompt *q = choose(k, "rotate-2");
		assert_int_equal(q->depth, 2);
		assert_string_equal(q->category, cats[progress % ncat]);
		if (prev)
			assert_string_not_equal(q->category, prev);
		prev = q->category;
	}
	/* six days in a row visit six different categories */
	const char *week[16];
	for (int d = 0; d < ncat; d++) {
		int k = seen_of_depth(3, d);
		week[d] = choose(k, "week")->category;
		for (int e = 0; e < d; e++)
			assert_string_not_equal(week[d], week[e]);
	}
}

/* --- dates, zones, kinds --- */

static void ack_kinds(void **state)
{
	(void)state;
	const char *good[] = {"thank_you", "i_hear_you", "me_too", "hug"};
	const char *bad[] = {NULL, "", "THANK_YOU", "hug ", " hug", "love", "thank you", "hugs", "thank_you\n"};
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		enum prompt_ack k;
		assert_true(prompt_ack_parse(good[i], &k));
		assert_string_equal(prompt_ack_name(k), good[i]);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		enum prompt_ack k;
		assert_false(prompt_ack_parse(bad[i], &k));
	}
}

/* --- a fake store --- */

#define FAKE_MAX 16

struct skip_row {
	char scope[ID_LEN + 1], date[11], user[ID_LEN + 1];
};

struct fake {
	struct fake_store base;
	struct store_prompt_day days[FAKE_MAX];
	int day_count;
	struct store_prompt_answer answers[FAKE_MAX];
	int answer_count;
	struct skip_row skips[FAKE_MAX];
	int skip_count;
	char seen_scope[FAKE_MAX][ID_LEN + 1];
	char seen_ids[FAKE_MAX][16];
	int seen_count;
	enum store_status fail;
	const char *fail_op; /* NULL: every call */
	int replaces, answer_inserts, ack_puts;
	int answer_insert_calls; /* attempts, successful or not */
	struct {
		char scope[ID_LEN + 1], date[11], question[16];
	} overrides[FAKE_MAX]; /* issue 15: "Ask this tomorrow" */
	int override_count;
};

static bool failing(struct fake *f, const char *op)
{
	return fake_store_failing(&f->base, op);
}

static void seen_add(struct fake *f, const char *scope, const char *prompt_id)
{
	for (int i = 0; i < f->seen_count; i++)
		if (strcmp(f->seen_scope[i], scope) == 0 && strcmp(f->seen_ids[i], prompt_id) == 0)
			return;
	assert_true(f->seen_count < FAKE_MAX);
	snprintf(f->seen_scope[f->seen_count], sizeof f->seen_scope[0], "%s", scope);
	snprintf(f->seen_ids[f->seen_count], sizeof f->seen_ids[0], "%s", prompt_id);
	f->seen_count++;
}

static enum store_status fake_day_get(struct store *s, const char *scope, const char *date, struct store_prompt_day *d)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "day_get"))
		return f->fail;
	for (int i = 0; i < f->day_count; i++)
		if (strcmp(f->days[i].scope_id, scope) == 0 && strcmp(f->days[i].date, date) == 0) {
			*d = f->days[i];
			return STORE_OK;
		}
	return STORE_NOT_FOUND;
}

static enum store_status fake_day_by_id(struct store *s, const char *id, struct store_prompt_day *d)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "day_by_id"))
		return f->fail;
	for (int i = 0; i < f->day_count; i++)
		if (strcmp(f->days[i].id, id) == 0) {
			*d = f->days[i];
			return STORE_OK;
		}
	return STORE_NOT_FOUND;
}

static enum store_status fake_day_insert(struct store *s, const struct store_prompt_day *d)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "day_insert"))
		return f->fail;
	for (int i = 0; i < f->day_count; i++)
		if (strcmp(f->days[i].scope_id, d->scope_id) == 0 && strcmp(f->days[i].date, d->date) == 0)
			return STORE_CONFLICT;
	assert_true(f->day_count < FAKE_MAX);
	f->days[f->day_count++] = *d;
	seen_add(f, d->scope_id, d->prompt_id);
	return STORE_OK;
}

static int answers_for(struct fake *f, const char *scope, const char *day_id)
{
	int n = 0;
	for (int i = 0; i < f->answer_count; i++)
		n += strcmp(f->answers[i].scope_id, scope) == 0 && strcmp(f->answers[i].day_id, day_id) == 0;
	return n;
}

static enum store_status fake_day_replace(struct store *s, const struct store_prompt_day *old,
                                          const struct store_prompt_day *fresh, const char *skipped_by)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "day_replace"))
		return f->fail;
	if (answers_for(f, old->scope_id, old->id) > 0)
		return STORE_CONFLICT;
	for (int i = 0; i < f->day_count; i++) {
		struct store_prompt_day *d = &f->days[i];
		if (strcmp(d->scope_id, old->scope_id) == 0 && strcmp(d->date, old->date) == 0 &&
		    strcmp(d->id, old->id) == 0) {
			for (int k = 0; k < f->skip_count; k++)
				if (strcmp(f->skips[k].scope, old->scope_id) == 0 &&
				    strcmp(f->skips[k].date, old->date) == 0 &&
				    strcmp(f->skips[k].user, skipped_by) == 0)
					return STORE_CONFLICT; /* the primary key of prompt_skips */
			assert_true(f->skip_count < FAKE_MAX);
			struct skip_row *r = &f->skips[f->skip_count++];
			snprintf(r->scope, sizeof r->scope, "%s", old->scope_id);
			snprintf(r->date, sizeof r->date, "%s", old->date);
			snprintf(r->user, sizeof r->user, "%s", skipped_by);
			memcpy(d->id, fresh->id, sizeof d->id);
			memcpy(d->prompt_id, fresh->prompt_id, sizeof d->prompt_id);
			d->created_at = fresh->created_at;
			seen_add(f, fresh->scope_id, fresh->prompt_id);
			f->replaces++;
			return STORE_OK;
		}
	}
	return STORE_CONFLICT;
}

static enum store_status fake_seen(struct store *s, struct arena *a, const char *scope, char (**ids)[16], int *count)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "seen"))
		return f->fail;
	*ids = arena_alloc(a, sizeof **ids * (size_t)(f->seen_count + 1));
	*count = 0;
	for (int i = 0; i < f->seen_count; i++)
		if (strcmp(f->seen_scope[i], scope) == 0)
			memcpy((*ids)[(*count)++], f->seen_ids[i], 16);
	return STORE_OK;
}

static enum store_status fake_skipped(struct store *s, const char *scope, const char *date, const char *user,
                                      bool *skipped)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "skipped"))
		return f->fail;
	*skipped = false;
	for (int i = 0; i < f->skip_count; i++)
		if (strcmp(f->skips[i].scope, scope) == 0 && strcmp(f->skips[i].date, date) == 0 &&
		    strcmp(f->skips[i].user, user) == 0)
			*skipped = true;
	return STORE_OK;
}

static enum store_status fake_answer_insert(struct store *s, const struct store_prompt_answer *ans)
{
	struct fake *f = (struct fake *)s;
	f->answer_insert_calls++;
	if (failing(f, "answer_insert"))
		return f->fail;
	for (int i = 0; i < f->answer_count; i++)
		if (strcmp(f->answers[i].day_id, ans->day_id) == 0 &&
		    strcmp(f->answers[i].author_id, ans->author_id) == 0)
			return STORE_CONFLICT;
	assert_true(f->answer_count < FAKE_MAX);
	struct store_prompt_answer *row = &f->answers[f->answer_count++];
	*row = *ans;
	row->text = ans->text ? arena_strdup(f->base.arena, ans->text) : NULL;
	row->ack_kind[0] = '\0';
	f->answer_inserts++;
	return STORE_OK;
}

static enum store_status fake_answers(struct store *s, struct arena *a, const char *scope, const char *day_id,
                                      struct store_prompt_answer *answers, int *count)
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "answers"))
		return f->fail;
	*count = 0;
	for (int i = 0; i < f->answer_count && *count < 2; i++) {
		const struct store_prompt_answer *row = &f->answers[i];
		if (strcmp(row->scope_id, scope) != 0 || strcmp(row->day_id, day_id) != 0)
			continue;
		answers[*count] = *row;
		answers[*count].text = row->text ? arena_strdup(a, row->text) : NULL;
		(*count)++;
	}
	return STORE_OK;
}

static enum store_status fake_ack_put(struct store *s, const char *scope, const char *day_id, const char *answer_author,
                                      const char *from_id, const char *kind, int64_t now)
{
	struct fake *f = (struct fake *)s;
	(void)now;
	if (failing(f, "ack_put"))
		return f->fail;
	for (int i = 0; i < f->answer_count; i++) {
		struct store_prompt_answer *row = &f->answers[i];
		if (strcmp(row->scope_id, scope) == 0 && strcmp(row->day_id, day_id) == 0 &&
		    strcmp(row->author_id, answer_author) == 0) {
			snprintf(row->ack_kind, sizeof row->ack_kind, "%s", kind);
			snprintf(row->ack_from, sizeof row->ack_from, "%s", from_id);
			f->ack_puts++;
			return STORE_OK;
		}
	}
	return STORE_NOT_FOUND;
}

static enum store_status fake_override_put(struct store *s, const char *scope, const char *date, const char *question,
                                           int64_t now)
{
	(void)now;
	struct fake *f = (struct fake *)s;
	if (failing(f, "override"))
		return f->fail;
	int i = 0;
	while (i < f->override_count &&
	       (strcmp(f->overrides[i].scope, scope) != 0 || strcmp(f->overrides[i].date, date) != 0))
		i++;
	if (i == FAKE_MAX)
		return STORE_ERROR;
	if (i == f->override_count)
		f->override_count++;
	snprintf(f->overrides[i].scope, sizeof f->overrides[i].scope, "%s", scope);
	snprintf(f->overrides[i].date, sizeof f->overrides[i].date, "%s", date);
	snprintf(f->overrides[i].question, sizeof f->overrides[i].question, "%s", question);
	return STORE_OK;
}

static enum store_status fake_override_get(struct store *s, const char *scope, const char *date, char question[16])
{
	struct fake *f = (struct fake *)s;
	if (failing(f, "override"))
		return f->fail;
	for (int i = 0; i < f->override_count; i++)
		if (strcmp(f->overrides[i].scope, scope) == 0 && strcmp(f->overrides[i].date, date) == 0) {
			snprintf(question, 16, "%s", f->overrides[i].question);
			return STORE_OK;
		}
	return STORE_NOT_FOUND;
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	fake_store_init(&f->base, &key);
	/* the keys fail too when a test says so */
	f->base.fail = &f->fail;
	f->base.fail_op = &f->fail_op;
	f->base.store.prompt_day_get = fake_day_get;
	f->base.store.prompt_day_by_id = fake_day_by_id;
	f->base.store.prompt_day_insert = fake_day_insert;
	f->base.store.prompt_day_replace = fake_day_replace;
	f->base.store.prompt_seen = fake_seen;
	f->base.store.prompt_skipped = fake_skipped;
	f->base.store.prompt_answer_insert = fake_answer_insert;
	f->base.store.prompt_answers = fake_answers;
	f->base.store.prompt_ack_put = fake_ack_put;
	f->base.store.prompt_override_put = fake_override_put;
	f->base.store.prompt_override_get = fake_override_get;
}

/* make_viewer's member, in zone tz. */
static struct viewer viewer_in(const char *user, const char *space, const char *partner, const char *tz)
{
	struct viewer v = make_viewer(user, space, partner);
	snprintf(v.time_zone, sizeof v.time_zone, "%s", tz);
	return v;
}

static void today_ok(struct fake *f, const struct viewer *v, struct arena *a, struct prompt_view *out)
{
	struct problem p = {0};
	if (!prompt_today(&f->base.store, v, a, out, &p))
		fail_msg("prompt_today: %d %s", (int)p.outcome, p.message ? p.message : "-");
	assert_non_null(out->prompt);
}

static void load_ok(struct fake *f, const struct viewer *v, const char *day_id, struct arena *a,
                    struct prompt_view *out)
{
	struct problem p = {0};
	if (!prompt_load(&f->base.store, v, day_id, a, out, &p))
		fail_msg("prompt_load: %d %s", (int)p.outcome, p.message ? p.message : "-");
}

static void answer_ok(struct fake *f, const struct viewer *v, const char *day_id, const char *text, struct arena *a,
                      struct prompt_view *out)
{
	struct problem p = {0};
	if (!prompt_answer(&f->base.store, v, day_id, text, a, out, &p))
		fail_msg("prompt_answer: %d %s %s", (int)p.outcome, p.code ? p.code : "-", p.message ? p.message : "-");
}

/* --- the actions --- */

static void today_uses_zone_and_deck(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = viewer_in(ALICE, SPACE1, BOB, "Pacific/Auckland");
	struct viewer bob = viewer_in(BOB, SPACE1, ALICE, "Pacific/Auckland");
	/* some prompts were given before */
	for (int i = 0; i < 10; i++)
		seen_add(&f, SPACE1, content_prompt((size_t)i * 3)->id);
	struct prompt_view view;
	today_ok(&f, &alice, a, &view);
	assert_int_equal(f.day_count, 1);
	assert_string_equal(view.day.date, "2026-11-27"); /* the space's date, not UTC's */
	assert_string_equal(view.day.scope_id, SPACE1);
	assert_string_equal(view.prompt->id, view.day.prompt_id);
	for (int i = 0; i < 10; i++)
		assert_string_not_equal(view.prompt->id, content_prompt((size_t)i * 3)->id);
	assert_null(view.mine);
	assert_null(view.partner);
	assert_false(view.partner_answered);
	assert_true(view.can_skip);
	assert_true(view.has_partner);
	char day_id[ID_LEN + 1];
	snprintf(day_id, sizeof day_id, "%s", view.day.id);

	/* the partner gets the same day and prompt */
	today_ok(&f, &bob, a, &view);
	assert_int_equal(f.day_count, 1);
	assert_string_equal(view.day.id, day_id);

	/* alone: a scope of one's own, in UTC */
	struct viewer carol = viewer_in(CAROL, "", "", "UTC");
	today_ok(&f, &carol, a, &view);
	assert_int_equal(f.day_count, 2);
	assert_string_equal(view.day.scope_id, CAROL);
	assert_string_equal(view.day.date, "2026-11-26");
	assert_false(view.has_partner);

	/* someone else's day is not found; nor is a malformed id */
	struct problem p = {0};
	struct viewer dan = viewer_in(DAN, SPACE2, "", "UTC");
	assert_false(prompt_load(&f.base.store, &dan, day_id, a, &view, &p));
	expect_problem(&p, OUTCOME_NOT_FOUND, "not_found", NULL);
	memset(&p, 0, sizeof p);
	assert_false(prompt_load(&f.base.store, &carol, day_id, a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	memset(&p, 0, sizeof p);
	assert_false(prompt_load(&f.base.store, &alice, "not-an-id", a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &dan, day_id, "sneaky", a, &view, &p));
	assert_int_equal(p.outcome, OUTCOME_NOT_FOUND);
	assert_int_equal(f.answer_inserts, 0);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void answers_and_secrecy(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = viewer_in(ALICE, SPACE1, BOB, "UTC"), bob = viewer_in(BOB, SPACE1, ALICE, "UTC");
	struct prompt_view view;
	struct problem p = {0};
	today_ok(&f, &alice, a, &view);
	char day_id[ID_LEN + 1];
	snprintf(day_id, sizeof day_id, "%s", view.day.id);

	/* Bob answers first */
	answer_ok(&f, &bob, day_id, "BOB-ANSWER", a, &view);
	assert_int_equal(f.answer_inserts, 1);
	assert_string_equal(view.mine, "BOB-ANSWER");
	assert_null(view.partner);
	assert_false(view.partner_answered);
	assert_false(view.can_skip);
	/* it is stored sealed */
	assert_memory_equal(f.answers[0].text, "v1:", 3);
	assert_null(strstr(f.answers[0].text, "BOB-ANSWER"));

	/* Alice knows he answered, but cannot read it */
	load_ok(&f, &alice, day_id, a, &view);
	assert_true(view.partner_answered);
	assert_null(view.partner);
	assert_null(view.mine);
	assert_null(view.ack_on_partner);
	today_ok(&f, &alice, a, &view);
	assert_true(view.partner_answered);
	assert_null(view.partner);
	assert_false(view.can_skip);

	/* a blank or too long answer is refused and nothing is stored */
	const char *blanks[] = {NULL, "", " ", "\n\t \r"};
	for (size_t i = 0; i < ARRAY_LEN(blanks); i++) {
		memset(&p, 0, sizeof p);
		assert_false(prompt_answer(&f.base.store, &alice, day_id, blanks[i], a, &view, &p));
		expect_problem(&p, OUTCOME_INVALID, "invalid_input", "text");
	}
	char *too_long = repeat("a", 4001), *too_long_multi = repeat("\xc3\xa9", 4001);
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &alice, day_id, too_long, a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "text");
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &alice, day_id, too_long_multi, a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "text");
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &alice, day_id, "bad \xff", a, &view, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "text");
	free(too_long);
	free(too_long_multi);
	assert_int_equal(f.answer_inserts, 1);

	/* Alice answers (4000 characters is fine): now she sees his */
	char *longest = repeat("\xc3\xa9", 4000);
	answer_ok(&f, &alice, day_id, longest, a, &view);
	assert_string_equal(view.mine, longest);
	assert_non_null(view.partner);
	assert_string_equal(view.partner, "BOB-ANSWER");
	assert_true(view.partner_answered);

	load_ok(&f, &bob, day_id, a, &view);
	assert_string_equal(view.partner, longest);
	free(longest);

	/* answering twice: refused before the store is asked */
	int calls = f.answer_insert_calls;
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &alice, day_id, "again", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_answered", NULL);
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &bob, day_id, "again", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_answered", NULL);
	assert_int_equal(f.answer_inserts, 2);
	assert_int_equal(f.answer_insert_calls, calls);
	/* a race lost in the store is also 409 */
	struct viewer carol = viewer_in(CAROL, "", "", "UTC");
	today_ok(&f, &carol, a, &view);
	f.fail = STORE_CONFLICT;
	f.fail_op = "answer_insert";
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &carol, view.day.id, "mine", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "already_answered", NULL);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void acknowledgements(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = viewer_in(ALICE, SPACE1, BOB, "UTC"), bob = viewer_in(BOB, SPACE1, ALICE, "UTC");
	struct prompt_view view;
	struct problem p = {0};
	today_ok(&f, &alice, a, &view);
	char day_id[ID_LEN + 1];
	snprintf(day_id, sizeof day_id, "%s", view.day.id);

	/* a bad kind is refused before anything else, even while the store is down */
	const char *bad[] = {NULL, "", "love", "HUG"};
	f.fail = STORE_BUSY;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		memset(&p, 0, sizeof p);
		assert_false(prompt_acknowledge(&f.base.store, &alice, day_id, bad[i], a, &view, &p));
		expect_problem(&p, OUTCOME_INVALID, "invalid_input", "kind");
	}
	f.fail = STORE_OK;

	/* nobody answered */
	memset(&p, 0, sizeof p);
	assert_false(prompt_acknowledge(&f.base.store, &alice, day_id, "hug", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	/* only the viewer answered */
	answer_ok(&f, &alice, day_id, "Alice's answer", a, &view);
	memset(&p, 0, sizeof p);
	assert_false(prompt_acknowledge(&f.base.store, &alice, day_id, "hug", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	/* the partner answered but the viewer did not (Bob cannot acknowledge what he cannot read) */
	memset(&p, 0, sizeof p);
	assert_false(prompt_acknowledge(&f.base.store, &bob, day_id, "thank_you", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	assert_int_equal(f.ack_puts, 0);

	answer_ok(&f, &bob, day_id, "Bob's answer", a, &view);
	assert_true(prompt_acknowledge(&f.base.store, &alice, day_id, "hug", a, &view, &p));
	assert_int_equal(f.ack_puts, 1);
	/* the store was given the kind sealed, never the word */
	for (int i = 0; i < f.answer_count; i++)
		if (f.answers[i].ack_kind[0])
			assert_true(keyring_is_sealed(f.answers[i].ack_kind));
	assert_non_null(view.ack_on_partner);
	assert_string_equal(view.ack_on_partner, "hug");
	assert_null(view.ack_on_mine);
	load_ok(&f, &bob, day_id, a, &view);
	assert_non_null(view.ack_on_mine);
	assert_string_equal(view.ack_on_mine, "hug");
	assert_null(view.ack_on_partner);

	/* a new acknowledgement replaces the old one */
	assert_true(prompt_acknowledge(&f.base.store, &alice, day_id, "i_hear_you", a, &view, &p));
	assert_string_equal(view.ack_on_partner, "i_hear_you");
	assert_true(prompt_acknowledge(&f.base.store, &bob, day_id, "me_too", a, &view, &p));
	assert_string_equal(view.ack_on_partner, "me_too");
	assert_string_equal(view.ack_on_mine, "i_hear_you");

	/* store trouble */
	f.fail = STORE_BUSY;
	f.fail_op = "ack_put";
	memset(&p, 0, sizeof p);
	assert_false(prompt_acknowledge(&f.base.store, &bob, day_id, "hug", a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	f.fail = STORE_OK;

	/* alone, there is nobody to acknowledge */
	struct viewer carol = viewer_in(CAROL, "", "", "UTC");
	today_ok(&f, &carol, a, &view);
	answer_ok(&f, &carol, view.day.id, "Just me", a, &view);
	memset(&p, 0, sizeof p);
	assert_false(prompt_acknowledge(&f.base.store, &carol, view.day.id, "hug", a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void skipping(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = viewer_in(ALICE, SPACE1, BOB, "UTC"), bob = viewer_in(BOB, SPACE1, ALICE, "UTC");
	struct prompt_view view;
	struct problem p = {0};
	today_ok(&f, &alice, a, &view);
	char first_prompt[16], first_day[ID_LEN + 1];
	snprintf(first_prompt, sizeof first_prompt, "%s", view.day.prompt_id);
	snprintf(first_day, sizeof first_day, "%s", view.day.id);
	assert_true(view.can_skip);

	/* Alice asks for another: a new day row with a prompt not given before */
	assert_true(prompt_skip(&f.base.store, &alice, a, &view, &p));
	assert_int_equal(f.replaces, 1);
	assert_string_not_equal(view.day.prompt_id, first_prompt);
	assert_string_not_equal(view.day.id, first_day);
	assert_string_equal(view.prompt->id, view.day.prompt_id);
	assert_string_equal(view.day.date, "2026-11-26");
	assert_false(view.can_skip);
	char second_prompt[16];
	snprintf(second_prompt, sizeof second_prompt, "%s", view.day.prompt_id);

	/* ... but only once */
	memset(&p, 0, sizeof p);
	assert_false(prompt_skip(&f.base.store, &alice, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	assert_string_equal(p.message, "You have already asked for another prompt today.");
	assert_int_equal(f.replaces, 1);

	/* Bob has his own one skip */
	today_ok(&f, &bob, a, &view);
	assert_true(view.can_skip);
	assert_true(prompt_skip(&f.base.store, &bob, a, &view, &p));
	assert_int_equal(f.replaces, 2);
	assert_string_not_equal(view.day.prompt_id, first_prompt);
	assert_string_not_equal(view.day.prompt_id, second_prompt);
	memset(&p, 0, sizeof p);
	assert_false(prompt_skip(&f.base.store, &bob, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	assert_int_equal(f.replaces, 2);
	arena_free(a);
	fake_store_cleanup(&f.base);

	/* once someone answered, the prompt stays, for both */
	fake_init(&f);
	a = arena_new();
	today_ok(&f, &alice, a, &view);
	answer_ok(&f, &alice, view.day.id, "Answered", a, &view);
	memset(&p, 0, sizeof p);
	assert_false(prompt_skip(&f.base.store, &bob, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	assert_string_equal(p.message, "Today's prompt already has an answer, so it stays.");
	memset(&p, 0, sizeof p);
	assert_false(prompt_skip(&f.base.store, &alice, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	assert_int_equal(f.replaces, 0);
	today_ok(&f, &bob, a, &view);
	assert_false(view.can_skip);

	/* the store refusing the replacement (an answer came in meanwhile) is 409 too */
	struct viewer carol = viewer_in(CAROL, "", "", "UTC");
	today_ok(&f, &carol, a, &view);
	f.fail = STORE_CONFLICT;
	f.fail_op = "day_replace";
	memset(&p, 0, sizeof p);
	assert_false(prompt_skip(&f.base.store, &carol, a, &view, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	f.fail = STORE_BUSY;
	memset(&p, 0, sizeof p);
	assert_false(prompt_skip(&f.base.store, &carol, a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void store_failures(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = viewer_in(ALICE, SPACE1, BOB, "UTC");
	struct prompt_view view;
	struct problem p;
	today_ok(&f, &alice, a, &view);
	char day_id[ID_LEN + 1];
	snprintf(day_id, sizeof day_id, "%s", view.day.id);

	const char *ops[] = {"day_get", "answers", "skipped"};
	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		f.fail = STORE_BUSY;
		f.fail_op = ops[i];
		memset(&p, 0, sizeof p);
		assert_false(prompt_today(&f.base.store, &alice, a, &view, &p));
		expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
		assert_true(p.retry_after > 0);
	}
	const char *load_ops[] = {"day_by_id", "answers"};
	for (size_t i = 0; i < ARRAY_LEN(load_ops); i++) {
		f.fail = STORE_BUSY;
		f.fail_op = load_ops[i];
		memset(&p, 0, sizeof p);
		assert_false(prompt_answer(&f.base.store, &alice, day_id, "text", a, &view, &p));
		expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	}
	f.fail_op = "answer_insert";
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &alice, day_id, "text", a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	f.fail = STORE_ERROR;
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &alice, day_id, "text", a, &view, &p));
	expect_problem(&p, OUTCOME_ERROR, "internal", NULL);
	assert_int_equal(f.answer_inserts, 0);
	arena_free(a);
	fake_store_cleanup(&f.base);

	/* a new day cannot be made while the seen list is unreadable */
	fake_init(&f);
	a = arena_new();
	f.fail = STORE_BUSY;
	f.fail_op = "seen";
	memset(&p, 0, sizeof p);
	assert_false(prompt_today(&f.base.store, &alice, a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	assert_int_equal(f.day_count, 0);
	/* the data key cannot be read: the answer is not stored */
	f.fail = STORE_OK;
	today_ok(&f, &alice, a, &view);
	f.fail = STORE_BUSY;
	f.fail_op = "datakey";
	memset(&p, 0, sizeof p);
	assert_false(prompt_answer(&f.base.store, &alice, view.day.id, "text", a, &view, &p));
	expect_problem(&p, OUTCOME_BUSY, "unavailable", NULL);
	assert_int_equal(f.answer_inserts, 0);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

/* The fixed instant a day later: "tomorrow" has come. */
static int64_t next_day_instant(void)
{
	return fixed_instant() + 86400000;
}

/*
 * Issue 15, "Ask this tomorrow": a deck question becomes the scope's prompt on
 * tomorrow's date (the space's zone), for both partners; the later choice wins;
 * nothing changes today; an unknown id is refused on its field; once tomorrow's
 * day has begun its question stays.
 */
static void tomorrow_from_a_deck(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct arena *a = arena_new();
	struct viewer alice = viewer_in(ALICE, SPACE1, BOB, "Pacific/Auckland");
	struct viewer bob = viewer_in(BOB, SPACE1, ALICE, "Pacific/Auckland");
	const struct deck *deck = content_deck(1);
	assert_non_null(deck);
	struct problem p = {0};
	struct prompt_tomorrow t;
	assert_false(prompt_tomorrow(&f.base.store, &alice, "p001", &t, &p)); /* a daily prompt, no deck's */
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "question_id");
	memset(&p, 0, sizeof p);
	assert_false(prompt_tomorrow(&f.base.store, &alice, NULL, &t, &p));
	expect_problem(&p, OUTCOME_INVALID, "invalid_input", "question_id");
	struct prompt_view view;
	today_ok(&f, &alice, a, &view); /* today's prompt is made before the choice */
	char today_prompt[16];
	snprintf(today_prompt, sizeof today_prompt, "%s", view.day.prompt_id);
	memset(&p, 0, sizeof p);
	if (!prompt_tomorrow(&f.base.store, &alice, deck->questions[0].id, &t, &p))
		fail_msg("prompt_tomorrow: %s", p.message ? p.message : "-");
	assert_string_equal(t.date, "2026-11-28"); /* tomorrow in the space's zone (Auckland: the 27th today) */
	assert_ptr_equal(t.deck, deck);
	if (!prompt_tomorrow(&f.base.store, &bob, deck->questions[2].id, &t, &p))
		fail_msg("prompt_tomorrow: %s", p.message ? p.message : "-");
	assert_int_equal(f.override_count, 1); /* one per scope and date: Bob's later choice replaced Alice's */
	char chosen[16];
	assert_true(prompt_tomorrow_chosen(&f.base.store, &alice, chosen, &p));
	assert_string_equal(chosen, deck->questions[2].id);
	today_ok(&f, &bob, a, &view);
	assert_string_equal(view.day.prompt_id, today_prompt); /* today is untouched */
	util_clock = next_day_instant;
	today_ok(&f, &alice, a, &view);
	assert_string_equal(view.day.date, "2026-11-28");
	assert_string_equal(view.prompt->id, deck->questions[2].id);
	assert_string_equal(view.prompt->category, deck->id); /* the deck's theme is its category */
	assert_string_equal(view.prompt->category_name, deck->title);
	today_ok(&f, &bob, a, &view);
	assert_string_equal(view.prompt->id, deck->questions[2].id);
	/* The 29th's row is made already (a partner in a zone ahead opened it): its question stays. */
	struct store_prompt_day *d29 = &f.days[f.day_count++];
	*d29 = view.day;
	snprintf(d29->id, sizeof d29->id, "%s", "99999999999999999999999999999999");
	snprintf(d29->date, sizeof d29->date, "%s", "2026-11-29");
	memset(&p, 0, sizeof p);
	assert_false(prompt_tomorrow(&f.base.store, &bob, deck->questions[3].id, &t, &p));
	expect_problem(&p, OUTCOME_CONFLICT, "conflict", NULL);
	assert_int_equal(f.override_count, 1);
	util_clock = fixed_instant;
	arena_free(a);
	fake_store_cleanup(&f.base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(choose_never_repeats_while_unseen_remain),
	    cmocka_unit_test(choose_depth_grows_with_progress),
	    cmocka_unit_test(choose_is_deterministic),
	    cmocka_unit_test(choose_salts_spread),
	    cmocka_unit_test(choose_starts_again_when_all_seen),
	    cmocka_unit_test(choose_rotates_categories),
	    cmocka_unit_test(ack_kinds),
	    cmocka_unit_test(today_uses_zone_and_deck),
	    cmocka_unit_test(answers_and_secrecy),
	    cmocka_unit_test(acknowledgements),
	    cmocka_unit_test(skipping),
	    cmocka_unit_test(store_failures),
	    cmocka_unit_test(tomorrow_from_a_deck), /* issue 15 */
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
