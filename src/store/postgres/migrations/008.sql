-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 8: throttling counted in one step. A failure key is now a keyed hash (domain/throttle.c),
-- never a username as typed or an address: the rows written before named both, so they go. Each
-- counted attempt carries its id, so a login that succeeds (or a sign-up that is refused) takes back
-- exactly its own counts. throttle_locks holds one row per key; the transaction that counts writes
-- it first (INSERT ... ON CONFLICT DO UPDATE), which locks the row until commit, so two attempts on
-- one key are counted one after the other under READ COMMITTED.
DELETE FROM auth_failures;
ALTER TABLE auth_failures ADD COLUMN attempt TEXT COLLATE "C";
CREATE INDEX auth_failures_attempt ON auth_failures (attempt);
CREATE TABLE throttle_locks (key TEXT COLLATE "C" PRIMARY KEY, at BIGINT NOT NULL);
