/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_db.c - unit tests for the driver (src/store/db.h) on both databases:
 * ?N placeholders (quoted text left alone, two digits), typed binds that
 * read back bit for bit, a unique violation as STORE_CONFLICT, changes,
 * a write outside a transaction that returns rows, tx_run committing,
 * rolling back on failure and nesting as a savepoint, a statement handed out
 * twice, and db_lock_space.
 */
#include "store_test.h"

#include <math.h>
#include <string.h>

#include "store/db.h"

DB_QUERY(Q_CREATE, "CREATE TABLE IF NOT EXISTS unit_values (id TEXT PRIMARY KEY, i BIGINT, f DOUBLE PRECISION,"
                   " b BOOLEAN, flag SMALLINT, s TEXT)");
DB_QUERY(Q_INSERT, "INSERT INTO unit_values (id, i, f, b, flag, s) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
DB_QUERY(Q_GET, "SELECT i, f, b, flag, s FROM unit_values WHERE id = ?1");
DB_QUERY(Q_QUOTES, "SELECT '?1 it''s', ?1, \"x\" FROM (SELECT 1 AS \"x\") AS t");
DB_QUERY(Q_TEN, "SELECT ?1 + ?2 + ?3 + ?4 + ?5 + ?6 + ?7 + ?8 + ?9 + ?10");
DB_QUERY(Q_SET_S, "UPDATE unit_values SET s = ?2 WHERE id = ?1 OR id = ?3");
DB_QUERY(Q_INSERT_RETURNING, "INSERT INTO unit_values (id, i) VALUES (?1, ?2) RETURNING i + 1");
/* A boolean parameter fits a 0/1 number column and a boolean alike. */
DB_QUERY(Q_FLAGGED, "SELECT count(*) FROM unit_values WHERE id = ?1 AND flag = ?2 AND b = ?3 AND ?3");

static struct db *db(void)
{
	struct db *d = db_of(store_test);
	assert_non_null(d);
	return d;
}

static int create_table(void **state)
{
	(void)state;
	struct db_stmt *st = db_prepare(db(), &Q_CREATE);
	return st && db_run(st) == STORE_OK ? 0 : -1;
}

static enum store_status insert(struct db *d, const char *id, int64_t i, double f, bool b, const char *s)
{
	struct db_stmt *st = db_prepare(d, &Q_INSERT);
	assert_non_null(st);
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, i);
	db_bind_double(st, 3, f);
	db_bind_bool(st, 4, b);
	db_bind_int(st, 5, b);
	db_bind_text(st, 6, s);
	return db_run(st);
}

/* Whether the row id exists. */
static bool exists(const char *id)
{
	struct db_stmt *st = db_prepare(db(), &Q_GET);
	assert_non_null(st);
	db_bind_text(st, 1, id);
	enum store_status r = db_step(st);
	db_done(st);
	assert_true(r == STORE_OK || r == STORE_NOT_FOUND);
	return r == STORE_OK;
}

static void test_binds_round_trip(void **state)
{
	(void)state;
	char id[ID_LEN + 1];
	store_test_id(id);
	const double f = 0.1 + 0.2; /* not a short decimal: all 17 digits must travel */
	assert_int_equal(insert(db(), id, INT64_MAX - 7, f, true, "é ü 💬"), STORE_OK);
	struct db_stmt *st = db_prepare(db(), &Q_GET);
	assert_non_null(st);
	db_bind_text(st, 1, id);
	assert_int_equal(db_step(st), STORE_OK);
	assert_true(db_col_int(st, 0) == INT64_MAX - 7);
	assert_true(db_col_double(st, 1) == f);
	assert_true(db_col_bool(st, 2));
	assert_true(db_col_bool(st, 3));
	char s[64];
	db_col_copy(st, 4, s, sizeof s);
	assert_string_equal(s, "é ü 💬");
	db_col_copy(st, 4, s, 3); /* cut, always terminated */
	assert_int_equal(strlen(s), 2);
	assert_false(db_col_null(st, 4));
	assert_int_equal(db_step(st), STORE_NOT_FOUND);
	db_done(st);

	/* NULLs of each kind, and a boolean false, read back as such. */
	store_test_id(id);
	assert_int_equal(insert(db(), id, 0, NAN, false, NULL), STORE_OK);
	st = db_prepare(db(), &Q_GET);
	db_bind_text(st, 1, id);
	assert_int_equal(db_step(st), STORE_OK);
	assert_true(db_col_null(st, 1)); /* NaN binds as NULL on both */
	assert_false(db_col_bool(st, 2));
	assert_true(db_col_null(st, 4));
	struct arena *a = arena_new();
	assert_null(db_col_text(st, 4, a));
	arena_free(a);
	db_done(st);
}

