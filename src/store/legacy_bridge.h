/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * legacy_bridge.h - TEMPORARY, removed once every feature is written over
 * db.h: keeps the old per-backend feature files (sqlite_*.c, postgres_*.c,
 * with their sqlite_internal.h and postgres_internal.h) working on top of the
 * new drivers. legacy_bridge.c implements those two headers; the drivers
 * export the few internals it needs (below). Not for new code.
 */
#ifndef HEARTH_LEGACY_BRIDGE_H
#define HEARTH_LEGACY_BRIDGE_H

#include <libpq-fe.h>
#include <sqlite3.h>

#include "db.h"

/* Statement slots of the old API per connection (SQ_SLOTS, PG_SLOTS). */
#define LEGACY_SLOTS 224

/* Fill in the functions the old files still provide (called by the drivers' open functions). */
void legacy_sqlite_init(struct store *s);
void legacy_postgres_init(struct store *s);

/* From sqlite/driver.c. */
sqlite3 *sqlite_legacy_handle(struct db *d);
sqlite3_stmt **sqlite_legacy_slots(struct db *d); /* LEGACY_SLOTS of them, finalized with the connection */
enum store_status sqlite_legacy_run(struct db *d, sqlite3_stmt *st, const char *what);
enum store_status sqlite_legacy_map_rc(int rc);
void sqlite_legacy_log(struct db *d, const char *what);

/* From postgres/driver.c: runs the statement in slot (prepared once per connection as "h<slot>"). */
enum store_status postgres_legacy_exec(struct db *d, int slot, const char *sql, int n, const char *const *values,
                                       PGresult **out, const char *what);

#endif
