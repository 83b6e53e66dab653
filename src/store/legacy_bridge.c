/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * legacy_bridge.c - TEMPORARY (see legacy_bridge.h): sqlite_internal.h and
 * postgres_internal.h implemented over the new drivers, so the feature files
 * not yet written over db.h keep working. A `struct conn` of the old API is
 * this thread's `struct db`. Delete this file, those two headers and the
 * drivers' "legacy bridge" sections with the last old file.
 */
#include "legacy_bridge.h"

#include "postgres_internal.h"
#include "sqlite_internal.h"
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(SQ_SLOTS == LEGACY_SLOTS && PG_SLOTS == LEGACY_SLOTS, "the drivers keep LEGACY_SLOTS statements");

static struct db *db_c(struct conn *c)
{
	return (struct db *)c;
}

void legacy_sqlite_init(struct store *s)
{
}

void legacy_postgres_init(struct store *s)
{
}

/* ---- sqlite_internal.h ---- */

struct conn *sq_conn(struct store *s)
{
	return (struct conn *)db_of(s);
}

sqlite3 *sq_db(struct conn *c)
{
	return sqlite_legacy_handle(db_c(c));
}

sqlite3_stmt *sq_stmt(struct conn *c, int slot, const char *sql)
{
	if (slot < 0 || slot >= SQ_SLOTS)
		return NULL;
	sqlite3_stmt **slots = sqlite_legacy_slots(db_c(c));
	if (!slots[slot] &&
	    sqlite3_prepare_v3(sq_db(c), sql, -1, SQLITE_PREPARE_PERSISTENT, &slots[slot], NULL) != SQLITE_OK) {
		sqlite_legacy_log(db_c(c), "prepare");
		return NULL;
	}
	sqlite3_reset(slots[slot]);
	sqlite3_clear_bindings(slots[slot]);
	return slots[slot];
}

enum store_status sq_run(struct conn *c, sqlite3_stmt *st, const char *what)
{
	return sqlite_legacy_run(db_c(c), st, what);
}

enum store_status sq_row(struct conn *c, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return STORE_NOT_FOUND;
	sqlite_legacy_log(db_c(c), what);
	return sqlite_legacy_map_rc(rc);
}

enum store_status sq_tx_begin(struct conn *c)
{
	return db_tx_begin(db_c(c));
}

enum store_status sq_tx_end(struct conn *c, enum store_status st)
{
	return db_c(c)->depth > 0 ? db_tx_end(db_c(c), st) : st;
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void sq_copy_col(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	snprintf(dst, n, "%s", v ? (const char *)v : "");
}

char *sq_col_text(sqlite3_stmt *st, int col, struct arena *a)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	return v ? arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(st, col)) : NULL;
}

enum store_status sq_map_rc(int rc)
{
	return sqlite_legacy_map_rc(rc);
}

/* ---- postgres_internal.h ---- */

void pg_param_text(struct pg_params *p, const char *s)
{
	if (p->n >= PG_MAX_PARAMS)
		abort(); /* a statement with more parameters than PG_MAX_PARAMS is a programming error */
	p->v[p->n++] = s;
}

void pg_param_int(struct pg_params *p, int64_t v)
{
	if (p->n >= PG_MAX_PARAMS)
		abort();
	snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", (long long)v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

void pg_param_double(struct pg_params *p, double v)
{
	if (p->n >= PG_MAX_PARAMS)
		abort();
	if (isnan(v)) {
		p->v[p->n++] = NULL;
		return;
	}
	snprintf(p->num[p->n], sizeof p->num[p->n], "%.17g", v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

struct conn *pg_conn(struct store *s)
{
	return (struct conn *)db_of(s);
}

enum store_status pg_exec(struct conn *c, int slot, const char *sql, const struct pg_params *p, PGresult **out,
                          const char *what)
{
	return postgres_legacy_exec(db_c(c), slot, sql, p ? p->n : 0, p ? p->v : NULL, out, what);
}

long pg_changed_rows(PGresult *res)
{
	return strtol(PQcmdTuples(res), NULL, 10);
}

enum store_status pg_tx_begin(struct conn *c)
{
	return db_tx_begin(db_c(c));
}

enum store_status pg_tx_end(struct conn *c, enum store_status st)
{
	return db_c(c)->depth > 0 ? db_tx_end(db_c(c), st) : st;
}

bool pg_tx_again(struct conn *c, enum store_status r, int attempt)
{
	return db_c(c)->depth == 0 && db_c(c)->drv->again(db_c(c), r, attempt);
}

void pg_copy_col(PGresult *res, int row, int col, char *dst, size_t n)
{
	snprintf(dst, n, "%s", PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col));
}

int64_t pg_col_int(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

char *pg_col_text(PGresult *res, int row, int col, struct arena *a)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return arena_strndup(a, PQgetvalue(res, row, col), (size_t)PQgetlength(res, row, col));
}
