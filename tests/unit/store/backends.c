/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backends.c - opens the stores a store unit test runs against (see
 * backends.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"

static struct store *migrated(struct store *s, const char *name, const char *err)
{
	if (!s)
		fail_msg("%s store did not open: %s", name, err);
	int version = 0;
	assert_int_equal(s->migrate(s, &version), STORE_OK);
	assert_true(version > 0);
	return s;
}

int backends_open(struct backend out[BACKENDS_MAX])
{
	char err[256] = "";
	assert_true(sodium_init() >= 0);
	memset(out, 0, sizeof *out * BACKENDS_MAX);
	const char *tmp = getenv("TMPDIR");
	snprintf(out[0].dir, sizeof out[0].dir, "%s/hearth-store-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	if (strlen(out[0].dir) + 1 >= sizeof out[0].dir || !mkdtemp(out[0].dir))
		fail_msg("no temporary directory");
	out[0].name = "sqlite";
	out[0].store = migrated(store_sqlite_open(out[0].dir, err, sizeof err), "sqlite", err);
	const char *url = getenv("HEARTH_TEST_PG_URL");
	if (!url || !*url)
		return 1;
	out[1].name = "postgres";
	out[1].store = migrated(store_postgres_open(url, err, sizeof err), "postgres", err);
	return 2;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void backends_close(struct backend *b, int n)
{
	for (int i = 0; i < n; i++) {
		b[i].store->close(b[i].store);
		/* Depth first, so each directory is empty when its turn comes. */
		if (b[i].dir[0] && nftw(b[i].dir, remove_one, 8, FTW_DEPTH | FTW_PHYS) != 0)
			fprintf(stderr, "could not remove %s\n", b[i].dir);
	}
}
