/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres/postgres.h - what only the PostgreSQL store has beside its driver:
 * the backup through pg_dump and the integrity check (backup.c).
 */
#ifndef HEARTH_POSTGRES_H
#define HEARTH_POSTGRES_H

#include <stdbool.h>
#include <stddef.h>

#include "../store.h"

/* Writes a pg_dump (custom format) of the database at url to path; see backup.c. */
enum store_status postgres_backup(const char *url, const char *path);
/* Looks for rows that point at nothing (what SQLite's foreign_key_check finds). */
enum store_status postgres_check(struct store *s, bool *ok, char *detail, size_t detail_len);

#endif
