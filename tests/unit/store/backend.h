/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backend.h - opens real stores for the store unit tests, so each test runs
 * on both drivers: SQLite in a fresh temporary directory always, PostgreSQL
 * in a fresh database when HEARTH_TEST_PG_URL names a cluster (see
 * tests/pg/with-postgres.sh). Every store is migrated and empty.
 */
#ifndef HEARTH_TEST_STORE_BACKEND_H
#define HEARTH_TEST_STORE_BACKEND_H

#include "store/store.h"

struct backend {
	const char *name; /* "sqlite" or "postgres" */
	struct store *s;
	char dir[64];     /* the SQLite data directory, or "" */
	char db_name[40]; /* the PostgreSQL database made for it, or "" */
};

/* Opens a fresh, migrated store of the kind named ("sqlite" or "postgres"); 0 or -1 (with a message on stderr). */
int backend_open(struct backend *b, const char *name) __attribute__((warn_unused_result));
/* Closes the store and removes what backend_open made. */
void backend_close(struct backend *b);
/* True when the PostgreSQL tests can run (HEARTH_TEST_PG_URL is set). */
bool backend_have_postgres(void);

#endif
