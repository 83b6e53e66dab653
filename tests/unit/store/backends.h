/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backends.h - the stores a store unit test runs against: always a SQLite
 * store in a fresh temporary directory, and PostgreSQL too when
 * HEARTH_TEST_PG_URL is set (tests/pg/with-postgres.sh sets it). Both are
 * migrated. Tests use fresh random ids for every scope they write, so they
 * can share one PostgreSQL database with other runs.
 */
#ifndef HEARTH_TEST_BACKENDS_H
#define HEARTH_TEST_BACKENDS_H

#include "store/store.h"

#define BACKENDS_MAX 2

struct backend {
	const char *name; /* "sqlite" or "postgres", for messages */
	struct store *store;
	char dir[64]; /* the SQLite data directory, removed by backends_close */
};

/* Opens and migrates every backend there is; returns how many (fails the test on error). */
int backends_open(struct backend out[BACKENDS_MAX]);
/* Closes what backends_open opened and removes the SQLite directory. */
void backends_close(struct backend *b, int n);

#endif
