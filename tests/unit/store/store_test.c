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

#include "../unit.h"

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

struct store_user store_test_user(const char *name, const char *role)
{
	struct store_user u = {.created_at = 1};
	store_test_id(u.id);
	/* Usernames are unique per database: a part of the id keeps them apart between tests. */
	snprintf(u.username, sizeof u.username, "%s_%.8s", name, u.id);
	snprintf(u.display_name, sizeof u.display_name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.password_hash, sizeof u.password_hash, "%s", STORE_TEST_PASSWORD_HASH);
	assert_int_equal(store_test->user_insert(store_test, &u), STORE_OK);
	return u;
}

struct store_checkin store_test_checkin(const char *space, const char *author, const char *visibility, int64_t at)
{
	struct store_checkin c = {.created_at = at, .updated_at = at};
	store_test_id(c.id);
	snprintf(c.space_id, sizeof c.space_id, "%s", space);
	snprintf(c.author_id, sizeof c.author_id, "%s", author);
	snprintf(c.visibility, sizeof c.visibility, "%s", visibility);
	return c;
}

void store_test_space_of(const char *a, const char *b, int64_t at, int64_t joined_at, char space[ID_LEN + 1])
{
	struct store *s = store_test;
	char code[ID_LEN + 1], joined[ID_LEN + 1];
	store_test_id(space);
	store_test_id(code);
	assert_int_equal(s->space_create(s, space, a, "UTC", at), STORE_OK);
	assert_int_equal(s->invite_insert(s, space, store_test_new_id(), code, a, at, joined_at + 3600 * 1000),
	                 STORE_OK);
	enum join_result jr = JOIN_NO_CODE;
	assert_int_equal(s->space_join(s, code, b, joined_at, &jr, joined), STORE_OK);
	assert_int_equal(jr, JOIN_OK);
	assert_string_equal(joined, space);
}

void store_test_couple_new(struct couple *c, int64_t at, int64_t joined_at)
{
	store_test_id(c->a);
	store_test_id(c->b);
	store_test_space_of(c->a, c->b, at, joined_at, c->space);
}

void store_test_ids_ordered(char (*out)[ID_LEN + 1], int n)
{
	assert_true(n <= 16);
	char stem[ID_LEN + 1];
	store_test_id(stem);
	for (int i = 0; i < n; i++) {
		memcpy(out[i], stem, sizeof stem);
		out[i][ID_LEN - 1] = "0123456789abcdef"[i];
	}
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
	if (temp_dir_make(dir, sizeof dir, "hearth-store-test") < 0)
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
