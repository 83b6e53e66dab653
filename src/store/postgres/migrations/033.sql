-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 33: a check-in written into one index fewer (issue 18); see the SQLite migration of the
-- same number. checkins_space_time (space_id, author_id, created_at, id) served the queries that name
-- a space and its authors; each names the author too, so checkins_author_time finds the same rows in
-- the same order and the space is checked on the row. The primary key (space_id, id) stays here: a
-- partitioned table (HEARTH_PG_PARTITIONS) keeps its keys unique only with the space in them.
DROP INDEX checkins_space_time;