static void test_bool_fits_boolean_and_number(void **state)
{
	(void)state;
	char id[ID_LEN + 1];
	store_test_id(id);
	assert_int_equal(insert(db(), id, 1, 1.0, true, "x"), STORE_OK);
	struct db_stmt *st = db_prepare(db(), &Q_FLAGGED);
	db_bind_text(st, 1, id);
	db_bind_bool(st, 2, true);
	db_bind_bool(st, 3, true);
	assert_int_equal(db_step(st), STORE_OK);
	assert_int_equal(db_col_int(st, 0), 1);
	db_done(st);
}

static void test_placeholders(void **state)
{
	(void)state;
	struct db_stmt *st = db_prepare(db(), &Q_QUOTES);
	assert_non_null(st);
	db_bind_text(st, 1, "bound");
	assert_int_equal(db_step(st), STORE_OK);
	char s[32];
	db_col_copy(st, 0, s, sizeof s);
	assert_string_equal(s, "?1 it's"); /* quoted text is not a placeholder */
	db_col_copy(st, 1, s, sizeof s);
	assert_string_equal(s, "bound");
	assert_int_equal(db_col_int(st, 2), 1);
	db_done(st);

	st = db_prepare(db(), &Q_TEN);
	assert_non_null(st);
	for (int i = 1; i <= 9; i++)
		db_bind_int(st, i, 1);
	db_bind_int(st, 10, 33); /* ?10 is not ?1 followed by 0 */
	assert_int_equal(db_step(st), STORE_OK);
	assert_int_equal(db_col_int(st, 0), 42);
	db_done(st);

	/* A parameter the SQL does not have: the step fails, the statement is usable again after db_done. */
	st = db_prepare(db(), &Q_TEN);
	db_bind_int(st, 11, 1);
	assert_int_equal(db_step(st), STORE_ERROR);
	db_done(st);
}

static void test_conflict_and_changes(void **state)
{
	(void)state;
	char a[ID_LEN + 1], b[ID_LEN + 1];
	store_test_id(a);
	store_test_id(b);
	assert_int_equal(insert(db(), a, 1, 1.0, false, "one"), STORE_OK);
	assert_int_equal(insert(db(), a, 2, 2.0, false, "two"), STORE_CONFLICT);
	assert_int_equal(insert(db(), b, 2, 2.0, false, "two"), STORE_OK);
	struct db_stmt *st = db_prepare(db(), &Q_SET_S);
	db_bind_text(st, 1, a);
	db_bind_text(st, 2, "changed");
	db_bind_text(st, 3, b);
	assert_int_equal(db_exec(st), STORE_OK);
	assert_int_equal(db_changes(st), 2);
	db_done(st);
}

static void test_write_returning_rows(void **state)
{
	(void)state;
	char id[ID_LEN + 1];
	store_test_id(id);
	struct db_stmt *st = db_prepare(db(), &Q_INSERT_RETURNING);
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, 41);
	assert_int_equal(db_step(st), STORE_OK);
	assert_int_equal(db_col_int(st, 0), 42);
	assert_int_equal(db_step(st), STORE_NOT_FOUND);
	assert_int_equal(db_changes(st), 1);
	db_done(st);
	assert_true(exists(id));
}

static void test_statement_in_use(void **state)
{
	(void)state;
	struct db_stmt *st = db_prepare(db(), &Q_GET);
	assert_non_null(st);
	assert_null(db_prepare(db(), &Q_GET)); /* the first is not done yet */
	db_done(st);
	st = db_prepare(db(), &Q_GET);
	assert_non_null(st);
	db_done(st);
}

struct two {
	char first[ID_LEN + 1], second[ID_LEN + 1];
	enum store_status inner, outer;
	int calls;
};

