/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fixture.h - opens a store for the store unit tests on each backend: SQLite
 * in a fresh temporary directory, and PostgreSQL in a fresh database of the
 * cluster named by HEARTH_TEST_PG_URL (tests/pg/with-postgres.sh) when it is
 * set; the tests of the PostgreSQL group are skipped otherwise. Each group
 * opens and migrates one store in its setup and removes it in its teardown;
 * tests make fresh ids, so they do not see each other's rows.
 *
 * Use: cmocka_run_group_tests_name("sqlite", tests, fixture_sqlite_setup,
 * fixture_teardown), then the same with fixture_postgres_setup; a test reads
 * its store with fixture_store(state).
 */
#ifndef HEARTH_TEST_STORE_FIXTURE_H
#define HEARTH_TEST_STORE_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "util/util.h"

struct fixture {
	struct store *store;
	char dir[256];     /* the SQLite data directory, or "" */
	char admin[512];   /* the PostgreSQL URL the database was created through, or "" */
	char database[64]; /* its fresh database, or "" */
};

static inline int fixture_migrate(struct fixture *f, const char *err)
{
	if (!f->store) {
		fprintf(stderr, "store open: %s\n", err);
		return -1;
	}
	int version = 0;
	if (f->store->migrate(f->store, &version) != STORE_OK) {
		fprintf(stderr, "store migrate failed\n");
		return -1;
	}
	return 0;
}

static inline int fixture_sqlite_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	*state = f;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/hearth-store-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	if (!mkdtemp(f->dir)) {
		f->dir[0] = '\0';
		return -1;
	}
	char err[256] = "";
	f->store = store_sqlite_open(f->dir, err, sizeof err);
	return fixture_migrate(f, err);
}

/* Runs one statement on the admin connection; -1 (printed) on failure. */
static inline int fixture_pg_admin(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	int rc = -1;
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *res = PQexec(c, sql);
		rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc < 0)
			fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
		PQclear(res);
	} else {
		fprintf(stderr, "connect: %s", PQerrorMessage(c));
	}
	PQfinish(c);
	return rc;
}

static inline int fixture_postgres_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	*state = f;
	const char *url = getenv("HEARTH_TEST_PG_URL");
	if (!url || !*url)
		return 0; /* no cluster: every test of the group skips */
	const char *slash = strrchr(url, '/');
	if (!slash || strlen(url) >= sizeof f->admin - sizeof f->database)
		return -1;
	char id[ID_LEN + 1];
	id_new(id);
	snprintf(f->database, sizeof f->database, "hearth_u_%s", id);
	snprintf(f->admin, sizeof f->admin, "%s", url);
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", f->database);
	if (fixture_pg_admin(url, sql) < 0)
		return -1;
	char db_url[sizeof f->admin + sizeof f->database];
	snprintf(db_url, sizeof db_url, "%.*s/%s", (int)(slash - url), url, f->database);
	char err[256] = "";
	f->store = store_postgres_open(db_url, err, sizeof err);
	return fixture_migrate(f, err);
}

static inline int fixture_remove(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	if (f->store)
		f->store->close(f->store);
	if (f->dir[0] && nftw(f->dir, fixture_remove, 8, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "could not remove %s\n", f->dir);
	if (f->database[0]) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->database);
		(void)fixture_pg_admin(f->admin, sql);
	}
	free(f);
	return 0;
}

/* The group's store; skips the test when the group has none (PostgreSQL without a cluster). */
static inline struct store *fixture_store(void **state)
{
	struct fixture *f = *state;
	if (!f || !f->store)
		skip();
	return f->store;
}

/* A new user with this display name; its id in id. */
static inline void fixture_user(struct store *s, const char *name, const char *role, char id[ID_LEN + 1])
{
	struct store_user u = {.created_at = now_ms()};
	id_new(id);
	snprintf(u.id, sizeof u.id, "%s", id);
	snprintf(u.username, sizeof u.username, "u%.24s", id + 8);
	snprintf(u.display_name, sizeof u.display_name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.password_hash, sizeof u.password_hash, "x");
	assert_int_equal(s->user_insert(s, &u), STORE_OK);
}

/* A space of a (joined first) and b (joined later, through an invite); its id in space_id. */
static inline void fixture_couple(struct store *s, const char *a, const char *b, char space_id[ID_LEN + 1])
{
	int64_t now = now_ms();
	id_new(space_id);
	assert_int_equal(s->space_create(s, space_id, a, "UTC", now), STORE_OK);
	char code[ID_LEN + 1];
	id_new(code);
	assert_int_equal(s->invite_insert(s, space_id, code, a, now, now + 3600000), STORE_OK);
	enum join_result jr;
	char joined[ID_LEN + 1];
	assert_int_equal(s->space_join(s, code, b, now + 1, &jr, joined), STORE_OK);
	assert_int_equal(jr, JOIN_OK);
	assert_string_equal(joined, space_id);
}

#endif
