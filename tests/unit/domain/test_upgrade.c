/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_upgrade.c - unit tests for src/domain/upgrade.h through a fake store
 * that holds one row of values in clear per sealed column: nothing happens
 * while no step is pending; a pending step seals every value (and the
 * features open them again with their own associated data), compacts, then
 * forgets the step; a value that changed meanwhile is left to whoever
 * changed it; a number that is not one stops the step, which stays pending;
 * a store failure stops it too; "compact" (migration 33) compacts once, also
 * when sealing compacted just before, and stays pending when it fails.
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

#include "domain/account.h"
#include "domain/checkin.h"
#include "domain/keyring.h"
#include "domain/questionnaire.h"
#include "domain/safety.h"
#include "domain/upgrade.h"
#include "util/util.h"
#include "../unit.h"
#include "../fake_keys.h"

#define SPACE "11111111111111111111111111111111"
#define ROW "22222222222222222222222222222222"
#define OTHER "33333333333333333333333333333333"

static struct key_file key;

struct fake {
	struct fake_store base;
	bool pending;                /* seal-in-clear */
	bool compact_pending;        /* compact (SQLite's migration 33) */
	char *values[CLEAR_COLUMNS]; /* the one row's value of each column */
	int seals, compacts, reads;
	enum store_status compact_fails; /* what compacting answers, STORE_OK unless a test says */
	bool changed_meanwhile;          /* the next seal finds the value changed */
	enum store_status fail;
};

/* The step's flag: "seal-in-clear" or "compact", the only steps there are. */
static bool *step_flag(struct fake *f, const char *step)
{
	if (strcmp(step, "compact") == 0)
		return &f->compact_pending;
	assert_string_equal(step, "seal-in-clear");
	return &f->pending;
}

static enum store_status fake_pending(struct store *s, const char *step, bool *pending)
{
	*pending = *step_flag((struct fake *)s, step);
	return STORE_OK;
}

static enum store_status fake_done(struct store *s, const char *step)
{
	*step_flag((struct fake *)s, step) = false;
	return STORE_OK;
}

/* The row of every column: scope SPACE (a person's own id for a name), keys as store/upgrade.c gives them. */
static void row_of(enum store_clear_column c, struct store_clear_value *v)
{
	memset(v, 0, sizeof *v);
	snprintf(v->scope_id, sizeof v->scope_id, "%s", c == CLEAR_USER_DISPLAY_NAME ? ROW : SPACE);
	snprintf(v->key[0], sizeof v->key[0], "%s", c == CLEAR_REVIEW_OUTCOME ? OTHER : ROW);
	if (c == CLEAR_REVIEW_OUTCOME)
		snprintf(v->key[1], sizeof v->key[1], "%s", ROW);
	if (c == CLEAR_ACK_KIND) {
		snprintf(v->key[1], sizeof v->key[1], "%s", OTHER);
		snprintf(v->key[2], sizeof v->key[2], "%s", SPACE);
	}
}

/* One row per column: found from the start, never after it (the cursor is past it then). */
static enum store_status fake_clear_values(struct store *s, struct arena *a, enum store_clear_column c,
                                           const struct store_clear_value *after, int limit,
                                           struct store_clear_value **items, int *count)
{
	struct fake *f = (struct fake *)s;
	assert_true(limit > 0);
	f->reads++;
	if (f->fail)
		return f->fail;
	*items = arena_alloc(a, sizeof **items);
	*count = 0;
	if (after) {
		struct store_clear_value row;
		row_of(c, &row);
		assert_string_equal(after->scope_id, row.scope_id); /* the cursor is the last row read */
		assert_string_equal(after->key[0], row.key[0]);
		return STORE_OK;
	}
	if (f->values[c] && !keyring_is_sealed(f->values[c])) {
		row_of(c, *items);
		(*items)[0].value = arena_strdup(a, f->values[c]);
		*count = 1;
	}
	return STORE_OK;
}

static enum store_status fake_clear_seal(struct store *s, enum store_clear_column c, const struct store_clear_value *v,
                                         const char *sealed)
{
	struct fake *f = (struct fake *)s;
	if (f->changed_meanwhile) {
		f->changed_meanwhile = false;
		f->values[c] = arena_strdup(f->base.arena, "v1:" SPACE ":changed by a newer write");
		return STORE_NOT_FOUND;
	}
	assert_string_equal(v->value, f->values[c]);
	f->values[c] = arena_strdup(f->base.arena, sealed);
	f->seals++;
	return STORE_OK;
}

static enum store_status fake_compact(struct store *s)
{
	struct fake *f = (struct fake *)s;
	f->compacts++;
	return f->compact_fails;
}

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	return key_file_make(&key, "test_upgrade");
}

static int group_teardown(void **state)
{
	(void)state;
	key_file_remove(&key);
	return 0;
}

