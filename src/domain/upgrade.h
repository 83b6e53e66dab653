/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * upgrade.h - the data steps of upgrades: work a migration cannot do in SQL
 * because it needs the key file. They run after the migrations, once the
 * keyring is open, and only while a migration has left them pending.
 *
 * "seal-in-clear" (migration 10) seals what an older hearth wrote in clear:
 * check-in scales, safety-check answers, questionnaire scores and subscales,
 * review outcomes, acknowledgement kinds, display names (the copies in the
 * access log too), and the check-in texts of a database from before
 * encryption at rest (migration 1). "compact" (SQLite's migration 33, which
 * made the check-ins' table again) gives the file the pages the old table
 * left free. Neither can run inside a migration's transaction.
 */
#ifndef HEARTH_UPGRADE_H
#define HEARTH_UPGRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "../store/store.h"

/*
 * Runs every pending data step on s (its keyring set), each to its end, then
 * forgets it; the database is compacted (once) after either, so no copy of a
 * value in clear is left in its free pages or log. Safe to run again after an interruption and
 * from several servers at once. With show_progress, a summary of what was
 * sealed goes to stderr (util/progress.h). 0, or -1 with a message in err.
 */
int upgrade_run(struct store *s, bool show_progress, char *err, size_t err_len) WARN_UNUSED;

#endif
