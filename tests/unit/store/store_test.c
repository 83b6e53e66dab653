/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store_test.c - see store_test.h. The PostgreSQL database is created here
 * through libpq in the cluster HEARTH_TEST_PG_URL names (its name is made
 * here, never taken from input) and left to the throwaway cluster.
 */
#include "store_test.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct store *store_test;
static char dir[512];

void store_test_id(char out[ID_LEN + 1])
{
	id_new(out);
}

const char *store_test_new_id(void)
{
	static char ring[64][ID_LEN + 1];
	static unsigned next;
	char *out = ring[next++ % 64];
	id_new(out);
	return out;
}

static int migrated(struct store *s)
{
	int version = 0;
	if (!s)
		return -1;
	if (s->migrate(s, &version) != STORE_OK || version < 1) {
		s->close(s);
		return -1;
	}
	store_test = s;
	return 0;
}

static int open_sqlite(void **state)
{
	(void)state;
	char err[256];
	/* Under TMPDIR, else in the current directory (meson runs tests in the build directory). */
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/hearth-store-test.XXXXXX", tmp && *tmp ? tmp : ".");
	if (!mkdtemp(dir))
		return -1;
	return migrated(store_sqlite_open(dir, err, sizeof err));
}

/* A fresh database in the test cluster; its URL in url. */
static int new_database(const char *base, char *url, size_t url_len)
{
	unsigned char r[8];
	char name[32], hex[17];
	randombytes_buf(r, sizeof r);
	hex_encode(r, sizeof r, hex);
	snprintf(name, sizeof name, "hearth_u_%s", hex);
	PGconn *c = PQconnectdb(base);
	if (PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		return -1;
	}
	char sql[96];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", name);
	PGresult *res = PQexec(c, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	PQfinish(c);
	const char *slash = strrchr(base, '/');
	if (!ok || !slash)
		return -1;
	snprintf(url, url_len, "%.*s/%s", (int)(slash - base), base, name);
	return 0;
}

static int open_postgres(void **state)
{
	(void)state;
	char url[512], err[512];
	if (new_database(getenv("HEARTH_TEST_PG_URL"), url, sizeof url) < 0)
		return -1;
	return migrated(store_postgres_open(url, err, sizeof err));
}

static int close_store(void **state)
{
	(void)state;
	bool sqlite = strcmp(store_test->name, "sqlite") == 0;
	store_test->close(store_test);
	store_test = NULL;
	if (sqlite) {
		const char *const files[] = {"hearth.db", "hearth.db-wal", "hearth.db-shm"};
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			char path[600];
			snprintf(path, sizeof path, "%s/%s", dir, files[i]);
			unlink(path);
		}
		rmdir(dir);
	}
	return 0;
}

int store_test_main(const char *file, const struct CMUnitTest *tests, size_t n)
{
	if (sodium_init() < 0)
		return 1;
	char name[128];
	snprintf(name, sizeof name, "%s (sqlite)", file);
	int failed = _cmocka_run_group_tests(name, tests, n, open_sqlite, close_store);
	if (getenv("HEARTH_TEST_PG_URL")) {
		snprintf(name, sizeof name, "%s (postgres)", file);
		failed += _cmocka_run_group_tests(name, tests, n, open_postgres, close_store);
	} else {
		printf("%s: PostgreSQL skipped (HEARTH_TEST_PG_URL is not set)\n", file);
	}
	return failed;
}
