/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * db.h - the small database driver under the store. Every query of the store
 * is written once, in SQL both SQLite and PostgreSQL accept, with ?1..?N
 * placeholders; the driver binds typed parameters (so PostgreSQL needs no
 * casts), steps rows, reads columns and runs transactions. It is implemented
 * twice: src/store/sqlite/driver.c and src/store/postgres/driver.c. What truly
 * differs between the databases (migrations, full-text search, row locks,
 * backup, the integrity check) lives beside those drivers, not in the feature
 * files.
 *
 * Use, in a feature file (src/store/checkin.c and the like), through the
 * one-call helpers of store_internal.h:
 *
 *	DB_QUERY(Q_CHECKIN_GET, "SELECT ... FROM checkins WHERE id = ?1");
 *	...
 *	return db_get(db_of(s), &Q_CHECKIN_GET, a, read_checkin, out, DB_ARGS(db_text(id)));
 *
 * or, statement by statement: db_prepare(), db_bind_*(), db_step() and
 * db_col_*() while it says STORE_OK, then db_done().
 *
 * A statement is prepared once per connection (looked up by the address of its
 * struct db_query) and reused; db_done() must follow every db_prepare() that
 * returned a statement, whatever happened in between.
 *
 * Status mapping: a unique or primary-key violation is STORE_CONFLICT; a lock
 * that could not be had in time, disk full, an I/O error, a broken connection
 * and (outside tx_run) a serialization failure are STORE_BUSY; anything else
 * is STORE_ERROR, logged once with the query's name.
 */
#ifndef HEARTH_DB_H
#define HEARTH_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum db_kind { DB_SQLITE, DB_POSTGRES };

struct db;      /* this thread's connection to the store's database */
struct db_stmt; /* a statement being bound, run and read on one connection */

/* A statement written once. `name` appears in logs and metrics. */
struct db_query {
	const char *name;
	const char *sql;
};

/* Defines a file-local statement named after its identifier. */
#define DB_QUERY(ident, text) static const struct db_query ident = {#ident, text}

/* This thread's connection, opened on first use; NULL when it cannot be had (answer STORE_BUSY). */
struct db *db_of(struct store *s) __attribute__((warn_unused_result));
enum db_kind db_kind(const struct db *d);

/*
 * The statement for q on this connection, prepared on first use, with no
 * bindings; NULL on failure (logged). Parameters not bound are SQL NULL.
 */
struct db_stmt *db_prepare(struct db *d, const struct db_query *q) __attribute__((warn_unused_result));

enum db_type { DB_UNBOUND, DB_TEXT, DB_INT, DB_DOUBLE, DB_BOOL };

/* A typed parameter, kept until the statement runs. */
struct db_param {
	enum db_type type;
	bool null;
	int64_t i;     /* DB_INT, DB_BOOL */
	double f;      /* DB_DOUBLE */
	const char *s; /* DB_TEXT: the caller's text, valid until db_done() */
};

/*
 * Parameters written as values, for db_bind() and for the helpers of
 * store_internal.h that take DB_ARGS(db_text(id), db_int(now)) and bind them
 * in order as ?1, ?2, ... db_text(NULL) is SQL NULL of type text;
 * db_int_or_null(v, true) SQL NULL of type integer.
 */
static inline struct db_param db_text(const char *v)
{
	return (struct db_param){.type = DB_TEXT, .null = !v, .s = v};
}

static inline struct db_param db_int(int64_t v)
{
	return (struct db_param){.type = DB_INT, .i = v};
}

static inline struct db_param db_bool(bool v)
{
	return (struct db_param){.type = DB_BOOL, .i = v ? 1 : 0};
}

static inline struct db_param db_double(double v)
{
	return (struct db_param){.type = DB_DOUBLE, .f = v};
}

static inline struct db_param db_int_or_null(int64_t v, bool is_null)
{
	return (struct db_param){.type = DB_INT, .null = is_null, .i = v};
}

/* Binds the parameter numbered i (from 1); a number the SQL does not have makes the next step fail. */
void db_bind(struct db_stmt *st, int i, struct db_param p);
#define db_bind_text(st, i, v) db_bind((st), (i), db_text(v))
#define db_bind_int(st, i, v) db_bind((st), (i), db_int(v))
#define db_bind_double(st, i, v) db_bind((st), (i), db_double(v))
#define db_bind_bool(st, i, v) db_bind((st), (i), db_bool(v))
#define db_bind_int_or_null(st, i, v, is_null) db_bind((st), (i), db_int_or_null((v), (is_null)))

/*
 * Runs the statement (on the first call) and moves to the next row:
 * STORE_OK when a row is ready to read, STORE_NOT_FOUND when there are no
 * (more) rows, another status on failure. A write outside tx_run() is
 * durable once db_step() has said STORE_NOT_FOUND: at once for a write
 * without rows (db_exec, db_run), after its last row for one with RETURNING.
 */
enum store_status db_step(struct db_stmt *st) __attribute__((warn_unused_result));
/* Runs a statement that returns no rows (or whose rows are not wanted): STORE_OK or a failure. */
enum store_status db_exec(struct db_stmt *st) __attribute__((warn_unused_result));
/* Rows the last run of st inserted, updated or deleted. */
int64_t db_changes(const struct db_stmt *st);

/* Columns of the current row, numbered from 0. */
bool db_col_null(const struct db_stmt *st, int col);
int64_t db_col_int(const struct db_stmt *st, int col);
double db_col_double(const struct db_stmt *st, int col);
bool db_col_bool(const struct db_stmt *st, int col);
/* Copies a column into dst (cut to n - 1 bytes, always terminated; "" for NULL). */
void db_col_copy(const struct db_stmt *st, int col, char *dst, size_t n);
/* The column as text allocated in a; NULL for SQL NULL. */
char *db_col_text(const struct db_stmt *st, int col, struct arena *a);

/* Releases the statement for its next use (resets it, drops a result). */
void db_done(struct db_stmt *st);

/* db_exec() then db_done(): for a statement without rows, in one call. */
enum store_status db_run(struct db_stmt *st) __attribute__((warn_unused_result));

/*
 * tx_run - the one way to run a transaction. Calls fn(d, ctx) inside a write
 * transaction and commits when it returns STORE_OK, else rolls back; returns
 * fn's status (or the commit's). On SQLite: BEGIN IMMEDIATE behind the
 * in-process writer lock, commit with group commit (returns once durable).
 * On PostgreSQL: READ COMMITTED; a serialization failure or deadlock rolls
 * back and calls fn again (a few times), so fn must start from ctx afresh on
 * every call. Inside a batch (store->batch_begin) it becomes a savepoint.
 */
typedef enum store_status (*tx_fn)(struct db *d, void *ctx);
enum store_status tx_run(struct store *s, tx_fn fn, void *ctx) __attribute__((warn_unused_result));

/*
 * Row locks, for rules that read then write (a join, a link): on PostgreSQL
 * SELECT ... FOR UPDATE of the row; on SQLite nothing (the write transaction
 * already excludes other writers). STORE_NOT_FOUND when the row is missing.
 */
enum store_status db_lock_space(struct db *d, const char *space_id) __attribute__((warn_unused_result));

#endif
