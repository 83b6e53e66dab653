/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_keyring.c - unit tests for src/domain/keyring.h. Through a fake store
 * of data keys: texts, fixed-size fields and numbers sealed and opened again
 * (a double to the last bit, a number that is not one refused), the sizes
 * store.h reserves for sealed values, the form keyring_is_sealed knows, and
 * that a value sealed for one row or field opens for no other: all of it
 * again with the memo of opened values on (issue 18), which must answer a
 * value read again without its key, never for another row or field or a
 * changed text, and forget everything, values and keys, when asked. The master key
 * file: made with mode 0600, and refused (with the chmod that fixes it) when
 * group or others may read or write it, or a pending rotation's PATH.new may be.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/keyring.h"
#include "util/memo.h"
#include "util/util.h"
#include "../unit.h"
#include "../fake_keys.h"

#define SCOPE "11111111111111111111111111111111"

static struct key_file key;

static int setup(void **state)
{
	if (sodium_init() < 0 || key_file_make(&key, "test_keyring") < 0)
		return -1;
	static struct fake_store f;
	memset(&f, 0, sizeof f);
	fake_store_init(&f, &key);
	*state = &f.store;
	return 0;
}

/* The same store with the memo of opened values on. */
static int setup_remembering(void **state)
{
	if (setup(state) < 0)
		return -1;
	keyring_remember(((struct store *)*state)->keys, 1 << 20);
	return 0;
}

static int teardown(void **state)
{
	fake_store_cleanup(*state);
	key_file_remove(&key);
	return 0;
}

static void text_round_trip(void **state)
{
	struct store *s = *state;
	struct arena *a = arena_new();
	char *sealed, *open;
	assert_int_equal(keyring_seal(s->keys, s, SCOPE, "t:1:f", "Grüße ❤", a, &sealed), STORE_OK);
	assert_true(keyring_is_sealed(sealed));
	/* not in clear: the whole text (random base64 holds any two letters now and then, "Gr" too) */
	assert_null(strstr(sealed, "Grüße"));
	assert_int_equal(keyring_open_text(s->keys, s, "t:1:f", sealed, a, &open), STORE_OK);
	assert_string_equal(open, "Grüße ❤");
	/* bound to its row and field */
	assert_int_equal(keyring_open_text(s->keys, s, "t:2:f", sealed, a, &open), STORE_ERROR);
	assert_int_equal(keyring_open_text(s->keys, s, "t:1:g", sealed, a, &open), STORE_ERROR);
	/* a value in clear is no sealed text */
	assert_int_equal(keyring_open_text(s->keys, s, "t:1:f", "4", a, &open), STORE_ERROR);
	/* every length round-trips (every remainder of the base64 groups), and a damaged encoding does not open */
	char text[301];
	for (size_t n = 0; n < sizeof text - 1; n++) {
		for (size_t i = 0; i < n; i++)
			text[i] = (char)('a' + (i * 7 + n) % 26);
		text[n] = '\0';
		assert_int_equal(keyring_seal(s->keys, s, SCOPE, "t:len", text, a, &sealed), STORE_OK);
		assert_int_equal(keyring_open_text(s->keys, s, "t:len", sealed, a, &open), STORE_OK);
		assert_string_equal(open, text);
		char *bad = arena_strdup(a, sealed);
		bad[strlen(bad) - 1] = '=';
		assert_int_equal(keyring_open_text(s->keys, s, "t:len", bad, a, &open), STORE_ERROR);
		bad[strlen(bad) - 1] = '\0';
		assert_int_equal(keyring_open_text(s->keys, s, "t:len", bad, a, &open), STORE_ERROR);
	}
	arena_free(a);
}

static void sizes_hold_every_sealed_value(void **state)
{
	struct store *s = *state;
	char plain[300], out[SEALED_SIZE(299)];
	for (size_t n = 0; n < sizeof plain; n++) {
		memset(plain, 'x', n);
		plain[n] = '\0';
		if (n <= 256) {
			assert_int_equal(keyring_seal_field(s->keys, s, SCOPE, "size", plain, out, SEALED_SIZE(n)),
			                 STORE_OK);
			assert_true(strlen(out) < (size_t)SEALED_SIZE(n));
		}
	}
	assert_true(SEALED_NUMBER_SIZE >= SEALED_SIZE(31));
}