/* A fake with the step pending and one row in clear, as migration 10 leaves an older database. */
static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	fake_store_init(&f->base, &key);
	f->base.store.upgrade_pending = fake_pending;
	f->base.store.upgrade_done = fake_done;
	f->base.store.clear_values = fake_clear_values;
	f->base.store.clear_value_seal = fake_clear_seal;
	f->base.store.compact = fake_compact;
	f->pending = true;
	static const char *const clear[CLEAR_COLUMNS] = {
	    [CLEAR_CHECKIN_SCALES] = "4 7 10",
	    [CLEAR_CHECKIN_APPRECIATION] = "Thank you for the tea",
	    [CLEAR_CHECKIN_NEED] = "A quiet evening",
	    [CLEAR_CHECKIN_WORRY] = "Work is heavy",
	    [CLEAR_SAFETY_AFRAID] = "1",
	    [CLEAR_SAFETY_PRESSURED] = "0",
	    [CLEAR_QRESPONSE_SCORE] = "0.33333333333333331",
	    [CLEAR_QRESPONSE_SUBSCALES] = "{\"closeness\":2.5}",
	    [CLEAR_REVIEW_OUTCOME] = "not_yet",
	    [CLEAR_ACK_KIND] = "i_hear_you",
	    [CLEAR_USER_DISPLAY_NAME] = "Ana",
	    [CLEAR_ACCESS_WHO_NAME] = "Dr T",
	};
	for (int c = 0; c < CLEAR_COLUMNS; c++)
		f->values[c] = arena_strdup(f->base.arena, clear[c]);
}

static void nothing_pending_nothing_done(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	f.pending = false;
	char err[256] = "";
	assert_int_equal(upgrade_run(&f.base.store, false, err, sizeof err), 0);
	assert_int_equal(f.reads, 0);
	assert_int_equal(f.compacts, 0);
	assert_string_equal(f.values[CLEAR_CHECKIN_SCALES], "4 7 10");
	fake_store_cleanup(&f.base);
}

static void every_column_sealed_as_its_feature_opens_it(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	char err[256] = "";
	if (upgrade_run(&f.base.store, false, err, sizeof err) != 0)
		fail_msg("upgrade_run: %s", err);
	assert_int_equal(f.seals, CLEAR_COLUMNS);
	assert_int_equal(f.compacts, 1);
	assert_false(f.pending);
	for (int c = 0; c < CLEAR_COLUMNS; c++)
		assert_true(keyring_is_sealed(f.values[c]));

	/* The features open what the step sealed: the same scope, the same associated data. */
	struct store *s = &f.base.store;
	struct arena *a = arena_new();
	struct problem p = {0};
	struct store_checkin ci = {.id = ROW, .space_id = SPACE};
	snprintf(ci.sealed.scales, sizeof ci.sealed.scales, "%s", f.values[CLEAR_CHECKIN_SCALES]);
	ci.appreciation = f.values[CLEAR_CHECKIN_APPRECIATION];
	ci.need = f.values[CLEAR_CHECKIN_NEED];
	ci.worry = f.values[CLEAR_CHECKIN_WORRY];
	assert_true(checkin_open(s, &ci, a, &p));
	assert_true(ci.mood == 4 && ci.connection == 7 && ci.secure == 10);
	assert_string_equal(ci.appreciation, "Thank you for the tea");
	assert_string_equal(ci.need, "A quiet evening");
	assert_string_equal(ci.worry, "Work is heavy");

	struct store_safety_check k = {.id = ROW};
	snprintf(k.sealed.afraid, sizeof k.sealed.afraid, "%s", f.values[CLEAR_SAFETY_AFRAID]);
	snprintf(k.sealed.pressured, sizeof k.sealed.pressured, "%s", f.values[CLEAR_SAFETY_PRESSURED]);
	assert_true(safety_check_open(s, &k, &p));
	assert_true(k.afraid && !k.pressured);

	struct store_qresponse q = {.id = ROW, .subscales = f.values[CLEAR_QRESPONSE_SUBSCALES]};
	snprintf(q.sealed.score, sizeof q.sealed.score, "%s", f.values[CLEAR_QRESPONSE_SCORE]);
	assert_true(questionnaire_open(s, &q, false, a, &p));
	assert_true(q.score == 1.0 / 3.0);
	assert_string_equal(q.subscales, "{\"closeness\":2.5}");

	char name[SEALED_NAME_SIZE];
	snprintf(name, sizeof name, "%s", f.values[CLEAR_USER_DISPLAY_NAME]);
	assert_true(account_name_open(s, ROW, name, &p));
	assert_string_equal(name, "Ana");

	/* The words and the access log's copy of a name: opened with the associated data their features use. */
	char word[SEALED_SIZE(16)];
	snprintf(word, sizeof word, "%s", f.values[CLEAR_REVIEW_OUTCOME]);
	assert_int_equal(keyring_open_field(s->keys, s, "review:" ROW ":outcome", word, sizeof word), STORE_OK);
	assert_string_equal(word, "not_yet");
	snprintf(word, sizeof word, "%s", f.values[CLEAR_ACK_KIND]);
	assert_int_equal(
	    keyring_open_field(s->keys, s, "prompt_ack:" ROW ":" OTHER ":" SPACE ":kind", word, sizeof word), STORE_OK);
	assert_string_equal(word, "i_hear_you");
	snprintf(name, sizeof name, "%s", f.values[CLEAR_ACCESS_WHO_NAME]);
	assert_int_equal(keyring_open_field(s->keys, s, "access:" ROW ":who_name", name, sizeof name), STORE_OK);
	assert_string_equal(name, "Dr T");

	/* Run again: the step is gone, nothing is read. */
	int reads = f.reads;
	assert_int_equal(upgrade_run(&f.base.store, false, err, sizeof err), 0);
	assert_int_equal(f.reads, reads);
	arena_free(a);
	fake_store_cleanup(&f.base);
}

