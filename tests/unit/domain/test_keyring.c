/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_keyring.c - unit tests for domain/keyring.c, the master key file: made
 * with mode 0600, and refused (with the chmod that fixes it) when group or
 * others may read or write it, or a pending rotation's PATH.new may be.
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
#include <sys/stat.h>
#include <unistd.h>

#include "domain/keyring.h"

struct files {
	char dir[512], key[540], pending[560];
};

static int set_up(void **state)
{
	struct files *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	/* Under TMPDIR, else in the current directory (meson runs tests in the build directory). */
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/hearth-keyring-XXXXXX", tmp && *tmp ? tmp : ".");
	if (!mkdtemp(f->dir))
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

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(made_private, set_up, tear_down),
	    cmocka_unit_test_setup_teardown(refused_when_open_to_others, set_up, tear_down),
	    cmocka_unit_test_setup_teardown(refused_when_pending_key_open_to_others, set_up, tear_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