static void field_round_trip(void **state)
{
	struct store *s = *state;
	char name[DISPLAY_NAME_MAX_BYTES + 1];
	memset(name, 'n', DISPLAY_NAME_MAX_BYTES);
	name[DISPLAY_NAME_MAX_BYTES] = '\0';
	char field[SEALED_NAME_SIZE];
	assert_int_equal(keyring_seal_field(s->keys, s, SCOPE, "user:1:display_name", name, field, sizeof field),
	                 STORE_OK);
	assert_true(keyring_is_sealed(field));
	assert_int_equal(keyring_open_field(s->keys, s, "user:1:display_name", field, sizeof field), STORE_OK);
	assert_string_equal(field, name);
	/* an empty field (a name erased) stays empty; a value in clear does not open */
	field[0] = '\0';
	assert_int_equal(keyring_open_field(s->keys, s, "user:1:display_name", field, sizeof field), STORE_OK);
	assert_string_equal(field, "");
	snprintf(field, sizeof field, "Ana");
	assert_int_equal(keyring_open_field(s->keys, s, "user:1:display_name", field, sizeof field), STORE_ERROR);
}

static void numbers_round_trip(void **state)
{
	struct store *s = *state;
	char sealed[SEALED_NUMBER_SIZE];
	const int64_t ints[] = {0, 1, 10, -3, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < ARRAY_LEN(ints); i++) {
		int64_t back = 42;
		assert_int_equal(keyring_seal_int(s->keys, s, SCOPE, "n:1:mood", ints[i], sealed), STORE_OK);
		assert_true(keyring_is_sealed(sealed));
		assert_int_equal(keyring_open_int(s->keys, s, "n:1:mood", sealed, &back), STORE_OK);
		assert_true(back == ints[i]);
		assert_int_equal(keyring_open_int(s->keys, s, "n:2:mood", sealed, &back), STORE_ERROR);
	}
	/* a third has no short decimal form: it comes back as the same double */
	const double doubles[] = {1.0 / 3.0, 0.1, 2.3333333333333335, 3, -0.0, 1e300 / 7};
	for (size_t i = 0; i < ARRAY_LEN(doubles); i++) {
		double back = 42;
		assert_int_equal(keyring_seal_double(s->keys, s, SCOPE, "n:1:score", doubles[i], sealed), STORE_OK);
		assert_int_equal(keyring_open_double(s->keys, s, "n:1:score", sealed, &back), STORE_OK);
		assert_memory_equal(&back, &doubles[i], sizeof back);
	}
	/* what is not a finite number is never sealed as one */
	assert_int_equal(keyring_seal_double(s->keys, s, SCOPE, "n:1:score", NAN, sealed), STORE_ERROR);
	assert_int_equal(keyring_seal_double(s->keys, s, SCOPE, "n:1:score", INFINITY, sealed), STORE_ERROR);
	/* a sealed text that is not a number does not open as one */
	assert_int_equal(keyring_seal_field(s->keys, s, SCOPE, "n:1:mood", "4x", sealed, sizeof sealed), STORE_OK);
	int64_t i = 0;
	double d = 0;
	assert_int_equal(keyring_open_int(s->keys, s, "n:1:mood", sealed, &i), STORE_ERROR);
	assert_int_equal(keyring_seal_field(s->keys, s, SCOPE, "n:1:score", "nan", sealed, sizeof sealed), STORE_OK);
	assert_int_equal(keyring_open_double(s->keys, s, "n:1:score", sealed, &d), STORE_ERROR);
	/* nor does a number in clear */
	assert_int_equal(keyring_open_int(s->keys, s, "n:1:mood", "4", &i), STORE_ERROR);
}

static void sealed_form(void **state)
{
	(void)state;
	assert_false(keyring_is_sealed(NULL));
	assert_false(keyring_is_sealed(""));
	assert_false(keyring_is_sealed("4"));
	assert_false(keyring_is_sealed("v1:short:x"));
	assert_false(keyring_is_sealed("v1:" SCOPE));
	assert_true(keyring_is_sealed("v1:" SCOPE ":AAAA"));
}

struct files {
	char dir[512], key[540], pending[560];
};

