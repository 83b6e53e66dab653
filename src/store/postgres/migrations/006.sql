-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 6: sessions a person can see and end (issue 10, part A); the same columns as SQLite's.
-- Each session gets an id to be named by (never its token hash), the coarse client it was started
-- from (never the User-Agent itself, never an address), its own idle limit (14 days, as before, for
-- the sessions that exist now) and when the password was last typed for it. Ids of existing sessions
-- are 32 random hex digits, like the ones hearth makes.
ALTER TABLE sessions ADD COLUMN id TEXT COLLATE "C";
ALTER TABLE sessions ADD COLUMN client TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN idle_ms BIGINT NOT NULL DEFAULT 1209600000;
ALTER TABLE sessions ADD COLUMN auth_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET id = md5(random()::text || clock_timestamp()::text || token_hash), auth_at = created_at;
CREATE UNIQUE INDEX sessions_id ON sessions (id);
