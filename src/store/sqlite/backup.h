/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backup.h - SQLite's side of `hearth backup` and `hearth restore`: a
 * consistent copy of a live database, and the checks and the swap that put a
 * copy back in place. Nothing here knows hearth's tables except the
 * schema_migrations table every hearth database has.
 */
#ifndef HEARTH_SQLITE_BACKUP_H
#define HEARTH_SQLITE_BACKUP_H

#include <sqlite3.h>
#include <stddef.h>

#include "../store.h"

/*
 * Copies the database open on src to path: the whole database in one read
 * transaction (so concurrent writers neither block it nor restart it), into
 * path.partial, which is made a self-contained rollback-journal database,
 * fsync'ed, renamed to path, and its directory fsync'ed. On failure nothing is
 * left at path.partial and path is untouched.
 */
enum store_status sqlite_backup_copy(sqlite3 *src, const char *path) __attribute__((warn_unused_result));

/*
 * The highest migration recorded in the SQLite database file at path, read
 * without changing it; -1 with a message in err when the file is not a
 * sound hearth database (not SQLite, damaged, or without schema_migrations).
 */
int sqlite_backup_file_version(const char *path, char *err, size_t err_len);

/*
 * Puts the verified copy at fresh in place of current (the live database of
 * a stopped server): current's WAL is checkpointed into it first, current is
 * kept as current.before-restore (replacing an older one), and fresh is
 * renamed over current, so a database file is at current at every moment.
 * 0, or -1 with a message in err (then current is as it was).
 */
int sqlite_backup_swap(const char *current, const char *fresh, char *err, size_t err_len);

#endif