static enum store_status insert_second(struct db *d, void *ctx)
{
	struct two *t = ctx;
	enum store_status r = insert(d, t->second, 2, 2.0, false, NULL);
	return r == STORE_OK ? t->inner : r;
}

static enum store_status insert_both(struct db *d, void *ctx)
{
	struct two *t = ctx;
	t->calls++;
	enum store_status r = insert(d, t->first, 1, 1.0, false, NULL);
	if (r != STORE_OK)
		return r;
	r = tx_run(store_test, insert_second, t); /* a savepoint inside this transaction */
	(void)r;                                  /* the inner outcome decides only the inner rows */
	return t->outer;
}

static void test_tx_run(void **state)
{
	(void)state;
	struct two t = {.inner = STORE_OK, .outer = STORE_OK};
	store_test_id(t.first);
	store_test_id(t.second);
	assert_int_equal(tx_run(store_test, insert_both, &t), STORE_OK);
	assert_true(exists(t.first));
	assert_true(exists(t.second));

	/* A failure rolls everything back and is returned as it was. */
	t = (struct two){.inner = STORE_OK, .outer = STORE_NOT_FOUND};
	store_test_id(t.first);
	store_test_id(t.second);
	assert_int_equal(tx_run(store_test, insert_both, &t), STORE_NOT_FOUND);
	assert_int_equal(t.calls, 1);
	assert_false(exists(t.first));
	assert_false(exists(t.second));

	/* An inner failure rolls back its savepoint only. */
	t = (struct two){.inner = STORE_ERROR, .outer = STORE_OK};
	store_test_id(t.first);
	store_test_id(t.second);
	assert_int_equal(tx_run(store_test, insert_both, &t), STORE_OK);
	assert_true(exists(t.first));
	assert_false(exists(t.second));

	/* A conflict inside a transaction is the transaction's status; the connection works after it. */
	char dup[ID_LEN + 1];
	store_test_id(dup);
	assert_int_equal(insert(db(), dup, 1, 1.0, false, NULL), STORE_OK);
	t = (struct two){.inner = STORE_OK, .outer = STORE_OK};
	memcpy(t.first, dup, sizeof dup);
	store_test_id(t.second);
	assert_int_equal(tx_run(store_test, insert_both, &t), STORE_CONFLICT);
	assert_false(exists(t.second));
}

static void test_batch(void **state)
{
	(void)state;
	char a[ID_LEN + 1], b[ID_LEN + 1];
	store_test_id(a);
	store_test_id(b);
	assert_int_equal(store_test->batch_begin(store_test), STORE_OK);
	assert_int_equal(insert(db(), a, 1, 1.0, false, NULL), STORE_OK);
	assert_int_equal(store_test->batch_end(store_test, false), STORE_OK);
	assert_false(exists(a));
	assert_int_equal(store_test->batch_begin(store_test), STORE_OK);
	assert_int_equal(insert(db(), b, 1, 1.0, false, NULL), STORE_OK);
	assert_int_equal(store_test->batch_end(store_test, true), STORE_OK);
	assert_true(exists(b));
}

static void test_lock_space(void **state)
{
	(void)state;
	char space[ID_LEN + 1], user[ID_LEN + 1];
	store_test_id(space);
	store_test_id(user);
	assert_int_equal(db_lock_space(db(), space), STORE_NOT_FOUND);
	assert_int_equal(store_test->space_create(store_test, space, user, "UTC", now_ms()), STORE_OK);
	assert_int_equal(db_lock_space(db(), space), STORE_OK);
	assert_int_equal(db_kind(db()), strcmp(store_test->name, "sqlite") == 0 ? DB_SQLITE : DB_POSTGRES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_binds_round_trip, create_table),
	    cmocka_unit_test_setup(test_bool_fits_boolean_and_number, create_table),
	    cmocka_unit_test(test_placeholders),
	    cmocka_unit_test_setup(test_conflict_and_changes, create_table),
	    cmocka_unit_test_setup(test_write_returning_rows, create_table),
	    cmocka_unit_test(test_statement_in_use),
	    cmocka_unit_test_setup(test_tx_run, create_table),
	    cmocka_unit_test_setup(test_batch, create_table),
	    cmocka_unit_test(test_lock_space),
	};
	return STORE_TEST_MAIN("test_db", tests);
}