static int set_up(void **state)
{
	struct files *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (temp_dir_make(f->dir, sizeof f->dir, "hearth-keyring") < 0)
		return -1;
	snprintf(f->key, sizeof f->key, "%s/master.key", f->dir);
	snprintf(f->pending, sizeof f->pending, "%s.new", f->key);
	*state = f;
	return 0;
}

static int tear_down(void **state)
{
	struct files *f = *state;
	unlink(f->pending);
	unlink(f->key);
	rmdir(f->dir);
	free(f);
	return 0;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 0777;
}

static void made_private(void **state)
{
	struct files *f = *state;
	char err[512] = "";
	struct keyring *k = keyring_open(f->key, true, err, sizeof err);
	assert_non_null(k);
	keyring_free(k);
	assert_int_equal(mode_of(f->key), 0600);
	/* opened again as it is */
	k = keyring_open(f->key, false, err, sizeof err);
	assert_non_null(k);
	keyring_free(k);
}

static void refused_when_open_to_others(void **state)
{
	struct files *f = *state;
	char err[512] = "";
	struct keyring *k = keyring_open(f->key, true, err, sizeof err);
	assert_non_null(k);
	keyring_free(k);
	static const mode_t too_open[] = {0640, 0604, 0644, 0620, 0602, 0660, 0666, 0700, 0610};
	for (size_t i = 0; i < sizeof too_open / sizeof too_open[0]; i++) {
		mode_t m = too_open[i] | 0600;
		assert_int_equal(chmod(f->key, m), 0);
		err[0] = '\0';
		k = keyring_open(f->key, false, err, sizeof err);
		if ((m & 077) == 0) { /* 0700: the owner alone */
			assert_non_null(k);
			keyring_free(k);
			continue;
		}
		assert_null(k);
		char want[600];
		snprintf(want, sizeof want, "chmod 600 %s", f->key);
		assert_non_null(strstr(err, want));
		assert_non_null(strstr(err, "open to other users"));
		/* `create` does not make a new key over one that is merely too open */
		k = keyring_open(f->key, true, err, sizeof err);
		assert_null(k);
	}
	assert_int_equal(chmod(f->key, 0600), 0);
	k = keyring_open(f->key, false, err, sizeof err);
	assert_non_null(k);
	keyring_free(k);
}

static void refused_when_pending_key_open_to_others(void **state)
{
	struct files *f = *state;
	char err[512] = "";
	struct keyring *k = keyring_open(f->key, true, err, sizeof err);
	assert_non_null(k);
	keyring_free(k);
	/* a copy of the key as a pending rotation's new key, readable by others */
	FILE *in = fopen(f->key, "r"), *out = fopen(f->pending, "w");
	assert_non_null(in);
	assert_non_null(out);
	char line[256];
	assert_non_null(fgets(line, sizeof line, in));
	fputs(line, out);
	fclose(in);
	fclose(out);
	assert_int_equal(chmod(f->pending, 0644), 0);
	k = keyring_open(f->key, false, err, sizeof err);
	assert_null(k);
	char want[600];
	snprintf(want, sizeof want, "chmod 600 %s", f->pending);
	assert_non_null(strstr(err, want));
	assert_int_equal(chmod(f->pending, 0600), 0);
	k = keyring_open(f->key, false, err, sizeof err);
	assert_non_null(k);
	keyring_free(k);
}

static size_t wiped, wiped_dirty;

/* The memo's wipe hook: counts the entries freed, and those with any byte left. */
static void on_wipe(const void *entry, size_t size)
{
	wiped++;
	wiped_dirty += !all_zero(entry, size);
}

static struct memo_stats opened_stats(struct store *s)
{
	struct memo_stats st;
	memo_stats(keyring_opened(s->keys), &st);
	return st;
}

