/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres_internal.h - TEMPORARY (see legacy_bridge.h): what the old
 * PostgreSQL feature files (postgres_*.c) use, implemented by legacy_bridge.c
 * over the driver: this thread's connection, statements prepared once per
 * connection by slot, bound parameters, transactions with retry, and column
 * helpers. Not for use outside src/store/.
 *
 * Statement slots: [0, PG_FEATURE_BASE) are unused now; postgres_features.c
 * takes [PG_FEATURE_BASE, PG_GROWTH_BASE) and postgres_social.c
 * [PG_SOCIAL_BASE, PG_SLOTS); [PG_GROWTH_BASE, PG_SOCIAL_BASE) is unused too
 * (agreement.c and the like are written over db.h). A slot always names the
 * same SQL text.
 */
#ifndef HEARTH_POSTGRES_INTERNAL_H
#define HEARTH_POSTGRES_INTERNAL_H

#include <libpq-fe.h>

#include "store.h"

#define PG_SLOTS 224
#define PG_FEATURE_BASE 64
#define PG_GROWTH_BASE 96
#define PG_SOCIAL_BASE 160
#define PG_MAX_PARAMS 12

struct conn;

/* Bound parameters, all sent as text (NULL is SQL NULL); numbers are formatted into `num`. */
struct pg_params {
	int n;
	const char *v[PG_MAX_PARAMS];
	char num[PG_MAX_PARAMS][32];
};

void pg_param_text(struct pg_params *p, const char *s);
void pg_param_int(struct pg_params *p, int64_t v);
/* A double with all its digits, so it reads back bit for bit; NaN goes as NULL, as SQLite binds it. */
void pg_param_double(struct pg_params *p, double v);

/* This thread's connection; NULL when it cannot be opened (the caller answers STORE_BUSY). */
struct conn *pg_conn(struct store *s);

/*
 * Runs the statement in `slot` (prepared from sql on first use on this
 * connection) with parameters p. On STORE_OK, *out (when out is not NULL)
 * holds the result, which the caller PQclear()s. Unique violations come back
 * as STORE_CONFLICT, lock timeouts, broken connections and retryable
 * failures as STORE_BUSY.
 */
enum store_status pg_exec(struct conn *c, int slot, const char *sql, const struct pg_params *p, PGresult **out,
                          const char *what) __attribute__((warn_unused_result));
/* Number of rows a statement changed. */
long pg_changed_rows(PGresult *res);

enum store_status pg_tx_begin(struct conn *c) __attribute__((warn_unused_result));
/* Commits when st is STORE_OK, else rolls back; returns the final status. */
enum store_status pg_tx_end(struct conn *c, enum store_status st) __attribute__((warn_unused_result));
/* True when a transaction that ended with r should be run again (serialization failure, deadlock). */
bool pg_tx_again(struct conn *c, enum store_status r, int attempt);

/* Copies a column into dst ("" for NULL). */
void pg_copy_col(PGresult *res, int row, int col, char *dst, size_t n);
int64_t pg_col_int(PGresult *res, int row, int col);
/* The column as text allocated in a; NULL for SQL NULL. */
char *pg_col_text(PGresult *res, int row, int col, struct arena *a);

/* The feature files fill in their part of the function table. */
void pg_features_init(struct store *s);

#endif
