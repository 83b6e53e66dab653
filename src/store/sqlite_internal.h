/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite_internal.h - TEMPORARY (see legacy_bridge.h): what the old SQLite
 * feature files (sqlite_*.c) use, implemented by legacy_bridge.c over the
 * driver: this thread's connection, cached statements, transactions with
 * group commit, and column helpers. Not for use outside src/store/.
 *
 * Statement slots: [0, SQ_FEATURE_BASE) are unused now; each feature file
 * takes its own range above it (see the *_BASE defines below).
 */
#ifndef HEARTH_SQLITE_INTERNAL_H
#define HEARTH_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

#define SQ_SLOTS 224
#define SQ_FEATURE_BASE 64
#define SQ_REPAIRS_BASE 64
#define SQ_PROMPTS_BASE 96
#define SQ_SAFETY_BASE 128
#define SQ_GROWTH_BASE 136
#define SQ_THERAPIST_BASE 160
#define SQ_ARTICLES_BASE 192

struct conn;

/* This thread's connection; NULL when it cannot be opened (the caller answers STORE_BUSY). */
struct conn *sq_conn(struct store *s);
sqlite3 *sq_db(struct conn *c);
/* The cached statement in `slot` (prepared from sql on first use), reset; NULL on failure. */
sqlite3_stmt *sq_stmt(struct conn *c, int slot, const char *sql);
/* Runs a statement without rows; a write outside a transaction returns once durable. */
enum store_status sq_run(struct conn *c, sqlite3_stmt *st, const char *what);
/* Steps a statement expected to give one row: STORE_OK (row ready), STORE_NOT_FOUND, or a failure. */
enum store_status sq_row(struct conn *c, sqlite3_stmt *st, const char *what);
enum store_status sq_tx_begin(struct conn *c);
/* Commits (durably) when st is STORE_OK, else rolls back; returns the final status. */
enum store_status sq_tx_end(struct conn *c, enum store_status st);
void sq_bind_text(sqlite3_stmt *st, int i, const char *s);
void sq_copy_col(sqlite3_stmt *st, int col, char *dst, size_t n);
char *sq_col_text(sqlite3_stmt *st, int col, struct arena *a);
enum store_status sq_map_rc(int rc);

/* Opens this thread's connection as `c`, or returns STORE_BUSY from the calling function. */
#define CONN_OR_BUSY(s)              \
	struct conn *c = sq_conn(s); \
	if (!c)                      \
		return STORE_BUSY

/* Feature files fill in their part of the function table. */
void sq_repairs_init(struct store *s);
void sq_prompts_init(struct store *s);

#endif