static void opened_values_remembered(void **state)
{
	struct store *s = *state;
	struct fake_store *f = (struct fake_store *)s;
	enum store_status fail = STORE_OK;
	const char *fail_op = "datakey";
	f->fail = &fail;
	f->fail_op = &fail_op;
	struct arena *a = arena_new();
	char *one, *two, *open;
	assert_int_equal(keyring_seal(s->keys, s, SCOPE, "t:1:f", "the walk after dinner", a, &one), STORE_OK);
	assert_int_equal(keyring_seal(s->keys, s, SCOPE, "t:2:f", "the walk after dinner", a, &two), STORE_OK);
	assert_string_not_equal(one, two); /* a nonce of its own: another key in the memo */
	struct memo_stats before = opened_stats(s);
	assert_int_equal(keyring_open_text(s->keys, s, "t:1:f", one, a, &open), STORE_OK);
	assert_string_equal(open, "the walk after dinner");
	struct memo_stats st = opened_stats(s);
	assert_int_equal(st.misses, before.misses + 1);
	assert_int_equal(st.entries, before.entries + 1);

	/* Read again while no data key can be had: the memo answers, without one. */
	fail = STORE_BUSY;
	assert_int_equal(keyring_open_text(s->keys, s, "t:1:f", one, a, &open), STORE_OK);
	assert_string_equal(open, "the walk after dinner");
	assert_int_equal(opened_stats(s).hits, before.hits + 1);
	fail = STORE_OK;

	/* Never for another row or field, nor for a changed or damaged text. */
	assert_int_equal(keyring_open_text(s->keys, s, "t:2:f", one, a, &open), STORE_ERROR);
	assert_int_equal(keyring_open_text(s->keys, s, "t:1:g", one, a, &open), STORE_ERROR);
	char *bad = arena_strdup(a, one);
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
	assert_int_equal(keyring_open_text(s->keys, s, "t:1:f", bad, a, &open), STORE_ERROR);
	/* Nor into less room than the value needs: refused as before. */
	char small[8];
	assert_int_equal(keyring_open_into(s->keys, s, "t:1:f", one, small, sizeof small), STORE_ERROR);

	/* Forgetting wipes every value and every unwrapped key: both must be had again. */
	assert_int_equal(keyring_open_text(s->keys, s, "t:2:f", two, a, &open), STORE_OK);
	size_t kept = opened_stats(s).entries;
	assert_true(kept >= 2);
	wiped = wiped_dirty = 0;
	memo_test_wipe_hook(on_wipe);
	keyring_forget(s->keys);
	memo_test_wipe_hook(NULL);
	assert_int_equal(opened_stats(s).entries, 0);
	assert_int_equal(wiped, kept);
	assert_int_equal(wiped_dirty, 0);
	fail = STORE_BUSY;
	assert_int_equal(keyring_open_text(s->keys, s, "t:1:f", one, a, &open), STORE_BUSY);
	assert_int_equal(keyring_open_text(s->keys, s, "t:2:f", two, a, &open), STORE_BUSY);
	fail = STORE_OK;
	assert_int_equal(keyring_open_text(s->keys, s, "t:2:f", two, a, &open), STORE_OK);
	assert_string_equal(open, "the walk after dinner");

	/* Off: nothing is kept, and every value needs its key. */
	keyring_remember(s->keys, 0);
	assert_null(keyring_opened(s->keys));
	fail = STORE_BUSY;
	keyring_forget(s->keys);
	assert_int_equal(keyring_open_text(s->keys, s, "t:2:f", two, a, &open), STORE_BUSY);
	fail = STORE_OK;
	keyring_remember(s->keys, 1 << 20);
	f->fail = NULL;
	f->fail_op = NULL;
	arena_free(a);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest sealing[] = {
	    cmocka_unit_test(text_round_trip),  cmocka_unit_test(sizes_hold_every_sealed_value),
	    cmocka_unit_test(field_round_trip), cmocka_unit_test(numbers_round_trip),
	    cmocka_unit_test(sealed_form),
	};
	const struct CMUnitTest key_file[] = {
	    cmocka_unit_test_setup_teardown(made_private, set_up, tear_down),
	    cmocka_unit_test_setup_teardown(refused_when_open_to_others, set_up, tear_down),
	    cmocka_unit_test_setup_teardown(refused_when_pending_key_open_to_others, set_up, tear_down),
	};
	const struct CMUnitTest remembering[] = {
	    cmocka_unit_test(text_round_trip),  cmocka_unit_test(sizes_hold_every_sealed_value),
	    cmocka_unit_test(field_round_trip), cmocka_unit_test(numbers_round_trip),
	    cmocka_unit_test(sealed_form),      cmocka_unit_test(opened_values_remembered),
	};
	int failed = cmocka_run_group_tests_name("sealing", sealing, setup, teardown);
	failed +=
	    cmocka_run_group_tests_name("sealing, opened values remembered", remembering, setup_remembering, teardown);
	return failed + cmocka_run_group_tests_name("key file", key_file, NULL, NULL);
}
