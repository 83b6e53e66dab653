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
 * Use, in a feature file (src/store/checkins.c and the like):
 *
 *	DB_QUERY(Q_CHECKIN_GET, "SELECT ... FROM checkins WHERE id = ?1");
 *	...
 *	struct db *d = db_of(s);
 *	if (!d)
 *		return STORE_BUSY;
 *	struct db_stmt *st = db_prepare(d, &Q_CHECKIN_GET);
 *	if (!st)
 *		return STORE_ERROR;
 *	db_bind_text(st, 1, id);
 *	enum store_status r = db_step(st);   // STORE_OK: a row is ready
 *	if (r == STORE_OK)
 *		read_checkin(st, a, out);
 *	db_done(st);
 *	return r;
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

/* Typed parameters, numbered from 1. db_bind_text with NULL binds SQL NULL (of type text). */
void db_bind_text(struct db_stmt *st, int i, const char *v);
void db_bind_int(struct db_stmt *st, int i, int64_t v);
void db_bind_double(struct db_stmt *st, int i, double v);
void db_bind_bool(struct db_stmt *st, int i, bool v);
/* An integer, or SQL NULL (of type integer) when is_null. */
void db_bind_int_or_null(struct db_stmt *st, int i, int64_t v, bool is_null);

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
