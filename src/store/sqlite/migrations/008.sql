-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 8: throttling counted in one step. A failure key is now a keyed hash (domain/throttle.c),
-- never a username as typed or an address: the rows written before named both, so they go. Each
-- counted attempt carries its id, so a login that succeeds (or a sign-up that is refused) takes back
-- exactly its own counts. throttle_locks holds one row per key, written first in the transaction
-- that counts, so two attempts on one key are counted one after the other (on SQLite the write
-- transaction alone already does that; the table is shared with PostgreSQL).
DELETE FROM auth_failures;
ALTER TABLE auth_failures ADD COLUMN attempt TEXT;
CREATE INDEX auth_failures_attempt ON auth_failures (attempt);
CREATE TABLE throttle_locks (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