static void changed_meanwhile_is_left_alone(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	f.changed_meanwhile = true;
	char err[256] = "";
	if (upgrade_run(&f.base.store, false, err, sizeof err) != 0)
		fail_msg("upgrade_run: %s", err);
	assert_int_equal(f.seals, CLEAR_COLUMNS - 1);
	assert_string_equal(f.values[CLEAR_CHECKIN_SCALES], "v1:" SPACE ":changed by a newer write");
	assert_false(f.pending);
	fake_store_cleanup(&f.base);
}

static void not_a_number_stops_the_step(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	f.values[CLEAR_SAFETY_AFRAID] = arena_strdup(f.base.arena, "yes");
	char err[256] = "";
	assert_int_equal(upgrade_run(&f.base.store, false, err, sizeof err), -1);
	assert_non_null(strstr(err, "not the number"));
	assert_true(f.pending);
	assert_int_equal(f.compacts, 0);
	assert_string_equal(f.values[CLEAR_SAFETY_AFRAID], "yes");
	fake_store_cleanup(&f.base);
	/* Scales: three numbers of 0..10 separated by one space, nothing else. */
	const char *bad[] = {"4 7", "4 7 11", "4  7 8", "4 7 8 ", "-1 7 8", "4,7,8", "four 7 8"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		fake_init(&f);
		f.values[CLEAR_CHECKIN_SCALES] = arena_strdup(f.base.arena, bad[i]);
		assert_int_equal(upgrade_run(&f.base.store, false, err, sizeof err), -1);
		assert_true(f.pending);
		assert_string_equal(f.values[CLEAR_CHECKIN_SCALES], bad[i]);
		fake_store_cleanup(&f.base);
	}
}

static void store_failure_stops_the_step(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	f.fail = STORE_BUSY;
	char err[256] = "";
	assert_int_equal(upgrade_run(&f.base.store, false, err, sizeof err), -1);
	assert_true(err[0]);
	assert_true(f.pending);
	assert_int_equal(f.seals, 0);
	fake_store_cleanup(&f.base);
}

/* "compact" alone (a database made again by migration 33): compacted once, then forgotten; nothing read. */
static void compact_step_compacts_once(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	f.pending = false;
	f.compact_pending = true;
	char err[256] = "";
	if (upgrade_run(&f.base.store, false, err, sizeof err) != 0)
		fail_msg("upgrade_run: %s", err);
	assert_int_equal(f.compacts, 1);
	assert_false(f.compact_pending);
	assert_int_equal(f.reads, 0);
	assert_int_equal(upgrade_run(&f.base.store, false, err, sizeof err), 0);
	assert_int_equal(f.compacts, 1);
	fake_store_cleanup(&f.base);
}

/* Both pending (a database from before migration 10): sealing compacts, and that serves for both. */
static void compact_step_after_sealing_compacts_once(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	f.compact_pending = true;
	char err[256] = "";
	if (upgrade_run(&f.base.store, false, err, sizeof err) != 0)
		fail_msg("upgrade_run: %s", err);
	assert_int_equal(f.seals, CLEAR_COLUMNS);
	assert_int_equal(f.compacts, 1);
	assert_false(f.pending);
	assert_false(f.compact_pending);
	fake_store_cleanup(&f.base);
}

/* A compaction that fails: the start stops with a message, and the step stays for the next one. */
static void compact_step_failure_stays_pending(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	f.pending = false;
	f.compact_pending = true;
	f.compact_fails = STORE_BUSY;
	char err[256] = "";
	assert_int_equal(upgrade_run(&f.base.store, false, err, sizeof err), -1);
	assert_non_null(strstr(err, "compact"));
	assert_true(f.compact_pending);
	f.compact_fails = STORE_OK;
	assert_int_equal(upgrade_run(&f.base.store, false, err, sizeof err), 0);
	assert_false(f.compact_pending);
	assert_int_equal(f.compacts, 2);
	fake_store_cleanup(&f.base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nothing_pending_nothing_done),
	    cmocka_unit_test(every_column_sealed_as_its_feature_opens_it),
	    cmocka_unit_test(changed_meanwhile_is_left_alone),
	    cmocka_unit_test(not_a_number_stops_the_step),
	    cmocka_unit_test(store_failure_stops_the_step),
	    cmocka_unit_test(compact_step_compacts_once),
	    cmocka_unit_test(compact_step_after_sealing_compacts_once),
	    cmocka_unit_test(compact_step_failure_stays_pending),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
