/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backend.c - opens and removes the stores the store unit tests run on (see
 * backend.h). A PostgreSQL database gets a random name made here, never one
 * taken from input; it is dropped again when the test closes it.
 */
#include <dirent.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"

bool backend_have_postgres(void)
{
	const char *url = getenv("HEARTH_TEST_PG_URL");
	return url && *url;
}

/* Runs one statement on the cluster's maintenance connection; 0 or -1. */
static int cluster_exec(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("HEARTH_TEST_PG_URL"));
	int rc = -1;
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "backend: %s", PQerrorMessage(c));
		goto out;
	}
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		rc = 0;
	else
		fprintf(stderr, "backend: %s", PQerrorMessage(c));
	PQclear(res);
out:
	PQfinish(c);
	return rc;
}

static struct store *open_postgres(struct backend *b, char *err, size_t err_len)
{
	unsigned char r[8];
	randombytes_buf(r, sizeof r);
	char hex[sizeof r * 2 + 1];
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	snprintf(b->db_name, sizeof b->db_name, "hearth_u_%s", hex);
	char sql[96];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", b->db_name);
	if (cluster_exec(sql) < 0) {
		b->db_name[0] = '\0';
		snprintf(err, err_len, "cannot create the test database");
		return NULL;
	}
	/* The cluster's URL is scheme://user@host:port/db: the new database replaces db. */
	const char *url = getenv("HEARTH_TEST_PG_URL");
	const char *slash = strrchr(url, '/');
	char db_url[512];
	snprintf(db_url, sizeof db_url, "%.*s/%s", (int)(slash - url), url, b->db_name);
	return store_postgres_open(db_url, err, err_len);
}

int backend_open(struct backend *b, const char *name)
{
	memset(b, 0, sizeof *b);
	b->name = name;
	if (sodium_init() < 0)
		return -1;
	char err[256] = "";
	if (strcmp(name, "postgres") == 0) {
		b->s = open_postgres(b, err, sizeof err);
	} else {
		snprintf(b->dir, sizeof b->dir, "/tmp/hearth_store_test.XXXXXX");
		if (!mkdtemp(b->dir)) {
			b->dir[0] = '\0';
			snprintf(err, sizeof err, "mkdtemp failed");
		} else {
			b->s = store_sqlite_open(b->dir, err, sizeof err);
		}
	}
	int version = 0;
	if (b->s && b->s->migrate(b->s, &version) != STORE_OK)
		snprintf(err, sizeof err, "migrate failed");
	else if (b->s)
		return 0;
	fprintf(stderr, "backend %s: %s\n", name, err);
	backend_close(b);
	return -1;
}

/* Removes a directory of plain files (the SQLite database and its WAL). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[320];
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

void backend_close(struct backend *b)
{
	if (b->s) {
		b->s->thread_done(b->s);
		b->s->close(b->s);
		b->s = NULL;
	}
	if (b->dir[0])
		remove_dir(b->dir);
	if (b->db_name[0]) {
		char sql[96];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", b->db_name);
		if (cluster_exec(sql) < 0)
			fprintf(stderr, "backend: %s left behind\n", b->db_name);
	}
	b->dir[0] = b->db_name[0] = '\0';
}
