/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store_test.h - runs a store unit test file against both drivers: a SQLite
 * store in a fresh temporary directory always, and a PostgreSQL store in a
 * fresh database when HEARTH_TEST_PG_URL is set (run the suite under
 * tests/pg/with-postgres.sh: `tests/pg/with-postgres.sh meson test -C build
 * --suite store`). Tests read the open store from store_test and make their
 * own ids, so they do not depend on each other's rows.
 */
#ifndef HEARTH_STORE_TEST_H
#define HEARTH_STORE_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "store/store.h"

/* The store of the run in progress. */
extern struct store *store_test;

/* Runs tests[0..n) once per available driver; the number of failed tests. */
int store_test_main(const char *file, const struct CMUnitTest *tests, size_t n);

/* A new random id (ID_LEN characters) in out. */
void store_test_id(char out[ID_LEN + 1]);
/* A new random id to pass straight on; it stays valid for the next 63 calls. */
const char *store_test_new_id(void);
/* n (at most 16) new ids in increasing order into out[0..n), for tests of an order by id. */
void store_test_ids_ordered(char (*out)[ID_LEN + 1], int n);

/*
 * Rows many tests start from, each step asserted. People: a new id, a
 * username made unique from it, this display name and role, password hash
 * STORE_TEST_PASSWORD_HASH. A couple: the space a made at `at` (zone UTC),
 * joined by b at joined_at through an invite of a; a and b need not be
 * people in the store.
 */
#define STORE_TEST_PASSWORD_HASH "$argon2id$old"
struct store_user store_test_user(const char *name, const char *role);
/* The couple's space gets a new id, in space. */
void store_test_space_of(const char *a, const char *b, int64_t at, int64_t joined_at, char space[ID_LEN + 1]);

/* A check-in with a new id, made and updated at `at`, nothing in it yet: the caller sets what it needs. */
struct store_checkin store_test_checkin(const char *space, const char *author, const char *visibility, int64_t at);

/* Three new ids: a couple's space and its two members. */
struct couple {
	char space[ID_LEN + 1], a[ID_LEN + 1], b[ID_LEN + 1];
};
void store_test_couple_new(struct couple *c, int64_t at, int64_t joined_at);

#define STORE_TEST_MAIN(file, tests) store_test_main(file, tests, sizeof tests / sizeof tests[0])

#endif
